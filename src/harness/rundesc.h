/* harness/rundesc.h — what the runner and the results file need to know about an
 * experiment and its runs, independent of how the experiment file was read.
 *
 * This is the seam between the experiment-file reader / plan (harness/plan.h: parse,
 * validate, expand sweep x seeds) and the execution side (harness/runner.h, results.h):
 * a gr_exp_desc and its gr_run_desc array are made from a gr_plan by
 * gr_exp_desc_from_plan (harness/run_from_plan.h); the runner never parses an experiment
 * file. Every string is borrowed: the plan owns it and keeps it alive while the runner
 * executes.
 *
 * Protocols read a run's settings through the typed getters below, which are strict (a
 * missing key or a value of another type is an error naming the run and the key). Behind
 * them is either the plan's own getters (gr_run_getters) or, for tests and callers without
 * a plan, text key = value pairs.
 */
#ifndef GR_HARNESS_RUNDESC_H
#define GR_HARNESS_RUNDESC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_RUN_ID_MAX 64 /* bytes of a run id, NUL excluded */

typedef struct gr_run_param {
    const char *key;   /* schema path, e.g. "curve.points" or "method.lr" */
    const char *value; /* the value as text: 0.01, 200, shared_grid (strings unquoted), true */
} gr_run_param;

/* Typed access to a run's settings supplied by the plan (harness/plan.h's gr_run_get_*,
 * wrapped by harness/run_from_plan.c); ctx is the plan's run. */
typedef struct gr_run_getters {
    int (*get_f64)(const void *ctx, const char *key, double *v, gr_error *err);
    int (*get_size)(const void *ctx, const char *key, size_t *v, gr_error *err);
    int (*get_bool)(const void *ctx, const char *key, int *v, gr_error *err);
    int (*get_str)(const void *ctx, const char *key, const char **v, gr_error *err);
} gr_run_getters;

typedef struct gr_run_desc {
    const char *id;       /* [0-9a-z_-]{1,64}: the hash of the run's resolved settings */
    size_t index;         /* position in the plan's order (sweep order, then seeds) */
    uint64_t seed;        /* the run's root seed (core/rng.h streams derive from it) */
    const char *resolved; /* the run's own resolved settings, as text (recorded verbatim) */
    size_t n_swept;       /* the swept parameters and this run's value of each */
    const gr_run_param *swept;
    /* Settings: through `get` (with get_ctx) when non-NULL, else from the text pairs. */
    const gr_run_getters *get;
    const void *get_ctx;
    size_t n_settings;
    const gr_run_param *settings;
} gr_run_desc;

typedef struct gr_exp_desc {
    const char *name;             /* experiment name: results/<name>.h5 */
    const char *protocol;         /* protocol name (harness/protocol.h table) */
    const char *claims;           /* claim ids, comma-separated: "C19,C20" */
    const char *profile;          /* "ci", "quick" or "full" */
    const char *declaration;      /* the fully resolved declaration text */
    const char *declaration_hash; /* its hash, as the plan computed it ("sha256:...") */
    size_t n_runs;
    const gr_run_desc *runs; /* n_runs runs, runs[i].index == i */
} gr_exp_desc;

/* Typed getters for protocols: GR_EINVAL with "run ID: setting KEY: ..." when absent or
 * malformed. _f64: a finite number; _size: a non-negative integer; _bool: true/false;
 * _str: a string (NUL-terminated, borrowed). */
int gr_rundesc_get_f64(const gr_run_desc *run, const char *key, double *out, gr_error *err);
int gr_rundesc_get_size(const gr_run_desc *run, const char *key, size_t *out, gr_error *err);
int gr_rundesc_get_bool(const gr_run_desc *run, const char *key, int *out, gr_error *err);
int gr_rundesc_get_str(const gr_run_desc *run, const char *key, const char **out, gr_error *err);

/* 1 if id is a valid run id (see gr_run_desc.id), 0 otherwise. */
int gr_rundesc_id_valid(const char *id);

/* Check an experiment description before running it: names and ids valid, ids unique,
 * runs[i].index == i, strings present. GR_EINVAL with a message otherwise. */
int gr_exp_desc_check(const gr_exp_desc *exp, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
