#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Damaged and foreign objects: scxrun must refuse each with a plain message and exit 1.

Takes scxrun, a good described object (described.bpf.o), a BPF object with no .scxc section,
and optionally --valgrind.  Writes damaged copies of the good object into a temporary
directory: cut at many sizes; ELF header fields, section headers and the .scxc text altered;
and runs `scxrun COPY --describe` on each (which reads the whole description), checking the exit
status, that the message names the file and says what is wrong, and that scxrun neither
crashes nor (under valgrind) touches memory it should not.  As root, each copy is also run
without --describe (SCXRUN_SYSFS points at a fake idle sched_ext, so only the object can stop it
before libbpf), which must fail the same way.
"""
import argparse
import os
import pathlib
import struct
import subprocess
import sys
import tempfile

ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")


def sections(data):
    """(name, header offset, header fields) of every section of a well-formed ELF64 LE file."""
    fields = ELF_HEADER.unpack_from(data)
    shoff, shentsize, shnum, shstrndx = fields[6], fields[11], fields[12], fields[13]
    headers = [SECTION_HEADER.unpack_from(data, shoff + i * shentsize) for i in range(shnum)]
    names_offset = headers[shstrndx][4]
    result = []
    for i, header in enumerate(headers):
        start = names_offset + header[0]
        name = data[start:data.index(b"\0", start)].decode()
        result.append((name, shoff + i * shentsize, header))
    return result


def patched(data, offset, new):
    return data[:offset] + new + data[offset + len(new):]


def section_patch(data, name, field, value):
    """DATA with field FIELD (index into SECTION_HEADER) of section NAME set to VALUE."""
    for section_name, header_offset, header in sections(data):
        if section_name == name:
            header = list(header)
            header[field] = value
            return patched(data, header_offset, SECTION_HEADER.pack(*header))
    raise KeyError(name)


def description_span(data):
    for name, _, header in sections(data):
        if name == ".scxc":
            return header[4], header[5]
    raise KeyError(".scxc")


def text_patch(data, old, new):
    """DATA with OLD replaced by NEW (same length) inside the .scxc text."""
    assert len(old) == len(new)
    start, size = description_span(data)
    text = data[start:start + size]
    assert old in text, old
    return data[:start] + text.replace(old, new, 1) + data[start + size:]


def strtab_patch(data, old, new):
    """DATA with OLD replaced by NEW (same length) inside the string table of symbol and section
    names (.strtab)."""
    assert len(old) == len(new)
    for name, _, header in sections(data):
        if name == ".strtab":
            start, size = header[4], header[5]
            table = data[start:start + size]
            assert table.count(old) == 1, old
            return data[:start] + table.replace(old, new) + data[start + size:]
    raise KeyError(".strtab")


def cases(good, undescribed):
    """(name, bytes, text the message must contain) for every damaged or foreign object."""
    start, size = description_span(good)
    damaged = []
    for cut in (0, 1, 3, 4, 16, 52, 63, 64, 65, 200, len(good) // 4, len(good) // 2,
                start + size // 2, len(good) - 64, len(good) - 1):
        why = "is not an ELF file" if cut < 4 else "damaged ELF file"
        damaged.append((f"cut at {cut} bytes", good[:cut], why))
    # The ELF header.
    damaged += [
        ("32-bit class", patched(good, 4, b"\x01"), "is a 32-bit ELF file, not a BPF object"),
        ("big-endian", patched(good, 5, b"\x02"), "is a big-endian ELF file"),
        ("bad ELF version", patched(good, 6, b"\x07"), "damaged ELF file"),
        ("x86 machine", patched(good, 18, struct.pack("<H", 62)), "for another machine (e_machine 62)"),
        ("section headers past the end", patched(good, 40, struct.pack("<Q", len(good) + 4096)),
         "reach past the end of the file"),
        ("section headers at an odd offset", patched(good, 40, struct.pack("<Q", 3)),
         "damaged ELF file"),
        ("section header size wrong", patched(good, 58, struct.pack("<H", 7)), "damaged ELF file"),
        ("too many sections", patched(good, 60, struct.pack("<H", 0xfff0)), "damaged ELF file"),
        ("section names index out of range", patched(good, 62, struct.pack("<H", 0xfff0)),
         "damaged ELF file"),
    ]
    # The section headers.
    damaged += [
        (".scxc past the end", section_patch(good, ".scxc", 4, len(good) + 100), "reaches past the end"),
        (".scxc too long", section_patch(good, ".scxc", 5, 1 << 40), "damaged ELF file"),
        (".scxc size zero", section_patch(good, ".scxc", 5, 0), "not a NUL-terminated text"),
        (".scxc with no bytes", section_patch(good, ".scxc", 1, 8), "the .scxc section holds no bytes"),
        (".scxc name garbage", section_patch(good, ".scxc", 0, 0x7ffffff0), "lies outside the section-name table"),
        ("symbol table garbage", section_patch(good, ".symtab", 4, len(good) * 4), "damaged ELF file"),
    ]
    # The .scxc text.
    damaged += [
        ("version line", text_patch(good, b"scxc 2\n", b"scxc 9\n"),
         "unsupported self-description 'scxc 9'"),
        ("version line garbage", text_patch(good, b"scxc 2\n", b"\x7fELF\x01\x02\n"),
         "does not start with a version line (it holds byte 0x7f)"),
        ("param default not a number",
         text_patch(good, b"slice duration 5000000 ", b"slice duration 5000x00 "),
         "line 4: param slice: the default '5000x00' is not a number"),
        ("param bound not a number", text_patch(good, b"boost int 4 1 64", b"boost int 4 1 6x"),
         "line 5: param boost: the maximum '6x' is not a number"),
        ("param number too large",
         text_patch(good, b"0 0 9223372036854775807", b"0 0 9999999999999999999"),
         "the maximum '9999999999999999999' is not a number"),
        ("queue of an unknown kind", text_patch(good, b"queue main vtime\n", b"queue main vtimx\n"),
         "unknown queue kind 'vtimx' (this scxrun knows 'fifo', 'vtime'"),
        ("param unknown type", text_patch(good, b"boost int", b"boost flt"),
         "line 5: param boost: unknown type 'flt'"),
        ("param range upside down", text_patch(good, b"boost int 4 1 64", b"boost int 4 9 01"),
         "line 5: param boost: the default 4 is not in 9 .. 01"),
        ("param fields missing", text_patch(good, b"param strict bool 0 0 1", b"param strict bool 0 0  "),
         "line 6: param: wanted 'param NAME TYPE DEFAULT MIN MAX'"),
        ("second policy", text_patch(good, b"source demo.sched", b"policy demo.sched"),
         "line 3: a second policy record"),
        ("stat fields", text_patch(good, b"stat kept", b"stat k pt"),
         "line 15: stat: wanted 'stat NAME UNIT'"),
        ("stat without a unit", text_patch(good, b"stat kept count", b"stat kept_count"),
         "line 15: stat: wanted 'stat NAME UNIT'"),
        ("stat of an unknown unit", text_patch(good, b"lateness ns\n", b"lateness hs\n"),
         "line 12: stat class.all.lateness: unknown unit 'hs' (this scxrun knows 'count' and 'ns')"),
        ("queue fields missing", text_patch(good, b"queue main vtime", b"queue main_vtime"),
         "line 8: queue: wanted 'queue NAME KIND'"),
        ("no policy", text_patch(good, b"policy demo", b"polic  demo"), "names no policy"),
        ("not terminated", good[:start + size - 1] + b"x" + good[start + size:],
         "not a NUL-terminated text"),
        ("garbage records", good[:start] + b"scxc 2\npolicy demo\n" +
         (bytes(range(11, 256)) * 4)[:size - 20] + b"\0" + good[start + size:],
         "malformed .scxc record on line 3: it holds byte 0x0b"),
    ]
    # The runtime's pieces the loader needs, renamed in the string table.
    damaged += [
        ("no wait-time map", strtab_patch(good, b"scxc_waits\0", b"scxc_waitz\0"),
         "has no wait-time map 'scxc_waits' (every scxc object has one); the object is damaged"),
        ("params outside .data.params", strtab_patch(good, b".data.params\0", b".data.paramz\0"),
         "describes params but has no scxc_params at the start of .data.params"),
    ]
    damaged += [
        ("plain x86 program", pathlib.Path("/bin/true").read_bytes(), "for another machine"),
        ("BPF object without .scxc", undescribed, "not an scxc object"),
    ]
    return damaged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--valgrind", action="store_true")
    parser.add_argument("scxrun")
    parser.add_argument("described", type=pathlib.Path)
    parser.add_argument("undescribed", type=pathlib.Path)
    parser.add_argument("idle_sysfs")
    args = parser.parse_args()

    wrapper = []
    if args.valgrind:
        wrapper = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=no"]
    failed = 0
    all_cases = cases(args.described.read_bytes(), args.undescribed.read_bytes())
    with tempfile.TemporaryDirectory() as directory:
        for number, (name, data, wanted) in enumerate(all_cases):
            path = pathlib.Path(directory) / f"damaged-{number}.bpf.o"
            path.write_bytes(data)
            runs = [("--describe", [str(path), "--describe"], {})]
            if os.geteuid() == 0:
                runs.append(("to load", [str(path)], {"SCXRUN_SYSFS": args.idle_sysfs}))
            for how, words, environment in runs:
                result = subprocess.run(wrapper + [args.scxrun] + words, capture_output=True,
                                        text=True, errors="replace", timeout=120,
                                        env={**os.environ, **environment})
                problems = []
                if result.returncode != 1:
                    problems.append(f"exit status {result.returncode}, wanted 1")
                if how == "--describe" and (wanted not in result.stderr or str(path) not in result.stderr):
                    problems.append(f"the message lacks '{wanted}' or the file's name")
                failed += bool(problems)
                print(f"{'FAIL' if problems else 'ok'} {name} ({how})")
                for problem in problems:
                    print("  " + problem)
                if problems or how == "--describe":
                    print("  " + result.stderr.strip().replace("\n", "\n  "))
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
