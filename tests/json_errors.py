#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks `scxc --error-format=json`, the diagnostics editors read.

Takes the scxc binary and the diag case directory.  For every Y.sched there, scxc runs with
--error-format=json in the case's directory and must exit 1 and print one JSON object per line
on stdout (nothing on stderr), each with severity, file, line, column, end_line, end_column, message, notes (and
hint when there is one), notes with the same location fields; the first object must say what
the first line of Y.err says (file:line:column: severity: message), and the hints must be the
`= help:` lines of Y.err.  Then a policy with more errors than scxc reports ends with the
"too many errors" object.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import golden  # noqa: E402

LOCATION = {"file": str, "line": int, "column": int, "end_line": int, "end_column": int}
SEVERITIES = {"error", "warning", "note"}
CODES = set()   # filled from docs/diagnostics.md
WARNING_OPTION = re.compile(r" \[-W(?:error=)?(?P<name>[a-z-]+)\]$")
FIRST_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): "
                        r"(?P<severity>\w+): (?P<message>.*)$")


def problems_with_location(record, where):
    problems = []
    for field, kind in LOCATION.items():
        if not isinstance(record.get(field), kind):
            problems.append(f"{where}: '{field}' missing or not {kind.__name__}")
    if not problems:
        if record["line"] < 1 or record["column"] < 1:
            problems.append(f"{where}: line and column start at 1")
        if (record["end_line"], record["end_column"]) < (record["line"], record["column"]):
            problems.append(f"{where}: the end is before the start")
    return problems


def problems_with_record(record, where, located=True):
    problems = []
    if record.get("severity") not in SEVERITIES:
        problems.append(f"{where}: severity {record.get('severity')!r}")
    if record.get("code") not in CODES:
        problems.append(f"{where}: code {record.get('code')!r} is not one docs/diagnostics.md lists")
    if not isinstance(record.get("message"), str) or not record["message"]:
        problems.append(f"{where}: no message")
    if "hint" in record and not isinstance(record["hint"], str):
        problems.append(f"{where}: hint is not a string")
    if not isinstance(record.get("notes"), list):
        problems.append(f"{where}: notes is not a list")
    else:
        for n, note in enumerate(record["notes"]):
            where_note = f"{where} note {n + 1}"
            problems += problems_with_location(note, where_note)
            if not isinstance(note.get("message"), str) or not note["message"]:
                problems.append(f"{where_note}: no message")
    if located:
        problems += problems_with_location(record, where)
    return problems


def run_json(scxc, policy, args=(), status=1):
    result = subprocess.run([scxc, policy.name, "--error-format=json", *args], cwd=policy.parent,
                            capture_output=True, text=True, timeout=60)
    records, problems = [], []
    if result.returncode != status:
        problems.append(f"exit status {result.returncode}, not {status}")
    if result.stderr:
        problems.append(f"stderr is not empty: {result.stderr!r}")
    for number, line in enumerate(result.stdout.splitlines(), 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number} is not JSON ({error}): {line!r}")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number} is not an object")
            continue
        records.append(record)
    if not records:
        problems.append("no diagnostics on stdout")
    return records, problems


def check_case(scxc, policy):
    records, problems = run_json(scxc, policy, golden.case_args(policy),
                                 0 if policy.name.startswith("warn-") else 1)
    for number, record in enumerate(records, 1):
        problems += problems_with_record(record, f"object {number}")
    expected = policy.with_suffix(".err")
    if records and not problems and expected.exists():
        text = expected.read_text()
        first = FIRST_LINE.match(text.splitlines()[0])
        if not first:
            problems.append(f"cannot read the first line of {expected.name}")
        else:
            got = records[0]
            # A warning's text form ends with its option, " [-Wname]": the code in JSON.
            named = WARNING_OPTION.search(first["message"])
            if named:
                first = {**first.groupdict(), "message": first["message"][:named.start()]}
                if got["code"] != named["name"]:
                    problems.append(f"code: JSON {got['code']!r}, {expected.name} {named['name']!r}")
            for field in ("file", "severity", "message"):
                if str(got[field]) != first[field]:
                    problems.append(f"{field}: JSON {got[field]!r}, {expected.name} {first[field]!r}")
            for field in ("line", "column"):
                if got[field] != int(first[field]):
                    problems.append(f"{field}: JSON {got[field]}, {expected.name} {first[field]}")
        hints = re.findall(r"^\s*= help: (.*)$", text, re.MULTILINE)
        json_hints = [record["hint"] for record in records if "hint" in record]
        if hints != json_hints:
            problems.append(f"hints: JSON {json_hints!r}, {expected.name} {hints!r}")
    return problems


def check_error_limit(scxc):
    with tempfile.TemporaryDirectory() as directory:
        policy = pathlib.Path(directory) / "many.sched"
        lines = ["policy many;"] + [f"param p{i} = 1 + true;" for i in range(100)]
        policy.write_text("\n".join(lines + ["queue q: fifo;", "class rest { queue = q; }", ""]))
        records, problems = run_json(scxc, policy)
    for number, record in enumerate(records[:-1], 1):
        problems += problems_with_record(record, f"object {number}")
    if records:
        last = records[-1]
        problems += problems_with_record(last, "the last object", located="file" in last)
        if not last.get("message", "").startswith("too many errors"):
            problems.append(f"the last object is not 'too many errors': {last!r}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scxc", required=True)
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--codes", type=pathlib.Path, required=True,
                        help="docs/diagnostics.md, whose table lists every code")
    parser.add_argument("--diag-h", type=pathlib.Path, required=True,
                        help="compiler/diag.h, where the codes and warnings are defined")
    args = parser.parse_args()
    CODES.update(re.findall(r"^\| `([a-z-]+)` \|", args.codes.read_text(), re.MULTILINE))
    defined = set(re.findall(r'X\((?:DIAG|WARN)_\w+, "([a-z-]+)"', args.diag_h.read_text()))
    defined.add("too-many-errors")
    if defined != CODES:
        print(f"FAIL {args.codes.name} and diag.h disagree: only defined {sorted(defined - CODES)}, "
              f"only documented {sorted(CODES - defined)}")
        sys.exit(1)
    print(f"{len(CODES)} codes defined in diag.h, each documented in {args.codes.name}")
    scxc = str(pathlib.Path(args.scxc).resolve())

    failed = 0
    cases = sorted(args.directory.glob("*.sched"))
    if not cases:
        print(f"FAIL no cases in {args.directory}")
        return 1
    for policy in cases:
        problems = check_case(scxc, policy)
        failed += bool(problems)
        print(("FAIL " if problems else "ok ") + policy.name)
        for problem in problems:
            print("  " + problem)
    problems = check_error_limit(scxc)
    failed += bool(problems)
    print(("FAIL " if problems else "ok ") + "error limit")
    for problem in problems:
        print("  " + problem)
    print(f"{len(cases) + 1 - failed} of {len(cases) + 1} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
