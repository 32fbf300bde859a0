/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_description.c — takes self-description texts, good and bad, and checks what
 * parse_description() makes of their `stat NAME UNIT` records: each stat's name and unit, every
 * unit contract.h gives a stat known to the loader, and a missing or unknown unit refused with
 * its line and the units this loader knows; and of CPU sets: cpuset params and `cpus` records,
 * and bad ones refused with their line.
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
	/* CPU sets: a cpuset param and the queues' `cpus` records, by list or by param. */
	CHECK(parse(HEAD "param few cpuset 2-3\ncpus main param few\ncpus main 0,4-5\n", &object,
		    &message));
	CHECK_TEXT("no message", message, "");
	CHECK(object.nr_params == 1 && object.params[0].type == SCXLOAD_CPUSET &&
	      object.params[0].cpus && object.params[0].cpus[0] == 0xc);
	CHECK(object.nr_cpusets == 2);
	if (object.nr_cpusets == 2) {
		CHECK_TEXT("cpus 0", object.cpusets[0].queue, "main");
		CHECK(object.cpusets[0].param == 0 && !object.cpusets[0].bits);
		CHECK(object.cpusets[1].param == -1 && object.cpusets[1].bits &&
		      object.cpusets[1].bits[0] == 0x31);
	}
	free(message);
	scxload_object_free(&object);
	check_refused(HEAD "param few cpuset 3-1\n",
		      "scxrun: error: demo.bpf.o: malformed .scxc record on line 5: param few: the "
		      "range 3-1 runs backwards\n");
	check_refused(HEAD "cpus main param none\n",
		      "scxrun: error: demo.bpf.o: malformed .scxc record on line 5: cpus main: no "
		      "cpuset param 'none'\n");
	check_refused(HEAD "cpus main\n",
		      "scxrun: error: demo.bpf.o: malformed .scxc record on line 5: cpus: wanted "
		      "'cpus QUEUE CPULIST' or 'cpus QUEUE param NAME'\n");

	check_refused("scxc 1\npolicy demo\nstat kept\n",
		      "scxrun: error: demo.bpf.o: unsupported self-description 'scxc 1' (this "
		      "scxrun reads 'scxc 2'; rebuild the object with the matching scxc)\n");
	return checks_passed("test_description");
}
