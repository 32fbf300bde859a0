/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * object.c — takes the bytes of an scxc object (from a file or built into the program) and makes a
 * struct scxload_object: what its `.scxc` section says (read by description.c,
 * docs/object-format.md), and where the runtime's variables and maps sit, read from the ELF
 * symbol table.  Every way a file can fail to be an scxc object gets its own plain message: the
 * ELF structure is checked against the file's size before libelf or libbpf walk it (a cut or
 * damaged file is named as such, never read past its end), and an object that lacks a piece of
 * the runtime the loader needs is called damaged.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

static Elf_Scn *find_section(Elf *elf, size_t names, const char *wanted, size_t *index)
{
	Elf_Scn *section = NULL;
	while ((section = elf_nextscn(elf, section))) {
		GElf_Shdr header;
		if (!gelf_getshdr(section, &header))
			continue;
		const char *name = elf_strptr(elf, names, header.sh_name);
		if (name && !strcmp(name, wanted)) {
			if (index)
				*index = elf_ndxscn(section);
			return section;
		}
	}
	return NULL;
}

/* Where the runtime's variables and maps are, from the symbol table. */
struct runtime_symbols {
	long params_offset; /* scxc_params in .data.params; -1: absent */
	bool waits;	    /* the map scxc_waits in .maps */
};

/* Finds scxc_params (.data.params), scxc_exit (.bss) and scxc_waits (.maps) in the symbol table. */
static void find_runtime_symbols(struct scxload_object *object, Elf *elf, size_t names,
				 struct runtime_symbols *found)
{
	size_t params = 0, bss = 0, maps = 0;
	*found = (struct runtime_symbols){ .params_offset = -1 };
	object->exit_offset = -1;
	find_section(elf, names, PARAMS_SECTION, &params);
	find_section(elf, names, ".bss", &bss);
	find_section(elf, names, ".maps", &maps);
	Elf_Scn *section = NULL;
	while ((section = elf_nextscn(elf, section))) {
		GElf_Shdr header;
		if (!gelf_getshdr(section, &header) || header.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *data = elf_getdata(section, NULL);
		size_t count = header.sh_entsize ? header.sh_size / header.sh_entsize : 0;
		for (size_t i = 0; data && i < count; i++) {
			GElf_Sym symbol;
			if (!gelf_getsym(data, (int)i, &symbol))
				continue;
			const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
			if (!name || !symbol.st_shndx)
				continue;
			if (!strcmp(name, "scxc_params") && symbol.st_shndx == params)
				found->params_offset = (long)symbol.st_value;
			else if (!strcmp(name, "scxc_exit") && symbol.st_shndx == bss)
				object->exit_offset = (long)symbol.st_value;
			else if (!strcmp(name, WAITS_MAP) && symbol.st_shndx == maps)
				found->waits = true;
		}
	}
}

/* Whether the object has the runtime's pieces its description calls for; says what is missing. */
static bool check_runtime_symbols(const struct scxload_object *object,
				  const struct runtime_symbols *found)
{
	if (object->nr_params && found->params_offset != 0) {
		scxload_error("%s describes params but has no scxc_params at the start of %s; the "
			      "object is damaged",
			      object->label, PARAMS_SECTION);
		return false;
	}
	if (!found->waits) {
		scxload_error(
			"%s has no wait-time map '%s' (every scxc object has one); the object "
			"is damaged",
			object->label, WAITS_MAP);
		return false;
	}
	return true;
}

/* Reports OBJECT as damaged: "PATH is a damaged ELF file: WHY". */
static bool __attribute__((format(printf, 2, 3)))
damaged(const struct scxload_object *object, const char *fmt, ...)
{
	char why[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	scxload_error("%s is a damaged ELF file: %s", object->label, why);
	return false;
}

/* Whether [OFFSET, OFFSET + SIZE) lies inside a file of FILE_SIZE bytes. */
static bool inside(uint64_t offset, uint64_t size, size_t file_size)
{
	return offset <= file_size && size <= file_size - offset;
}

/* Checks the ELF64 header and every section header against the file's size, so that nothing
 * libelf or libbpf reads later lies past its end. */
static bool check_structure(const struct scxload_object *object)
{
	const unsigned char *bytes = object->elf;
	size_t size = object->elf_size;
	Elf64_Ehdr header;
	if (size < sizeof(header))
		return damaged(object,
			       "it is %zu bytes long, shorter than an ELF header (cut short?)",
			       size);
	memcpy(&header, bytes, sizeof(header));
	if (header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT)
		return damaged(object, "unknown ELF version %u",
			       (unsigned)header.e_ident[EI_VERSION]);
	if (!header.e_shoff || !header.e_shnum)
		return damaged(object, "it has no section headers");
	if (header.e_shentsize != sizeof(Elf64_Shdr))
		return damaged(object, "its section headers are %u bytes each, not %zu",
			       (unsigned)header.e_shentsize, sizeof(Elf64_Shdr));
	uint64_t table_size = (uint64_t)header.e_shnum * sizeof(Elf64_Shdr);
	if (!inside(header.e_shoff, table_size, size))
		return damaged(object,
			       "its section headers (bytes %" PRIu64 " to %" PRIu64 ") reach past "
			       "the end of the file at byte %zu (cut short?)",
			       (uint64_t)header.e_shoff, (uint64_t)header.e_shoff + table_size,
			       size);
	if (header.e_shoff % 8)
		return damaged(object,
			       "its section headers start at byte %" PRIu64 ", not on an "
			       "8-byte boundary",
			       (uint64_t)header.e_shoff);
	if (header.e_shstrndx == SHN_UNDEF || header.e_shstrndx >= header.e_shnum)
		return damaged(object, "its section-name table is section %u of %u",
			       (unsigned)header.e_shstrndx, (unsigned)header.e_shnum);
	const Elf64_Shdr *sections = (const Elf64_Shdr *)(bytes + header.e_shoff);
	Elf64_Shdr names;
	memcpy(&names, &sections[header.e_shstrndx], sizeof(names));
	for (unsigned i = 1; i < header.e_shnum; i++) {
		Elf64_Shdr section;
		memcpy(&section, &sections[i], sizeof(section));
		if (section.sh_type != SHT_NOBITS &&
		    !inside(section.sh_offset, section.sh_size, size))
			return damaged(object,
				       "section %u (bytes %" PRIu64 " to %" PRIu64 ") reaches past "
				       "the end of the file at byte %zu (cut short?)",
				       i, (uint64_t)section.sh_offset,
				       (uint64_t)section.sh_offset + section.sh_size, size);
		if (section.sh_name >= names.sh_size)
			return damaged(object,
				       "the name of section %u lies outside the section-name "
				       "table",
				       i);
	}
	if (names.sh_type != SHT_STRTAB || !names.sh_size ||
	    bytes[names.sh_offset + names.sh_size - 1])
		return damaged(object, "its section-name table is not a string table");
	return true;
}

static bool read_elf(struct scxload_object *object)
{
	const unsigned char *bytes = object->elf;
	if (object->elf_size < SELFMAG || memcmp(bytes, ELFMAG, SELFMAG)) {
		scxload_error("%s is not an ELF file (expected a BPF object made by "
			      "`scxc X.sched -o X.bpf.o`)",
			      object->label);
		return false;
	}
	if (object->elf_size <= EI_DATA)
		return damaged(object,
			       "it is %zu bytes long, shorter than an ELF header (cut short?)",
			       object->elf_size);
	if (bytes[EI_CLASS] != ELFCLASS64) {
		scxload_error("%s is a %s ELF file, not a BPF object (those are 64-bit)",
			      object->label, bytes[EI_CLASS] == ELFCLASS32 ? "32-bit" : "damaged");
		return false;
	}
	if (bytes[EI_DATA] != ELFDATA2LSB) {
		scxload_error(
			"%s is a %s ELF file, not a BPF object for this machine (little-endian; "
			"clang -target bpfel)",
			object->label, bytes[EI_DATA] == ELFDATA2MSB ? "big-endian" : "damaged");
		return false;
	}
	if (!check_structure(object))
		return false;
	elf_version(EV_CURRENT);
	Elf *elf = elf_memory(object->elf, object->elf_size);
	GElf_Ehdr header;
	size_t names;
	if (!elf || !gelf_getehdr(elf, &header) || elf_getshdrstrndx(elf, &names)) {
		damaged(object, "%s", elf_errmsg(-1));
		if (elf)
			elf_end(elf);
		return false;
	}
	bool ok = false;
	Elf_Scn *description;
	GElf_Shdr description_header;
	if (header.e_machine != EM_BPF) {
		scxload_error("%s is an ELF file for another machine (e_machine %u), not a BPF "
			      "object",
			      object->label, (unsigned)header.e_machine);
	} else if (!(description = find_section(elf, names, ".scxc", NULL))) {
		scxload_error(
			"%s is a BPF object but not an scxc object (it has no .scxc section); "
			"scxrun runs objects made by `scxc X.sched -o X.bpf.o`",
			object->label);
	} else if (!gelf_getshdr(description, &description_header) ||
		   description_header.sh_type != SHT_PROGBITS) {
		scxload_error(
			"%s: the .scxc section holds no bytes in the file (section type %u); the "
			"object is damaged",
			object->label, (unsigned)description_header.sh_type);
	} else {
		Elf_Data *data = elf_getdata(description, NULL);
		ok = data && (data->d_buf || !data->d_size) &&
		     parse_description(object, data->d_buf, data->d_size);
		if (!data || (!data->d_buf && data->d_size))
			scxload_error("%s: cannot read the .scxc section (%s)", object->label,
				      elf_errmsg(-1));
		struct runtime_symbols found;
		find_runtime_symbols(object, elf, names, &found);
		ok = ok && check_runtime_symbols(object, &found);
	}
	elf_end(elf);
	return ok;
}

bool scxload_object_from_memory(struct scxload_object *object, const char *label, const void *data,
				size_t size)
{
	*object = (struct scxload_object){ .label = copy_text(label, strlen(label)),
					   .elf_size = size };
	object->elf = checked(malloc(size ? size : 1));
	memcpy(object->elf, data, size);
	return read_elf(object);
}

bool scxload_object_from_file(struct scxload_object *object, const char *path)
{
	*object = (struct scxload_object){ .label = copy_text(path, strlen(path)) };
	int fd = open(path, O_RDONLY);
	struct stat status;
	if (fd < 0 || fstat(fd, &status)) {
		scxload_error("cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (!S_ISREG(status.st_mode)) {
		scxload_error("%s is not a regular file", path);
		close(fd);
		return false;
	}
	object->elf_size = (size_t)status.st_size;
	object->elf = checked(malloc(object->elf_size ? object->elf_size : 1));
	size_t done = 0;
	while (done < object->elf_size) {
		ssize_t got = read(fd, (char *)object->elf + done, object->elf_size - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			scxload_error("cannot read %s: %s", path,
				      got < 0 ? strerror(errno) : "file shrank while reading");
			close(fd);
			return false;
		}
		done += (size_t)got;
	}
	close(fd);
	return read_elf(object);
}

static void free_named(struct scxload_named *array, int count)
{
	for (int i = 0; i < count; i++) {
		free(array[i].name);
		free(array[i].detail);
	}
	free(array);
}

void scxload_object_free(struct scxload_object *object)
{
	for (int i = 0; i < object->nr_params; i++) {
		free(object->params[i].name);
		free(object->params[i].cpus);
	}
	free(object->params);
	for (int i = 0; i < object->nr_cpusets; i++) {
		free(object->cpusets[i].queue);
		free(object->cpusets[i].bits);
	}
	free(object->cpusets);
	free_named(object->queues, object->nr_queues);
	free_named(object->classes, object->nr_classes);
	for (int i = 0; i < object->nr_stats; i++)
		free(object->stats[i].name);
	free(object->stats);
	free(object->label);
	free(object->elf);
	free(object->description);
	free(object->policy);
	free(object->source);
	*object = (struct scxload_object){ 0 };
}
