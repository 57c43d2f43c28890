/* gan/trainer.h — one trainer for the five methods of gan/objective.h, GSL-style: the caller
 * allocates it from a config, a data sampler and a seed, calls gr_gan_trainer_step in its
 * own loop until gr_gan_trainer_done, reads what it wants between steps, and frees it. No
 * callbacks, no files: the harness stores what the probes report and what the state
 * accessors expose.
 *
 * One step = one generator iteration: n_critic D/critic updates (warmup_iters in a WGAN
 * warm-up iteration), then one G update (none when freeze_g or with a fixed generator).
 * A D/critic update:
 *   [clip before, wgan_clip]  real <- data sampler (batch rows; GR_STREAM_DATA, or
 *   GR_STREAM_BATCH in epoch mode)   z <- prior (GR_STREAM_PRIOR)   fake <- G(z) (or the
 *   fixed generator's sampler, drawn from GR_STREAM_PRIOR)   [gan_in, sigma_t > 0 (no draws at
 *   0): real += e, fake += e',
 *   GR_STREAM_INSTANCE, real rows first]   D forward on the 2*batch rows [real; fake] in one
 *   pass, loss of the method and its gradient, backward   [wgan_gp: e_i ~ U[0,1] from
 *   GR_STREAM_INTERP (gsl_rng_uniform, rounded to float), xhat = e x + (1 - e) xtilde in
 *   float, penalty by double backprop (nn/mlp.h)]   optimizer step   [clip after].
 * The G update: z fresh from GR_STREAM_PRIOR (or, with g_reuse_fake, the last D update's
 * z and G(z)), [gan_in with g_sees_noise: + e' from GR_STREAM_INSTANCE], D forward on the
 * batch rows, G's loss gradient pushed through D without touching D's gradients, G backward,
 * G optimizer step. Parameters are initialised at alloc from GR_STREAM_INIT, G first then D.
 * Every stream is gr_rng_alloc(seed, id). This is exactly bench/nn's arithmetic (bench/nn
 * times this code).
 *
 * Probes read the nets between steps and draw only from GR_STREAM_PROBE (their own batches),
 * so calling them or not never changes a trajectory (tests/gan/test_trainer.c). The cosine
 * probe is recorded during the steps it is due at (a copy of the parameters before the
 * update; reading only).
 *
 * Divergence: every loss is computed from finite logits only (nn/loss.h refuses others), the
 * gradient penalty must be finite, and after every optimizer update the updated parameters
 * are scanned for NaN/Inf (a non-finite gradient always shows up there: every optimizer of
 * nn/optim.h propagates it into the parameter it updates; NaN weights are also refused by
 * clipping). On any of these the step stops with GR_EDIVERGED ("diverged at generator
 * iteration k (critic step j of n): ..." or "(G step)"), records k, and refuses further
 * steps (GR_EDIVERGED again). It never crashes on such values.
 *
 * Order. Each iteration is critic updates then the G update (Alg. 1 of both WGAN papers).
 * gan_toy.py runs the G update first and skips it at iteration 0, so after k of its
 * iterations it has made one G update fewer than this trainer after k: the same sequence of
 * updates, cut one G update later.
 *
 * Use (the harness's loop; error handling elided):
 *     gr_gan_config c = gr_gan_config_preset(GR_GAN_PRESET_GAN_TOY, GR_WGAN_GP, 2);
 *     c.n_iters = 100000; c.probe.every_losses = 100; c.probe.every_samples = 10000;
 *     gr_gan_trainer *t;  gr_gan_trainer_alloc(&t, &c, data, seed, &err);
 *     gr_gan_probe_sink sink = {my_ctx, my_write};   (my_write appends to an HDF5 series)
 *     while (!gr_gan_trainer_done(t)) {
 *         if (gr_gan_trainer_step(t, &err) != GR_OK) break;   (GR_EDIVERGED: record, stop)
 *         gr_gan_trainer_probe_due(t, &sink, &err);
 *         if (gr_gan_trainer_iter(t) % 5000 == 0) gr_gan_checkpoint_save(path, t, &err);
 *     }
 *     gr_gan_trainer_free(t);
 *
 * No allocation inside gr_gan_trainer_step or the probes (every buffer sized at alloc).
 * Not thread-safe; BLAS threads as the process sets them (bit-identical results need the
 * same thread count and BLAS core).
 */
#ifndef GR_GAN_TRAINER_H
#define GR_GAN_TRAINER_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "data/sampler.h"
#include "gan/objective.h"
#include "nn/mlp.h"
#include "nn/optim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_gan_trainer gr_gan_trainer;

/* Validate cfg (gr_gan_config_validate), check the sampler's dimension against the nets
 * (GR_EMISMATCH), an epoch-mode sampler has state (GR_EINVAL), allocate nets, optimizers,
 * streams and every workspace, initialise the parameters. `data` is borrowed (must outlive
 * the trainer; its cursor is part of the run's state). On error *out = NULL. */
int gr_gan_trainer_alloc(gr_gan_trainer **out, const gr_gan_config *cfg, gr_sampler *data,
                         uint64_t seed, gr_error *err);

/* The same with a fixed "generator": fake batches are drawn from `fake` (borrowed, same
 * dimension as data; GR_STREAM_PRIOR) instead of G (WGAN-GP Fig. 1: data + N(0, I)). There
 * is no G net and no G update (gr_gan_trainer_g returns NULL; the G-side probes refuse). */
int gr_gan_trainer_alloc_fixed(gr_gan_trainer **out, const gr_gan_config *cfg, gr_sampler *data,
                               gr_sampler *fake, uint64_t seed, gr_error *err);

void gr_gan_trainer_free(gr_gan_trainer *t); /* NULL is a no-op; does not free the samplers */

/* One generator iteration (see the file comment). GR_OK; GR_EDIVERGED (see above); GR_EINVAL
 * after done (n_iters reached) — nothing is changed then; a sampler's error as it reported
 * it, with the step prefixed (the trainer then stays usable only if the caller can tell the
 * sampler's state is intact: treat it as fatal). */
int gr_gan_trainer_step(gr_gan_trainer *t, gr_error *err);

/* 1 once n_iters (> 0) generator iterations are done or the run diverged; else 0. */
int gr_gan_trainer_done(const gr_gan_trainer *t);

/* GR_OK or GR_EDIVERGED; with *diverged_at (if not NULL) the generator iteration (1-based: the
 * iteration that was running) where it diverged, 0 when it did not. */
int gr_gan_trainer_status(const gr_gan_trainer *t, uint64_t *diverged_at);

/* What the last step measured (values of its LAST critic update and of its G update). */
typedef struct gr_gan_step_stats {
    uint64_t step;       /* generator iterations completed (= gr_gan_trainer_iter) */
    size_t critic_steps; /* critic updates made in that iteration */
    double d_loss;       /* last critic update's loss as minimised, penalty included */
    double penalty;      /* its gradient penalty (wgan_gp; else 0) */
    double w_estimate;   /* WGAN: mean f_r - mean f_g = -(critic loss without penalty) of
                            the last critic update's batch; GAN family: NaN */
    double d_acc;        /* GAN family: fraction of the 2*batch rows D classifies right
                            (l_r > 0, l_g < 0) in the last update's forward; WGAN: NaN */
    double g_loss;       /* the G update's loss as minimised; NaN when G was not updated */
    double sigma;        /* instance-noise sigma_t used in this iteration (0 off gan_in) */
    double cos_d, cos_g; /* cosine(update, -gradient) of the last critic update and the G
                            update when the cosine probe was due, else NaN (optimizers
                            with momentum make it < 1; plain SGD gives 1) */
} gr_gan_step_stats;

const gr_gan_step_stats *gr_gan_trainer_last(const gr_gan_trainer *t);

/* Every critic update of the last iteration (the WGAN-GP port plots D_real - D_fake per
 * critic step): *n = critic updates made (critic_steps), d_loss[k] and w_estimate[k] of update
 * k (penalty included in d_loss; w_estimate NaN for the GAN family). Valid until the next
 * step; NULL pointers (and *n = 0) before the first. Not part of the resume state. */
void gr_gan_trainer_critic_trace(const gr_gan_trainer *t, const double **d_loss,
                                 const double **w_estimate, size_t *n);

/* ---- probes ------------------------------------------------------------------------------ */

/* Where probes write: named series on the generator-iteration axis. `write` receives the
 * series name (a static string), the step (iterations completed), n values (valid during the
 * call only) and may fail (its status is returned by the probe call, prefixed). */
typedef struct gr_gan_probe_sink {
    void *ctx;
    int (*write)(void *ctx, const char *series, uint64_t step, const double *v, size_t n,
                 gr_error *err);
} gr_gan_probe_sink;

typedef enum gr_gan_probe {
    GR_GAN_PROBE_LOSSES = 0,      /* d_loss, g_loss, w_estimate, penalty, d_acc, sigma (1 each),
                                     from gr_gan_trainer_last */
    GR_GAN_PROBE_GEN_GRAD = 1,    /* ||grad_thetaG L|| on a probe batch (z from GR_STREAM_PROBE)
                                     through the current D: GAN family "g_grad_norm_mm" and
                                     "g_grad_norm_ns" (both, whatever g_loss is; A&B Figs. 2-3),
                                     WGAN "g_grad_norm_w" (-E f). Without noise. */
    GR_GAN_PROBE_LAYER_GRADS = 2, /* "d_layer_grad_norms": L values ||dLoss/da_l||_F (l = 1..L,
                                     nn/mlp.h gr_mlp_layer_grad_norms) of the D/critic loss
                                     without penalty on probe_batch real + fake rows (PROBE
                                     stream). Doubles: keep them as such, they span decades */
    GR_GAN_PROBE_WEIGHTS = 3,     /* "d_weight_hist": L x hist_bins counts of D's weights (W only)
                                     over [-r, r]; "d_weight_tails": L x 3 (below, above, nan);
                                     "d_frac_at_clip": fraction of all D parameters with
                                     |w| >= frac_threshold * c (c = clip, or r off wgan_clip) */
    GR_GAN_PROBE_SURFACE = 4,     /* "d_surface": D's logit / critic value at grid_n^d points
                                     of the data box (d = 1 or 2; point (i, j) = lo + (hi - lo)
                                     * (i, j)/(grid_n - 1), row-major, first coordinate slowest) */
    GR_GAN_PROBE_COSINE = 5,      /* "cos_d", "cos_g" from gr_gan_trainer_last (recorded during
                                     the steps where every_cosine divides the iteration) */
    GR_GAN_PROBE_SAMPLES = 6      /* "samples": n_samples x d rows of G(z), z from PROBE stream
                                     (with a fixed generator: its draws) */
} gr_gan_probe;
#define GR_GAN_N_PROBES 7

const char *gr_gan_probe_name(gr_gan_probe p); /* "losses", "gen_grad", ... ; "?" */

/* Run one probe now, writing to sink. GR_EINVAL for a probe that does not apply (surface on
 * d > 2 or on a sampler without a box; gen_grad with a fixed generator); no allocation.
 * Probes never touch a training stream, an optimizer or a parameter; they overwrite the
 * nets' gradient buffers and caches, which every step recomputes before use. */
int gr_gan_trainer_probe(gr_gan_trainer *t, gr_gan_probe p, const gr_gan_probe_sink *sink,
                         gr_error *err);

/* 1 if probe p applies to this trainer: not gen_grad with a fixed generator, not surface on
 * data of dimension > 2 or without a box; every other probe applies. */
int gr_gan_trainer_probe_applies(const gr_gan_trainer *t, gr_gan_probe p);

/* Run every applicable probe whose interval (cfg.probe.every_*) divides the current
 * iteration count, in enum order (a declared probe that does not apply is skipped: ask
 * gr_gan_trainer_probe_applies to record it). The harness calls it after each step. Nothing is due
 * at iteration 0: for the initial state call gr_gan_trainer_probe directly (the losses are NaN
 * there). */
int gr_gan_trainer_probe_due(gr_gan_trainer *t, const gr_gan_probe_sink *sink, gr_error *err);

/* D's accuracy on n real and n fake rows drawn from GR_STREAM_PROBE (fraction right, as
 * d_acc), for protocols that want it on a held-out batch (n <= probe_batch). */
int gr_gan_trainer_probe_accuracy(gr_gan_trainer *t, size_t n, double *acc, gr_error *err);

/* The critic's estimate mean f(real) - mean f(fake) on n >= 1 fresh rows of each (PROBE
 * stream; drawn in chunks of probe_batch, accumulated in double), e.g. C31's estimate on
 * 2 x 10^4 samples against a fixed generator. For the GAN family f is D's logit. */
int gr_gan_trainer_probe_estimate(gr_gan_trainer *t, size_t n, double *est, gr_error *err);

/* ---- protocols ----------------------------------------------------------------------------- */

/* Freeze or unfreeze the generator from the next step on (A&B Figs. 1-3: train G, freeze
 * it, then train a fresh D with n_critic = 1 and record per D step). */
void gr_gan_trainer_set_freeze_g(gr_gan_trainer *t, int freeze);

/* A fresh D: re-initialise D's parameters with cfg.d_init from GR_STREAM_INIT (continuing
 * that stream) and reset D's optimizer. Cannot fail on a valid trainer (GR_EINVAL on NULL). */
int gr_gan_trainer_reset_d(gr_gan_trainer *t, gr_error *err);

/* ---- state (for checkpoints: io/gan_checkpoint.h writes it) ------------------------------------
 */

const gr_gan_config *gr_gan_trainer_config(const gr_gan_trainer *t);
gr_mlp *gr_gan_trainer_g(gr_gan_trainer *t); /* NULL with a fixed generator */
gr_mlp *gr_gan_trainer_d(gr_gan_trainer *t);
gr_optim *gr_gan_trainer_g_optim(gr_gan_trainer *t); /* NULL with a fixed generator */
gr_optim *gr_gan_trainer_d_optim(gr_gan_trainer *t);
gr_sampler *gr_gan_trainer_data(gr_gan_trainer *t);
gr_sampler *gr_gan_trainer_fake_sampler(gr_gan_trainer *t);    /* NULL unless fixed generator */
uint64_t gr_gan_trainer_iter(const gr_gan_trainer *t);         /* generator iterations done */
uint64_t gr_gan_trainer_critic_iters(const gr_gan_trainer *t); /* critic updates done */

/* The training streams, in this order (names for checkpoints: "data", "prior", "init",
 * "batch", "interp", "instance", "probe"). gr_gan_trainer_stream returns NULL for i >= count. */
#define GR_GAN_N_STREAMS 7
gsl_rng *gr_gan_trainer_stream(gr_gan_trainer *t, size_t i);
const char *gr_gan_trainer_stream_name(size_t i);

/* Everything else a resume needs, as bytes: iteration and critic counters, freeze flag,
 * status and diverged step, the last stats, and the data (and fixed-generator) samplers'
 * cursor states (gr_sampler_state_save). Format: "GRGT" magic, version u32, then fields
 * LE; the load checks magic, version, every length and refuses (GR_EFORMAT) anything else,
 * leaving the trainer unchanged. The sigma schedule's position is the iteration counter. */
size_t gr_gan_trainer_state_size(const gr_gan_trainer *t);
int gr_gan_trainer_state_save(const gr_gan_trainer *t, void *buf, size_t size, gr_error *err);
int gr_gan_trainer_state_load(gr_gan_trainer *t, const void *buf, size_t size, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
