#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The compiler's limits: each oversized input either works or gets an error naming the limit.

Takes --scxc PATH.  Generates policies at and past every documented limit (docs/language.md,
"Limits"): expression depth, parser nesting, `in` list length, counts of params, queues and
classes, CPUs in a set, file size, identifier and string length, and the size of constants.  Each run must
end by itself within a time limit with status 0 or 1 (never a signal, a sanitizer report or
a hang); a policy at a limit must build with clang (-o), and one past it must print the
limit's error.  Prints one line per case and exits 1 if any failed.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

TIME_LIMIT = 60
HEAD = "policy limits;\nqueue main: fifo;\n"


def chain(count, term="task.nice * 1ms", op=" + "):
    """A left-deep sum of COUNT terms: depth COUNT (with one term, the term's own)."""
    return op.join([term] * count)


def nested_calls(count, inner="task.nice * 1ms"):
    """clamp(clamp(...)) COUNT deep around INNER (each clamp adds 3 levels)."""
    return "clamp(" * count + inner + ", 1us, 1s)" * count


def nots(count):
    return "not " * count + "task.kthread"


def slice_policy(expression):
    return HEAD + f"class all {{ slice = {expression}; }}\n"


def when_policy(condition):
    return HEAD + f"class some when {condition} {{ slice = 1ms; }}\nclass rest {{ }}\n"


def many_classes(count):
    classes = "".join(f"class c{i} when task.pid == {i} {{ slice = {i % 50 + 1}ms; }}\n"
                      for i in range(count - 1))
    return HEAD + classes + "class rest { }\n"


def many_queues(count):
    queues = "".join(f"queue q{i}: fifo;\n" for i in range(count))
    return ("policy limits;\n" + queues + "class all { queue = q0; }\n"
            + "dispatch: " + ", then ".join(f"q{i}" for i in range(count)) + ";\n")


def cpuset_policy(items, queues=1):
    """QUEUES queues, each on the CPU set [ITEMS], the first from a cpuset param."""
    decls = f"param set = [{items}];\n" + "".join(
        f"queue q{i}: fifo {{ cpus = {'set' if i == 0 else '[' + items + ']'}; }}\n" for i in range(queues))
    return "policy limits;\n" + decls + "class all { queue = q0; }\n" + \
        "dispatch: " + ", then ".join(f"q{i}" for i in range(queues)) + ";\n"


def many_params(count):
    params = "".join(f"param p{i} = {i}ms;\n" for i in range(count))
    return HEAD + params + "class all { slice = p1; }\n"


# (name, policy text, expected: "build" — compiles to a BPF object; "ok" — --emit=c works;
#  "tokens" — --emit=tokens works (it finds every token's line: linear, not quadratic);
#  or the text of the error it must print — with, optionally, the exit status: 1 if not given)
CASES = [
    ("expression 64 deep (sum)", slice_policy(chain(63)), "build"),
    ("expression 65 deep (sum)", slice_policy(chain(64)), "expression nested more than 64 levels deep"),
    ("sum of 300000 terms", slice_policy(chain(300000, "1ms")), "expression nested more than 64 levels deep"),
    ("clamp 20 deep (62 levels)", slice_policy(nested_calls(20)), "build"),
    ("clamp 21 deep (65 levels)", slice_policy(nested_calls(21)),
     "expression nested more than 64 levels deep"),
    ("min of 62 arguments (64 levels)",
     slice_policy("min(" + ", ".join(["task.nice * 1ms"] * 62) + ")"), "build"),
    ("min of 63 arguments (65 levels)",
     slice_policy("min(" + ", ".join(["task.nice * 1ms"] * 63) + ")"),
     "expression nested more than 64 levels deep"),
    ("min of 100000 arguments", slice_policy("min(" + ", ".join(["1ms"] * 100000) + ")"),
     "expression nested more than 64 levels deep"),
    ("64 nots", when_policy(nots(63)), "build"),
    ("100000 nots", when_policy(nots(100000)), "nested too deeply (the parser holds 10000 levels)"),
    ("100000 minus signs", slice_policy("-" * 100000 + "1ms"),
     "nested too deeply (the parser holds 10000 levels)"),
    ("9000 parentheses", slice_policy("(" * 9000 + "task.nice * 1ms" + ")" * 9000), "build"),
    ("100000 parentheses", slice_policy("(" * 100000 + "1ms" + ")" * 100000),
     "nested too deeply (the parser holds 10000 levels)"),
    ("in list of 256 names", when_policy("comm in (" + ", ".join(f'"c{i}"' for i in range(256)) + ")"),
     "build"),
    ("in list of 256 ints", when_policy("task.pid in (" + ", ".join(str(i) for i in range(256)) + ")"),
     "build"),
    ("in list of 100000 names", when_policy("comm in (" + ", ".join('"c"' for i in range(100000)) + ")"),
     "more than 256 items in one 'in' list"),
    ("256 classes", many_classes(256), "build"),
    ("257 classes", many_classes(257), "too many classes: a policy has at most 256"),
    ("100000 classes", many_classes(100000), "too many classes: a policy has at most 256"),
    ("64 queues", many_queues(64), "build"),
    ("65 queues", many_queues(65), "too many queues: a policy has at most 64"),
    ("CPU 511 in a set", cpuset_policy("0, 511"), "build"),
    ("CPU 512 in a set", cpuset_policy("0, 512"), "CPU 512 is beyond the 512 CPUs a set may name"),
    ("64 queues on all 512 CPUs", cpuset_policy("0-511", 64), "build"),
    ("CPU 99999999999 in a set", cpuset_policy("99999999999"),
     "CPU 99999999999 is beyond the 512 CPUs a set may name"),
    ("a set of 100000 items", cpuset_policy(", ".join(["7"] * 100000)), "CPU 7 is in this set twice"),
    ("256 params", many_params(256), "build"),
    ("257 params", many_params(257), "too many params: a policy has at most 256"),
    ("100000 params", many_params(100000), "too many params: a policy has at most 256"),
    ("identifier of 100000 characters",
     HEAD + f"param {'x' * 100000} = 5ms;\nclass all {{ slice = {'x' * 100000}; }}\n", "ok"),
    ("policy name of 101 characters", HEAD.replace("limits", "p" * 101) + "class all { }\n",
     "policy name is 101 characters long"),
    ("comm string of 1000000 characters", when_policy('comm == "' + "c" * 1000000 + '"'),
     "so comm can never equal it"),
    ("cgroup glob of 63 characters", when_policy('cgroup ~ "/' + "a" * 61 + '*"'), "build"),
    ("cgroup path of 64 characters", when_policy('cgroup == "/' + "a" * 63 + '"'),
     "this cgroup path is 64 characters long; the runtime matches at most 63"),
    ("cgroup glob of 100000 stars", when_policy('cgroup ~ "/' + "*" * 100000 + '"'), "build"),
    ("32 cgroup tests of 63 characters",
     when_policy("cgroup in (" + ", ".join(f'"/{i:02d}' + "x" * 60 + '"' for i in range(32)) + ")"), "build"),
    ("33 cgroup tests", when_policy("cgroup in (" + ", ".join(f'"/g{i}"' for i in range(33)) + ")"),
     "more than 32 cgroup tests in one policy"),
    ("file of 16 MiB less a line", "#" * ((16 << 20) - 100) + "\n" + HEAD + "class all { }\n", "ok"),
    ("file past 16 MiB", "#" * (16 << 20) + "\n" + HEAD + "class all { }\n",
     "larger than the 16 MiB a policy file may hold", 2),
    ("import of /dev/zero", HEAD + 'import "/dev/zero";\nclass all { }\n',
     "larger than the 16 MiB a policy file may hold"),
    ("tokens of 200000 lines", many_params(200000), "tokens"),
    ("2000000 syntax errors", HEAD + "class all { }\n" + "?\n" * 2000000, "error"),
    ("largest int", HEAD + "param big = 9223372036854775807;\nclass all { }\n", "ok"),
    ("int past 64 bits", HEAD + "param big = 9223372036854775808;\nclass all { }\n", "too large"),
    ("int of 5000 digits", HEAD + f"param big = {'9' * 5000};\nclass all {{ }}\n", "too large"),
    ("largest duration", HEAD + "param big = 9223372036854775807ns;\nclass all { }\n", "ok"),
    ("duration past 64 bits", HEAD + "param big = 9223372037s;\nclass all { }\n", "too large"),
    ("constant overflow", HEAD + "param big = 9223372036854775807 + 1;\nclass all { }\n", "overflow"),
    ("negative overflow", HEAD + "param big = -9223372036854775807 - 2;\nclass all { }\n", "overflow"),
    # Found by the fuzzer: a pattern that is empty up to a NUL byte reached the emitter as NULL.
    # A raw control byte in a string is now refused by the lexer, before any pattern is made.
    ("NUL byte in a glob", when_policy('comm ~ "\0*"'), "invalid byte 0x00 in a string"),
    ("NUL byte in a name", when_policy('comm == "ka\0x"'), "invalid byte 0x00 in a string"),
    ("escape byte in a string", when_policy('comm == "\x1b[0m"'), "invalid byte 0x1b in a string"),
    ("constant division by zero", HEAD + "param p = 5 / (2 - 2);\nclass all { }\n", "division by zero"),
]


def run_case(scxc, workdir, text, expected, status=1):
    policy = workdir / "limit.sched"
    policy.write_text(text)
    if expected == "build":
        command = [scxc, policy.name, "-o", "limit.bpf.o"]
    elif expected == "tokens":
        command = [scxc, policy.name, "--emit=tokens", "-o", "limit.tokens"]
    else:
        command = [scxc, policy.name, "--emit=c", "-o", "limit.bpf.c"]
    try:
        result = subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                                errors="replace", timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return f"no answer within {TIME_LIMIT}s"
    errors = result.stderr
    if result.returncode < 0 or "Sanitizer" in errors or "runtime error" in errors:
        return f"died (status {result.returncode}): {errors[-2000:]}"
    if expected in ("build", "ok", "tokens"):
        if result.returncode != 0:
            return f"status {result.returncode}, expected success: {errors[:2000]}"
        return None
    if result.returncode != status:
        return f"status {result.returncode}, expected {status}: {errors[:2000]}"
    if expected not in errors:
        return f"expected an error with {expected!r}, got: {errors[:2000]}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scxc", required=True)
    args = parser.parse_args()
    scxc = str(pathlib.Path(args.scxc).resolve())
    failed = 0
    with tempfile.TemporaryDirectory(prefix="scxc-limits-") as scratch:
        for name, text, *expected in CASES:
            problem = run_case(scxc, pathlib.Path(scratch), text, *expected)
            if problem:
                failed += 1
                print(f"FAIL {name}: {problem}")
            else:
                print(f"ok   {name}")
    print(f"{len(CASES) - failed}/{len(CASES)} limit cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
