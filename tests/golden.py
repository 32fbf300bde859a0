#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Golden-file checks for scxc: compare what scxc prints with the files stored beside each policy.

  golden DIR        X.sched  ->  X.ir (--emit=ir) and X.bpf.c (--emit=c)
  diag DIR          Y.sched  ->  Y.err (the rendered diagnostics; scxc must exit 1)
  determinism DIR…  every X.sched compiles twice to the same C and the same object bytes

With --update the expected files are rewritten instead; review them with `git diff`.
scxc runs inside the policy's directory so file names in its output are relative.
"""
import argparse
import difflib
import pathlib
import subprocess
import sys
import tempfile


def run_scxc(scxc, policy, *args):
    return subprocess.run([scxc, policy.name, "--color=never", *args], cwd=policy.parent,
                          capture_output=True, text=True, timeout=120)


def compare(expected_path, actual, update):
    if update:
        if not expected_path.exists() or expected_path.read_text() != actual:
            expected_path.write_text(actual)
            print(f"updated {expected_path}")
        return True
    if not expected_path.exists():
        print(f"FAIL {expected_path}: missing (run `meson compile -C BUILD update-golden`, then review)")
        return False
    expected = expected_path.read_text()
    if expected == actual:
        return True
    print(f"FAIL {expected_path}: output differs")
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               str(expected_path), "scxc output"))
    return False


def policies(directory):
    found = sorted(pathlib.Path(directory).glob("*.sched"))
    if not found:
        print(f"FAIL {directory}: no .sched files (an empty suite proves nothing)")
    return found


def check_golden(scxc, directory, update):
    ok = bool(policies(directory))
    for policy in policies(directory):
        for kind, suffix in (("ir", ".ir"), ("c", ".bpf.c")):
            result = run_scxc(scxc, policy, f"--emit={kind}")
            if result.returncode != 0:
                print(f"FAIL {policy}: scxc --emit={kind} exited {result.returncode}\n{result.stderr}")
                ok = False
                continue
            ok &= compare(policy.with_suffix(suffix), result.stdout, update)
    return ok


def case_args(policy):
    """The extra scxc arguments a case asks for on a first line `# args: -Werror=unused-param`."""
    first = policy.read_text().splitlines()[0] if policy.read_text() else ""
    return first[len("# args:"):].split() if first.startswith("# args:") else []


def check_diag(scxc, directory, update):
    """Y.sched must give exactly Y.err: exit 1 with an error, or for warn-*.sched exit 0 with only
    warnings (the policy compiles; the warnings say what it cannot do)."""
    ok = bool(policies(directory))
    for policy in policies(directory):
        result = run_scxc(scxc, policy, "--emit=c", "-o", "/dev/null", *case_args(policy))
        warns_only = policy.name.startswith("warn-")
        if warns_only and (result.returncode != 0 or "warning:" not in result.stderr
                           or "error:" in result.stderr):
            print(f"FAIL {policy}: expected exit 0 with warnings only, got {result.returncode}:\n"
                  f"{result.stderr}")
            ok = False
            continue
        if not warns_only and (result.returncode != 1 or "error:" not in result.stderr):
            print(f"FAIL {policy}: expected exit 1 with an error, got {result.returncode}:\n"
                  f"{result.stderr}")
            ok = False
            continue
        ok &= compare(policy.with_suffix(".err"), result.stderr, update)
    return ok


def check_determinism(scxc, directories):
    ok = True
    found = [p for d in directories for p in policies(d)]
    with tempfile.TemporaryDirectory() as scratch:
        for policy in found:
            outputs = []
            for attempt in range(2):
                c = run_scxc(scxc, policy, "--emit=c")
                obj = pathlib.Path(scratch) / f"{attempt}.bpf.o"
                build = run_scxc(scxc, policy, "-o", str(obj))
                if c.returncode or build.returncode:
                    print(f"FAIL {policy}: scxc failed\n{c.stderr}{build.stderr}")
                    return False
                outputs.append((c.stdout, obj.read_bytes()))
            if outputs[0][0] != outputs[1][0]:
                print(f"FAIL {policy}: emitted C differs between two runs")
                ok = False
            if outputs[0][1] != outputs[1][1]:
                print(f"FAIL {policy}: object bytes differ between two runs")
                ok = False
    print(f"{len(found)} policies compiled twice: {'identical' if ok else 'DIFFERENT'}")
    return ok and bool(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scxc", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("mode", choices=["golden", "diag", "determinism", "golden-and-diag"])
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    scxc = str(pathlib.Path(args.scxc).resolve())
    if args.mode == "golden":
        ok = check_golden(scxc, args.dirs[0], args.update)
    elif args.mode == "diag":
        ok = check_diag(scxc, args.dirs[0], args.update)
    elif args.mode == "determinism":
        ok = check_determinism(scxc, args.dirs)
    else:
        ok = check_golden(scxc, args.dirs[0], args.update)
        ok = check_diag(scxc, args.dirs[1], args.update) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
