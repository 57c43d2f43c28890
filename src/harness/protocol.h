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
 *     estimator's GR_E* status, the estimates then NaN). Metrics: see docs/RESULTS.md
 *     (w1_lp_max_excess_far: the largest excess over the grid points with |theta| >= 0.1).
 *     Samples: samples/real (n x 2, P_0) and samples/fake_theta0 (n x 2, the generator's
 *     points at theta = 0).
 *   train — one GAN training run (harness/proto_train.c): the sampler of data.* (8gaussians,
 *     25gaussians, swissroll, embedded, mnist from $GR_MNIST_DIR or datasets/mnist), the
 *     gr_gan_config of method.* / nets.* / probes.* (docs/EXPERIMENTS.md's mapping), the
 *     gan/trainer.h loop for schedule.steps generator iterations. A series row at every step
 *     where a probe (probes.<name> interval) or an evaluation (eval.every, step 0 when > 0,
 *     and the last step) is due; evaluation on GR_STREAM_EVAL: exact W1 and its noise floor
 *     (eval/w1.h; on the projection for embedded sets, eval/embed.h; in pixel space for
 *     MNIST, eval/pixel_w1.h), C45 mode metrics (eval.modes), MNIST classifier scores
 *     (eval.classifier). Matrix probes and sample snapshots are datasets named after their
 *     step. Final metrics and timing attributes: docs/RESULTS.md "Protocol train". Returns
 *     GR_EDIVERGED with the trainer's message when training produced non-finite values
 *     (metrics written, step_reached = the diverging iteration). With
 *     schedule.checkpoint_every > 0 it checkpoints to gr_results_run_checkpoint_path
 *     (trainer state + EVAL stream + every row and dataset written so far, atomically) and
 *     with gr_results_run_resume continues from it, rewriting those rows first: the resumed
 *     run's datasets equal an uninterrupted run's.
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

int gr_protocol_distance_curve(const gr_run_desc *run, gr_results_run *w, gr_error *err);
int gr_protocol_train(const gr_run_desc *run, gr_results_run *w, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
