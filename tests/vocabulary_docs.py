#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every entry of the language's vocabulary tables is documented where a user looks for it.

Takes the source root.  Reads the X-macro lists themselves (runtime/scxc/contract.h,
compiler/ir.h, compiler/ast.h, common/number.h) and checks that docs/language.md names each
task field, builtin, function, class setting, queue kind, CPU step and unit in its table or
list, and docs/object-format.md each stat: a row added to a table without its documentation
fails here, and so does a documented name that no table has any more.
"""
import argparse
import pathlib
import re
import sys


def rows(text, list_name, pattern=r'X\(\s*\w+,\s*"([^"]+)"'):
    """The quoted names of the rows of the X-macro list LIST_NAME in TEXT."""
    match = re.search(r"#define " + list_name + r"\(X\)((?:.*\\\n)*.*)", text)
    if not match:
        sys.exit(f"cannot find the list {list_name}")
    return re.findall(pattern, match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, required=True)
    root = parser.parse_args().root
    source = {name: (root / name).read_text() for name in
              ("runtime/scxc/contract.h", "compiler/ir.h", "compiler/ast.h", "common/number.h")}
    language = (root / "docs/language.md").read_text()
    object_format = (root / "docs/object-format.md").read_text()

    # (what, names from the table, how docs/language.md shows one)
    checks = [
        ("task field", rows(source["compiler/ir.h"], "TASK_FIELD_LIST"), "| `{}` |"),
        ("builtin", rows(source["compiler/ir.h"], "BUILTIN_VALUE_LIST"), "`{}`"),
        ("function", rows(source["compiler/ir.h"], "FUNCTION_LIST"), "| `{}("),
        ("class setting", rows(source["compiler/ast.h"], "CLASS_SETTING_LIST"), "`{} ="),
        ("queue setting", rows(source["compiler/ast.h"], "QUEUE_SETTING_LIST"), "`{} ="),
        ("policy setting", rows(source["compiler/ast.h"], "POLICY_SETTING_LIST"), "`{} ="),
        ("queue kind", rows(source["runtime/scxc/contract.h"], "SCXC_QUEUE_KIND_LIST"),
         "- `{}` —"),
        ("CPU step", rows(source["runtime/scxc/contract.h"], "SCXC_CPU_STEP_LIST"), "| `{}` |"),
        ("unit", rows(source["common/number.h"], "UNIT_LIST"), "`{}`"),
    ]
    problems, checked = [], 0
    for what, names, shown in checks:
        if not names:
            problems.append(f"no {what}s found in their table")
        for name in names:
            checked += 1
            if shown.format(name) not in language:
                problems.append(f"docs/language.md does not document the {what} {name!r} "
                                f"(looked for {shown.format(name)!r})")
    contract = source["runtime/scxc/contract.h"]
    for list_name in ("SCXC_CLASS_STAT_LIST", "SCXC_QUEUE_STAT_LIST", "SCXC_POLICY_STAT_LIST"):
        for name in rows(contract, list_name):
            checked += 1
            if f"`{name}`" not in object_format:
                problems.append(f"docs/object-format.md does not name the stat {name!r}")
    # The other way: every task field docs/language.md lists is one the compiler knows.
    documented = re.findall(r"^\| `(\w+)` \| (?:string|int|bool|duration) \|", language, re.M)
    for name in documented:
        if name not in checks[0][1]:
            problems.append(f"docs/language.md documents a task field {name!r} that ir.h lacks")
    print(f"{checked} vocabulary entries checked against the docs")
    for problem in problems:
        print("FAIL " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
