# SPDX-License-Identifier: GPL-2.0-only
"""code_size.py — how much BPF code each callback of an object is, read from the ELF.

Takes BPF objects (scxc's, and the hand-written reference scheduler's); makes per object the number
of BPF instructions of each struct_ops callback (a section `struct_ops/NAME`, 8 bytes an
instruction; a 64-bit immediate load counts as the two it takes) and of shared subprograms
(.text).  Callbacks are named without their scheduler's prefix (scxc_select_cpu and
reference_select_cpu are both select_cpu), so that objects compare callback by callback.
"""

import re
import subprocess

SECTION = re.compile(r"\]\s+(\S+)\s+PROGBITS\s+\S+\s+\S+\s+([0-9a-f]+)")
CALLBACKS = ("select_cpu", "enqueue", "dispatch", "runnable", "running", "stopping", "enable",
             "init", "exit")


def callback_of(section):
    """'struct_ops/scxc_select_cpu' -> 'select_cpu'; other sections -> None."""
    if section == ".text":
        return "subprograms"
    if not section.startswith("struct_ops/"):
        return None
    name = section.split("/", 1)[1]
    for callback in CALLBACKS:
        if name.endswith(callback):
            return callback
    return name


def instructions(readelf, obj):
    """callback -> BPF instructions of OBJ."""
    listing = subprocess.run([readelf, "-S", "--wide", str(obj)], capture_output=True, text=True,
                             check=True).stdout
    counts = {}
    for section, size in SECTION.findall(listing):
        callback = callback_of(section)
        if callback and int(size, 16):
            counts[callback] = counts.get(callback, 0) + int(size, 16) // 8
    return counts


def section(sizes, reference="reference"):
    """The markdown table: objects by row, callbacks by column, and the total against the
    reference's."""
    columns = [c for c in (*CALLBACKS, "subprograms") if any(c in counts for counts in sizes.values())]
    base = sum(sizes[reference].values())
    out = ["| object | " + " | ".join(columns) + " | total | / reference |",
           "|---|" + "---:|" * (len(columns) + 2)]
    for name, counts in sizes.items():
        total = sum(counts.values())
        out.append(f"| {name} | " + " | ".join(str(counts.get(c, "–")) for c in columns) +
                   f" | {total} | {total / base:.2f} |")
    return "\n".join(out)
