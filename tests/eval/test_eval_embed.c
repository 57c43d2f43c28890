/* tests/eval/test_eval_embed.c — eval/embed.h (CLAIMS C46).
 * A: QR of a Gaussian D x k matrix (GSL's Householder QR, the first k columns of Q), b a
 * random offset. Real data x = A u + b with u from C37's ring (prob/mixture), through a
 * D-dimensional sampler written here that reports D-dimensional mode centres A mu + b (or the
 * ring's own 2-D ones). Checks:
 *  - the residual of embedded real data is 0 to rounding: <= 8 (D + k) eps max|x - b|;
 *  - W1 and the floor on the projection equal the 2-D W1 of the original points to 1e-12
 *    (the projection recovers u to rounding, W1 is 1-Lipschitz in the points);
 *  - mode counts on the projection equal the counts on the original 2-D points;
 *  - off the plane (x + tau N(0, I_D)): mean residual ~ tau sqrt(D - k) and <= W1 in R^D
 *    (deterministic: the residual is 1-Lipschitz and 0 on the real points, to rounding);
 *  - error paths. */
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "distance/ot.h"
#include "eval/embed.h"
#include "eval/mix_sampler.h"
#include "test.h"

typedef struct emb {
    gr_sampler *base; /* k-dimensional */
    size_t D, k;
    const double *A, *b;
    double *u; /* scratch for n x k draws */
    size_t cap;
    gr_modes modes; /* D-dimensional centres, or the base's */
    double *mu;
} emb;

static int emb_sample(void *impl, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    emb *e = impl;
    if (n > e->cap) return GR_ERROR(err, GR_EINVAL, "emb: n too large");
    int st = gr_sampler_sample(e->base, rng, n, e->u, err);
    if (st) return st;
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < e->D; r++) {
            double s = e->b[r];
            for (size_t p = 0; p < e->k; p++)
                s += e->A[r * e->k + p] * e->u[i * e->k + p];
            x[i * e->D + r] = s;
        }
    return GR_OK;
}
static const gr_modes *emb_modes(const void *impl) { return &((const emb *)impl)->modes; }
static void emb_free(void *impl) {
    emb *e = impl;
    gr_sampler_free(e->base);
    free(e->u);
    free(e->mu);
    free(e);
}

/* modes_in_D: report A mu + b (D-dimensional) or the ring's 2-D centres */
static int emb_sampler(gr_sampler **out, const double *A, const double *b, size_t D, size_t cap,
                       int modes_in_D, gr_error *err) {
    emb *e = calloc(1, sizeof *e);
    if (!e) return GR_ENOMEM;
    e->D = D;
    e->k = 2;
    e->A = A;
    e->b = b;
    e->cap = cap;
    e->u = malloc(cap * 2 * sizeof *e->u);
    e->mu = malloc(8 * D * sizeof *e->mu);
    int st = test_ring_sampler(&e->base, NULL, 0, err);
    if (st || !e->u || !e->mu) {
        emb_free(e);
        return st ? st : GR_ENOMEM;
    }
    const gr_modes *m = gr_sampler_modes(e->base);
    e->modes = *m;
    if (modes_in_D) {
        for (size_t j = 0; j < 8; j++)
            for (size_t r = 0; r < D; r++)
                e->mu[j * D + r] = b[r] + A[r * 2] * m->mu[2 * j] + A[r * 2 + 1] * m->mu[2 * j + 1];
        e->modes.mu = e->mu;
        e->modes.d = D;
    }
    static const gr_sampler_ops ops = {emb_sample, emb_modes, NULL, NULL, NULL, NULL, emb_free};
    return gr_sampler_wrap(out, e, &ops, D, "embedded-ring", NULL, NULL, err);
}

/* A (D x k, row-major): first k columns of Q of a Gaussian D x k matrix */
static int make_A(gsl_rng *r, size_t D, size_t k, double *A) {
    gsl_matrix *M = gsl_matrix_alloc(D, k), *Q = gsl_matrix_alloc(D, D),
               *Rm = gsl_matrix_alloc(D, k);
    gsl_vector *tau = gsl_vector_alloc(k);
    int ok = M && Q && Rm && tau;
    if (ok) {
        for (size_t i = 0; i < D; i++)
            for (size_t j = 0; j < k; j++)
                gsl_matrix_set(M, i, j, gsl_ran_gaussian(r, 1.0));
        gr_gsl_quiet_enter();
        ok = gsl_linalg_QR_decomp(M, tau) == 0 && gsl_linalg_QR_unpack(M, tau, Q, Rm) == 0;
        gr_gsl_quiet_leave();
        for (size_t i = 0; ok && i < D; i++)
            for (size_t j = 0; j < k; j++)
                A[i * k + j] = gsl_matrix_get(Q, i, j);
    }
    gsl_matrix_free(M);
    gsl_matrix_free(Q);
    gsl_matrix_free(Rm);
    gsl_vector_free(tau);
    return ok;
}

static void embed_case(size_t D, int modes_in_D) {
    const size_t k = 2, n = 600;
    gr_error err;
    gsl_rng *r = NULL, *re = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4600 + D, GR_STREAM_EMBED, &err), &err);
    CHECK_OK(gr_rng_alloc(&re, 4601, GR_STREAM_EVAL, &err), &err);
    double *A = malloc(D * k * sizeof *A), *b = malloc(D * sizeof *b);
    double *ug = malloc(n * k * sizeof *ug), *xg = malloc(n * D * sizeof *xg);
    double *u1 = malloc(n * k * sizeof *u1), *u2 = malloc(n * k * sizeof *u2);
    double *x1 = malloc(n * D * sizeof *x1), *res_r = malloc(n * sizeof *res_r);
    double *up = malloc(n * k * sizeof *up);
    gr_sampler *real = NULL, *gen = NULL, *ring = NULL;
    if (!r || !re || !A || !b || !ug || !xg || !u1 || !u2 || !x1 || !res_r || !up ||
        !make_A(r, D, k, A)) {
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < D; i++)
        b[i] = gsl_ran_gaussian(r, 2.385);
    const size_t sub[4] = {0, 1, 2, 3};
    CHECK_OK(emb_sampler(&real, A, b, D, n, modes_in_D, &err), &err);
    CHECK_OK(test_ring_sampler(&gen, sub, 4, &err), &err);
    CHECK_OK(test_ring_sampler(&ring, NULL, 0, &err), &err);
    gr_eval_embed *e = NULL;
    CHECK_OK(gr_eval_embed_alloc(&e, A, b, D, k, n, 0.0, &err), &err);
    if (!real || !gen || !ring || !e) {
        CHECK(0);
        return;
    }
    /* generated: 4 adjacent modes, embedded */
    CHECK_OK(gr_sampler_sample(gen, r, n, ug, &err), &err);
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < D; q++)
            xg[i * D + q] = b[q] + A[q * 2] * ug[2 * i] + A[q * 2 + 1] * ug[2 * i + 1];
    /* residual of embedded data: 0 to rounding; projection recovers u */
    double mean_r = -1.0, xmax = 0.0;
    CHECK_OK(gr_eval_embed_project(e, xg, n, up, res_r, &mean_r, &err), &err);
    for (size_t i = 0; i < n * D; i++)
        xmax = fmax(xmax, fabs(xg[i] - b[i % D]));
    double rmax = 0.0;
    for (size_t i = 0; i < n; i++)
        rmax = fmax(rmax, res_r[i]);
    double tol = 8.0 * (double)(D + k) * 2.220446049250313e-16 * xmax;
    CHECK(rmax <= tol && mean_r <= tol);
    CHECK_ARRAY_CLOSE(up, ug, n * k, 0.0, tol);
    /* the evaluation against the 2-D reference on the same real draws */
    size_t hq[8];
    gr_eval_embed_result res;
    CHECK_OK(gr_eval_embed_run(e, xg, n, real, re, NULL, 3.0, hq, &res, &err), &err);
    CHECK(res.n == n && res.D == D && res.k == k && res.has_modes);
    CHECK(res.resid_mean <= tol && res.resid_max <= tol);
    CHECK(res.real_resid_max <= 8.0 * (double)(D + k) * 2.220446049250313e-16 * 40.0);
    CHECK_OK(gr_rng_seed(re, 4601, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_sampler_sample(ring, re, n, u1, &err), &err);
    CHECK_OK(gr_sampler_sample(ring, re, n, u2, &err), &err);
    double w_ref = NAN, f_ref = NAN;
    CHECK_OK(gr_ot_wasserstein(ug, NULL, n, u1, NULL, n, 2, 1, NULL, &w_ref, &err), &err);
    CHECK_OK(gr_ot_wasserstein(u1, NULL, n, u2, NULL, n, 2, 1, NULL, &f_ref, &err), &err);
    CHECK_STATUS(res.w1.w1.status, GR_OK);
    CHECK_STATUS(res.w1.floor.status, GR_OK);
    CHECK_CLOSE(res.w1.w1.value, w_ref, 1e-12, 0.0);
    CHECK_CLOSE(res.w1.floor.value, f_ref, 1e-12, 0.0);
    /* gr_eval_embed_last_points: the projections the two values were solved on */
    const double *pg = NULL, *pr = NULL, *pr2 = NULL;
    gr_eval_embed_last_points(e, &pg, &pr, &pr2);
    double w_pts = NAN, f_pts = NAN;
    CHECK(pg && pr && pr2);
    CHECK_ARRAY_CLOSE(pg, ug, n * k, 0.0, tol);
    CHECK_ARRAY_CLOSE(pr, u1, n * k, 0.0, 8.0 * (double)(D + k) * 2.220446049250313e-16 * 40.0);
    if (pg && pr && pr2) {
        CHECK_OK(gr_ot_wasserstein(pg, NULL, n, pr, NULL, n, 2, 1, NULL, &w_pts, &err), &err);
        CHECK_OK(gr_ot_wasserstein(pr, NULL, n, pr2, NULL, n, 2, 1, NULL, &f_pts, &err), &err);
    }
    CHECK_CLOSE(w_pts, res.w1.w1.value, 1e-12, 0.0);
    CHECK_CLOSE(f_pts, res.w1.floor.value, 1e-12, 0.0);
    /* and W1 in R^D itself (isometry): the same value */
    CHECK_OK(gr_rng_seed(re, 4601, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_sampler_sample(real, re, n, x1, &err), &err);
    double w_D = NAN;
    CHECK_OK(gr_ot_wasserstein(xg, NULL, n, x1, NULL, n, D, 1, NULL, &w_D, &err), &err);
    CHECK_CLOSE(w_D, w_ref, 1e-12, 0.0);
    /* mode counts on the projection = counts on the original points */
    size_t hq2[8];
    gr_eval_modes_result m2;
    CHECK_OK(gr_eval_modes(gr_sampler_modes(ring), ug, n, 3.0, hq2, NULL, NULL, &m2, &err), &err);
    CHECK(memcmp(hq, hq2, sizeof hq) == 0 && res.modes.captured == m2.captured &&
          res.modes.captured == 4 && res.modes.hq == m2.hq && res.modes.rkl == m2.rkl);
    /* off the plane: x + tau N(0, I_D) */
    const double tau = 0.0731;
    for (size_t i = 0; i < n * D; i++)
        xg[i] += gsl_ran_gaussian(r, tau);
    CHECK_OK(gr_rng_seed(re, 4601, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_eval_embed_run(e, xg, n, real, re, NULL, 3.0, hq, &res, &err), &err);
    /* E chi_{D-k} ~ sqrt(D - k - 1/2); its mean over n = 600 within 5 % */
    CHECK_CLOSE(res.resid_mean, tau * sqrt((double)(D - k) - 0.5), 0.05, 0.0);
    CHECK_OK(gr_ot_wasserstein(xg, NULL, n, x1, NULL, n, D, 1, NULL, &w_D, &err), &err);
    CHECK(res.resid_mean <= w_D + 1e-12);
    CHECK(res.w1.w1.value <= w_D + 1e-12); /* projection is 1-Lipschitz */
    printf("D = %zu (modes in %s): W1_proj = %.6f = 2-D %.6f; off-plane tau %.4f: mean residual "
           "%.5f <= W1_D %.5f, W1_proj %.5f\n",
           D, modes_in_D ? "R^D" : "R^k", w_ref, w_ref, tau, res.resid_mean, w_D, res.w1.w1.value);
    free(A);
    free(b);
    free(ug);
    free(xg);
    free(u1);
    free(u2);
    free(x1);
    free(res_r);
    free(up);
    gsl_rng_free(r);
    gsl_rng_free(re);
    gr_sampler_free(real);
    gr_sampler_free(gen);
    gr_sampler_free(ring);
    gr_eval_embed_free(e);
}

static void test_embed_16(void) { embed_case(16, 1); }
static void test_embed_64(void) { embed_case(64, 0); }

static void test_errors(void) {
    gr_error err;
    double A[6] = {1, 0, 0, 1, 0, 0}, b[3] = {0, 0, 0}; /* 3 x 2, orthonormal */
    gr_eval_embed *e = (gr_eval_embed *)&err;
    CHECK_STATUS(gr_eval_embed_alloc(&e, NULL, b, 3, 2, 10, 0.0, &err), GR_EINVAL);
    CHECK(e == NULL);
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 4, 10, 0.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 0, 10, 0.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 2, 0, 0.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 2, 10, -1.0, &err), GR_EINVAL);
    A[0] = 1.001; /* not orthonormal */
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 2, 10, 0.0, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "not orthonormal");
    CHECK_OK(gr_eval_embed_alloc(&e, A, b, 3, 2, 10, 0.01, &err), &err); /* a looser tolerance */
    gr_eval_embed_free(e);
    A[0] = NAN;
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 2, 10, 0.0, &err), GR_EDOM);
    A[0] = 1.0;
    b[1] = INFINITY;
    CHECK_STATUS(gr_eval_embed_alloc(&e, A, b, 3, 2, 10, 0.0, &err), GR_EDOM);
    gr_eval_embed_free(NULL);
    CHECK_OK(gr_eval_embed_alloc(&e, A, NULL, 3, 2, 10, 0.0, &err), &err); /* b = 0 */
    double x[3 * 11] = {0}, u[22], r[11], mr;
    x[2] = 0.5; /* residual of (0, 0, 0.5) is 0.5 */
    CHECK_OK(gr_eval_embed_project(e, x, 1, u, r, &mr, &err), &err);
    CHECK(r[0] == 0.5 && mr == 0.5 && u[0] == 0.0 && u[1] == 0.0);
    CHECK_OK(gr_eval_embed_project(e, x, 1, NULL, NULL, &mr, &err), &err);
    CHECK_STATUS(gr_eval_embed_project(e, x, 0, u, r, &mr, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_project(NULL, x, 1, u, r, &mr, &err), GR_EINVAL);
    x[1] = NAN;
    CHECK_STATUS(gr_eval_embed_project(e, x, 1, u, r, &mr, &err), GR_EDOM);
    x[1] = 0.0;
    gr_sampler *ring = NULL;
    gsl_rng *rng = NULL;
    CHECK_OK(test_ring_sampler(&ring, NULL, 0, &err), &err);
    CHECK_OK(gr_rng_alloc(&rng, 3, GR_STREAM_EVAL, &err), &err);
    gr_eval_embed_result res;
    size_t hq[8];
    CHECK_STATUS(gr_eval_embed_run(e, x, 5, ring, rng, NULL, 3.0, hq, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "dimension 2");
    CHECK_STATUS(gr_eval_embed_run(e, x, 11, ring, rng, NULL, 3.0, hq, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_run(e, x, 0, ring, rng, NULL, 3.0, hq, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_run(e, NULL, 5, ring, rng, NULL, 3.0, hq, &res, &err), GR_EINVAL);
    /* a 3-D sampler with 3-D (= D) modes: its centre is projected */
    double mu3[3] = {0, 0, 0}, sd = 1.0;
    gr_sampler *g3 = NULL;
    CHECK_OK(test_mix_sampler(&g3, 3, 1, NULL, mu3, &sd, "gauss3", &err), &err);
    CHECK_OK(gr_eval_embed_run(e, x, 5, g3, rng, NULL, 3.0, hq, &res, &err), &err);
    CHECK(res.has_modes && res.modes.k == 1 && res.modes.hq == 5); /* all within 3 SDs */
    CHECK_STATUS(gr_eval_embed_run(e, x, 5, g3, rng, NULL, 3.0, NULL, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_embed_run(e, x, 5, g3, rng, NULL, -1.0, hq, &res, &err), GR_EDOM);
    gr_sampler_free(g3);
    gr_sampler_free(ring);
    gsl_rng_free(rng);
    gr_eval_embed_free(e);
}

int main(void) {
    RUN(test_embed_16);
    RUN(test_embed_64);
    RUN(test_errors);
    return TEST_MAIN_END();
}
