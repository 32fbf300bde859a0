#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""gen_policy.py — random *valid* scheduling policies for the property test "every accepted policy loads".

Takes a seed and a count; writes COUNT policies (SEED, SEED+1, ...: one seed each, so any one is made
again with `--seed S --count 1`) as DIR/rSEED.sched, plus a module DIR/rSEED_mod.sched for those that
import a local file.  Each policy uses a random selection of every construct of docs/language.md:
a policy body with a starvation bound and partial mode, params of each type (inferred or declared, with and without
ranges, defaults and bounds written as constant expressions; cpuset params), fifo, vtime and
deadline queues (some with a body giving a starvation bound, some with CPU sets, literal or from a
param, reserved or spilling), imports of the standard library (kthreads, desktop) and of a
local module, classes with nested when-conditions over every task field (comm and parent_comm ==, !=, in, ~ with
globs and escapes; cgroup ==, !=, in, ~ over paths and globs; pid, tgid, uid, gid, nice, weight, kthread, sched_policy (also against policy
names); in about half of the policies the
behaviour fields avg_run, wake_rate, avg_wait, cpu_time too; and/or/not; every comparison; `in`
over numbers and `in LOW .. HIGH`), slices, weights, deadlines and periods as typed expressions (min/max/clamp,
queued(Q), nr_cpus, params, task fields, + - * / % and negation, duration ratios), preempt, CPU
chains and dispatch plans of tiers and share groups, in random order and with random comments,
parentheses and layout.

It tracks what the compiler folds (docs/language.md, "Constants and folding") so that it never writes
what the language forbids: a constant division by zero, a constant that overflows, a constant slice
outside 1us .. 1s, weight outside 1 .. 10000, deadline or period outside 1us .. 10s, a starvation
bound that is not a constant in 1ms .. 10s, a preempt that is not a constant bool, a class of a
deadline queue with neither deadline nor period, a share group of one queue or a share outside
1 .. 1000, more than 32 strings compared with cgroup, a CPU set that is empty, names a CPU twice or past 511, or has no CPU on a 2-CPU machine
(every set holds CPU 0 or 1, so each policy also loads in the vm suite's guests), a condition that folds to true (later classes could never match), a string comm could
never equal.  Warnings (may-starve, useless-weight, useless-preempt, ...) are fine; anything scxc
still rejects is a generator or compiler bug.
"""

import argparse
import pathlib
import random

# Precedence levels of the grammar (compiler/parser.y), loosest first.
OR, AND, NOT, CMP, ADD, MUL, NEG, PRIMARY = range(1, 9)

INT, DUR, BOOL = "int", "duration", "bool"
UNITS = [("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000)]
INT_FIELDS = ["pid", "tgid", "uid", "gid", "nice", "weight", "sched_policy"]
CGROUP_NAMES = ["ci", "services", "system.slice", "web", "nginx.service", "user-1000.slice", "a", "b"]
SCHED_POLICIES = ["normal", "fifo", "rr", "batch", "idle", "deadline", "ext"]
BEHAVIOUR_INT_FIELDS = ["wake_rate"]                       # how a task behaves (compiler/ir.h)
BEHAVIOUR_DUR_FIELDS = ["avg_run", "avg_wait", "cpu_time"]
QUEUE_KINDS = ["fifo", "vtime", "deadline"]
DEADLINE_MIN, DEADLINE_MAX = 1_000, 10_000_000_000         # deadlines and periods: 1us .. 10s
BOUND_MIN, BOUND_MAX = 1_000_000, 10_000_000_000           # starvation bounds: 1ms .. 10s
SHARE_MIN, SHARE_MAX = 1, 1000
FOLD_LIMIT = 1 << 60          # constants the generator keeps away from 64-bit overflow
RESERVED = {"policy", "import", "param", "queue", "class", "when", "cpu", "dispatch", "then", "in",
            "and", "or", "not", "true", "false", "task", "nr_cpus", "min", "max", "clamp", "queued",
            "comm", "kthread", *INT_FIELDS, *BEHAVIOUR_INT_FIELDS, *BEHAVIOUR_DUR_FIELDS,
            # the standard library's names
            "kthreads", "kthread_slice", "kernel_threads",
            "desktop", "desktop_slice", "desktop_audio", "desktop_display"}
# Ordinary identifiers that the compiler gives a meaning only in certain places.
CONTEXTUAL = ["idle", "prev", "any", "fifo", "vtime", "deadline", "int", "duration", "bool",
              "slice", "period", "preempt", "starvation"]
WORDS = ["fast", "slow", "batch", "ui", "rt", "bg", "net", "io", "build", "game", "audio", "cache",
         "boost", "grace", "floor", "cap", "tick", "burst", "lat", "share", "hog", "nap", "mid"]
COMMS = ["bash", "zsh", "Xorg", "pipewire", "kworker/0:1", "ksoftirqd/1", "rcu_sched", "cc1",
         "cc1plus", "ld", "rustc", "sshd", "systemd", "workload", "scxrun", "hog0", "hog5", "sleeper",
         "init", "sh", "busybox", "migration/0", "a b", "tab\tname", 'say "hi"', "back\\slash",
         "line\nbreak", "x", "", "fifteen_chars_x"]


class Expr:
    """Text at a precedence level, and the value the compiler folds it to (None: not a constant)."""

    def __init__(self, text, prec, value=None):
        self.text, self.prec, self.value = text, prec, value


class TooHard(Exception):
    """This attempt broke a rule (overflow, a constant zero divisor); the caller draws again."""


def checked(value):
    if not -FOLD_LIMIT < value < FOLD_LIMIT:
        raise TooHard()
    return value


def trunc_div(a, b):
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def trunc_mod(a, b):
    return a - b * trunc_div(a, b)


def quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


class Generator:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.used = set()
        self.params = {INT: [], DUR: [], BOOL: []}
        self.queues = []
        self.kinds = {}     # queue name -> fifo, vtime or deadline
        self.cgroup_strings = 0  # strings compared with cgroup: at most 32 a policy
        self.cpuset_params = []
        # About half of the policies read how tasks behave (they are then sorted again at each
        # slice end); the others keep to who a task is.
        self.behaviour = self.chance(0.5)

    # --- small draws ------------------------------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, items):
        return self.rng.choice(items)

    def name(self, prefix):
        while True:
            roll = self.rng.random()
            if roll < 0.04:
                candidate = self.pick(CONTEXTUAL)
            elif roll < 0.5:
                candidate = f"{self.pick(WORDS)}_{prefix}{self.rng.randrange(100)}"
            elif roll < 0.55:
                candidate = "_" + prefix + "x" * self.rng.randrange(1, 60)
            else:
                candidate = f"{prefix}{self.rng.randrange(1000)}"
            if candidate not in RESERVED and candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def wrap(self, expr, level):
        """EXPR as an operand that needs at least LEVEL, with an occasional extra pair of parens."""
        if expr.prec < level or self.chance(0.08):
            return f"({expr.text})"
        return expr.text

    def int_literal(self, value):
        text = str(value)
        if value >= 10_000 and self.chance(0.5):
            text = f"{value:_}"
        return text

    def small_int(self):
        roll = self.rng.random()
        if roll < 0.6:
            return self.rng.randrange(0, 20)
        if roll < 0.85:
            return self.pick([50, 64, 99, 100, 128, 1000, 1024, 4096, 10000])
        return self.rng.randrange(0, 10_000_000)

    def duration_literal(self, ns):
        """A literal for NS nanoseconds in a random unit that divides it."""
        units = [(unit, scale) for unit, scale in UNITS if ns % scale == 0]
        unit, scale = self.pick(units)
        return Expr(self.int_literal(ns // scale) + unit, PRIMARY, ns)

    def random_duration(self):
        scale = self.pick([1, 1_000, 1_000_000, 1_000_000_000])
        count = self.pick([0, 1, 2, 3, 5, 10, 20, 100, 250, 500, self.rng.randrange(1000)])
        return self.duration_literal(count * scale)

    # --- constants with a chosen value (param defaults and ranges) ----------------------------

    def constant(self, kind, value, depth=2):
        """A constant expression of KIND that folds to VALUE."""
        if kind == BOOL:
            return self.bool_constant(value, depth)
        literal = (lambda v: self.duration_literal(v)) if kind == DUR else \
            (lambda v: Expr(self.int_literal(v), PRIMARY, v))
        if value < 0:
            inner = self.constant(kind, -value, depth - 1)
            return Expr("-" + self.wrap(inner, NEG), NEG, value)
        if depth <= 0 or self.chance(0.4):
            return literal(value)
        roll = self.rng.randrange(6)
        if roll == 0:
            part = self.rng.randrange(0, value + 1)
            left, right = self.constant(kind, part, depth - 1), self.constant(kind, value - part, depth - 1)
            return Expr(f"{self.wrap(left, ADD)} + {self.wrap(right, MUL)}", ADD, value)
        if roll == 1:
            extra = self.rng.randrange(0, 1000) * (1 if kind == INT else self.pick([1, 1000]))
            left, right = self.constant(kind, value + extra, depth - 1), self.constant(kind, extra, depth - 1)
            return Expr(f"{self.wrap(left, ADD)} - {self.wrap(right, MUL)}", ADD, value)
        if roll == 2 and value > 0:
            factor = self.pick([d for d in (2, 3, 4, 5, 10) if value % d == 0] or [1])
            left = self.constant(kind, value // factor, depth - 1)
            right = Expr(str(factor), PRIMARY, factor)
            if self.chance(0.5):
                left, right = right, left
            return Expr(f"{self.wrap(left, MUL)} * {self.wrap(right, NEG)}", MUL, value)
        if roll == 3:
            divisor = self.pick([2, 4, 10])
            left = self.constant(kind, value * divisor, depth - 1)
            return Expr(f"{self.wrap(left, MUL)} / {divisor}", MUL, value)
        if roll == 4:
            other = self.constant(kind, value + self.rng.randrange(0, 100), depth - 1)
            mine = self.constant(kind, value, depth - 1)
            args = [mine, other] if self.chance(0.5) else [other, mine]
            return Expr(f"min({args[0].text}, {args[1].text})", PRIMARY, value)
        low = self.constant(kind, max(0, value - self.rng.randrange(0, 100)), depth - 1)
        high = self.constant(kind, value, depth - 1)
        above = self.constant(kind, value + self.rng.randrange(0, 100), depth - 1)
        return Expr(f"clamp({above.text}, {low.text}, {high.text})", PRIMARY, value)

    def bool_constant(self, value, depth):
        if depth <= 0 or self.chance(0.5):
            return Expr("true" if value else "false", PRIMARY, int(value))
        if self.chance(0.3):
            inner = self.bool_constant(not value, depth - 1)
            return Expr(f"(not {self.wrap(inner, NOT)})", PRIMARY, int(value))
        # VALUE and true, or VALUE or false: the other side is the one that does not decide.
        other = self.bool_constant(self.chance(0.5), depth - 1)
        mine = self.bool_constant(value, depth - 1)
        if other.value:
            return Expr(f"({self.wrap(mine, AND)} and {self.wrap(other, NOT)})", PRIMARY, int(value))
        return Expr(f"({self.wrap(mine, OR)} or {self.wrap(other, AND)})", PRIMARY, int(value))

    # --- typed expressions ------------------------------------------------------------------

    def expr(self, kind, depth):
        for _ in range(50):
            try:
                return {INT: self.int_expr, DUR: self.dur_expr, BOOL: self.bool_expr}[kind](depth)
            except TooHard:
                continue
        return {INT: Expr("1", PRIMARY, 1), DUR: Expr("1ms", PRIMARY, 1_000_000),
                BOOL: Expr("kthread", PRIMARY)}[kind]

    def binary(self, op, left, right, value_of, level):
        """LEFT OP RIGHT at LEVEL (left-associative), folded with VALUE_OF when both are constant."""
        if op in ("/", "%") and right.value == 0:
            raise TooHard()
        value = None
        if left.value is not None and right.value is not None:
            value = checked(value_of(left.value, right.value))
        return Expr(f"{self.wrap(left, level)} {op} {self.wrap(right, level + 1)}", level, value)

    def arith(self, op, left, right):
        funcs = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
                 "/": trunc_div, "%": trunc_mod}
        return self.binary(op, left, right, funcs[op], ADD if op in "+-" else MUL)

    def negate(self, operand):
        value = None if operand.value is None else checked(-operand.value)
        return Expr("-" + self.wrap(operand, NEG), NEG, value)

    def call(self, name, args):
        values = [a.value for a in args]
        if name == "clamp":
            value = None if None in values else min(max(values[0], values[1]), values[2])
        else:
            constants = [v for v in values if v is not None]
            value = (min if name == "min" else max)(constants) if len(constants) == len(values) else None
        return Expr(f"{name}({', '.join(a.text for a in args)})", PRIMARY, value)

    def minmax(self, kind, depth):
        name = self.pick(["min", "max", "clamp"])
        count = 3 if name == "clamp" else self.pick([2, 2, 3, 4])
        return self.call(name, [self.expr(kind, depth - 1) for _ in range(count)])

    def int_leaf(self):
        roll = self.rng.randrange(7)
        if roll == 0:
            value = self.small_int()
            return Expr(self.int_literal(value), PRIMARY, value)
        if roll == 1 and self.params[INT]:
            return Expr(self.pick(self.params[INT]), PRIMARY)
        if roll == 2:
            return Expr("nr_cpus", PRIMARY)
        if roll == 3:
            return Expr(f"queued({self.pick(self.queues)})", PRIMARY)
        fields = INT_FIELDS + (BEHAVIOUR_INT_FIELDS * 2 if self.behaviour else [])
        return self.field(self.pick(fields))

    def field(self, name):
        return Expr(("task." if self.chance(0.3) else "") + name, PRIMARY)

    def int_expr(self, depth):
        if depth <= 0 or self.chance(0.3):
            return self.int_leaf()
        roll = self.rng.randrange(10)
        if roll < 5:
            op = self.pick(["+", "-", "*", "/", "%"])
            return self.arith(op, self.int_expr(depth - 1), self.int_expr(depth - 1))
        if roll == 5:
            return self.negate(self.int_expr(depth - 1))
        if roll == 6:   # a ratio of durations
            left, right = self.dur_expr(depth - 1), self.dur_expr(depth - 1)
            return self.binary("/", left, right, trunc_div, MUL)
        if roll < 9:
            return self.minmax(INT, depth)
        return self.int_leaf()

    def dur_leaf(self):
        if self.behaviour and self.chance(0.3):
            return self.field(self.pick(BEHAVIOUR_DUR_FIELDS))
        if self.params[DUR] and self.chance(0.5):
            return Expr(self.pick(self.params[DUR]), PRIMARY)
        return self.random_duration()

    def dur_expr(self, depth):
        if depth <= 0 or self.chance(0.3):
            return self.dur_leaf()
        roll = self.rng.randrange(9)
        if roll < 2:
            op = self.pick(["+", "-"])
            return self.arith(op, self.dur_expr(depth - 1), self.dur_expr(depth - 1))
        if roll == 2:
            left, right = self.dur_expr(depth - 1), self.int_expr(depth - 1)
            if self.chance(0.5):
                return self.arith("*", right, left)
            return self.arith("*", left, right)
        if roll == 3:
            return self.arith("/", self.dur_expr(depth - 1), self.int_expr(depth - 1))
        if roll == 4:
            return self.arith("%", self.dur_expr(depth - 1), self.dur_expr(depth - 1))
        if roll == 5:
            return self.negate(self.dur_expr(depth - 1))
        return self.minmax(DUR, depth)

    def comm_string(self, glob):
        if glob:
            stem = self.pick(COMMS + ["kworker", "rcu", "irq", "hog", "cc"])[:10]
            pattern = "".join(self.pick([c, c, c, "?", "*"]) for c in stem)
            shape = self.rng.randrange(4)
            pattern = [pattern + "*", "*" + pattern, pattern, "*" + pattern + "?*"][shape]
            if "*" not in pattern and "?" not in pattern:
                pattern += "*"
            return pattern
        return self.pick(COMMS)

    def comm_test(self):
        subject = self.pick(["comm", "comm", "comm", "parent_comm"])
        subject = "task." + subject if self.chance(0.3) else subject
        roll = self.rng.randrange(5)
        if roll == 0:
            op = self.pick(["==", "!="])
            string = quote(self.comm_string(False))
            text = f"{subject} {op} {string}" if self.chance(0.7) else f"{string} {op} {subject}"
        elif roll == 1:
            items = ", ".join(quote(self.comm_string(False)) for _ in range(self.rng.randrange(1, 5)))
            text = f"{subject} in ({items})"
        else:
            text = f"{subject} ~ {quote(self.comm_string(True))}"
        return Expr(text, CMP)

    def comparison(self, kind, depth):
        op = self.pick(["==", "!=", "<", "<=", ">", ">="] if kind != BOOL else ["==", "!="])
        left, right = self.expr(kind, depth - 1), self.expr(kind, depth - 1)
        value = None
        if left.value is not None and right.value is not None:
            a, b = left.value, right.value
            value = int({"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])
        return Expr(f"{self.wrap(left, ADD)} {op} {self.wrap(right, ADD)}", CMP, value)

    def membership(self, kind, depth):
        subject = self.expr(kind, depth - 1)
        items = [self.expr(kind, depth - 1) for _ in range(self.rng.randrange(1, 5))]
        value = None    # folds like X == A or X == B or ...
        for index, item in enumerate(items):
            equal = None if subject.value is None or item.value is None else int(subject.value == item.value)
            value = equal if index == 0 else fold_or(value, equal)
        text = ", ".join(self.wrap(item, ADD) for item in items)
        return Expr(f"{self.wrap(subject, ADD)} in ({text})", CMP, value)

    def range_test(self, kind, depth):
        """X in LOW .. HIGH, whose constant bounds are never the wrong way round."""
        subject, low, high = (self.expr(kind, depth - 1) for _ in range(3))
        if low.value is not None and high.value is not None and low.value > high.value:
            low, high = high, low
        value = None
        if None not in (subject.value, low.value, high.value):
            value = int(low.value <= subject.value <= high.value)
        low_text = self.wrap(low, ADD)
        if low_text.startswith("("):  # a low bound may not open with '(', which starts a list
            low_text = ("0 + " if kind == INT else "0ns + ") + low_text
        return Expr(f"{self.wrap(subject, ADD)} in {low_text} .. {self.wrap(high, ADD)}", CMP, value)

    def cgroup_path(self, glob):
        path = "/" + "/".join(self.pick(CGROUP_NAMES) for _ in range(self.rng.randrange(0, 4)))
        if not glob:
            return path
        shape = self.rng.randrange(4)
        stem = path.rstrip("/")
        return [stem + "/*", "*" + stem[-4:], stem[:3] + "?" + stem[4:] if len(stem) > 4 else stem + "*",
                "/*/" + self.pick(CGROUP_NAMES)][shape]

    def cgroup_test(self):
        subject = "task.cgroup" if self.chance(0.3) else "cgroup"
        if self.cgroup_strings > 32 - 3:  # each test below compares 1 to 3 strings
            return self.comm_test()
        roll = self.rng.randrange(4)
        if roll == 0:
            self.cgroup_strings += 1
            op = self.pick(["==", "!="])
            path = quote(self.cgroup_path(False))
            return Expr(f"{subject} {op} {path}" if self.chance(0.7) else f"{path} {op} {subject}", CMP)
        if roll == 1:
            count = self.rng.randrange(1, 4)
            self.cgroup_strings += count
            items = ", ".join(quote(self.cgroup_path(False)) for _ in range(count))
            return Expr(f"{subject} in ({items})", CMP)
        self.cgroup_strings += 1
        return Expr(f"{subject} ~ {quote(self.cgroup_path(True))}", CMP)

    def policy_name_test(self):
        subject = "task.sched_policy" if self.chance(0.3) else "sched_policy"
        if self.chance(0.5):
            items = ", ".join(quote(self.pick(SCHED_POLICIES)) for _ in range(self.rng.randrange(1, 4)))
            return Expr(f"{subject} in ({items})", CMP)
        name = quote(self.pick(SCHED_POLICIES))
        op = self.pick(["==", "!="])
        return Expr(f"{subject} {op} {name}" if self.chance(0.7) else f"{name} {op} {subject}", CMP)

    def behaviour_test(self):
        """A test of how a task behaves, shaped the way policies write them: avg_run < 1ms."""
        op = self.pick(["<", "<=", ">", ">="])
        if self.chance(0.25):
            bound = self.pick([1, 10, 50, 100, 1000, self.rng.randrange(0, 100_000)])
            return Expr(f"{self.field('wake_rate').text} {op} {self.int_literal(bound)}", CMP)
        bound = self.pick([self.random_duration(), self.dur_leaf()])
        return Expr(f"{self.field(self.pick(BEHAVIOUR_DUR_FIELDS)).text} {op} {self.wrap(bound, ADD)}", CMP)

    def bool_leaf(self):
        roll = self.rng.randrange(8)
        if self.behaviour and self.chance(0.2):
            return self.behaviour_test()
        if roll == 0 and self.params[BOOL]:
            return Expr(self.pick(self.params[BOOL]), PRIMARY)
        if roll == 1:
            return Expr("task.kthread" if self.chance(0.3) else "kthread", PRIMARY)
        if roll == 2 and self.chance(0.3):
            value = self.chance(0.5)
            return Expr("true" if value else "false", PRIMARY, int(value))
        if roll <= 4:
            return self.comm_test()
        if roll == 5 and self.chance(0.4):
            return self.policy_name_test()
        if roll == 6 and self.chance(0.3):
            return self.cgroup_test()
        return self.comparison(self.pick([INT, INT, DUR]), 1)

    def bool_expr(self, depth):
        if depth <= 0 or self.chance(0.25):
            return self.bool_leaf()
        roll = self.rng.randrange(10)
        if roll < 3:
            left, right = self.bool_expr(depth - 1), self.bool_expr(depth - 1)
            if self.chance(0.5):
                return Expr(f"{self.wrap(left, AND)} and {self.wrap(right, NOT)}", AND,
                            fold_and(left.value, right.value))
            return Expr(f"{self.wrap(left, OR)} or {self.wrap(right, AND)}", OR, fold_or(left.value, right.value))
        if roll == 3:
            operand = self.bool_expr(depth - 1)
            return Expr(f"not {self.wrap(operand, NOT)}", NOT,
                        None if operand.value is None else 1 - operand.value)
        if roll == 4:
            return self.comparison(self.pick([INT, DUR, BOOL]), depth)
        if roll == 5:
            return self.membership(self.pick([INT, DUR]), depth)
        if roll == 6 and self.chance(0.5):
            return self.range_test(self.pick([INT, DUR]), depth)
        return self.bool_leaf()

    def bounded(self, kind, depth, low, high):
        """An expression of KIND that, if it folds to a constant, lies in LOW .. HIGH."""
        for _ in range(50):
            expr = self.expr(kind, depth)
            if expr.value is None or low <= expr.value <= high:
                return expr
        return self.constant(kind, self.rng.randrange(low, high + 1))

    # --- declarations -----------------------------------------------------------------------

    def cpuset(self):
        """A CPU set literal: CPU 0 or 1 first (so it has a CPU on any guest), then more CPUs and
        ranges up to 511, each CPU once, in any order and spacing."""
        cpus = {self.pick([0, 1])}
        items = [str(next(iter(cpus)))]
        for _ in range(self.rng.randrange(0, 4)):
            first = self.rng.randrange(2, 512)
            last = min(511, first + self.pick([0, 0, 1, 3, 60]))
            if cpus & set(range(first, last + 1)):
                continue
            cpus |= set(range(first, last + 1))
            items.append(str(first) if first == last else f"{first}-{last}")
        self.rng.shuffle(items)
        return "[" + self.pick([", ", ",", " , "]).join(items) + "]"

    def param(self):
        if self.chance(0.1):
            name = self.name("s")
            self.cpuset_params.append(name)
            return f"param {name}{self.pick(['', ': cpuset'])} = {self.cpuset()};"
        kind = self.pick([INT, DUR, BOOL])
        name = self.name("p")
        declared = f": {kind}" if self.chance(0.4) else ""
        if kind == BOOL:
            default = self.bool_constant(self.chance(0.5), 2)
            line = f"param {name}{declared} = {default.text};"
        else:
            if kind == INT:
                value = self.small_int() * self.pick([1, 1, -1])
            else:
                value = self.random_duration().value
            line = f"param {name}{declared} = {self.constant(kind, value).text}"
            if self.chance(0.6):
                spread = self.pick([0, 1, 10, 1000, 1_000_000, 1_000_000_000])
                low = value - self.rng.randrange(0, spread + 1)
                high = value + self.rng.randrange(0, spread + 1)
                if kind == DUR:
                    low = max(0, low)
                line += f" in {self.constant(kind, low).text} .. {self.constant(kind, high).text}"
            line += ";"
        self.params[kind].append(name)
        return line

    def deadline_value(self, depth):
        """A deadline or period: a constant (often a constant expression) in 1us .. 10s, or an
        expression the scheduler computes (params, task fields), which may fold to such a constant."""
        if self.chance(0.5):
            return self.bounded(DUR, depth, DEADLINE_MIN, DEADLINE_MAX)
        ns = self.pick([1_000, 100_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 5_000_000,
                        10_000_000, 16_000_000, 20_000_000, 33_000_000, 50_000_000, 100_000_000,
                        1_000_000_000, 10_000_000_000, self.rng.randrange(DEADLINE_MIN, DEADLINE_MAX + 1)])
        return self.constant(DUR, ns)

    def bound(self):
        """A starvation bound: a constant in 1ms .. 10s, sometimes a constant expression."""
        ns = self.pick([1_000_000, 2_000_000, 10_000_000, 50_000_000, 100_000_000, 200_000_000,
                        250_000_000, 500_000_000, 1_000_000_000, 2_000_000_000, 10_000_000_000,
                        self.rng.randrange(BOUND_MIN, BOUND_MAX + 1)])
        return self.constant(DUR, ns)

    def body(self, head, settings, empty=" {}"):
        """HEAD with a body of SETTINGS, on one line or several; EMPTY when there are none."""
        if not settings:
            return head + empty
        if self.chance(0.5):
            return head + " { " + " ".join(settings) + " }"
        return head + " {\n" + "".join(f"    {s}\n" for s in settings) + "}"

    def queue_decl(self, name):
        kind = self.pick(QUEUE_KINDS)
        self.kinds[name] = kind
        settings = [f"starvation = {self.bound().text};"] if self.chance(0.25) else []
        if self.chance(0.25):
            cpus = self.pick(self.cpuset_params) if self.cpuset_params and self.chance(0.4) else self.cpuset()
            settings.append(f"cpus = {cpus};")
            settings += [f"{key} = {self.pick(['true', 'false'])};" for key in ("reserve", "spill")
                         if self.chance(0.3)]
            self.rng.shuffle(settings)
        return self.body(f"queue {name}: {kind}", settings, self.pick([";"] * 9 + [" {}"]))

    def class_decl(self, name, when, depth, must_name_queue, queue=None):
        settings = []
        if queue or must_name_queue or self.chance(0.3):
            queue = queue or self.pick(self.queues)
            settings.append(f"queue = {queue};")
        fed = queue or (self.queues[0] if len(self.queues) == 1 else None)
        if self.chance(0.7):
            settings.append(f"slice = {self.bounded(DUR, depth, 1_000, 1_000_000_000).text};")
        if self.chance(0.5):
            settings.append(f"weight = {self.bounded(INT, depth, 1, 10_000).text};")
        # A class of a deadline queue gives its tasks a deadline, a period or both; others may too.
        if self.kinds.get(fed) == "deadline":
            which = self.pick(["deadline", "period", "both"])
            give_deadline, give_period = which != "period", which != "deadline"
        else:
            give_deadline, give_period = self.chance(0.15), self.chance(0.1)
        if give_deadline:
            settings.append(f"deadline = {self.deadline_value(depth).text};")
        if give_period:
            settings.append(f"period = {self.deadline_value(depth).text};")
        if self.chance(0.25):
            settings.append(f"preempt = {self.bool_constant(self.chance(0.6), 2).text};")
        self.rng.shuffle(settings)
        head = f"class {name}" + (f" when {when.text}" if when else "")
        return self.body(head, settings)

    def dispatch_plan(self):
        """Every queue once, in random order, in tiers: single queues and, in most plans, share
        groups of two queues or more."""
        order = list(self.queues)
        self.rng.shuffle(order)
        grouping = self.chance(0.6)
        tiers = []
        while order:
            if grouping and len(order) >= 2 and self.chance(0.6):
                size = self.rng.randrange(2, min(4, len(order)) + 1)
                members, order = order[:size], order[size:]
                tiers.append(self.share_group(members))
            else:
                tiers.append(order.pop(0))
        text = tiers[0]
        for tier in tiers[1:]:
            text += self.pick([", then ", " then ", ",then ", "\n    then "]) + tier
        return text

    def share_group(self, members):
        def share():
            roll = self.rng.random()
            if roll < 0.6:
                return str(self.rng.randrange(1, 11))
            if roll < 0.8:
                return self.pick(["1", "100", "999", "1000", "1_000"])
            return str(self.rng.randrange(SHARE_MIN, SHARE_MAX + 1))
        colon = self.pick([" : ", " : ", ": ", ":"])
        inner = colon.join(f"{queue} {share()}" for queue in members)
        return self.pick([f"({inner})", f"( {inner} )"])

    def condition(self, depth):
        for _ in range(50):
            when = self.expr(BOOL, depth)
            if when.value != 1 and (when.value is None or self.chance(0.1)):
                return when
        return Expr("kthread", PRIMARY)

    def module(self):
        """A local module: a queue, a param or two, and classes feeding that queue."""
        queue = self.name("mq")
        lines = [f"# module of policy r{self.seed}", self.queue_decl(queue)]
        self.queues.append(queue)
        for _ in range(self.rng.randrange(0, 3)):
            lines.append(self.param())
        for _ in range(self.rng.randrange(1, 3)):
            lines.append(self.class_decl(self.name("mc"), self.condition(2), 2, True, queue))
        return "\n".join(lines) + "\n"

    def policy(self):
        """Returns (policy text, module text or None)."""
        rng = self.rng
        depth = rng.randrange(1, 5)
        policy_settings = [f"starvation = {self.bound().text};"] if self.chance(0.3) else []
        if self.chance(0.2):
            policy_settings.append(f"partial = {self.bool_constant(self.chance(0.7), 1).text};")
        policy_line = self.body(f"policy r{self.seed}", policy_settings, self.pick([";"] * 19 + [" {}"]))
        header = [f"# random policy, seed {self.seed}", policy_line]
        imports = [name for name in ("kthreads", "desktop") if self.chance(0.3)]
        rng.shuffle(imports)
        import_lines = [f"import {name};" for name in imports]
        self.queues += imports
        self.kinds.update((name, "fifo") for name in imports)
        param_lines = [self.param() for _ in range(rng.randrange(0, 6))]
        own_queues = [self.name("q") for _ in range(rng.randrange(1, 5))]
        queue_lines = [self.queue_decl(q) for q in own_queues]
        self.queues += own_queues
        module = None
        if self.chance(0.15):
            module = self.module()
            import_lines.insert(rng.randrange(len(import_lines) + 1), f'import "r{self.seed}_mod.sched";')
        several = len(self.queues) > 1
        class_lines = []
        for _ in range(rng.randrange(0, 9)):
            class_lines.append(self.class_decl(self.name("c"), self.condition(depth), depth, several))
        class_lines.append(self.class_decl(self.name("rest"), None, depth, several))
        other = param_lines + queue_lines
        if self.chance(0.6):
            steps = ["idle(prev)", "idle(any)", "idle(core)", "idle(llc)", "idle(node)"]
            rng.shuffle(steps)
            steps = steps[:rng.randrange(0, len(steps) + 1)]
            if not steps or self.chance(0.6):
                steps.append("prev")
            other.append("cpu: " + ", ".join(steps) + ";")
        if self.chance(0.65):
            other.append(f"dispatch: {self.dispatch_plan()};")
        # Imports go before the classes (their classes are tried first); everything else anywhere.
        body = import_lines + class_lines
        for line in other:
            body.insert(rng.randrange(len(body) + 1), line)
        lines = header
        for line in body:
            if self.chance(0.15):
                lines.append(f"# {self.pick(WORDS)} {self.pick(WORDS)}")
            lines.append(line + (f"   # {self.pick(WORDS)}" if self.chance(0.1) else ""))
            if self.chance(0.2):
                lines.append("")
        return "\n".join(lines) + "\n", module


def fold_and(a, b):
    """How the compiler folds A and B (None: not a constant)."""
    if a is not None and b is not None:
        return int(a and b)
    if a == 0 or b == 0:
        return 0
    return None


def fold_or(a, b):
    if a is not None and b is not None:
        return int(a or b)
    if a == 1 or b == 1:
        return 1
    return None


def generate(seed):
    """The policy of SEED: (text, module text or None)."""
    return Generator(seed).policy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="the first policy's seed (default 1)")
    parser.add_argument("--count", type=int, default=1, help="how many policies (default 1)")
    parser.add_argument("--out", required=True, help="the directory to write rSEED.sched files to")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        text, module = generate(seed)
        (out / f"r{seed}.sched").write_text(text)
        if module:
            (out / f"r{seed}_mod.sched").write_text(module)


if __name__ == "__main__":
    main()
