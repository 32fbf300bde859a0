# SPDX-License-Identifier: GPL-2.0-only
"""membership.py — the host side of the vm test "membership" (guest script membership.sh).

Takes the facts and JSON of one boot: partial.sched in partial mode and the same policy switched
for every task (full), then tests/vm/members.sched.  Checks that in partial mode only the tasks
that chose SCHED_EXT run under the policy (the others keep their policy as the kernel reports it,
and the class stats do not count them) while those follow it (their CPU split is the classes'
weights); that the full variant does count the sleeper; and that sched_policy and id ranges sort
tasks.  Every figure is printed.
"""

from harness import HERE, Failure, Variant, boot, check, expect_active, expect_clean_run, fact, read_json, scxrun_summary, task

POLICIES = ["partial.sched", Variant("partial.sched", "full", "partial = true;", "partial = false;"),
            HERE / "members.sched"]


def weights_split(report, heavy, light):
    """The CPU time of HEAVY over LIGHT's, both hogs of one CPU."""
    heavy_ns, light_ns = task(report, heavy)["cpu_ns"], task(report, light)["cpu_ns"]
    check(light_ns > 0, f"{light} got no CPU at all")
    return heavy_ns / light_ns, heavy_ns, light_ns


def check_partial(facts, out_dir):
    expect_active(facts, out_dir, "partial", "partial")
    expect_clean_run(facts, out_dir, "partial")
    check(fact(facts, "partial_run.status") == "0", "the workload failed under partial")
    check(fact(facts, "partial.switch_all") == "0", "switch_all is not 0 under partial = true")
    summary = scxrun_summary(out_dir, "partial")
    check(summary.get("switch") == "partial", f"scxrun's summary says switch {summary.get('switch')!r}")
    report, stats = read_json(out_dir, "partial_run.json"), summary["stats"]
    nap = task(report, "fav_nap")
    seen = {name: task(report, name)["policy_seen"] for name in ("fav_ext", "oth_ext", "fav_nap")}
    ratio, fav_ns, oth_ns = weights_split(report, "fav_ext", "oth_ext")
    favoured = stats["class.favoured.enqueued"]
    print(f"  partial: policies as the kernel reports them {seen}; fav_ext {fav_ns / 1e6:.0f} ms, "
          f"oth_ext {oth_ns / 1e6:.0f} ms of CPU 1: ratio {ratio:.2f} (weights 3.00); the ordinary "
          f"fav_nap woke {nap['wakeups']} times, class favoured enqueued {favoured} "
          f"(others {stats['class.others.enqueued']})")
    check(seen == {"fav_ext": "ext", "oth_ext": "ext", "fav_nap": "normal"},
          f"the tasks' policies are not what they chose: {seen}")
    # vtime with two hogs on one CPU keeps the weights within a few percent (the fair-share test);
    # 20% allows for TCG's noise over 3 s.
    check(abs(ratio / 3 - 1) <= 0.20, f"the SCHED_EXT hogs split CPU 1 {ratio:.2f} : 1, not the weights' 3 : 1")
    # Each wake-up of fav_nap would be an enqueue in class favoured if the policy ran it; the hog
    # fav_ext is enqueued about once per turn (tens a second).
    check(nap["wakeups"] >= 150, f"the ordinary sleeper woke only {nap['wakeups']} times")
    check(favoured <= nap["wakeups"] / 4,
          f"class favoured counted {favoured} enqueues beside {nap['wakeups']} wake-ups of the ordinary "
          "fav_nap: the policy ran a task that did not choose SCHED_EXT")
    return favoured, nap["wakeups"]


def check_full(facts, out_dir):
    expect_active(facts, out_dir, "full", "partial")
    expect_clean_run(facts, out_dir, "full")
    check(fact(facts, "full_run.status") == "0", "the workload failed under the full variant")
    check(fact(facts, "full.switch_all") == "1", "switch_all is not 1 under partial = false")
    summary = scxrun_summary(out_dir, "full")
    check(summary.get("switch") == "all", f"scxrun's summary says switch {summary.get('switch')!r}")
    report = read_json(out_dir, "full_run.json")
    nap, favoured = task(report, "fav_nap"), summary["stats"]["class.favoured.enqueued"]
    print(f"  full: fav_nap (policy {nap['policy_seen']}) woke {nap['wakeups']} times, class favoured "
          f"enqueued {favoured}")
    check(favoured >= nap["wakeups"] / 2,
          f"with every task switched, class favoured counted only {favoured} enqueues beside "
          f"{nap['wakeups']} wake-ups of fav_nap")


def check_members(facts, out_dir):
    expect_active(facts, out_dir, "members", "members")
    expect_clean_run(facts, out_dir, "members")
    check(fact(facts, "members_run.status") == "0", "the workload failed under members")
    report, stats = read_json(out_dir, "members_run.json"), scxrun_summary(out_dir, "members")["stats"]
    ratio, n_ns, b_ns = weights_split(report, "n_hog", "b_hog")
    counted = {name: stats[f"class.{name}.enqueued"] for name in ("background", "root_hogs", "users", "rest")}
    print(f"  members: n_hog {n_ns / 1e6:.0f} ms, the SCHED_BATCH b_hog "
          f"({task(report, 'b_hog')['policy_seen']}) {b_ns / 1e6:.0f} ms: ratio {ratio:.1f} "
          f"(weights 100 : 10); enqueued by class {counted}")
    check(task(report, "b_hog")["policy_seen"] == "batch", "b_hog is not SCHED_BATCH")
    check(counted["background"] > 0 and counted["root_hogs"] > 0,
          f"the batch hog or the root hog was never sorted into its class: {counted}")
    check(counted["users"] == 0, f"class users (uid 1000 .. 1999) counted tasks in a guest of root: {counted}")
    # 10 : 1 by weight; a tenth of a CPU is a small figure, so the bound is wide.
    check(6 <= ratio <= 16, f"the ordinary hog got {ratio:.1f} times the batch hog's CPU, not about 10")


def run(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "membership", objects, out_dir)
    try:
        check_partial(facts, out_dir)
        check_full(facts, out_dir)
        check_members(facts, out_dir)
    except KeyError as missing:
        raise Failure(f"scxrun's summary has no stat {missing}")
