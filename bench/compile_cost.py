# SPDX-License-Identifier: GPL-2.0-only
"""compile_cost.py — what scxc's own work costs beside clang's, per example and for a big policy.

Takes scxc, clang and the example policies; makes, per policy, three timings taken in turns: scxc's
whole run (policy to object), scxc stopping after the C (--emit=c: the front end, the checks and
the emitter, process start included) and clang alone on that C with scxc's flags
(compiler/toolchain.c).  The figure that matters is the front end's part of the whole.
"""

import pathlib

from measure import interleaved, ratio, run_timed

BIG_CLASSES = 250  # the contract allows 256 classes (SCXC_MAX_CLASSES): a policy near the limit


def big_policy(path):
    """A policy of BIG_CLASSES classes over four queues, each class a comm test, a nice range and
    its own slice expression: the shape of a large hand-kept policy."""
    lines = ["policy big;", "param base = 5ms in 1ms .. 50ms;",
             "queue q0: fifo;", "queue q1: vtime;", "queue q2: vtime;", "queue q3: fifo;"]
    for n in range(BIG_CLASSES - 1):
        lines.append(f'class c{n} when comm ~ "app{n}_*" or (nice == {n % 40 - 20} and uid == {1000 + n}) '
                     f'{{ queue = q{n % 4}; slice = base + {n}us; }}')
    lines.append("class rest { queue = q1; slice = base; }")
    lines.append("dispatch: q0, then (q1 3 : q2 1), then q3;")
    path.write_text("\n".join(lines) + "\n")
    return path


def clang_command(clang, runtime_dir, source, output):
    return [clang, "-target", "bpf", "-mcpu=v3", "-g", "-O2", "-std=gnu11", "-fwrapv", "-Wall",
            "-Wno-unused-function", f"-I{runtime_dir}", "-c", str(source), "-o", str(output)]


def measure(scxc, clang, runtime_dir, policies, scratch, repeat):
    """Returns rows: (policy name, whole Sample, front-end Sample, clang Sample, front/whole Sample)."""
    rows = []
    for policy in policies:
        stem = policy.name.removesuffix(".sched")
        emitted, whole_out, clang_out = (scratch / f"{stem}{suffix}" for suffix in (".bpf.c", ".bpf.o", ".clang.o"))
        commands = {
            "whole": [scxc, str(policy), "-o", str(whole_out), "-Wno-may-starve"],
            "front": [scxc, str(policy), "--emit=c", "-o", str(emitted), "-Wno-may-starve"],
        }
        run_timed(commands["front"])  # writes the C that clang then compiles
        commands["clang"] = clang_command(clang, runtime_dir, emitted, clang_out)
        samples = interleaved(commands, repeat)
        rows.append((stem, samples["whole"], samples["front"], samples["clang"],
                     ratio(samples["front"], samples["whole"])))
    return rows


def section(rows):
    """The markdown of the compile section."""
    out = ["| policy | scxc, whole (ms) | front end + emitter (ms) | clang alone (ms) | front end / whole |",
           "|---|---:|---:|---:|---:|"]
    for name, whole, front, clang, share in rows:
        out.append(f"| {name} | {whole.median * 1e3:.1f} | {front.median * 1e3:.1f} | {clang.median * 1e3:.1f} | "
                   f"{share.median:.1%} ({share.low:.1%}–{share.high:.1%}) |")
    return "\n".join(out)


def example_policies(examples):
    return sorted(pathlib.Path(examples).glob("*.sched"))
