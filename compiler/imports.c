/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * imports.c — splices imported modules into the policy's tree.
 *
 * Takes the main file's AST and makes one AST in which every `import` declaration has
 * been replaced, in place, by the declarations of the file it names:
 *
 *   import NAME;             NAME.sched in each -I directory, then in the stdlib directory
 *   import "dir/file.sched"; relative to the importing file first, then the same directories
 *
 * Imported files are loaded into the source map, so spans (and diagnostics) point into
 * them, and may import further modules.  A module holds params, queues and classes only;
 * a file imported twice is spliced once (the first time); a file that imports itself,
 * directly or not, is an error, as is a module that cannot be found — its hint lists the
 * directories searched and suggests the closest module name there.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "stages.h"
#include "checked.h"
#include "words.h"

#define MAX_IMPORT_DEPTH 64
#define MAX_MODULE_CANDIDATES 256

struct importer {
	struct source_map *sources;
	const struct search_path *path;
	struct diag_sink *sink;
	/* Files being imported right now, outermost first, and the imports that led there. */
	char *chain[MAX_IMPORT_DEPTH];
	struct span chain_import[MAX_IMPORT_DEPTH];
	int depth;
	/* Every file spliced so far (canonical paths). */
	char **done;
	int done_count;
	bool failed;
};

static char *join_path(const char *dir, const char *name)
{
	if (!dir[0] || strcmp(dir, ".") == 0)
		return checked(strdup(name));
	size_t length = strlen(dir) + strlen(name) + 2;
	char *path = checked(malloc(length));
	snprintf(path, length, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return path;
}

/* The directory part of PATH ("." when it has none). */
static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return checked(strdup("."));
	if (slash == path)
		return checked(strdup("/"));
	return checked(strndup(path, (size_t)(slash - path)));
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Module names (FILE.sched → FILE) found in DIR, appended to NAMES. */
static void list_modules(const char *dir, char **names, int *count)
{
	DIR *stream = opendir(dir);
	if (!stream)
		return;
	for (struct dirent *entry; (entry = readdir(stream)) && *count < MAX_MODULE_CANDIDATES;) {
		size_t length = strlen(entry->d_name);
		if (length > 6 && strcmp(entry->d_name + length - 6, ".sched") == 0)
			names[(*count)++] = checked(strndup(entry->d_name, length - 6));
	}
	closedir(stream);
}

static void report_missing(struct importer *im, const struct import_decl *import, bool by_path,
			   const char *importing_dir)
{
	struct diagnostic *d = by_path ? diag_error(im->sink, DIAG_IMPORT_NOT_FOUND, import->span,
						    "cannot find \"%s\"", import->name)
				       : diag_error(im->sink, DIAG_IMPORT_NOT_FOUND, import->span,
						    "cannot find module '%s'", import->name);

	size_t length = 1;
	for (int i = 0; i < im->path->count; i++)
		length += strlen(im->path->dirs[i]) + 2;
	length += strlen(importing_dir) + 2;
	char *searched = checked(calloc(length, 1));
	if (by_path)
		strcat(searched, importing_dir);
	for (int i = 0; i < im->path->count; i++) {
		if (searched[0])
			strcat(searched, ", ");
		strcat(searched, im->path->dirs[i]);
	}

	const char *suggestion = NULL;
	char *modules[MAX_MODULE_CANDIDATES];
	int module_count = 0;
	if (!by_path) {
		for (int i = 0; i < im->path->count; i++)
			list_modules(im->path->dirs[i], modules, &module_count);
		suggestion = suggest_name(import->name, (const char *const *)modules, module_count);
	}
	if (suggestion)
		diag_hint(d, "did you mean '%s'? (searched %s)", suggestion, searched);
	else if (searched[0])
		diag_hint(d, "searched %s", searched);
	for (int i = 0; i < module_count; i++)
		free(modules[i]);
	free(searched);
}

/* Finds the file an import names; NULL (after reporting) if there is none. */
static char *locate(struct importer *im, const struct import_decl *import)
{
	const struct source_file *from = &im->sources->files[import->span.file];
	bool by_path = from->text[import->span.begin] == '"';
	char *importing_dir = directory_of(from->path);
	char *found = NULL;
	if (by_path && import->name[0] == '/') {
		if (readable(import->name))
			found = checked(strdup(import->name));
	} else {
		size_t length = strlen(import->name) + 7;
		char *file_name = checked(malloc(length));
		snprintf(file_name, length, "%s%s", import->name, by_path ? "" : ".sched");
		if (by_path) {
			found = join_path(importing_dir, file_name);
			if (!readable(found)) {
				free(found);
				found = NULL;
			}
		}
		for (int i = 0; !found && i < im->path->count; i++) {
			found = join_path(im->path->dirs[i], file_name);
			if (!readable(found)) {
				free(found);
				found = NULL;
			}
		}
		free(file_name);
	}
	if (!found)
		report_missing(im, import, by_path, importing_dir);
	free(importing_dir);
	return found;
}

static bool already_done(const struct importer *im, const char *canonical)
{
	for (int i = 0; i < im->done_count; i++)
		if (strcmp(im->done[i], canonical) == 0)
			return true;
	return false;
}

static bool in_chain(struct importer *im, const char *canonical, const char *path,
		     const struct import_decl *import)
{
	for (int i = 0; i < im->depth; i++) {
		if (strcmp(im->chain[i], canonical) != 0)
			continue;
		struct diagnostic *d =
			diag_error(im->sink, DIAG_IMPORT_CYCLE, import->span,
				   "import cycle: '%s' is already being imported", path);
		for (int link = i; link < im->depth; link++)
			diag_note(d, im->chain_import[link],
				  link == i ? "first imported here" : "which leads here");
		diag_hint(d, "a module cannot import, directly or not, a file that imports it");
		return true;
	}
	return false;
}

static void splice(struct importer *im, struct ast *ast, bool is_module);

/* Loads, parses and splices the file IMPORT names; returns its tree, or NULL if it
 * contributes nothing (already spliced, or an error). */
static struct ast *load_module(struct importer *im, const struct import_decl *import)
{
	char *path = locate(im, import);
	if (!path) {
		im->failed = true;
		return NULL;
	}
	char canonical[PATH_MAX];
	if (!realpath(path, canonical))
		snprintf(canonical, sizeof(canonical), "%s", path);
	struct ast *module = NULL;
	if (in_chain(im, canonical, path, import)) {
		im->failed = true;
	} else if (!already_done(im, canonical)) {
		int file = source_load(im->sources, path);
		if (file < 0) {
			diag_error(im->sink, DIAG_IMPORT_UNREADABLE, import->span,
				   "cannot read '%s': %s", path,
				   errno == EFBIG ? "it is larger than the " SOURCE_MAX_TEXT
						    " a policy file may hold"
						  : strerror(errno));
			im->failed = true;
		} else if (im->depth == MAX_IMPORT_DEPTH) {
			diag_error(im->sink, DIAG_IMPORT_TOO_DEEP, import->span,
				   "imports nest more than %d deep", MAX_IMPORT_DEPTH);
			im->failed = true;
		} else {
			im->done = checked(realloc(im->done, (size_t)(im->done_count + 1) *
								     sizeof(*im->done)));
			im->done[im->done_count++] = checked(strdup(canonical));
			module = parse_source(im->sources, (uint32_t)file, im->sink);
			im->chain[im->depth] = checked(strdup(canonical));
			im->chain_import[im->depth++] = import->span;
			splice(im, module, true);
			free(im->chain[--im->depth]);
		}
	}
	free(path);
	return module;
}

/* Replaces the imports of AST by the declarations they name; in a module, also drops (and
 * reports) what a module may not declare. */
static void splice(struct importer *im, struct ast *ast, bool is_module)
{
	struct decl **kept = NULL;
	int count = 0, capacity = 0;
	for (int i = 0; i < ast->count; i++) {
		struct decl *decl = ast->decls[i];
		struct ast *module = NULL;
		if (decl->kind == DECL_IMPORT) {
			module = load_module(im, &decl->import);
			decl_free(decl);
			if (!module)
				continue;
		} else if (is_module && decl->kind != DECL_PARAM && decl->kind != DECL_QUEUE &&
			   decl->kind != DECL_CLASS) {
			struct diagnostic *d = diag_error(
				im->sink, DIAG_IMPORT_FORBIDDEN, decl->span,
				"an imported module may declare only params, queues and classes");
			diag_note(d, im->chain_import[im->depth - 1], "imported here");
			diag_hint(
				d,
				"the policy name, `cpu:` and `dispatch:` belong in the main file");
			im->failed = true;
			decl_free(decl);
			continue;
		}
		int adding = module ? module->count : 1;
		if (count + adding > capacity) {
			capacity = (count + adding) * 2;
			kept = checked(realloc(kept, (size_t)capacity * sizeof(*kept)));
		}
		if (!module) {
			kept[count++] = decl;
			continue;
		}
		for (int m = 0; m < module->count; m++)
			kept[count++] = module->decls[m];
		module->count = 0; /* its declarations now belong to AST */
		ast_free(module);
	}
	free(ast->decls);
	ast->decls = kept;
	ast->count = count;
	ast->capacity = capacity;
}

bool resolve_imports(struct ast *ast, struct source_map *sources, const struct search_path *path,
		     struct diag_sink *sink)
{
	struct importer im = { .sources = sources, .path = path, .sink = sink };
	int errors_before = sink->error_count; /* modules' syntax errors count too */
	const char *main_path = sources->files[ast->file].path;
	char canonical[PATH_MAX];
	if (!realpath(main_path, canonical))
		snprintf(canonical, sizeof(canonical), "%s", main_path);
	im.chain[im.depth++] = checked(strdup(canonical));
	splice(&im, ast, false);
	free(im.chain[0]);
	for (int i = 0; i < im.done_count; i++)
		free(im.done[i]);
	free(im.done);
	return !im.failed && sink->error_count == errors_before && !sink->limit_reached;
}
