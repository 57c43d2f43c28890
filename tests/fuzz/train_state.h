/* tests/fuzz/train_state.h — the train run behind fuzz_train_checkpoint.c and its seeds
 * (make_seeds.c): run 0 (method gan_mm) of experiments/toy_train.cfg at its ci profile (16-wide
 * nets, batch 64, 300 iterations, a checkpoint every 100), loaded through the experiment-file
 * reader as `ganrepro run` loads it, so its id, series columns and datasets are the real
 * ones. GR_FUZZ_SOURCE_DIR (tests/fuzz/CMakeLists.txt) is the source tree holding
 * experiments/. */
#ifndef GR_TESTS_FUZZ_TRAIN_STATE_H
#define GR_TESTS_FUZZ_TRAIN_STATE_H

#include <stdio.h>

#include "harness/plan.h"
#include "harness/run_from_plan.h"

#ifndef GR_FUZZ_SOURCE_DIR
#error "GR_FUZZ_SOURCE_DIR must name the source tree (tests/fuzz/CMakeLists.txt defines it)"
#endif

typedef struct fz_train {
    gr_plan *plan;
    gr_exp_bundle *bundle;
    const gr_exp_desc *exp;
    const gr_run_desc *run; /* exp->runs[0] */
} fz_train;

/* GR_OK and *o filled, or a status with the message in err (and *o zeroed). */
static inline int fz_train_load(fz_train *o, gr_error *err) {
    memset(o, 0, sizeof *o);
    char path[1024];
    snprintf(path, sizeof path, "%s/experiments/toy_train.cfg", GR_FUZZ_SOURCE_DIR);
    gr_plan_options opt = gr_plan_options_default();
    opt.profile = "ci";
    int st = gr_plan_load(&o->plan, path, &opt, err);
    if (st == GR_OK) st = gr_exp_desc_from_plan(&o->bundle, o->plan, err);
    if (st == GR_OK) {
        o->exp = gr_exp_bundle_desc(o->bundle);
        if (o->exp->n_runs == 0) st = GR_ERROR(err, GR_EINVAL, "toy_train ci has no run");
    }
    if (st != GR_OK) {
        gr_exp_bundle_free(o->bundle);
        gr_plan_free(o->plan);
        memset(o, 0, sizeof *o);
        return st;
    }
    o->run = &o->exp->runs[0];
    return GR_OK;
}

static inline void fz_train_free(fz_train *o) {
    gr_exp_bundle_free(o->bundle);
    gr_plan_free(o->plan);
    memset(o, 0, sizeof *o);
}

#endif
