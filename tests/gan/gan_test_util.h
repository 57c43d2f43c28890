/* tests/gan/gan_test_util.h — small samplers for the trainer tests (the concrete data/
 * samplers are another room's): an isotropic Gaussian N(mu, sd^2 I) in d dimensions with a
 * box, a finite pool read in epoch order with a cursor (reshuffled each epoch from the
 * stream it is handed), and a sampler that returns NaN (divergence on purpose). Plus a
 * probe sink that records a hash of everything written, and small config helpers. */
#ifndef GR_TESTS_GAN_UTIL_H
#define GR_TESTS_GAN_UTIL_H

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/sampler.h"
#include "gan/objective.h"
#include "gan/trainer.h"

typedef struct {
    size_t d;
    double mu[8], sd;
    int nan_after; /* > 0: every draw after this many calls is NaN */
    int calls;
} gt_gauss;

static inline int gt_gauss_sample(void *impl, gsl_rng *r, size_t n, double *x, gr_error *err) {
    gt_gauss *g = impl;
    (void)err;
    g->calls++;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < g->d; k++)
            x[i * g->d + k] = g->nan_after > 0 && g->calls > g->nan_after
                                  ? NAN
                                  : g->mu[k] + gsl_ran_gaussian_ziggurat(r, g->sd);
    return GR_OK;
}

static inline void gt_free_impl(void *p) { free(p); }

/* N(mu, sd^2 I) in d <= 8 dimensions (mu NULL: 0), box mu +- 4 sd - 1 */
static inline gr_sampler *gt_gauss_alloc(size_t d, const double *mu, double sd, int nan_after) {
    static const gr_sampler_ops ops = {gt_gauss_sample, NULL, NULL, NULL, NULL, NULL, gt_free_impl};
    gt_gauss *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->d = d;
    g->sd = sd;
    g->nan_after = nan_after;
    double lo[8], hi[8];
    for (size_t k = 0; k < d; k++) {
        g->mu[k] = mu ? mu[k] : 0.0;
        lo[k] = g->mu[k] - 4.0 * sd - 1.0;
        hi[k] = g->mu[k] + 4.0 * sd + 1.0;
    }
    gr_sampler *s = NULL;
    if (gr_sampler_wrap(&s, g, &ops, d, "gauss", lo, hi, NULL) != GR_OK) return NULL;
    return s;
}

/* A pool of n points in d dims (drawn at alloc from a fixed seed), read in order; at the
 * end of an epoch the order is reshuffled from the caller's stream. State: cursor + order. */
typedef struct {
    size_t n, d, cursor;
    double *pts;
    uint32_t *order;
} gt_pool;

static inline int gt_pool_sample(void *impl, gsl_rng *r, size_t m, double *x, gr_error *err) {
    gt_pool *p = impl;
    (void)err;
    for (size_t i = 0; i < m; i++) {
        if (p->cursor == p->n) {
            for (size_t j = p->n - 1; j > 0; j--) { /* Fisher-Yates */
                size_t k = (size_t)gsl_rng_uniform_int(r, (unsigned long)(j + 1));
                uint32_t t = p->order[j];
                p->order[j] = p->order[k];
                p->order[k] = t;
            }
            p->cursor = 0;
        }
        memcpy(x + i * p->d, p->pts + (size_t)p->order[p->cursor++] * p->d, p->d * sizeof(double));
    }
    return GR_OK;
}
static inline size_t gt_pool_state_size(const void *impl) {
    const gt_pool *p = impl;
    return sizeof(uint64_t) + p->n * sizeof(uint32_t);
}
static inline int gt_pool_save(const void *impl, void *buf, size_t size, gr_error *err) {
    const gt_pool *p = impl;
    if (size != gt_pool_state_size(impl)) return GR_ERROR(err, GR_EINVAL, "pool: size");
    uint64_t c = p->cursor;
    memcpy(buf, &c, 8);
    memcpy((char *)buf + 8, p->order, p->n * sizeof(uint32_t));
    return GR_OK;
}
static inline int gt_pool_load(void *impl, const void *buf, size_t size, gr_error *err) {
    gt_pool *p = impl;
    if (size != gt_pool_state_size(impl)) return GR_ERROR(err, GR_EINVAL, "pool: size");
    uint64_t c;
    memcpy(&c, buf, 8);
    if (c > p->n) return GR_ERROR(err, GR_EFORMAT, "pool: cursor");
    p->cursor = (size_t)c;
    memcpy(p->order, (const char *)buf + 8, p->n * sizeof(uint32_t));
    return GR_OK;
}
static inline void gt_pool_free(void *impl) {
    gt_pool *p = impl;
    free(p->pts);
    free(p->order);
    free(p);
}

static inline gr_sampler *gt_pool_alloc(size_t n, size_t d) {
    static const gr_sampler_ops ops = {
        gt_pool_sample, NULL, NULL, gt_pool_state_size, gt_pool_save, gt_pool_load, gt_pool_free};
    gt_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n = n;
    p->d = d;
    p->pts = malloc(n * d * sizeof(double));
    p->order = malloc(n * sizeof(uint32_t));
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!p->pts || !p->order || !r) {
        gsl_rng_free(r);
        gt_pool_free(p);
        return NULL;
    }
    for (size_t i = 0; i < n * d; i++)
        p->pts[i] = gsl_ran_gaussian(r, 1.0) + (i % d == 0 ? 1.0 : 0.0);
    for (size_t i = 0; i < n; i++)
        p->order[i] = (uint32_t)i;
    gsl_rng_free(r);
    double lo[8], hi[8];
    for (size_t k = 0; k < d && k < 8; k++) {
        lo[k] = -5.0;
        hi[k] = 5.0;
    }
    gr_sampler *s = NULL;
    if (gr_sampler_wrap(&s, p, &ops, d, "pool", lo, hi, NULL) != GR_OK) return NULL;
    return s;
}

/* sink: FNV-1a over (series, step, values) of every write, and a count */
typedef struct {
    uint64_t h;
    size_t n_writes;
    size_t n_values;
} gt_sink;

static inline int gt_sink_write(void *ctx, const char *series, uint64_t step, const double *v,
                                size_t n, gr_error *err) {
    gt_sink *s = ctx;
    (void)err;
    const unsigned char *c = (const unsigned char *)series;
    for (; *c; c++)
        s->h = (s->h ^ *c) * 1099511628211ull;
    s->h = (s->h ^ step) * 1099511628211ull;
    const unsigned char *b = (const unsigned char *)v;
    for (size_t i = 0; i < n * sizeof(double); i++)
        s->h = (s->h ^ b[i]) * 1099511628211ull;
    s->n_writes++;
    s->n_values += n;
    return GR_OK;
}

/* small nets: x_dim -> h x h relu -> 1, z 2 -> h x h relu -> x_dim */
static inline gr_gan_config gt_small_config(gr_gan_method m, size_t x_dim, size_t h) {
    gr_gan_config c = gr_gan_config_default(m, x_dim);
    c.g_spec.n_hidden = c.d_spec.n_hidden = 2;
    c.g_spec.hidden[0] = c.g_spec.hidden[1] = h;
    c.d_spec.hidden[0] = c.d_spec.hidden[1] = h;
    c.batch = 32;
    c.probe.probe_batch = 48;
    c.probe.grid_n = 9;
    c.probe.n_samples = 70;
    c.probe.hist_bins = 10;
    if (m == GR_WGAN_CLIP) c.n_critic = 3;
    if (m == GR_WGAN_GP) c.n_critic = 3;
    return c;
}

static inline uint64_t gt_hash_floats(const float *p, size_t n, uint64_t h) {
    const unsigned char *c = (const unsigned char *)p;
    for (size_t i = 0; i < n * sizeof(float); i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

/* hash of both nets' parameters, both optimizers' state and the last stats */
static inline uint64_t gt_trainer_hash(gr_gan_trainer *t) {
    uint64_t h = 14695981039346656037ull;
    gr_mlp *nets[2] = {gr_gan_trainer_g(t), gr_gan_trainer_d(t)};
    gr_optim *opts[2] = {gr_gan_trainer_g_optim(t), gr_gan_trainer_d_optim(t)};
    for (int i = 0; i < 2; i++) {
        if (!nets[i]) continue;
        h = gt_hash_floats(gr_mlp_params(nets[i]), gr_mlp_n_params(nets[i]), h);
        if (opts[i] && gr_optim_state(opts[i]))
            h = gt_hash_floats(gr_optim_state(opts[i]),
                               gr_optim_n_slots(opts[i]) * gr_optim_n_params(opts[i]), h);
    }
    const gr_gan_step_stats *s = gr_gan_trainer_last(t);
    double v[8] = {s->d_loss, s->penalty, s->w_estimate, s->d_acc,
                   s->g_loss, s->sigma,   s->cos_d,      s->cos_g};
    const unsigned char *b = (const unsigned char *)v;
    for (size_t i = 0; i < sizeof v; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

#endif
