/* tests/fuzz/ck_state.h — the small training state behind the checkpoint fuzz targets and
 * their seeds (make_seeds.c): two nets with optimizers (centered RMSprop with momentum,
 * Adam), two RNG streams, advanced `steps` steps from `seed`, so a seed checkpoint saved from
 * one state is loaded into another and success or failure is visible in the bytes.
 *
 * fz_ck_digest folds every byte a load may restore (parameters, optimizer slots and step
 * counts, generator states) into one FNV-1a value: equal digests before and after a failed
 * load show it left everything untouched; after a successful one the digest must be the saved
 * state's. */
#ifndef GR_TESTS_FUZZ_CK_STATE_H
#define GR_TESTS_FUZZ_CK_STATE_H

#include <stdint.h>
#include <string.h>

#include "core/rng.h"
#include "io/checkpoint.h"
#include "nn/optim.h"

enum { FZ_NC = 13, FZ_NG = 7 };
#define FZ_ARCH_C  "2-3relu-1linear"
#define FZ_ARCH_G  "1-3linear"
#define FZ_STEP    77u /* the step the seeds are saved at */
#define FZ_SEED_OK 1u  /* the state the seeds hold */

typedef struct fz_ck {
    float pc[FZ_NC], pg[FZ_NG];
    gr_optim *oc, *og;
    gsl_rng *r_data, *r_prior;
} fz_ck;

static inline void fz_ck_free(fz_ck *s) {
    gr_optim_free(s->oc);
    gr_optim_free(s->og);
    gr_rng_free(s->r_data);
    gr_rng_free(s->r_prior);
    memset(s, 0, sizeof *s);
}

/* 0 on success; -1 (everything freed) if an allocation failed. */
static inline int fz_ck_init(fz_ck *s, uint64_t seed, int steps) {
    memset(s, 0, sizeof *s);
    gr_error err;
    gr_optim_config cc = gr_optim_config_default(GR_OPTIM_RMSPROP);
    cc.lr = 5e-5;
    cc.centered = 1;
    cc.momentum = 0.5;
    gr_optim_config cg = gr_optim_config_default(GR_OPTIM_ADAM);
    cg.lr = 1e-4;
    cg.beta1 = 0.5;
    cg.beta2 = 0.9;
    gsl_rng *r = NULL;
    if (gr_rng_alloc(&r, seed, GR_STREAM_TEST, &err) != GR_OK ||
        gr_optim_alloc(&s->oc, &cc, FZ_NC, &err) != GR_OK ||
        gr_optim_alloc(&s->og, &cg, FZ_NG, &err) != GR_OK ||
        gr_rng_alloc(&s->r_data, seed, GR_STREAM_DATA, &err) != GR_OK ||
        gr_rng_alloc(&s->r_prior, seed, GR_STREAM_PRIOR, &err) != GR_OK) {
        gr_rng_free(r);
        fz_ck_free(s);
        return -1;
    }
    for (int i = 0; i < FZ_NC; i++)
        s->pc[i] = (float)(gsl_rng_uniform(r) * 0.2 - 0.1);
    for (int i = 0; i < FZ_NG; i++)
        s->pg[i] = (float)(gsl_rng_uniform(r) * 2.385 - 1.2);
    float g[FZ_NC];
    for (int t = 0; t < steps; t++) {
        for (int i = 0; i < FZ_NC; i++)
            g[i] = (float)(gsl_rng_uniform(r) - 0.5);
        gr_optim_step(s->oc, s->pc, g, FZ_NC, NULL);
        gr_optim_step(s->og, s->pg, g, FZ_NG, NULL);
        gsl_rng_get(s->r_data);
        gsl_rng_get(s->r_prior);
    }
    gr_rng_free(r);
    return 0;
}

static inline void fz_ck_desc(fz_ck *s, gr_checkpoint_net nets[2], gr_checkpoint_rng rngs[2]) {
    nets[0] = (gr_checkpoint_net){"critic", FZ_ARCH_C, s->pc, FZ_NC, s->oc};
    nets[1] = (gr_checkpoint_net){"generator", FZ_ARCH_G, s->pg, FZ_NG, s->og};
    rngs[0] = (gr_checkpoint_rng){"data", s->r_data};
    rngs[1] = (gr_checkpoint_rng){"prior", s->r_prior};
}

static inline uint64_t fz_fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

static inline uint64_t fz_optim_digest(uint64_t h, const gr_optim *o) {
    uint64_t st = gr_optim_step_count(o);
    h = fz_fnv(h, &st, sizeof st);
    const float *v = gr_optim_state_const(o);
    if (v) h = fz_fnv(h, v, gr_optim_n_slots(o) * gr_optim_n_params(o) * sizeof(float));
    return h;
}

static inline uint64_t fz_rng_digest(uint64_t h, const gsl_rng *r) {
    return fz_fnv(h, gsl_rng_state(r), gsl_rng_size(r));
}

static inline uint64_t fz_ck_digest(const fz_ck *s) {
    uint64_t h = 14695981039346656037ull;
    h = fz_fnv(h, s->pc, sizeof s->pc);
    h = fz_fnv(h, s->pg, sizeof s->pg);
    h = fz_optim_digest(h, s->oc);
    h = fz_optim_digest(h, s->og);
    h = fz_rng_digest(h, s->r_data);
    return fz_rng_digest(h, s->r_prior);
}

#endif
