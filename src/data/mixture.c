/* data/mixture.c — isotropic Gaussian mixtures as samplers (see mixture.h). */
#include "data/mixture.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    gr_mixture *m;
    double *sd; /* k isotropic SDs (the mixture stores k x d) */
    gr_modes modes;
} mix_impl;

static void mix_free(void *p) {
    mix_impl *q = p;
    if (!q) return;
    gr_mixture_free(q->m);
    free(q->sd);
    free(q);
}

static int mix_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    const mix_impl *q = p;
    return gr_mixture_sample(q->m, rng, n, x, err);
}

static const gr_modes *mix_modes(const void *p) { return &((const mix_impl *)p)->modes; }

static int mix_density(const void *p, gr_density *out, gr_error *err) {
    (void)err;
    gr_mixture_density(((const mix_impl *)p)->m, out);
    return GR_OK;
}

static const gr_sampler_ops mix_ops = {mix_sample, mix_modes, mix_density, NULL,
                                       NULL,       NULL,      mix_free};

int gr_data_mixture_alloc(gr_sampler **out, const char *name, size_t d, size_t k, const double *w,
                          const double *mu, const double *sd, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_mixture_alloc: NULL output");
    *out = NULL;
    if (!name) return GR_ERROR(err, GR_EINVAL, "gr_data_mixture_alloc: NULL name");
    mix_impl *q = calloc(1, sizeof *q);
    if (!q) return GR_ERROR(err, GR_ENOMEM, "gr_data_mixture_alloc: %s", name);
    int st = gr_mixture_alloc(&q->m, d, k, w, mu, sd, 1, err);
    if (st != GR_OK) {
        mix_free(q);
        return gr_error_prefix(err, st, "%s: ", name);
    }
    q->sd = malloc(k * sizeof *q->sd); /* k <= k x d, which gr_mixture_alloc allocated */
    if (!q->sd) {
        mix_free(q);
        return GR_ERROR(err, GR_ENOMEM, "gr_data_mixture_alloc: %s", name);
    }
    memcpy(q->sd, sd, k * sizeof *q->sd);
    q->modes = (gr_modes){.k = k, .d = d, .mu = q->m->mu, .sd = q->sd, .w = q->m->w};
    return gr_sampler_wrap(out, q, &mix_ops, d, name, q->m->box_lo, q->m->box_hi, err);
}

const gr_mixture *gr_data_mixture_get(const gr_sampler *s) {
    const mix_impl *q = gr_sampler_impl(s, &mix_ops);
    return q ? q->m : NULL;
}
