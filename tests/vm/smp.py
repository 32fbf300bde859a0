# SPDX-License-Identifier: GPL-2.0-only
"""smp.py — the vm suite's tests of the runtime on more than one CPU ("smp2", "smp4").

Takes the compiled fair, fifo and tiers examples and the hand-written reference scheduler
(tests/reference); boots the guest script smp.sh once per kernel with 2 or 4 vCPUs; checks what the
workloads measured against the runtime's contract (docs/runtime.md): a vtime queue is fair by weight
among its runnable tasks on every CPU whatever the other CPUs run, a waking task is not placed
behind a clock that another CPU dragged ahead, a CPU does not idle while a task it may run waits,
a task runs only where it is allowed and is not held up by tasks it cannot run beside, and waking
a task on another CPU costs no more than under the reference.  Every figure is printed.
"""

import re
import statistics

from harness import boot, check, expect_active, expect_clean_run, fact, read_json, scxrun_summary, task

# sched_ext's weight of a nice value: the kernel's CFS weight (sched_prio_to_weight) scaled so that
# nice 0 is 100, rounded: nice 5 -> 335 * 100 / 1024 = 33, nice 10 -> 110 * 100 / 1024 = 11.
WEIGHT_OF_NICE = {0: 100, 5: 33, 10: 11, 19: 1}
SHARE_TOLERANCE = 0.05        # relative, of a task's weight-ideal share
# ... or this much of a CPU, whichever is more: the floor of what a 3-s window resolves here, where
# a stall of the host (this machine is itself a VM) costs one task ~20 ms (a nice-10 hog once got
# 0.0977 of a CPU against 0.1045 ideal: 6.5%, 0.007 of a CPU).
SHARE_FLOOR = 0.01
BUSY_MIN = 0.98               # of each CPU, while more tasks are runnable than there are CPUs
PINGPONG_MIN = 0.95           # round trips under fair / under the reference (see check_pingpong)
PINGPONG_ROUNDS = 6
COST_RATIO_MAX = 2.0          # verifier work: fair / reference (both keep a wait histogram)
# tiers / fair: tiers has three queues of two kinds, and also preempts and bounds starvation,
# which fair does not; each feature costs the verifier only in the policies that use it.
TIERS_COST_RATIO_MAX = 4.0


def ideal_shares(weights, cpus):
    """Each task's share of one CPU when CPUS are shared by weight and no task gets more than one
    CPU: water-filling, since a task capped at one CPU leaves the rest to the others."""
    shares, open_tasks, capacity = {}, dict(weights), float(cpus)
    while open_tasks:
        total = sum(open_tasks.values())
        capped = {name for name, weight in open_tasks.items() if capacity * weight / total > 1}
        if not capped:
            shares.update({name: capacity * weight / total for name, weight in open_tasks.items()})
            break
        for name in capped:
            shares[name] = 1.0
            del open_tasks[name]
            capacity -= 1
    return shares


def fair_slice_ns(source):
    match = re.search(r"^\s*param\s+slice\s*=\s*(\d+)ms", source.read_text(), re.MULTILINE)
    check(match, f"{source} has no `param slice = Nms`")
    return int(match.group(1)) * 1_000_000


def expect_busy(report, label):
    busy = report["cpu_busy"]
    print(f"  {label}: CPUs busy {', '.join(f'{b:.3f}' for b in busy)}")
    check(busy and min(busy) >= BUSY_MIN,
          f"{label}: a CPU was idle more than {1 - BUSY_MIN:.0%} of the time while more tasks were runnable "
          f"than CPUs: busy {busy}")


def expect_only_on(entry, cpus, label):
    check(entry["cpus_seen"] == cpus, f"{label}: task {entry['name']} ran on CPUs {entry['cpus_seen']}, "
          f"but it may run only on {cpus}")


def check_disturbed(out_dir, slice_ns):
    report = read_json(out_dir, "disturbed.json")
    sleeper, hog0, hog5 = (task(report, name) for name in ("sleeper", "hog0", "hog5"))
    late = sleeper["lateness_ns"]
    ratio, ideal = hog0["cpu_ns"] / max(hog5["cpu_ns"], 1), WEIGHT_OF_NICE[0] / WEIGHT_OF_NICE[5]
    print(f"  disturbed: the sleeper on CPU 1 woke late by p50 {late['p50'] / 1e6:.2f} ms, p99 "
          f"{late['p99'] / 1e6:.2f} ms, max {late['max'] / 1e6:.2f} ms ({sleeper['wakeups']} wake-ups; slice "
          f"{slice_ns / 1e6:.0f} ms); nice-0 : nice-5 hogs {ratio:.3f} (weights {ideal:.3f}); the nice-19 task on "
          f"CPU 0 had {task(report, 'bg19')['cpu_share']:.3f} of it")
    check(sleeper["wakeups"] > 100, f"the sleeper woke only {sleeper['wakeups']} times")
    check(late["p99"] <= 3 * slice_ns, f"the sleeper's p99 lateness {late['p99'] / 1e6:.2f} ms is over 3 slices")
    check(late["max"] <= 100_000_000, f"the sleeper's worst lateness {late['max'] / 1e6:.2f} ms is over 100 ms")
    check(abs(ratio / ideal - 1) <= SHARE_TOLERANCE,
          f"nice-0 : nice-5 on CPU 1 is {ratio:.3f}, not {ideal:.3f} within {SHARE_TOLERANCE:.0%}")


def check_spread(out_dir, cpus):
    report = read_json(out_dir, "spread.json")
    weights = {entry["name"]: WEIGHT_OF_NICE[entry["nice"]] for entry in report["tasks"]}
    ideal = ideal_shares(weights, cpus)
    worst, outside = 0.0, []
    for entry in report["tasks"]:
        name, share = entry["name"], entry["cpu_share"]
        error = share / ideal[name] - 1
        worst = max(worst, abs(error))
        if abs(share - ideal[name]) > max(SHARE_TOLERANCE * ideal[name], SHARE_FLOOR):
            outside.append(f"{name} {share:.4f} against {ideal[name]:.4f} ({error:+.1%})")
        print(f"  spread: {name} (nice {entry['nice']}) {share:.4f} of a CPU, ideal "
              f"{ideal[name]:.4f} ({error:+.1%}), ran on CPUs {entry['cpus_seen']}")
    print(f"  spread: worst error {worst:.1%} (tolerance {SHARE_TOLERANCE:.0%} of the ideal or "
          f"{SHARE_FLOOR} of a CPU, whichever is more)")
    check(not outside, f"CPU shares off their weight-ideal shares: {'; '.join(outside)}")
    expect_busy(report, "spread")


def check_affinity(out_dir, name, fair):
    """A hog allowed only CPU 2; three hogs pinned to CPU 3; three unpinned hogs.  Under fair, CPU 3's
    own hogs come first there (they have the smaller vtimes), so CPUs 0-2 share 4 tasks: 0.75 each."""
    report = read_json(out_dir, f"{name}.json")
    print(f"  {name}: " + ", ".join(f"{entry['name']} {entry['cpu_share']:.3f} on CPUs {entry['cpus_seen']}"
                                    for entry in report["tasks"]))
    only2 = task(report, "only2")
    expect_only_on(only2, [2], name)
    for pinned in ("on3a", "on3b", "on3c"):
        expect_only_on(task(report, pinned), [3], name)
    expect_busy(report, name)
    if fair:
        for entry in report["tasks"]:
            ideal = 1 / 3 if entry["name"].startswith("on3") else 0.75
            check(abs(entry["cpu_share"] / ideal - 1) <= 2 * SHARE_TOLERANCE,
                  f"{name}: {entry['name']} got {entry['cpu_share']:.3f} of a CPU, not {ideal:.3f} within "
                  f"{2 * SHARE_TOLERANCE:.0%}")
    else:
        # fifo: everyone takes turns, and a task that only CPU 2 may take is at the head of the line
        # when CPU 2 asks about half the time (measured: 0.50); held up behind CPU 3's hogs it would
        # get nothing.
        check(only2["cpu_share"] >= 0.4, f"{name}: the task allowed only CPU 2 got {only2['cpu_share']:.3f} of it")


def check_pingpong(facts, out_dir):
    """Round trips per second are too noisy under QEMU to compare one run with another (4-s runs of
    one scheduler in one boot vary by 12 %; 1-s runs by 25 %: the host's speed drifts), so fair is
    held to two things.  What is exact: the cross-CPU interrupts per round trip, which a wasted
    wake-up raises (two threads on two CPUs need one per message; the runtime that kicked an idle
    CPU on every wake-up took four per round trip where the reference takes two).  What is
    statistical: the ratio of round trips in adjacent runs, over all rounds, must not be
    significantly below PINGPONG_MIN (its mean plus two standard errors must reach it)."""
    rounds = []
    for number in range(1, PINGPONG_ROUNDS + 1):
        row = {}
        for name in ("reference", "fair", "default"):
            label = f"pingpong.{number}.{name}"
            passes = task(read_json(out_dir, f"{label}.ring.json"), "ping")["passes"]
            check(passes > 0, f"ping-pong round {number}: no round trip under {name}")
            row[name] = (passes, int(fact(facts, f"{label}.ipis")) / passes)
        rounds.append(row)
        print(f"  pingpong round {number}: round trips in 2 s (cross-CPU interrupts per round trip): "
              + ", ".join(f"{name} {passes} ({ipis:.2f})" for name, (passes, ipis) in row.items()))
    ratios = [row["fair"][0] / row["reference"][0] for row in rounds]
    default = statistics.median(row["default"][0] / row["reference"][0] for row in rounds)
    mean, error = statistics.mean(ratios), statistics.stdev(ratios) / len(ratios) ** 0.5
    print(f"  pingpong: fair / reference: median {statistics.median(ratios):.3f}, mean {mean:.3f} +- "
          f"{error:.3f} (standard error of {len(ratios)} rounds); the kernel's default / reference: median "
          f"{default:.3f}")
    check(mean + 2 * error >= PINGPONG_MIN, f"ping-pong round trips under fair are {mean:.3f}x the "
          f"reference's (+- {error:.3f}), significantly below {PINGPONG_MIN}x")
    fair_ipis = statistics.median(row["fair"][1] for row in rounds)
    reference_ipis = statistics.median(row["reference"][1] for row in rounds)
    check(fair_ipis <= reference_ipis * 1.05 + 0.05, f"fair takes {fair_ipis:.2f} cross-CPU interrupts per "
          f"round trip, the reference {reference_ipis:.2f}: fair wakes CPUs that have nothing to do")


def check_cost(out_dir):
    totals = {}
    for policy in ("reference", "fair", "fifo", "tiers"):
        verified = scxrun_summary(out_dir, f"cost.{policy}").get("verified_insns")
        check(verified and verified.get("total"), f"scxrun reported no verifier work for {policy}")
        totals[policy] = verified["total"]
        programs = ", ".join(f"{name.split('_', 1)[1]} {count}" for name, count in verified.items() if name != "total")
        print(f"  cost: {policy}: the verifier processed {verified['total']} instructions ({programs})")
    print(f"  cost: tiers / fair {totals['tiers'] / totals['fair']:.2f}, fair / reference "
          f"{totals['fair'] / totals['reference']:.2f}")
    check(totals["tiers"] < TIERS_COST_RATIO_MAX * totals["fair"],
          f"tiers costs the verifier {TIERS_COST_RATIO_MAX}x fair or more")
    check(totals["fair"] < COST_RATIO_MAX * totals["reference"], "fair costs the verifier 2x the reference or more")


def run(runner, kernel, objects, out_dir, cpus):
    sources = {obj.name.removesuffix(".bpf.o"): source for obj, source in objects.items()}
    facts = boot(runner, kernel, f"smp{cpus}", objects, out_dir, cpus=cpus, script="smp.sh")
    check(fact(facts, "cpus") == str(cpus), f"the guest has {facts['cpus']} CPUs, not {cpus}")
    expect_active(facts, out_dir, "fair", "fair")
    expect_clean_run(facts, out_dir, "fair")
    for key, value in facts.items():
        if key.endswith(".status"):
            check(value == "0", f"{key.removesuffix('.status')} exited with {value}")
    check_disturbed(out_dir, fair_slice_ns(sources["fair"]))
    if cpus >= 4:
        expect_active(facts, out_dir, "fifo", "fifo")
        check_spread(out_dir, cpus)
        check_affinity(out_dir, "affinity", fair=True)
        check_affinity(out_dir, "fifo_affinity", fair=False)
    if cpus == 2:
        check_pingpong(facts, out_dir)
    check_cost(out_dir)
