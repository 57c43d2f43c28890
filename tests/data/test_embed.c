/* tests/data/test_embed.c — disjoint low-dimensional supports: the parallel lines (C19) and
 * k-dimensional sets embedded in R^D (C46). The matrix is checked to be the Q factor of the
 * documented Gaussian matrix (A^T G upper triangular with a positive diagonal, A A^T G = G),
 * the isometry to preserve pairwise distances to 1e-12 and exact W1 (distance/ot.h) to 1e-9,
 * projection and residual against constructed points, the off-manifold noise against the
 * chi distribution's mean, the curved embedding's chord lengths against 2R sin(s/2R). */
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "data/embed.h"
#include "data/lines.h"
#include "data/oned.h"
#include "data/sampler.h"
#include "data/toys.h"
#include "distance/ot.h"
#include "dquad.h"
#include "test.h"

static double dist(const double *a, const double *b, size_t d) {
    double s = 0.0;
    for (size_t j = 0; j < d; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return sqrt(s);
}

static void test_lines(void) {
    gr_error err = {0};
    gr_sampler *p0 = NULL, *pt = NULL, *sm = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_data_lines_alloc(&p0, 0.0, 0.0, &err), &err);
    CHECK_OK(gr_data_lines_alloc(&pt, 0.5, 0.0, &err), &err);
    CHECK_OK(gr_data_lines_alloc(&sm, 0.5, 0.1, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 19, GR_STREAM_DATA, &err), &err);
    enum { N = 500 };
    double *x = malloc(2 * N * sizeof *x), *y = malloc(2 * N * sizeof *y);
    if (!p0 || !pt || !sm || !r || !x || !y) {
        CHECK(0);
        goto done;
    }
    CHECK_OK(gr_sampler_sample(p0, r, N, x, &err), &err);
    CHECK_OK(gr_sampler_sample(pt, r, N, y, &err), &err);
    size_t bad = 0;
    for (size_t i = 0; i < N; i++)
        bad += !(x[2 * i] == 0.0 && y[2 * i] == 0.5 && x[2 * i + 1] >= 0.0 && x[2 * i + 1] < 1.0 &&
                 y[2 * i + 1] >= 0.0 && y[2 * i + 1] < 1.0);
    CHECK(bad == 0);
    /* LP-W1 >= |theta| (every coupling moves theta sideways) and close to it (C19: the sorted
     * matching's excess is about dy^2 / (2 theta), ~1e-3 here) */
    double w = NAN;
    CHECK_OK(gr_ot_wasserstein(x, NULL, N, y, NULL, N, 2, 1, NULL, &w, &err), &err);
    CHECK(w >= 0.5 - 1e-12 && w <= 0.52);
    gr_density d;
    CHECK_STATUS(gr_sampler_density(pt, &d, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "no density");
    double lo[2], hi[2];
    CHECK_OK(gr_sampler_box(pt, lo, hi, &err), &err);
    CHECK(lo[0] == 0.5 && hi[0] == 0.5 && lo[1] == 0.0 && hi[1] == 1.0);
    /* smoothed: a density of mass 1 */
    CHECK_OK(gr_sampler_density(sm, &d, &err), &err);
    const double px[1] = {0.5}, py[2] = {0.0, 1.0};
    double e = NAN;
    CHECK_CLOSE(dq_mass2(&d, px, 1, py, 2, &e), 1.0, 0, 1e-9);
    CHECK(e < 1e-9);
    gr_sampler *no = NULL;
    CHECK_STATUS(gr_data_lines_alloc(&no, NAN, 0.0, &err), GR_EDOM);
    CHECK(no == NULL);
    CHECK_STATUS(gr_data_lines_alloc(&no, 0.0, -1.0, &err), GR_EDOM);
    CHECK_STATUS(gr_data_lines_alloc(NULL, 0.0, 0.0, &err), GR_EINVAL);
done:
    free(x);
    free(y);
    gr_rng_free(r);
    gr_sampler_free(p0);
    gr_sampler_free(pt);
    gr_sampler_free(sm);
}

/* A is the Q factor of the documented Gaussian matrix, and b the next D draws */
static void test_basis(void) {
    gr_error err = {0};
    const size_t D = 16, k = 2;
    gr_sampler *g8 = NULL, *s = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&s, g8, D, 77, 0.0, &err), &err);
    if (!s) return;
    size_t m = 0;
    const double *A = gr_data_embed_matrix(s, &m), *b = gr_data_embed_offset(s);
    CHECK(A && b && m == k);
    CHECK(gr_sampler_dim(s) == D);
    CHECK_STR_CONTAINS(gr_sampler_name(s), "embed:8gaussians");
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 77, GR_STREAM_EMBED, &err), &err);
    double G[16 * 2], bb[16];
    for (size_t i = 0; i < D * k; i++)
        G[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (size_t i = 0; i < D; i++)
        bb[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    gr_rng_free(r);
    CHECK(memcmp(b, bb, sizeof bb) == 0);
    double ata[4] = {0}, RR[4] = {0};
    for (size_t i = 0; i < D; i++)
        for (size_t a = 0; a < k; a++)
            for (size_t c = 0; c < k; c++) {
                ata[a * k + c] += A[i * k + a] * A[i * k + c];
                RR[a * k + c] += A[i * k + a] * G[i * k + c]; /* R = A^T G */
            }
    CHECK_CLOSE(ata[0], 1.0, 0, 1e-14);
    CHECK_CLOSE(ata[3], 1.0, 0, 1e-14);
    CHECK_CLOSE(ata[1], 0.0, 0, 1e-14);
    CHECK_CLOSE(RR[2], 0.0, 0, 1e-13); /* upper triangular */
    CHECK(RR[0] > 0.0 && RR[3] > 0.0);
    double worst = 0.0; /* A (A^T G) = G: G lies in A's span */
    for (size_t i = 0; i < D; i++)
        for (size_t c = 0; c < k; c++) {
            double v = A[i * k] * RR[c] + A[i * k + 1] * RR[k + c];
            worst = fmax(worst, fabs(v - G[i * k + c]));
        }
    CHECK(worst < 1e-13);
    CHECK(gr_data_embed_inner(s) != NULL && gr_sampler_dim(gr_data_embed_inner(s)) == 2);
    /* another seed: another matrix */
    gr_sampler *g8b = NULL, *s2 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8b, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&s2, g8b, D, 78, 0.0, &err), &err);
    if (s2) CHECK(memcmp(gr_data_embed_matrix(s2, NULL), A, D * k * sizeof *A) != 0);
    gr_sampler_free(s2);
    gr_sampler_free(s);
}

/* x = b + A u for the inner draws of the same stream; pairwise distances to 1e-12; exact W1
 * between two embedded sets equals W1 between the originals to 1e-9; projection returns u. */
static void test_isometry(void) {
    gr_error err = {0};
    const size_t D = 64, N = 300;
    gr_sampler *in1 = NULL, *in2 = NULL, *e1 = NULL, *e2 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&in1, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&in2, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&e1, in2, D, 5, 0.0, &err), &err);
    gr_sampler *sr = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&sr, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&e2, sr, D, 5, 0.0, &err), &err); /* same A, b */
    double *u = malloc(2 * N * sizeof *u), *v = malloc(2 * N * sizeof *v);
    double *x = malloc(D * N * sizeof *x), *y = malloc(D * N * sizeof *y);
    double *pu = malloc(2 * N * sizeof *pu), *res = malloc(N * sizeof *res);
    gsl_rng *r = NULL, *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 8, GR_STREAM_DATA, &err), &err);
    if (!in1 || !e1 || !e2 || !u || !v || !x || !y || !pu || !res || !r || !r2) {
        CHECK(0);
        goto done;
    }
    CHECK(memcmp(gr_data_embed_matrix(e1, NULL), gr_data_embed_matrix(e2, NULL),
                 D * 2 * sizeof(double)) == 0);
    CHECK_OK(gr_sampler_sample(in1, r, N, u, &err), &err);
    CHECK_OK(gr_sampler_sample(e1, r2, N, x, &err), &err);
    const double *A = gr_data_embed_matrix(e1, NULL), *b = gr_data_embed_offset(e1);
    double worst = 0.0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < D; j++)
            worst = fmax(worst, fabs(x[i * D + j] -
                                     (b[j] + A[2 * j] * u[2 * i] + A[2 * j + 1] * u[2 * i + 1])));
    CHECK(worst < 1e-14);
    worst = 0.0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++)
            worst =
                fmax(worst, fabs(dist(x + i * D, x + j * D, D) - dist(u + 2 * i, u + 2 * j, 2)));
    printf("isometry: worst pairwise distance error %.2e (D = %zu)\n", worst, D);
    CHECK(worst < 1e-12);
    CHECK_OK(gr_data_embed_project(e1, x, N, pu, &err), &err);
    CHECK_ARRAY_CLOSE(pu, u, 2 * N, 0, 1e-13);
    CHECK_OK(gr_data_embed_residual(e1, x, N, res, &err), &err);
    double rmax = 0.0;
    for (size_t i = 0; i < N; i++)
        rmax = fmax(rmax, res[i]);
    CHECK(rmax < 1e-13);
    /* exact W1 in R^64 and in R^2 (Swiss roll vs 8 Gaussians, both through the same map) */
    gr_sampler *srk = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&srk, &err), &err);
    gr_rng_seed(r, 9, GR_STREAM_DATA, NULL);
    gr_rng_seed(r2, 9, GR_STREAM_DATA, NULL);
    if (srk) CHECK_OK(gr_sampler_sample(srk, r, N, v, &err), &err);
    CHECK_OK(gr_sampler_sample(e2, r2, N, y, &err), &err);
    double wD = NAN, w2 = NAN;
    CHECK_OK(gr_ot_wasserstein(x, NULL, N, y, NULL, N, D, 1, NULL, &wD, &err), &err);
    CHECK_OK(gr_ot_wasserstein(u, NULL, N, v, NULL, N, 2, 1, NULL, &w2, &err), &err);
    printf("W1 embedded %.17g, original %.17g, difference %.2e\n", wD, w2, wD - w2);
    CHECK_CLOSE(wD, w2, 0, 1e-9);
    gr_sampler_free(srk);
    /* modes: b + A mu, SD unchanged at tau = 0 */
    const gr_modes *me = gr_sampler_modes(e1), *mi = gr_sampler_modes(in1);
    CHECK(me && mi && me->k == 8 && me->d == D);
    if (me && mi)
        for (size_t c = 0; c < 8; c++) {
            CHECK_CLOSE(me->sd[c], mi->sd[c], 1e-15, 0);
            CHECK_CLOSE(me->mu[c * D + 3], b[3] + A[6] * mi->mu[2 * c] + A[7] * mi->mu[2 * c + 1],
                        1e-14, 1e-14);
        }
    /* the box holds the points */
    double *lo = malloc(2 * D * sizeof *lo);
    if (lo) {
        CHECK_OK(gr_sampler_box(e1, lo, lo + D, &err), &err);
        size_t out = 0;
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < D; j++)
                out += x[i * D + j] < lo[j] || x[i * D + j] > lo[D + j];
        CHECK(out == 0);
    }
    free(lo);
    gr_density d;
    CHECK_STATUS(gr_sampler_density(e1, &d, &err), GR_EINVAL);
done:
    free(u);
    free(v);
    free(x);
    free(y);
    free(pu);
    free(res);
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(in1);
    gr_sampler_free(e1);
    gr_sampler_free(e2);
}

/* tau > 0: the N inner draws, then N x D normals (reproduced here); the residual's mean is
 * that of tau chi_(D-k): tau sqrt(2) Gamma((D-k+1)/2) / Gamma((D-k)/2). */
static void test_noise(void) {
    gr_error err = {0};
    const size_t D = 16, N = 4000;
    const double tau = 0.05;
    gr_sampler *in = NULL, *ref = NULL, *e = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&in, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&ref, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&e, in, D, 3, tau, &err), &err);
    double *x = malloc(D * N * sizeof *x), *res = malloc(N * sizeof *res);
    gsl_rng *r = NULL, *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 4, GR_STREAM_DATA, &err), &err);
    if (!e || !ref || !x || !res || !r || !r2) {
        CHECK(0);
        goto done;
    }
    CHECK_OK(gr_sampler_sample(e, r, N, x, &err), &err);
    const double *A = gr_data_embed_matrix(e, NULL), *b = gr_data_embed_offset(e);
    double worst = 0.0, *u = malloc(2 * N * sizeof *u);
    if (u) {
        CHECK_OK(gr_sampler_sample(ref, r2, N, u, &err), &err);
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < D; j++) {
                double z = gsl_ran_gaussian_ziggurat(r2, 1.0);
                double want = b[j] + A[2 * j] * u[2 * i] + A[2 * j + 1] * u[2 * i + 1] + tau * z;
                worst = fmax(worst, fabs(x[i * D + j] - want));
            }
    }
    free(u);
    CHECK(worst < 1e-14);
    CHECK_OK(gr_data_embed_residual(e, x, N, res, &err), &err);
    double mean = 0.0;
    for (size_t i = 0; i < N; i++)
        mean += res[i] / (double)N;
    double nu = (double)(D - 2);
    double want = tau * sqrt(2.0) * exp(gsl_sf_lngamma((nu + 1) / 2) - gsl_sf_lngamma(nu / 2));
    /* the chi_14 SD is 0.19 of its mean: the mean of 4000 has relative s.e. 0.3 %; 1.5 % is
     * 5 s.e. */
    CHECK_CLOSE(mean, want, 0.015, 0);
    const gr_modes *m = gr_sampler_modes(e);
    CHECK(m != NULL);
    if (m) CHECK_CLOSE(m->sd[0], sqrt(pow(0.02 / 1.414, 2) + tau * tau), 1e-14, 0);
done:
    free(x);
    free(res);
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(ref);
    gr_sampler_free(e);
}

/* The curved embedding: chords 2R sin(s/2R), projection inverts it, residual of constructed
 * off-manifold points; k = 1 (a segment rolled onto an arc) and k = 2 (8 Gaussians). */
static void test_curved(void) {
    gr_error err = {0};
    const size_t D = 8, N = 200;
    const double R = 0.8;
    gr_sampler *in = NULL, *in_ref = NULL, *e = NULL, *seg = NULL, *es = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&in, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&in_ref, &err), &err);
    CHECK_OK(gr_data_embed_curved_alloc(&e, in, D, 12, R, 0.0, &err), &err);
    CHECK_OK(gr_data_segment1d_alloc(&seg, -1.0, 1.5, 0.0, &err), &err);
    CHECK_OK(gr_data_embed_curved_alloc(&es, seg, 3, 12, 1.0, 0.0, &err), &err);
    double *u = malloc(2 * N * sizeof *u), *x = malloc(D * N * sizeof *x);
    double *pu = malloc(2 * N * sizeof *pu), *res = malloc(N * sizeof *res);
    gsl_rng *r = NULL, *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r, 6, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 6, GR_STREAM_DATA, &err), &err);
    if (!e || !es || !u || !x || !pu || !res || !r || !r2) {
        CHECK(0);
        goto done;
    }
    size_t m = 0;
    const double *A = gr_data_embed_matrix(e, &m), *b = gr_data_embed_offset(e);
    CHECK(m == 3);
    CHECK_STR_CONTAINS(gr_sampler_name(e), "curved:8gaussians");
    CHECK_OK(gr_sampler_sample(in_ref, r, N, u, &err), &err);
    CHECK_OK(gr_sampler_sample(e, r2, N, x, &err), &err);
    double worst = 0.0, most_shrunk = 0.0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) {
            double s1 = u[2 * i] - u[2 * j], s2 = u[2 * i + 1] - u[2 * j + 1];
            double chord = sqrt(pow(2.0 * R * sin(s1 / (2.0 * R)), 2) + s2 * s2);
            double got = dist(x + i * D, x + j * D, D);
            worst = fmax(worst, fabs(got - chord));
            most_shrunk = fmax(most_shrunk, sqrt(s1 * s1 + s2 * s2) - got);
        }
    CHECK(worst < 1e-12);
    CHECK(most_shrunk > 0.1); /* Euclidean distances are not preserved */
    CHECK_OK(gr_data_embed_project(e, x, N, pu, &err), &err);
    CHECK_ARRAY_CLOSE(pu, u, 2 * N, 0, 1e-12);
    CHECK_OK(gr_data_embed_residual(e, x, N, res, &err), &err);
    double rmax = 0.0;
    for (size_t i = 0; i < N; i++)
        rmax = fmax(rmax, res[i]);
    CHECK(rmax < 1e-13);
    /* off the manifold: from phi(u) at u_1 = 0 (the origin of the (y1, y2) plane), move 0.3
     * outward (y2 = -0.3) and 0.4 along a direction orthogonal to A: residual 0.5 */
    double nrm[8], xp[8];
    for (size_t j = 0; j < D; j++)
        nrm[j] = (j == 0) ? 1.0 : 0.0;
    for (size_t c = 0; c < 3; c++) { /* Gram-Schmidt e_1 against A's columns */
        double dot = 0.0;
        for (size_t j = 0; j < D; j++)
            dot += A[j * 3 + c] * nrm[j];
        for (size_t j = 0; j < D; j++)
            nrm[j] -= dot * A[j * 3 + c];
    }
    double nn = 0.0;
    for (size_t j = 0; j < D; j++)
        nn += nrm[j] * nrm[j];
    for (size_t j = 0; j < D; j++)
        xp[j] = b[j] + A[j * 3 + 1] * (-0.3) + A[j * 3 + 2] * 0.25 + 0.4 * nrm[j] / sqrt(nn);
    double rp = NAN, up[2];
    CHECK_OK(gr_data_embed_residual(e, xp, 1, &rp, &err), &err);
    CHECK_CLOSE(rp, 0.5, 1e-13, 0);
    CHECK_OK(gr_data_embed_project(e, xp, 1, up, &err), &err);
    CHECK_CLOSE(up[0], 0.0, 0, 1e-14);
    CHECK_CLOSE(up[1], 0.25, 1e-13, 0);
    /* k = 1: a segment on an arc of radius 1 in R^3; the box holds the points */
    double xs[3 * 100], us[100], rs[100], lo[3], hi[3];
    CHECK_OK(gr_sampler_sample(es, r, 100, xs, &err), &err);
    CHECK_OK(gr_data_embed_project(es, xs, 100, us, &err), &err);
    CHECK_OK(gr_data_embed_residual(es, xs, 100, rs, &err), &err);
    CHECK_OK(gr_sampler_box(es, lo, hi, &err), &err);
    size_t bad = 0;
    for (size_t i = 0; i < 100; i++) {
        bad += !(us[i] >= -1.0 - 1e-12 && us[i] <= 1.5 + 1e-12 && rs[i] < 1e-13);
        for (size_t j = 0; j < 3; j++)
            bad += xs[3 * i + j] < lo[j] - 1e-12 || xs[3 * i + j] > hi[j] + 1e-12;
    }
    CHECK(bad == 0);
done:
    free(u);
    free(x);
    free(pu);
    free(res);
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(in_ref);
    gr_sampler_free(e);
    gr_sampler_free(es);
}

/* the embedding forwards the inner's cursor state (25 Gaussians) */
static void test_state(void) {
    gr_error err = {0};
    gr_sampler *a = NULL, *b = NULL, *ia = NULL, *ib = NULL;
    CHECK_OK(gr_data_gauss25_alloc(&ia, 1, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&ib, 1, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&a, ia, 10, 2, 0.0, &err), &err);
    CHECK_OK(gr_data_embed_alloc(&b, ib, 10, 2, 0.0, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 1, GR_STREAM_DATA, &err), &err);
    if (!a || !b || !r) goto done;
    CHECK(gr_sampler_state_size(a) == 16);
    double x[10 * 64], y[10 * 64];
    unsigned char st[16];
    CHECK_OK(gr_sampler_sample(a, r, 64, x, &err), &err);
    CHECK_OK(gr_sampler_state_save(a, st, 16, &err), &err);
    CHECK_OK(gr_sampler_sample(a, r, 64, x, &err), &err);
    CHECK_OK(gr_sampler_state_load(b, st, 16, &err), &err);
    CHECK_OK(gr_sampler_sample(b, r, 64, y, &err), &err);
    CHECK(memcmp(x, y, sizeof x) == 0);
    /* the pool keeps its epoch rule inside the embedding: batches of 256 are read whole, 390
     * an epoch, then the first batch again */
    gr_sampler *ic = NULL, *c = NULL;
    CHECK_OK(gr_data_gauss25_alloc(&ic, 3, &err), &err);
    const double *pool = gr_data_gauss25_pool(ic);
    CHECK_OK(gr_data_embed_alloc(&c, ic, 5, 2, 0.0, &err), &err);
    double *xb = malloc(5 * 256 * sizeof *xb), *ub = malloc(2 * 256 * sizeof *ub);
    if (c && xb && ub) {
        for (int k = 0; k < 391; k++)
            CHECK_OK(gr_sampler_sample(c, r, 256, xb, &err), &err);
        CHECK_OK(gr_data_embed_project(c, xb, 256, ub, &err), &err);
        CHECK_ARRAY_CLOSE(ub, pool, 2 * 256, 0, 1e-13);
    }
    free(xb);
    free(ub);
    gr_sampler_free(c);
done:
    gr_rng_free(r);
    gr_sampler_free(a);
    gr_sampler_free(b);
}

/* bad arguments; the inner sampler is freed on every failure (ASan checks for leaks) */
static void test_errors(void) {
    gr_error err = {0};
    gr_sampler *s = NULL, *in = NULL;
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_alloc(&s, in, 1, 1, 0.0, &err), GR_EINVAL); /* D < k */
    CHECK_STR_CONTAINS(err.msg, "D >= 2");
    CHECK(s == NULL);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_curved_alloc(&s, in, 2, 1, 1.0, 0.0, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "D >= 3");
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_alloc(&s, in, 4, 1, -0.1, &err), GR_EDOM);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_alloc(&s, in, 4, 1, NAN, &err), GR_EDOM);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_curved_alloc(&s, in, 4, 1, 0.0, 0.0, &err), GR_EDOM);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_alloc(NULL, in, 4, 1, 0.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_embed_alloc(&s, NULL, 4, 1, 0.0, &err), GR_EINVAL);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_embed_alloc(&s, in, SIZE_MAX / 2, 1, 0.0, &err), GR_EINVAL);
    /* accessors refuse other samplers */
    gr_data_gauss8_alloc(&in, NULL);
    double x[2] = {0, 0}, u[2], r[1];
    CHECK(gr_data_embed_matrix(in, NULL) == NULL && gr_data_embed_offset(in) == NULL);
    CHECK(gr_data_embed_inner(in) == NULL);
    CHECK_STATUS(gr_data_embed_project(in, x, 1, u, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_embed_residual(in, x, 1, r, &err), GR_EINVAL);
    CHECK_OK(gr_data_embed_alloc(&s, in, 2, 1, 0.0, &err), &err); /* D = k is allowed */
    CHECK_STATUS(gr_data_embed_project(s, x, 0, u, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_embed_residual(s, NULL, 1, r, &err), GR_EINVAL);
    gr_sampler_free(s);
}

int main(void) {
    RUN(test_lines);
    RUN(test_basis);
    RUN(test_isometry);
    RUN(test_noise);
    RUN(test_curved);
    RUN(test_state);
    RUN(test_errors);
    return TEST_MAIN_END();
}
