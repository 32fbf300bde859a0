# SPDX-License-Identifier: GPL-2.0-only
"""harness.py — what the vm suite's tests share: finding the kernels to test, compiling policies,
booting a guest script under scxc-vm, and reading back what the guest recorded.

Takes the runner (scxc-vm), kernels named by the environment (see kernels_under_test) and the
guest scripts beside this file; makes the facts dictionary and the JSON the tests assert on, and
Failure, the exception a failed expectation raises.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
SKIP = 77


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def kernel_cache():
    default = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "scxc" / "kernels"
    return pathlib.Path(os.environ.get("SCXC_KERNEL_CACHE") or default)


def kernels_under_test():
    """The kernels to boot, as --kernel arguments; [None] means scxc-vm's own default."""
    def expand(item):
        path = pathlib.Path(item)
        if path.is_dir() and not list(path.glob("usr/lib/modules/*/vmlinuz")):
            return [str(deb) for deb in sorted(path.glob("linux-binary-*.deb"))] or [item]
        return [item]

    if os.environ.get("SCXC_VM_KERNELS"):
        return [kernel for item in os.environ["SCXC_VM_KERNELS"].split(":") if item for kernel in expand(item)]
    if os.environ.get("SCXC_KERNEL_DEBS"):
        return expand(os.environ["SCXC_KERNEL_DEBS"]) + older_kernel()
    if os.environ.get("SCXC_KERNEL"):
        return [os.environ["SCXC_KERNEL"]]
    cached = sorted(str(path) for pattern in ("debs/*/usr/lib/modules/*/vmlinuz", "debs/*/boot/vmlinuz-*")
                    for path in kernel_cache().glob(pattern))
    return cached or [None]


def older_kernel():
    """The Linux 6 kernel that `scxc-fetch-kernel --older` (run by ./run-tests) links as older in the
    cache, as a list; under CI=true its absence is a failure, for the pinned kernels are all 7.x."""
    older = kernel_cache() / "older"
    if older.exists():
        return [str(older.resolve())]
    if os.environ.get("CI", "").lower() == "true":
        return [str(older)]  # scxc-vm --check names it missing, which fails the test in CI
    return []


def kernel_args(kernel):
    return ["--kernel", kernel] if kernel else []


def kernel_label(kernel):
    if not kernel:
        return "scxc-vm's default kernel"
    path = pathlib.Path(kernel)
    return path.parent.name if path.name == "vmlinuz" else path.name


class Planted:
    """The policy SOURCE (an example's file name until main() finds it) compiled into STEM.bpf.o
    through faulty-clang, with a fault the verifier must refuse planted at policy line LINE."""

    def __init__(self, source, line, stem):
        self.source, self.line, self.stem = source, line, stem


class Variant:
    """The policy SOURCE (an example's file name until main() finds it) with the text OLD replaced
    by NEW, compiled into STEM.bpf.o: the same policy without one feature, to compare against."""

    def __init__(self, source, stem, old, new):
        self.source, self.stem, self.old, self.new = source, stem, old, new


def compile_objects(scxc, sources, out_dir, clang=None):
    """Compiles each source (a path, a Planted, which needs CLANG, the real clang, or a Variant; a
    ready X.bpf.o is copied); returns {object path: source path}."""
    objects = {}
    for source in sources:
        if isinstance(source, Variant):
            text = source.source.read_text()
            check(source.old in text, f"{source.source} no longer holds {source.old!r}")
            edited = out_dir / (source.stem + ".sched")
            edited.write_text(text.replace(source.old, source.new))
            source = edited
        if str(source).endswith(".bpf.o"):
            obj = out_dir / source.name
            shutil.copyfile(source, obj)
            objects[obj] = source
            continue
        command, env = [scxc], None
        if isinstance(source, Planted):
            planted, source = source, source.source
            obj = out_dir / (planted.stem + ".bpf.o")
            command += ["--clang", str(HERE / "faulty-clang")]
            env = dict(os.environ, SCXC_FAULT_CLANG=clang, SCXC_FAULT_LINE=f"{source.name}:{planted.line}")
        else:
            obj = out_dir / (source.stem + ".bpf.o")
        result = subprocess.run([*command, str(source), "-o", str(obj)], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise Failure(f"scxc could not compile {source}:\n{result.stderr}")
        objects[obj] = source
    return objects


def boot(runner, kernel, test, files, out_dir, cpus=2, script=None, vm_args=()):
    """Runs the test's guest script in one VM; returns the facts it recorded.

    A VM that fails as a whole (scxc-vm's status 125: it hung or crashed) gets one more try: under
    TCG a guest rarely freezes in the stall test's long starvation (seen on 7.3.4, about 1 boot in
    5).  The retry is announced, and a second failure fails the test.  The guest has CPUS vCPUs and
    runs SCRIPT (default: TEST.sh beside this file); VM_ARGS go to scxc-vm (--topology)."""
    command = [runner, *kernel_args(kernel), "--cpus", str(cpus), *vm_args, "--timeout", "400", "--output", str(out_dir),
               "--script", str(HERE / (script or f"{test}.sh")), str(HERE / "lib.sh"), *map(str, files)]
    print("$", " ".join(command), flush=True)
    if subprocess.run(command).returncode == 125:
        print(f"RETRY: the VM failed (see its output above); booting {kernel_label(kernel)} once more", flush=True)
        shutil.rmtree(out_dir, ignore_errors=True)
        check(subprocess.run(command).returncode != 125, "the VM failed twice (see its output above)")
    facts = {}
    facts_file = out_dir / "facts"
    if facts_file.exists():
        for line in facts_file.read_text().splitlines():
            key, _, value = line.partition(" ")
            facts[key] = value
    return facts


def fact(facts, key):
    check(key in facts, f"the guest recorded no '{key}' (did its script stop early?)")
    return facts[key]


def read_json(out_dir, name):
    path = out_dir / name
    check(path.exists(), f"the guest left no {name}")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise Failure(f"{name} is not JSON ({error}):\n{path.read_text()}")


def scxrun_summary(out_dir, label):
    """The last (summary) JSON line scxrun printed."""
    path = out_dir / f"{label}.jsonl"
    check(path.exists(), f"scxrun left no output for {label}")
    lines = [line for line in path.read_text().splitlines() if line.startswith("{")]
    check(lines, f"scxrun printed no JSON for {label}; its messages:\n{messages(out_dir, label)}")
    summary = json.loads(lines[-1])
    check(summary.get("summary"), f"scxrun's last line for {label} is not its summary: {lines[-1]}")
    return summary


def task(report, name):
    for entry in report["tasks"]:
        if entry["name"] == name:
            return entry
    raise Failure(f"the workload report has no task '{name}'")


def messages(out_dir, label):
    """What scxrun said on stderr for LABEL, for failure reports."""
    path = out_dir / f"{label}.err"
    return path.read_text().strip() if path.exists() else "(nothing)"


def expect_active(facts, out_dir, label, policy):
    ops = fact(facts, f"{label}.ops")
    check(ops == policy, f"the active scheduler was '{ops}', not '{policy}'; scxrun said:\n{messages(out_dir, label)}")


def expect_clean_run(facts, out_dir, name):
    check(fact(facts, f"{name}.status") == "0",
          f"scxrun for {name} exited with {facts.get(name + '.status')}:\n{messages(out_dir, name)}")
    check(fact(facts, f"{name}.state_after") == "disabled",
          f"after {name} stopped, sched_ext is '{facts.get(name + '.state_after')}', not 'disabled'")


def policy_name(source):
    match = re.search(r"^\s*policy\s+(\w+)\s*[;{]", source.read_text(), re.MULTILINE)
    if not match:
        raise Failure(f"{source} has no `policy NAME;` or `policy NAME {{` line")
    return match.group(1)
