/* distance/localpca.c — eigenvalues of local neighbourhood covariances; contracts in
 * distance/localpca.h. */
#include "distance/localpca.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_vector.h>
#include <math.h>
#include <stdlib.h>

#include "core/mem.h"

struct gr_localpca {
    size_t n_max, d, k;
    double *dist; /* n_max squared distances */
    size_t *idx;  /* k neighbour indices */
    double *mean; /* d */
    gsl_matrix *cov;
    gsl_vector *eval;
    gsl_eigen_symm_workspace *ws;
};

void gr_localpca_free(gr_localpca *w) {
    if (!w) return;
    free(w->dist);
    free(w->idx);
    free(w->mean);
    if (w->cov) gsl_matrix_free(w->cov);
    if (w->eval) gsl_vector_free(w->eval);
    if (w->ws) gsl_eigen_symm_free(w->ws);
    free(w);
}

int gr_localpca_alloc(gr_localpca **out, size_t n_max, size_t d, size_t k, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "localpca: NULL out");
    *out = NULL;
    if (d == 0 || k < 2 || k > n_max)
        return GR_ERROR(err, GR_EINVAL,
                        "localpca: need d >= 1 and 2 <= k <= n_max (d %zu, k %zu, "
                        "n_max %zu)",
                        d, k, n_max);
    size_t nb, dd;
    if (gr_size_mul(n_max, sizeof(double), &nb) != GR_OK || gr_size_mul(d, d, &dd) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "localpca: sizes overflow");
    gr_localpca *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "localpca: memory");
    w->n_max = n_max, w->d = d, w->k = k;
    w->dist = malloc(nb);
    w->idx = malloc(k * sizeof *w->idx);
    w->mean = malloc(d * sizeof *w->mean);
    gr_gsl_quiet_enter();
    w->cov = gsl_matrix_alloc(d, d);
    w->eval = gsl_vector_alloc(d);
    w->ws = gsl_eigen_symm_alloc(d);
    gr_gsl_quiet_leave();
    if (!w->dist || !w->idx || !w->mean || !w->cov || !w->eval || !w->ws) {
        gr_localpca_free(w);
        return GR_ERROR(err, GR_ENOMEM, "localpca: memory for n_max = %zu, d = %zu", n_max, d);
    }
    *out = w;
    return GR_OK;
}

int gr_localpca_eigen(gr_localpca *w, const double *x, size_t n, size_t q, double *eig,
                      gr_error *err) {
    if (!w || !x || !eig) return GR_ERROR(err, GR_EINVAL, "localpca: NULL argument");
    if (n > w->n_max || n < w->k || q >= n)
        return GR_ERROR(err, GR_EINVAL, "localpca: n = %zu (k %zu .. n_max %zu), q = %zu", n, w->k,
                        w->n_max, q);
    const size_t d = w->d, k = w->k;
    const double *xq = x + q * d;
    for (size_t j = 0; j < d; j++)
        if (!isfinite(xq[j]))
            return GR_ERROR(err, GR_EDOM, "localpca: query point %zu has a non-finite coordinate",
                            q);
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * d;
        double s = 0;
        for (size_t j = 0; j < d; j++) {
            double t = xi[j] - xq[j];
            s += t * t;
        }
        w->dist[i] = isnan(s) ? INFINITY : s;
    }
    gsl_sort_smallest_index(w->idx, k, w->dist, 1, n);
    for (size_t j = 0; j < d; j++)
        w->mean[j] = 0;
    for (size_t a = 0; a < k; a++) {
        const double *xa = x + w->idx[a] * d;
        for (size_t j = 0; j < d; j++) {
            if (!isfinite(xa[j]))
                return GR_ERROR(err, GR_EDOM, "localpca: point %zu has a non-finite coordinate",
                                w->idx[a]);
            w->mean[j] += xa[j];
        }
    }
    for (size_t j = 0; j < d; j++)
        w->mean[j] /= (double)k;
    gsl_matrix_set_zero(w->cov);
    for (size_t a = 0; a < k; a++) {
        const double *xa = x + w->idx[a] * d;
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j <= i; j++) {
                double *c = gsl_matrix_ptr(w->cov, i, j);
                *c += (xa[i] - w->mean[i]) * (xa[j] - w->mean[j]);
            }
    }
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = gsl_matrix_get(w->cov, i, j) / (double)(k - 1);
            gsl_matrix_set(w->cov, i, j, v);
            gsl_matrix_set(w->cov, j, i, v);
        }
    gr_gsl_quiet_enter();
    int gs = gsl_eigen_symm(w->cov, w->eval, w->ws);
    gr_gsl_quiet_leave();
    if (gs) return GR_ERROR(err, GR_ELIB, "localpca: gsl_eigen_symm: %s", gsl_strerror(gs));
    gsl_sort_vector(w->eval);
    for (size_t j = 0; j < d; j++)
        eig[j] = gsl_vector_get(w->eval, d - 1 - j);
    return GR_OK;
}
