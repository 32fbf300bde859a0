#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scxc's own command-line errors: each exits with its documented status and says what is wrong;
and `scxc -`, which reads the policy from standard input and calls it <stdin>.

Exit statuses: 2 usage (bad option, missing or unreadable file), 3 toolchain (a tool that cannot run).
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

CASES = [
    # (arguments, expected status, text the message must contain)
    ([], 2, "no policy file given"),
    (["--emit=xx", "{fair}"], 2, "unknown --emit kind 'xx' (tokens, ast, ir or c)"),
    (["--error-format=xml", "{fair}"], 2, "unknown --error-format 'xml' (text or json)"),
    (["--color=sometimes", "{fair}"], 2, "unknown --color 'sometimes'"),
    (["--frobnicate", "{fair}"], 2, "unknown option '--frobnicate'"),
    (["{fair}", "{fair}"], 2, "only one policy file at a time"),
    (["{fair}", "--exe"], 2, "--exe needs -o to name the binary"),
    (["{fair}", "--emit=ir", "--skeleton", "x.skel.h"], 2, "cannot be combined"),
    (["-o"], 2, "-o needs a file name"),
    (["{fair}", "--emit"], 2, "--emit needs a value (tokens, ast, ir or c)"),
    (["{fair}", "-Wunused-parm"], 2, "unknown warning 'unused-parm' in '-Wunused-parm'; did you mean "
     "'unused-param'?"),
    (["{fair}", "-Werror=bogus"], 2, "unknown warning 'bogus' in '-Werror=bogus' (the warnings are "
     "never-matches, useless-weight, glob-equals, unused-param, may-starve, useless-preempt, no-cpus and idle-after-any)"),
    (["{scratch}/nosuch.sched"], 2, "cannot read '{scratch}/nosuch.sched': No such file or directory"),
    (["{fair}", "--clang", "/no/clang", "-o", "{scratch}/x.bpf.o"], 3, "cannot run '/no/clang'"),
    (["{fair}", "--bpftool", "/no/bpftool", "-o", "{scratch}/x.bpf.o", "--skeleton",
      "{scratch}/x.skel.h"], 3, "cannot run '/no/bpftool'"),
]


BAD_POLICY = "policy x;\nqueue q: fifo;\nclass all { queue = q; slice = task.wieght; }\n"

FAIR = "the text of examples/fair.sched"

STDIN_CASES = [
    # (arguments, what goes to standard input, expected status, text in stdout + stderr)
    (["-", "--emit=ir"], FAIR, 0, "policy fair"),
    (["-"], BAD_POLICY, 1, "<stdin>:3:37: error: unknown task field 'wieght'"),
    (["-", "--error-format=json"], BAD_POLICY, 1, '"file":"<stdin>"'),
    (["-", "-o", "{scratch}/from-stdin.bpf.o"], FAIR, 0, ""),
]


def run_stdin_cases(scxc, names):
    failed = 0
    for words, stdin, status, text in STDIN_CASES:
        argv = [scxc] + [w.format(**names) for w in words]
        stdin = pathlib.Path(names["fair"]).read_text() if stdin is FAIR else stdin
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
        ok = result.returncode == status and text in result.stdout + result.stderr
        print(f"{'ok  ' if ok else 'FAIL'} scxc {' '.join(argv[1:])} < ({len(stdin)} bytes)")
        if not ok:
            print(f"     wanted status {status} and {text!r}; got {result.returncode}:\n{result.stderr}")
            failed += 1
    made = pathlib.Path(names["scratch"]) / "from-stdin.bpf.o"
    if not made.exists():
        print(f"FAIL scxc - -o {made} made no object")
        failed += 1
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scxc", required=True)
    parser.add_argument("--examples", required=True)
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        names = {"fair": str(pathlib.Path(args.examples) / "fair.sched"), "scratch": scratch}
        for words, status, text in CASES:
            argv = [args.scxc] + [w.format(**names) for w in words]
            text = text.format(**names)
            result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            ok = result.returncode == status and text in result.stderr
            print(f"{'ok  ' if ok else 'FAIL'} scxc {' '.join(argv[1:])}")
            if not ok:
                print(f"     wanted status {status} and {text!r}; got {result.returncode}:\n"
                      f"{result.stderr}")
                failed += 1
        failed += run_stdin_cases(args.scxc, names)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
