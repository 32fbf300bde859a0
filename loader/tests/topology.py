#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""topology.py — what scxrun reads of the machine's topology (loader/topology.c), on fake sysfs trees.

Takes scxrun, scxc, a policy with topology steps, one without, and the fake idle sched_ext
directory.  Builds trees shaped like /sys/devices/system (cpu/possible, each CPU's cache/index*
level and shared_cpu_list and topology/thread_siblings_list, node/nodeN/cpulist) in a temporary
directory, points SCXRUN_TOPOLOGY at each and checks the line scxrun prints before it tries to
load (which fails on a host without sched_ext, after the topology is read): the sockets of a
2 x 2 x 2 machine, a flat one (one cache, no NUMA directory, no SMT) with the notes that the steps
act as plain ones, interleaved SMT siblings with sparse node numbers and a memory-only node, and a
tree without cpu/possible.  A policy without a topology step reads nothing.
"""
import os
import pathlib
import subprocess
import sys
import tempfile

failures = 0


def check(ok, label, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {label}")
    if not ok:
        failures += 1
        print(f"     {detail}")


def write(root, path, text):
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text + "\n")


def machine(root, cpus, llc, siblings, nodes):
    """A tree for CPUS CPUs: llc(cpu) and siblings(cpu) give cpu lists; nodes maps id -> cpu list."""
    write(root, "cpu/possible", f"0-{cpus - 1}")
    for cpu in range(cpus):
        write(root, f"cpu/cpu{cpu}/cache/index0/level", "1")
        write(root, f"cpu/cpu{cpu}/cache/index0/shared_cpu_list", siblings(cpu))
        write(root, f"cpu/cpu{cpu}/cache/index2/level", "3")
        write(root, f"cpu/cpu{cpu}/cache/index2/shared_cpu_list", llc(cpu))
        write(root, f"cpu/cpu{cpu}/cache/index1/level", "2")
        write(root, f"cpu/cpu{cpu}/cache/index1/shared_cpu_list", siblings(cpu))
        write(root, f"cpu/cpu{cpu}/topology/thread_siblings_list", siblings(cpu))
    for node, cpu_list in nodes.items():
        write(root, f"node/node{node}/cpulist", cpu_list)


def scxrun(args, topology, policy):
    env = dict(os.environ, SCXRUN_SYSFS=args.idle_sysfs, SCXRUN_TOPOLOGY=str(topology))
    return subprocess.run([args.scxrun, str(policy)], capture_output=True, text=True, env=env,
                          timeout=60).stderr


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("scxrun", "scxc", "with_steps", "without_steps", "idle_sysfs"):
        parser.add_argument(name)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scxc-topology-") as tmp:
        tmp = pathlib.Path(tmp)
        objects = {}
        for name, source in (("with", args.with_steps), ("without", args.without_steps)):
            objects[name] = tmp / f"{name}.bpf.o"
            subprocess.run([args.scxc, source, "-o", str(objects[name])], check=True)

        sockets = tmp / "sockets"
        machine(sockets, 8, lambda cpu: "0-3" if cpu < 4 else "4-7",
                lambda cpu: f"{cpu & ~1}-{cpu | 1}", {0: "0-3", 1: "4-7"})
        said = scxrun(args, sockets, objects["with"])
        want = "topology: 8 CPUs; 2 last-level caches (0-3; 4-7); 2 NUMA nodes (0-3; 4-7); SMT"
        check(want in said and "acts as" not in said, "2 sockets x 2 cores x 2 threads", said)
        check("topology" not in scxrun(args, sockets, objects["without"]),
              "a policy without a topology step reads none")

        flat = tmp / "flat"
        machine(flat, 4, lambda cpu: "0-3", str, {})
        said = scxrun(args, flat, objects["with"])
        for want in ("topology: 4 CPUs; 1 last-level cache (0-3); 1 NUMA node (0-3); no SMT",
                     "one last-level cache: idle(llc) acts as idle(any)",
                     "one NUMA node: idle(node) acts as idle(any)",
                     "no SMT: idle(core) takes any idle CPU"):
            check(want in said, f"flat: '{want}'", said)

        # Siblings numbered apart (0 and 4), as many x86 machines do; nodes 0 and 2 with CPUs and
        # node 1 with memory only.
        apart = tmp / "apart"
        machine(apart, 8, lambda cpu: "0-1,4-5" if cpu % 4 < 2 else "2-3,6-7",
                lambda cpu: f"{cpu % 4},{cpu % 4 + 4}", {0: "0-1,4-5", 1: "", 2: "2-3,6-7"})
        said = scxrun(args, apart, objects["with"])
        want = "topology: 8 CPUs; 2 last-level caches (0-1,4-5; 2-3,6-7); 2 NUMA nodes (0-1,4-5; 2-3,6-7); SMT"
        check(want in said, "siblings apart, sparse nodes, a memory-only node", said)

        said = scxrun(args, tmp / "nothing", objects["with"])
        check("topology unknown (cannot read cpu/possible): idle(core), idle(llc) and idle(node) act "
              "as plain idle CPU steps" in said, "no topology to read", said)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
