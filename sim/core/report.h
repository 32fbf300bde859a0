/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h — what a run measured, as a terminal table or as JSON.
 *
 * Takes a finished simulation and its policy; makes the per-task metrics (CPU share against the
 * weight-ideal share, wait, wake-up lateness percentiles, switches, migrations), Jain's fairness
 * index and the policy's own stats by their names.
 */
#ifndef SCXSIM_REPORT_H
#define SCXSIM_REPORT_H

#include <stdio.h>

#include "policy.h"
#include "sim.h"

void report_text(FILE *out, const struct sim *sim, const struct policy *policy);
void report_json(FILE *out, const struct sim *sim, const struct policy *policy);

#endif
