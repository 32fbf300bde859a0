#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench.py — ./run-bench's driver: measures what scxc's abstraction costs and writes
docs/performance.md.

Takes the build directory (scxc, the reference scheduler's object, scxc-vm) and --quick; compiles
the examples, measures compile time (compile_cost.py), code size (code_size.py) and, in the VM on 2
and 4 vCPUs, verifier work, wake-up latency, share error and throughput (vm_bench.py); writes the
tables, the goals with met or missed, and the SVG pictures (svg.py) to docs/performance.md and
docs/performance/.  --quick runs one round of everything on fewer policies, into a scratch
directory unless --out is given, to keep the benchmark from rotting.
"""

import argparse
import datetime
import pathlib
import platform
import tempfile

import code_size
import compile_cost
import svg
import vm_bench
from measure import Sample, run_timed

ROOT = pathlib.Path(__file__).resolve().parent.parent
VM_SCHEDULERS = ("reference", "fair", "fifo", "rr", "tiers", "interactive")
GOALS = {"front_end_share": 0.02, "fair_size": 1.1, "fair_verified": 1.2, "throughput": 0.95,
         "share_error": 0.03, "preempt_p99_vs_default": 2.0}


def verdict(ok):
    return "met" if ok else "**missed**"


def compile_section(args, scratch, out):
    policies = compile_cost.example_policies(ROOT / "examples")
    if args.quick:
        policies = policies[:2]
    policies.append(compile_cost.big_policy(scratch / "big.sched"))
    rows = compile_cost.measure(args.scxc, args.clang, ROOT / "runtime", policies, scratch, 1 if args.quick else 5)
    worst = max(row[4].median for row in rows)
    out += ["## Compile time", "",
            "scxc's whole run (policy to BPF object) against its own part (stopping after the C: reading, "
            "checking, lowering, emitting, process start included) and clang alone on the same C with "
            f"scxc's flags; medians of {1 if args.quick else 5} runs taken in turns, the front end's part with "
            f"its range.  `big` is a generated policy of {compile_cost.BIG_CLASSES} classes (the contract's "
            "limit is 256: each class's stats and wait histogram live in one per-CPU map value).", "",
            compile_cost.section(rows), "",
            f"Goal: the front end ≤ {GOALS['front_end_share']:.0%} of the whole — {verdict(worst <= GOALS['front_end_share'])} "
            f"(worst {worst:.1%}).", ""]


def code_section(args, objects, out):
    sizes = {name: code_size.instructions(args.readelf, path) for name, path in objects.items()}
    fair = sum(sizes["fair"].values()) / sum(sizes["reference"].values())
    out += ["## Code size", "",
            "BPF instructions per callback, read from each object's ELF sections (`struct_ops/*`; "
            "`subprograms` is `.text`).", "", code_size.section(sizes), "",
            f"Goal: fair ≤ {GOALS['fair_size']}× the reference — {verdict(fair <= GOALS['fair_size'])} ({fair:.2f}×).", ""]


def vm_section(args, objects, scratch, out, pictures):
    rounds, seconds = (1, 2) if args.quick else (3, 3)
    for cpus in (2, 4):
        out_dir = vm_bench.boot(args.runner, {name: objects[name] for name in VM_SCHEDULERS}, cpus, rounds,
                                seconds, scratch / f"vm{cpus}")
        figures = vm_bench.collect(out_dir, ("default", *VM_SCHEDULERS), rounds, cpus)
        hackbench = vm_bench.ratios(figures, "hackbench", invert=True)
        pingpong = vm_bench.ratios(figures, "round_trips")
        out += [f"## In the VM, {cpus} vCPUs", "",
                f"{rounds} round(s), each taking the schedulers in turn; ratios are to the reference scheduler "
                "in the same round (above 1 is better), with their range over the rounds.  Latency: "
                "cyclictest (rt-tests) with a SCHED_OTHER thread waking every 1 ms beside one hog per CPU, "
                f"{seconds} s a round.  Shares: two hogs each of nice 0, 5 and 10 per two CPUs, the worst "
                "error against the weight-ideal share.  Throughput: hackbench (2 groups × 100 loops) and "
                "the workload program's ping-pong between CPUs 0 and 1.", "",
                "| scheduler | verifier-processed | latency p50 (µs) | p99 (µs) | max (µs) | worst share error | "
                "hackbench vs ref | ping-pong vs ref |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, entry in figures.items():
            out.append(f"| {name} | {entry['verified'] or '–'} | {Sample(entry['p50']).median:g} | "
                       f"{Sample(entry['p99']).median:g} | {Sample(entry['max']).median:g} | "
                       f"{Sample(entry['share_error']).median:.1%} | {hackbench[name].median:.2f} "
                       f"({hackbench[name].low:.2f}–{hackbench[name].high:.2f}) | {pingpong[name].median:.2f} "
                       f"({pingpong[name].low:.2f}–{pingpong[name].high:.2f}) |")
        verified = figures["fair"]["verified"] / figures["reference"]["verified"]
        throughput = min(hackbench["fair"].median, pingpong["fair"].median)
        shares = Sample(figures["fair"]["share_error"]).median
        preempt = Sample(figures["interactive"]["p99"]).median / max(Sample(figures["default"]["p99"]).median, 1)
        out += ["", f"Goals on {cpus} vCPUs:", "",
                f"- fair's verifier work ≤ {GOALS['fair_verified']}× the reference's — "
                f"{verdict(verified <= GOALS['fair_verified'])} ({verified:.2f}×)",
                f"- fair's throughput ≥ {GOALS['throughput']}× the reference's (the lower of hackbench and "
                f"ping-pong) — {verdict(throughput >= GOALS['throughput'])} ({throughput:.2f}×)",
                f"- fair's worst share error ≤ {GOALS['share_error']:.0%} — {verdict(shares <= GOALS['share_error'])} "
                f"({shares:.1%})",
                f"- with preempt (interactive.sched), latency p99 ≤ {GOALS['preempt_p99_vs_default']}× the "
                f"default scheduler's — {verdict(preempt <= GOALS['preempt_p99_vs_default'])} ({preempt:.2f}×)", ""]
        cdf_name, bars_name = f"latency-cdf-{cpus}.svg", f"throughput-{cpus}.svg"
        pictures[cdf_name] = svg.latency_cdf(f"Wake-up latency beside one hog per CPU, {cpus} vCPUs",
                                             {name: entry["cdf"] for name, entry in figures.items()})
        pictures[bars_name] = svg.bars(f"hackbench throughput vs the reference, {cpus} vCPUs", "× the reference",
                                       hackbench, reference_line=1.0)
        out += [f"![Wake-up latency CDF, {cpus} vCPUs](performance/{cdf_name})", "",
                f"![hackbench throughput, {cpus} vCPUs](performance/{bars_name})", ""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--clang", default="/usr/bin/clang-16")
    parser.add_argument("--readelf", default="/usr/bin/llvm-readelf-16")
    parser.add_argument("--quick", action="store_true", help="one round, fewer policies, to a scratch directory")
    parser.add_argument("--out", help="where performance.md goes (default: docs/, or a scratch dir with --quick)")
    args = parser.parse_args()
    build = pathlib.Path(args.build)
    args.scxc, args.runner = str(build / "compiler" / "scxc"), str(build / "vm" / "scxc-vm")
    with tempfile.TemporaryDirectory(prefix="scxc-bench-") as scratch:
        scratch = pathlib.Path(scratch)
        out_dir = pathlib.Path(args.out) if args.out else (scratch / "docs" if args.quick else ROOT / "docs")
        objects = {"reference": build / "tests" / "reference" / "reference.bpf.o"}
        for name in VM_SCHEDULERS[1:]:
            objects[name] = scratch / f"{name}.bpf.o"
            run_timed([args.scxc, str(ROOT / "examples" / f"{name}.sched"), "-o", str(objects[name])])
        out, pictures = ["# Performance", "",
                         f"Generated by `./run-bench{' --quick' if args.quick else ''}` on "
                         f"{datetime.date.today()} ({platform.machine()}, {platform.node()}); do not edit by hand: "
                         "bench/bench.py writes it.  What each figure means and how it is measured: "
                         "docs/testing.md's benchmark section.", ""], {}
        compile_section(args, scratch, out)
        code_section(args, objects, out)
        vm_section(args, objects, scratch, out, pictures)
        out += ["## Simulator", "", "scxsim does not exist yet (issue 13): its events-per-second figure comes with it.", ""]
        (out_dir / "performance").mkdir(parents=True, exist_ok=True)
        for name, text in pictures.items():
            (out_dir / "performance" / name).write_text(text)
        (out_dir / "performance.md").write_text("\n".join(out))
        print(f"run-bench: wrote {out_dir / 'performance.md'}")
        print("\n".join(out))


if __name__ == "__main__":
    main()
