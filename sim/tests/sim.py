#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scxsim's tests, none of which needs a VM (the `sim` suite).

  shares DIR        fair gives CPU hogs their weight-ideal shares; fifo gives them equal turns
  determinism DIR   one seed gives byte-identical output; another seed, other random phases
  affinity DIR      a pinned task stays on its CPU, and fair still shares by weight around it
  preempt DIR       edf's preempting class runs at once on wake-up, where fair waits for a tick
  stall DIR         a starved task ends the run with the kernel's "runnable task stall"
  kfuncs DIR        scxsim defines every kfunc the runtime declares (but the 6.12 names)
  diag DIR          each DIR/diag/X.workload fails with exactly DIR/diag/X.err (--update rewrites)
  bench DIR         simulated events per second (a benchmark: it prints, it does not judge)

DIR is sim/tests; the examples are found beside it (../../examples).  A share is off when it is
5 % of its ideal or 0.01 of a CPU away from it, whichever is more (the vm tier's rule).
"""
import argparse
import difflib
import json
import pathlib
import re
import subprocess
import sys


def scxsim(args, policy, workload, *options, cwd=None):
    return subprocess.run([args.scxsim, str(policy), str(workload), *options], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def share_ok(share, ideal):
    return abs(share - ideal) <= max(0.05 * ideal, 0.01)


def run_json(args, policy, workload, *options):
    done = scxsim(args, policy, workload, "--json", *options)
    if done.returncode != 0:
        sys.exit(f"FAIL scxsim {policy.name} {workload.name}: exit {done.returncode}\n{done.stderr}")
    return json.loads(done.stdout)


def print_tasks(report):
    print(f"  {report['policy']} on {report['workload']}: {report['cpus']} CPUs, "
          f"{report['simulated_ns'] / 1e9:.1f}s, fairness {report['fairness']:.4f}")
    for task in report["tasks"]:
        print(f"    {task['comm']:<8} nice {task['nice']:>3} weight {task['weight']:>4}: "
              f"share {task['share']:.4f} CPUs, ideal {task['ideal']:.4f}")


def test_shares(args, root, examples):
    failures = 0
    report = run_json(args, examples / "fair.sched", root / "nice-hogs.workload")
    print_tasks(report)
    for task in report["tasks"]:
        if not share_ok(task["share"], task["ideal"]):
            print(f"FAIL fair: {task['comm']} has {task['share']:.4f} CPUs, ideal {task['ideal']:.4f}")
            failures += 1
    if report["fairness"] < 0.99:
        print(f"FAIL fair: Jain's index {report['fairness']:.4f} < 0.99")
        failures += 1
    # fifo ignores weights: every hog takes turns, whatever its nice level.
    report = run_json(args, examples / "fifo.sched", root / "nice-hogs.workload")
    print_tasks(report)
    even = report["cpus"] / len(report["tasks"])
    for task in report["tasks"]:
        if not share_ok(task["share"], even):
            print(f"FAIL fifo: {task['comm']} has {task['share']:.4f} CPUs, not {even:.4f}")
            failures += 1
    return failures


def test_determinism(args, root, examples):
    failures = 0
    runs = {}
    for seed in ("7", "7", "8"):
        for form in ((), ("--json",)):
            done = scxsim(args, examples / "fair.sched", root / "random.workload", "--seed", seed,
                          *form)
            if done.returncode != 0:
                print(f"FAIL seed {seed}: exit {done.returncode}\n{done.stderr}")
                return 1
            runs.setdefault((seed, form), []).append(done.stdout)
    for (seed, form), outputs in runs.items():
        if len(set(outputs)) != 1:
            print(f"FAIL seed {seed} {' '.join(form)}: two runs differ")
            failures += 1
    if runs[("7", ())][0] == runs[("8", ())][0]:
        print("FAIL seeds 7 and 8 gave the same run: the random phases ignore the seed")
        failures += 1
    print(f"  seed 7: {len(runs[('7', ())])} identical runs of {len(runs[('7', ())][0])} bytes "
          f"(text) and {len(runs[('7', ('--json',))][0])} (json); seed 8 differs")
    return failures


def test_affinity(args, root, examples):
    failures = 0
    report = run_json(args, examples / "fair.sched", root / "pinned.workload")
    print_tasks(report)
    for task in report["tasks"]:
        print(f"    {task['comm']:<8} migrations {task['migrations']}")
        if not share_ok(task["share"], 2 / 3):
            print(f"FAIL {task['comm']}: {task['share']:.4f} CPUs, not 2/3")
            failures += 1
    if report["tasks"][0]["migrations"]:
        print("FAIL the pinned task migrated")
        failures += 1
    return failures


def test_preempt(args, root, examples):
    failures = 0
    lateness = {}
    for policy in ("edf", "fair"):
        report = run_json(args, examples / f"{policy}.sched", root / "audio.workload")
        task = next(t for t in report["tasks"] if t["comm"] == "rt_audio")
        lateness[policy] = task["lateness_ns"]
        print(f"  {policy}: rt_audio woke {task['wakeups']} times, lateness p50 "
              f"{task['lateness_ns']['p50'] / 1e6:.3f} ms, max {task['lateness_ns']['max'] / 1e6:.3f} ms; "
              f"share {task['share']:.4f} CPUs of ideal {task['ideal']:.4f}")
        if policy == "edf":
            stats = report["stats"]
            print(f"  edf stats: met {stats['class.timely.met']}, missed "
                  f"{stats['class.timely.missed']}, preempts {stats['class.timely.preempts']}")
            if stats["class.timely.missed"] or not stats["class.timely.preempts"] or \
                    task["lateness_ns"]["max"] >= 1000000 or not share_ok(task["share"], 0.2):
                print("FAIL edf: rt_audio should preempt at once (lateness < 1 ms), miss no "
                      "deadline and get its 0.2 CPU")
                failures += 1
    # Without preemption it waits for a hog's slice to end, noticed at a tick (4 ms).
    if lateness["fair"]["p50"] < 1000000:
        print("FAIL fair: rt_audio's p50 lateness is under 1 ms without preemption")
        failures += 1
    return failures


def test_stall(args, root, examples):
    done = scxsim(args, root / "starve.sched", root / "stall.workload")
    print(done.stdout.splitlines()[1] if done.stdout.count("\n") > 1 else done.stdout)
    want = "runnable task stall (lo[1001] failed to run for 45.000s)"
    if done.returncode != 3 or want not in done.stdout or want not in done.stderr:
        print(f"FAIL stall: exit {done.returncode} (want 3), want '{want}'\n{done.stdout}"
              f"{done.stderr}")
        return 1
    return 0


def test_diag(args, root, examples):
    failures = 0
    cases = sorted((root / "diag").glob("*.workload"))
    for case in cases:
        done = scxsim(args, examples / "fifo.sched", case.name, cwd=case.parent)
        expected = case.with_suffix(".err")
        if args.update:
            expected.write_text(done.stderr)
            continue
        if done.returncode != 1:
            print(f"FAIL {case.name}: exit {done.returncode}, want 1")
            failures += 1
        if not expected.exists() or expected.read_text() != done.stderr:
            print(f"FAIL {case.name}: the errors differ from {expected.name}")
            old = expected.read_text() if expected.exists() else ""
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True),
                                                       done.stderr.splitlines(True),
                                                       expected.name, "scxsim"))
            failures += 1
    print(f"  {len(cases)} bad workload files")
    return failures


# The 6.12 names the runtime falls back to when the newer kfuncs are missing (compat.bpf.h): left
# undefined, so that its weak references stay NULL and it calls the new names.
OLD_KFUNCS = {"scx_bpf_dispatch", "scx_bpf_dispatch_vtime", "scx_bpf_consume"}


def test_kfuncs(args, root, examples):
    runtime = root.parent.parent / "runtime" / "scxc"
    text = "".join(path.read_text() for path in sorted(runtime.glob("*.h")))
    declared = set(re.findall(r"extern\s+[^;{}]*?\b(\w+)\s*\([^;{}]*\)\s*__ksym\b", text))
    nm = subprocess.run(["nm", "-D", "--defined-only", args.scxsim], capture_output=True,
                        text=True, check=True)
    defined = {line.split()[-1] for line in nm.stdout.splitlines()}
    missing = sorted(declared - defined - OLD_KFUNCS)
    print(f"  the runtime declares {len(declared)} kfuncs; scxsim defines "
          f"{len(declared & defined)}, leaves {len(OLD_KFUNCS & declared)} old names undefined")
    for kfunc in missing:
        print(f"FAIL {kfunc}: declared by the runtime, not modelled in sim/core/kfuncs.c")
    stray = sorted(OLD_KFUNCS & defined)
    for kfunc in stray:
        print(f"FAIL {kfunc}: an old name scxsim must leave undefined")
    return len(missing) + len(stray)


def test_bench(args, root, examples):
    for policy in ("fifo", "fair"):
        done = scxsim(args, examples / f"{policy}.sched", root / "bench.workload", "--bench")
        print(f"  {policy}: {done.stderr.strip()}")
        if done.returncode != 0:
            return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scxsim", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("test", choices=["shares", "determinism", "affinity", "preempt", "stall", "kfuncs", "diag", "bench"])
    parser.add_argument("dir", type=pathlib.Path)
    args = parser.parse_args()
    args.scxsim = str(pathlib.Path(args.scxsim).resolve())
    root = args.dir.resolve()
    examples = root.parent.parent / "examples"
    failures = globals()[f"test_{args.test}"](args, root, examples)
    print(f"{args.test}: {'FAIL' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
