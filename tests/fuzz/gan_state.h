/* tests/fuzz/gan_state.h — the small GAN trainer behind fuzz_gan_checkpoint.c and its seeds
 * (make_seeds.c): WGAN-GP on the 8 Gaussians, 2-4-4-2 nets, batch 8, built from `seed` and
 * trained `steps` generator iterations. fz_gan_digest folds everything a checkpoint restores
 * (both nets' parameters, both optimizers' slots and step counts, the seven streams, the
 * trainer's state bytes) into one FNV-1a value. */
#ifndef GR_TESTS_FUZZ_GAN_STATE_H
#define GR_TESTS_FUZZ_GAN_STATE_H

#include <stdlib.h>

#include "ck_state.h"
#include "data/toys.h"
#include "gan/trainer.h"
#include "nn/mlp.h"

#define FZ_GAN_SEED_OK 1u /* the trainer the seeds hold, after 2 iterations */

static inline gr_gan_config fz_gan_config(void) {
    gr_gan_config c = gr_gan_config_default(GR_WGAN_GP, 2);
    c.g_spec.n_hidden = c.d_spec.n_hidden = 2;
    c.g_spec.hidden[0] = c.g_spec.hidden[1] = 4;
    c.d_spec.hidden[0] = c.d_spec.hidden[1] = 4;
    c.batch = 8;
    c.n_critic = 2;
    c.n_iters = 100;
    return c;
}

/* NULL (everything freed) on failure. *data receives the sampler to free after the trainer. */
static inline gr_gan_trainer *fz_gan_alloc(uint64_t seed, int steps, gr_sampler **data) {
    gr_error err;
    gr_gan_config c = fz_gan_config();
    gr_gan_trainer *t = NULL;
    *data = NULL;
    if (gr_data_gauss8_alloc(data, &err) != GR_OK) return NULL;
    if (gr_gan_trainer_alloc(&t, &c, *data, seed, &err) != GR_OK) {
        gr_sampler_free(*data);
        *data = NULL;
        return NULL;
    }
    for (int i = 0; i < steps; i++) {
        if (gr_gan_trainer_step(t, &err) != GR_OK) {
            gr_gan_trainer_free(t);
            gr_sampler_free(*data);
            *data = NULL;
            return NULL;
        }
    }
    return t;
}

static inline uint64_t fz_gan_digest(gr_gan_trainer *t) {
    uint64_t h = 14695981039346656037ull;
    gr_mlp *nets[2] = {gr_gan_trainer_g(t), gr_gan_trainer_d(t)};
    gr_optim *opts[2] = {gr_gan_trainer_g_optim(t), gr_gan_trainer_d_optim(t)};
    for (int i = 0; i < 2; i++) {
        h = fz_fnv(h, gr_mlp_params(nets[i]), gr_mlp_n_params(nets[i]) * sizeof(float));
        h = fz_optim_digest(h, opts[i]);
    }
    for (size_t i = 0; i < GR_GAN_N_STREAMS; i++)
        h = fz_rng_digest(h, gr_gan_trainer_stream(t, i));
    size_t n = gr_gan_trainer_state_size(t);
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf) abort();
    gr_error err;
    if (gr_gan_trainer_state_save(t, buf, n, &err) != GR_OK) abort();
    h = fz_fnv(h, buf, n);
    free(buf);
    return h;
}

#endif
