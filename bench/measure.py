# SPDX-License-Identifier: GPL-2.0-only
"""measure.py — the benchmark's shared measuring: repeated timings and their spread.

Takes a function to time and a number of repetitions; makes a Sample (median, minimum, maximum
and the list).  Every figure the benchmark reports that moves from run to run is a Sample, and
every comparison a ratio of two Samples measured side by side in the same loop, so that the
machine's drift moves both.
"""

import statistics
import subprocess
import time


class Sample:
    def __init__(self, values):
        self.values = list(values)
        self.median = statistics.median(self.values)
        self.low = min(self.values)
        self.high = max(self.values)

    def spread(self):
        """The range around the median, relative: (high - low) / median."""
        return (self.high - self.low) / self.median if self.median else 0.0


def run_timed(command):
    """Seconds COMMAND takes; fails loudly if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"run-bench: {' '.join(map(str, command))} failed:\n{done.stderr}")
    return elapsed


def interleaved(commands, repeat):
    """Times each of COMMANDS (a dict name -> argv) REPEAT times, taking turns, so that drift hits
    each alike; returns name -> Sample."""
    times = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(run_timed(command))
    return {name: Sample(values) for name, values in times.items()}


def ratio(a, b):
    """The ratios of two Samples taken in turns, pairwise: a Sample itself."""
    return Sample(x / y for x, y in zip(a.values, b.values))
