/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * main.c — the scxc command: reads a policy, runs the stages, writes what was asked for.
 *
 *   scxc X.sched [-o X.bpf.o]            policy → BPF object (default X.bpf.o beside X.sched)
 *   scxc X.sched --emit=tokens|ast|ir|c  one stage's output, to stdout or -o
 *   scxc X.sched --skeleton X.skel.h     also a libbpf skeleton of the object
 *   scxc X.sched --exe -o scx_X          a standalone scheduler binary
 *
 * Exit status: 0 ok, 1 errors in the policy, 2 usage, 3 the toolchain failed.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checked.h"
#include "config.h"
#include "diag.h"
#include "parse.h"
#include "stages.h"
#include "options.h"
#include "words.h"

enum exit_status { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_USAGE = 2, EXIT_TOOLCHAIN = 3 };
enum emit_kind { EMIT_OBJECT, EMIT_TOKENS, EMIT_AST, EMIT_IR, EMIT_C, EMIT_KIND_COUNT };
enum color_choice { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* The words of the options that take one, in enum order. */
static const char *const emit_kinds[] = { "obj", "tokens", "ast", "ir", "c" };
static const char *const error_formats[] = {
	[DIAG_FORMAT_TEXT] = "text", [DIAG_FORMAT_JSON] = "json"
};
static const char *const color_choices[] = { "auto", "always", "never" };

#define MAX_INCLUDE_DIRS 64
#define MAX_WARNING_OPTIONS 64

struct options {
	const char *input;
	const char *output;
	const char *skeleton;
	bool executable;
	bool print_paths;
	enum emit_kind emit;
	const char *include_dirs[MAX_INCLUDE_DIRS + 1]; /* + the stdlib */
	int include_count;
	const char *clang, *bpftool;
	enum diag_format error_format;
	enum color_choice color;
	const char *warning_options[MAX_WARNING_OPTIONS]; /* -W…, applied in order */
	int warning_option_count;
};

static const char usage_text[] =
	"usage: scxc POLICY.sched [options]\n"
	"       scxc - [options]      (the policy from standard input; messages call it <stdin>)\n"
	"\n"
	"Compiles a scheduling policy into a sched_ext BPF object.\n"
	"\n"
	"  -o FILE               output file (default: POLICY.bpf.o, or NAME.bpf.o in the current\n"
	"                        directory for `policy NAME;` from standard input; stdout for --emit)\n"
	"  --emit=KIND           stop after a stage and print it: tokens, ast, ir or c\n"
	"  --skeleton FILE       also write a libbpf skeleton header (bpftool gen skeleton)\n"
	"  --exe                 build a standalone scheduler binary (-o names it)\n"
	"  -I DIR                look for imported modules in DIR (before the stdlib)\n"
	"  --clang PATH          clang used for BPF (>= 16; default " SCXC_CLANG ")\n"
	"  --bpftool PATH        bpftool used for skeletons (default " SCXC_BPFTOOL ")\n"
	"  -Wno-NAME, -WNAME     turn warning NAME off or on (-Wall: all on, the default)\n"
	"  -Werror[=NAME]        make every warning, or warning NAME, an error\n"

	"  --error-format=FMT    text (default) or json: one object per line, on stdout\n"
	"                        (stderr when the compiled output goes to stdout)\n"
	"  --color=WHEN          auto (default), always or never\n"
	"  --print-paths         print where the runtime and stdlib are found, and exit\n"
	"  --version             print the version and exit\n"
	"  -h, --help            print this help and exit\n"
	"\n"
	"Exit status: 0 ok, 1 errors in the policy, 2 usage error, 3 toolchain failure.\n";

static int usage_error(const char *format, const char *argument)
{
	fputs("scxc: ", stderr);
	fprintf(stderr, format, argument);
	fputs("\nTry 'scxc --help'.\n", stderr);
	return EXIT_USAGE;
}

/* The index of OPTION's VALUE among CHOICES; else says which are valid (from FIRST_LISTED on:
 * `--emit=obj` is the default, not a choice anyone writes) and returns -1.  WHAT names the value
 * in the message ("--emit kind"). */
static int choice(const char *option, const char *what, const char *value,
		  const char *const *choices, int count, int first_listed)
{
	char listed[128];
	int index = value ? word_index(choices, count, value) : -1;
	if (index >= 0)
		return index;
	join_words(listed, sizeof(listed), choices + first_listed, count - first_listed, "or", "");
	if (value)
		fprintf(stderr, "%s: unknown %s '%s' (%s)\n", program_name, what, value, listed);
	else
		fprintf(stderr, "%s: %s needs a value (%s)\n", program_name, option, listed);
	fputs("Try 'scxc --help'.\n", stderr);
	return -1;
}

static int parse_options(int argc, char **argv, struct options *options)
{
	*options = (struct options){ .clang = SCXC_CLANG, .bpftool = SCXC_BPFTOOL };
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value;
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(usage_text, stdout);
			fputs("\nWarnings, all on by default:\n", stdout);
			for (int w = 0; w < DIAG_WARNING_COUNT; w++)
				printf("  %-20s  %s\n", diag_warning_names[w],
				       diag_warning_meanings[w]);
			exit(EXIT_OK);
		} else if (!strcmp(arg, "--version")) {
			printf("scxc %s\n", SCXC_VERSION);
			exit(EXIT_OK);
		} else if (!strcmp(arg, "--print-paths")) {
			options->print_paths = true;
		} else if (!strcmp(arg, "--exe")) {
			options->executable = true;
		} else if (!strcmp(arg, "-o")) {
			if (++i == argc)
				return usage_error("%s needs a file name", "-o");
			options->output = argv[i];
		} else if (!strncmp(arg, "-I", 2)) {
			const char *dir = arg[2] ? arg + 2 : (++i < argc ? argv[i] : NULL);
			if (!dir)
				return usage_error("%s needs a directory", "-I");
			if (options->include_count == MAX_INCLUDE_DIRS)
				return usage_error("too many -I directories (the limit is %s)",
						   "64");
			options->include_dirs[options->include_count++] = dir;
		} else if (!strncmp(arg, "-W", 2)) {
			if (options->warning_option_count == MAX_WARNING_OPTIONS)
				return usage_error("too many -W options (the limit is %s)", "64");
			options->warning_options[options->warning_option_count++] = arg;
		} else if (option_value(argc, argv, &i, "--emit", &value)) {
			int kind = choice("--emit", "--emit kind", value, emit_kinds,
					  EMIT_KIND_COUNT, 1);
			if (kind < 0)
				return EXIT_USAGE;
			options->emit = (enum emit_kind)kind;
		} else if (option_value(argc, argv, &i, "--skeleton", &value)) {
			if (!(options->skeleton = value))
				return usage_error("%s needs a file name", "--skeleton");
		} else if (option_value(argc, argv, &i, "--clang", &value)) {
			if (!(options->clang = value))
				return usage_error("%s needs a program", "--clang");
		} else if (option_value(argc, argv, &i, "--bpftool", &value)) {
			if (!(options->bpftool = value))
				return usage_error("%s needs a program", "--bpftool");
		} else if (option_value(argc, argv, &i, "--error-format", &value)) {
			int format = choice("--error-format", "--error-format", value,
					    error_formats, 2, 0);
			if (format < 0)
				return EXIT_USAGE;
			options->error_format = (enum diag_format)format;
		} else if (option_value(argc, argv, &i, "--color", &value)) {
			int color = choice("--color", "--color", value, color_choices, 3, 0);
			if (color < 0)
				return EXIT_USAGE;
			options->color = (enum color_choice)color;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return usage_error("unknown option '%s'", arg);
		} else if (options->input) {
			return usage_error("only one policy file at a time (also got '%s')", arg);
		} else {
			options->input = arg;
		}
	}
	if (!options->input && !options->print_paths)
		return usage_error("%s", "no policy file given");
	if (options->emit != EMIT_OBJECT && (options->skeleton || options->executable))
		return usage_error("%s cannot be combined with --skeleton or --exe", "--emit");
	if (options->executable && !options->output)
		return usage_error("%s needs -o to name the binary", "--exe");
	return -1;
}

static bool is_directory(const char *path)
{
	struct stat info;
	return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* Finds a data directory (runtime or stdlib): $SCXC_DATA_DIR, then the installed copy
 * beside the executable, then the source tree (running from the build directory). */
static const char *find_data_dir(const char *name)
{
	static char paths[2][PATH_MAX];
	char *path = paths[!strcmp(name, "stdlib")];
	const char *override = getenv("SCXC_DATA_DIR");
	if (override) {
		snprintf(path, PATH_MAX, "%s/%s", override, name);
		return path;
	}
	char exe[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (length > 0) {
		exe[length] = '\0';
		*strrchr(exe, '/') = '\0';
		int written = snprintf(path, PATH_MAX, "%s/%s/%s", exe, SCXC_INSTALLED_DATA, name);
		if (written < PATH_MAX && is_directory(path))
			return path;
	}
	snprintf(path, PATH_MAX, "%s/%s", SCXC_SOURCE_ROOT, name);
	return path;
}

static FILE *open_output(const char *path)
{
	if (!path || !strcmp(path, "-"))
		return stdout;
	FILE *out = fopen(path, "w");
	if (!out)
		fprintf(stderr, "scxc: cannot write '%s': %s\n", path, strerror(errno));
	return out;
}

static bool close_output(FILE *out, const char *path)
{
	bool ok = !ferror(out);
	if (out != stdout)
		ok = fclose(out) == 0 && ok;
	else
		ok = fflush(out) == 0 && ok;
	if (!ok)
		fprintf(stderr, "scxc: error writing '%s'\n", path ? path : "stdout");
	return ok;
}

/* POLICY.sched → POLICY.bpf.o beside it; a policy read from standard input → NAME.bpf.o here,
 * after its `policy NAME;`. */
static char *default_object_path(const char *input, const char *policy_name)
{
	if (!strcmp(input, SOURCE_STDIN))
		input = policy_name;
	size_t length = strlen(input);
	const char *suffix = ".sched";
	if (length > strlen(suffix) && !strcmp(input + length - strlen(suffix), suffix))
		length -= strlen(suffix);
	char *path = checked(malloc(length + sizeof(".bpf.o")));
	memcpy(path, input, length);
	strcpy(path + length, ".bpf.o");
	return path;
}

/* Writes the emitted C to a temporary directory, builds the object (and skeleton, binary).
 * The C file is always named POLICY.bpf.c there, so the same policy gives the same bytes. */
static int build(const struct options *options, const struct ir_policy *policy,
		 const struct source_map *sources)
{
	char scratch[] = "/tmp/scxc-XXXXXX";
	if (!mkdtemp(scratch)) {
		fprintf(stderr, "scxc: cannot create a temporary directory: %s\n", strerror(errno));
		return EXIT_TOOLCHAIN;
	}
	char c_path[sizeof(scratch) + 128], exe_object[sizeof(scratch) + 128];
	snprintf(c_path, sizeof(c_path), "%s/%.100s.bpf.c", scratch, policy->name);
	snprintf(exe_object, sizeof(exe_object), "%s/%.100s.bpf.o", scratch, policy->name);

	FILE *c_file = open_output(c_path);
	bool ok = c_file != NULL;
	if (ok) {
		emit_c(policy, sources, c_file);
		ok = close_output(c_file, c_path);
	}

	char source_dir[PATH_MAX];
	const char *slash =
		strcmp(options->input, SOURCE_STDIN) ? strrchr(options->input, '/') : NULL;
	snprintf(source_dir, sizeof(source_dir), "%.*s", slash ? (int)(slash - options->input) : 1,
		 slash ? options->input : ".");
	struct toolchain tools = { options->clang, options->bpftool, find_data_dir("runtime"),
				   source_dir[0] ? source_dir : "/" };
	char *default_object = NULL;
	const char *object_path = options->output;
	if (options->executable)
		object_path = exe_object;
	else if (!object_path)
		object_path = default_object = default_object_path(options->input, policy->name);

	ok = ok && build_object(&tools, c_path, object_path);
	if (ok && options->skeleton)
		ok = build_skeleton(&tools, object_path, policy->name, options->skeleton);
	if (ok && options->executable)
		ok = build_executable(&tools, object_path, policy->name, options->output);
	unlink(c_path);
	unlink(exe_object);
	rmdir(scratch);
	free(default_object);
	return ok ? EXIT_OK : EXIT_TOOLCHAIN;
}

static bool use_color(const struct options *options)
{
	if (options->color != COLOR_AUTO)
		return options->color == COLOR_ALWAYS;
	return isatty(STDERR_FILENO) && !getenv("NO_COLOR");
}

/* Runs the stages up to the one asked for; returns the exit status. */
static int compile(const struct options *options, struct source_map *sources,
		   struct diag_sink *sink)
{
	int file = source_load(sources, options->input);
	if (file < 0) {
		fprintf(stderr, "scxc: cannot read '%s': %s\n", source_display_name(options->input),
			errno == EFBIG ? "it is larger than the " SOURCE_MAX_TEXT
					 " a policy file may hold"
				       : strerror(errno));
		return EXIT_USAGE;
	}
	if (options->emit == EMIT_TOKENS) {
		FILE *out = open_output(options->output);
		if (!out)
			return EXIT_USAGE;
		dump_tokens(sources, (uint32_t)file, sink, out);
		bool ok = close_output(out, options->output);
		return diag_has_errors(sink) ? EXIT_POLICY : ok ? EXIT_OK : EXIT_USAGE;
	}

	struct ast *ast = parse_source(sources, (uint32_t)file, sink);
	int status = EXIT_POLICY;
	if (options->emit == EMIT_AST && !diag_has_errors(sink)) {
		FILE *out = open_output(options->output);
		if (!out) {
			ast_free(ast);
			return EXIT_USAGE;
		}
		ast_dump(ast, sources, out);
		status = close_output(out, options->output) ? EXIT_OK : EXIT_USAGE;
		ast_free(ast);
		return status;
	}

	struct ir_policy *policy = NULL;
	const char *dirs[MAX_INCLUDE_DIRS + 1];
	memcpy(dirs, options->include_dirs, sizeof(dirs[0]) * (size_t)options->include_count);
	dirs[options->include_count] = find_data_dir("stdlib");
	struct search_path path = { dirs, options->include_count + 1 };
	if (!diag_has_errors(sink) && resolve_imports(ast, sources, &path, sink) &&
	    sema_check(ast, sink))
		policy = lower_policy(ast, source_display_name(options->input));
	ast_free(ast);
	if (!policy || diag_has_errors(sink)) {
		if (policy)
			ir_free(policy);
		return EXIT_POLICY;
	}

	if (options->emit == EMIT_IR || options->emit == EMIT_C) {
		FILE *out = open_output(options->output);
		if (out) {
			if (options->emit == EMIT_IR)
				ir_dump(policy, out);
			else
				emit_c(policy, sources, out);
		}
		status = out && close_output(out, options->output) ? EXIT_OK : EXIT_USAGE;
	} else {
		status = build(options, policy, sources);
	}
	ir_free(policy);
	return status;
}

int main(int argc, char **argv)
{
	struct options options;
	int status = parse_options(argc, argv, &options);
	if (status >= 0)
		return status;
	if (options.print_paths) {
		printf("runtime %s\n", find_data_dir("runtime"));
		printf("stdlib %s\n", find_data_dir("stdlib"));
		return EXIT_OK;
	}

	struct source_map sources = { 0 };
	struct diag_sink sink;
	diag_init(&sink, &sources);
	for (int i = 0; i < options.warning_option_count; i++) {
		char problem[512];
		if (!diag_configure_warning(&sink, options.warning_options[i], problem,
					    sizeof(problem))) {
			diag_free(&sink);
			return usage_error("%s", problem);
		}
	}
	status = compile(&options, &sources, &sink);
	/* JSON diagnostics are for programs: on stdout, unless the compiled output goes there. */
	bool output_on_stdout =
		options.emit != EMIT_OBJECT && (!options.output || !strcmp(options.output, "-"));
	FILE *diagnostics =
		options.error_format == DIAG_FORMAT_JSON && !output_on_stdout ? stdout : stderr;
	diag_render(&sink, diagnostics, options.error_format, use_color(&options));
	diag_free(&sink);
	source_map_free(&sources);
	return status;
}
