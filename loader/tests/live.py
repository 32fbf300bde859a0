#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`scxrun set` and `scxrun get` on a host without sched_ext: each error exits with its status and
says what is wrong, and on a real params map they change and show the values.

Takes scxrun, the described fixture object, live_fixture (which loads the fixture's maps and
publishes the live state as a running scxrun does) and the fake idle and busy sysfs directories.
Three groups of cases:
  - the command line, the user, the kernel: no state needed;
  - a fake live state (the fixture's description in a scratch SCXRUN_RUNDIR, a fake sysfs whose
    active scheduler is 'demo'): unknown params, bad values, stale states, a damaged
    description, and a new scxrun removing a stale state of its policy;
  - a real params map, pinned in a bpffs of a private mount namespace (root and bpf() needed,
    else skipped with a note): set and get change and show it, word by word, and a refused
    assignment changes nothing.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from damaged import description_span  # noqa: E402


def description_of(described):
    data = described.read_bytes()
    start, size = description_span(data)
    return data[start:start + size].rstrip(b"\0")


def check(name, argv, status, texts, env=None, absent=()):
    """Runs ARGV; the exit status must be STATUS, stdout + stderr must hold each of TEXTS and
    none of ABSENT.  Returns 1 on a failure, else 0."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **(env or {})})
    output = result.stdout + result.stderr
    problems = [f"exit status {result.returncode}, wanted {status}"] if result.returncode != status else []
    problems += [f"lacks {text!r}" for text in texts if text not in output]
    problems += [f"holds {text!r}" for text in absent if text in output]
    print(f"{'FAIL' if problems else 'ok'} {name}")
    for problem in problems:
        print("  " + problem)
    if problems:
        print("  " + output.strip().replace("\n", "\n  "))
    return bool(problems)


def fake_sysfs(root, state, ops):
    (root / "root").mkdir(parents=True)
    (root / "state").write_text(state + "\n")
    (root / "root" / "ops").write_text(ops + "\n")
    return str(root)


def command_line_cases(args):
    scxrun, failed = args.scxrun, 0
    cases = [
        ("set without a policy", ["set"], 2, "scxrun set needs the policy's name"),
        ("set without NAME=VALUE", ["set", "demo"], 2, "give at least one NAME=VALUE"),
        ("set a word without =", ["set", "demo", "slice"], 2, "scxrun set takes name=value, not 'slice'"),
        ("set a path for a policy", ["set", "a/b", "slice=3ms"], 2, "'a/b' is not a policy name"),
        ("set an unknown option", ["set", "demo", "--now"], 2, "unknown option '--now'"),
        ("get without a policy", ["get"], 2, "scxrun get needs the policy's name"),
        ("get with more", ["get", "demo", "slice"], 2, "unexpected argument 'slice'"),
        ("a misspelt command", ["sett", "demo"], 2, "'sett' is neither an object file nor a command; did you mean 'set'?"),
        ("set --help", ["set", "--help"], 0, "usage: scxrun set POLICY NAME=VALUE..."),
    ]
    for name, words, status, text in cases:
        failed += check(name, [scxrun] + words, status, [text])
    failed += check("set without sched_ext", [scxrun, "set", "demo", "slice=3ms"], 1,
                    ["this kernel has no sched_ext"], {"SCXRUN_SYSFS": "/no/such/sysfs"})
    failed += check("set with nothing active", [scxrun, "set", "demo", "slice=3ms"], 1,
                    ["'demo' is not running: no sched_ext scheduler is active"],
                    {"SCXRUN_SYSFS": args.idle_sysfs})
    failed += check("set with another scheduler active", [scxrun, "set", "demo", "slice=3ms"], 1,
                    ["'demo' is not running: the active sched_ext scheduler is 'scx_rusty'"],
                    {"SCXRUN_SYSFS": args.busy_sysfs})
    if os.geteuid() == 0:
        with tempfile.TemporaryDirectory() as scratch:
            copy = pathlib.Path(scratch) / "scxrun"
            copy.write_bytes(pathlib.Path(scxrun).read_bytes())
            copy.chmod(0o755)
            os.chmod(scratch, 0o755)
            failed += check("set as nobody", ["setpriv", "--reuid=65534", "--regid=65534",
                                              "--clear-groups", str(copy), "set", "demo", "slice=3ms"],
                            1, ["scxrun set needs root to reach a running scheduler"])
    else:
        print("skipped: set as nobody (needs root to become nobody)")
    return failed


def fake_state_cases(args):
    scxrun, failed = args.scxrun, 0
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        run_dir = scratch / "run"
        state = run_dir / "demo"
        active = fake_sysfs(scratch / "active", "enabled", "demo")
        env = {"SCXRUN_SYSFS": active, "SCXRUN_RUNDIR": str(run_dir)}

        def publish(pid=os.getpid(), description=description_of(args.described)):
            state.mkdir(parents=True, exist_ok=True)
            (state / "description").write_bytes(description)
            (state / "pid").write_text(f"{pid}\n")

        publish()
        failed += check("set an unknown param", [scxrun, "set", "demo", "slcie=3ms"], 2,
                        ["unknown param 'slcie' in policy 'demo'; did you mean 'slice'?"], env)
        failed += check("set out of range, as --set says it",
                        [scxrun, "set", "demo", "slice=0ms"], 2,
                        ["slice=0ms is out of range: 'slice' must be in 100us .. 1s"], env)
        failed += check("set: every bad value is named, nothing is opened",
                        [scxrun, "set", "demo", "slice=3ms", "boost=0", "strict=2"], 2,
                        ["boost=0 is out of range", "'strict' is a bool, but '2' is an int"], env,
                        absent=["cannot open", "->"])
        failed += check("set without a pinned map", [scxrun, "set", "demo", "slice=3ms"], 1,
                        ["cannot open the params of 'demo', pinned at /sys/fs/bpf/scxc/demo/params"],
                        env)
        publish(pid=2 ** 30)
        failed += check("a stale state: its scxrun is gone", [scxrun, "get", "demo"], 1,
                        [f"the live state of 'demo' in {state} is stale: the scxrun that ran it "
                         f"(pid {2 ** 30}) is gone"], env)
        publish()
        failed += check("a stale state: another scheduler is active", [scxrun, "set", "demo", "slice=3ms"],
                        1, ["is stale: scxrun (pid", "but the active sched_ext scheduler is 'scx_rusty'"],
                        {**env, "SCXRUN_SYSFS": args.busy_sysfs})
        publish(description=description_of(args.described).replace(b"lateness ns", b"lateness hs"))
        failed += check("a damaged description in the state", [scxrun, "get", "demo"], 1,
                        [f"{state}/description: malformed .scxc record on line 12: stat "
                         "class.all.lateness: unknown unit 'hs' (this scxrun knows 'count' and 'ns')"],
                        env)
        if os.geteuid() != 0:
            print("skipped: a new scxrun removes a stale state (it needs root to get that far)")
            return failed
        publish(pid=2 ** 30)
        failed += check("a new scxrun removes a stale state of its policy",
                        [scxrun, str(args.described)], 1,
                        ["removed the stale live state of 'demo'"],
                        {**env, "SCXRUN_SYSFS": args.idle_sysfs})
        if state.exists():
            print(f"FAIL the stale state {state} is still there")
            failed += 1
    return failed


def real_map_cases(args):
    """In a private mount namespace: the fixture publishes a real params map; set and get it."""
    if subprocess.run(["stat", "-f", "-c", "%T", "/sys/fs/bpf"], capture_output=True,
                      text=True).stdout.strip() == "bpf_fs":
        # A bpffs of our own, so that no pin shows up outside (else publish_state mounts one).
        subprocess.run(["mount", "-t", "bpf", "bpf", "/sys/fs/bpf"], check=True)
    scxrun, failed = args.scxrun, 0
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        run_dir = scratch / "run"
        env = {"SCXRUN_SYSFS": fake_sysfs(scratch / "active", "enabled", "demo"),
               "SCXRUN_RUNDIR": str(run_dir)}
        fixture = subprocess.Popen([args.fixture, str(args.described)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, env={**os.environ, **env})
        first = fixture.stdout.readline().strip()
        if first != "ready":
            fixture.wait()
            print(f"skipped: the cases on a real params map ({first or 'the fixture failed'})")
            return 0 if fixture.returncode == 77 else 1

        def values():
            fixture.stdin.write("values\n")
            fixture.stdin.flush()
            return fixture.stdout.readline().strip()

        state = run_dir / "demo"
        pin = pathlib.Path("/sys/fs/bpf/scxc/demo/params")
        problems = []
        if (state / "description").read_bytes() != description_of(args.described):
            problems.append("the published description is not the object's")
        if (state / "pid").read_text() != f"{fixture.pid}\n":
            problems.append("the published pid is not the fixture's")
        if oct(state.stat().st_mode & 0o777) != "0o755" or \
                oct((state / "description").stat().st_mode & 0o777) != "0o644":
            problems.append("the state's modes are not 0755 and 0644")
        if not pin.exists():
            problems.append(f"no pin at {pin}")
        print(f"{'FAIL' if problems else 'ok'} the published state")
        failed += bool(problems)
        for problem in problems:
            print("  " + problem)

        failed += check("get", [scxrun, "get", "demo"], 0,
                        ["param slice: duration = 5ms in 100us .. 1s", "param boost: int = 4 in 1 .. 64",
                         "param strict: bool = false"], env)
        failed += check("set", [scxrun, "set", "demo", "slice=3ms", "boost=2", "strict=true"], 0,
                        ["slice: 5ms -> 3ms", "boost: 4 -> 2", "strict: false -> true"], env)
        now = values()
        if now != "3000000 2 1 0 | 3000000 2 1 0":
            print(f"FAIL the map after set holds {now!r}")
            failed += 1
        failed += check("set with one bad value changes nothing",
                        [scxrun, "set", "demo", "slice=4ms", "boost=65"], 2,
                        ["boost=65 is out of range: 'boost' must be in 1 .. 64"], env, absent=["->"])
        now = values()
        if now != "3000000 2 1 0 | 3000000 2 1 0":
            print(f"FAIL the map after a refused set holds {now!r}")
            failed += 1
        failed += check("get after set", [scxrun, "get", "demo"], 0,
                        ["param slice: duration = 3ms in 100us .. 1s", "param strict: bool = true"], env)
        fixture.stdin.write("stop\n")
        fixture.stdin.flush()
        fixture.wait(timeout=30)
        left = [str(path) for path in (state, pin, pin.parent) if path.exists()]
        print(f"{'FAIL' if left else 'ok'} the state is removed at the end")
        if left:
            print("  still there: " + ", ".join(left))
            failed += 1
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-namespace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("scxrun")
    parser.add_argument("described", type=pathlib.Path)
    parser.add_argument("fixture")
    parser.add_argument("idle_sysfs")
    parser.add_argument("busy_sysfs")
    args = parser.parse_args()
    if args.in_namespace:
        return 1 if real_map_cases(args) else 0

    failed = command_line_cases(args) + fake_state_cases(args)
    if os.geteuid() != 0:
        print("skipped: the cases on a real params map (they need root)")
    else:
        inner = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable,
                                __file__, "--in-namespace"] + sys.argv[1:], timeout=120)
        failed += inner.returncode != 0
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
