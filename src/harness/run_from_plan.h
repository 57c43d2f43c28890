/* harness/run_from_plan.h — the seam between the experiment-file reader (harness/plan.h)
 * and the runner (harness/runner.h): a gr_exp_desc made from a loaded gr_plan.
 *
 *     gr_plan *plan;                 gr_plan_load(&plan, "experiments/x.cfg", &popt, &err);
 *     gr_exp_bundle *b;              gr_exp_desc_from_plan(&b, plan, &err);
 *     gr_runner_report rep;          gr_runner_execute(gr_exp_bundle_desc(b), &ropt, &rep, &err);
 *     gr_exp_bundle_free(b);         gr_plan_free(plan);
 *
 * The description borrows the plan's strings and runs (free the bundle before the plan);
 * the protocols' getters are the plan's gr_run_get_* (so their checks and messages are the
 * plan's). Swept values are recorded without libconfig's string quotes. Compiled only in a
 * build that has harness/plan.h.
 */
#ifndef GR_HARNESS_RUN_FROM_PLAN_H
#define GR_HARNESS_RUN_FROM_PLAN_H

#include "core/error.h"
#include "harness/rundesc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct gr_plan;
typedef struct gr_exp_bundle gr_exp_bundle;

/* *out = the description of every run of plan (NULL on failure: GR_ENOMEM, or GR_EINVAL
 * when the plan's ids or names do not pass gr_exp_desc_check). */
int gr_exp_desc_from_plan(gr_exp_bundle **out, const struct gr_plan *plan, gr_error *err);
const gr_exp_desc *gr_exp_bundle_desc(const gr_exp_bundle *b);
void gr_exp_bundle_free(gr_exp_bundle *b); /* NULL is a no-op */

#ifdef __cplusplus
}
#endif

#endif
