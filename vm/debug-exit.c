/* SPDX-License-Identifier: GPL-2.0-only */
/* debug-exit — ends the QEMU guest it runs in, with a chosen status.
 *
 * Takes one argument, a byte N (0..255), and writes it to I/O port 0xf4, where scxc-vm places QEMU's
 * isa-debug-exit device; QEMU then exits at once with status 2N+1.  The guest kernel has no /dev/port,
 * so this static helper asks for port access itself (ioperm, needs root) and issues the `outb`.
 * If the write returns, the device is missing: it says so and exits 1, and the caller falls back to
 * powering off. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

enum { DEBUG_EXIT_PORT = 0xf4 };

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr,
			"usage: debug-exit STATUS   (STATUS 0..255; QEMU exits with 2*STATUS+1)\n");
		return 2;
	}
	char *end;
	long status = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || status < 0 || status > 255) {
		fprintf(stderr, "debug-exit: '%s' is not a status between 0 and 255\n", argv[1]);
		return 2;
	}
	if (ioperm(DEBUG_EXIT_PORT, 1, 1) != 0) {
		fprintf(stderr, "debug-exit: no access to port 0x%x: %s\n", DEBUG_EXIT_PORT,
			strerror(errno));
		return 1;
	}
	outb((unsigned char)status, DEBUG_EXIT_PORT);
	fprintf(stderr,
		"debug-exit: QEMU did not exit: is the isa-debug-exit device at 0x%x missing?\n",
		DEBUG_EXIT_PORT);
	return 1;
}
