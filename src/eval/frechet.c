/* eval/frechet.c — feature statistics in double and the Frechet distance through
 * distance/gauss.h's W2 closed form (see frechet.h). */
#include "eval/frechet.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "distance/gauss.h"

struct gr_frechet {
    size_t d_max;
    double *m1, *m2; /* d_max */
    double *S1, *S2; /* d_max^2 */
    double *block;   /* GR_FRECHET_BLOCK x d_max centred rows */
    gr_gauss_workspace *gauss;
};

void gr_frechet_free(gr_frechet *w) {
    if (!w) return;
    free(w->m1);
    free(w->m2);
    free(w->S1);
    free(w->S2);
    free(w->block);
    gr_gauss_workspace_free(w->gauss);
    free(w);
}

int gr_frechet_alloc(gr_frechet **out, size_t d_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_frechet_alloc: NULL output");
    *out = NULL;
    if (d_max == 0) return GR_ERROR(err, GR_EINVAL, "gr_frechet_alloc: d_max must be positive");
    size_t dd, bytes_dd, bytes_block;
    if (gr_size_mul(d_max, d_max, &dd) || gr_size_mul(dd, sizeof(double), &bytes_dd) ||
        gr_size_mul(d_max, GR_FRECHET_BLOCK * sizeof(double), &bytes_block))
        return GR_ERROR(err, GR_EINVAL, "gr_frechet_alloc: d_max = %zu is too large", d_max);
    gr_frechet *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "gr_frechet_alloc: out of memory");
    w->d_max = d_max;
    w->m1 = malloc(d_max * sizeof(double));
    w->m2 = malloc(d_max * sizeof(double));
    w->S1 = malloc(bytes_dd);
    w->S2 = malloc(bytes_dd);
    w->block = malloc(bytes_block);
    if (!w->m1 || !w->m2 || !w->S1 || !w->S2 || !w->block) {
        gr_frechet_free(w);
        return GR_ERROR(err, GR_ENOMEM, "gr_frechet_alloc: out of memory for d_max = %zu", d_max);
    }
    int st = gr_gauss_workspace_alloc(&w->gauss, d_max, err);
    if (st != GR_OK) {
        gr_frechet_free(w);
        return st;
    }
    *out = w;
    return GR_OK;
}

int gr_frechet_stats(gr_frechet *w, double *mean, double *cov, const float *x, size_t n, size_t d,
                     gr_error *err) {
    if (!w || !mean || !cov || !x)
        return GR_ERROR(err, GR_EINVAL, "gr_frechet_stats: NULL argument");
    if (n < 2) return GR_ERROR(err, GR_EINVAL, "gr_frechet_stats: n = %zu rows, need >= 2", n);
    if (d == 0 || d > w->d_max)
        return GR_ERROR(err, GR_EINVAL, "gr_frechet_stats: d = %zu, workspace d_max = %zu", d,
                        w->d_max);
    for (size_t j = 0; j < d; j++)
        mean[j] = 0.0;
    for (size_t i = 0; i < n; i++) {
        const float *r = x + i * d;
        for (size_t j = 0; j < d; j++) {
            if (!isfinite(r[j]))
                return GR_ERROR(err, GR_EDOM, "gr_frechet_stats: x[%zu][%zu] = %g is not finite", i,
                                j, (double)r[j]);
            mean[j] += (double)r[j];
        }
    }
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)n;
    memset(cov, 0, d * d * sizeof(double));
    for (size_t i0 = 0; i0 < n; i0 += GR_FRECHET_BLOCK) {
        size_t b = n - i0 < GR_FRECHET_BLOCK ? n - i0 : GR_FRECHET_BLOCK;
        for (size_t i = 0; i < b; i++)
            for (size_t j = 0; j < d; j++)
                w->block[i * d + j] = (double)x[(i0 + i) * d + j] - mean[j];
        /* cov (lower) += block^T block */
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, (int)d, (int)b, 1.0, w->block, (int)d,
                    1.0, cov, (int)d);
    }
    double inv = 1.0 / (double)(n - 1);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = cov[i * d + j] * inv;
            cov[i * d + j] = v;
            cov[j * d + i] = v;
        }
    return GR_OK;
}

int gr_frechet_from_stats(gr_frechet *w, double *fd, size_t d, const double *m1, const double *S1,
                          const double *m2, const double *S2, gr_error *err) {
    if (!w) return GR_ERROR(err, GR_EINVAL, "gr_frechet_from_stats: NULL workspace");
    if (d > w->d_max)
        return GR_ERROR(err, GR_EINVAL, "gr_frechet_from_stats: d = %zu, workspace d_max = %zu", d,
                        w->d_max);
    int st = gr_gauss_w2sq_ws(w->gauss, d, m1, S1, m2, S2, fd, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "Frechet distance: ");
    return GR_OK;
}

int gr_frechet_distance(gr_frechet *w, double *fd, const float *x1, size_t n1, const float *x2,
                        size_t n2, size_t d, gr_error *err) {
    if (!w || !fd) return GR_ERROR(err, GR_EINVAL, "gr_frechet_distance: NULL argument");
    int st = gr_frechet_stats(w, w->m1, w->S1, x1, n1, d, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "first set: ");
    st = gr_frechet_stats(w, w->m2, w->S2, x2, n2, d, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "second set: ");
    return gr_frechet_from_stats(w, fd, d, w->m1, w->S1, w->m2, w->S2, err);
}
