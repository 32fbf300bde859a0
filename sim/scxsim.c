// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxsim.c — the command: `scxsim POLICY.sched WORKLOAD [options]`.
 *
 * Takes a policy and a workload file (docs/scxsim.md); compiles the policy for the host
 * (core/policy.c), simulates the workload on it (core/core.c) and prints what it measured
 * (core/report.c), as a table or as JSON.  Exit status: 0 ran to the end, 1 an error in the
 * policy or the workload, 2 a usage error, 3 the kernel model threw the policy out (the reason is
 * printed, as scxrun prints the kernel's).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "number.h"
#include "policy.h"
#include "report.h"
#include "sim.h"

static const char usage[] =
	"usage: scxsim POLICY.sched WORKLOAD [options]\n"
	"\n"
	"Simulates the scheduler scxc makes of POLICY on the machine and tasks WORKLOAD describes\n"
	"(docs/scxsim.md): the same generated C and runtime, compiled for this host against a model\n"
	"of sched_ext, in simulated time.\n"
	"\n"
	"  --seed N          seed of the random phase lengths (default 1): one seed, one result\n"
	"  --duration TIME   simulated time, overriding the workload's (at most 3600s)\n"
	"  --json            print the metrics as one JSON object\n"
	"  --bench           also print simulated events per second of CPU time, on stderr\n"
	"  --scxc PATH       the scxc that compiles POLICY (default: this build's)\n"
	"  --cc PATH         the host C compiler for the generated C (default: " SCXC_CLANG ")\n"
	"  -h, --help        print this help and exit\n"
	"\n"
	"Exit status: 0 ran to the end, 1 errors in the policy or workload, 2 usage error,\n"
	"3 the run ended early (the kernel's reason is printed).\n";

static int usage_error(const char *message, const char *value)
{
	fprintf(stderr, "scxsim: error: %s%s\n(scxsim --help for usage)\n", message, value);
	return 2;
}

/* The CPU time this process used: the benchmark's measure, steadier than wall time on a shared
 * machine. */
static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "bench", no_argument, NULL, 'b' },
		{ "scxc", required_argument, NULL, 'x' },
		{ "cc", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scxc = SCXSIM_SCXC, *cc = SCXC_CLANG;
	bool json = false, bench = false;
	uint64_t seed = 1, duration = 0;
	struct number_literal literal;
	struct workload workload;
	struct policy policy;
	struct sim sim;
	double started;
	int option, status;

	while ((option = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (option) {
		case 's':
			if (read_number(optarg, strlen(optarg), &literal) != NUMBER_OK ||
			    literal.unit != UNIT_NONE)
				return usage_error("--seed takes a whole number, not ", optarg);
			seed = (uint64_t)literal.value;
			break;
		case 'd':
			if (read_number(optarg, strlen(optarg), &literal) != NUMBER_OK ||
			    literal.unit == UNIT_NONE || literal.value < 1000000 ||
			    (uint64_t)literal.value > WORKLOAD_MAX_DURATION_NS)
				return usage_error(
					"--duration takes a time from 1ms to 3600s, not ", optarg);
			duration = (uint64_t)literal.value;
			break;
		case 'j': json = true; break;
		case 'b': bench = true; break;
		case 'x': scxc = optarg; break;
		case 'c': cc = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return usage_error("unknown option", "");
		}
	}
	if (argc - optind != 2)
		return usage_error("give a policy and a workload file", "");
	if (!workload_read(&workload, argv[optind + 1])) {
		workload_free(&workload);
		return 1;
	}
	if (duration)
		workload.duration = duration;
	if (workload_events(&workload) > WORKLOAD_MAX_EVENTS) {
		fprintf(stderr,
			"%s: error: simulating this would take about %.0f million events; the limit is "
			"%.0f million (about two minutes)\n"
			"      = help: shorten the duration, or lengthen the phases or the tick\n",
			workload.path, workload_events(&workload) / 1e6, WORKLOAD_MAX_EVENTS / 1e6);
		workload_free(&workload);
		return 1;
	}
	if (!policy_load(&policy, argv[optind], scxc, cc)) {
		policy_unload(&policy);
		workload_free(&workload);
		return 1;
	}
	sim_init(&sim, &workload, policy.ops, seed);
	started = cpu_seconds();
	sim_run(&sim);
	if (bench)
		fprintf(stderr, "scxsim: %llu events in %.3fs of CPU time: %.2f M events/s\n",
			sim.events, cpu_seconds() - started,
			(double)sim.events / (cpu_seconds() - started) / 1e6);
	if (json)
		report_json(stdout, &sim, &policy);
	else
		report_text(stdout, &sim, &policy);
	status = sim.error[0] ? 3 : 0;
	if (sim.error[0])
		fprintf(stderr, "scxsim: the scheduler was thrown out: %s\n", sim.error);
	sim_free(&sim);
	policy_unload(&policy);
	workload_free(&workload);
	return status;
}
