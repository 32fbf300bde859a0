#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""vmtest.py — the host side of the vm test suite: schedulers on a real sched_ext kernel under QEMU.

Takes a test name, the scxc compiler and the scxc-vm runner; compiles the example policies (and the
suite's own stall.sched) into BPF objects, boots each kernel under test once with the test's guest
script (NAME.sh beside this file, using lib.sh), and checks the facts the guest recorded and the
JSON that scxrun and the workload program left.  Kernels, the first that is set: $SCXC_VM_KERNELS
(paths separated by ':', each a vmlinuz, a linux-binary .deb, or a directory whose linux-binary-*.deb
are all used), $SCXC_KERNEL_DEBS (such a directory) together with the older kernel that
`scxc-fetch-kernel --older` keeps in the cache, $SCXC_KERNEL (one), else every kernel in the kernel
cache that scxc-fetch-kernel fills.  Without QEMU or a kernel the test is skipped (exit 77),
except under CI=true, where that is a failure.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

from harness import (HERE, SKIP, Failure, Planted, Variant, boot, check, compile_objects, expect_active, expect_clean_run,
                     fact, kernel_args, kernel_label, kernels_under_test, messages, policy_name, read_json,
                     scxrun_summary, task)
import membership
import cpusets
import smp
import timing
import topology

# --- The tests; each takes the compiled objects, boots once, and raises Failure --------------------

def test_examples(runner, kernel, objects, out_dir):
    examples = {obj.name.removesuffix(".bpf.o"): policy_name(source) for obj, source in objects.items()}
    listing = out_dir.parent / "examples.list"
    listing.write_text("".join(f"{stem} {policy}\n" for stem, policy in examples.items()))
    facts = boot(runner, kernel, "examples", [*objects, listing], out_dir)
    for stem, policy in examples.items():
        check(fact(facts, f"{stem}.state_before") == "disabled", f"sched_ext was not disabled before {stem}")
        check(fact(facts, f"{stem}.state") == "enabled",
              f"{stem} did not become enabled; scxrun said:\n{messages(out_dir, stem)}")
        expect_active(facts, out_dir, stem, policy)
        check(fact(facts, f"{stem}.workload.status") == "0", f"the workload failed under {stem}")
        expect_clean_run(facts, out_dir, stem)
        stats = scxrun_summary(out_dir, stem)["stats"]
        check(stats and sum(stats.values()) > 0, f"{stem} counted nothing under the workload: {stats}")
        # Queued or sent straight to an idle CPU: either way the policy scheduled a task.  (Under
        # partial.sched only ext_nap is the policy's, and on 6.16, whose sched_ext class has no
        # share of its own below CFS, the ordinary hogs leave it a few wake-ups: 2 were seen.)
        scheduled = {name: value for name, value in stats.items() if name.endswith((".enqueued", ".direct"))}
        check(any(scheduled.values()), f"{stem} scheduled no task: {stats}")
        print(f"  {stem}: '{policy}' was active; stats {stats}")


def test_fair_share(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "fair", objects, out_dir)
    expect_active(facts, out_dir, "fair", "fair")
    check(fact(facts, "shares.status") == "0", "the workload failed")
    expect_clean_run(facts, out_dir, "fair")
    report = read_json(out_dir, "shares.json")
    nice0, nice5 = task(report, "hog0")["cpu_ns"], task(report, "hog5")["cpu_ns"]
    check(nice5 > 0, "the nice-5 hog got no CPU at all")
    ratio, ideal = nice0 / nice5, 100 / 33  # sched_ext weights: nice 0 -> 100, nice 5 -> 33
    print(f"  fair: nice-0 hog {nice0 / 1e6:.0f} ms, nice-5 hog {nice5 / 1e6:.0f} ms of CPU: ratio {ratio:.3f} "
          f"(weights give {ideal:.3f})")
    check(abs(ratio / ideal - 1) <= 0.10,
          f"CPU-time ratio nice-0 : nice-5 is {ratio:.3f}, not the weights' {ideal:.3f} within 10%")


def test_tiers(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "tiers", objects, out_dir)
    expect_active(facts, out_dir, "tiers", "tiers")
    for phase in ("alone", "contended", "sleeping", "pinned"):
        check(fact(facts, f"{phase}.status") == "0", f"the workload of phase '{phase}' failed")
    expect_clean_run(facts, out_dir, "tiers")
    alone = task(read_json(out_dir, "alone.json"), "hi_hog")["cpu_share"]
    contended = read_json(out_dir, "contended.json")
    hi, lo = task(contended, "hi_hog")["cpu_share"], task(contended, "lo_hog")["cpu_share"]
    sleeping = read_json(out_dir, "sleeping.json")
    nap, lo_fill = task(sleeping, "hi_nap")["cpu_share"], task(sleeping, "lo_hog")["cpu_share"]
    pinned = read_json(out_dir, "pinned.json")
    hi_c, lo_pin = task(pinned, "hi_c")["cpu_share"], task(pinned, "lo_pin")["cpu_share"]
    print(f"  tiers: high hog alone {alone:.3f} of the CPU; beside a low hog {hi:.3f} (low: {lo:.3f}); "
          f"a napping high task {nap:.3f}, the low hog then {lo_fill:.3f}; with high work waiting "
          f"for the other CPU, the high hog {hi_c:.3f} and the low hog {lo_pin:.3f}")
    check(hi >= 0.9 * alone, f"the low-tier hog slowed the high-tier hog: {hi:.3f} of the CPU against {alone:.3f} alone")
    check(lo <= 0.05, f"the low-tier hog got {lo:.3f} of the CPU while the high tier was busy")
    check(lo_fill >= 0.2, f"the low-tier hog got only {lo_fill:.3f} of the CPU while the high tier slept")
    # It wants half the CPU; it preempts the low hog when it wakes.
    check(nap >= 0.05, f"the napping high-tier task got only {nap:.3f} of the CPU")
    # High-tier work that only the other CPU may run must not hand this CPU to the low tier.
    check(lo_pin <= 0.05, f"the low-tier hog got {lo_pin:.3f} of CPU 0 beside a high-tier hog, "
          "while the high queue held only tasks pinned to CPU 1")
    check(hi_c >= 0.9 * alone, f"the high-tier hog on CPU 0 got {hi_c:.3f} of it, against {alone:.3f} alone")


def test_errors(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "errors", objects, out_dir)
    expect_active(facts, out_dir, "first", "fair")
    second = (out_dir / "second.err").read_text()
    check(fact(facts, "second.status") != "0", "a second scheduler loaded while fair was active")
    check("active" in second and "fair" in second,
          f"the second scheduler's refusal does not say that 'fair' is already active:\n{second}")
    check(fact(facts, "second.ops_after") == "fair", "the refused second scheduler disturbed the active one")
    expect_clean_run(facts, out_dir, "first")  # stopped by SIGTERM
    check(scxrun_summary(out_dir, "first")["ended"] == "stopped by SIGTERM", "scxrun did not report the SIGTERM")

    refused = (out_dir / "range.err").read_text()
    check(fact(facts, "range.status") != "0", "--set slice=1s (range 100us .. 100ms) was accepted")
    check("out of range" in refused, f"the refusal of slice=1s does not say 'out of range':\n{refused}")
    check(fact(facts, "range.enable_seq_after") == fact(facts, "range.enable_seq_before"),
          "a scheduler was enabled although its --set value was out of range")
    check(fact(facts, "range.state_after") == "disabled", "sched_ext is not disabled after the refused load")

    check(fact(facts, "killed.state") == "enabled",
          f"fair did not become enabled before the SIGKILL; scxrun said:\n{messages(out_dir, 'killed')}")
    check(fact(facts, "killed.state_after") == "disabled",
          f"after SIGKILL of scxrun sched_ext is '{facts.get('killed.state_after')}', not 'disabled'")
    expect_active(facts, out_dir, "again", "fair")  # loads again after the SIGKILL
    expect_clean_run(facts, out_dir, "again")

    # tiers.sched with a store through a number planted at line 34 (`slice = slice * 2;`).
    refused = (out_dir / "refused.err").read_text()
    print(f"  refused: scxrun said:\n{refused}")
    check(fact(facts, "refused.status") != "0", "a program with a planted invalid store was loaded")
    check(fact(facts, "refused.state") == "disabled", "sched_ext is not disabled after the verifier's refusal")
    check("The verifier rejected program" in refused, f"scxrun does not say that the verifier rejected a program:\n{refused}")
    check("the verifier refused code from tiers.sched:34: `slice = slice * 2;`" in refused,
          f"scxrun does not name the policy line of the refused code (tiers.sched:34):\n{refused}")


def test_stall(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "stall", objects, out_dir)
    expect_active(facts, out_dir, "stall", "stall")
    said = messages(out_dir, "stall")
    status = fact(facts, "stall.status")
    print(f"  stall: scxrun exited with {status}; it said: {said}")
    check(status != "0", "scxrun exited 0 although the kernel threw its scheduler out")
    check("runnable task stall" in said, f"scxrun did not report 'runnable task stall':\n{said}")
    summary = scxrun_summary(out_dir, "stall")
    check(summary["exit"]["kind"] == 1026, f"the exit kind is {summary['exit']}, not 1026 (ERROR_STALL)")
    check(fact(facts, "stall.state_after") == "disabled", "sched_ext is not disabled after the stall")


# The hand-written reference scheduler's object (--reference), in a test's list of policies.
REFERENCE = "reference"

# name: (check, the policies it compiles: example file names, "*" for all examples, the suite's
# own, or REFERENCE)
TESTS = {
    "examples": (test_examples, ["*"]),
    "fair-share": (test_fair_share, ["fair.sched"]),
    "tiers": (test_tiers, ["tiers.sched"]),
    "errors": (test_errors, ["fair.sched", "fifo.sched", Planted("tiers.sched", 34, "refused")]),
    "stall": (test_stall, [HERE / "stall.sched"]),
    "smp2": (lambda *args: smp.run(*args, cpus=2), ["fair.sched", "fifo.sched", "tiers.sched", REFERENCE]),
    "smp4": (lambda *args: smp.run(*args, cpus=4), ["fair.sched", "fifo.sched", "tiers.sched", REFERENCE]),
    "time": (timing.run, timing.POLICIES),
    "membership": (membership.run, membership.POLICIES),
    "cpusets": (cpusets.run, cpusets.POLICIES),
    "topology": (topology.run, topology.policies(HERE)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scxc", required=True)
    parser.add_argument("--runner", required=True, help="scxc-vm")
    parser.add_argument("--clang", required=True, help="the clang scxc uses (faulty-clang runs it)")
    parser.add_argument("--examples", required=True, help="the directory of the example policies")
    parser.add_argument("--reference", help="the reference scheduler's object (tests/reference)")
    parser.add_argument("test", choices=sorted(TESTS))
    args = parser.parse_args()
    run, sources = TESTS[args.test]
    in_ci = os.environ.get("CI", "").lower() == "true"

    kernels = kernels_under_test()
    for kernel in kernels:
        ready = subprocess.run([args.runner, *kernel_args(kernel), "--check"], capture_output=True, text=True)
        if ready.returncode != 0:
            problem = (ready.stderr or ready.stdout).strip()
            if in_ci:
                print(f"FAIL: the vm suite cannot run in CI: {problem}")
                return 1
            print(f"SKIP: {problem}")
            return SKIP

    failures = []
    with tempfile.TemporaryDirectory(prefix=f"scxc-vmtest-{args.test}-") as tmp:
        tmp = pathlib.Path(tmp)
        try:
            examples = pathlib.Path(args.examples)
            paths = []
            for name in sources:
                if isinstance(name, pathlib.Path):
                    paths.append(name)
                elif name == REFERENCE:
                    check(args.reference, f"{args.test} needs --reference")
                    paths.append(pathlib.Path(args.reference))
                elif isinstance(name, Planted):
                    paths.append(Planted(examples / name.source, name.line, name.stem))
                elif isinstance(name, Variant):
                    paths.append(Variant(examples / name.source, name.stem, name.old, name.new))
                else:
                    paths += sorted(examples.glob("*.sched")) if name == "*" else [examples / name]
            objects = compile_objects(args.scxc, paths, tmp, args.clang)
        except Failure as failure:
            print(f"FAIL: {failure}")
            return 1
        for index, kernel in enumerate(kernels):
            out_dir = tmp / f"out{index}"
            print(f"== {args.test} on {kernel_label(kernel)}", flush=True)
            try:
                run(args.runner, kernel, objects, out_dir)
                print(f"PASS: {args.test} on {kernel_label(kernel)}", flush=True)
            except Failure as failure:
                failures.append(f"FAIL: {args.test} on {kernel_label(kernel)}: {failure}")
                print(failures[-1], flush=True)
    # Again at the end, where a log cut to its last lines (meson's, CI's) still shows them.
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
