/* harness/plan.h — an experiment file read, checked, resolved and expanded into runs.
 *
 * An experiment is declared in a libconfig file (experiments/NAME.cfg; the format, every
 * key, its type, default and meaning: docs/EXPERIMENTS.md, generated from the schema table
 * of harness/schema.h). gr_plan_load reads it strictly — an unknown key, a wrong type, an
 * out-of-range value, a missing required key, a duplicate key, a syntax error, a missing
 * or cyclic @include, a zero-length sweep, a profile without a size the protocol needs or
 * a bad --set override is refused with ONE line "FILE:LINE: what is wrong; what is
 * accepted" in err->msg (status GR_EFORMAT; GR_EIO when a file cannot be read) — then:
 *
 *   1. resolves it: @include'd files give defaults that the including file overrides,
 *      the chosen profile's sizes are applied, --set overrides are applied, every key the
 *      schema defaults is filled in (method settings get their method's defaults: CLAIMS
 *      §0, C26, C30);
 *   2. writes the resolved declaration as canonical libconfig text (keys in schema order,
 *      one per line, doubles in the shortest form that reads back exactly): the text a
 *      results file records, and whose SHA-256 is the declaration hash. The text is itself
 *      a valid experiment file: loading it again gives the same text and the same hash;
 *   3. expands it into runs: every array value on a sweepable key is a sweep axis, a list
 *      of method groups is a sweep over methods, and the product of the axes times the
 *      profile's seeds gives the runs, in a fixed order (axes in schema order, the first
 *      varying slowest, seeds fastest). Each run has its own canonical settings text (its
 *      swept values and its seed substituted, the documentation-only keys left out: name,
 *      title, claims, criteria, estimate, profile) and an id = the first 16 hex digits of
 *      that text's SHA-256. So reordering keys, reformatting, renaming the experiment or
 *      editing its criteria reruns nothing, and changing any setting of a run changes that
 *      run's id (and only the ids of the runs it touches).
 *
 * Ownership: a gr_plan owns every string and run it hands out; they live until
 * gr_plan_free. A plan is immutable after loading, so several threads may read one.
 */
#ifndef GR_HARNESS_PLAN_H
#define GR_HARNESS_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_plan gr_plan;
typedef struct gr_run gr_run;

/* Length of a run id: 16 lower-case hex digits (64 bits of SHA-256). */
#define GR_RUN_ID_LEN 16

typedef struct gr_plan_options {
    /* "ci", "quick" or "full"; NULL: "quick", or, for a resolved declaration (a file with
     * a top-level `profile` and no `profiles` group), the profile it names. */
    const char *profile;
    /* n_sets overrides "KEY=VALUE" (KEY a schema path such as method.lr or
     * schedule.steps, VALUE in libconfig syntax: 0.5, 10, true, "adam", [1, 2]); applied
     * after the profile, so they win over everything in the file. Unknown keys, values of
     * the wrong type or out of range are errors naming "--set KEY=VALUE". */
    const char *const *sets;
    size_t n_sets;
} gr_plan_options;

/* profile NULL, no overrides. Cannot fail. */
gr_plan_options gr_plan_options_default(void);

/* Read, check, resolve and expand the experiment file at `path` (its @include files are
 * found relative to its folder). opt may be NULL (the defaults). *out = NULL on failure,
 * with the one-line message in err. */
int gr_plan_load(gr_plan **out, const char *path, const gr_plan_options *opt, gr_error *err);

/* The same from text in memory: `name` is the file name used in messages, `include_dir`
 * the folder @include paths are relative to (NULL: the current directory). Used to read
 * back the declaration a results file recorded (and by tests). */
int gr_plan_load_text(gr_plan **out, const char *text, const char *name, const char *include_dir,
                      const gr_plan_options *opt, gr_error *err);

/* NULL is a no-op. */
void gr_plan_free(gr_plan *plan);

/* 1 when the file at `path` itself has an `experiment` group (an experiment), 0 when it
 * has none (a file of shared defaults such as experiments/base.cfg, meant for @include);
 * a negative status, with the message, when it cannot be read or is not valid libconfig.
 * Its @include files are not read. */
int gr_plan_file_is_experiment(const char *path, gr_error *err);

/* ---- the declaration ------------------------------------------------------------------ */

const char *gr_plan_path(const gr_plan *plan);     /* the file given to load ("" from text) */
const char *gr_plan_name(const gr_plan *plan);     /* experiment.name */
const char *gr_plan_title(const gr_plan *plan);    /* experiment.title ("" if none) */
const char *gr_plan_protocol(const gr_plan *plan); /* experiment.protocol */
const char *gr_plan_profile(const gr_plan *plan);  /* the profile applied */
size_t gr_plan_n_claims(const gr_plan *plan);
const char *gr_plan_claim(const gr_plan *plan, size_t i); /* "C19"; NULL if i out of range */

/* The resolved declaration, canonical libconfig text (see above). */
const char *gr_plan_text(const gr_plan *plan);
/* "sha256:<64 hex>" of gr_plan_text (GR_DIGEST_LEN characters, io/digest.h's form). */
const char *gr_plan_hash(const gr_plan *plan);

/* Swept keys (the union over method alternatives), in schema order; a sweep over methods
 * is the axis "method". Each run reports its value for every axis (gr_run_swept_value). */
size_t gr_plan_n_axes(const gr_plan *plan);
const char *gr_plan_axis(const gr_plan *plan, size_t i); /* NULL if i out of range */

/* The seeds used (the profile's n_seeds first entries of `seeds`). */
size_t gr_plan_n_seeds(const gr_plan *plan);
uint64_t gr_plan_seed(const gr_plan *plan, size_t i);

/* Pass criteria (experiment file `criteria`), in file order. threshold_hi is used by
 * condition "in" only ([threshold, threshold_hi]); NAN otherwise. over = "paired" has no
 * threshold (NAN): its condition compares a where run's value with its against partner's. */
typedef struct gr_criterion {
    const char *claim;     /* one of the experiment's claim ids */
    const char *metric;    /* name of a summary metric the protocol writes */
    const char *condition; /* "<", "<=", ">", ">=", "in" */
    double threshold, threshold_hi;
    /* how runs are combined: "each", "mean", "median", "min", "max", "count", "paired" */
    const char *over;
    /* over = "count": at least k selected runs must satisfy the condition; "paired": at
     * least k pairs; else 0 */
    size_t k;
    const char *doc; /* what the criterion checks, for verdict lines ("" if none) */
    /* the runs it judges: "KEY = VALUE and ..." in canonical form, "" for every run */
    const char *where;
    /* over = "paired": the runs where's runs are compared with, canonical; "" otherwise */
    const char *against;
} gr_criterion;
size_t gr_plan_n_criteria(const gr_plan *plan);
const gr_criterion *gr_plan_criterion(const gr_plan *plan, size_t i); /* NULL if out of range */
/* 1 when criterion i judges `run` (its `where` holds for the run's values), else 0. A
 * criterion may select no run of a profile (e.g. where = "eval.n = 2000" in ci): a verdict
 * then says "not tested in this profile", never "pass". */
int gr_plan_criterion_selects(const gr_plan *plan, size_t i, const gr_run *run);
/* over = "paired": 1 when criterion i's `against` holds for the run (0 for other kinds). */
int gr_plan_criterion_selects_against(const gr_plan *plan, size_t i, const gr_run *run);
/* over = "paired": the pairs the plan's runs form, made once at load. A run of where and a
 * run of against pair when they have the same seed and the same value on every axis that
 * where and against do not both set (the "method" axis is set by any method.* key); the
 * axis of a method setting (method.lambda) is compared only between runs of the same
 * method alternative, and an axis without a value in one of the two is not compared.
 * Load refuses (GR_EFORMAT, naming the runs) a run selected by both sides and a run with
 * two partners; runs with none are listed as unpaired (verify FAILs the criterion then).
 * Pairs are in where's run order; side 0 is where's run, 1 its against partner. Other
 * kinds: 0 pairs, 0 unpaired. */
size_t gr_plan_criterion_n_pairs(const gr_plan *plan, size_t i);
const gr_run *gr_plan_criterion_pair(const gr_plan *plan, size_t i, size_t j, int side);
size_t gr_plan_criterion_n_unpaired(const gr_plan *plan, size_t i);
/* The j-th unpaired run; *side (if not NULL) = 0 for a run of where, 1 of against. */
const gr_run *gr_plan_criterion_unpaired(const gr_plan *plan, size_t i, size_t j, int *side);

/* Estimated wall time of all runs in seconds, from the declared cost model: for each run,
 * estimate.per_run + estimate.per_unit * units, where units is the run's
 * schedule.steps (train, frozen_d, fixed_critic, game) or curve.points (distance_curve,
 * objective). Returns -1 when the file declares no estimate.per_unit (unknown). A
 * declared guess, not a measurement: docs/EXPERIMENTS.md says where the constants come from. */
double gr_plan_estimate_seconds(const gr_plan *plan);

/* ---- runs ------------------------------------------------------------------------------ */

size_t gr_plan_n_runs(const gr_plan *plan);
const gr_run *gr_plan_run(const gr_plan *plan, size_t i); /* NULL if i out of range */
/* The run with this id (GR_RUN_ID_LEN hex digits), NULL if none. */
const gr_run *gr_plan_find_run(const gr_plan *plan, const char *id);

const char *gr_run_id(const gr_run *run); /* GR_RUN_ID_LEN hex digits */
size_t gr_run_index(const gr_run *run);   /* position in the plan, 0-based */
uint64_t gr_run_seed(const gr_run *run);
/* The run's own canonical settings text (what its id hashes). */
const char *gr_run_text(const gr_run *run);
/* Value of axis i (gr_plan_axis(plan, i)) in this run as canonical libconfig text ("0.5",
 * "\"gan_ns\"", "[0.0, 0.9]"; for the "method" axis the method's label, quoted); NULL when
 * the key has no value in this run (a method setting of another method). */
const char *gr_run_swept_value(const gr_run *run, size_t i);

/* Typed getters for the protocol code. KEY is a schema path ("method.lr",
 * "schedule.steps", "data.theta", "nets.g"). Status GR_EINVAL with a message naming the key
 * when it is not in the schema, has another type (an int key read as double is allowed and
 * converted exactly; the reverse is not), or has no value in this run (no default, not
 * declared, or a setting of another method). Strings and arrays are owned by the plan. */
int gr_run_get_double(const gr_run *run, const char *key, double *v, gr_error *err);
int gr_run_get_int(const gr_run *run, const char *key, int64_t *v, gr_error *err);
int gr_run_get_size(const gr_run *run, const char *key, size_t *v, gr_error *err); /* int >= 0 */
int gr_run_get_bool(const gr_run *run, const char *key, int *v, gr_error *err);
int gr_run_get_string(const gr_run *run, const char *key, const char **v, gr_error *err);
int gr_run_get_doubles(const gr_run *run, const char *key, const double **v, size_t *n,
                       gr_error *err);
int gr_run_get_ints(const gr_run *run, const char *key, const int64_t **v, size_t *n,
                    gr_error *err);
int gr_run_get_strings(const gr_run *run, const char *key, const char *const **v, size_t *n,
                       gr_error *err);
/* 1 when KEY has a value in this run, 0 otherwise (also for a key not in the schema). */
int gr_run_has(const gr_run *run, const char *key);

#ifdef __cplusplus
}
#endif

#endif
