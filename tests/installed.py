#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scxc works after `meson install`: it finds its runtime and stdlib relative to itself.

Installs the build tree into a scratch DESTDIR, moves the installed tree elsewhere (so the
compiled-in source path cannot be what makes it work), and compiles every example plus a policy that imports a stdlib module, and checks that
`scxc --print-paths` names directories inside the moved tree.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

IMPORTING_POLICY = """\
policy imports;
import kthreads;
queue main: vtime;
class rest { queue = main; }
"""


def main():
    build_root, examples = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        subprocess.run(["meson", "install", "-C", str(build_root), "--no-rebuild", "--quiet",
                        "--destdir", str(scratch / "destdir")], check=True)
        scxc = next((scratch / "destdir").rglob("bin/scxc"))
        moved = scratch / "moved"
        shutil.move(str(scxc.parent.parent), str(moved))
        scxc = moved / "bin" / "scxc"
        env = dict(os.environ)
        env.pop("SCXC_DATA_DIR", None)
        policies = sorted(examples.glob("*.sched"))
        (scratch / "imports.sched").write_text(IMPORTING_POLICY)
        policies.append(scratch / "imports.sched")
        for policy in policies:
            obj = scratch / (policy.stem + ".bpf.o")
            result = subprocess.run([str(scxc), str(policy), "-o", str(obj)], env=env,
                                    capture_output=True, text=True, cwd=scratch)
            if result.returncode != 0 or not obj.exists():
                print(f"FAIL installed scxc on {policy}:\n{result.stderr}")
                sys.exit(1)
            print(f"ok   installed scxc built {policy.name}")
        paths = subprocess.run([str(scxc), "--print-paths"], env=env, capture_output=True,
                               text=True, check=True).stdout.split()
        found = dict(zip(paths[::2], paths[1::2]))
        for kind in ("runtime", "stdlib"):
            if not pathlib.Path(found[kind]).resolve().is_relative_to(moved):
                print(f"FAIL installed scxc uses {kind} from {found[kind]}, not from {moved}")
                sys.exit(1)
    print(f"{len(policies)} policies built by the installed scxc")


if __name__ == "__main__":
    main()
