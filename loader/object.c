/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * object.c — takes the bytes of an scxc object (from a file or built into the program) and makes a
 * struct scxload_object: the policy name, params, queues, classes and stat names read from the
 * `.scxc` section (docs/object-format.md), and where the runtime's variables sit, read from the
 * ELF symbol table.  Every way a file can fail to be an scxc object gets its own plain message:
 * the ELF structure is checked against the file's size before libelf or libbpf walk it (a cut or
 * damaged file is named as such, never read past its end), and each bad `.scxc` record is
 * named by its line and what is wrong with it.
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

#include "checked.h"
#include "scxc/contract.h"
#include "scxload.h"
#include "words.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

enum { MAX_FIELDS = 6 };

/* Splits LINE in place at single spaces into at most MAX_FIELDS fields; the last takes the rest. */
static int split_fields(char *line, char *fields[MAX_FIELDS])
{
	int count = 0;
	while (*line && count < MAX_FIELDS) {
		fields[count++] = line;
		if (count == MAX_FIELDS)
			break;
		char *space = strchr(line, ' ');
		if (!space)
			break;
		*space = '\0';
		line = space + 1;
	}
	return count;
}

static bool parse_int(const char *text, int64_t *value)
{
	char *end;
	errno = 0;
	long long parsed = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return false;
	*value = parsed;
	return true;
}

static void *grow(void *array, int count, size_t element)
{
	return checked(realloc(array, (size_t)(count + 1) * element));
}

static char *copy(const char *text)
{
	return copy_text(text, strlen(text));
}

/* Says what is wrong with record LINE_NUMBER of OBJECT's description; returns false. */
static bool __attribute__((format(printf, 3, 4)))
bad_record(const struct scxload_object *object, int line_number, const char *fmt, ...)
{
	char detail[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(detail, sizeof(detail), fmt, args);
	va_end(args);
	scxload_error("%s: malformed .scxc record on line %d: %s", object->label, line_number,
		      detail);
	return false;
}

static bool parse_param(struct scxload_object *object, int line_number, char *fields[], int count)
{
	static const char *const numbers[] = { "default", "minimum", "maximum" };
	struct scxload_param param = { 0 };
	int64_t *values[] = { &param.def, &param.min, &param.max };
	if (count != 6 || strchr(fields[5], ' '))
		return bad_record(object, line_number,
				  "param: wanted 'param NAME TYPE DEFAULT MIN MAX'");
	if (!strcmp(fields[2], "int"))
		param.type = SCXLOAD_INT;
	else if (!strcmp(fields[2], "duration"))
		param.type = SCXLOAD_DURATION;
	else if (!strcmp(fields[2], "bool"))
		param.type = SCXLOAD_BOOL;
	else
		return bad_record(object, line_number, "param %s: unknown type '%s'", fields[1],
				  fields[2]);
	for (int i = 0; i < 3; i++)
		if (!parse_int(fields[3 + i], values[i]))
			return bad_record(object, line_number,
					  "param %s: the %s '%s' is not a number", fields[1],
					  numbers[i], fields[3 + i]);
	if (param.min > param.max || param.def < param.min || param.def > param.max)
		return bad_record(object, line_number,
				  "param %s: the default %s is not in %s .. %s", fields[1],
				  fields[3], fields[4], fields[5]);
	param.name = copy(fields[1]);
	param.value = param.def;
	object->params = grow(object->params, object->nr_params, sizeof(param));
	object->params[object->nr_params++] = param;
	return true;
}

static bool add_named(const struct scxload_object *object, int line_number,
		      struct scxload_named **array, int *count, char *fields[], int nr_fields,
		      const char *form)
{
	if (nr_fields != 3 || strchr(fields[2], ' '))
		return bad_record(object, line_number, "%s: wanted '%s'", fields[0], form);
	*array = grow(*array, *count, sizeof(**array));
	(*array)[(*count)++] = (struct scxload_named){ copy(fields[1]), copy(fields[2]) };
	return true;
}

/* Whether KIND is one of the contract's queue kinds; says which are if not. */
static bool known_queue_kind(const struct scxload_object *object, int line_number, const char *kind)
{
	static const char *const kinds[] = {
#define X(name, word, meaning) word,
		SCXC_QUEUE_KIND_LIST(X)
#undef X
	};
	char known[128];
	for (int i = 0; i < SCXC_NR_QUEUE_KINDS; i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return bad_record(object, line_number, "unknown queue kind '%s' (this scxrun knows %s)",
			  kind,
			  join_words(known, sizeof(known), kinds, SCXC_NR_QUEUE_KINDS, "and", "'"));
}

/* The first byte of LINE no record holds (a control character), or NULL. */
static const char *stray_byte(const char *line)
{
	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return (const char *)c;
	return NULL;
}

/* Reads the self-description TEXT (SIZE bytes, NUL-terminated within them). */
static bool parse_description(struct scxload_object *object, const char *text, size_t size)
{
	if (!size || !memchr(text, '\0', size)) {
		scxload_error("%s: the .scxc section is not a NUL-terminated text", object->label);
		return false;
	}
	char version_line[32];
	snprintf(version_line, sizeof(version_line), "scxc %d", SCXC_DESCRIPTION_VERSION);
	char *buffer = copy(text);
	char *next = buffer;
	bool ok = true;
	for (int line_number = 1; ok && next && *next; line_number++) {
		char *line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *stray = stray_byte(line);
		if (line_number == 1) {
			if (stray) {
				scxload_error("%s: the .scxc section does not start with a version "
					      "line (it holds byte 0x%02x); the object is damaged",
					      object->label, (unsigned char)*stray);
				ok = false;
			} else if (strcmp(line, version_line)) {
				scxload_error(
					"%s: unsupported self-description '%s' (this scxrun reads "
					"'%s'; rebuild the object with the matching scxc)",
					object->label, line, version_line);
				ok = false;
			}
			continue;
		}
		if (stray) {
			ok = bad_record(object, line_number,
					"it holds byte 0x%02x, which no record has",
					(unsigned char)*stray);
			continue;
		}
		if (!strncmp(line, "source ", strlen("source "))) {
			if (!object->source)
				object->source = copy(line + strlen("source "));
			continue;
		}
		char *fields[MAX_FIELDS];
		int count = split_fields(line, fields);
		if (count == 0)
			continue;
		if (!strcmp(fields[0], "policy") && count == 2 && !object->policy)
			object->policy = copy(fields[1]);
		else if (!strcmp(fields[0], "policy"))
			ok = bad_record(object, line_number,
					object->policy ? "a second policy record"
						       : "policy: wanted 'policy NAME'");
		else if (!strcmp(fields[0], "param"))
			ok = parse_param(object, line_number, fields, count);
		else if (!strcmp(fields[0], "queue"))
			ok = add_named(object, line_number, &object->queues, &object->nr_queues,
				       fields, count, "queue NAME KIND") &&
			     known_queue_kind(object, line_number, fields[2]);
		else if (!strcmp(fields[0], "class"))
			ok = add_named(object, line_number, &object->classes, &object->nr_classes,
				       fields, count, "class NAME QUEUE");
		else if (!strcmp(fields[0], "stat") && count == 2) {
			object->stats = grow(object->stats, object->nr_stats, sizeof(char *));
			object->stats[object->nr_stats++] = copy(fields[1]);
		} else if (!strcmp(fields[0], "stat"))
			ok = bad_record(object, line_number, "stat: wanted 'stat NAME'");
		/* Other record kinds belong to later format versions: ignored. */
	}
	free(buffer);
	if (ok && !object->policy) {
		scxload_error("%s: the .scxc section names no policy", object->label);
		ok = false;
	}
	return ok;
}

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

/* Finds the offsets of scxc_params (.rodata) and scxc_exit (.bss) from the symbol table. */
static void find_runtime_variables(struct scxload_object *object, Elf *elf, size_t names)
{
	size_t rodata = 0, bss = 0;
	object->params_offset = -1;
	object->exit_offset = -1;
	find_section(elf, names, ".rodata", &rodata);
	find_section(elf, names, ".bss", &bss);
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
			if (!name)
				continue;
			if (!strcmp(name, "scxc_params") && rodata && symbol.st_shndx == rodata)
				object->params_offset = (long)symbol.st_value;
			else if (!strcmp(name, "scxc_exit") && bss && symbol.st_shndx == bss)
				object->exit_offset = (long)symbol.st_value;
		}
	}
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
		find_runtime_variables(object, elf, names);
		if (ok && object->nr_params && object->params_offset < 0) {
			scxload_error("%s describes params but has no scxc_params in .rodata",
				      object->label);
			ok = false;
		}
	}
	elf_end(elf);
	return ok;
}

bool scxload_object_from_memory(struct scxload_object *object, const char *label, const void *data,
				size_t size)
{
	*object = (struct scxload_object){ .label = copy(label), .elf_size = size };
	object->elf = checked(malloc(size ? size : 1));
	memcpy(object->elf, data, size);
	return read_elf(object);
}

bool scxload_object_from_file(struct scxload_object *object, const char *path)
{
	*object = (struct scxload_object){ .label = copy(path) };
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
	for (int i = 0; i < object->nr_params; i++)
		free(object->params[i].name);
	free(object->params);
	free_named(object->queues, object->nr_queues);
	free_named(object->classes, object->nr_classes);
	for (int i = 0; i < object->nr_stats; i++)
		free(object->stats[i]);
	free(object->stats);
	free(object->label);
	free(object->elf);
	free(object->policy);
	free(object->source);
	*object = (struct scxload_object){ 0 };
}
