# SPDX-License-Identifier: GPL-2.0-only
"""cpusets.py — the vm suite's test of CPU sets ("cpusets").

Takes the compiled example pinned.sched (CI runners, tasks named ci_*, on CPUs 2-3) and its
variant with `reserve = true`; boots the guest script cpusets.sh once per kernel with 4 vCPUs;
checks what docs/language.md promises of sets: a confined task is never seen on a CPU outside its
set and the set's tasks together get at most its CPUs; CPUs of an idle set are lent to the other
tasks, and with `reserve` never are (a task allowed only a reserved CPU excepted: it runs there,
counted as misfit); a runner allowed only a CPU outside its set still runs, counted as misfit;
`scxrun set` refuses to change the set live and `scxrun get` shows it; `--set ci_cpus=3` moves
the runners; at load a set's missing CPUs are a warning and a set with no
CPU on the machine a refusal.  Every figure is printed.
"""

from harness import Variant, boot, check, expect_active, expect_clean_run, fact, messages, read_json, scxrun_summary

POLICIES = ["pinned.sched",
            Variant("pinned.sched", "reserve", "{ cpus = ci_cpus; }", "{ cpus = ci_cpus; reserve = true; }")]

SET = {2, 3}
SET_SHARE_SLACK = 0.10   # the runners' CPU time, in CPUs, above the set's 2 (accounting rounding)
LENT_MIN_BUSY = 0.80     # of each CPU of an idle, lent set, with six hogs on four CPUs
RESERVED_MAX_BUSY = 0.15 # of CPU 3 of a reserved set with no runner (kernel threads run there)
MISFIT_MIN_SHARE = 0.20  # of one CPU, for a task that may run only outside its queue's CPUs


def tasks(report, prefix):
    return [t for t in report["tasks"] if t["name"].startswith(prefix)]


def show(report):
    return ", ".join(f"{t['name']} {t['cpu_share']:.2f} on {t['cpus_seen']}" for t in report["tasks"])


def busy(report):
    return " ".join(f"cpu{i} {b:.2f}" for i, b in enumerate(report["cpu_busy"]))


def check_confined(out_dir):
    report = read_json(out_dir, "confined.json")
    runners = tasks(report, "ci_")
    total = sum(t["cpu_share"] for t in runners)
    print(f"  confined: {show(report)}; runners {total:.2f} CPUs in all; busy {busy(report)}")
    for t in runners:
        check(t["cpus_seen"] and set(t["cpus_seen"]) <= SET,
              f"runner {t['name']} was seen on CPUs {t['cpus_seen']}, outside 2-3")
    check(total <= len(SET) + SET_SHARE_SLACK, f"the runners got {total:.2f} CPUs, more than their set's 2")
    check(total >= len(SET) - 0.3, f"the runners got only {total:.2f} CPUs of their set's 2")


def check_lent(out_dir):
    report = read_json(out_dir, "lent.json")
    seen = set().union(*(t["cpus_seen"] for t in report["tasks"]))
    print(f"  lent: {show(report)}; busy {busy(report)}")
    check(SET <= seen, f"with no runner, no other task was seen on CPUs 2-3 (seen: {sorted(seen)})")
    for cpu in SET:
        check(report["cpu_busy"][cpu] >= LENT_MIN_BUSY,
              f"CPU {cpu} was busy {report['cpu_busy'][cpu]:.2f} of the time, under {LENT_MIN_BUSY}, though lent")


def check_misfit(out_dir):
    report = read_json(out_dir, "misfit.json")
    pinned = tasks(report, "ci_pinned")[0]
    misfit = scxrun_summary(out_dir, "pinned")["stats"]["queue.ci.misfit"]
    print(f"  misfit: {show(report)}; queue.ci.misfit {misfit}")
    check(pinned["cpus_seen"] == [0], f"the runner allowed only CPU 0 was seen on {pinned['cpus_seen']}")
    check(pinned["cpu_share"] >= MISFIT_MIN_SHARE,
          f"the runner allowed only CPU 0 got {pinned['cpu_share']:.2f} of it, under {MISFIT_MIN_SHARE}")
    check(misfit > 0, "queue.ci.misfit counted nothing")


def check_narrowed(out_dir):
    report = read_json(out_dir, "narrowed.run.json")
    total = sum(t["cpu_share"] for t in tasks(report, "ci_"))
    stats = {k: v for k, v in scxrun_summary(out_dir, "narrowed")["stats"].items() if v}
    print(f"  --set ci_cpus=3: {show(report)}; runners {total:.2f} CPUs in all; stats {stats}")
    for t in tasks(report, "ci_"):
        check(t["cpus_seen"] == [3], f"with ci_cpus=3, runner {t['name']} was seen on {t['cpus_seen']}")
    check(total <= 1 + SET_SHARE_SLACK, f"with ci_cpus=3 the runners got {total:.2f} CPUs")


def check_reserved(out_dir):
    report = read_json(out_dir, "reserved.json")
    stats = scxrun_summary(out_dir, "reserve")["stats"]
    print(f"  reserved: {show(report)}; busy {busy(report)}; queue.main.misfit {stats['queue.main.misfit']}")
    for t in tasks(report, "other_"):
        if t["name"] == "other_on2":
            continue
        check(not set(t["cpus_seen"]) & SET, f"{t['name']} ran on reserved CPUs: {t['cpus_seen']}")
    on2 = tasks(report, "other_on2")[0]
    check(on2["cpus_seen"] == [2] and on2["cpu_share"] >= MISFIT_MIN_SHARE,
          f"the task allowed only reserved CPU 2 got {on2['cpu_share']:.2f} of it, on {on2['cpus_seen']}")
    check(stats["queue.main.misfit"] > 0, "queue.main.misfit counted nothing")
    check(report["cpu_busy"][3] <= RESERVED_MAX_BUSY,
          f"reserved CPU 3 was busy {report['cpu_busy'][3]:.2f} of the time with no runner")


def check_live(facts, out_dir):
    refused = (out_dir / "live_set.err").read_text()
    shown = (out_dir / "live_get.out").read_text()
    print(f"  scxrun set pinned ci_cpus=1 said: {refused.strip()} (status {fact(facts, 'live_set.status')})")
    print(f"  scxrun get pinned said: {shown.strip()}")
    check(fact(facts, "live_set.status") != "0", "scxrun set changed a cpuset param of a running scheduler")
    check("fixed when the scheduler loads" in refused, "scxrun set did not say a CPU set is fixed at load")
    check("param ci_cpus: cpuset = 2-3" in shown, "scxrun get did not show ci_cpus = 2-3")


def check_load_time(facts, out_dir):
    warned = messages(out_dir, "missing")
    print(f"  --set ci_cpus=3-5 said: {warned.strip()}")
    check("CPUs 4-5 of its set do not exist" in warned, "no warning about CPUs 4-5, which do not exist")
    check(fact(facts, "missing.ops") == "pinned", "pinned did not load with ci_cpus=3-5")
    expect_clean_run(facts, out_dir, "missing")
    refused = (out_dir / "absent.err").read_text()
    print(f"  --set ci_cpus=8-9 said: {refused.strip()} (status {fact(facts, 'absent.status')})")
    check(fact(facts, "absent.status") != "0", "a set with no CPU on the machine was not refused")
    check("has no CPU on this machine" in refused, "the refusal does not say the set has no CPU here")


def run(runner, kernel, objects, out_dir):
    facts = boot(runner, kernel, "cpusets", objects, out_dir, cpus=4)
    check(fact(facts, "cpus") == "4", f"the guest has {fact(facts, 'cpus')} CPUs, not 4")
    for label, policy in (("pinned", "pinned"), ("narrowed", "pinned"), ("reserve", "pinned")):
        expect_active(facts, out_dir, label, policy)
        expect_clean_run(facts, out_dir, label)
    for key, value in facts.items():
        if key.endswith(".status") and key not in ("absent.status", "live_set.status"):
            check(value == "0", f"{key} is {value}")
    check_confined(out_dir)
    check_lent(out_dir)
    check_misfit(out_dir)
    check_live(facts, out_dir)
    check_narrowed(out_dir)
    check_reserved(out_dir)
    check_load_time(facts, out_dir)
