/* distance/gauss.c — closed forms between Gaussians (see gauss.h; CLAIMS.md O1-O3, O6, O8).
 *
 * KL uses Cholesky factors L1, L2 (gsl_linalg_cholesky_decomp1) and triangular solves with
 * OpenBLAS: tr(S2^-1 S1) = |L2^-1 L1|_F^2, the Mahalanobis term = |L2^-1 dm|^2, and the log
 * determinants are sums of log diagonals — no inverse is formed. W2 needs symmetric square
 * roots, done by gsl_eigen_symmv on views of the workspace's eigenvector memory (one d_max
 * symmv workspace serves every d <= d_max). The O3 JS integral and the O8 TV of the
 * equal-variance normal pair are facts about the normal family: they live in prob/normal.h,
 * and the gr_gauss_* names at the end of this file forward to it.
 */
#include "distance/gauss.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/mem.h"

/* Copy the lower triangle of a (mirrored into the upper one) into out; check finiteness. */
static int sym_copy(size_t d, const double *a, double *out, const char *name, gr_error *err) {
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = a[i * d + j];
            if (!isfinite(v)) return GR_ERROR(err, GR_EDOM, "%s[%zu][%zu] is %g", name, i, j, v);
            out[i * d + j] = out[j * d + i] = v;
        }
    return GR_OK;
}

static int vec_check(size_t d, const double *m, const char *name, gr_error *err) {
    size_t i = gr_first_nonfinite(m, d);
    if (i < d) return GR_ERROR(err, GR_EDOM, "%s[%zu] is %g", name, i, m[i]);
    return GR_OK;
}

/* In-place Cholesky (lower factor in the lower triangle, upper triangle zeroed). */
static int chol(size_t d, double *a, const char *name, gr_error *err) {
    gsl_matrix_view v = gsl_matrix_view_array(a, d, d);
    gr_gsl_quiet_enter(); /* "not positive definite" goes through GSL's handler */
    int gs = gsl_linalg_cholesky_decomp1(&v.matrix);
    gr_gsl_quiet_leave();
    if (gs == GSL_EDOM)
        return GR_ERROR(err, GR_EDOM, "covariance %s is not positive definite", name);
    if (gs) return GR_ERROR(err, GR_ELIB, "Cholesky of %s: %s", name, gsl_strerror(gs));
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            a[i * d + j] = 0.0;
    return GR_OK;
}

/* The d_max-sized memory of the KL and W2 closed forms (see gauss.h). */
struct gr_gauss_workspace {
    size_t d_max;
    double *buf;                    /* 4 d_max^2: KL's L1, L2, dm or W2's A1, A2, R, C */
    double *ev;                     /* d_max eigenvalues */
    double *V;                      /* d_max^2 eigenvectors */
    gsl_eigen_symmv_workspace *eig; /* for matrices up to d_max x d_max */
};

void gr_gauss_workspace_free(gr_gauss_workspace *w) {
    if (!w) return;
    free(w->buf);
    free(w->ev);
    free(w->V);
    if (w->eig) gsl_eigen_symmv_free(w->eig);
    free(w);
}

static int ws_alloc(gr_gauss_workspace **out, const char *fn, size_t d_max, gr_error *err) {
    *out = NULL;
    if (d_max == 0) return GR_ERROR(err, GR_EINVAL, "%s: d_max must be positive", fn);
    size_t dd = 0, bytes = 0;
    if (gr_size_mul(d_max, d_max, &dd) || gr_size_mul(dd, 4 * sizeof(double), &bytes))
        return GR_ERROR(err, GR_EINVAL, "%s: d_max = %zu is too large", fn, d_max);
    gr_gauss_workspace *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "%s: workspace record", fn);
    w->d_max = d_max;
    w->buf = malloc(4 * dd * sizeof *w->buf);
    w->ev = malloc(d_max * sizeof *w->ev);
    w->V = malloc(dd * sizeof *w->V);
    gr_gsl_quiet_enter(); /* GSL allocation failures go through its handler */
    w->eig = gsl_eigen_symmv_alloc(d_max);
    gr_gsl_quiet_leave();
    if (!w->buf || !w->ev || !w->V || !w->eig) {
        gr_gauss_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "%s: workspace for %zu x %zu covariances", fn, d_max,
                        d_max);
    }
    *out = w;
    return GR_OK;
}

int gr_gauss_workspace_alloc(gr_gauss_workspace **out, size_t d_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_gauss_workspace_alloc: NULL output");
    return ws_alloc(out, "gr_gauss_workspace_alloc", d_max, err);
}

/* Arguments of KL and W2; with a workspace, d must fit it. */
static int check_args(const char *fn, const gr_gauss_workspace *w, int with_ws, size_t d,
                      const double *m1, const double *S1, const double *m2, const double *S2,
                      const double *out, gr_error *err) {
    if ((with_ws && !w) || !m1 || !S1 || !m2 || !S2 || !out)
        return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", fn);
    if (d == 0) return GR_ERROR(err, GR_EINVAL, "%s: dimension must be positive", fn);
    if (with_ws && d > w->d_max)
        return GR_ERROR(err, GR_EINVAL, "%s: dimension d = %zu exceeds the workspace's d_max = %zu",
                        fn, d, w->d_max);
    GR_TRY(vec_check(d, m1, "m1", err));
    GR_TRY(vec_check(d, m2, "m2", err));
    return GR_OK;
}

/* KL on checked arguments, in buf (2 d^2 + d doubles); allocates nothing. */
static int kl_run(size_t d, const double *m1, const double *S1, const double *m2, const double *S2,
                  double *buf, double *kl, gr_error *err) {
    double *L1 = buf, *L2 = buf + d * d, *dm = buf + 2 * d * d;
    GR_TRY(sym_copy(d, S1, L1, "S1", err));
    GR_TRY(sym_copy(d, S2, L2, "S2", err));
    GR_TRY(chol(d, L1, "S1", err));
    GR_TRY(chol(d, L2, "S2", err));
    double logdet = 0.0; /* ln det S2 - ln det S1 */
    for (size_t i = 0; i < d; i++)
        logdet += 2.0 * (log(L2[i * d + i]) - log(L1[i * d + i]));
    for (size_t i = 0; i < d; i++)
        dm[i] = m2[i] - m1[i];
    /* L1 <- L2^-1 L1, dm <- L2^-1 dm (gsl_blas forwards to OpenBLAS's cblas) */
    gsl_matrix_view l1 = gsl_matrix_view_array(L1, d, d), l2 = gsl_matrix_view_array(L2, d, d);
    gsl_vector_view dv = gsl_vector_view_array(dm, d);
    gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &l2.matrix, &l1.matrix);
    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &l2.matrix, &dv.vector);
    double tr = 0.0, maha = 0.0;
    for (size_t i = 0; i < d * d; i++)
        tr += L1[i] * L1[i];
    for (size_t i = 0; i < d; i++)
        maha += dm[i] * dm[i];
    *kl = 0.5 * (tr + maha - (double)d + logdet);
    if (*kl < 0.0) *kl = 0.0; /* rounding when the Gaussians coincide; KL >= 0 exactly */
    return GR_OK;
}

int gr_gauss_kl_ws(gr_gauss_workspace *w, size_t d, const double *m1, const double *S1,
                   const double *m2, const double *S2, double *kl, gr_error *err) {
    GR_TRY(check_args("gr_gauss_kl_ws", w, 1, d, m1, S1, m2, S2, kl, err));
    return kl_run(d, m1, S1, m2, S2, w->buf, kl, err);
}

int gr_gauss_kl(size_t d, const double *m1, const double *S1, const double *m2, const double *S2,
                double *kl, gr_error *err) {
    GR_TRY(check_args("gr_gauss_kl", NULL, 0, d, m1, S1, m2, S2, kl, err));
    /* KL needs no eigen-decomposition: only its 2 d^2 + d doubles, not a whole workspace */
    double *buf = malloc((2 * d * d + d) * sizeof *buf);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "gr_gauss_kl: %zu x %zu workspace", d, d);
    int st = kl_run(d, m1, S1, m2, S2, buf, kl, err);
    free(buf);
    return st;
}

/* Symmetric square root by eigen-decomposition of a (d x d, full storage, destroyed), in the
 * eigen memory of w (d <= d_max): out (may be NULL) receives V diag(sqrt(lambda)) V', tr (may
 * be NULL) its trace. Allocates nothing. */
static int sym_sqrt(const gr_gauss_workspace *w, size_t d, double *a, double *out, double *tr,
                    const char *name, gr_error *err) {
    /* the d_max workspace serves any d <= d_max (gsl_eigen_symmv reads d entries of each of
     * its arrays); its size field is set to d in a copy in case a GSL version checks it */
    gsl_eigen_symmv_workspace ew = *w->eig;
    ew.size = d;
    gsl_vector_view evv = gsl_vector_view_array(w->ev, d);
    gsl_matrix_view Vv = gsl_matrix_view_array(w->V, d, d);
    gsl_vector *ev = &evv.vector;
    gsl_matrix *V = &Vv.matrix;
    gsl_matrix_view av = gsl_matrix_view_array(a, d, d);
    gr_gsl_quiet_enter(); /* a GSL failure is returned as a status below */
    int gs = gsl_eigen_symmv(&av.matrix, ev, V, &ew);
    gr_gsl_quiet_leave();
    if (gs) return GR_ERROR(err, GR_ELIB, "eigen-decomposition of %s: %s", name, gsl_strerror(gs));
    double lmax = 0.0;
    for (size_t i = 0; i < d; i++)
        lmax = fmax(lmax, fabs(gsl_vector_get(ev, i)));
    /* backward error of the symmetric eigensolver is O(d eps |A|): smaller negatives are 0 */
    double floor_ = -(double)d * DBL_EPSILON * lmax;
    double t = 0.0;
    for (size_t i = 0; i < d; i++) {
        double l = gsl_vector_get(ev, i);
        if (l < floor_)
            return GR_ERROR(err, GR_EDOM,
                            "%s is not positive semi-definite (eigenvalue %g, largest |%g|)", name,
                            l, lmax);
        l = l > 0.0 ? sqrt(l) : 0.0;
        gsl_vector_set(ev, i, l);
        t += l;
    }
    if (tr) *tr = t;
    if (out)
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++) {
                double s = 0.0;
                for (size_t k = 0; k < d; k++)
                    s += gsl_matrix_get(V, i, k) * gsl_vector_get(ev, k) * gsl_matrix_get(V, j, k);
                out[i * d + j] = s;
            }
    return GR_OK;
}

/* W2^2 on checked arguments, in w (d <= d_max); allocates nothing. */
static int w2sq_run(const gr_gauss_workspace *w, size_t d, const double *m1, const double *S1,
                    const double *m2, const double *S2, double *w2sq, gr_error *err) {
    double *A1 = w->buf, *A2 = w->buf + d * d, *R = w->buf + 2 * d * d, *C = w->buf + 3 * d * d;
    GR_TRY(sym_copy(d, S1, A1, "S1", err));
    GR_TRY(sym_copy(d, S2, A2, "S2", err));
    double tr1 = 0.0, tr2 = 0.0, trc = 0.0, dm2 = 0.0;
    for (size_t i = 0; i < d; i++) {
        tr1 += A1[i * d + i];
        tr2 += A2[i * d + i];
        dm2 += (m1[i] - m2[i]) * (m1[i] - m2[i]);
    }
    GR_TRY(sym_sqrt(w, d, A2, R, NULL, "S2", err)); /* R = S2^½ (A2 destroyed) */
    /* C = R S1 R, then symmetrised (it is symmetric in exact arithmetic) */
    gsl_matrix_view r = gsl_matrix_view_array(R, d, d), a1 = gsl_matrix_view_array(A1, d, d),
                    t = gsl_matrix_view_array(A2, d, d), c = gsl_matrix_view_array(C, d, d);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &r.matrix, &a1.matrix, 0.0, &t.matrix);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &t.matrix, &r.matrix, 0.0, &c.matrix);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            C[i * d + j] = C[j * d + i] = 0.5 * (C[i * d + j] + C[j * d + i]);
    /* S1 was checked only through this product: check it is PSD on its own as well */
    memcpy(A2, A1, d * d * sizeof *A2);
    GR_TRY(sym_sqrt(w, d, A2, NULL, NULL, "S1", err));
    GR_TRY(sym_sqrt(w, d, C, NULL, &trc, "S2^½ S1 S2^½", err));
    double v = dm2 + tr1 + tr2 - 2.0 * trc;
    *w2sq = v > 0.0 ? v : 0.0;
    return GR_OK;
}

int gr_gauss_w2sq_ws(gr_gauss_workspace *w, size_t d, const double *m1, const double *S1,
                     const double *m2, const double *S2, double *w2sq, gr_error *err) {
    GR_TRY(check_args("gr_gauss_w2sq_ws", w, 1, d, m1, S1, m2, S2, w2sq, err));
    return w2sq_run(w, d, m1, S1, m2, S2, w2sq, err);
}

int gr_gauss_w2sq(size_t d, const double *m1, const double *S1, const double *m2, const double *S2,
                  double *w2sq, gr_error *err) {
    GR_TRY(check_args("gr_gauss_w2sq", NULL, 0, d, m1, S1, m2, S2, w2sq, err));
    gr_gauss_workspace *w;
    GR_TRY(ws_alloc(&w, "gr_gauss_w2sq", d, err));
    int st = w2sq_run(w, d, m1, S1, m2, S2, w2sq, err);
    gr_gauss_workspace_free(w);
    return st;
}

static int check_1d(const char *fn, double m1, double s1, double m2, double s2, double *out,
                    int strict, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "%s: NULL output", fn);
    if (!isfinite(m1) || !isfinite(m2) || !isfinite(s1) || !isfinite(s2))
        return GR_ERROR(err, GR_EDOM, "%s: non-finite argument (m1=%g s1=%g m2=%g s2=%g)", fn, m1,
                        s1, m2, s2);
    if (strict ? (s1 <= 0.0 || s2 <= 0.0) : (s1 < 0.0 || s2 < 0.0))
        return GR_ERROR(err, GR_EDOM, "%s: standard deviations must be %s (s1=%g s2=%g)", fn,
                        strict ? "positive" : "non-negative", s1, s2);
    return GR_OK;
}

int gr_gauss_kl_1d(double m1, double s1, double m2, double s2, double *kl, gr_error *err) {
    GR_TRY(check_1d("gr_gauss_kl_1d", m1, s1, m2, s2, kl, 1, err));
    double r = s1 / s2, dm = (m1 - m2) / s2;
    /* -log r + (r^2 - 1)/2 written with log1p/expm1-free form; fine for r near 1 to ~1e-16 abs */
    *kl = -log(r) + 0.5 * (r * r - 1.0) + 0.5 * dm * dm;
    if (*kl < 0.0) *kl = 0.0;
    return GR_OK;
}

int gr_gauss_w2_1d(double m1, double s1, double m2, double s2, double *w2, gr_error *err) {
    GR_TRY(check_1d("gr_gauss_w2_1d", m1, s1, m2, s2, w2, 0, err));
    *w2 = hypot(m1 - m2, s1 - s2);
    return GR_OK;
}

int gr_gauss_w1_1d(double m1, double s1, double m2, double s2, double *w1, gr_error *err) {
    GR_TRY(check_1d("gr_gauss_w1_1d", m1, s1, m2, s2, w1, 0, err));
    double a = m1 - m2, b = fabs(s1 - s2);
    if (b == 0.0) {
        *w1 = fabs(a);
        return GR_OK;
    }
    /* E|a + bZ|, folded normal mean; a*erf(a/(b sqrt2)) = a(1 - 2 Phi(-a/b)) without cancellation
     */
    double u = a / b;
    *w1 = b * (M_SQRT2 / M_SQRTPI) * exp(-0.5 * u * u) + a * gsl_sf_erf(u / M_SQRT2);
    return GR_OK;
}

/* ---- O3, O8: facts about the normal family, computed in prob/normal.h ---------------- *
 * The smoothed parallel lines (prob/lines.h) reduce to the equal-variance normal pair, and
 * prob/ cannot call up into distance/, so the integral lives there; these are its oracle
 * names here, bit for bit the same values (tests/prob/test_lines.c). */

int gr_gauss_js_eqvar(double delta, double *js, double *abserr, gr_error *err) {
    return gr_normal_js_eqvar(delta, js, abserr, err);
}

int gr_gauss_js_eqvar_deriv(double delta, double *djs, double *abserr, gr_error *err) {
    return gr_normal_js_eqvar_deriv(delta, djs, abserr, err);
}

int gr_gauss_tv_eqvar(double delta, double *tv, gr_error *err) {
    return gr_normal_tv_eqvar(delta, tv, err);
}
