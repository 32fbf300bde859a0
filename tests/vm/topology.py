# SPDX-License-Identifier: GPL-2.0-only
"""topology.py — the vm suite's test of the topology CPU steps ("topology").

Takes topology.sched compiled as five policies that differ only in their `cpu:` line; boots the
guest script topology.sh once per kernel as 2 sockets x 2 cores x 2 threads (8 vCPUs, one NUMA
node per socket), and once with 2 plain vCPUs; checks that the kernel shows that topology and that scxrun found it, then where
a 2 ms sleeper woke, with a hog pinned to CPU 1 and the sleeper started on CPU 0, CPU 1's SMT
sibling: under idle(core) on a CPU whose core the hog does not share; under idle(llc) and
idle(node) in CPU 0's cache and node, although the other socket is idle too; and, with the
sleeper allowed only CPUs 0, 2 and 4, only there, where each step should put it.  The policies
without those steps are measured beside them, and every figure is printed.  On the 2 plain vCPUs
(one cache, one node, no SMT) scxrun must say that the steps act as plain ones, and they must
still place the sleeper on the one idle CPU.
"""

from harness import Variant, boot, check, expect_active, expect_clean_run, fact, messages, read_json, task

TOPOLOGY = "2x2x2"
HOG_CPU, START_CPU = 1, 0
PLACED_MIN = 0.95  # of the sleeper's wake-ups in the window
# The fewest wake-ups a share is taken of: about 1,000 a second natively, 50 to 450 under TCG
# depending on the host's load (as few as 94 in a 2 s window on a busy host).
WAKEUPS_MIN = 40
# On 2 plain vCPUs: CPU 0 is also where the guest's other threads run; when it is busy the sleeper
# waits in its queue, and CPU 1 takes it when the hog's slice ends (2-5 of 110-260 wake-ups).
FLAT_MIN = 0.90
# The line scxrun prints for this machine (loader/topology.c).
FOUND = "topology: 8 CPUs; 2 last-level caches (0-3; 4-7); 2 NUMA nodes (0-3; 4-7); SMT"


# Each policy's `cpu:` line; topology.sched holds the first.
CPU_LINES = {"topo_core": "cpu: idle(core), idle(any), prev;",
             "topo_prev": "cpu: idle(prev), idle(any), prev;",
             "topo_llc": "cpu: idle(llc), idle(any), prev;",
             "topo_node": "cpu: idle(node), idle(any), prev;",
             "topo_any": "cpu: idle(any), prev;"}


def policies(here):
    source, line = here / "topology.sched", CPU_LINES["topo_core"]
    return [Variant(source, stem, line, new) for stem, new in CPU_LINES.items()]


def cpu_list(text):
    cpus = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        cpus.update(range(int(first), int(last or first) + 1))
    return frozenset(cpus)


def expect_machine(facts):
    """The guest's sysfs shows 8 CPUs in SMT pairs, an LLC and a node per socket."""
    check(fact(facts, "cpus") == "8", f"the guest has {fact(facts, 'cpus')} CPUs, not 8")
    siblings = {cpu: cpu_list(fact(facts, f"cpu{cpu}.siblings")) for cpu in range(8)}
    llcs = {cpu: cpu_list(fact(facts, f"cpu{cpu}.llc")) for cpu in range(8)}
    nodes = [cpu_list(fact(facts, f"node{node}.cpus")) for node in range(2)]
    def groups(of):
        return sorted(set(tuple(sorted(cpus)) for cpus in of.values()))
    print(f"  guest: SMT siblings {groups(siblings)}; last-level caches {groups(llcs)}; "
          f"nodes {[tuple(sorted(node)) for node in nodes]}")
    check(all(siblings[cpu] == {cpu & ~1, cpu | 1} for cpu in range(8)),
          f"the SMT siblings are not the pairs 0-1 .. 6-7: {siblings}")
    check(all(llcs[cpu] == cpu_list("0-3" if cpu < 4 else "4-7") for cpu in range(8)),
          f"the last-level caches are not 0-3 and 4-7: {llcs}")
    check(nodes == [cpu_list("0-3"), cpu_list("4-7")], f"the nodes are not 0-3 and 4-7: {nodes}")
    check("node2.cpus" not in facts, "the guest has more than 2 nodes")
    return siblings, llcs, nodes


def wakeups(out_dir, policy, run="run"):
    by_cpu = task(read_json(out_dir, f"{policy}.{run}.json"), "sleeper")["wakeups_by_cpu"]
    return {int(cpu): count for cpu, count in by_cpu.items()}


def moves(out_dir, policy, run="run"):
    return task(read_json(out_dir, f"{policy}.{run}.json"), "sleeper")["wake_moves"]


def stayed(moved, domain_of):
    """The share of the wake-ups in the domain of the wake-up before (where the task last ran: it
    sleeps again at once)."""
    total = sum(count for _, _, count in moved)
    check(total >= WAKEUPS_MIN, f"the sleeper woke only {total} times in the window (want >= {WAKEUPS_MIN})")
    return sum(count for source, to, count in moved if domain_of[source] == domain_of[to]) / total


def share(by_cpu, cpus):
    total = sum(by_cpu.values())
    check(total >= WAKEUPS_MIN, f"the sleeper woke only {total} times in the window (want >= {WAKEUPS_MIN})")
    return sum(count for cpu, count in by_cpu.items() if cpu in cpus) / total


def run_flat(runner, kernel, objects, out_dir):
    """2 plain vCPUs: scxrun says each step acts as a plain one; idle(core) keeps the sleeper on
    its previous CPU, 0 (the hog has CPU 1), and idle(llc) finds it there as idle(any) does."""
    facts = boot(runner, kernel, "topology", objects, out_dir)
    for policy in ("topo_core", "topo_llc"):
        expect_active(facts, out_dir, policy, "topology")
        check(fact(facts, f"{policy}.run.status") == "0", f"the workload failed under {policy} on 2 CPUs")
        expect_clean_run(facts, out_dir, policy)
        said = messages(out_dir, policy)
        for note in ("1 last-level cache (0-1); 1 NUMA node (0-1); no SMT",
                     "one last-level cache: idle(llc) acts as idle(any)",
                     "no SMT: idle(core) takes any idle CPU"):
            check(note in said, f"on 2 plain CPUs scxrun did not say '{note}' for {policy}:\n{said}")
        placed = wakeups(out_dir, policy)
        on_prev = share(placed, {START_CPU})
        print(f"  2 plain CPUs, {policy}: the sleeper's wake-ups by CPU {placed}: {on_prev:.3f} on CPU {START_CPU}")
        check(on_prev >= FLAT_MIN, f"on 2 plain CPUs under {policy} only {on_prev:.3f} of the wake-ups were "
              f"on CPU {START_CPU}, the one idle CPU (want >= {FLAT_MIN})")


def run(runner, kernel, objects, out_dir):
    run_flat(runner, kernel, objects, out_dir.parent / (out_dir.name + "-flat"))
    facts = boot(runner, kernel, "topology", objects, out_dir, vm_args=["--topology", TOPOLOGY])
    siblings, llcs, nodes = expect_machine(facts)
    stems = list(CPU_LINES)
    for policy in stems:
        expect_active(facts, out_dir, policy, "topology")
        check(fact(facts, f"{policy}.run.status") == "0", f"the workload failed under {policy}")
        expect_clean_run(facts, out_dir, policy)
    for policy in ("topo_core", "topo_llc", "topo_node"):
        said = messages(out_dir, policy)
        check(FOUND in said, f"scxrun did not report the topology '{FOUND}' for {policy}:\n{said}")
    check(FOUND not in messages(out_dir, "topo_any"), "scxrun read the topology for a policy without a topology step")

    apart = frozenset(cpu for cpu in range(8) if HOG_CPU not in siblings[cpu])
    placed = {policy: wakeups(out_dir, policy) for policy in stems}
    core = {policy: share(placed[policy], apart) for policy in ("topo_core", "topo_prev")}
    node_of = {cpu: index for index, cpus in enumerate(nodes) for cpu in cpus}
    llc = {policy: stayed(moves(out_dir, policy), llcs) for policy in ("topo_llc", "topo_any")}
    node = {policy: stayed(moves(out_dir, policy), node_of) for policy in ("topo_node", "topo_any")}
    for policy in stems:
        print(f"  {policy}: the sleeper's wake-ups by CPU {dict(sorted(placed[policy].items()))}")
    print(f"  on a core without the hog (CPUs {sorted(apart)}): idle(core) {core['topo_core']:.3f}, "
          f"idle(prev), idle(any) {core['topo_prev']:.3f}")
    print(f"  in the last-level cache of the wake-up before: idle(llc) {llc['topo_llc']:.3f}, "
          f"idle(any) {llc['topo_any']:.3f}")
    print(f"  in the node of the wake-up before: idle(node) {node['topo_node']:.3f}, idle(any) {node['topo_any']:.3f}")
    check(core["topo_core"] >= PLACED_MIN,
          f"under idle(core) only {core['topo_core']:.3f} of the wake-ups were on a core without the hog "
          f"(want >= {PLACED_MIN})")
    check(llc["topo_llc"] >= PLACED_MIN,
          f"under idle(llc) only {llc['topo_llc']:.3f} of the wake-ups stayed in the cache of the one before "
          f"(want >= {PLACED_MIN})")
    check(node["topo_node"] >= PLACED_MIN,
          f"under idle(node) only {node['topo_node']:.3f} of the wake-ups stayed in the node of the one before "
          f"(want >= {PLACED_MIN})")

    # Allowed only CPUs 0, 2 and 4: idle(core) finds core 2-3 or 4-5 whole idle, never CPU 0;
    # idle(llc) and idle(node) keep it in the socket of the wake-up before (0 and 2 share one; 4
    # is alone in the other, where it stays once there).
    allowed = {0, 2, 4}
    for policy in ("topo_core", "topo_llc", "topo_node"):
        check(fact(facts, f"{policy}.limited.status") == "0", f"the workload failed under {policy} with cpus=0+2+4")
        placed = wakeups(out_dir, policy, "limited")
        check(set(placed) <= allowed, f"under {policy} the sleeper woke outside its CPUs 0, 2, 4: {placed}")
        if policy == "topo_core":
            inside, what = share(placed, {2, 4}), "on a core without the hog"
        else:
            inside = stayed(moves(out_dir, policy, "limited"), llcs if policy == "topo_llc" else node_of)
            what = f"in the {'cache' if policy == 'topo_llc' else 'node'} of the wake-up before"
        print(f"  {policy}, allowed CPUs 0, 2, 4: wake-ups by CPU {dict(sorted(placed.items()))}: "
              f"{inside:.3f} {what}")
        check(inside >= PLACED_MIN, f"under {policy} with cpus=0+2+4 only {inside:.3f} of the wake-ups were "
              f"{what} (want >= {PLACED_MIN})")
