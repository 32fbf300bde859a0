# SPDX-License-Identifier: GPL-2.0-only
"""A minimal reader of 64-bit little-endian ELF section tables, enough to check BPF objects."""
import struct

EM_BPF = 247


def sections(data):
    """Returns (machine, {section name: bytes}) for an ELF64 LE file, or raises ValueError."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    machine, = struct.unpack_from("<H", data, 18)
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_offset = headers[shstrndx][4]

    def name(offset):
        end = data.index(b"\0", names_offset + offset)
        return data[names_offset + offset:end].decode()

    return machine, {name(h[0]): data[h[4]:h[4] + h[5]] for h in headers}
