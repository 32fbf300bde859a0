#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""random-policies.py — the vm property test "every accepted policy loads".

Takes the scxc compiler and the scxc-vm runner; generates COUNT random valid policies with
tests/gen_policy.py (seeds SEED .. SEED+COUNT-1), compiles each to a BPF object, boots each kernel
under test once (see vmtest.py for how kernels are chosen) and there loads every object in turn with
scxrun beside a short workload (guest side: random-policies.sh).  Each policy must compile, become
the active scheduler under its own name, schedule tasks, and unload cleanly to `disabled`.  A
failure names the policy's seed (`gen_policy.py --seed S --count 1 --out DIR` writes it again) and
shows the tail of what scxrun said, the verifier's log included.  With --golden DIR, every X.sched
there (the golden policies, among them the regressions this test found) loads in the same boot too.  The seed is $SCXC_RANDOM_SEED or
--seed, else drawn at random and printed, so that every run tries new policies.
"""

import argparse
import concurrent.futures
import os
import pathlib
import random
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import gen_policy  # noqa: E402  (tests/gen_policy.py)
import harness  # noqa: E402  (the vm suite's helpers)
from harness import Failure, check, fact, messages  # noqa: E402

TAIL_LINES = 40


def tail(text, lines=TAIL_LINES):
    kept = text.strip().splitlines()[-lines:]
    return "\n".join("    " + line for line in kept)


def generate(seed, count, out_dir):
    """Writes the policies of seeds SEED .. SEED+COUNT-1; returns {seed: source path}."""
    sources = {}
    for policy_seed in range(seed, seed + count):
        text, module = gen_policy.generate(policy_seed)
        source = out_dir / f"r{policy_seed}.sched"
        source.write_text(text)
        if module:
            (out_dir / f"r{policy_seed}_mod.sched").write_text(module)
        sources[policy_seed] = source
    return sources


def compile_all(scxc, sources, jobs):
    """Compiles every policy; returns ({seed: object}, [failure messages])."""
    def build(item):
        policy_seed, source = item
        obj = source.with_suffix(".bpf.o")
        result = subprocess.run([scxc, str(source), "-o", str(obj)], capture_output=True, text=True)
        return policy_seed, obj, result

    objects, failures = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for policy_seed, obj, result in pool.map(build, sorted(sources.items())):
            if result.returncode == 0:
                objects[policy_seed] = obj
            else:
                failures.append(f"seed {policy_seed}: scxc rejected the generated policy "
                                f"(exit {result.returncode}):\n{tail(result.stderr)}\n"
                                f"  the policy:\n{tail(sources[policy_seed].read_text(), 200)}")
    return objects, failures


def compile_golden(scxc, directory, out_dir):
    """Compiles the golden policies; returns {label: (object, policy name)}."""
    objects = harness.compile_objects(scxc, sorted(pathlib.Path(directory).glob("*.sched")), out_dir)
    return {f"golden-{obj.name.removesuffix('.bpf.o')}": (obj, harness.policy_name(source))
            for obj, source in objects.items()}


def check_policy(facts, out_dir, stem, policy):
    """Raises Failure unless policy STEM loaded, ran and unloaded."""
    check(fact(facts, f"{stem}.state_before") == "disabled", "sched_ext was not disabled before it")
    if fact(facts, f"{stem}.state") != "enabled":
        raise Failure(f"it did not load (sched_ext is '{facts[stem + '.state']}'); scxrun said:\n"
                      f"{tail(messages(out_dir, stem))}")
    harness.expect_active(facts, out_dir, stem, policy)
    check(fact(facts, f"{stem}.workload.status") == "0", "the workload failed under it")
    harness.expect_clean_run(facts, out_dir, stem)
    stats = harness.scxrun_summary(out_dir, stem)["stats"]
    check(stats and sum(stats.values()) > 0, f"it counted nothing under the workload: {stats}")


def run_kernel(runner, kernel, loads, out_dir):
    """Boots KERNEL once and loads each of LOADS ({what: (object, policy name)}, the object's stem
    the label of its output); returns the failure messages."""
    listing = out_dir.parent / "random-policies.list"
    listing.write_text("".join(f"{obj.name.removesuffix('.bpf.o')} {policy}\n" for obj, policy in loads.values()))
    facts = harness.boot(runner, kernel, "random-policies", [obj for obj, _ in loads.values()] + [listing], out_dir)
    failures = []
    for what, (obj, policy) in loads.items():
        try:
            check_policy(facts, out_dir, obj.name.removesuffix(".bpf.o"), policy)
        except Failure as failure:
            failures.append(f"{what} on {harness.kernel_label(kernel)}: {failure}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scxc", required=True)
    parser.add_argument("--runner", required=True, help="scxc-vm")
    parser.add_argument("--count", type=int, default=100, help="policies per run (default 100)")
    parser.add_argument("--seed", type=int, default=None,
                        help="the first policy's seed (default: $SCXC_RANDOM_SEED, else random)")
    parser.add_argument("--golden", metavar="DIR", help="also load every X.sched in DIR")
    parser.add_argument("--keep", metavar="DIR", help="write the policies, objects and guest output here")
    args = parser.parse_args()
    seed = args.seed
    if seed is None:
        seed = int(os.environ.get("SCXC_RANDOM_SEED") or random.randrange(1, 1_000_000_000))
    in_ci = os.environ.get("CI", "").lower() == "true"

    kernels = harness.kernels_under_test()
    for kernel in kernels:
        ready = subprocess.run([args.runner, *harness.kernel_args(kernel), "--check"], capture_output=True, text=True)
        if ready.returncode != 0:
            problem = (ready.stderr or ready.stdout).strip()
            if in_ci:
                print(f"FAIL: the vm suite cannot run in CI: {problem}")
                return 1
            print(f"SKIP: {problem}")
            return harness.SKIP

    print(f"random-policies: seeds {seed} .. {seed + args.count - 1} "
          f"(again: SCXC_RANDOM_SEED={seed}; one policy: tests/gen_policy.py --seed S --count 1 --out DIR)",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="scxc-vmtest-random-") as scratch:
        work = pathlib.Path(args.keep or scratch)
        policies = work / "policies"
        policies.mkdir(parents=True, exist_ok=True)
        objects, failures = compile_all(args.scxc, generate(seed, args.count, policies), os.cpu_count() or 1)
        print(f"random-policies: {len(objects)} of {args.count} policies compiled", flush=True)
        loads = {f"seed {policy_seed}": (obj, f"r{policy_seed}") for policy_seed, obj in objects.items()}
        if args.golden:
            golden = work / "golden"
            golden.mkdir(exist_ok=True)
            try:
                loads = {**compile_golden(args.scxc, args.golden, golden), **loads}
            except Failure as failure:
                failures.append(str(failure))
        loaded = 0
        for index, kernel in enumerate(kernels):
            print(f"== random-policies on {harness.kernel_label(kernel)}", flush=True)
            try:
                kernel_failures = run_kernel(args.runner, kernel, loads, work / f"out{index}")
            except Failure as failure:
                kernel_failures = [f"on {harness.kernel_label(kernel)}: {failure}"]
            loaded += len(loads) - len(kernel_failures)
            failures += kernel_failures
            print(f"{'FAIL' if kernel_failures else 'PASS'}: {len(loads) - len(kernel_failures)} of "
                  f"{len(loads)} policies loaded, ran and unloaded on {harness.kernel_label(kernel)}",
                  flush=True)
    for failure in failures:
        print(f"FAIL: {failure}")
    print(f"random-policies: {loaded} policy loads passed, {len(failures)} failures (first seed {seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
