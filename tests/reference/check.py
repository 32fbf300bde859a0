#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks, on a host without sched_ext, that reference.bpf.o honours docs/object-format.md.

The object must be a BPF ELF with BTF and a struct_ops section; carry the expected `.scxc`
self-description; define `scxc_params` in .data.params, `scxc_exit` in .bss and the struct_ops map
`scxc_ops`; its `scxc_stats` value must be one u64 per stat line; and scxrun must describe it,
accept --set slice=…, and refuse to run it only for want of sched_ext (or, as root against a
fake idle sysfs, only when the kernel refuses to load it: after the loader found its ops map
and wrote its params).
"""
import argparse
import json
import os
import pathlib
import struct
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import elf  # noqa: E402

DESCRIPTION = [
    "scxc 2",
    "policy reference",
    "source reference.bpf.c",
    "param slice duration 5000000 100000 100000000",
    "queue main vtime",
    "class all main",
    "stat enqueued count",
    "stat direct count",
    "stat dispatched count",
    "stat kept count",
]
NR_STATS = sum(line.startswith("stat ") for line in DESCRIPTION)
EXIT_RECORD_SIZE = 8 + 8 + 128 + 1024  # struct scxc_exit_info

DESCRIBED = [
    "policy reference (from reference.bpf.c)",
    "param slice: duration = {slice} in 100us .. 100ms",
    "queue main: vtime",
    "class all -> main",
    "stat enqueued",
    "stat direct",
    "stat dispatched",
    "stat kept",
]


def symbols(data):
    """{name: (section name, value, size)} from the ELF64 symbol table."""
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def string(table, offset):
        start = headers[table][4] + offset
        return data[start:data.index(b"\0", start)].decode()

    found = {}
    for header in headers:
        if header[1] != 2:  # SHT_SYMTAB
            continue
        for i in range(header[5] // header[9]):
            name, _info, _other, shndx, value, size = struct.unpack_from(
                "<IBBHQQ", data, header[4] + i * header[9])
            if 0 < shndx < shnum:
                found[string(header[6], name)] = (string(shstrndx, headers[shndx][0]), value, size)
    return found


def stats_value_size(bpftool, obj):
    """The size of scxc_stats' value type, read from the object's BTF."""
    dump = subprocess.run([bpftool, "-j", "btf", "dump", "file", str(obj)], capture_output=True,
                          text=True, check=True, timeout=60)
    types = {t["id"]: t for t in json.loads(dump.stdout)["types"]}

    def resolve(type_id):
        while types[type_id]["kind"] in ("TYPEDEF", "CONST", "VOLATILE"):
            type_id = types[type_id]["type_id"]
        return types[type_id]

    var = next(t for t in types.values() if t["kind"] == "VAR" and t["name"] == "scxc_stats")
    value = next(m for m in resolve(var["type_id"])["members"] if m["name"] == "value")
    pointer = resolve(value["type_id"])
    if pointer["kind"] != "PTR":
        raise ValueError(f"scxc_stats' value member is a {pointer['kind']}, not a pointer")
    return resolve(pointer["type_id"])["size"]


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **(env or {})})
    return result.returncode, result.stdout + result.stderr


def check_object(obj, bpftool):
    data = obj.read_bytes()
    machine, sections = elf.sections(data)
    if machine != elf.EM_BPF:
        yield f"ELF machine is {machine}, not BPF ({elf.EM_BPF})"
        return
    for name in (".BTF", ".BTF.ext", ".struct_ops", ".scxc", ".maps", ".data.params", ".bss", "license"):
        if name not in sections:
            yield f"no {name} section (sections: {', '.join(sorted(sections))})"
    if ".scxc" in sections:
        text = sections[".scxc"]
        if not text.endswith(b"\0"):
            yield ".scxc is not NUL-terminated"
        lines = text.rstrip(b"\0").decode().splitlines()
        if lines != DESCRIPTION:
            yield f".scxc holds {lines}, expected {DESCRIPTION}"
    found = symbols(data)
    expected = {"scxc_params": (".data.params", 8), "scxc_exit": (".bss", EXIT_RECORD_SIZE),
                "scxc_ops": (".struct_ops", None), "scxc_stats": (".maps", None)}
    for name, (section, size) in expected.items():
        if name not in found:
            yield f"no symbol {name}"
        elif found[name][0] != section:
            yield f"{name} is in {found[name][0]}, not {section}"
        elif size is not None and found[name][2] != size:
            yield f"{name} is {found[name][2]} bytes, not {size}"
    size = stats_value_size(bpftool, obj)
    if size != 8 * NR_STATS:
        yield f"scxc_stats' value is {size} bytes, not 8 x {NR_STATS} stats"
    names = subprocess.run([bpftool, "btf", "dump", "file", str(obj)], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    if "FUNC 'scxc_init'" not in names:
        yield "no program scxc_init (the loader marks only that name sleepable)"


def check_loader(obj, scxrun, missing_sysfs, idle_sysfs):
    status, output = run([scxrun, str(obj), "--describe"])
    want = [line.format(slice="5ms") for line in DESCRIBED]
    if status != 0 or output.splitlines() != want:
        yield f"scxrun --describe exited {status} with:\n{output}\nexpected:\n" + "\n".join(want)
    status, output = run([scxrun, str(obj), "--set", "slice=3ms", "--describe"])
    if status != 0 or DESCRIBED[1].format(slice="3ms") not in output:
        yield f"scxrun --set slice=3ms --describe exited {status} with:\n{output}"
    status, output = run([scxrun, str(obj), "--set", "slice=200ms"])
    if status != 2 or "out of range" not in output:
        yield f"scxrun --set slice=200ms exited {status} (expected 2, out of range) with:\n{output}"
    status, output = run([scxrun, str(obj), "--duration", "1s"], {"SCXRUN_SYSFS": missing_sysfs})
    if status != 1 or output.strip() != ("scxrun: error: this kernel has no sched_ext "
                                         "(CONFIG_SCHED_CLASS_EXT); run it in a VM with "
                                         "`scxrun --vm X.bpf.o`"):
        yield f"scxrun without sched_ext exited {status} with:\n{output}"
    # Past the machine checks, libbpf opens the object; the host's kernel then refuses to load
    # it.  Only where that is certain: never load a scheduler for real from this tier.
    if os.geteuid() == 0 and not os.path.exists("/sys/kernel/sched_ext"):
        status, output = run([scxrun, str(obj), "--duration", "1s"], {"SCXRUN_SYSFS": idle_sysfs})
        if status != 1 or "the kernel refused to load 'reference'" not in output:
            yield f"scxrun against an idle fake sysfs exited {status} with:\n{output}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("object", type=pathlib.Path)
    parser.add_argument("--scxrun", required=True)
    parser.add_argument("--bpftool", required=True)
    parser.add_argument("--missing-sysfs", required=True)
    parser.add_argument("--idle-sysfs", required=True)
    args = parser.parse_args()
    problems = list(check_object(args.object, args.bpftool))
    problems += check_loader(args.object, args.scxrun, args.missing_sysfs, args.idle_sysfs)
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"ok   {args.object}: a BPF object scxrun describes and would load")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
