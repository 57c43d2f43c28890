/* harness/schema.c — the table of experiment-file keys (see harness/schema.h) and the
 * defaults that depend on the preset, the method or the optimizer (CLAIMS §0: the five
 * methods; C26: WGAN-clip, Algorithm 1 and the WGAN code; C30: WGAN-GP, Algorithm 1; C37:
 * gan_toy.py). The method keys and their defaults follow gan/objective.h's gr_gan_config
 * and gr_gan_config_default / gr_gan_config_preset. */
#include "harness/schema.h"

#include <stdio.h>
#include <string.h>

#define BIG         1e9
#define ALL         GR_PROTO_ALL
#define TRAIN       GR_PROTO_TRAIN
#define FROZEN      GR_PROTO_FROZEN_D
#define FIXED       GR_PROTO_FIXED_CRITIC
#define CURVE       GR_PROTO_DISTANCE_CURVE
#define OBJ         GR_PROTO_OBJECTIVE
#define GAME        GR_PROTO_GAME
#define PRESET      GR_PROTO_PRESET_CHECK
#define FGEN        GR_PROTO_FIXED_GEN
#define ORACLE      GR_PROTO_ORACLE
#define SW          GR_KEY_SWEEP
#define SZ          GR_KEY_SIZE
#define META        GR_KEY_META
#define LO          GR_OPEN_LO
#define HI          GR_OPEN_HI
#define GAN         (GR_SCHEMA_GAN_MM | GR_SCHEMA_GAN_NS | GR_SCHEMA_GAN_IN)
#define IN          GR_SCHEMA_GAN_IN
#define CLIP        GR_SCHEMA_WGAN_CLIP
#define GP          GR_SCHEMA_WGAN_GP
#define WGAN        (GR_SCHEMA_WGAN_CLIP | GR_SCHEMA_WGAN_GP)
#define ADAMS       (GR_SCHEMA_ADAM | GR_SCHEMA_ADAM_TF)
#define RMSS        (GR_SCHEMA_RMSPROP | GR_SCHEMA_RMSPROP_TF)
#define SGD         GR_SCHEMA_SGD
#define TORCH_KINDS (GR_SCHEMA_SGD | GR_SCHEMA_ADAM | GR_SCHEMA_RMSPROP)
#define E           GR_KEY_ENUM
#define D           GR_KEY_DOUBLE
#define I           GR_KEY_INT
#define B           GR_KEY_BOOL

/* A row: path, type, [lo, hi], open ends, choices, default, flags, required-for,
 * methods, optimizers, doc. Arrays use AROW (with their lengths). */
#define ROW(path, type, lo, hi, open, choices, def, flags, req, methods, optims, doc)              \
    { path, type, lo, hi, open, choices, def, flags, req, methods, optims, 0, 0, doc }
#define AROW(path, type, lo, hi, def, flags, req, min_len, max_len, doc)                           \
    { path, type, lo, hi, 0, NULL, def, flags, req, 0, 0, min_len, max_len, doc }

/* clang-format off */

/* The optimizer rows (nn/optim.h's gr_optim_config), the same for optim_d (the
 * discriminator or critic) and optim_g (the generator). */
#define OPTIM_ROWS(p, who)                                                                         \
    ROW(p ".name", E, 0, 0, 0, GR_OPTIMS, NULL, 0, TRAIN | FROZEN | FIXED, 0, 0,                  \
        "Optimizer of " who " (nn/optim.h: torch's sgd, adam, rmsprop; TF 1.x's adam_tf, "        \
        "rmsprop_tf). Default: the method's."),                                                    \
    ROW(p ".lr", D, 0, 10, LO, NULL, NULL, SW, 0, 0, 0,                                           \
        "Learning rate of " who ". Default: the method's."),                                      \
    ROW(p ".beta1", D, 0, 1, HI, NULL, "0.5", SW, 0, 0, ADAMS,                                    \
        "Adam's first-moment decay, < 1. Default: the method's."),                                 \
    ROW(p ".beta2", D, 0, 1, HI, NULL, "0.999", SW, 0, 0, ADAMS,                                  \
        "Adam's second-moment decay, < 1. Default: the method's."),                                \
    ROW(p ".alpha", D, 0, 1, HI, NULL, "0.99", SW, 0, 0, RMSS,                                    \
        "RMSProp's smoothing constant (torch's alpha, TF's decay), < 1: 0.99 torch's default "    \
        "(the WGAN code, C26), 0.9 TF's (gan_toy.py, C37)."),                                      \
    ROW(p ".eps", D, 0, 1, 0, NULL, "1e-08", 0, 0, 0, ADAMS | RMSS,                               \
        "Denominator epsilon (1e-8 torch's; TF's RMSProp uses 1e-10)."),                          \
    ROW(p ".momentum", D, 0, 1, HI, NULL, "0.0", SW, 0, 0, SGD | RMSS,                           \
        "Momentum of SGD and RMSProp, < 1."),                                                      \
    ROW(p ".centered", B, 0, 0, 0, NULL, "false", 0, 0, 0, RMSS, "Centered RMSProp."),            \
    ROW(p ".dampening", D, 0, 1, 0, NULL, "0.0", 0, 0, 0, SGD, "SGD's momentum dampening."),      \
    ROW(p ".nesterov", B, 0, 0, 0, NULL, "false", 0, 0, 0, SGD,                                   \
        "Nesterov momentum (needs momentum > 0 and dampening 0)."),                               \
    ROW(p ".weight_decay", D, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, TORCH_KINDS,                      \
        "L2 term added to the gradient (torch kinds only).")

static const gr_schema_key keys[] = {
    /* ---- experiment ---- */
    ROW("experiment.name", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, ALL, 0, 0,
        "Short name: the results file is results/NAME.h5. Renaming reruns nothing (not part of "
        "a run's id)."),
    ROW("experiment.title", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0,
        "One line for listings and figure titles."),
    AROW("experiment.claims", GR_KEY_CLAIMS, 0, 0, NULL, META, ALL, 1, 64,
         "The claim ids (CLAIMS.md) this experiment tests; every criterion names one of them."),
    ROW("experiment.protocol", E, 0, 0, 0, GR_PROTOCOLS, NULL, 0, ALL, 0, 0,
        "What a run does: train (both nets, the chosen method), frozen_d (a fresh D against a "
        "frozen G), fixed_critic (a critic against a fixed \"generator\"), distance_curve "
        "(exact and sample distances along a one-parameter family), objective (identities of "
        "the objective with the exact D*), game (bilinear or 1-D games), preset_check (the "
        "method presets and the toy data's constants against their sources), fixed_gen "
        "(fixed generators against exact oracles: the optimal coupling, mode dropping), oracle (exact and "
        "Monte-Carlo checks, oracle.kind)."),
    ROW("profile", E, 0, 0, 0, "ci|quick|full", NULL, META, 0, 0, 0,
        "The profile a resolved declaration was resolved for. Written by ganrepro in the "
        "resolved text; in a file without `profiles` it is the profile used when none is asked "
        "for."),
    AROW("seeds", GR_KEY_INTS, 0, 9.2e18, NULL, META, ALL, 1, 1000,
         "Root seeds (each run uses one; every random stream derives from it, core/rng.h). A "
         "profile uses the first n_seeds."),
    ROW("n_seeds", I, 1, 1000, 0, NULL, NULL, SZ | META, 0, 0, 0,
        "How many of `seeds` a profile uses (default: all; more than listed is an error)."),

    /* ---- data ---- */
    ROW("data.set", E, 0, 0, 0,
        "parallel_lines|gauss1d|point_mass|segment|8gaussians|25gaussians|swissroll|embedded|mnist",
        NULL, 0, TRAIN | FROZEN | FIXED | CURVE | OBJ, 0, 0,
        "The real distribution P_r (data/): parallel_lines is WGAN Example 1 (P_0 = (0, U), the "
        "fake line at x = theta); gauss1d N(mean, sd^2); point_mass delta_0; segment {0} x [0, "
        "1]; the gan_toy.py sets (C37); embedded: embed_base in R^dim (C46); mnist."),
    ROW("data.theta", D, -1e6, 1e6, 0, NULL, "0.0", SW, 0, 0, 0,
        "Offset of the second distribution of a pair: the line x = theta (parallel_lines), the "
        "location N(theta, sd^2) or delta_theta of the 1-D families."),
    ROW("data.sigma", D, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0,
        "SD of Gaussian noise N(0, sigma^2 I) smoothing both distributions (0: none; CLAIMS "
        "O9-O11)."),
    ROW("data.mean", D, -1e6, 1e6, 0, NULL, "0.0", SW, 0, 0, 0, "Mean of gauss1d."),
    ROW("data.sd", D, 0, 1e6, LO, NULL, "1.0", SW, 0, 0, 0, "SD of gauss1d."),
    ROW("data.gen_sd", D, 0, 1e6, 0, NULL, "1.0", SW, 0, 0, 0,
        "objective protocol, gauss1d: SD of the generator's law P_theta = N(theta, gen_sd^2) (0: the "
        "point mass delta_theta; C01/C02 use 0.7 against N(0, 1))."),
    ROW("data.embed_base", E, 0, 0, 0, "8gaussians|25gaussians|swissroll|segment",
        "\"8gaussians\"", SW, 0, 0, 0, "The low-dimensional set an embedded manifold carries."),
    ROW("data.dim", I, 1, 1e5, 0, NULL, "16", SW, 0, 0, 0,
        "Ambient dimension D of an embedded manifold."),
    ROW("data.tau", D, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0,
        "SD of off-manifold noise N(0, tau^2 I_D) on an embedded manifold (0: A&B's singular "
        "case)."),
    ROW("data.pixels", E, 0, 0, 0, "unit|symmetric", "\"unit\"", 0, 0, 0, 0,
        "MNIST pixel range: unit [0, 1] or symmetric [-1, 1]."),
    ROW("data.subset", I, 0, 1e8, 0, NULL, "0", SW, 0, 0, 0,
        "Train on a seeded subset of this many images (0: all; C38 uses 1000)."),

    /* ---- networks ---- */
    ROW("nets.g", GR_KEY_ARCH, 0, 0, 0, NULL, NULL, SW | SZ, TRAIN, 0, 0,
        "Generator architecture (nn/mlp.h), e.g. \"2-512relu-512relu-512relu-2linear\": the "
        "first width is the latent dimension, the last the data dimension. A size: a profile "
        "may set it (tiny nets in ci)."),
    ROW("nets.d", GR_KEY_ARCH, 0, 0, 0, NULL, NULL, SW | SZ, TRAIN | FROZEN | FIXED, 0, 0,
        "Discriminator or critic architecture; it ends in one linear unit (a logit). A size, "
        "like nets.g."),
    ROW("nets.prior", E, 0, 0, 0, "normal|uniform", "\"normal\"", 0, 0, 0, 0,
        "Latent prior: N(0, I) or U[-1, 1]^k."),

    /* ---- method (gan/objective.h's gr_gan_config) ---- */
    ROW("method.name", E, 0, 0, 0, GR_METHODS, NULL, 0, TRAIN | FROZEN | FIXED, 0, 0,
        "The method (CLAIMS §0): gan_mm minimax, gan_ns non-saturating, gan_in instance noise, "
        "wgan_clip, wgan_gp. A list of method groups, method = ( {...}, {...} ), sweeps over "
        "methods."),
    ROW("method.label", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, 0, 0, 0,
        "Name of this method alternative in listings and results (default: name). Must differ "
        "between the alternatives of a method sweep."),
    ROW("method.preset", E, 0, 0, 0, GR_PRESETS, "\"paper\"", META, 0, 0, 0,
        "Whose defaults fill the settings not given: paper (CLAIMS §0, C26, C30), gan_toy "
        "(igul222 gan_toy.py, C37: He init, batch 256, wgan_gp Adam(1e-4, 0.5, 0.9) with lambda "
        "0.1, wgan_clip TF RMSProp(5e-5, 0.9, 1e-10)) or wgan_code (the WGAN main.py, C26: "
        "wgan_clip clips before each critic step, warm-up on). The resolved values are what "
        "counts: the preset itself is not part of a run's id."),
    ROW("method.init", E, 0, 0, 0, "torch|xavier|normal|he", "\"torch\"", SW, 0, 0, 0,
        "Weight initialisation of both nets (nn/mlp.h): torch is nn.Linear's default, normal "
        "N(0, 0.02^2) the WGAN code's, he gan_toy.py's He-uniform. Default: the method's."),
    ROW("method.batch", I, 1, 1e6, 0, NULL, "64", SW | SZ, 0, 0, 0,
        "Minibatch size m, for real and generated samples alike (64: WGAN Algorithm 1; "
        "gan_toy.py 256)."),
    ROW("method.n_critic", I, 1, 1e4, 0, NULL, "1", SW, 0, 0, 0,
        "D or critic steps per generator step. Default: the method's (1 for gan_*, 5 for "
        "wgan_*)."),
    ROW("method.real", E, 0, 0, 0, "fresh|epoch", "\"fresh\"", 0, 0, 0, 0,
        "Real batches: a fresh i.i.d. draw per critic step, or the data's epoch order (the "
        "25-Gaussian pool, MNIST)."),
    ROW("method.g_reuse_fake", B, 0, 0, 0, NULL, "false", 0, 0, 0, 0,
        "The G step reuses the last D step's z and G(z) (DCGAN style; n_critic = 1 only)."),
    ROW("method.g_loss", E, 0, 0, 0, "minimax|nonsat", "\"minimax\"", SW, 0, IN, 0,
        "gan_in's generator loss: minimax E log(1 - D(G(z) + e')) (A&B Thm 3.2 / Cor 3.2) or "
        "nonsat. (gan_mm and gan_ns fix it by their name.)"),
    ROW("method.g_sees_noise", B, 0, 0, 0, NULL, "true", 0, 0, IN, 0,
        "gan_in: the generator loss sees the instance noise too (G(z) + e'), as in A&B Cor. 3.2."),
    ROW("method.sigma0", D, 0, 1e3, 0, NULL, "1.0", SW, 0, IN, 0,
        "gan_in: initial instance-noise SD on D's real and fake inputs (A&B §3 give none; a "
        "suite choice, C18)."),
    ROW("method.sigma_schedule", E, 0, 0, 0, "constant|linear|exponential", "\"linear\"", SW, 0,
        IN, 0,
        "gan_in: sigma_t, constant sigma0, linear sigma0 (1 - t/T), or exponential "
        "sigma0 (exp(-rate t/T) - exp(-rate)) / (1 - exp(-rate)); 0 from T = sigma_end on "
        "(gan/objective.h)."),
    ROW("method.sigma_end", I, 1, BIG, 0, NULL, "10000", SW, 0, IN, 0,
        "gan_in: the generator iteration T at which sigma reaches 0."),
    ROW("method.sigma_rate", D, 0, 1e3, LO, NULL, "5.0", SW, 0, IN, 0,
        "gan_in: the rate of the exponential schedule."),
    ROW("method.clip", D, 0, 1e3, LO, NULL, "0.01", SW, 0, CLIP, 0,
        "wgan_clip: critic parameters are clipped to [-c, c] (C26)."),
    ROW("method.clip_when", E, 0, 0, 0, "after|before", "\"after\"", 0, 0, CLIP, 0,
        "wgan_clip: clip after each critic step (Algorithm 1) or before it (the WGAN code)."),
    ROW("method.warmup", B, 0, 0, 0, NULL, "false", 0, 0, CLIP, 0,
        "wgan_clip: the WGAN code's critic warm-up (C26; not in the paper): warmup_iters critic "
        "steps for the first warmup_first and every warmup_every-th generator iteration."),
    ROW("method.warmup_iters", I, 1, 1e6, 0, NULL, "100", 0, 0, CLIP, 0,
        "wgan_clip: critic steps of a warm-up iteration."),
    ROW("method.warmup_first", I, 0, BIG, 0, NULL, "25", 0, 0, CLIP, 0,
        "wgan_clip: the first generator iterations that warm up."),
    ROW("method.warmup_every", I, 1, BIG, 0, NULL, "500", 0, 0, CLIP, 0,
        "wgan_clip: and every this-many-th generator iteration."),
    ROW("method.lambda", D, 0, 1e6, 0, NULL, "10.0", SW, 0, GP, 0,
        "wgan_gp: gradient-penalty weight (10: the paper, C30; 0.1: gan_toy.py, C37)."),
    ROW("method.one_sided", B, 0, 0, 0, NULL, "false", SW, 0, GP, 0,
        "wgan_gp: penalise max(0, |grad| - 1)^2 instead of (|grad| - 1)^2 (C36)."),
    OPTIM_ROWS("method.optim_d", "the discriminator or critic"),
    OPTIM_ROWS("method.optim_g", "the generator"),

    /* ---- schedule ---- */
    ROW("schedule.steps", I, 1, BIG, 0, NULL, NULL, SW | SZ, TRAIN | FROZEN | FIXED | GAME, 0, 0,
        "Length of a run: generator iterations (train), D or critic steps (frozen_d, "
        "fixed_critic), game steps (game)."),
    ROW("schedule.checkpoint_every", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Checkpoint interval in steps, for --resume (0: none)."),

    /* ---- protocol-specific ---- */
    ROW("frozen.g_steps", I, 0, BIG, 0, NULL, "0", SW | SZ, 0, 0, 0,
        "frozen_d: generator iterations (with method) before G is frozen and D is reset; 0: G as "
        "initialised. For parallel_lines and gauss1d it must be 0: G is the exact affine map "
        "drawing the data's second distribution (the line at theta, N(theta, sd^2))."),
    ROW("frozen.every", I, 1, BIG, 0, NULL, "1", SZ, 0, 0, 0,
        "frozen_d: a row of the series every this many D-phase iterations (1: every D step)."),
    ROW("fixed.generator", E, 0, 0, 0, "data_plus_noise|collapse|pair", "\"data_plus_noise\"",
        SW, 0, 0, 0,
        "fixed_critic: the fixed \"generator\": real data + N(0, noise_sd^2 I) (WGAN-GP Fig. 1, "
        "C31), the data collapsed on its first `modes` modes (C45), or pair: the data set's "
        "second distribution (gauss1d: N(theta, sd^2), WGAN Fig. 2, C23; the line at theta)."),
    ROW("fixed.noise_sd", D, 0, 1e3, 0, NULL, "1.0", SW, 0, 0, 0,
        "SD of the noise of data_plus_noise."),
    ROW("fixed.modes", I, 1, 1e6, 0, NULL, "1", SW, 0, 0, 0,
        "Number of modes the collapsed generator keeps."),
    ROW("fixed.every", I, 1, BIG, 0, NULL, "1", SZ, 0, 0, 0,
        "fixed_critic: a row of the series every this many critic updates (and at the last)."),
    ROW("fixed.box", D, 0, 1e6, 0, NULL, "0.0", SW, 0, 0, 0,
        "fixed_critic: the value surface covers [-box, box]^d (3: gan_toy.py's plots, C32; 6: "
        "C23's 1-D grid); 0: the union of the data's and the generator's boxes."),
    ROW("curve.param", E, 0, 0, 0, "data.theta|data.sigma", "\"data.theta\"", 0, 0, 0, 0,
        "distance_curve, objective: the data key the curve varies."),
    ROW("curve.from", D, -1e6, 1e6, 0, NULL, "-1.0", 0, 0, 0, 0,
        "First value of the curve parameter."),
    ROW("curve.to", D, -1e6, 1e6, 0, NULL, "1.0", 0, 0, 0, 0,
        "Last value of the curve parameter (equally spaced points, both ends included)."),
    ROW("curve.points", I, 1, 1e6, 0, NULL, NULL, SW | SZ, CURVE | OBJ, 0, 0,
        "Number of parameter values on the curve (201: [-1, 1] in steps of 0.01, C19)."),
    ROW("curve.samples", E, 0, 0, 0, "independent|shared_grid", "\"independent\"", SW, 0, 0, 0,
        "How the two samples are drawn: independently, or on the shared grid y_i = (i + 1/2)/n "
        "of C19 (exact sample W1 = |theta|)."),
    ROW("curve.fd_h", D, 0, 1, LO, NULL, "1e-05", 0, 0, 0, 0,
        "objective: step h of the central differences of JS that the gradient identities "
        "compare with (C11: h = 1e-5)."),
    ROW("curve.dstar_points", I, 0, 1e5, 0, NULL, "61", SZ, 0, 0, 0,
        "objective: points of the x grid on which D* is written for every theta (0: none)."),
    ROW("curve.dstar_from", D, -1e6, 1e6, 0, NULL, "-3.0", 0, 0, 0, 0,
        "objective: first x of the D* grid (C01 compares D on [-3, 3])."),
    ROW("curve.dstar_to", D, -1e6, 1e6, 0, NULL, "3.0", 0, 0, 0, 0,
        "objective: last x of the D* grid."),
    ROW("game.kind", E, 0, 0, 0, "bilinear|location|point_mass", NULL, 0, GAME, 0, 0,
        "game: bilinear v(x, y) = xy (C47); the 1-D location family N(data.mean, data.sd^2) "
        "vs N(theta, data.sd^2) or the point masses delta_0 vs delta_theta (C18), theta "
        "descending its loss against the exactly optimal D*, re-solved at every step."),
    ROW("game.update", E, 0, 0, 0, "alternating|simultaneous", "\"alternating\"", SW, 0, 0, 0,
        "Alternating or simultaneous gradient play."),
    ROW("game.eta", D, 0, 100, LO, NULL, "1.0", SW, 0, 0, 0, "Step size eta of both players."),
    ROW("game.x0", D, -1e6, 1e6, 0, NULL, "2.0", 0, 0, 0, 0,
        "Start of the minimising player (bilinear)."),
    ROW("game.y0", D, -1e6, 1e6, 0, NULL, "3.0", 0, 0, 0, 0,
        "Start of the maximising player (bilinear)."),
    ROW("game.theta0", D, -1e6, 1e6, 0, NULL, "1.0", SW, 0, 0, 0,
        "Start of the generator parameter (location, point_mass)."),
    ROW("game.d_steps", I, 1, 1e6, 0, NULL, "25", SW, 0, 0, 0,
        "D steps per generator step of a trained-D game (C18 uses 25); not used by the exact-D "
        "games of the game protocol."),
    ROW("game.loss", E, 0, 0, 0, "minimax|nonsat", "\"minimax\"", SW, 0, 0, 0,
        "location, point_mass: the generator loss theta descends, minimax E log(1 - D*) or "
        "non-saturating -E log D*."),
    ROW("game.sigma0", D, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0,
        "location, point_mass: instance noise at step 0; sigma_t = max(sigma0 (1 - t/steps), "
        "sigma_floor) on both of D's inputs and on the generator sample (CLAIMS §0 method 3)."),
    ROW("game.sigma_floor", D, 0, 1e3, 0, NULL, "0.0", SW, 0, 0, 0,
        "location, point_mass: the lowest sigma_t. At a fixed step eta the last steps contract "
        "only while sigma_t > sqrt(eta)/2 (the curvature of both losses near the optimum is "
        "1/(2 sigma^2)); annealing to 0 throws theta out again."),

    /* ---- preset_check (harness/proto_preset_check.c; C26, C30, C37) ---- */
    ROW("preset_check.what", E, 0, 0, 0, "method|toys", NULL, 0, PRESET, 0, 0,
        "preset_check: method checks the run's resolved method settings against the values "
        "its preset's source states (WGAN / WGAN-GP Algorithm 1, the WGAN main.py, gan_toy.py; "
        "C26, C30), the clip invariant after every critic update (schedule.steps updates) and "
        "the gradient penalty's parameter gradient against central differences; toys checks "
        "the gan_toy.py data sets' constants on preset_check.n draws (C37)."),
    ROW("preset_check.n", I, 1, 1e7, 0, NULL, NULL, SZ, 0, 0, 0,
        "preset_check, toys: points drawn from the 8 Gaussians and the Swiss roll (C37: "
        "10^5)."),

    /* ---- fixed_gen (harness/proto_fixed_gen.c; C29, C45) ---- */
    ROW("fixed_gen.case", E, 0, 0, 0, "coupling|collapse", NULL, SW, FGEN, 0, 0,
        "fixed_gen: coupling is C29's oracle (eval.n points from N((2, 0), 0.3^2 I) and from "
        "N(0, 0.5^2 I): assignment primal, pooled dual, McShane critic); collapse is C45's "
        "(O12, O13): a generator on some modes of data.set, its exact W1 between the means, "
        "sample W1 with the noise floor, and the mode metrics."),
    ROW("fixed_gen.pattern", E, 0, 0, 0, "one|opposite|alternate|adjacent|seven|first_k", NULL,
        SW, 0, 0, 0,
        "fixed_gen, collapse: the kept modes. On the 8-Gaussian ring: one, opposite (2), "
        "alternate (4, every other), adjacent (4 neighbours), seven (all but one); first_k: "
        "the first fixed_gen.k modes of any mixture (the 25 Gaussians' x-outer, y-inner "
        "order)."),
    ROW("fixed_gen.k", I, 1, 1e6, 0, NULL, NULL, SW, 0, 0, 0,
        "fixed_gen, collapse, first_k: how many modes are kept."),
    /* ---- oracle protocol (harness/proto_oracle.c): no defaults, so no other run's id moves;
     * each oracle.kind names the keys it needs and refuses to run without them ---- */
    ROW("oracle.kind", E, 0, 0, 0,
        "function_space|local_pca|cauchy|smoothed_segment|noise_bound|topology|critic_formula",
        NULL, SW, ORACLE, 0, 0,
        "oracle: what the run checks: function_space (C04, GAN Prop. 2 on a grid), local_pca "
        "(C06, a random ReLU net's image), cauchy (C12, A&B Thm 2.6's model), smoothed_segment "
        "(C14, O9 by quadrature and by a histogram), noise_bound (C17, A&B Lemma 4 / Thm 3.3), "
        "topology (C21, W, TV, JS, KL as theta -> 0), critic_formula (C22, the analytic f*)."),
    ROW("oracle.eta", D, 0, 100, LO, NULL, NULL, SW, 0, 0, 0,
        "function_space: step size of the mirror-descent update p_g <- p_g exp(-eta log(1 - D*))."),
    ROW("oracle.steps", I, 1, 1e7, 0, NULL, NULL, SZ, 0, 0, 0,
        "function_space: number of updates."),
    ROW("oracle.grid", I, 2, 1e7, 0, NULL, NULL, SZ, 0, 0, 0,
        "function_space: points of the x grid on [-6, 6] (241: C04); noise_bound, critic_formula: "
        "theta points; topology: geometric theta points from 1 to theta_min."),
    ROW("oracle.n", I, 1, 1e8, 0, NULL, NULL, SW | SZ, 0, 0, 0,
        "Sample size: local_pca points per sample (2e5: C06), cauchy draws per KS test (1e5: C12), "
        "smoothed_segment histogram draws (1e6: C14), noise_bound draws (1e4: C17), "
        "critic_formula z draws per theta."),
    ROW("oracle.queries", I, 1, 1e6, 0, NULL, NULL, SZ, 0, 0, 0,
        "local_pca: query points (300: C06)."),
    ROW("oracle.k", I, 3, 1e5, 0, NULL, NULL, 0, 0, 0, 0,
        "local_pca: nearest neighbours per query, the query included (30: C06)."),
    ROW("oracle.bias_sd", D, 0, 1e3, LO, NULL, NULL, 0, 0, 0, 0,
        "local_pca: SD of the random net's biases (weights He-normal; 0.1: C06)."),
    ROW("oracle.m", I, 1, 1e6, 0, NULL, NULL, 0, 0, 0, 0,
        "cauchy: draws per average (64: C12)."),
    ROW("oracle.n_small", I, 2, 1e8, 0, NULL, NULL, SZ, 0, 0, 0,
        "cauchy: the smaller sample of the variance ratio (1e4: C12)."),
    ROW("oracle.n_large", I, 2, 1e8, 0, NULL, NULL, SZ, 0, 0, 0,
        "cauchy: the larger sample (1e6: C12); the small one is its first n_small draws."),
    ROW("oracle.jacobian", D, -1e6, 1e6, 0, NULL, NULL, 0, 0, 0, 0,
        "cauchy: the fixed Jacobian coordinate J of -J r / eps (non-zero)."),
    ROW("oracle.s_r", D, 0, 1e6, LO, NULL, NULL, 0, 0, 0, 0,
        "cauchy: SD of the gradient error r."),
    ROW("oracle.s_eps", D, 0, 1e6, LO, NULL, NULL, 0, 0, 0, 0,
        "cauchy: SD of the value error eps."),
    ROW("oracle.sigma", D, 0, 1e3, LO, NULL, NULL, SW, 0, 0, 0,
        "smoothed_segment: SD of the noise on {0} x [0, 1] (<= 1/12)."),
    ROW("oracle.bin", D, 0, 1e3, LO, NULL, NULL, 0, 0, 0, 0,
        "smoothed_segment: histogram bin width (0.02: C14)."),
    ROW("oracle.h", D, 0, 1e3, LO, NULL, NULL, SW, 0, 0, 0,
        "noise_bound: the uniform noise U[-h, h] (C17: 0.1, 0.5, 1)."),
    ROW("oracle.theta_max", D, 0, 1e6, LO, NULL, NULL, 0, 0, 0, 0,
        "noise_bound: theta grid on [0, theta_max] (3: C17); critic_formula: on [-theta_max, "
        "theta_max]."),
    ROW("oracle.theta_min", D, 0, 1, LO, NULL, NULL, 0, 0, 0, 0,
        "topology: the smallest theta (< 1)."),

    /* ---- evaluation ---- */
    ROW("eval.every", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Evaluation interval in steps (0: at the end only)."),
    ROW("eval.n", I, 1, 1e7, 0, NULL, NULL, SW | SZ, TRAIN | FROZEN | FIXED | CURVE, 0, 0,
        "Samples per side for sample distances (exact W1 by network simplex) and held-out "
        "accuracy."),
    ROW("eval.w1", B, 0, 0, 0, NULL, "true", 0, 0, 0, 0,
        "Exact W1 between generated and fresh real samples."),
    ROW("eval.floor", B, 0, 0, 0, NULL, "true", 0, 0, 0, 0,
        "Also W1 between two independent real samples: the noise floor at n (O12)."),
    ROW("eval.divergence", E, 0, 0, 0, "exact|knn|none", "\"exact\"", SW, 0, 0, 0,
        "JS and KL: exact (closed forms or quadrature only, where both densities are known), "
        "knn (also the Wang-Kulkarni-Verdu estimators on the samples), or none."),
    ROW("eval.knn_k", I, 1, 1000, 0, NULL, "5", SW, 0, 0, 0, "k of the kNN estimators."),
    ROW("eval.modes", B, 0, 0, 0, NULL, "false", 0, 0, 0, 0,
        "Mode metrics of C45 (modes captured, high-quality fraction, reverse KL)."),
    ROW("eval.n_modes", I, 1, 1e7, 0, NULL, "2500", SZ, 0, 0, 0,
        "Generated samples for the mode metrics (2500: C45)."),
    ROW("eval.classifier", B, 0, 0, 0, NULL, "true", SZ, 0, 0, 0,
        "MNIST (train): the classifier scores of the eval.n generated images (classes covered, "
        "KL of the class histogram from uniform, classifier score, Frechet distance in the "
        "classifier's features) and the real-data reference of each. The classifier is the "
        "project's (eval/classifier.h), cached at $GR_MNIST_CLASSIFIER or "
        "MNIST_DIR/classifier_<pixels>.h5, trained there when missing or when its record does "
        "not match the data (30-90 s). A size: a ci profile may switch it off."),

    /* evaluation, train: claim metrics (harness/train_metrics.h; no defaults: absent unless
     * an experiment sets them, so no run id changes) */
    ROW("eval.estimate_window", I, 1, 1e6, 0, NULL, NULL, SZ, 0, 0, 0,
        "train: average the loss-based estimate over the last this many critic updates (WGAN: "
        "-critic loss without the penalty; GAN family: 1/2 L + log 2) into the series "
        "loss_estimate at every evaluation, and write the metric estimate_w1_spearman "
        "(Spearman rho of loss_estimate with w1 over the evaluations after eval.estimate_after; C24: "
        "100). Unset: neither."),
    ROW("eval.estimate_after", I, 0, BIG, 0, NULL, NULL, SZ, 0, 0, 0,
        "train: only evaluations at steps > this enter estimate_w1_spearman (C24: 1000). "
        "Unset: 0."),
    ROW("eval.w1_target", D, 0, 1e6, LO, NULL, NULL, 0, 0, 0, 0,
        "train: write the metric w1_target_step, the first evaluation step whose w1 is <= this "
        "(inf: never; C39: 0.1). Unset: not written."),
    ROW("eval.save_images", B, 0, 0, 0, NULL, NULL, SZ, 0, 0, 0,
        "train, MNIST: also store the final evaluation's images as float32 datasets "
        "samples/eval_generated, samples/eval_real and samples/eval_real_floor (the three sets "
        "its pixel W1 and floor were solved on, 3 x eval.n x 784 x 4 bytes: 9.4 MB per run at "
        "eval.n = 1000), so results/recompute_w1.py can recompute both. The toys store their "
        "(small) sets always. Unset: false."),
    ROW("eval.spike_window", I, 2, 1e6, 0, NULL, NULL, SZ, 0, 0, 0,
        "train: C25's spike statistics on the rows where w_estimate and cos_d are both recorded "
        "(set probes.losses = probes.cosine): a spike is a value of w_estimate more than 3 "
        "sample SDs below the mean of the previous this many; metrics spikes, neg_cos_spike, "
        "neg_cos_calm, neg_cos_frac_spike, neg_cos_frac_calm. Unset: not written."),

    /* ---- probes (gan/objective.h's gr_gan_probe_config): interval in steps, 0 = off ---- */
    ROW("probes.losses", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Every this many steps (0: off, the same for every interval below): D or critic loss, "
        "generator loss, the critic's W estimate (-critic loss without the penalty), the "
        "penalty, D's accuracy, sigma_t."),
    ROW("probes.gen_grad", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Norms of the generator gradient: of both GAN generator losses (A&B Figs. 2-3) or of "
        "the WGAN one."),
    ROW("probes.layer_grads", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Per-layer norms of the critic loss's gradient w.r.t. each layer's activations (C33)."),
    ROW("probes.weights", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Histogram of the critic's weights and the fraction at +-c (C34)."),
    ROW("probes.surface", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "D's logit or the critic's value on a grid over the data's box (C32)."),
    ROW("probes.cosine", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Cosine between each net's last update and its negative gradient (C25)."),
    ROW("probes.samples", I, 0, BIG, 0, NULL, "0", SZ, 0, 0, 0,
        "Snapshots of probes.n_samples generated samples."),
    ROW("probes.batch", I, 1, 1e6, 0, NULL, "256", SZ, 0, 0, 0,
        "Rows of real and of fake data for gen_grad and layer_grads."),
    ROW("probes.bins", I, 1, 1e5, 0, NULL, "50", 0, 0, 0, 0, "Bins of the weight histogram."),
    ROW("probes.range", D, 0, 1e6, 0, NULL, "0.0", 0, 0, 0, 0,
        "The histogram covers [-range, range]; 0: the clip c (wgan_clip) or 1."),
    ROW("probes.frac_threshold", D, 0, 1, LO, NULL, "0.99", 0, 0, 0, 0,
        "A weight counts as at the clip when |w| >= frac_threshold * c."),
    ROW("probes.grid", I, 2, 4096, 0, NULL, "64", SZ, 0, 0, 0,
        "Surface grid points per axis (gan_toy.py draws 128, C32)."),
    ROW("probes.n_samples", I, 1, 1e7, 0, NULL, "512", SZ, 0, 0, 0,
        "Generated samples per snapshot."),

    /* ---- time estimate (ganrepro list) ---- */
    ROW("estimate.per_run", D, 0, BIG, 0, NULL, "0.0", SZ | META, 0, 0, 0,
        "Declared fixed cost of one run in seconds (set-up, final evaluation)."),
    ROW("estimate.per_unit", D, 0, BIG, 0, NULL, NULL, SZ | META, 0, 0, 0,
        "Declared cost in seconds of one unit of a run: a step (schedule.steps) or a curve "
        "point (curve.points). Unset: ganrepro list prints the time as unknown."),

    /* ---- pass criteria: fields of each element of the list `criteria` ---- */
    ROW("criteria.claim", GR_KEY_CLAIM, 0, 0, 0, NULL, NULL, META, ALL, 0, 0,
        "The claim the criterion decides; one of experiment.claims."),
    ROW("criteria.metric", GR_KEY_IDENT, 0, 0, 0, NULL, NULL, META, ALL, 0, 0,
        "Name of a summary metric the protocol writes for each run."),
    ROW("criteria.condition", E, 0, 0, 0, "<|<=|>|>=|in", NULL, META, ALL, 0, 0,
        "How the metric is compared with the threshold (in: threshold <= value <= threshold_hi)."),
    ROW("criteria.threshold", D, -1e300, 1e300, 0, NULL, NULL, META, 0, 0, 0,
        "The threshold (the lower bound for in). Required, except for over = \"paired\", which "
        "compares two runs' values with each other and takes no threshold."),
    ROW("criteria.threshold_hi", D, -1e300, 1e300, 0, NULL, NULL, META, 0, 0, 0,
        "Upper bound, for condition in only (required there)."),
    ROW("criteria.over", E, 0, 0, 0, "each|mean|median|min|max|count|paired", "\"each\"", META,
        0, 0, 0,
        "How the runs' values are combined before the comparison: each (every run must pass), "
        "their mean, median, min or max, count (at least k runs must pass: \"in >= 4 of 5 "
        "seeds\"), or paired (each run of where is paired with the run of against of the same "
        "seed and settings, and at least k pairs must satisfy \"where's value CONDITION "
        "against's value\": \"faster than clipping in >= 4 of 5 seeds\")."),
    ROW("criteria.k", I, 1, 1e6, 0, NULL, NULL, META, 0, 0, 0,
        "over = \"count\" and \"paired\" only (required there): how many of the selected runs "
        "(pairs) must satisfy the condition. A profile selecting fewer than k runs (forming "
        "fewer than k pairs) FAILs the criterion; restrict it to the profiles that run enough "
        "seeds with where."),
    ROW("criteria.doc", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0,
        "What the criterion checks, in words, for the verdict line."),
    ROW("criteria.where", GR_KEY_STRING, 0, 0, 0, NULL, "\"\"", META, 0, 0, 0,
        "Which runs the criterion judges: \"KEY = VALUE\" conditions joined by \" and \", e.g. "
        "\"curve.samples = \\\"shared_grid\\\" and eval.n = 2000\" (each KEY a key of this "
        "table, VALUE checked like the key's own value); \"\" (the default): every run."),
    ROW("criteria.against", GR_KEY_STRING, 0, 0, 0, NULL, NULL, META, 0, 0, 0,
        "over = \"paired\" only (required there): the runs each run of where is compared with, "
        "in where's syntax. A run of where and a run of against form a pair when they have the "
        "same seed and the same value on every swept key that where and against do not both "
        "set (the method axis counts as set by any method.* key; a method setting's axis is "
        "compared only within one method alternative); each run must have exactly one "
        "partner. Condition \"<\" reads: where's value < its partner's. Two infinite values "
        "of the same sign (e.g. neither run reached a target, +inf) satisfy no condition."),
};

/* Defaults that depend on the preset, the method or the optimizer; the first match wins.
 * presets / methods / optims: bit masks (0: any). */
#define PAPER GR_SCHEMA_PAPER
#define TOY GR_SCHEMA_GAN_TOY
#define CODE GR_SCHEMA_WGAN_CODE
static const struct {
    unsigned presets, methods, optims;
    const char *path, *value;
} method_defaults[] = {
    /* gan_toy.py (C37): He-uniform init and batch 256 for every method; WGAN-GP with
     * Adam(1e-4, 0.5, 0.9) and lambda 0.1; WGAN with TF's RMSProp(5e-5, decay 0.9,
     * eps 1e-10, below); n_critic 5 (CRITIC_ITERS) for both WGANs (the papers' too). */
    {TOY, 0, 0, "method.init", "\"he\""},
    {TOY, 0, 0, "method.batch", "256"},
    {TOY, GP, 0, "method.lambda", "0.1"},
    {TOY, GP, 0, "method.optim_d.beta1", "0.5"},
    {TOY, GP, 0, "method.optim_g.beta1", "0.5"},
    {TOY, CLIP, 0, "method.optim_d.name", "\"rmsprop_tf\""},
    {TOY, CLIP, 0, "method.optim_g.name", "\"rmsprop_tf\""},
    /* the WGAN code (C26): clamp before each critic step, the warm-up on */
    {CODE, CLIP, 0, "method.clip_when", "\"before\""},
    {CODE, CLIP, 0, "method.warmup", "true"},
    /* the papers (CLAIMS §0). GAN: Adam(2e-4, 0.5, 0.999) for both nets, one D step per G
     * step (DCGAN's settings; Goodfellow et al. fix no optimizer; the rows carry beta and
     * n_critic). WGAN Algorithm 1 (C26): RMSProp 5e-5 on both nets, n_critic 5, N(0, 0.02)
     * init (the WGAN code's). WGAN-GP Algorithm 1 (C30): Adam(1e-4, 0, 0.9), n_critic 5. */
    {0, GAN, 0, "method.optim_d.name", "\"adam\""},
    {0, GAN, 0, "method.optim_g.name", "\"adam\""},
    {0, GAN, 0, "method.optim_d.lr", "0.0002"},
    {0, GAN, 0, "method.optim_g.lr", "0.0002"},
    {0, CLIP, 0, "method.optim_d.name", "\"rmsprop\""},
    {0, CLIP, 0, "method.optim_g.name", "\"rmsprop\""},
    {0, CLIP, 0, "method.optim_d.lr", "5e-05"},
    {0, CLIP, 0, "method.optim_g.lr", "5e-05"},
    {PAPER | CODE, CLIP, 0, "method.init", "\"normal\""},
    {0, GP, 0, "method.optim_d.name", "\"adam\""},
    {0, GP, 0, "method.optim_g.name", "\"adam\""},
    {0, GP, 0, "method.optim_d.lr", "0.0001"},
    {0, GP, 0, "method.optim_g.lr", "0.0001"},
    {0, GP, 0, "method.optim_d.beta1", "0.0"},
    {0, GP, 0, "method.optim_g.beta1", "0.0"},
    {0, GP, 0, "method.optim_d.beta2", "0.9"},
    {0, GP, 0, "method.optim_g.beta2", "0.9"},
    {0, WGAN, 0, "method.n_critic", "5"},
    /* TF's RMSProp defaults (decay 0.9, eps 1e-10), whoever picks it */
    {0, 0, GR_SCHEMA_RMSPROP_TF, "method.optim_d.alpha", "0.9"},
    {0, 0, GR_SCHEMA_RMSPROP_TF, "method.optim_g.alpha", "0.9"},
    {0, 0, GR_SCHEMA_RMSPROP_TF, "method.optim_d.eps", "1e-10"},
    {0, 0, GR_SCHEMA_RMSPROP_TF, "method.optim_g.eps", "1e-10"},
};
/* clang-format on */

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

const char *gr_schema_method_default(unsigned preset, unsigned method, unsigned optim,
                                     const char *path) {
    for (size_t i = 0; i < sizeof method_defaults / sizeof method_defaults[0]; i++) {
        if (method_defaults[i].presets && !(method_defaults[i].presets & preset)) continue;
        if (method_defaults[i].methods && !(method_defaults[i].methods & method)) continue;
        if (method_defaults[i].optims && !(method_defaults[i].optims & optim)) continue;
        if (!strcmp(method_defaults[i].path, path)) return method_defaults[i].value;
    }
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
