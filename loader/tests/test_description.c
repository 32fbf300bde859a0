/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_description.c — takes self-description texts, good and bad, and checks what
 * parse_description() makes of their `stat NAME UNIT` records: each stat's name and unit, every
 * unit contract.h gives a stat known to the loader, and a missing or unknown unit refused with
 * its line and the units this loader knows.
 */
#include <string.h>

#include "capture.h"
#include "check.h"
#include "run.h"

#define HEAD "scxc 2\npolicy demo\nqueue main vtime\nclass all main\n"

/* Parses TEXT into OBJECT; the error it reports goes into *MESSAGE (free it). */
static bool parse(const char *text, struct scxload_object *object, char **message)
{
	*object = (struct scxload_object){ .label = strdup("demo.bpf.o") };
	struct capture capture = capture_start(2);
	bool ok = parse_description(object, text, strlen(text) + 1);
	*message = capture_end(&capture);
	return ok;
}

static void check_refused(const char *text, const char *wanted)
{
	struct scxload_object object;
	char *message;
	CHECK(!parse(text, &object, &message));
	CHECK_TEXT("the message", message, wanted);
	free(message);
	scxload_object_free(&object);
}

int main(void)
{
	struct scxload_object object;
	char *message;

	CHECK(parse(HEAD
		    "stat class.all.enqueued count\nstat class.all.lateness ns\nstat kept count\n",
		    &object, &message));
	CHECK_TEXT("no message", message, "");
	CHECK(object.nr_stats == 3);
	if (object.nr_stats == 3) {
		CHECK_TEXT("stat 0", object.stats[0].name, "class.all.enqueued");
		CHECK(object.stats[0].unit == SCXLOAD_COUNT);
		CHECK_TEXT("stat 1", object.stats[1].name, "class.all.lateness");
		CHECK(object.stats[1].unit == SCXLOAD_NS);
		CHECK(object.stats[2].unit == SCXLOAD_COUNT);
	}
	CHECK(object.description && !strncmp(object.description, HEAD, strlen(HEAD)));
	free(message);
	scxload_object_free(&object);

	/* Every unit the contract gives a stat is one the loader reads. */
#define X(name, word, unit) CHECK(scxload_unit_of(unit) >= 0);
	SCXC_CLASS_STAT_LIST(X)
	SCXC_QUEUE_STAT_LIST(X)
	SCXC_POLICY_STAT_LIST(X)
#undef X
	CHECK(scxload_unit_of("ms") < 0);

	check_refused(HEAD "stat kept\n", "scxrun: error: demo.bpf.o: malformed .scxc record on "
					  "line 5: stat: wanted 'stat NAME UNIT'\n");
	check_refused(HEAD "stat kept count extra\n",
		      "scxrun: error: demo.bpf.o: malformed .scxc record on line 5: stat: wanted "
		      "'stat NAME UNIT'\n");
	check_refused(HEAD "stat kept count\nstat busy seconds\n",
		      "scxrun: error: demo.bpf.o: malformed .scxc record on line 6: stat busy: "
		      "unknown unit 'seconds' (this scxrun knows 'count' and 'ns')\n");
	check_refused("scxc 1\npolicy demo\nstat kept\n",
		      "scxrun: error: demo.bpf.o: unsupported self-description 'scxc 1' (this "
		      "scxrun reads 'scxc 2'; rebuild the object with the matching scxc)\n");
	return checks_passed("test_description");
}
