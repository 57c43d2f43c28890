/* harness/protocol.h — the table of protocols: what a run of each experiment kind does.
 *
 * A protocol is a gr_protocol_fn (harness/results.h): it reads the run's settings through
 * the harness/rundesc.h getters, computes, and writes everything it measured through the
 * run writer (series on the shared step axis, final metrics, samples, probes). It returns
 * GR_OK (the run is "ok"), GR_EDIVERGED ("diverged": a measured outcome) or another status
 * with a message ("failed"; the message is the recorded reason). It never prints.
 *
 * Built in (gr_protocols):
 *   distance_curve — WGAN Example 1, the parallel lines (CLAIMS C19, C20): for theta on the
 *     grid curve.from .. curve.to (curve.points values, both ends included; curve.param
 *     must be data.theta, data.set parallel_lines), the closed forms W1 = |theta|,
 *     JS = log 2 (theta != 0), KL = +inf (recorded as inf, with a 0/1 flag series), or
 *     their smoothed forms when data.sigma > 0; and from eval.n samples of each line (the
 *     real one drawn on GR_STREAM_DATA, the generator's noise z on GR_STREAM_PRIOR, the
 *     same z at every theta; or the shared grid y_i = (i + 1/2)/n when curve.samples is
 *     shared_grid): W1 by the certified LP (distance/ot.h; eval.w1) and the kNN JS and KL
 *     estimates (distance/knn.h, k = eval.knn_k; unless eval.divergence is "none").
 *     Series (step = grid index): theta, w1_exact, js_exact, kl_exact, kl_exact_inf, w1_lp,
 *     w1_lp_excess (w1_lp - w1_exact), js_knn, kl_knn, kl_knn_inf, knn_status (0, or the
 *     estimator's GR_E* status, the estimates then NaN), js_exact_dtheta (dJS/dtheta of the
 *     smoothed closed form, central difference h = 1e-4 sigma; NaN when sigma = 0). Metrics: see
 * docs/RESULTS.md (w1_lp_max_excess_far: the largest excess over the grid points with |theta| >=
 * 0.1). Samples: samples/real (n x 2, P_0) and samples/fake_theta0 (n x 2, the generator's points
 * at theta = 0). objective (harness/proto_objective.c) — CLAIMS C01-C03, C11, C15, C16: for theta
 * on the curve grid (curve.param data.theta), the 1-D pair data.set gauss1d (P_r = N(data.mean,
 *     data.sd^2), P_theta = N(theta, data.gen_sd^2)) or point_mass (delta_0 vs
 *     delta_theta), both smoothed by N(0, data.sigma^2): gan/games.h's gr_game_loc_eval
 *     (C, JS, both KLs, both generator losses and theta-gradients, with error estimates)
 *     against independent references (JS by distance/divergence.h, KL by O1, the
 *     equal-variance gradient by prob/normal.h's O3 derivative, D* by O7), and the
 *     identities as residual series; D* on an x grid under probes/. A game.kind value is
 *     refused (those keys are protocol game's).
 *   game (harness/proto_game.c) — game.kind bilinear (C47: gan/bilinear.h, alternating or
 *     simultaneous, the int64 variant alongside when eta = 1 and the start is integer) or
 *     location / point_mass (C18: gr_game_loc_descend with sigma_t = max(sigma0 (1 - t/T),
 *     sigma_floor)); schedule.steps steps. An infinite loss or a non-finite theta is
 *     "diverged". A curve.points value is refused (those keys are the curve protocols').
 *   Series and metrics of both: docs/RESULTS.md.
 *   frozen_d — A&B 2017 Figs. 1-3 (CLAIMS C07, C09, C10, C13, C46; src/harness/proto_frozen_d.c):
 *     the trainer (gan/trainer.h) with `method` on data.set trains G for frozen.g_steps
 *     generator iterations (0: G as initialised), then freezes G, gives D a fresh
 *     initialisation (gr_gan_trainer_reset_d) and runs schedule.steps iterations with G
 *     frozen (each is method.n_critic D updates: one for the GAN family). For the pair sets
 *     (parallel_lines with data.sigma = 0, gauss1d) G is the exact affine map drawing the
 *     second distribution (the line at data.theta from z ~ U[-1, 1]: G(z) = (theta,
 *     (z + 1)/2); N(theta, sd^2): G(z) = theta + sd z) and frozen.g_steps must be 0; the
 *     other sets need nets.g. Every frozen.every iterations (and at 0, the fresh D) a row:
 *     d_steps (D updates since the reset), accuracy (D's, on probes.batch fresh real and
 *     fake rows of the probe stream), d_acc_train and d_loss (the last update's batch),
 *     g_grad_norm_mm, g_grad_norm_ns (the norms of both GAN generator losses' gradients
 *     w.r.t. G's parameters on a probe batch, whatever the method: the trainer's gen_grad
 *     probe), g_grad_norm_w (WGAN methods). Metrics: docs/RESULTS.md (among them C08's
 *     held-out js_estimate_d = 1/2 L(D) + log 2). MNIST: G and D train on the training
 *     split (harness/proto_gan.h's loader), the final held-out accuracy is on validation
 *     images and fresh generated ones, and g_epochs counts the epochs G saw.
 *   fixed_critic — WGAN-GP Fig. 1 and WGAN Fig. 2 (C23, C28, C31-C34;
 *     src/harness/proto_fixed_critic.c): the critic (or a GAN D) of `method` trained for
 *     schedule.steps updates against a fixed generator (gr_gan_trainer_alloc_fixed; one
 *     trainer iteration = one update: n_critic and the warm-up do not apply): data_plus_noise
 *     (data + N(0, fixed.noise_sd^2 I)), collapse (the data's mixture on its first
 *     fixed.modes modes) or pair (the data set's second distribution: the line at theta,
 *     N(theta, sd^2), delta_theta). Series every fixed.every updates (and the last): d_loss,
 *     w_estimate, penalty, d_acc. At the end (draws on GR_STREAM_EVAL): the estimate
 *     E_r f - E_g f on eval.n rows each, LP-W1 between eval.n fake and eval.n real points,
 *     |grad_x f| on real, fake and interpolates (C31's L99 and efficiency Q), the per-layer
 *     norms of the loss's gradient w.r.t. the pre-activations computed in double (C33),
 *     weight histograms and fractions at the clip (C34), the value surface on a probes.grid
 *     grid over [-fixed.box, fixed.box]^d (0: the union of both boxes; d = 1 or 2; C32) and,
 *     for a 1-D run, its linear fit and monotonicity and D's saturation (C23), with the exact
 *     D* of a gauss1d pair; for the figures, the final evaluation's real and fake points
 *     (d <= 2), both densities on the surface grid (when the samplers have one) and the
 *     weight histogram's range; for 1-D data C22's critic formula -mean f'(x)
 *     over the fake points (critic_dtheta_fake). Datasets and metrics: docs/RESULTS.md.
 *   train — one GAN training run (harness/proto_train.c): the sampler of data.* (8gaussians,
 *     25gaussians, swissroll, embedded, mnist from $GR_MNIST_DIR or datasets/mnist), the
 *     gr_gan_config of method.* / nets.* / probes.* (docs/EXPERIMENTS.md's mapping), the
 *     gan/trainer.h loop for schedule.steps generator iterations. A series row at every step
 *     where a probe (probes.<name> interval) or an evaluation (eval.every, step 0 when > 0,
 *     and the last step) is due; evaluation on GR_STREAM_EVAL: exact W1 and its noise floor
 *     (eval/w1.h; on the projection for embedded sets, eval/embed.h; in pixel space for
 *     MNIST, eval/pixel_w1.h), C45 mode metrics (eval.modes), MNIST classifier scores
 *     (eval.classifier; the classifier by gr_proto_mnist_classifier) and, for MNIST, D's
 *     value on training vs held-out images (C38). Matrix probes and sample snapshots are datasets
 * named after their step; 2-D data with a density also get probes/data_density and probes/data_box
 * once at the start (the figure's backdrop for the sample scatters). Final metrics and timing
 *     attributes: docs/RESULTS.md "Protocol train". Returns GR_EDIVERGED with the trainer's
 *     message when training produced non-finite values (metrics written, step_reached = the
 *     diverging iteration). With schedule.checkpoint_every > 0 it checkpoints to
 *     gr_results_run_checkpoint_path (trainer state + EVAL stream + every row and dataset
 *     written so far, atomically) and with gr_results_run_resume continues from it,
 *     rewriting those rows first: the resumed run's datasets equal an uninterrupted run's.
 *     Claim metrics (optional keys eval.estimate_window, eval.estimate_after,
 *     eval.w1_target, eval.spike_window; harness/train_metrics.h; CLAIMS C24, C25, C39):
 *     eval.estimate_window adds the series loss_estimate (the critic's loss-based estimate
 *     averaged over the last eval.estimate_window critic updates, at every evaluation; the
 *     ring is in the checkpoint) and the metric estimate_w1_spearman (its rank correlation
 *     with w1 after eval.estimate_after); eval.w1_target the metric w1_target_step;
 *     eval.spike_window the negative-cosine counts inside and outside drops of w_estimate.
 *     docs/RESULTS.md.
 *   preset_check (harness/proto_preset_check.c) — CLAIMS C26, C30, C37: no training beyond a
 *     few critic updates. preset_check.what = method: the run's resolved gr_gan_config
 *     (proto_gan.c, as train / fixed_critic resolve it) for wgan_clip or wgan_gp, every
 *     setting of a fixed list written as cfg_<field> and compared exactly with the values
 *     the source of method.preset states (paper: WGAN / WGAN-GP Algorithm 1; wgan_code:
 *     WGAN main.py; gan_toy: gan_toy.py): dev_<field>, n_differ_source, and the count
 *     against the paper's values (n_differ_paper) and against gan/objective.h's
 *     gr_gan_config_preset (n_differ_objective); then, wgan_clip: schedule.steps critic
 *     updates against data + N(0, I) with n_critic 1 and no warm-up (every update observed),
 *     clip_max_excess = max over updates of max |w| - c (all critic parameters); wgan_gp:
 *     the penalty's parameter gradient (nn/mlp.h double backprop, in double) on a fresh
 *     nets.d critic at 8 interpolates against central differences (h = 1e-6),
 *     gp_grad_fd_rel_err. preset_check.what = toys: the constants of gan_toy.py's data
 *     (data/toys.h) on preset_check.n draws: 8-Gaussian radius and per-mode SD, the
 *     25-Gaussian pool size (read until the cursor wraps), per-centre counts and spacing,
 *     the Swiss roll's curve radius t/7.5. Metrics: docs/RESULTS.md.
 *   fixed_gen (harness/proto_fixed_gen.c) — CLAIMS C29, C45 (O12, O13). fixed_gen.case =
 *     coupling: eval.n points from N((2, 0), 0.3^2 I) and from N(0, 0.5^2 I) (stream DATA),
 *     the optimal assignment (distance/assign.h) against the network simplex and against
 *     the dual LP over the pooled points (distance/kr.h's c-transform of the simplex's
 *     duals: feasibility and value), and the McShane critic's gradient (central
 *     differences) at t = 1/4, 1/2, 3/4 of every coupled segment. collapse: a generator on
 *     the modes fixed_gen.pattern keeps of data.set's mixture (8gaussians: one, opposite,
 *     alternate, adjacent, seven; either: first_k with fixed_gen.k): the certified LP W1
 *     between all means and the kept ones, with the ring's and the grid's closed forms;
 *     eval.n generated points against fresh data with the noise floor (eval/w1.h) against
 *     O13's band; eval.n_modes points through eval/modes.h against the exact expectations
 *     (captured k, HQ fraction P(chi2_d < 9), reverse KL log(K/k) plus a G-tested excess).
 *     Both write metrics only (no series). A ring pattern on another set fails the run.
 *   oracle (harness/proto_oracle.c) — exact and Monte-Carlo oracles, one per oracle.kind,
 *     each reading only its own oracle.* keys (no defaults; a missing one fails the run):
 *     function_space (C04: GAN Prop. 2, mirror descent on p_g on a 241-point grid, TV and
 *     C + log 4 per step), local_pca (C06: lambda_3 / lambda_1 of k-NN neighbourhoods of a
 *     random He-normal ReLU net's image, nets.g, and of an N(0, I) control;
 *     distance/localpca.h), cauchy (C12: -J r / eps draws, KS tests against Cauchy(0, |J|
 *     s_r / s_eps) by prob/kolmogorov.h, the variance ratio, a Gaussian control),
 *     smoothed_segment (C14: O9 by quadrature, and a 2-D histogram against O9's exact bin
 *     masses), noise_bound (C17: A&B's bound on a theta grid with uniform noise; 1-D W1 of
 *     X vs X + eps), topology (C21: W, TV, JS, KL of N(0, 1) vs N(theta, 1) and of the
 *     lines as theta -> 0), critic_formula (C22: the analytic f*'s -E d/dtheta f*(theta +
 *     z) = sign theta). Series and metrics: docs/RESULTS.md "Protocol oracle".
 */
#ifndef GR_HARNESS_PROTOCOL_H
#define GR_HARNESS_PROTOCOL_H

#include "harness/results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_protocol {
    const char *name;
    const char *summary; /* one line */
    gr_protocol_fn run;
} gr_protocol;

/* The built-in protocols, terminated by a row with name == NULL. */
extern const gr_protocol gr_protocols[];

/* The row of `table` (NULL: gr_protocols) named `name`, or NULL. Cannot fail. */
const gr_protocol *gr_protocol_find(const gr_protocol *table, const char *name);

/* A checkpointing protocol's check of the checkpoint at `path` for `run`: everything a
 * resume would read is read and verified (readable HDF5, format and version, the run id,
 * every checksum, the shapes the run expects), nothing is written, nothing else is
 * computed. GR_OK, or GR_EFORMAT / GR_EMISMATCH / GR_EIO with a message naming what was
 * expected (not prefixed with the path). The runner calls it for --resume before any run
 * starts (harness/runner.h). */
typedef int (*gr_protocol_check_fn)(const gr_run_desc *run, const char *path, gr_error *err);

/* The checkpoint check of protocol p (matched by its run function, so a caller's table
 * that reuses a built-in protocol gets its check), or NULL: p keeps no checkpoints. */
gr_protocol_check_fn gr_protocol_checkpoint_check(const gr_protocol *p);

int gr_protocol_distance_curve(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_objective(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_game(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_frozen_d(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_fixed_critic(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_train(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_train_check_checkpoint(const gr_run_desc *run, const char *path, gr_error *err);
int gr_protocol_preset_check(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_fixed_gen(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_oracle(const gr_run_desc *run, gr_results_run *w, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
