/* gan/objective.h — the five training methods of the suite (CLAIMS.md §0) as one table, and
 * the one configuration value that declares every setting of a run: nets, prior, batch,
 * critic steps, optimizers, clipping, warm-up, gradient penalty, instance noise, real-batch
 * mode and probes. The papers' defaults are gr_gan_config_default; the reference codes'
 * deviations are named presets (gr_gan_config_preset); every field is listed by
 * gr_gan_config_describe so the harness records the resolved settings.
 *
 * Losses (all minimised, on logits l = D's last affine output, through log-sigmoid only:
 * log D = -softplus(-l), log(1 - D) = -softplus(l); nn/loss.h):
 *   gan_mm     D: mean softplus(-l_r) + mean softplus(l_g)        G: -mean softplus(l_g)
 *              (= E log(1 - D(G(z))), Goodfellow et al. 2014 Eq. 1)
 *   gan_ns     D: as gan_mm                                       G: mean softplus(-l_g)
 *              (= -E log D(G(z)), §3 of the same paper)
 *   gan_in     D sees x_r + e and G(z) + e', e, e' ~ N(0, sigma_t^2 I) drawn afresh for every
 *              row from GR_STREAM_INSTANCE; D's loss as gan_mm on the noisy inputs. G's loss is
 *              g_loss (default minimax: E log(1 - D(G(z) + e')), A&B 2017 Thm 3.2/Cor 3.2) on
 *              G(z) + e' when g_sees_noise = 1 (noise drawn afresh for the G step), on G(z)
 *              when 0. sigma_t is gr_gan_sigma_at(&cfg->sigma, t), t = generator iterations
 *              completed before the step.
 *   wgan_clip  critic: mean f_g - mean f_r (W estimate = -loss); G: -mean f(G(z)); every
 *              critic parameter (weights and biases, as the reference code) clipped to
 *              [-c, c] after each critic update (Arjovsky et al. 2017 Alg. 1) or before it
 *              (their main.py); optional warm-up: warmup_iters critic steps instead of
 *              n_critic for the first warmup_first generator iterations and every
 *              warmup_every-th one (main.py; CLAIMS C26).
 *   wgan_gp    critic: mean f_g - mean f_r + lambda mean_i (||grad f(xhat_i)|| - 1)^2,
 *              xhat_i = e_i x_i + (1 - e_i) xtilde_i, e_i ~ U[0,1] per example from
 *              GR_STREAM_INTERP (Gulrajani et al. 2017 Alg. 1); one-sided variant
 *              lambda mean_i max(0, ||grad f(xhat_i)|| - 1)^2; G: -mean f(G(z)).
 *
 * gan_mm / gan_ns / gan_in differ only in their defaults (g_loss, sigma): the method fixes
 * the D/critic loss family, g_loss selects the GAN generator loss (so "gan_in with the
 * non-saturating loss" is a declared deviation, not a new method).
 */
#ifndef GR_GAN_OBJECTIVE_H
#define GR_GAN_OBJECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/settings.h"
#include "nn/mlp.h"
#include "nn/optim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_gan_method {
    GR_GAN_MM = 0,    /* "gan_mm" */
    GR_GAN_NS = 1,    /* "gan_ns" */
    GR_GAN_IN = 2,    /* "gan_in" (instance noise) */
    GR_WGAN_CLIP = 3, /* "wgan_clip" */
    GR_WGAN_GP = 4    /* "wgan_gp" */
} gr_gan_method;
#define GR_GAN_N_METHODS 5

/* Name of a method ("gan_mm", ...); "?" if invalid. */
const char *gr_gan_method_name(gr_gan_method m);
/* Inverse; GR_EINVAL quoting the name (and listing the five) if unknown. */
int gr_gan_method_parse(gr_gan_method *m, const char *name, gr_error *err);
/* 1 for wgan_clip and wgan_gp (a critic, unbounded output), 0 for the GAN family. */
int gr_gan_method_is_wgan(gr_gan_method m);

/* GAN-family generator loss (ignored by the WGAN methods, whose G loss is -E f). */
typedef enum gr_gan_gloss {
    GR_GAN_GLOSS_MINIMAX = 0, /* "minimax":  E log(1 - D(G(z))) = -mean softplus(l) */
    GR_GAN_GLOSS_NONSAT = 1   /* "nonsat":  -E log D(G(z))      =  mean softplus(-l) */
} gr_gan_gloss;

typedef enum gr_gan_prior {
    GR_GAN_PRIOR_NORMAL = 0, /* z ~ N(0, I): gsl_ran_gaussian_ziggurat, row-major order */
    GR_GAN_PRIOR_UNIFORM = 1 /* z ~ U[-1, 1]^k: gr_rng_uniform_fill */
} gr_gan_prior;

typedef enum gr_gan_clip_timing {
    GR_GAN_CLIP_AFTER = 0, /* after each critic update (Alg. 1 line 7; CLAIMS §0 method 4) */
    GR_GAN_CLIP_BEFORE = 1 /* before each critic update's forward pass (WGAN main.py, C26) */
} gr_gan_clip_timing;

/* Where a critic step's real batch comes from. Both read the data sampler (batch rows per
 * critic step, the sampler's own order); they differ in the stream handed to it:
 *   FRESH  GR_STREAM_DATA: an i.i.d. draw per critic step (8 Gaussians, Swiss roll, ...)
 *   EPOCH  GR_STREAM_BATCH: a stateful sampler (the 25-Gaussian pool, MNIST) reads its next
 *          batch in its epoch order and reshuffles from this stream; the trainer refuses a
 *          sampler without cursor state in this mode (its cursor must be checkpointable). */
typedef enum gr_gan_real_mode { GR_GAN_REAL_FRESH = 0, GR_GAN_REAL_EPOCH = 1 } gr_gan_real_mode;

/* Instance-noise schedule sigma_t, a pure function of the generator iteration t:
 *   CONSTANT     sigma_0 for every t (t_end ignored)
 *   LINEAR       sigma_0 (1 - t/t_end) for t < t_end, 0 from t_end on (CLAIMS §0: the form we
 *                used; A&B give no schedule)
 *   EXPONENTIAL  sigma_0 (exp(-rate t/t_end) - exp(-rate)) / (1 - exp(-rate)) for t < t_end,
 *                0 from t_end on: an exponential decay shifted to reach 0 exactly at t_end
 *                (rate > 0; large rate ~ plain exp(-rate t/t_end)). */
typedef enum gr_gan_sigma_kind {
    GR_GAN_SIGMA_CONSTANT = 0,
    GR_GAN_SIGMA_LINEAR = 1,
    GR_GAN_SIGMA_EXPONENTIAL = 2
} gr_gan_sigma_kind;

typedef struct gr_gan_sigma {
    gr_gan_sigma_kind kind;
    double sigma0;  /* >= 0, finite */
    uint64_t t_end; /* >= 1 for LINEAR / EXPONENTIAL */
    double rate;    /* EXPONENTIAL: > 0, finite; else ignored */
} gr_gan_sigma;

/* sigma_t of a valid schedule (see gr_gan_sigma_kind). Pure, cannot fail. */
double gr_gan_sigma_at(const gr_gan_sigma *s, uint64_t t);

/* Probe intervals (in generator iterations; 0 = off) and sizes; see gan/trainer.h for what
 * each probe writes. A probe is due after step t (t = iterations completed) when
 * every > 0 and t % every == 0. */
typedef struct gr_gan_probe_config {
    uint64_t every_losses;      /* d_loss, g_loss, w_estimate, penalty, d_acc, sigma */
    uint64_t every_gen_grad;    /* g_grad_norm_mm / _ns (GAN family), g_grad_norm_w (WGAN) */
    uint64_t every_layer_grads; /* d_layer_grad_norms (one value per critic layer) */
    uint64_t every_weights;     /* d_weight_hist (L x hist_bins), d_frac_at_clip */
    uint64_t every_surface;     /* d_surface: D's logit / critic value on a grid_n^d grid */
    uint64_t every_cosine;      /* cos_d, cos_g: update vs -gradient of the step's last updates */
    uint64_t every_samples;     /* samples: n_samples x d generator samples */
    size_t probe_batch;         /* rows of real and of fake for gen_grad / layer_grads (>= 1) */
    size_t hist_bins;           /* >= 1 */
    double hist_range;          /* histogram over [-r, r]; 0 = the clip c (wgan_clip) or 1 */
    double frac_threshold;      /* d_frac_at_clip counts |w| >= frac_threshold * c (0.99) */
    size_t grid_n;              /* grid points per axis (data dimension 1 or 2), >= 2 */
    size_t n_samples;           /* >= 1 */
} gr_gan_probe_config;

/* Every setting of a run. A value type: copy it, keep it in the harness's records. */
typedef struct gr_gan_config {
    gr_gan_method method;
    gr_mlp_spec g_spec; /* G: z_dim -> data dim; out_act as declared (identity for toys) */
    gr_mlp_spec d_spec; /* D/critic: data dim -> 1, out_act must be IDENTITY (a logit) */
    gr_init g_init, d_init;
    gr_gan_prior prior; /* z dimension is g_spec.in_dim */
    size_t batch;       /* m: rows of real and of fake per step, >= 1 */
    size_t n_critic;    /* D/critic updates per generator update, >= 1 */
    gr_optim_config g_optim, d_optim;
    gr_gan_gloss g_loss; /* GAN family only */
    int g_reuse_fake;    /* 1: the G step reuses the last D step's z and G(z) (DCGAN /
                            bench/nn / torch_bench.py style, n_critic = 1 only); 0: fresh z */
    int freeze_g;        /* 1: no generator update (A&B Figs. 1-3: D against a frozen G) */
    uint64_t n_iters;    /* generator iterations of the run (gr_gan_trainer_done); 0 = no end */
    /* wgan_clip */
    double clip; /* c > 0 */
    gr_gan_clip_timing clip_timing;
    int warmup;            /* 0/1: main.py's critic warm-up */
    size_t warmup_iters;   /* critic steps in a warm-up iteration (100) */
    uint64_t warmup_first; /* first generator iterations with warm-up (25) */
    uint64_t warmup_every; /* and every warmup_every-th (500), >= 1 */
    /* wgan_gp */
    double gp_lambda; /* >= 0, finite */
    int gp_one_sided; /* 0: (||g|| - 1)^2; 1: max(0, ||g|| - 1)^2 */
    /* gan_in */
    gr_gan_sigma sigma; /* schedule; its sigma0 must be 0 for the other methods */
    int g_sees_noise;   /* 0/1: gan_in's G loss on G(z) + e' (1) or on G(z) (0) */
    gr_gan_real_mode real_mode;
    gr_gan_probe_config probe;
} gr_gan_config;

/* The papers' defaults for `method` on data of dimension x_dim (>= 1) (CLAIMS §0, C26, C30):
 *   all        G: z (2-D, N(0, I)) -> 3 x 512 ReLU -> x_dim linear; D: x_dim -> 3 x 512
 *              ReLU -> 1 linear (the gan_toy.py nets, C37); torch init; batch 64; fresh real
 *              batches; n_iters 0; no probes (probe sizes: probe_batch 256, hist_bins 50,
 *              hist_range 0, frac_threshold 0.99, grid_n 64, n_samples 512)
 *   gan_mm/ns  n_critic 1; Adam(2e-4, 0.5, 0.999) for both nets (DCGAN's; Goodfellow et al.
 *              fix no optimizer); g_loss minimax (mm) or nonsat (ns)
 *   gan_in     as gan_mm, g_loss minimax, sigma linear from 1.0 to 0 at t_end 10000
 *              (suite choice, A&B give none), g_sees_noise 1
 *   wgan_clip  RMSProp(5e-5, torch's alpha 0.99, eps 1e-8) for both; c 0.01 after each
 *              critic step; n_critic 5; m 64; init N(0, 0.02) (C26); no warm-up (warmup_iters
 *              100, first 25, every 500 stored but off: Alg. 1 has none)
 *   wgan_gp    Adam(1e-4, 0, 0.9) for both; lambda 10, two-sided; n_critic 5; m 64
 * A bad method or x_dim 0 gives a config that gr_gan_config_validate refuses. */
gr_gan_config gr_gan_config_default(gr_gan_method method, size_t x_dim);

typedef enum gr_gan_preset {
    GR_GAN_PRESET_PAPER = 0,    /* "paper": gr_gan_config_default */
    GR_GAN_PRESET_GAN_TOY = 1,  /* "gan_toy": igul222 gan_toy.py (C37): He-uniform init, batch
                                   256, n_critic 5; wgan_gp: Adam(1e-4, 0.5, 0.9), lambda 0.1;
                                   wgan_clip: RMSProp-TF (5e-5, decay 0.9, eps 1e-10), c 0.01
                                   after each step; GAN family: batch 256, n_critic 1, its
                                   Adam(2e-4, 0.5, 0.999) kept (gan_toy.py has no GAN mode) */
    GR_GAN_PRESET_WGAN_CODE = 2 /* "wgan_code": martinarjovsky/WassersteinGAN main.py (C26):
                                  wgan_clip with clamping BEFORE each critic step and the
                                  100-iteration warm-up on; other methods as "paper" */
} gr_gan_preset;
#define GR_GAN_N_PRESETS 3

const char *gr_gan_preset_name(gr_gan_preset p); /* "paper", "gan_toy", "wgan_code"; "?" */
int gr_gan_preset_parse(gr_gan_preset *p, const char *name, gr_error *err);

/* The default of `method` on x_dim with the preset's changes applied. */
gr_gan_config gr_gan_config_preset(gr_gan_preset preset, gr_gan_method method, size_t x_dim);

/* Check every field: valid method, specs (gr_mlp_spec_validate), D output 1 and identity,
 * G output dim == D input dim, optimizers (gr_optim_config_validate), batch, n_critic >= 1,
 * flags 0/1, c > 0 finite, lambda >= 0 finite, schedule (sigma0 >= 0, t_end >= 1 and
 * rate > 0 where used; sigma0 == 0 unless gan_in), g_reuse_fake only with n_critic 1 and
 * no warm-up, probe sizes. GR_EINVAL naming the field, its value and what is allowed. */
int gr_gan_config_validate(const gr_gan_config *cfg, gr_error *err);

/* Every field as a gr_setting, in declaration order (core/settings.h contract: writes
 * min(n, cap) entries to out, returns n; out may be NULL with cap 0). Names are the field
 * names with net prefixes: "method" (int: gr_gan_method), "g_in_dim", "g_n_hidden",
 * "g_hidden_0".."g_hidden_{n_hidden-1}" (only the used ones), "g_out_dim", "g_hidden_act",
 * "g_hidden_alpha", "g_out_act", "g_out_alpha", the same with "d_", "g_init", "d_init",
 * "prior", "batch", "n_critic", "g_optim_kind", "g_lr", "g_weight_decay", "g_momentum",
 * "g_dampening", "g_nesterov", "g_alpha", "g_centered", "g_beta1", "g_beta2", "g_eps", the
 * same with "d_optim_kind"/"d_...", "g_loss", "g_reuse_fake", "freeze_g", "n_iters", "clip",
 * "clip_timing", "warmup", "warmup_iters", "warmup_first", "warmup_every", "gp_lambda",
 * "gp_one_sided", "sigma_kind", "sigma0", "sigma_t_end", "sigma_rate", "g_sees_noise",
 * "real_mode", then "probe_every_losses" ... "probe_n_samples". Enumerations are ints with
 * the enum's values; uint64 fields are GR_SETTING_SIZE. The architecture strings
 * (gr_mlp_spec_describe) and names (gr_gan_method_name, gr_optim_kind_name) complement it
 * for text records. Cannot fail. */
size_t gr_gan_config_describe(const gr_gan_config *cfg, gr_setting *out, size_t cap);

/* Text names of the enumerated (GR_SETTING_INT) settings of gr_gan_config_describe, for
 * records and experiment files:
 *   "method"                        gan_mm, gan_ns, gan_in, wgan_clip, wgan_gp
 *   "g_loss"                        minimax, nonsat
 *   "prior"                         normal, uniform
 *   "clip_timing"                   after, before
 *   "sigma_kind"                    constant, linear, exponential
 *   "real_mode"                     fresh, epoch
 *   "g_init", "d_init"              torch, xavier, normal, he
 *   "g_optim_kind", "d_optim_kind"  gr_optim_kind_name (sgd, rmsprop, adam, rmsprop_tf, adam_tf)
 *   "g_hidden_act", "g_out_act", "d_hidden_act", "d_out_act"   gr_act_name (linear, relu,
 *                                   lrelu, tanh, sigmoid, softplus, elu)
 * gr_gan_setting_enum_name returns NULL when `setting` is not one of these or value is out of
 * range (flags such as "warmup" are plain 0/1). gr_gan_setting_enum_parse is its inverse:
 * GR_EINVAL naming the setting and listing the allowed names. */
const char *gr_gan_setting_enum_name(const char *setting, int value);
int gr_gan_setting_enum_parse(const char *setting, const char *name, int *value, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
