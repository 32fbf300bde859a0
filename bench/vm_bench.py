# SPDX-License-Identifier: GPL-2.0-only
"""vm_bench.py — the benchmark's figures from a real sched_ext kernel: verifier work, wake-up
latency, share error and throughput, per scheduler, on 2 and 4 vCPUs.

Takes scxc-vm, the compiled schedulers (name -> X.bpf.o; the reference scheduler among them) and
the rounds to run; boots one VM per CPU count with guest.sh, cyclictest and hackbench (Debian's
rt-tests, carried in with their libraries), and makes per scheduler: the verifier's processed
instructions, the latency histogram of cyclictest beside one hog per CPU (p50, p99, max and the
CDF), the worst weighted-share error of six hogs per two CPUs, hackbench's time and ping-pong round
trips — each noisy figure as a ratio to the reference scheduler's in the same round, with its
spread over the rounds.
"""

import json
import pathlib
import shutil
import subprocess
import sys

from measure import Sample

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "vm"))

from smp import WEIGHT_OF_NICE, ideal_shares  # noqa: E402  (the vm suite's model of fair shares)

GUEST_PROGRAMS = ("/usr/bin/cyclictest", "/usr/bin/hackbench")


def boot(runner, objects, cpus, rounds, seconds, out_dir):
    """Runs guest.sh in one VM of CPUS vCPUs; returns the directory of what it left."""
    conf = out_dir.parent / f"bench-{cpus}.conf"
    conf.write_text(f"ROUNDS={rounds}\nSCHEDULERS='default {' '.join(objects)}'\nSECONDS={seconds}\nCPUS={cpus}\n")
    staged = out_dir.parent / f"stage-{cpus}"
    staged.mkdir(parents=True, exist_ok=True)
    shutil.copy(conf, staged / "bench.conf")
    files = [str(staged / "bench.conf"), str(HERE.parent / "tests" / "vm" / "lib.sh")]
    files += [str(path) for path in objects.values()]
    command = [runner, "--cpus", str(cpus), "--timeout", "1500", "--output", str(out_dir),
               "--script", str(HERE / "guest.sh"), *files]
    for program in GUEST_PROGRAMS:
        command[1:1] = ["--with", program]
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"run-bench: the benchmark VM failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr}")
    return out_dir


def histogram(path):
    """cyclictest's histogram: a list of (microseconds, count), the count past its end, the maximum."""
    rows, overflows, worst = [], 0, None
    for line in path.read_text().splitlines():
        if line.startswith("# Histogram Overflows:"):
            overflows = int(line.split(":")[1].split()[0])
        elif line.startswith("# Max Latencies:"):
            worst = int(line.split(":")[1].split()[0])
        elif line and line[0].isdigit():
            value, count = line.split()[:2]
            if int(count):
                rows.append((int(value), int(count)))
    if worst is None:
        raise SystemExit(f"run-bench: {path.name} is not cyclictest's histogram:\n{path.read_text()[-2000:]}")
    return rows, overflows, worst


def percentile(rows, overflows, fraction):
    total = sum(count for _, count in rows) + overflows
    seen = 0
    for value, count in rows:
        seen += count
        if seen >= fraction * total:
            return value
    return float("inf")


def share_error(report, cpus):
    weights = {entry["name"]: WEIGHT_OF_NICE[entry["nice"]] for entry in report["tasks"]}
    ideal = ideal_shares(weights, cpus)
    return max(abs(entry["cpu_share"] / ideal[entry["name"]] - 1) for entry in report["tasks"])


def round_trips(report):
    return sum(entry.get("passes", 0) for entry in report["tasks"]) or 0


def summary_verified(path):
    lines = [line for line in path.read_text().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]).get("verified_insns", {}).get("total") if lines else None


def collect(out_dir, schedulers, rounds, cpus):
    """scheduler -> figures: lists over rounds, and the merged latency histogram."""
    figures = {}
    for name in schedulers:
        entry = {"p50": [], "p99": [], "max": [], "share_error": [], "hackbench": [], "round_trips": [],
                 "cdf": {}, "overflows": 0, "verified": None}
        for n in range(1, rounds + 1):
            run = f"{name}.{n}"
            rows, overflows, worst = histogram(out_dir / f"{run}.cyclic.txt")
            entry["p50"].append(percentile(rows, overflows, 0.50))
            entry["p99"].append(percentile(rows, overflows, 0.99))
            entry["max"].append(worst)
            for value, count in rows:
                entry["cdf"][value] = entry["cdf"].get(value, 0) + count
            entry["overflows"] += overflows
            entry["share_error"].append(share_error(json.loads((out_dir / f"{run}.spread.json").read_text()), cpus))
            text = (out_dir / f"{run}.hackbench.txt").read_text()
            entry["hackbench"].append(float(text.split("Time:")[1].split()[0]))
            entry["round_trips"].append(round_trips(json.loads((out_dir / f"{run}.pingpong.json").read_text())))
            if name != "default":
                entry["verified"] = summary_verified(out_dir / f"{run}.load.jsonl")
        figures[name] = entry
    return figures


def ratios(figures, key, reference="reference", invert=False):
    """scheduler -> Sample of its per-round KEY over the reference's in the same round (inverted for
    times, so that above 1 is always better)."""
    out = {}
    for name, entry in figures.items():
        pairs = zip(entry[key], figures[reference][key])
        out[name] = Sample((b / a if invert else a / b) for a, b in pairs if a and b)
    return out
