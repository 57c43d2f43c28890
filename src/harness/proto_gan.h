/* harness/proto_gan.h — what the GAN protocols (train, frozen_d, fixed_critic) share: the
 * trainer's configuration and the data sampler built from a run's settings (one builder
 * of each for every protocol).
 *
 * gr_proto_gan_config maps the method keys onto gan/objective.h's gr_gan_config exactly as
 * docs/EXPERIMENTS.md "Methods and their defaults" lists them (name -> method, init ->
 * g_init and d_init, batch, n_critic, real -> real_mode, g_reuse_fake, the gan_in, wgan_clip
 * and wgan_gp settings, optim_d.* / optim_g.*), nets.d -> d_spec, nets.g -> g_spec (when the
 * run has it; otherwise the preset's G on x_dim), nets.prior -> prior. A key is read only
 * when the schema says it applies to the run's method (and optimizer), so every value read
 * is the plan's resolved one (defaults included); fields without a key keep
 * gr_gan_config_preset(method.preset)'s value. Probes are off (the protocols drive them).
 *
 * gr_proto_data_alloc builds the real distribution of data.set (and, for the sets that are
 * a pair, its second distribution): parallel_lines (the line x = 0 / x = data.theta, both
 * smoothed by data.sigma), gauss1d (N(data.mean, data.sd^2) / N(data.theta, data.sd^2)),
 * point_mass (delta_0 / delta_theta), segment ({0} x [0, 1]), 8gaussians, 25gaussians (the
 * pool drawn from the run's seed), swissroll, embedded (data.embed_base in R^data.dim with
 * off-manifold SD data.tau, the embedding drawn from the run's seed; a segment base is
 * {0} x [0, 1] too). mnist needs the loaded training split: gr_proto_data_alloc_mnist
 * (gr_proto_data_alloc refuses it).
 */
#ifndef GR_HARNESS_PROTO_GAN_H
#define GR_HARNESS_PROTO_GAN_H

#include "core/error.h"
#include "data/mnist.h"
#include "data/sampler.h"
#include "eval/classifier.h"
#include "gan/objective.h"
#include "harness/rundesc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The trainer's configuration of `run` for data of dimension x_dim. GR_EINVAL with the key
 * named when a setting is missing or malformed. Not validated here (gr_gan_trainer_alloc
 * validates; a protocol that adds fields, e.g. train's steps and probes, validates them). */
int gr_proto_gan_config(const gr_run_desc *run, size_t x_dim, gr_gan_config *cfg, gr_error *err);

/* A fresh sampler of the run's real distribution into *real and, when `second` is not
 * NULL, of its second distribution (only for parallel_lines, gauss1d, point_mass; NULL for
 * the others). Two calls give independent samplers of the same laws (a protocol that needs
 * the data twice, e.g. for a fixed generator that takes its inner sampler, calls it twice).
 * On error both are NULL. */
int gr_proto_data_alloc(const gr_run_desc *run, gr_sampler **real, gr_sampler **second,
                        gr_error *err);

/* As gr_proto_data_alloc, and for data.set "mnist" a sampler over `mnist_train` (the
 * training split of gr_proto_mnist_load; borrowed, it must outlive the sampler) or, when
 * data.subset > 0, over its seeded subset of that many images (drawn from the run's seed,
 * owned by the sampler; GR_EINVAL when the split has fewer). mnist_train NULL: mnist is
 * refused. mnist has no second distribution. */
int gr_proto_data_alloc_mnist(const gr_run_desc *run, const gr_mnist *mnist_train,
                              gr_sampler **real, gr_sampler **second, gr_error *err);

/* Where the MNIST files are: $GR_MNIST_DIR, else datasets/mnist (relative to the working
 * directory: `make experiments` runs from the checkout's root). */
const char *gr_proto_mnist_dir(void);

/* The three MNIST splits in data.pixels' range from gr_proto_mnist_dir(). On error all
 * three are NULL. */
int gr_proto_mnist_load(const gr_run_desc *run, gr_mnist **train, gr_mnist **valid, gr_mnist **test,
                        gr_error *err);

/* The same for a pixel scale given directly (the `classifier` command has no run). */
int gr_proto_mnist_load_scale(gr_mnist_scale scale, gr_mnist **train, gr_mnist **valid,
                              gr_mnist **test, gr_error *err);

/* Where the MNIST classifier of a pixel scale is cached: $GR_MNIST_CLASSIFIER when set, else
 * <gr_proto_mnist_dir()>/classifier_unit.h5 or classifier_symmetric.h5 (one per pixel scale:
 * a classifier sees images as the generator makes them). Truncated to size. */
void gr_proto_mnist_classifier_path(gr_mnist_scale scale, char *buf, size_t size);

/* The project's MNIST classifier (eval/classifier.h, gr_classifier_settings_mnist()) for the
 * three splits of gr_proto_mnist_load (all in the same scale), predicting up to max_batch
 * rows: loaded from gr_proto_mnist_classifier_path() when its record matches the splits and
 * the settings, else trained on train (epoch chosen on valid, accuracy measured on test) and
 * saved there (gr_classifier_obtain). Concurrent callers (parallel workers) serialise on
 * PATH.lock (flock), so it is trained once, by the first; the others load its file.
 * progress (may be NULL) is called after every training epoch. *source says how it was got.
 * *out = NULL on error (the message names the cache path). */
int gr_proto_mnist_classifier(gr_classifier **out, const gr_mnist *train, const gr_mnist *valid,
                              const gr_mnist *test, size_t max_batch,
                              gr_classifier_progress_fn progress, void *ctx,
                              gr_classifier_source *source, gr_error *err);

/* 1 if `key` has a value in `run` (a rundesc getter succeeds), 0 otherwise. */
int gr_proto_has(const gr_run_desc *run, const char *key);

#ifdef __cplusplus
}
#endif

#endif
