/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.c — takes the command line of `scxrun` (the object is an operand) or of a standalone
 * per-policy binary (the object is built in), checks it, and hands the object, the --set values
 * and the run options to run.c.  `scxrun --vm …` instead executes the VM runner with the same
 * words, for machines whose kernel has no sched_ext; `scxrun set` and `scxrun get` go to live.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "checked.h"
#include "options.h"
#include "run.h"
#include "words.h"

static void print_usage(const struct scxload_embedded *embedded)
{
	if (embedded)
		printf("usage: %s [options]\n", scxload_progname);
	else
		printf("usage: %s OBJECT.bpf.o [options]\n"
		       "       %s --vm OBJECT.bpf.o [options] [-- workload args]\n"
		       "       %s set POLICY NAME=VALUE...   change params of the running POLICY\n"
		       "       %s get POLICY                 show them\n",
		       scxload_progname, scxload_progname, scxload_progname, scxload_progname);
	printf("options:\n"
	       "  --set NAME=VALUE   set a policy param before load (repeatable); values take\n"
	       "                     units like the policy: 3ms, 500us, 2s, 42, true\n"
	       "  --interval DUR     print the stats this often (default 1s)\n"
	       "  --duration DUR     unload after this long (default: until Ctrl-C or SIGTERM)\n"
	       "  --json             one JSON object per line instead of a table\n"
	       "  --verbose          all of libbpf's messages and the whole verifier log\n"
	       "  --describe         print what the object says about itself (params as --set\n"
	       "                     leaves them), and exit\n"
	       "%s"
	       "  --help, --version\n"
	       "Exit status: 0 unloaded cleanly, 1 could not load, 2 bad command line,\n"
	       "3 the kernel stopped the scheduler with an error.\n",
	       embedded
		       ? ""
		       : "  --vm               run in a QEMU VM with a sched_ext kernel (see docs/scxrun.md)\n");
}

static void print_description(const struct scxload_object *object)
{
	printf("policy %s", object->policy);
	if (object->source)
		printf(" (from %s)", object->source);
	printf("\n");
	if (object->partial)
		printf("switch partial: only the tasks that chose SCHED_EXT\n");
	for (int i = 0; i < object->nr_params; i++)
		print_param(&object->params[i], object->params[i].value);
	for (int i = 0; i < object->nr_queues; i++)
		printf("queue %s: %s\n", object->queues[i].name, object->queues[i].detail);
	for (int i = 0; i < object->nr_cpusets; i++) {
		const struct scxload_cpus *set = &object->cpusets[i];
		char cpus[SCXC_MAX_CPUS * 2 + 16];
		scxload_format_cpulist(set->param >= 0 ? object->params[set->param].cpus
						       : set->bits,
				       cpus, sizeof(cpus));
		if (set->param >= 0)
			printf("cpus %s: %s (param %s)\n", set->queue, cpus,
			       object->params[set->param].name);
		else
			printf("cpus %s: %s\n", set->queue, cpus);
	}
	for (int i = 0; i < object->nr_classes; i++)
		printf("class %s -> %s\n", object->classes[i].name, object->classes[i].detail);
	for (int i = 0; i < object->nr_stats; i++)
		printf("stat %s\n", object->stats[i].name);
}

static void print_help(const struct scxload_embedded *embedded)
{
	print_usage(embedded);
	if (!embedded)
		return;
	struct scxload_object object;
	if (scxload_object_from_memory(&object, scxload_progname, embedded->data, embedded->size)) {
		printf("\nThe policy built in:\n");
		print_description(&object);
	}
	scxload_object_free(&object);
}

/* Executes the VM runner with ARGV minus `--vm`; returns only on failure. */
static int exec_vm(int argc, char **argv, int vm_index)
{
	char runner[PATH_MAX] = "";
	const char *chosen = getenv("SCXC_VM_RUNNER");
	if (chosen && *chosen) {
		snprintf(runner, sizeof(runner), "%s", chosen);
	} else {
		char self[PATH_MAX - 64];
		ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (length > 0) {
			self[length] = '\0';
			char *slash = strrchr(self, '/');
			*slash = '\0';
			/* The build tree (loader/ beside vm/), then an installed prefix. */
			const char *places[] = { "../vm/scxc-vm", "../libexec/scxc/scxc-vm" };
			for (size_t i = 0; i < sizeof(places) / sizeof(places[0]) && !*runner;
			     i++) {
				char candidate[PATH_MAX];
				snprintf(candidate, sizeof(candidate), "%s/%s", self, places[i]);
				if (access(candidate, X_OK) == 0)
					snprintf(runner, sizeof(runner), "%s", candidate);
			}
		}
	}
	if (!*runner) {
		scxload_error(
			"cannot find the VM runner scxc-vm (looked beside %s; set SCXC_VM_RUNNER)",
			scxload_progname);
		return SCXLOAD_FAILED;
	}
	char **words = checked(calloc((size_t)argc + 1, sizeof(*words)));
	int count = 0;
	words[count++] = runner;
	for (int i = 1; i < argc; i++)
		if (i != vm_index)
			words[count++] = argv[i];
	execv(runner, words);
	scxload_error("cannot run %s: %s", runner, strerror(errno));
	free(words);
	return SCXLOAD_FAILED;
}

/* If ARGV[*I] is OPTION (`--opt value` or `--opt=value`), stores its value; a missing value is
 * reported and sets *BAD. */
static bool option_given(int argc, char **argv, int *i, const char *option, const char **value,
			 bool *bad)
{
	if (!option_value(argc, argv, i, option, value))
		return false;
	if (!*value) {
		scxload_error("%s needs a value", option);
		*bad = true;
	}
	return true;
}

static bool parse_duration_option(const char *option, const char *text, int64_t *ns, bool positive)
{
	if (!scxload_parse_duration(text, ns) || (positive && *ns == 0)) {
		scxload_error("%s takes a %sduration with a unit, such as 500ms or 2s, not '%s'",
			      option, positive ? "positive " : "", text);
		return false;
	}
	return true;
}

/* Whether WORD, given where the object goes, is no file but looks like a command (no '.' or
 * '/'): says so, with the command it may be a misspelling of. */
static bool mistyped_command(const char *word)
{
	static const char *const commands[] = { "set", "get" };
	if (strpbrk(word, "./") || access(word, F_OK) == 0)
		return false;
	const char *closest = suggest_name(word, commands, 2);
	if (closest)
		scxload_error("'%s' is neither an object file nor a command; did you mean '%s'?",
			      word, closest);
	else
		scxload_error("'%s' is neither an object file nor a command (the commands are "
			      "'set' and 'get'; see --help)",
			      word);
	return true;
}

int scxload_main(int argc, char **argv, const struct scxload_embedded *embedded)
{
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
	scxload_progname = slash ? slash + 1 : argc > 0 ? argv[0] : "scxrun";
	program_name = scxload_progname;
	if (!embedded && argc > 1 && (!strcmp(argv[1], "set") || !strcmp(argv[1], "get")))
		return scxload_live_main(argc - 1, argv + 1);
	struct scxload_options options = { .interval_ns = 1000000000 };
	const char *path = NULL;
	const char **assignments = checked(calloc((size_t)argc + 1, sizeof(*assignments)));
	int nr_assignments = 0;
	bool describe = false, bad = false;

	/* `--vm` anywhere before `--` hands every other word, unchanged, to the VM runner. */
	for (int i = 1; i < argc && !embedded && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--vm")) {
			free(assignments);
			return exec_vm(argc, argv, i);
		}
	for (int i = 1; i < argc && !bad; i++) {
		const char *arg = argv[i], *value = NULL;
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_help(embedded);
			free(assignments);
			return SCXLOAD_OK;
		} else if (!strcmp(arg, "--version")) {
			printf("%s (scxc) %s\n", scxload_progname, SCXC_VERSION);
			free(assignments);
			return SCXLOAD_OK;
		} else if (option_given(argc, argv, &i, "--set", &value, &bad)) {
			assignments[nr_assignments++] = value;
		} else if (option_given(argc, argv, &i, "--interval", &value, &bad)) {
			bad = bad || !parse_duration_option("--interval", value,
							    &options.interval_ns, true);
		} else if (option_given(argc, argv, &i, "--duration", &value, &bad)) {
			bad = bad || !parse_duration_option("--duration", value,
							    &options.duration_ns, false);
		} else if (!strcmp(arg, "--json")) {
			options.json = true;
		} else if (!strcmp(arg, "--verbose") || !strcmp(arg, "-v")) {
			options.verbose = true;
		} else if (!strcmp(arg, "--describe")) {
			describe = true;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			scxload_error("unknown option '%s' (see --help)", arg);
			bad = true;
		} else if (!path && !embedded) {
			path = arg;
			bad = mistyped_command(path);
		} else {
			scxload_error("unexpected argument '%s' (see --help)", arg);
			bad = true;
		}
	}
	if (!bad && !path && !embedded) {
		scxload_error("no object given: %s OBJECT.bpf.o (see --help)", scxload_progname);
		bad = true;
	}
	if (bad) {
		free(assignments);
		return SCXLOAD_USAGE;
	}

	struct scxload_object object;
	bool read = embedded ? scxload_object_from_memory(&object, scxload_progname, embedded->data,
							  embedded->size)
			     : scxload_object_from_file(&object, path);
	int status = read ? SCXLOAD_OK : SCXLOAD_FAILED;
	for (int i = 0; read && i < nr_assignments; i++)
		if (!scxload_set_param(&object, assignments[i]))
			status = SCXLOAD_USAGE;
	if (status == SCXLOAD_OK && describe)
		print_description(&object);
	else if (status == SCXLOAD_OK)
		status = scxload_run(&object, &options);
	scxload_object_free(&object);
	free(assignments);
	return status;
}
