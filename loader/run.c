/*
 * run.c — takes a described scxc object and the run options, and runs the object as the kernel's
 * sched_ext scheduler: checks the machine in plain words before libbpf speaks, writes the params
 * into `.rodata`, loads (showing the verifier's log when it refuses), attaches in link mode so the
 * kernel drops the scheduler if we die, confirms in sysfs that it is active, prints the stats by
 * name every interval, and on the way out reports the kernel's exit record.  A restart request in
 * the exit code loads the object again.  The libbpf 1.1 workarounds are those of PLATFORM.md.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checked.h"
#include "scxc/contract.h"
#include "scxload.h"

/* Missing from Debian 12's uapi headers; libbpf >= 1.2 handles link mode itself. */
enum { SCX_BPF_F_LINK = 1U << 13, SCX_ATTACH_STRUCT_OPS = 44 };

#define SCX_ECODE_ACT_RESTART (1ULL << 48)

/* The kernel's first error exit kind (enum scx_exit_kind): below it, the scheduler was unloaded. */
enum { SCX_EXIT_ERROR = 1024 };

enum { VERIFIER_TAIL_LINES = 20, TICK_MS = 100, CONFIRM_MS = 2000, MAX_PROGRAMS = 32 };

struct loaded {
	struct bpf_object *bpf;
	struct bpf_map *stats;
	struct bpf_map *bss;
	struct bpf_link *ops_link;	/* libbpf's handle; it only stored the ops value */
	int link_fd;			/* the kernel's struct_ops link: the scheduler runs while open */
	struct scxload_verified verified[MAX_PROGRAMS];	/* the verifier's work, read after load */
	int nr_verified;
};

static volatile sig_atomic_t stop_signal;

/* calloc that ends the program when memory runs out (the kernel's link goes with it). */
static void *zeroed(size_t count, size_t size)
{
	return checked(calloc(count ? count : 1, size));
}

static void on_signal(int signal_number)
{
	stop_signal = signal_number;
}

/* --- libbpf's messages: captured, and shown only when they explain a failure --------------- */

static struct captured_log {
	char *text;
	size_t length, capacity;
	bool verbose;
} libbpf_log;

/* Keeps libbpf's warnings (the verifier's log comes as one); with --verbose, also prints all. */
static int capture_libbpf(enum libbpf_print_level level, const char *format, va_list args)
{
	va_list copy;
	if (libbpf_log.verbose) {
		va_copy(copy, args);
		vfprintf(stderr, format, copy);
		va_end(copy);
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(copy, args);
	int needed = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (needed <= 0)
		return 0;
	if (libbpf_log.length + (size_t)needed + 1 > libbpf_log.capacity) {
		size_t capacity = (libbpf_log.length + (size_t)needed + 1) * 2;
		char *grown = realloc(libbpf_log.text, capacity);
		if (!grown)
			return 0;
		libbpf_log.text = grown;
		libbpf_log.capacity = capacity;
	}
	vsnprintf(libbpf_log.text + libbpf_log.length, (size_t)needed + 1, format, args);
	libbpf_log.length += (size_t)needed;
	return needed;
}

static void clear_libbpf_log(void)
{
	libbpf_log.length = 0;
	if (libbpf_log.text)
		libbpf_log.text[0] = '\0';
}

/* Prints the last LINES lines of TEXT[0..LENGTH), each indented. */
static void print_tail(const char *text, size_t length, int lines)
{
	const char *start = text, *end = text + length;
	while (end > text && end[-1] == '\n')
		end--;
	int seen = 0;
	for (const char *p = end; p > text; p--)
		if (p[-1] == '\n' && ++seen == lines) {
			start = p;
			break;
		}
	while (start < end) {
		const char *newline = memchr(start, '\n', (size_t)(end - start));
		const char *line_end = newline ? newline : end;
		fprintf(stderr, "  %.*s\n", (int)(line_end - start), start);
		start = line_end + 1;
	}
}

/* A source line the verifier quotes from BTF line info: "; TEXT @ FILE:LINE", TEXT possibly
 * empty (clang did not find the file).  Fills the pieces and returns true if LINE is one. */
struct quoted_source {
	const char *text, *file;
	int text_length, file_length;
	long line;
};

static bool parse_quoted_source(const char *line, size_t length, struct quoted_source *quoted)
{
	if (length < 2 || line[0] != ';' || line[1] != ' ')
		return false;
	const char *at = NULL;
	for (const char *p = line; p + 3 <= line + length; p++)
		if (!memcmp(p, " @ ", 3))
			at = p;
	if (!at)
		return false;
	const char *colon = NULL;
	for (const char *p = at + 3; p < line + length; p++)
		if (*p == ':')
			colon = p;
	if (!colon || colon == at + 3 || colon + 1 == line + length)
		return false;
	long number = 0;
	for (const char *p = colon + 1; p < line + length; p++) {
		if (*p < '0' || *p > '9' || number > 100000000)
			return false;
		number = number * 10 + (*p - '0');
	}
	const char *text = line + 2, *text_end = at;
	while (text < text_end && (*text == ' ' || *text == '\t'))
		text++;
	while (text_end > text && (text_end[-1] == ' ' || text_end[-1] == '\t'))
		text_end--;
	*quoted = (struct quoted_source){
		.text = text, .text_length = (int)(text_end - text),
		.file = at + 3, .file_length = (int)(colon - (at + 3)), .line = number,
	};
	return true;
}

static bool names_policy_file(const struct quoted_source *quoted)
{
	static const char suffix[] = ".sched";
	size_t suffix_length = sizeof(suffix) - 1;
	return (size_t)quoted->file_length > suffix_length &&
	       !memcmp(quoted->file + quoted->file_length - suffix_length, suffix, suffix_length);
}

bool scxload_policy_line_of_log(const char *log, size_t length, char *message, size_t size)
{
	struct quoted_source last = { 0 }, policy = { 0 };
	bool any = false;
	const char *end = log + length;
	/* From the end back: the last quoted line, then the last quoted line of a policy. */
	while (end > log) {
		const char *start = end;
		while (start > log && start[-1] != '\n')
			start--;
		struct quoted_source quoted;
		if (parse_quoted_source(start, (size_t)(end - start), &quoted)) {
			if (!any)
				last = quoted;
			any = true;
			if (names_policy_file(&quoted)) {
				policy = quoted;
				break;
			}
		}
		end = start > log ? start - 1 : log;
	}
	if (!policy.file)
		return false;
	char where[256] = "";
	if (last.file != policy.file)
		snprintf(where, sizeof(where), " in %.*s:%ld, reached from", last.file_length,
			 last.file, last.line);
	else
		snprintf(where, sizeof(where), " from");
	snprintf(message, size, "the verifier refused code%s %.*s:%ld%s%.*s%s", where,
		 policy.file_length, policy.file, policy.line, policy.text_length ? ": `" : "",
		 policy.text_length, policy.text, policy.text_length ? "`" : "");
	return true;
}

/* After a failed load: the end of the verifier's log if libbpf printed one (all of it came
 * with --verbose), else libbpf's own complaints; then the policy line the refused code came
 * from, when the log names one. */
static void explain_load_failure(const struct scxload_options *options)
{
	if (!libbpf_log.length)
		return;
	const char *log = libbpf_log.text;
	const char *begin = strstr(log, "-- BEGIN PROG LOAD LOG --");
	if (begin) {
		/* libbpf's line names the program: "libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --". */
		const char *name = begin;
		while (name > log && name[-1] != '\n')
			name--;
		name = strstr(name, "prog '");
		int name_length = 0;
		if (name && name < begin) {
			name += strlen("prog '");
			name_length = (int)strcspn(name, "'");
		}
		begin = strchr(begin, '\n');
		begin = begin ? begin + 1 : log + libbpf_log.length;
		const char *end = strstr(begin, "-- END PROG LOAD LOG --");
		size_t length = end ? (size_t)(end - begin) : strlen(begin);
		if (!options->verbose) {
			fprintf(stderr, "The verifier rejected program '%.*s'; the end of its log "
					"(--verbose shows all of it):\n", name_length,
				name_length ? name : "");
			print_tail(begin, length, VERIFIER_TAIL_LINES);
		}
		char policy_line[1024];
		if (scxload_policy_line_of_log(begin, length, policy_line, sizeof(policy_line)))
			fprintf(stderr, "%s: %s\n", scxload_progname, policy_line);
		return;
	}
	if (options->verbose)
		return;
	fprintf(stderr, "libbpf said:\n");
	print_tail(log, libbpf_log.length, VERIFIER_TAIL_LINES);
}

/* --- sysfs: is sched_ext there, and who is running ------------------------------------------ */

/* The sched_ext sysfs directory; SCXRUN_SYSFS replaces it in tests. */
static const char *sysfs_dir(void)
{
	const char *dir = getenv("SCXRUN_SYSFS");
	return dir && *dir ? dir : "/sys/kernel/sched_ext";
}

/* Reads the first line of sysfs file NAME into BUF; false if it cannot be read. */
static bool read_sysfs(const char *name, char *buf, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", sysfs_dir(), name);
	FILE *file = fopen(path, "r");
	if (!file)
		return false;
	bool ok = fgets(buf, (int)size, file) != NULL;
	fclose(file);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Describes the active scheduler into BUF ("'name'" or "a scheduler"). */
static void describe_active(char *buf, size_t size)
{
	char name[128];
	if (read_sysfs("root/ops", name, sizeof(name)) && *name)
		snprintf(buf, size, "'%s'", name);
	else
		snprintf(buf, size, "a scheduler");
}

/* The checks that need no libbpf: sched_ext present, root, nobody else loaded. */
static bool preflight(const char *policy)
{
	char state[64], active[160];
	if (access(sysfs_dir(), F_OK)) {
		scxload_error("this kernel has no sched_ext (CONFIG_SCHED_CLASS_EXT); run it in a VM "
			      "with `scxrun --vm X.bpf.o`");
		return false;
	}
	if (geteuid() != 0) {
		scxload_error("loading a scheduler needs root: run %s with sudo", scxload_progname);
		return false;
	}
	if (!read_sysfs("state", state, sizeof(state))) {
		scxload_error("cannot read %s/state: is sysfs mounted?", sysfs_dir());
		return false;
	}
	if (strcmp(state, "disabled")) {
		describe_active(active, sizeof(active));
		scxload_error("another sched_ext scheduler is active (%s, state %s); stop it before "
			      "loading '%s'", active, state, policy);
		return false;
	}
	return true;
}

/* Defined with the runtime's state and the printing, below. */
static bool read_exit_record(const struct scxload_object *object, const struct loaded *loaded,
			     struct scxc_exit_info *record);
static void report_kernel_exit(const struct scxload_object *object, const struct scxc_exit_info *record);

/* --- load and attach ----------------------------------------------------------------------- */

static bool write_params(struct scxload_object *object, struct bpf_object *bpf)
{
	if (object->nr_params == 0)
		return true;
	struct bpf_map *rodata = bpf_object__find_map_by_name(bpf, ".rodata");
	size_t size = 0;
	const void *initial = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	size_t needed = (size_t)object->params_offset + 8 * (size_t)object->nr_params;
	if (!initial || size < needed) {
		scxload_error("%s: its .rodata cannot hold the %d params it describes", object->label,
			      object->nr_params);
		return false;
	}
	char *data = zeroed(size, 1);
	memcpy(data, initial, size);
	for (int i = 0; i < object->nr_params; i++) {
		int64_t value = object->params[i].value;
		memcpy(data + object->params_offset + 8 * i, &value, sizeof(value));
	}
	int err = bpf_map__set_initial_value(rodata, data, size);
	free(data);
	if (err) {
		scxload_error("cannot set the params of %s: %s", object->label, strerror(-err));
		return false;
	}
	return true;
}

static void unload(struct loaded *loaded)
{
	if (loaded->link_fd >= 0)
		close(loaded->link_fd);
	if (loaded->ops_link) {
		/* The value was only stored: there is nothing for libbpf to detach. */
		bpf_link__disconnect(loaded->ops_link);
		bpf_link__destroy(loaded->ops_link);
	}
	bpf_object__close(loaded->bpf);
	*loaded = (struct loaded){ .link_fd = -1 };
}

static bool load(struct scxload_object *object, const struct scxload_options *options,
		 struct loaded *loaded)
{
	*loaded = (struct loaded){ .link_fd = -1 };
	clear_libbpf_log();
	LIBBPF_OPTS(bpf_object_open_opts, open_options, .object_name = object->policy);
	loaded->bpf = bpf_object__open_mem(object->elf, object->elf_size, &open_options);
	if (!loaded->bpf) {
		scxload_error("libbpf cannot open %s: %s", object->label, strerror(errno));
		explain_load_failure(options);
		return false;
	}
	struct bpf_map *ops = bpf_object__find_map_by_name(loaded->bpf, "scxc_ops");
	loaded->stats = bpf_object__find_map_by_name(loaded->bpf, "scxc_stats");
	loaded->bss = bpf_object__find_map_by_name(loaded->bpf, ".bss");
	if (!ops || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		scxload_error("%s has no struct_ops map 'scxc_ops'", object->label);
		goto fail;
	}
	if (!write_params(object, loaded->bpf))
		goto fail;
	bpf_map__set_map_flags(ops, bpf_map__map_flags(ops) | SCX_BPF_F_LINK);
	struct bpf_program *init = bpf_object__find_program_by_name(loaded->bpf, "scxc_init");
	if (init)
		bpf_program__set_flags(init, bpf_program__flags(init) | BPF_F_SLEEPABLE);

	int err = bpf_object__load(loaded->bpf);
	if (err) {
		scxload_error("the kernel refused to load '%s': %s", object->policy, strerror(-err));
		explain_load_failure(options);
		goto fail;
	}
	loaded->nr_verified = scxload_read_verified(loaded->bpf, loaded->verified, MAX_PROGRAMS);
	if (options->verbose)
		for (int i = 0; i < loaded->nr_verified; i++)
			fprintf(stderr, "%s: the verifier processed %u instructions of %s\n",
				scxload_progname, loaded->verified[i].insns, loaded->verified[i].name);
	if (loaded->stats && bpf_map__value_size(loaded->stats) != 8 * (unsigned)object->nr_stats) {
		scxload_error("%s: its stats map holds %u bytes, but it describes %d stats",
			      object->label, bpf_map__value_size(loaded->stats), object->nr_stats);
		goto fail;
	}

	loaded->ops_link = bpf_map__attach_struct_ops(ops);
	if (!loaded->ops_link) {
		scxload_error("cannot store the ops of '%s': %s", object->policy, strerror(errno));
		explain_load_failure(options);
		goto fail;
	}
	loaded->link_fd = bpf_link_create(bpf_map__fd(ops), 0,
					  (enum bpf_attach_type)SCX_ATTACH_STRUCT_OPS, NULL);
	if (loaded->link_fd < 0) {
		int attach_errno = errno;
		if (attach_errno == EBUSY || attach_errno == EEXIST) {
			char active[160];
			describe_active(active, sizeof(active));
			scxload_error("another sched_ext scheduler is active (%s); stop it before "
				      "loading '%s'", active, object->policy);
		} else {
			struct scxc_exit_info record;
			scxload_error("the kernel refused to attach '%s': %s", object->policy,
				      strerror(attach_errno));
			if (read_exit_record(object, loaded, &record) && record.kind != 0)
				report_kernel_exit(object, &record);
			else
				fprintf(stderr, "%s: the kernel log (dmesg) may say why\n",
					scxload_progname);
		}
		goto fail;
	}
	return true;
fail:
	unload(loaded);
	return false;
}

/* --- the runtime's state: exit record and stats --------------------------------------------- */

static bool read_exit_record(const struct scxload_object *object, const struct loaded *loaded,
			     struct scxc_exit_info *record)
{
	*record = (struct scxc_exit_info){ 0 };
	if (!loaded->bss || object->exit_offset < 0)
		return false;
	size_t size = bpf_map__value_size(loaded->bss);
	if ((size_t)object->exit_offset + sizeof(*record) > size)
		return false;
	char *data = zeroed(size, 1);
	uint32_t key = 0;
	bool ok = !bpf_map_lookup_elem(bpf_map__fd(loaded->bss), &key, data);
	if (ok) {
		memcpy(record, data + object->exit_offset, sizeof(*record));
		record->reason[SCXC_EXIT_REASON_SIZE - 1] = '\0';
		record->message[SCXC_EXIT_MESSAGE_SIZE - 1] = '\0';
	}
	free(data);
	return ok;
}

static const char *exit_kind_name(int32_t kind)
{
	switch (kind) {
	case 0: return "NONE";
	case 1: return "DONE";
	case 64: return "UNREG";
	case 65: return "UNREG_BPF";
	case 66: return "UNREG_KERN";
	case 67: return "SYSRQ";
	case 1024: return "ERROR";
	case 1025: return "ERROR_BPF";
	case 1026: return "ERROR_STALL";
	default: return kind >= SCX_EXIT_ERROR ? "ERROR (unknown kind)" : "unknown kind";
	}
}

/* Sums the per-CPU stats into TOTALS (object->nr_stats entries). */
static void read_stats(const struct scxload_object *object, const struct loaded *loaded,
		       uint64_t *totals)
{
	memset(totals, 0, sizeof(*totals) * (size_t)object->nr_stats);
	int cpus = libbpf_num_possible_cpus();
	if (!loaded->stats || !object->nr_stats || cpus <= 0)
		return;
	uint64_t *values = zeroed((size_t)cpus * (size_t)object->nr_stats, sizeof(*values));
	uint32_t key = 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(loaded->stats), &key, values))
		for (int cpu = 0; cpu < cpus; cpu++)
			for (int i = 0; i < object->nr_stats; i++)
				totals[i] += values[(size_t)cpu * (size_t)object->nr_stats + (size_t)i];
	free(values);
}

/* --- printing ------------------------------------------------------------------------------ */

static void print_json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c == '\n')
			printf("\\n");
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json_stats(const struct scxload_object *object, const uint64_t *totals)
{
	printf("\"stats\":{");
	for (int i = 0; i < object->nr_stats; i++) {
		printf(i ? "," : "");
		print_json_string(object->stats[i]);
		printf(":%" PRIu64, totals[i]);
	}
	printf("}");
}

/* The group of a stat is its name up to the last dot ("class.all" of "class.all.enqueued"). */
static size_t group_length(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? (size_t)(dot - name) : 0;
}

/* One block: a line per stat group, each stat as "field total (rate/s)". */
static void print_stat_table(const struct scxload_object *object, const uint64_t *totals,
			     const uint64_t *previous, double seconds)
{
	int width = 0;
	for (int i = 0; i < object->nr_stats; i++)
		if ((int)group_length(object->stats[i]) > width)
			width = (int)group_length(object->stats[i]);
	for (int i = 0; i < object->nr_stats; i++) {
		const char *name = object->stats[i];
		size_t group = group_length(name);
		bool same_group = i > 0 && group == group_length(object->stats[i - 1]) &&
				  !strncmp(name, object->stats[i - 1], group);
		if (!same_group)
			printf("%s  %-*.*s", i ? "\n" : "", width, (int)group, name);
		double rate = seconds > 0 ? (double)(totals[i] - previous[i]) / seconds : 0;
		printf("  %s %" PRIu64 " (%.0f/s)", name + (group ? group + 1 : 0), totals[i], rate);
	}
	if (object->nr_stats)
		printf("\n");
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void print_interval(const struct scxload_object *object, const struct scxload_options *options,
			   const uint64_t *totals, const uint64_t *previous, double elapsed,
			   double interval)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"elapsed_s\":%.3f,", elapsed);
		print_json_stats(object, totals);
		printf("}\n");
	} else {
		printf("%s  %.1fs\n", object->policy, elapsed);
		print_stat_table(object, totals, previous, interval);
	}
	fflush(stdout);
}

/* "verified_insns":{"prog":N,...,"total":N} for the JSON summary. */
static void print_json_verified(const struct loaded *loaded)
{
	uint64_t total = 0;
	printf(",\"verified_insns\":{");
	for (int i = 0; i < loaded->nr_verified; i++) {
		print_json_string(loaded->verified[i].name);
		printf(":%u,", loaded->verified[i].insns);
		total += loaded->verified[i].insns;
	}
	printf("\"total\":%" PRIu64 "}", total);
}

static void print_summary(const struct scxload_object *object, const struct scxload_options *options,
			  const struct loaded *loaded, const uint64_t *totals, double elapsed,
			  const char *ended, const struct scxc_exit_info *record)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"summary\":true,\"elapsed_s\":%.3f,\"ended\":", elapsed);
		print_json_string(ended);
		printf(",");
		print_json_stats(object, totals);
		printf(",\"exit\":{\"kind\":%d,\"kind_name\":", record->kind);
		print_json_string(exit_kind_name(record->kind));
		printf(",\"code\":%" PRId64 ",\"reason\":", record->exit_code);
		print_json_string(record->reason);
		printf(",\"message\":");
		print_json_string(record->message);
		printf("}");
		print_json_verified(loaded);
		printf("}\n");
	} else {
		uint64_t *zero = zeroed((size_t)object->nr_stats, sizeof(*zero));
		printf("%s: ran %.1fs; %s\n", object->policy, elapsed, ended);
		print_stat_table(object, totals, zero, elapsed);
		free(zero);
	}
	fflush(stdout);
}

static void report_kernel_exit(const struct scxload_object *object, const struct scxc_exit_info *record)
{
	scxload_error("the kernel stopped '%s': %s (exit kind %d, %s)%s%s", object->policy,
		      *record->reason ? record->reason : "no reason given", record->kind,
		      exit_kind_name(record->kind), *record->message ? ": " : "", record->message);
}

/* --- one load of the object, from attach to unload ------------------------------------------ */

/* RUNNING: active, until scxrun stops it (STOPPED) or the kernel does (KERNEL_EXIT, RESTART). */
enum outcome { RUNNING, STOPPED, KERNEL_EXIT, RESTART, FAILED };

static void sleep_ms(long ms)
{
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&pause, NULL);
}

/* Waits until sysfs shows OBJECT active, or its exit record or CONFIRM_MS says otherwise. */
static enum outcome confirm_active(const struct scxload_object *object, const struct loaded *loaded,
				   struct scxc_exit_info *record)
{
	char state[64] = "", ops[128] = "";
	for (int waited = 0; waited <= CONFIRM_MS; waited += TICK_MS) {
		if (read_exit_record(object, loaded, record) && record->kind != 0)
			return (uint64_t)record->exit_code & SCX_ECODE_ACT_RESTART ? RESTART : KERNEL_EXIT;
		if (read_sysfs("state", state, sizeof(state)) && !strcmp(state, "enabled") &&
		    read_sysfs("root/ops", ops, sizeof(ops)) && !strcmp(ops, object->policy))
			return RUNNING;
		sleep_ms(TICK_MS);
	}
	if (strcmp(state, "enabled"))
		scxload_error("'%s' attached, but sched_ext stays '%s' instead of 'enabled'",
			      object->policy, state);
	else
		scxload_error("'%s' attached, but the active scheduler is '%s'", object->policy, ops);
	return FAILED;
}

static const char *how_it_ended(enum outcome outcome)
{
	if (outcome == RESTART)
		return "the policy asked for a restart";
	if (outcome == KERNEL_EXIT)
		return "stopped by the kernel";
	return stop_signal == SIGINT ? "stopped by SIGINT"
	       : stop_signal == SIGTERM ? "stopped by SIGTERM"
	       : "--duration reached";
}

static enum outcome run_once(struct scxload_object *object, const struct scxload_options *options,
			     uint64_t *totals)
{
	struct loaded loaded;
	struct scxc_exit_info record;
	if (!load(object, options, &loaded))
		return FAILED;
	enum outcome outcome = confirm_active(object, &loaded, &record);
	if (outcome == FAILED) {
		unload(&loaded);
		return FAILED;
	}
	if (outcome == RUNNING && !options->json)
		fprintf(stderr, "%s: '%s' is the active sched_ext scheduler; Ctrl-C stops it\n",
			scxload_progname, object->policy);
	/* Times count from the moment the scheduler is active; loading takes a while. */
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);

	uint64_t *previous = zeroed((size_t)object->nr_stats, sizeof(*previous));
	double last_print = seconds_since(&started);
	while (outcome == RUNNING && !stop_signal) {
		sleep_ms(TICK_MS);
		double elapsed = seconds_since(&started);
		if (read_exit_record(object, &loaded, &record) && record.kind != 0) {
			outcome = (uint64_t)record.exit_code & SCX_ECODE_ACT_RESTART ? RESTART : KERNEL_EXIT;
			break;
		}
		bool finished = options->duration_ns &&
				elapsed * 1e9 >= (double)options->duration_ns;
		if (finished)
			break;	/* the summary shows the last numbers */
		if (elapsed - last_print >= (double)options->interval_ns / 1e9) {
			read_stats(object, &loaded, totals);
			print_interval(object, options, totals, previous, elapsed,
				       elapsed - last_print);
			memcpy(previous, totals, sizeof(*totals) * (size_t)object->nr_stats);
			last_print = elapsed;
		}
	}
	free(previous);

	read_stats(object, &loaded, totals);
	if (outcome == RUNNING) {
		outcome = STOPPED;
		close(loaded.link_fd);	/* the kernel unregisters the scheduler here */
		loaded.link_fd = -1;
		read_exit_record(object, &loaded, &record);
	}
	const char *ended = how_it_ended(outcome);
	if (outcome == KERNEL_EXIT && record.kind >= SCX_EXIT_ERROR)
		report_kernel_exit(object, &record);
	else if (outcome == KERNEL_EXIT)
		fprintf(stderr, "%s: the kernel unloaded '%s': %s (exit kind %d, %s)\n",
			scxload_progname, object->policy, *record.reason ? record.reason : "no reason",
			record.kind, exit_kind_name(record.kind));
	print_summary(object, options, &loaded, totals, seconds_since(&started), ended, &record);
	unload(&loaded);
	if (outcome == KERNEL_EXIT && record.kind < SCX_EXIT_ERROR)
		return STOPPED;
	return outcome;
}

int scxload_run(struct scxload_object *object, const struct scxload_options *options)
{
	libbpf_log.verbose = options->verbose;
	libbpf_set_print(capture_libbpf);
	if (!preflight(object->policy))
		return SCXLOAD_FAILED;

	struct sigaction action = { .sa_handler = on_signal };
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);

	uint64_t *totals = zeroed((size_t)object->nr_stats, sizeof(*totals));
	enum outcome outcome;
	for (;;) {
		outcome = run_once(object, options, totals);
		if (outcome != RESTART || stop_signal)
			break;
		fprintf(stderr, "%s: '%s' asked to be restarted; loading it again\n",
			scxload_progname, object->policy);
		/* The kernel finishes disabling the old instance asynchronously. */
		char state[64];
		for (int waited = 0; waited < CONFIRM_MS && read_sysfs("state", state, sizeof(state)) &&
				     strcmp(state, "disabled"); waited += TICK_MS)
			sleep_ms(TICK_MS);
	}
	free(totals);
	free(libbpf_log.text);
	libbpf_log = (struct captured_log){ 0 };
	return outcome == FAILED ? SCXLOAD_FAILED
	       : outcome == KERNEL_EXIT ? SCXLOAD_KERNEL_EXIT
	       : SCXLOAD_OK;
}
