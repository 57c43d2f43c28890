/* harness/schema.c — the table of experiment-file keys (see harness/schema.h) and the
 * per-method defaults (CLAIMS §0: the five methods; C26: WGAN-clip, Algorithm 1; C30:
 * WGAN-GP, Algorithm 1). */
#include "harness/schema.h"

#include <stdio.h>
#include <string.h>

#define BIG    1e9
#define ALL    GR_PROTO_ALL
#define TRAIN  GR_PROTO_TRAIN
#define FROZEN GR_PROTO_FROZEN_D
#define FIXED  GR_PROTO_FIXED_CRITIC
#define CURVE  GR_PROTO_DISTANCE_CURVE
#define OBJ    GR_PROTO_OBJECTIVE
#define GAME   GR_PROTO_GAME
#define SW     GR_KEY_SWEEP
#define SZ     GR_KEY_SIZE
#define META   GR_KEY_META
#define IN     GR_METHOD_GAN_IN
#define CLIP   GR_METHOD_WGAN_CLIP
#define GP     GR_METHOD_WGAN_GP
#define ADAM   GR_OPTIM_ADAM
#define RMS    GR_OPTIM_RMSPROP
#define SGD    GR_OPTIM_SGD

/* The optimizer rows, the same for optim_d (the discriminator or critic) and optim_g. */
#define OPTIM_ROWS(p, who)                                                                         \
    {p ".name",                                                                                    \
     GR_KEY_ENUM,                                                                                  \
     0,                                                                                            \
     0,                                                                                            \
     0,                                                                                            \
     GR_OPTIMS,                                                                                    \
     NULL,                                                                                         \
     0,                                                                                            \
     TRAIN | FROZEN | FIXED,                                                                       \
     0,                                                                                            \
     0,                                                                                            \
     0,                                                                                            \
     0,                                                                                            \
     "Optimizer of " who ". Default: the method's (Adam for gan_*, wgan_gp; RMSProp for "          \
     "wgan_clip)."},                                                                               \
        {p ".lr",                                                                                  \
         GR_KEY_DOUBLE,                                                                            \
         0,                                                                                        \
         10,                                                                                       \
         1,                                                                                        \
         NULL,                                                                                     \
         NULL,                                                                                     \
         SW,                                                                                       \
         0,                                                                                        \
         0,                                                                                        \
         0,                                                                                        \
         0,                                                                                        \
         0,                                                                                        \
         "Learning rate of " who ". Default: the method's (2e-4 gan_*, 5e-5 wgan_clip, 1e-4 "      \
         "wgan_gp)."},                                                                             \
        {p ".beta1",                                                                               \
         GR_KEY_DOUBLE,                                                                            \
         0,                                                                                        \
         1,                                                                                        \
         2,                                                                                        \
         NULL,                                                                                     \
         "0.5",                                                                                    \
         SW,                                                                                       \
         0,                                                                                        \
         0,                                                                                        \
         ADAM,                                                                                     \
         0,                                                                                        \
         0,                                                                                        \
         "Adam's first-moment decay (beta1 < 1). Default: the method's (0.5; 0.0 for wgan_gp)."},  \
        {p ".beta2",                                                                               \
         GR_KEY_DOUBLE,                                                                            \
         0,                                                                                        \
         1,                                                                                        \
         2,                                                                                        \
         NULL,                                                                                     \
         "0.999",                                                                                  \
         SW,                                                                                       \
         0,                                                                                        \
         0,                                                                                        \
         ADAM,                                                                                     \
         0,                                                                                        \
         0,                                                                                        \
         "Adam's second-moment decay (beta2 < 1). Default: the method's (0.999; 0.9 for "          \
         "wgan_gp)."},                                                                             \
        {p ".alpha",                                                                               \
         GR_KEY_DOUBLE,                                                                            \
         0,                                                                                        \
         1,                                                                                        \
         2,                                                                                        \
         NULL,                                                                                     \
         "0.99",                                                                                   \
         SW,                                                                                       \
         0,                                                                                        \
         0,                                                                                        \
         RMS,                                                                                      \
         0,                                                                                        \
         0,                                                                                        \
         "RMSProp's smoothing constant (PyTorch's alpha, TensorFlow's decay; < 1). 0.99 is "       \
         "PyTorch's default, used by the WGAN code (C26)."},                                       \
        {p ".eps",   GR_KEY_DOUBLE,                                                                \
         0,          1,                                                                            \
         1,          NULL,                                                                         \
         "1e-08",    0,                                                                            \
         0,          0,                                                                            \
         ADAM | RMS, 0,                                                                            \
         0,          "Denominator epsilon of Adam and RMSProp."},                                  \
    {                                                                                              \
        p ".momentum", GR_KEY_DOUBLE, 0, 1, 2, NULL, "0.0", SW, 0, 0, SGD | RMS, 0, 0,             \
            "Momentum of SGD and RMSProp (< 1)."                                                   \
    }

static const gr_schema_key keys[] = {
    /* ---- experiment ---- */
    {"experiment.name", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, ALL, 0, 0, 0, 0,
     "Short name: the results file is results/NAME.h5. Renaming reruns nothing (not part of "
     "a run's id)."},
    {"experiment.title", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0, 0, 0,
     "One line for listings and figure titles."},
    {"experiment.claims", GR_KEY_CLAIMS, 0, 0, 0, NULL, NULL, META, ALL, 0, 0, 1, 64,
     "The claim ids (CLAIMS.md) this experiment tests; every criterion names one of them."},
    {"experiment.protocol", GR_KEY_ENUM, 0, 0, 0, GR_PROTOCOLS, NULL, 0, ALL, 0, 0, 0, 0,
     "What a run does: train (both nets, the chosen method), frozen_d (a fresh D against a "
     "frozen G), fixed_critic (a critic against a fixed \"generator\"), distance_curve "
     "(exact and sample distances along a one-parameter family), objective (identities of "
     "the objective with the exact D*), game (bilinear or 1-D games)."},
    {"profile", GR_KEY_ENUM, 0, 0, 0, "ci|quick|full", NULL, META, 0, 0, 0, 0, 0,
     "The profile a resolved declaration was resolved for. Written by ganrepro in the "
     "resolved text; in a file without `profiles` it is the profile used when none is asked "
     "for."},
    {"seeds", GR_KEY_INTS, 0, 9.2e18, 0, NULL, NULL, META, ALL, 0, 0, 1, 1000,
     "Root seeds (each run uses one; every random stream derives from it, core/rng.h). A "
     "profile uses the first n_seeds."},
    {"n_seeds", GR_KEY_INT, 1, 1000, 0, NULL, NULL, SZ | META, 0, 0, 0, 0, 0,
     "How many of `seeds` a profile uses (default: all; more than listed is an error)."},

    /* ---- data ---- */
    {"data.set", GR_KEY_ENUM, 0, 0, 0,
     "parallel_lines|gauss1d|point_mass|segment|8gaussians|25gaussians|swissroll|embedded|mnist",
     NULL, 0, TRAIN | FROZEN | FIXED | CURVE | OBJ, 0, 0, 0, 0,
     "The real distribution P_r (data/): parallel_lines is WGAN Example 1 (P_0 = (0, U), the "
     "fake line at x = theta); gauss1d N(mean, sd^2); point_mass delta_0; segment {0} x [0, "
     "1]; the gan_toy.py sets (C37); embedded: embed_base in R^dim (C46); mnist."},
    {"data.theta", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "0.0", SW, 0, 0, 0, 0, 0,
     "Offset of the second distribution of a pair: the line x = theta (parallel_lines), the "
     "location N(theta, sd^2) or delta_theta of the 1-D families."},
    {"data.sigma", GR_KEY_DOUBLE, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0, 0, 0,
     "SD of Gaussian noise N(0, sigma^2 I) smoothing both distributions (0: none; CLAIMS "
     "O9-O11)."},
    {"data.mean", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "0.0", SW, 0, 0, 0, 0, 0, "Mean of gauss1d."},
    {"data.sd", GR_KEY_DOUBLE, 0, 1e6, 1, NULL, "1.0", SW, 0, 0, 0, 0, 0, "SD of gauss1d."},
    {"data.embed_base", GR_KEY_ENUM, 0, 0, 0, "8gaussians|25gaussians|swissroll|segment",
     "\"8gaussians\"", SW, 0, 0, 0, 0, 0, "The low-dimensional set an embedded manifold carries."},
    {"data.dim", GR_KEY_INT, 1, 1e5, 0, NULL, "16", SW, 0, 0, 0, 0, 0,
     "Ambient dimension D of an embedded manifold."},
    {"data.tau", GR_KEY_DOUBLE, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0, 0, 0,
     "SD of off-manifold noise N(0, tau^2 I_D) on an embedded manifold (0: A&B's singular "
     "case)."},
    {"data.pixels", GR_KEY_ENUM, 0, 0, 0, "unit|symmetric", "\"unit\"", 0, 0, 0, 0, 0, 0,
     "MNIST pixel range: unit [0, 1] or symmetric [-1, 1]."},
    {"data.subset", GR_KEY_INT, 0, 1e8, 0, NULL, "0", SW, 0, 0, 0, 0, 0,
     "Train on a seeded subset of this many images (0: all; C38 uses 1000)."},

    /* ---- networks ---- */
    {"nets.g", GR_KEY_ARCH, 0, 0, 0, NULL, NULL, SW, TRAIN, 0, 0, 0, 0,
     "Generator architecture (nn/mlp.h), e.g. \"2-512relu-512relu-512relu-2linear\": the "
     "first width is the latent dimension, the last the data dimension."},
    {"nets.d", GR_KEY_ARCH, 0, 0, 0, NULL, NULL, SW, TRAIN | FROZEN | FIXED, 0, 0, 0, 0,
     "Discriminator or critic architecture; it ends in one linear unit (a logit)."},
    {"nets.init", GR_KEY_ENUM, 0, 0, 0, "torch|xavier|normal|he", "\"he\"", SW, 0, 0, 0, 0, 0,
     "Weight initialisation (nn/mlp.h): he is gan_toy.py's He-uniform (C37), normal "
     "N(0, 0.02^2) the WGAN/DCGAN code's."},
    {"nets.prior", GR_KEY_ENUM, 0, 0, 0, "normal|uniform", "\"normal\"", 0, 0, 0, 0, 0, 0,
     "Latent prior: N(0, I) or U[-1, 1]^k."},

    /* ---- method ---- */
    {"method.name", GR_KEY_ENUM, 0, 0, 0, GR_METHODS, NULL, 0, TRAIN | FROZEN | FIXED, 0, 0, 0, 0,
     "The method (CLAIMS §0): gan_mm minimax, gan_ns non-saturating, gan_in instance noise, "
     "wgan_clip, wgan_gp. A list of method groups, method = ( {...}, {...} ), sweeps over "
     "methods."},
    {"method.label", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, 0, 0, 0, 0, 0,
     "Name of this method alternative in listings and results (default: name). Must differ "
     "between the alternatives of a method sweep."},
    {"method.batch", GR_KEY_INT, 1, 1e6, 0, NULL, "64", SW | SZ, 0, 0, 0, 0, 0,
     "Minibatch size m, for real and generated samples alike (64: WGAN Algorithm 1; C37 "
     "uses 256)."},
    {"method.n_critic", GR_KEY_INT, 1, 1e4, 0, NULL, "1", SW, 0, 0, 0, 0, 0,
     "D or critic steps per generator step. Default: the method's (1 for gan_*, 5 for "
     "wgan_*)."},
    {"method.clip", GR_KEY_DOUBLE, 0, 1e3, 1, NULL, "0.01", SW, 0, CLIP, 0, 0, 0,
     "Weight clipping bound c: critic parameters are clipped to [-c, c] (C26)."},
    {"method.clip_when", GR_KEY_ENUM, 0, 0, 0, "after|before", "\"after\"", 0, 0, CLIP, 0, 0, 0,
     "Clip after each critic step (Algorithm 1) or before it (the WGAN code)."},
    {"method.warmup", GR_KEY_BOOL, 0, 0, 0, NULL, "false", 0, 0, CLIP, 0, 0, 0,
     "The WGAN code's 100 critic iterations for the first 25 and every 500th generator "
     "iteration (C26; not in the paper)."},
    {"method.lambda", GR_KEY_DOUBLE, 0, 1e6, 0, NULL, "10.0", SW, 0, GP, 0, 0, 0,
     "Gradient-penalty weight (10: the paper, C30; 0.1: gan_toy.py, C37)."},
    {"method.one_sided", GR_KEY_BOOL, 0, 0, 0, NULL, "false", SW, 0, GP, 0, 0, 0,
     "Penalise max(0, |grad| - 1)^2 instead of (|grad| - 1)^2 (C36)."},
    {"method.gen_loss", GR_KEY_ENUM, 0, 0, 0, "mm|ns", "\"mm\"", SW, 0, IN, 0, 0, 0,
     "Generator loss seen through the noise: mm, E log(1 - D(G(z) + eps)) (A&B Thm 3.2), or "
     "ns."},
    {"method.sigma0", GR_KEY_DOUBLE, 0, 1e3, 0, NULL, "0.5", SW, 0, IN, 0, 0, 0,
     "Initial instance-noise SD on D's real and fake inputs (A&B §3 give none; a suite "
     "choice, C18)."},
    {"method.sigma_schedule", GR_KEY_ENUM, 0, 0, 0, "constant|linear|exp", "\"linear\"", SW, 0, IN,
     0, 0, 0,
     "How sigma goes to 0: constant, linear sigma0 (1 - t/T), or exponential decay reaching "
     "1e-3 sigma0 at T (T = sigma_end)."},
    {"method.sigma_end", GR_KEY_INT, 0, BIG, 0, NULL, "0", 0, 0, IN, 0, 0, 0,
     "Step T at which the schedule ends (0: schedule.steps)."},
    OPTIM_ROWS("method.optim_d", "the discriminator or critic"),
    OPTIM_ROWS("method.optim_g", "the generator"),

    /* ---- schedule ---- */
    {"schedule.steps", GR_KEY_INT, 1, BIG, 0, NULL, NULL, SW | SZ, TRAIN | FROZEN | FIXED | GAME, 0,
     0, 0, 0,
     "Length of a run: generator steps (train), D or critic steps (frozen_d, fixed_critic), "
     "game steps (game)."},
    {"schedule.checkpoint_every", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Checkpoint interval in steps, for --resume (0: none)."},

    /* ---- protocol-specific ---- */
    {"frozen.g_steps", GR_KEY_INT, 0, BIG, 0, NULL, "0", SW | SZ, 0, 0, 0, 0, 0,
     "frozen_d: generator training steps (with method) before G is frozen; 0: no generator, "
     "the fake set is the data's second distribution (e.g. the line at theta)."},
    {"fixed.generator", GR_KEY_ENUM, 0, 0, 0, "data_plus_noise|collapse", "\"data_plus_noise\"", SW,
     0, 0, 0, 0, 0,
     "fixed_critic: the fixed \"generator\": real data + N(0, noise_sd^2 I) (WGAN-GP Fig. 1, "
     "C31) or the data collapsed on its first `modes` modes (C45)."},
    {"fixed.noise_sd", GR_KEY_DOUBLE, 0, 1e3, 0, NULL, "1.0", SW, 0, 0, 0, 0, 0,
     "SD of the noise of data_plus_noise."},
    {"fixed.modes", GR_KEY_INT, 1, 1e6, 0, NULL, "1", SW, 0, 0, 0, 0, 0,
     "Number of modes the collapsed generator keeps."},
    {"curve.param", GR_KEY_ENUM, 0, 0, 0, "data.theta|data.sigma", "\"data.theta\"", 0, 0, 0, 0, 0,
     0, "distance_curve, objective: the data key the curve varies."},
    {"curve.from", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "-1.0", 0, 0, 0, 0, 0, 0,
     "First value of the curve parameter."},
    {"curve.to", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "1.0", 0, 0, 0, 0, 0, 0,
     "Last value of the curve parameter (equally spaced points, both ends included)."},
    {"curve.points", GR_KEY_INT, 1, 1e6, 0, NULL, NULL, SW | SZ, CURVE | OBJ, 0, 0, 0, 0,
     "Number of parameter values on the curve (201: [-1, 1] in steps of 0.01, C19)."},
    {"curve.samples", GR_KEY_ENUM, 0, 0, 0, "independent|shared_grid", "\"independent\"", SW, 0, 0,
     0, 0, 0,
     "How the two samples are drawn: independently, or on the shared grid y_i = (i + 1/2)/n "
     "of C19 (exact sample W1 = |theta|)."},
    {"game.kind", GR_KEY_ENUM, 0, 0, 0, "bilinear|location|point_mass", NULL, 0, GAME, 0, 0, 0, 0,
     "game: bilinear v(x, y) = xy (C47), the 1-D location family (C03, C11) or the point "
     "mass delta_0 vs delta_theta with a trained D (C18)."},
    {"game.update", GR_KEY_ENUM, 0, 0, 0, "alternating|simultaneous", "\"alternating\"", SW, 0, 0,
     0, 0, 0, "Alternating or simultaneous gradient play."},
    {"game.eta", GR_KEY_DOUBLE, 0, 100, 1, NULL, "1.0", SW, 0, 0, 0, 0, 0,
     "Step size eta of both players."},
    {"game.x0", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "2.0", 0, 0, 0, 0, 0, 0,
     "Start of the minimising player (bilinear)."},
    {"game.y0", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "3.0", 0, 0, 0, 0, 0, 0,
     "Start of the maximising player (bilinear)."},
    {"game.theta0", GR_KEY_DOUBLE, -1e6, 1e6, 0, NULL, "1.0", SW, 0, 0, 0, 0, 0,
     "Start of the generator parameter (location, point_mass)."},
    {"game.d_steps", GR_KEY_INT, 1, 1e6, 0, NULL, "25", SW, 0, 0, 0, 0, 0,
     "D steps per generator step (point_mass; C18 uses 25)."},

    /* ---- evaluation ---- */
    {"eval.every", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Evaluation interval in steps (0: at the end only)."},
    {"eval.n", GR_KEY_INT, 1, 1e7, 0, NULL, NULL, SW | SZ, TRAIN | FROZEN | FIXED | CURVE, 0, 0, 0,
     0,
     "Samples per side for sample distances (exact W1 by network simplex) and held-out "
     "accuracy."},
    {"eval.w1", GR_KEY_BOOL, 0, 0, 0, NULL, "true", 0, 0, 0, 0, 0, 0,
     "Exact W1 between generated and fresh real samples."},
    {"eval.floor", GR_KEY_BOOL, 0, 0, 0, NULL, "true", 0, 0, 0, 0, 0, 0,
     "Also W1 between two independent real samples: the noise floor at n (O12)."},
    {"eval.divergence", GR_KEY_ENUM, 0, 0, 0, "exact|knn|none", "\"exact\"", SW, 0, 0, 0, 0, 0,
     "JS and KL: exact (quadrature, where both densities are known), knn (Wang-Kulkarni-Verdu "
     "estimators on samples), or none."},
    {"eval.knn_k", GR_KEY_INT, 1, 1000, 0, NULL, "5", SW, 0, 0, 0, 0, 0,
     "k of the kNN estimators."},
    {"eval.modes", GR_KEY_BOOL, 0, 0, 0, NULL, "false", 0, 0, 0, 0, 0, 0,
     "Mode metrics of C45 (modes captured, high-quality fraction, reverse KL)."},
    {"eval.n_modes", GR_KEY_INT, 1, 1e7, 0, NULL, "2500", SZ, 0, 0, 0, 0, 0,
     "Generated samples for the mode metrics (2500: C45)."},

    /* ---- probes: interval in steps, 0 = off ---- */
    {"probes.d_loss", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "D or critic loss, every this many steps (0: off; the same for every probe)."},
    {"probes.g_loss", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0, "Generator loss."},
    {"probes.w_estimate", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "The critic's W estimate, -critic loss without the penalty."},
    {"probes.penalty", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "The gradient penalty term alone."},
    {"probes.grad_g", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Norms of the generator gradient of both generator losses (A&B Figs. 2-3)."},
    {"probes.accuracy", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "D's held-out accuracy on eval.n real and fake points."},
    {"probes.layer_grads", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Per-layer norms of the critic loss's gradient w.r.t. each layer's activations, as "
     "log10 (C33)."},
    {"probes.weight_hist", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Histogram of the critic's weights and the fraction at +-c (C34)."},
    {"probes.surface", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "D's or the critic's value on a grid over the data's box (C32)."},
    {"probes.step_cosine", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Cosine between the optimizer step and the gradient (C25)."},
    {"probes.samples", GR_KEY_INT, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0, 0, 0,
     "Snapshots of eval.n generated samples."},
    {"probes.grid", GR_KEY_INT, 2, 4096, 0, NULL, "128", 0, 0, 0, 0, 0, 0,
     "Points per side of the surface grid (128: gan_toy.py, C32)."},
    {"probes.bins", GR_KEY_INT, 2, 1e5, 0, NULL, "100", 0, 0, 0, 0, 0, 0,
     "Bins of the weight histogram."},

    /* ---- time estimate (ganrepro list) ---- */
    {"estimate.per_run", GR_KEY_DOUBLE, 0, BIG, 0, NULL, "0.0", SZ | META, 0, 0, 0, 0, 0,
     "Declared fixed cost of one run in seconds (set-up, final evaluation)."},
    {"estimate.per_unit", GR_KEY_DOUBLE, 0, BIG, 0, NULL, NULL, SZ | META, 0, 0, 0, 0, 0,
     "Declared cost in seconds of one unit of a run: a step (schedule.steps) or a curve "
     "point (curve.points). Unset: ganrepro list prints the time as unknown."},

    /* ---- pass criteria: fields of each element of the list `criteria` ---- */
    {"criteria.claim", GR_KEY_CLAIM, 0, 0, 0, NULL, NULL, META, ALL, 0, 0, 0, 0,
     "The claim the criterion decides; one of experiment.claims."},
    {"criteria.metric", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, ALL, 0, 0, 0, 0,
     "Name of a summary metric the protocol writes for each run."},
    {"criteria.condition", GR_KEY_ENUM, 0, 0, 0, "<|<=|>|>=|in", NULL, META, ALL, 0, 0, 0, 0,
     "How the metric is compared with the threshold (in: threshold <= value <= threshold_hi)."},
    {"criteria.threshold", GR_KEY_DOUBLE, -1e300, 1e300, 0, NULL, NULL, META, ALL, 0, 0, 0, 0,
     "The threshold (the lower bound for in)."},
    {"criteria.threshold_hi", GR_KEY_DOUBLE, -1e300, 1e300, 0, NULL, NULL, META, 0, 0, 0, 0, 0,
     "Upper bound, for condition in only (required there)."},
    {"criteria.over", GR_KEY_ENUM, 0, 0, 0, "each|mean|median|min|max", "\"each\"", META, 0, 0, 0,
     0, 0,
     "How the runs' values are combined before the comparison: each (every run must pass), "
     "or their mean, median, min or max."},
    {"criteria.doc", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0, 0, 0,
     "What the criterion checks, in words, for the verdict line."},
    {"criteria.where", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0, 0, 0,
     "Which runs the criterion judges: \"KEY = VALUE\" conditions joined by \" and \", e.g. "
     "\"curve.samples = \\\"shared_grid\\\" and eval.n = 2000\" (each KEY a key of this table, "
     "VALUE checked like the key's own value); \"\" (the default): every run."},
};

/* Per-method defaults that differ from the rows' `def`. */
static const struct {
    unsigned methods;
    const char *path, *value;
} method_defaults[] = {
    /* GAN: Adam 2e-4, beta = (0.5, 0.999), one D step per G step (the DCGAN settings of
     * C38's reference code; the rows' defaults carry beta and n_critic). */
    {GR_METHOD_GAN_MM | GR_METHOD_GAN_NS | GR_METHOD_GAN_IN, "method.optim_d.name", "\"adam\""},
    {GR_METHOD_GAN_MM | GR_METHOD_GAN_NS | GR_METHOD_GAN_IN, "method.optim_g.name", "\"adam\""},
    {GR_METHOD_GAN_MM | GR_METHOD_GAN_NS | GR_METHOD_GAN_IN, "method.optim_d.lr", "0.0002"},
    {GR_METHOD_GAN_MM | GR_METHOD_GAN_NS | GR_METHOD_GAN_IN, "method.optim_g.lr", "0.0002"},
    /* WGAN Algorithm 1 (C26): RMSProp 5e-5 on both nets, n_critic = 5. */
    {GR_METHOD_WGAN_CLIP, "method.optim_d.name", "\"rmsprop\""},
    {GR_METHOD_WGAN_CLIP, "method.optim_g.name", "\"rmsprop\""},
    {GR_METHOD_WGAN_CLIP, "method.optim_d.lr", "5e-05"},
    {GR_METHOD_WGAN_CLIP, "method.optim_g.lr", "5e-05"},
    {GR_METHOD_WGAN_CLIP, "method.n_critic", "5"},
    /* WGAN-GP Algorithm 1 (C30): Adam 1e-4, beta = (0, 0.9), n_critic = 5. */
    {GR_METHOD_WGAN_GP, "method.optim_d.name", "\"adam\""},
    {GR_METHOD_WGAN_GP, "method.optim_g.name", "\"adam\""},
    {GR_METHOD_WGAN_GP, "method.optim_d.lr", "0.0001"},
    {GR_METHOD_WGAN_GP, "method.optim_g.lr", "0.0001"},
    {GR_METHOD_WGAN_GP, "method.optim_d.beta1", "0.0"},
    {GR_METHOD_WGAN_GP, "method.optim_g.beta1", "0.0"},
    {GR_METHOD_WGAN_GP, "method.optim_d.beta2", "0.9"},
    {GR_METHOD_WGAN_GP, "method.optim_g.beta2", "0.9"},
    {GR_METHOD_WGAN_GP, "method.n_critic", "5"},
};

size_t gr_schema_n_keys(void) { return sizeof keys / sizeof keys[0]; }

const gr_schema_key *gr_schema_key_at(size_t i) { return i < gr_schema_n_keys() ? &keys[i] : NULL; }

const gr_schema_key *gr_schema_find(const char *path, size_t *index) {
    for (size_t i = 0; i < gr_schema_n_keys(); i++)
        if (!strcmp(keys[i].path, path)) {
            if (index) *index = i;
            return &keys[i];
        }
    return NULL;
}

const char *gr_schema_method_default(unsigned method, const char *path) {
    for (size_t i = 0; i < sizeof method_defaults / sizeof method_defaults[0]; i++)
        if ((method_defaults[i].methods & method) && !strcmp(method_defaults[i].path, path))
            return method_defaults[i].value;
    return NULL;
}

int gr_schema_choice_index(const char *choices, const char *name) {
    if (!choices || !name) return -1;
    size_t len = strlen(name);
    int idx = 0;
    for (const char *p = choices;; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && !strncmp(p, name, n)) return idx;
        if (!bar) return -1;
        p = bar + 1;
    }
}

const char *gr_key_type_name(gr_key_type t) {
    switch (t) {
    case GR_KEY_BOOL: return "bool";
    case GR_KEY_INT: return "int";
    case GR_KEY_DOUBLE: return "double";
    case GR_KEY_STRING: return "string";
    case GR_KEY_ENUM: return "string";
    case GR_KEY_ARCH: return "architecture string";
    case GR_KEY_IDENT: return "name";
    case GR_KEY_CLAIM: return "claim id";
    case GR_KEY_INTS: return "array of ints";
    case GR_KEY_DOUBLES: return "array of doubles";
    case GR_KEY_CLAIMS: return "array of claim ids";
    }
    return "?";
}

/* snprintf that keeps a running length and never writes past size. */
static void app(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void app(char *buf, size_t size, size_t *len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = *len < size ? size - *len : 0;
    int n = vsnprintf(room ? buf + *len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) *len += (size_t)n;
}

static void app_range(const gr_schema_key *k, char *buf, size_t size, size_t *len) {
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%g", k->lo);
    snprintf(hi, sizeof hi, "%g", k->hi);
    if (k->type == GR_KEY_INT || k->type == GR_KEY_INTS) {
        if (k->hi >= 9e18)
            snprintf(hi, sizeof hi, "2^63 - 1");
        else
            snprintf(hi, sizeof hi, "%.0f", k->hi);
        snprintf(lo, sizeof lo, "%.0f", k->lo);
    }
    if (k->lo <= -1e300 && k->hi >= 1e300) {
        app(buf, size, len, " (finite)");
        return;
    }
    app(buf, size, len, " in %c%s, %s%c", (k->open & GR_OPEN_LO) ? '(' : '[', lo, hi,
        (k->open & GR_OPEN_HI) ? ')' : ']');
}

size_t gr_schema_accepts(const gr_schema_key *k, char *buf, size_t size) {
    size_t len = 0;
    if (size) buf[0] = '\0';
    switch (k->type) {
    case GR_KEY_BOOL: app(buf, size, &len, "true or false"); break;
    case GR_KEY_INT:
        app(buf, size, &len, "an int");
        app_range(k, buf, size, &len);
        break;
    case GR_KEY_DOUBLE:
        app(buf, size, &len, "a number");
        app_range(k, buf, size, &len);
        break;
    case GR_KEY_STRING: app(buf, size, &len, "a string"); break;
    case GR_KEY_ENUM: {
        app(buf, size, &len, "one of ");
        const char *p = k->choices;
        for (int first = 1;; first = 0) {
            const char *bar = strchr(p, '|');
            int n = bar ? (int)(bar - p) : (int)strlen(p);
            app(buf, size, &len, "%s\"%.*s\"", first ? "" : (bar ? ", " : " or "), n, p);
            if (!bar) break;
            p = bar + 1;
        }
        break;
    }
    case GR_KEY_ARCH:
        app(buf, size, &len, "an architecture string such as \"2-512relu-512relu-1linear\"");
        break;
    case GR_KEY_IDENT:
        app(buf, size, &len, "a name (a lower-case letter, then lower-case letters, digits, _)");
        break;
    case GR_KEY_CLAIM: app(buf, size, &len, "a claim id such as \"C19\""); break;
    case GR_KEY_INTS:
    case GR_KEY_DOUBLES:
    case GR_KEY_CLAIMS:
        if (k->min_len == k->max_len)
            app(buf, size, &len, "an array of %zu %s", k->min_len,
                k->type == GR_KEY_INTS      ? "ints"
                : k->type == GR_KEY_DOUBLES ? "numbers"
                                            : "claim ids");
        else
            app(buf, size, &len, "an array of %zu to %zu %s", k->min_len, k->max_len,
                k->type == GR_KEY_INTS      ? "ints"
                : k->type == GR_KEY_DOUBLES ? "numbers"
                                            : "claim ids");
        if (k->type != GR_KEY_CLAIMS) app_range(k, buf, size, &len);
        if (k->type == GR_KEY_CLAIMS) app(buf, size, &len, " such as [\"C19\", \"C20\"]");
        break;
    }
    return len;
}
