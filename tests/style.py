#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The tree's own rules for its source files (docs/hacking.md).

Takes the source root and clang-format.  Every source file git tracks (C, headers, flex and
bison files, Python, shell, meson) carries an SPDX-License-Identifier line near its top; every
hand-written C file and header follows .clang-format (clang-format --dry-run --Werror); no C
file of compiler/, loader/, common/ or runtime/ is over 800 lines.  Golden files are scxc's
output, not sources, and are left out.
"""
import argparse
import pathlib
import subprocess
import sys

C_DIRS = ("common", "compiler", "loader", "runtime", "vm", "tests/unit", "tests/contract",
          "tests/fuzz", "tests/reference", "loader/tests")
SOURCE_SUFFIXES = {".c", ".h", ".l", ".y", ".py", ".sh", ".build", ".in"}
LONGEST = 800


def tracked(root):
    listed = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True,
                            check=True).stdout.split()
    return [root / name for name in listed]


def is_source(path, root):
    relative = path.relative_to(root).as_posix()
    if relative.startswith(("tests/golden/", "tests/diag/")):
        return False
    if path.suffix in SOURCE_SUFFIXES:
        return True
    return path.suffix == "" and path.read_bytes()[:2] == b"#!"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, required=True)
    parser.add_argument("--clang-format", required=True)
    args = parser.parse_args()
    root = args.root.resolve()
    files = [path for path in tracked(root) if path.is_file() and is_source(path, root)]
    problems = []
    for path in files:
        head = path.read_text(errors="replace").splitlines()[:3]
        if not any("SPDX-License-Identifier: GPL-2.0-only" in line for line in head):
            problems.append(f"{path.relative_to(root)}: no SPDX-License-Identifier line at the top")
    c_files = [path for path in files if path.suffix in (".c", ".h") and
               path.relative_to(root).as_posix().startswith(C_DIRS)]
    for path in c_files:
        formatted = subprocess.run([args.clang_format, "--style=file", "--dry-run", "--Werror",
                                    str(path)], capture_output=True, text=True, cwd=root)
        if formatted.returncode != 0:
            first = formatted.stderr.splitlines()[:3]
            problems.append(f"{path.relative_to(root)}: not as .clang-format has it:\n    " +
                            "\n    ".join(first))
        lines = path.read_text().count("\n")
        if lines > LONGEST and path.relative_to(root).parts[0] in ("common", "compiler", "loader",
                                                                     "runtime"):
            problems.append(f"{path.relative_to(root)}: {lines} lines (at most {LONGEST})")
    print(f"{len(files)} source files, {len(c_files)} of them C checked with clang-format")
    for problem in problems:
        print("FAIL " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
