/* tests/eval/mix_sampler.h — a gr_sampler over a prob/mixture and over the uniform unit
 * square, for eval's tests (header only). The data room builds the suite's real samplers;
 * these wrap prob/ directly so eval's tests depend on nothing but prob/ and the sampler
 * interface. The 8-Gaussian ring here is C37's: radius R = 2/1.414, SD s = 0.02/1.414. */
#ifndef GR_TESTS_EVAL_MIX_SAMPLER_H
#define GR_TESTS_EVAL_MIX_SAMPLER_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "data/sampler.h"
#include "prob/mixture.h"

#define TEST_RING_R  (2.0 / 1.414)
#define TEST_RING_SD (0.02 / 1.414)

typedef struct test_mix {
    gr_mixture *mix;
    gr_modes modes;
    double *sd; /* k isotropic SDs (gr_modes wants one per mode) */
} test_mix;

static int test_mix_sample(void *impl, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    return gr_mixture_sample(((test_mix *)impl)->mix, rng, n, x, err);
}
static const gr_modes *test_mix_modes(const void *impl) { return &((const test_mix *)impl)->modes; }
static int test_mix_density(const void *impl, gr_density *out, gr_error *err) {
    (void)err;
    gr_mixture_density(((const test_mix *)impl)->mix, out);
    return GR_OK;
}
static void test_mix_free(void *impl) {
    test_mix *t = impl;
    gr_mixture_free(t->mix);
    free(t->sd);
    free(t);
}

/* A sampler over the isotropic mixture (k components, d dims, weights w or NULL = equal). */
static inline int test_mix_sampler(gr_sampler **out, size_t d, size_t k, const double *w,
                                   const double *mu, const double *sd, const char *name,
                                   gr_error *err) {
    *out = NULL;
    test_mix *t = calloc(1, sizeof *t);
    double *wu = malloc(k * sizeof *wu);
    if (!t || !wu) {
        free(t);
        free(wu);
        return GR_ERROR(err, GR_ENOMEM, "test_mix_sampler: out of memory");
    }
    for (size_t i = 0; i < k; i++)
        wu[i] = w ? w[i] : 1.0;
    int st = gr_mixture_alloc(&t->mix, d, k, wu, mu, sd, 1, err);
    free(wu);
    t->sd = malloc(k * sizeof *t->sd);
    if (st != GR_OK || !t->sd) {
        test_mix_free(t);
        return st != GR_OK ? st : GR_ERROR(err, GR_ENOMEM, "test_mix_sampler: out of memory");
    }
    for (size_t i = 0; i < k; i++)
        t->sd[i] = sd[i];
    t->modes.k = k;
    t->modes.d = d;
    t->modes.mu = t->mix->mu;
    t->modes.sd = t->sd;
    t->modes.w = t->mix->w;
    static const gr_sampler_ops ops = {
        test_mix_sample, test_mix_modes, test_mix_density, NULL, NULL, NULL, test_mix_free};
    return gr_sampler_wrap(out, t, &ops, d, name, t->mix->box_lo, t->mix->box_hi, err);
}

/* The 8 ring means, mode j at angle 2 pi j / 8 (j = 0..7), into mu (16 values). */
static inline void test_ring_means(double R, double *mu) {
    for (size_t j = 0; j < 8; j++) {
        mu[2 * j] = R * cos(2.0 * M_PI * (double)j / 8.0);
        mu[2 * j + 1] = R * sin(2.0 * M_PI * (double)j / 8.0);
    }
}

/* The C37 8-Gaussian ring, or a "generator" on the listed subset of its modes (equal weights). */
static inline int test_ring_sampler(gr_sampler **out, const size_t *subset, size_t nsub,
                                    gr_error *err) {
    double all[16], mu[16], sd[8];
    test_ring_means(TEST_RING_R, all);
    size_t k = subset ? nsub : 8;
    for (size_t i = 0; i < k; i++) {
        size_t j = subset ? subset[i] : i;
        mu[2 * i] = all[2 * j];
        mu[2 * i + 1] = all[2 * j + 1];
        sd[i] = TEST_RING_SD;
    }
    return test_mix_sampler(out, 2, k, NULL, mu, sd, subset ? "ring-subset" : "8gaussians", err);
}

/* Uniform on [0,1]^2: two gsl_rng_uniform per point. */
static int test_unif_sample(void *impl, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    (void)impl;
    (void)err;
    for (size_t i = 0; i < 2 * n; i++)
        x[i] = gsl_rng_uniform(rng);
    return GR_OK;
}
static inline int test_unif_sampler(gr_sampler **out, gr_error *err) {
    static const gr_sampler_ops ops = {test_unif_sample, NULL, NULL, NULL, NULL, NULL, NULL};
    static int dummy;
    return gr_sampler_wrap(out, &dummy, &ops, 2, "unit-square", NULL, NULL, err);
}

#endif
