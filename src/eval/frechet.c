/* eval/frechet.c — feature statistics in double and the Frechet distance's closed form
 * (see frechet.h), with LAPACK's dsyevd from OpenBLAS for the symmetric eigenproblems.
 *
 * Why not distance/gauss.h's gr_gauss_w2sq_ws (the same formula, GSL's gsl_eigen_symmv,
 * three decompositions with vectors and an unblocked triple loop for the root): at d = 512
 * it takes ~5 s CPU per call, which an evaluation every few hundred training steps cannot
 * afford; dsyevd (divide and conquer, blocked) with one decomposition with vectors and two
 * without takes a small fraction of that. tests/eval/test_frechet.c checks the two against
 * each other. */
#include "eval/frechet.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* LAPACK (in libopenblas; Debian ships no lapacke.h with it): the Fortran symbol, with the
 * hidden lengths of the two CHARACTER arguments that gfortran appends. */
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
                    double *w, double *work, const int *lwork, int *iwork, const int *liwork,
                    int *info, size_t jobz_len, size_t uplo_len);

struct gr_frechet {
    size_t d_max;
    double *m1, *m2;       /* d_max */
    double *S1, *S2;       /* d_max^2 */
    double *block;         /* GR_FRECHET_BLOCK x d_max centred rows */
    double *A, *B, *R, *C; /* d_max^2 each: the closed form's matrices */
    double *ev;            /* d_max eigenvalues */
    double *work;          /* dsyevd's workspace for d_max with eigenvectors */
    int *iwork;
    int lwork, liwork;
};

void gr_frechet_free(gr_frechet *w) {
    if (!w) return;
    free(w->m1);
    free(w->m2);
    free(w->S1);
    free(w->S2);
    free(w->block);
    free(w->A);
    free(w->B);
    free(w->R);
    free(w->C);
    free(w->ev);
    free(w->work);
    free(w->iwork);
    free(w);
}

int gr_frechet_alloc(gr_frechet **out, size_t d_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_frechet_alloc: NULL output");
    *out = NULL;
    if (d_max == 0) return GR_ERROR(err, GR_EINVAL, "gr_frechet_alloc: d_max must be positive");
    size_t dd, bytes_dd, bytes_block;
    if (d_max > GR_FRECHET_D_MAX || gr_size_mul(d_max, d_max, &dd) ||
        gr_size_mul(dd, sizeof(double), &bytes_dd) ||
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
    w->A = malloc(bytes_dd);
    w->B = malloc(bytes_dd);
    w->R = malloc(bytes_dd);
    w->C = malloc(bytes_dd);
    w->ev = malloc(d_max * sizeof(double));
    int ok = w->m1 && w->m2 && w->S1 && w->S2 && w->block && w->A && w->B && w->R && w->C && w->ev;
    if (ok) { /* workspace query: the sizes dsyevd needs for d_max with eigenvectors */
        int n = (int)d_max, lw = -1, liw = -1, info = 0, iq = 0;
        double q = 0.0;
        dsyevd_("V", "L", &n, w->A, &n, w->ev, &q, &lw, &iq, &liw, &info, 1, 1);
        w->lwork = info == 0 ? (int)q : 0;
        w->liwork = info == 0 ? iq : 0;
        ok = info == 0 && w->lwork >= 1 && w->liwork >= 1;
        if (ok) {
            w->work = malloc((size_t)w->lwork * sizeof(double));
            w->iwork = malloc((size_t)w->liwork * sizeof(int));
            ok = w->work && w->iwork;
        }
    }
    if (!ok) {
        gr_frechet_free(w);
        return GR_ERROR(err, GR_ENOMEM, "gr_frechet_alloc: out of memory for d_max = %zu", d_max);
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

/* Eigenvalues (ascending, into w->ev) and, with jobz "V", eigenvectors of the symmetric
 * d x d matrix a (full storage, destroyed): row i of a (row-major) is then the eigenvector
 * of ev[i]. Negative eigenvalues within the solver's backward error, d eps max|lambda|,
 * are set to 0; a more negative one means `name` is not positive semi-definite (GR_EDOM). */
static int sym_eig(gr_frechet *w, const char *jobz, size_t d, double *a, const char *name,
                   gr_error *err) {
    int n = (int)d, info = 0;
    dsyevd_(jobz, "L", &n, a, &n, w->ev, w->work, &w->lwork, w->iwork, &w->liwork, &info, 1, 1);
    if (info != 0)
        return GR_ERROR(err, GR_ELIB, "dsyevd on %s (%zu x %zu): info = %d", name, d, d, info);
    double lmax = fmax(fabs(w->ev[0]), fabs(w->ev[d - 1]));
    double tol = -(double)d * DBL_EPSILON * lmax;
    if (w->ev[0] < tol)
        return GR_ERROR(err, GR_EDOM,
                        "%s is not positive semi-definite (eigenvalue %g, largest |%g|)", name,
                        w->ev[0], lmax);
    for (size_t i = 0; i < d; i++)
        if (w->ev[i] < 0.0) w->ev[i] = 0.0;
    return GR_OK;
}

/* dst = the symmetric matrix whose lower triangle is src's (only the lower one is read). */
static int sym_from_lower(size_t d, const double *src, double *dst, const char *name,
                          gr_error *err) {
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = src[i * d + j];
            if (!isfinite(v))
                return GR_ERROR(err, GR_EDOM, "%s[%zu][%zu] = %g is not finite", name, i, j, v);
            dst[i * d + j] = v;
            dst[j * d + i] = v;
        }
    return GR_OK;
}

int gr_frechet_from_stats(gr_frechet *w, double *fd, size_t d, const double *m1, const double *S1,
                          const double *m2, const double *S2, gr_error *err) {
    const char *fn = "Frechet distance";
    if (!w || !fd || !m1 || !S1 || !m2 || !S2)
        return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", fn);
    if (d == 0 || d > w->d_max)
        return GR_ERROR(err, GR_EINVAL, "%s: d = %zu, workspace d_max = %zu", fn, d, w->d_max);
    double dm2 = 0.0, tr1 = 0.0, tr2 = 0.0;
    for (size_t i = 0; i < d; i++) {
        if (!isfinite(m1[i]) || !isfinite(m2[i]))
            return GR_ERROR(err, GR_EDOM, "%s: mean component %zu is not finite", fn, i);
        dm2 += (m1[i] - m2[i]) * (m1[i] - m2[i]);
        tr1 += S1[i * d + i];
        tr2 += S2[i * d + i];
    }
    double *A = w->A, *B = w->B, *R = w->R, *C = w->C;
    int st = sym_from_lower(d, S1, A, "S1", err);
    if (st == GR_OK) st = sym_from_lower(d, S2, C, "S2", err);
    if (st != GR_OK) return gr_error_prefix(err, st, "%s: ", fn);
    /* S2 is used only through S1^1/2 S2 S1^1/2: check it is PSD on its own too */
    memcpy(B, C, d * d * sizeof(double));
    st = sym_eig(w, "N", d, B, "S2", err);
    /* R = S1^1/2 = V' diag(sqrt(lambda)) V, rows of A = eigenvectors after sym_eig */
    if (st == GR_OK) st = sym_eig(w, "V", d, A, "S1", err);
    if (st != GR_OK) return gr_error_prefix(err, st, "%s: ", fn);
    for (size_t i = 0; i < d; i++) {
        double r = sqrt(w->ev[i]);
        for (size_t j = 0; j < d; j++)
            B[i * d + j] = r * A[i * d + j];
    }
    int n = (int)d;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, n, 1.0, A, n, B, n, 0.0, R, n);
    /* M = R S2 R (in A), symmetrised: symmetric in exact arithmetic */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, R, n, C, n, 0.0, B, n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, B, n, R, n, 0.0, A, n);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            A[i * d + j] = A[j * d + i] = 0.5 * (A[i * d + j] + A[j * d + i]);
    st = sym_eig(w, "N", d, A, "S1^1/2 S2 S1^1/2", err);
    if (st != GR_OK) return gr_error_prefix(err, st, "%s: ", fn);
    double trc = 0.0;
    for (size_t i = 0; i < d; i++)
        trc += sqrt(w->ev[i]);
    double v = dm2 + tr1 + tr2 - 2.0 * trc;
    *fd = v > 0.0 ? v : 0.0; /* >= 0 exactly; cancellation when the two coincide */
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
