/* eval/w1.c — W1 to fresh real samples and its noise floor (eval/w1.h). */
#include "eval/w1.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/mem.h"

struct gr_eval_w1 {
    size_t n_max, d;
    gr_ot_workspace *ot;
    double *y1, *y2; /* n_max x d real samples */
    double *xd;      /* n_max x d widened generated points (float entry) */
};

gr_ot_settings gr_eval_w1_settings_default(void) {
    gr_ot_settings s = gr_ot_settings_default();
    s.warm_max_m = 0;
    return s;
}

void gr_eval_w1_free(gr_eval_w1 *w) {
    if (!w) return;
    gr_ot_workspace_free(w->ot);
    free(w->y1);
    free(w->y2);
    free(w->xd);
    free(w);
}

int gr_eval_w1_alloc(gr_eval_w1 **out, size_t n_max, size_t d, gr_error *err) {
    if (out) *out = NULL;
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_eval_w1_alloc: out is NULL");
    if (n_max == 0 || d == 0)
        return GR_ERROR(err, GR_EINVAL,
                        "gr_eval_w1_alloc: n_max (%zu) and d (%zu) must be positive", n_max, d);
    size_t nd, bytes;
    if (gr_size_mul(n_max, d, &nd) || gr_size_mul(nd, sizeof(double), &bytes))
        return GR_ERROR(err, GR_ENOMEM, "gr_eval_w1_alloc: %zu x %zu doubles overflow size_t",
                        n_max, d);
    gr_eval_w1 *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "gr_eval_w1_alloc: out of memory");
    w->n_max = n_max;
    w->d = d;
    int st = gr_ot_workspace_alloc(&w->ot, n_max, n_max, err);
    if (st != GR_OK) {
        gr_eval_w1_free(w);
        return gr_error_prefix(err, st, "gr_eval_w1_alloc: ");
    }
    w->y1 = malloc(bytes);
    w->y2 = malloc(bytes);
    w->xd = malloc(bytes);
    if (!w->y1 || !w->y2 || !w->xd) {
        gr_eval_w1_free(w);
        return GR_ERROR(err, GR_ENOMEM, "gr_eval_w1_alloc: no memory for 3 x %zu x %zu doubles",
                        n_max, d);
    }
    /* One 1 x 1 solve in dimension d: distance/ot allocates its 2 d-double bounding-box
     * buffer on the first solve, so it is done here, not inside an evaluation. */
    for (size_t k = 0; k < d; k++)
        w->y1[k] = w->y2[k] = 0.0;
    gr_ot_settings s = gr_eval_w1_settings_default();
    gr_ot_problem p = gr_ot_problem_points(w->y1, NULL, 1, w->y2, NULL, 1, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    st = gr_ot_solve(w->ot, &p, &s, &r, err);
    if (st != GR_OK) {
        gr_eval_w1_free(w);
        return gr_error_prefix(err, st, "gr_eval_w1_alloc: warm-up solve: ");
    }
    *out = w;
    return GR_OK;
}

size_t gr_eval_w1_n_max(const gr_eval_w1 *w) { return w ? w->n_max : 0; }
size_t gr_eval_w1_dim(const gr_eval_w1 *w) { return w ? w->d : 0; }

static void solve_record(const gr_ot_result *r, int st, gr_eval_w1_solve *o) {
    o->status = st;
    o->value = r->value;
    o->duality_gap = r->duality_gap;
    o->marginal_residual = r->marginal_residual;
    o->max_violation = r->max_violation;
    o->cost_scale = r->cost_scale;
    o->iterations = r->iterations;
}

static void solve_clear(gr_eval_w1_solve *o, int st) {
    o->status = st;
    o->value = NAN;
    o->duality_gap = o->marginal_residual = o->max_violation = o->cost_scale = NAN;
    o->iterations = 0;
}

int gr_eval_w1_points(gr_eval_w1 *w, const double *x, const double *y, size_t n,
                      const gr_ot_settings *s, gr_eval_w1_solve *out, gr_error *err) {
    if (!w || !x || !y || !out) return GR_ERROR(err, GR_EINVAL, "eval W1: NULL argument");
    if (n == 0 || n > w->n_max) {
        solve_clear(out, GR_EINVAL);
        return GR_ERROR(err, GR_EINVAL, "eval W1: n = %zu outside [1, %zu] of the workspace", n,
                        w->n_max);
    }
    gr_ot_settings def = gr_eval_w1_settings_default();
    gr_ot_problem p = gr_ot_problem_points(x, NULL, n, y, NULL, n, w->d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    r.value = r.duality_gap = r.marginal_residual = r.max_violation = r.cost_scale = NAN;
    r.iterations = 0;
    int st = gr_ot_solve(w->ot, &p, s ? s : &def, &r, err);
    solve_record(&r, st, out);
    return st;
}

/* Check the arguments shared by the sampler-driven calls. */
static int check_run(const gr_eval_w1 *w, size_t n, const gr_sampler *real, const gsl_rng *rng,
                     const gr_eval_w1_result *res, gr_error *err) {
    if (!w || !real || !rng || !res) return GR_ERROR(err, GR_EINVAL, "eval W1: NULL argument");
    if (n == 0 || n > w->n_max)
        return GR_ERROR(err, GR_EINVAL, "eval W1: n = %zu outside [1, %zu] of the workspace", n,
                        w->n_max);
    if (gr_sampler_dim(real) != w->d)
        return GR_ERROR(err, GR_EINVAL, "eval W1: sampler %s has dimension %zu, workspace %zu",
                        gr_sampler_name(real), gr_sampler_dim(real), w->d);
    return GR_OK;
}

static void result_init(gr_eval_w1_result *res, size_t n, size_t d) {
    res->n = n;
    res->d = d;
    res->has_w1 = res->has_floor = 0;
    solve_clear(&res->w1, GR_OK);
    solve_clear(&res->floor, GR_OK);
}

/* The three entry points: want_w1 (x given) and/or want_floor. */
static int run(gr_eval_w1 *w, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
               const gr_ot_settings *s, int want_w1, int want_floor, gr_eval_w1_result *res,
               gr_error *err) {
    int st = check_run(w, n, real, rng, res, err);
    if (st != GR_OK) return st;
    if (want_w1 && !x) return GR_ERROR(err, GR_EINVAL, "eval W1: generated points are NULL");
    result_init(res, n, w->d);
    const char *name = gr_sampler_name(real);
    if ((st = gr_sampler_sample(real, rng, n, w->y1, err)) != GR_OK)
        return gr_error_prefix(err, st, "eval W1: drawing %zu real points from %s: ", n, name);
    if (want_floor && (st = gr_sampler_sample(real, rng, n, w->y2, err)) != GR_OK)
        return gr_error_prefix(err, st, "eval W1: drawing %zu real points from %s: ", n, name);
    int first = GR_OK;
    gr_error e2;
    if (want_w1) {
        res->has_w1 = 1;
        st = gr_eval_w1_points(w, x, w->y1, n, s, &res->w1, err);
        if (st != GR_OK) first = gr_error_prefix(err, st, "W1(generated, %s), n = %zu: ", name, n);
    }
    if (want_floor) {
        res->has_floor = 1;
        /* a failure of the first solve keeps its message; a later one reports its own */
        st = gr_eval_w1_points(w, w->y1, w->y2, n, s, &res->floor, first ? &e2 : err);
        if (st != GR_OK && first == GR_OK)
            first = gr_error_prefix(err, st, "noise floor W1(%s, %s'), n = %zu: ", name, name, n);
    }
    return first;
}

int gr_eval_w1_run(gr_eval_w1 *w, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                   const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err) {
    return run(w, x, n, real, rng, s, 1, 1, res, err);
}

int gr_eval_w1_run_f(gr_eval_w1 *w, const float *x, size_t n, gr_sampler *real, gsl_rng *rng,
                     const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err) {
    int st = check_run(w, n, real, rng, res, err);
    if (st != GR_OK) return st;
    if (!x) return GR_ERROR(err, GR_EINVAL, "eval W1: generated points are NULL");
    for (size_t i = 0; i < n * w->d; i++)
        w->xd[i] = (double)x[i];
    return run(w, w->xd, n, real, rng, s, 1, 1, res, err);
}

int gr_eval_w1_to_data(gr_eval_w1 *w, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                       const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err) {
    return run(w, x, n, real, rng, s, 1, 0, res, err);
}

int gr_eval_w1_floor(gr_eval_w1 *w, size_t n, gr_sampler *real, gsl_rng *rng,
                     const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err) {
    return run(w, NULL, n, real, rng, s, 0, 1, res, err);
}

const double *gr_eval_w1_last_real(const gr_eval_w1 *w, int which) {
    if (!w) return NULL;
    return which == 0 ? w->y1 : which == 1 ? w->y2 : NULL;
}
