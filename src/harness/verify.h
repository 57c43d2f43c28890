/* harness/verify.h — claim verdicts: every pass criterion of a results file's recorded
 * declaration (harness/plan.h's gr_criterion) evaluated on the file's summary metrics.
 *
 * Semantics (docs/REPORTS.md states the same for users). For criterion c:
 *   - selected runs: the declaration's planned runs for which gr_plan_criterion_selects
 *     holds (its `where`), whether or not the file holds them;
 *   - none selected: NOT_TESTED ("not tested in this profile": e.g. where = "eval.n = 2000"
 *     in ci). Never a pass, never a failure;
 *   - some selected run absent from the file (a shard, an interrupted experiment):
 *     NOT_RUN (the verdict cannot be formed);
 *   - otherwise every selected run contributes one value, its summary metric: a run with
 *     status failed contributes NaN (it measured nothing), a diverged run contributes
 *     what it wrote (NaN when it wrote nothing). NaN fails every condition and makes every
 *     combination NaN, so a failed run is never skipped: it fails the criterion;
 *   - over = "each": PASS iff every value satisfies the condition; measured = the worst
 *     value (largest for < and <=, smallest for > and >=, farthest outside for "in");
 *     "mean": the mean of the values (se = sample standard deviation / sqrt(n), NaN for
 *     n = 1) against the threshold; "median", "min", "max": that statistic;
 *   - over = "count" (with k >= 1, "in >= k of n seeds"): PASS iff at least k of the values
 *     satisfy the condition; measured = n_pass, the number that did (a NaN value, so a
 *     failed run, does not satisfy). When the profile selects fewer than k runs the
 *     criterion cannot pass: FAIL, and the description says only n runs are selected —
 *     not NOT_TESTED, which would let a profile with too few seeds hide the claim; an
 *     experiment whose small profiles run fewer seeds restricts the criterion to the
 *     larger profiles with `where` (e.g. on a size key the profiles set differently);
 *   - over = "paired" (with k >= 1 and `against`, "faster than B in >= 4 of 5 seeds"): the
 *     selected runs are where's and against's (harness/plan.h pairs them at load: the same
 *     seed and the same value on every axis the two do not both set). None selected:
 *     NOT_TESTED; one absent from the file: NOT_RUN. Otherwise each pair (a, b) satisfies
 *     the condition iff x_a CONDITION x_b, where NaN (a failed run) satisfies nothing and
 *     two infinite values of the same sign satisfy nothing either ("undecided": for
 *     w1_target_step = +inf, neither run reached the target, which shows neither faster
 *     nor no slower); one infinite value compares as it is (reached < not reached).
 *     PASS iff no selected run is unpaired and at least k pairs satisfy; measured =
 *     n_pass, the pairs that did. A run without a partner FAILs the criterion (the line
 *     names the runs), and so does a profile forming fewer than k pairs (like count);
 *   - condition "<", "<=", ">", ">=" against threshold, "in": threshold <= x <= threshold_hi.
 * A claim's verdict: FAIL if any of its criteria fails, else NOT_RUN if any did not run,
 * else PASS if at least one passed, else NOT_TESTED (also for a claim with no criterion).
 * At the claim level FAIL is worded NOT REPRODUCED (gr_verify_claim_name): the evidence
 * disagrees with the claim (a finding), while criterion lines keep PASS / FAIL.
 */
#ifndef GR_HARNESS_VERIFY_H
#define GR_HARNESS_VERIFY_H

#include <stddef.h>

#include "core/error.h"
#include "harness/resview.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_verdict_kind {
    GR_VERDICT_PASS = 0,
    GR_VERDICT_FAIL = 1,
    GR_VERDICT_NOT_RUN = 2,
    GR_VERDICT_NOT_TESTED = 3
} gr_verdict_kind;
const char *gr_verdict_name(int kind); /* "PASS", "FAIL", "NOT RUN", "NOT TESTED" */
/* A claim's verdict in words: "PASS", "NOT REPRODUCED" (FAIL), "NOT RUN", "NOT TESTED". */
const char *gr_verify_claim_name(int kind);

typedef struct gr_verdict {
    size_t criterion; /* index in the plan's criteria */
    const gr_criterion *crit;
    int kind;                          /* gr_verdict_kind */
    double measured;                   /* the combined value compared (NaN when none) */
    double se;                         /* over = mean: its standard error; NaN otherwise */
    size_t n_selected, n_missing;      /* planned runs selected; of them absent from the file */
    size_t n_ok, n_diverged, n_failed; /* statuses of the selected runs present */
    size_t n_pass;                     /* values (paired: pairs) satisfying the condition */
    size_t n_nan;                      /* values that are NaN (failed runs included) */
    /* over = "paired" only (else 0): pairs formed, pairs with two infinite values of the
     * same sign (undecided), selected runs without a partner */
    size_t n_pairs, n_undecided, n_unpaired;
    const gr_plan *plan; /* the plan the criterion belongs to (names unpaired runs) */
} gr_verdict;

/* Evaluate criterion i of the view's declaration. */
int gr_verify_criterion(const gr_resview *v, size_t i, gr_verdict *out, gr_error *err);

/* x in the shortest %g form that reads back exactly ("nan", "inf", "-inf"). */
void gr_verify_number(double x, char *buf, size_t size);
/* "<= 1e-12", "in [0.69, 0.7]" into buf; over = "paired": "< against" (the partner's). */
void gr_verify_condition_text(const gr_criterion *c, char *buf, size_t size);
/* The criterion in words without its where (and against): "m max <= 3", "m <= 0.1 in >= 4
 * runs", "m < the against run's in >= 4 pairs". */
void gr_verify_criterion_text(const gr_criterion *c, char *buf, size_t size);
/* The one-line description of a verdict, without the claim id and verdict word:
 * "w1_lp_max_abs_err max = 0, want <= 1e-12 (n = 2 runs; where curve.samples = shared_grid)";
 * over = "count": "m: 4 of 5 runs satisfy <= 0.1, want at least 4 (n = 5 runs)";
 * "paired": "m: 3 of 5 pairs satisfy where < against, want at least 4 (...)", naming the
 * unpaired runs when there are any. */
void gr_verify_describe(const gr_verdict *d, char *buf, size_t size);

/* Combine verdicts of one claim (see above). n = 0: NOT_TESTED. */
int gr_verify_claim_kind(const int *kinds, size_t n);

#ifdef __cplusplus
}
#endif

#endif
