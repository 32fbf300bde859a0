#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every row of runtime/scxc/contract.h is known to the compiler, the runtime and the loader.

Takes the every_kind program, scxc, scxrun, clang, the runtime directory and libbpf's include
directory.  every_kind writes a policy that uses every queue kind and CPU step; scxc must compile
it; the emitted C must build against the runtime with -Wswitch as an error (so the runtime's
switches handle every kind); scxrun --describe must list every queue with its kind and every stat
in the contract's layout.  Then a contract with one more queue kind must make that build fail,
naming the runtime switches still to extend: the warning that guides whoever adds a kind.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile


def run(argv, **kwargs):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120,
                          **kwargs)


def build_c(clang, c_file, runtime_dir, libbpf_include, out):
    return run([clang, "-target", "bpf", "-mcpu=v3", "-g", "-O2", "-std=gnu11", "-fwrapv",
                "-Wall", "-Wswitch", "-Werror", "-Wno-unused-function", f"-I{runtime_dir}",
                f"-I{libbpf_include}", "-c", c_file, "-o", out])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ("every-kind", "scxc", "scxrun", "clang", "runtime", "libbpf-include"):
        parser.add_argument(f"--{option}", required=True)
    args = parser.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        policy = scratch / "every.sched"
        listed = run([args.every_kind, policy])
        if listed.returncode != 0:
            sys.exit(f"every_kind failed: {listed.stderr}")
        expected = listed.stdout.splitlines()
        print(policy.read_text(), end="")

        c_file = scratch / "every.bpf.c"
        emitted = run([args.scxc, policy, "--emit=c", "-o", c_file])
        if emitted.returncode != 0:
            sys.exit(f"scxc refused the policy that uses every kind:\n{emitted.stderr}")
        built = build_c(args.clang, c_file, args.runtime, args.libbpf_include, scratch / "c.o")
        if built.returncode != 0:
            problems.append(f"the runtime does not build with every kind:\n{built.stderr}")

        obj = scratch / "every.bpf.o"
        compiled = run([args.scxc, policy, "-o", obj])
        described = run([args.scxrun, obj, "--describe"])
        if compiled.returncode != 0 or described.returncode != 0:
            problems.append(f"scxc or scxrun --describe failed:\n{compiled.stderr}{described.stderr}")
        listed_by_loader = [line for line in described.stdout.splitlines()
                            if line.startswith(("queue ", "stat "))]
        if listed_by_loader != expected:
            problems.append("scxrun --describe lists\n  " + "\n  ".join(listed_by_loader) +
                            "\nbut the contract says\n  " + "\n  ".join(expected))
        print(f"{len(expected)} queues and stats listed by scxrun as the contract says")

        # One more queue kind, or CPU step, in the contract: the runtime's switches must say where
        # it is still missing.
        for row, new_row, constant in (
                ('\tX(VTIME, "vtime", "fair by weight")', '\tX(EXTRA, "extra", "to be")',
                 "SCXC_QUEUE_EXTRA"),
                ('\tX(IDLE_ANY, "idle(any)")', '\tX(EXTRA, "extra")', "SCXC_CPU_EXTRA")):
            runtime = scratch / constant
            shutil.copytree(args.runtime, runtime)
            contract = runtime / "scxc" / "contract.h"
            text = contract.read_text()
            if row not in text:
                sys.exit(f"cannot find the row {row!r} in {contract} to add one after it")
            contract.write_text(text.replace(row, new_row + " \\\n" + row, 1))
            extended = build_c(args.clang, c_file, runtime, args.libbpf_include, scratch / "x.o")
            missing = [line for line in extended.stderr.splitlines()
                       if f"'{constant}' not handled in switch" in line]
            if extended.returncode == 0 or not missing:
                problems.append(f"a new row {constant} built without a word from -Wswitch:\n" +
                                extended.stderr)
            print(f"with {constant} added, -Wswitch names {len(missing)} place(s) to extend:")
            for line in missing:
                print("  " + line.split(str(runtime) + "/")[-1])

    for problem in problems:
        print("FAIL " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
