/* nn/optim.h — first-order optimizers with PyTorch's exact update rules, and weight clipping.
 *
 * An optimizer updates ONE contiguous float parameter buffer of n elements from a gradient
 * buffer of the same length (the flat layout of nn/mlp.h, or any other). Its state (moment
 * buffers) is one contiguous float block of n_slots * n elements, carved into named slots;
 * it is sized once by gr_optim_alloc, and gr_optim_step never allocates.
 *
 * Update rules (torch 1.13, torch/optim/{sgd,rmsprop,adam}.py, single-tensor path,
 * maximize = False), per element, t = step count after increment, g = gradient:
 *
 *   weight decay (all kinds, an L2 term as torch does it, NOT AdamW):  g <- g + wd * p
 *
 *   SGD        if momentum != 0:  b <- g                          at t = 1 (no dampening!)
 *                                 b <- momentum * b + (1 - dampening) * g    for t > 1
 *                                 d <- nesterov ? g + momentum * b : b
 *              else d <- g
 *              p <- p - lr * d
 *   RMSProp    v <- alpha * v + (1 - alpha) * g^2
 *              centered:  m <- alpha * m + (1 - alpha) * g;  s <- sqrt(v - m^2) + eps
 *              else       s <- sqrt(v) + eps                 (eps OUTSIDE the square root)
 *              momentum > 0:  b <- momentum * b + g / s;  p <- p - lr * b   (b starts at 0)
 *              else           p <- p - lr * g / s
 *   Adam       m <- beta1 * m + (1 - beta1) * g
 *              v <- beta2 * v + (1 - beta2) * g^2
 *              p <- p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 *              (bias corrections in double, eps added after dividing sqrt(v) by the
 *              correction: Kingma & Ba 2015, Alg. 1 with eps on the corrected v-hat;
 *              torch keeps t in a float32 tensor, exact up to 2^24 steps, ours is uint64)
 *
 * TensorFlow 1.x variants (the reference code of WGAN-GP, igul222/improved_wgan_training, is
 * TF: CLAIMS.md C33, C37), from tensorflow/core/kernels/training_ops.cc and
 * tensorflow/python/training/{rmsprop,adam}.py:
 *   RMSProp-TF  ms starts at 1 (ones_initializer, not 0!); ms <- ms + (g^2 - ms)(1 - rho)
 *               centered: mg <- mg + (g - mg)(1 - rho);  s <- sqrt(ms - mg^2 + eps)
 *               else      s <- sqrt(ms + eps)                      (eps INSIDE the root)
 *               mom <- momentum * mom + lr g / s;  p <- p - mom   (rho in `alpha`)
 *   Adam-TF     a_t = lr sqrt(1 - beta2^t) / (1 - beta1^t);  m, v as Adam;
 *               p <- p - a_t m / (sqrt(v) + eps)       (eps on the UNcorrected sqrt(v))
 * Defaults: RMSProp-TF decay (alpha) 0.9, eps 1e-10, momentum 0; Adam-TF as Adam. No weight
 * decay (must be 0). These follow TF's formulas and operation order but were not compared
 * with TensorFlow itself (not installed); the tests check their closed-form first steps.
 *
 * Arithmetic mirrors torch's float32 CPU kernels operation by operation (scalars computed in
 * double, then rounded to float; fma(b, alpha, a) for add, fma(s*b, c, a) for addcmul,
 * a + (s*b)/c for addcdiv, as torch's AVX2 kernels do), so trajectories agree with torch
 * bit for bit on the fixtures of tests/nn/test_optim.c. (torch itself, on a CPU without
 * AVX2, would use unfused kernels and differ from its own AVX2 results by a few ulps.)
 *
 * Defaults (gr_optim_config_default) are torch's: RMSProp lr 1e-2, alpha 0.99, eps 1e-8;
 * Adam lr 1e-3, betas (0.9, 0.999), eps 1e-8; SGD has no default lr in torch: we put 1e-2
 * there and callers are expected to set it. The WGAN and WGAN-GP papers' settings
 * (CLAIMS.md §0: RMSProp 5e-5; Adam 1e-4, beta1 0, beta2 0.9) are set by the caller.
 *
 * Not thread-safe per object; distinct optimizers are independent (no global state).
 */
#ifndef GR_NN_OPTIM_H
#define GR_NN_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_optim_kind {
    GR_OPTIM_SGD = 1,        /* plain, momentum (heavy ball with dampening) or Nesterov */
    GR_OPTIM_RMSPROP = 2,    /* torch.optim.RMSprop (plain, centered, with momentum) */
    GR_OPTIM_ADAM = 3,       /* torch.optim.Adam (amsgrad = False) */
    GR_OPTIM_RMSPROP_TF = 4, /* tf.train.RMSPropOptimizer (TF 1.x) */
    GR_OPTIM_ADAM_TF = 5     /* tf.train.AdamOptimizer (TF 1.x) */
} gr_optim_kind;

/* Hyperparameters. A value type: copy it, keep it in configs. Fields a kind does not use
 * must be 0 (gr_optim_config_validate refuses e.g. a "momentum" on Adam, whose momentum
 * is beta1, rather than silently ignoring it). */
typedef struct gr_optim_config {
    gr_optim_kind kind;
    double lr;           /* >= 0, finite (all kinds) */
    double weight_decay; /* >= 0, finite: L2 term added to the gradient (0 for TF kinds) */
    double momentum;     /* SGD, RMSProp(-TF): in [0, 1) */
    double dampening;    /* SGD: in [0, 1] */
    int nesterov;        /* SGD: 0 or 1; 1 needs momentum > 0 and dampening == 0 (torch) */
    double alpha;        /* RMSProp(-TF): smoothing constant (TF: decay, rho), in [0, 1) */
    int centered;        /* RMSProp(-TF): 0 or 1 */
    double beta1, beta2; /* Adam(-TF): each in [0, 1) */
    double eps;          /* RMSProp(-TF), Adam(-TF): >= 0, finite */
} gr_optim_config;

/* torch's (TF kinds: TF's) defaults for `kind` (see above); unused fields 0. An invalid kind gives
 * a config with kind 0, which gr_optim_config_validate refuses. Cannot fail. */
gr_optim_config gr_optim_config_default(gr_optim_kind kind);

/* Check a config: known kind, finite values in the documented ranges, unused fields 0.
 * GR_EINVAL with a message naming the field, its value and the allowed range. */
int gr_optim_config_validate(const gr_optim_config *cfg, gr_error *err);

/* "sgd", "rmsprop", "adam", "rmsprop_tf", "adam_tf" (the names checkpoints store); "?" for
 * an invalid kind. */
const char *gr_optim_kind_name(gr_optim_kind kind);

/* Inverse of gr_optim_kind_name; GR_EINVAL (message quoting `name`) if unknown. */
int gr_optim_kind_parse(gr_optim_kind *kind, const char *name, gr_error *err);

/* Number of n-element state slots a valid config needs, and the name of slot i (torch's
 * state-dict names):
 *   SGD:      "momentum_buffer" if momentum > 0                     (0 or 1 slot)
 *   RMSProp:  "square_avg", then "grad_avg" if centered, then "momentum_buffer" if
 *             momentum > 0                                          (1 to 3 slots)
 *   Adam:     "exp_avg", "exp_avg_sq"                               (2 slots)
 *   RMSProp-TF: "rms" (initialised to 1), then "mg" if centered, then "momentum" if
 *             momentum > 0                                          (1 to 3 slots)
 *   Adam-TF:  "m", "v"                                              (2 slots)
 * gr_optim_slot_name returns NULL for i >= the count or an invalid config. */
size_t gr_optim_config_n_slots(const gr_optim_config *cfg);
const char *gr_optim_config_slot_name(const gr_optim_config *cfg, size_t i);

typedef struct gr_optim gr_optim;

/* Allocate an optimizer for n >= 1 parameters: validates cfg, sizes the state block once,
 * initialises it as gr_optim_reset, step count 0. On error *out = NULL, nothing leaks. */
int gr_optim_alloc(gr_optim **out, const gr_optim_config *cfg, size_t n, gr_error *err);

/* Free; NULL is a no-op. */
void gr_optim_free(gr_optim *opt);

/* One update of params[0..n) from grads[0..n) (n must equal the allocated size, else
 * GR_EMISMATCH). Increments the step count. Never allocates. params and grads must not
 * overlap. Non-finite values are propagated, not detected (check the loss / parameters
 * with gr_probe_count_nonfinite when divergence matters). */
int gr_optim_step(gr_optim *opt, float *params, const float *grads, size_t n, gr_error *err);

/* The instruction set of the update loops ("code path"). On x86-64 GCC builds there are
 * three: "x86-64-v4" (AVX-512), "fma" (AVX2 + FMA) and "baseline"; elsewhere "baseline"
 * only. gr_optim_alloc picks the widest this CPU runs. Every path gives the same bits, so
 * this exists for tests (which run the torch fixtures through each path the machine has)
 * and for benchmarks. gr_optim_set_path: GR_EINVAL for an unknown name (the message lists
 * this build's paths) or a path this CPU cannot run. gr_optim_path: the current one. */
int gr_optim_set_path(gr_optim *opt, const char *name, gr_error *err);
const char *gr_optim_path(const gr_optim *opt);
/* The i-th code path of this build, widest first, the baseline last; NULL past the end. */
const char *gr_optim_path_name(size_t i);

/* Reset the state (zeros; RMSProp-TF's "rms" to ones) and the step count, as a freshly
 * allocated optimizer. Cannot fail. */
void gr_optim_reset(gr_optim *opt);

/* Change the learning rate between steps (schedules). GR_EINVAL if lr < 0 or not finite. */
int gr_optim_set_lr(gr_optim *opt, double lr, gr_error *err);

/* Read access. The config is the validated copy held by the optimizer. */
const gr_optim_config *gr_optim_config_get(const gr_optim *opt);
size_t gr_optim_n_params(const gr_optim *opt);
uint64_t gr_optim_step_count(const gr_optim *opt);
size_t gr_optim_n_slots(const gr_optim *opt);
const char *gr_optim_slot_name(const gr_optim *opt, size_t i);

/* The state block: n_slots * n floats, slot i at [i*n, (i+1)*n) in the order of
 * gr_optim_config_slot_name. NULL when there are no slots (plain SGD). Writable so a
 * checkpoint can restore it; stable for the optimizer's lifetime. */
float *gr_optim_state(gr_optim *opt);
const float *gr_optim_state_const(const gr_optim *opt);

/* Restore the step count (checkpoint resume). SGD with momentum uses it to know whether
 * the momentum buffer is initialised (step 0: the first step copies the gradient). */
void gr_optim_set_step_count(gr_optim *opt, uint64_t step);

/* ---- weight clipping (WGAN, Arjovsky et al. 2017, Alg. 1 line 7) ----------------------- */

/* w[i] <- min(max(w[i], -c), c) for i < n, with c > 0 finite. Afterwards every finite w[i]
 * satisfies |w[i]| <= c exactly (c is a float, so the bound is the float the caller sees).
 * NaN entries are left NaN (as torch.clamp_) and reported: GR_EDIVERGED naming the count
 * and the first index, after every other entry has been clipped. GR_EINVAL if w is NULL,
 * n == 0 or c is not a positive finite float. */
int gr_optim_clip(float *w, size_t n, float c, gr_error *err);

/* As gr_optim_clip on n_ranges ranges [offsets[r], offsets[r] + sizes[r]) of a buffer of n
 * elements (e.g. the weight matrices only). Ranges must lie inside the buffer (GR_EINVAL
 * naming the range otherwise); sizes of 0 are allowed; overlapping ranges are harmless. */
int gr_optim_clip_ranges(float *w, size_t n, const size_t *offsets, const size_t *sizes,
                         size_t n_ranges, float c, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
