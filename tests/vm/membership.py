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

POLICIES = ["layered.sched", "partial.sched", Variant("partial.sched", "full", "partial = true;", "partial = false;"),
            HERE / "members.sched", HERE / "cgroup-limits.sched"]


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
    # The two hogs take turns, so each class counts about as many enqueues as the other (33-41 each
    # in the runs so far); the sleeper's wake-ups would add to favoured's.
    others = stats["class.others.enqueued"]
    check(nap["wakeups"] >= 100, f"the ordinary sleeper woke only {nap['wakeups']} times")
    check(favoured <= others + nap["wakeups"] / 4,
          f"class favoured counted {favoured} enqueues (others {others}) beside {nap['wakeups']} wake-ups "
          "of the ordinary fav_nap: the policy ran a task that did not choose SCHED_EXT")
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
    counted = {name: stats[f"class.{name}.enqueued"]
               for name in ("background", "shell_kids", "users", "strangers", "rest")}
    print(f"  members: n_hog (parent {fact(facts, 'shell.comm')!r}) {n_ns / 1e6:.0f} ms, the SCHED_BATCH b_hog "
          f"({task(report, 'b_hog')['policy_seen']}) {b_ns / 1e6:.0f} ms: ratio {ratio:.1f} "
          f"(weights 100 : 10); enqueued by class {counted}")
    check(task(report, "b_hog")["policy_seen"] == "batch", "b_hog is not SCHED_BATCH")
    check(fact(facts, "shell.comm") == "sh", f"the guest script's shell is {fact(facts, 'shell.comm')!r}, not 'sh'")
    check(counted["background"] > 0 and counted["shell_kids"] > 0,
          f"the batch hog or the shell's root hog was never sorted into its class: {counted}")
    check(counted["users"] == 0 and counted["strangers"] == 0,
          f"class users (uid 1000 .. 1999) or strangers (parent_comm ~ \"no-such-*\") counted tasks: {counted}")
    # 10 : 1 by weight; a tenth of a CPU is a small figure, so the bound is wide.
    check(6 <= ratio <= 16, f"the ordinary hog got {ratio:.1f} times the batch hog's CPU, not about 10")


def check_layered(facts, out_dir):
    expect_active(facts, out_dir, "layered", "layered")
    expect_clean_run(facts, out_dir, "layered")
    for run in ("ci_run", "web_run"):
        check(fact(facts, f"{run}.status") == "0", f"the workload {run} failed: {(out_dir / (run + '.err')).read_text()}")
    ci_report, web_report = read_json(out_dir, "ci_run.json"), read_json(out_dir, "web_run.json")
    places = (ci_report["cgroup"]["start"], web_report["cgroup"]["start"], ci_report["cgroup"]["moved"])
    moved_at = ci_report["cgroup"]["moved_at_ns"]
    check(places == ("/ci", "/services/web", "/services/batch"),
          f"the workloads were not in the cgroups asked for: {places}")
    ci, web = task(ci_report, "ci_hog")["slots"], task(web_report, "web_hog")["slots"]
    stats = scxrun_summary(out_dir, "layered")["stats"]
    # 8 slots of 500 ms; the move comes 2 s into ci_hog's window (the windows start within a few
    # ms of each other).  Before it: slots 0-3, services 3 : ci 1; after: slots 5-7, one queue: 1 : 1.
    def split(slots):
        web_ns = sum(web[s]["cpu_ns"] for s in slots)
        ci_ns = sum(ci[s]["cpu_ns"] for s in slots)
        check(ci_ns > 0, f"ci_hog got no CPU in slots {list(slots)}")
        return web_ns / ci_ns
    before, after = split(range(0, 4)), split(range(5, 8))
    counted = {name: stats[f"class.{name}.enqueued"] for name in ("ci_jobs", "service_jobs", "other")}
    print(f"  layered: in {places[0]} and {places[1]}, web_hog : ci_hog = {before:.2f} (shares 3 : 1); "
          f"after ci_hog moved to {places[2]} at {moved_at / 1e9:.3f} s: {after:.2f} (one queue: 1 : 1); per slot web "
          f"{[round(s['cpu_ns'] / 1e6) for s in web]} ms, ci {[round(s['cpu_ns'] / 1e6) for s in ci]} ms; "
          f"enqueued by class {counted}, resorted {stats['resorted']}")
    check(abs(before / 3 - 1) <= 0.2, f"before the move the services hog got {before:.2f} times the CI hog's CPU, not 3")
    check(abs(after - 1) <= 0.2, f"after the move to /services/batch the hogs split {after:.2f} : 1, not 1 : 1")
    check(counted["ci_jobs"] > 0 and counted["service_jobs"] > 0, f"a cgroup class counted nothing: {counted}")
    check(stats["resorted"] > 0, "no task changed class at a slice end, though ci_hog moved")


def check_limits(facts, out_dir):
    expect_active(facts, out_dir, "limits", "cgroup_limits")
    expect_clean_run(facts, out_dir, "limits")
    check(fact(facts, "limits_run.status") == "0", "the workload in /limits/deep failed")
    summary, layered = scxrun_summary(out_dir, "limits"), scxrun_summary(out_dir, "layered")
    matched, cost = summary["stats"]["class.at_limit.enqueued"], summary["verified_insns"]
    print(f"  limits: 32 cgroup tests of 63 characters loaded; the tasks of /limits/deep were enqueued "
          f"{matched} times in their class; verifier: {cost['total']} instructions in all "
          f"(runnable {cost.get('scxc_runnable')}, dispatch {cost.get('scxc_dispatch')}), layered's 3 "
          f"tests {layered['verified_insns']['total']}")
    check(matched > 0, "the tasks in /limits/deep never reached class at_limit")


def run(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "membership", objects, out_dir)
    try:
        check_layered(facts, out_dir)
        check_partial(facts, out_dir)
        check_full(facts, out_dir)
        check_members(facts, out_dir)
        check_limits(facts, out_dir)
    except KeyError as missing:
        raise Failure(f"scxrun's summary has no stat {missing}")
