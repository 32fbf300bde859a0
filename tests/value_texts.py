#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""value_texts.py — the language and `scxrun --set` accept exactly the same literal values.

Takes scxc and scxrun.  For each text in a table of good and bad duration and int literals and
CPU lists (a cpuset param's `[TEXT]` in the language, TEXT for `--set`), it
compiles a policy whose param's default is that text (`param v = TEXT;`) and asks scxrun to set a
param of the same type to it (`--describe --set v=TEXT`, which checks the value and loads
nothing), and fails if one accepts what the other refuses, or if the table's expectation is not
met.  Expressions (`2 * 3ms`, `--4`) are the language's alone and not part of the table.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

POLICY = {
    "duration": "policy d;\nparam v = {text};\nqueue q: fifo;\nclass all {{ queue = q; slice = v; }}\n",
    "int": "policy d;\nparam v = {text};\nqueue q: vtime;\nclass all {{ queue = q; weight = v; }}\n",
    "cpuset": "policy d;\nparam v = [{text}];\nqueue q: fifo {{ cpus = v; }}\nclass all {{ queue = q; }}\n",
}
DEFAULT = {"duration": "1ms", "int": "1", "cpuset": "0"}

# (type, text, accepted)
TABLE = [
    ("duration", "5ms", True), ("duration", "5_000us", True), ("duration", "1_000_000ns", True),
    ("duration", "2s", True), ("duration", "0ns", True), ("duration", "007ms", True),
    ("duration", "9223372036854775807ns", True),
    ("duration", "5_ms", False), ("duration", "5ms_", False), ("duration", "_5ms", False),
    ("duration", "5__0ms", False), ("duration", "5_", False), ("duration", "+5ms", False),
    ("duration", "-5ms", False), ("duration", "5MS", False), ("duration", "5m", False),
    ("duration", "5 ms", False), ("duration", "1.5ms", False), ("duration", "0x10ms", False),
    ("duration", "9223372036854775808ns", False), ("duration", "9223372036854775807s", False),
    ("duration", "0", False), ("duration", "5", False), ("duration", "ms", False),
    ("int", "4", True), ("int", "-2", True), ("int", "1_000", True), ("int", "0", True),
    ("int", "007", True), ("int", "9223372036854775807", True),
    ("int", "+4", False), ("int", "4_", False), ("int", "4__0", False), ("int", "4ms", False),
    ("int", "9223372036854775808", False), ("int", "-9223372036854775808", False),
    ("int", "0x10", False), ("int", "1e3", False), ("int", "4.0", False),
    ("cpuset", "0", True), ("cpuset", "2-3", True), ("cpuset", "0-3,6", True), ("cpuset", "6,0-3", True),
    ("cpuset", "1_0", True), ("cpuset", "0-511", True), ("cpuset", "511", True),
    ("cpuset", "512", False), ("cpuset", "3-1", False), ("cpuset", "0-3,2", False), ("cpuset", "1,1", False),
    ("cpuset", "", False), ("cpuset", "1,", False), ("cpuset", ",1", False), ("cpuset", "1ms", False),
    ("cpuset", "-1", False), ("cpuset", "0x10", False), ("cpuset", "1-", False), ("cpuset", "a", False),
]


def language_accepts(scxc, scratch, kind, text):
    source = scratch / "v.sched"
    source.write_text(POLICY[kind].format(text=text))
    return subprocess.run([scxc, str(source), "-o", str(scratch / "v.bpf.o")], capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scxc", required=True)
    parser.add_argument("--scxrun", required=True)
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="scxc-values-") as scratch:
        scratch = pathlib.Path(scratch)
        objects = {}
        for kind in POLICY:
            (scratch / f"{kind}.sched").write_text(POLICY[kind].format(text=DEFAULT[kind]))
            objects[kind] = scratch / f"{kind}.bpf.o"
            subprocess.run([args.scxc, str(scratch / f"{kind}.sched"), "-o", str(objects[kind])], check=True)
        for kind, text, expected in TABLE:
            language = language_accepts(args.scxc, scratch, kind, text)
            run = subprocess.run([args.scxrun, str(objects[kind]), "--describe", "--set", f"v={text}"],
                                 capture_output=True, text=True)
            loader = run.returncode == 0
            verdict = "ok" if language == loader == expected else "FAIL"
            failures += verdict == "FAIL"
            print(f"{verdict:4} {kind:8} {text!r:26} language {'accepts' if language else 'refuses'}, "
                  f"--set {'accepts' if loader else 'refuses'} (expected: {'accept' if expected else 'refuse'})"
                  + ("" if loader else f"; scxrun: {run.stderr.strip()}"))
    print(f"{len(TABLE) - failures} of {len(TABLE)} texts agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
