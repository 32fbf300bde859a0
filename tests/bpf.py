#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The bpf tier: every policy compiles with clang into a BPF object that libbpf can load.

For each X.sched in the given directories: `scxc X.sched -o X.bpf.o --skeleton X.skel.h`, then
check the object is BPF ELF with BTF (and BTF.ext line info), a struct_ops section for the ops,
and the `.scxc` self-description naming the policy; and that the skeleton declares it.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import elf  # noqa: E402


def check(scxc, policy, scratch):
    obj = scratch / (policy.stem + ".bpf.o")
    skeleton = scratch / (policy.stem + ".skel.h")
    result = subprocess.run([scxc, str(policy), "-o", str(obj), "--skeleton", str(skeleton)],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return f"scxc exited {result.returncode}:\n{result.stderr}"
    machine, found = elf.sections(obj.read_bytes())
    if machine != elf.EM_BPF:
        return f"ELF machine is {machine}, not BPF ({elf.EM_BPF})"
    for name in (".BTF", ".BTF.ext", ".struct_ops", ".scxc"):
        if name not in found:
            return f"no {name} section (sections: {', '.join(sorted(found))})"
    description = found[".scxc"].rstrip(b"\0").decode().splitlines()
    if description[:1] != ["scxc 2"]:
        return f".scxc does not start with 'scxc 2': {description[:1]}"
    names = [line.split()[1] for line in description if line.startswith("policy ")]
    if len(names) != 1:
        return "the description has no single 'policy' line"
    text = skeleton.read_text()
    if f"struct {names[0]} {{" not in text or f"{names[0]}__open" not in text:
        return f"the skeleton does not declare struct {names[0]}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scxc", required=True)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    policies = [p for d in args.dirs for p in sorted(pathlib.Path(d).glob("*.sched"))]
    if not policies:
        print("FAIL: no policies found")
        sys.exit(1)
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for policy in policies:
            problem = check(args.scxc, policy, pathlib.Path(scratch))
            print(f"{'FAIL' if problem else 'ok  '} {policy}" + (f": {problem}" if problem else ""))
            failed += problem is not None
    print(f"{len(policies) - failed}/{len(policies)} policies built into BPF objects with skeletons")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
