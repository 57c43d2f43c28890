/* eval/pixel_w1.c — exact pixel-space W1 and its noise noise (see pixel_w1.h). */
#include "eval/pixel_w1.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/timer.h"

struct gr_pixel_w1 {
    size_t n_max, d;
    double *xd, *yd; /* n_max x d each */
    gr_ot_workspace *ot;
    gr_ot_settings s;
};

void gr_pixel_w1_free(gr_pixel_w1 *w) {
    if (!w) return;
    free(w->xd);
    free(w->yd);
    gr_ot_workspace_free(w->ot);
    free(w);
}

int gr_pixel_w1_alloc(gr_pixel_w1 **out, size_t n_max, size_t d, const gr_ot_settings *settings,
                      gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_alloc: out is NULL");
    *out = NULL;
    size_t bytes;
    if (n_max < 1 || d < 1 || gr_size_mul(n_max, d, &bytes) ||
        gr_size_mul(bytes, sizeof(double), &bytes))
        return GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_alloc: n_max = %zu, d = %zu", n_max, d);
    gr_pixel_w1 *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "gr_pixel_w1_alloc: out of memory");
    w->n_max = n_max;
    w->d = d;
    w->s = settings ? *settings : gr_ot_settings_default();
    w->xd = malloc(bytes);
    w->yd = malloc(bytes);
    if (!w->xd || !w->yd) {
        gr_pixel_w1_free(w);
        return GR_ERROR(err, GR_ENOMEM, "gr_pixel_w1_alloc: out of memory for %zu x %zu", n_max, d);
    }
    int st = gr_ot_workspace_alloc(&w->ot, n_max, n_max, err);
    if (st != GR_OK) {
        gr_pixel_w1_free(w);
        return st;
    }
    *out = w;
    return GR_OK;
}

static void widen(double *dst, const float *src, size_t n) {
    for (size_t i = 0; i < n; i++)
        dst[i] = (double)src[i];
}

int gr_pixel_w1_eval(gr_pixel_w1 *w, gr_pixel_w1_value *res, const float *x, size_t n,
                     const float *y, size_t m, gr_error *err) {
    if (!res) return GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_eval: res is NULL");
    memset(res, 0, sizeof *res);
    res->value = NAN;
    res->n = n;
    res->m = m;
    if (!w || !x || !y)
        return res->status = GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_eval: NULL argument");
    if (n < 1 || m < 1 || n > w->n_max || m > w->n_max)
        return res->status =
                   GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_eval: n = %zu, m = %zu, expected 1..%zu",
                            n, m, w->n_max);
    widen(w->xd, x, n * w->d);
    widen(w->yd, y, m * w->d);
    gr_ot_problem p =
        gr_ot_problem_points(w->xd, NULL, n, w->yd, NULL, m, w->d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    memset(&r, 0, sizeof r);
    gr_timer t;
    gr_timer_start(&t);
    int st = gr_ot_solve(w->ot, &p, &w->s, &r, err);
    res->seconds = gr_timer_wall(&t);
    res->status = st;
    res->iterations = r.iterations;
    res->duality_gap = r.duality_gap;
    res->marginal_residual = r.marginal_residual;
    res->max_violation = r.max_violation;
    if (st == GR_OK)
        res->value = r.value;
    else
        gr_error_prefix(err, st, "pixel-space W1 (%zu x %zu images): ", n, m);
    return st;
}

int gr_pixel_w1_with_floor(gr_pixel_w1 *w, gr_pixel_w1_value *w1, gr_pixel_w1_value *noise,
                           const float *gen, const float *real_a, const float *real_b, size_t n,
                           gr_error *err) {
    if (!w1 || !noise) return GR_ERROR(err, GR_EINVAL, "gr_pixel_w1_with_floor: NULL result");
    gr_error e2;
    int st1 = gr_pixel_w1_eval(w, w1, gen, n, real_a, n, err);
    int st2 = gr_pixel_w1_eval(w, noise, real_b, n, real_a, n, st1 == GR_OK ? err : &e2);
    if (st1 != GR_OK) return st1;
    return st2;
}
