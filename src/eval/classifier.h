/* eval/classifier.h — the MNIST classifier the project trains itself (issue 13 item 5,
 * CLAIMS.md's MNIST paragraph): an MLP on flattened images with a softmax output, trained
 * by minibatch Adam on softmax cross-entropy (nn/loss.h), the epoch kept by validation
 * accuracy; its predicted class probabilities and penultimate-layer features feed the
 * image scores of eval/scores.h; it is cached as a checkpoint with a record of what made
 * it, and a cached one whose record does not match what is asked is refused.
 *
 * Data are plain arrays (gr_classifier_data): n images of in_dim floats, row-major, and n
 * labels < out_dim, with a checksum string naming the data (the provenance gr_mnist gives;
 * any string up to GR_CLASSIFIER_CHECKSUM_MAX - 1 bytes). The classifier never reads files
 * of data itself, so it trains on any labelled set (the tests use a synthetic fixture).
 *
 * Training (gr_classifier_train), deterministic from settings.seed for one build and one
 * BLAS thread count: one generator on stream GR_STREAM_CLASSIFIER (core/rng.h) draws the
 * initial parameters (settings.init, nn/mlp.h draw order), then, epoch by epoch, a
 * Fisher-Yates permutation of the training rows (gsl_rng_uniform_int, from the last row
 * down); the rows are visited in that order in batches of settings.batch (the last batch of
 * an epoch may be smaller). Each batch: forward, gr_loss_softmax_ce, backward, one
 * optimizer step. After each epoch the learning rate is multiplied by settings.lr_decay
 * (lr of epoch e, 0-based: lr * lr_decay^e), the validation accuracy and mean cross-entropy
 * are measured and, if the accuracy is above every earlier epoch's, or equal to the best
 * with a lower cross-entropy, the parameters are kept as the best. The trained
 * classifier holds the best epoch's parameters (so the validation set selects the epoch,
 * nothing else); the test set, if given, is only measured, once, at the end. Nothing is
 * allocated inside a training step (buffers sized when training starts).
 *
 * Prediction. The net's layers split into a feature part (all but the last affine layer:
 * in_dim -> ... -> the last hidden width, with its hidden activation) and a linear head;
 * the features are the penultimate layer's activations h_{L-1} (the Frechet distance of
 * eval/scores.h is taken in them), the class probabilities softmax of the head's logits,
 * computed in double from the float logits.
 *
 * Cache file (gr_classifier_save / _load), format "ganrepro-classifier" version 1, HDF5:
 *   /              attrs format, format_version (int32), the record below, record_checksum
 *   /checkpoint    an io/checkpoint.h checkpoint (gr_checkpoint_write_group) of one net
 *                  "classifier" (arch string, float32 parameters, its own checksums and the
 *                  saving build's provenance), step = optimizer steps taken in training
 * record attrs: arch (string), init (string), optim_kind (string), lr, weight_decay,
 *   momentum, dampening, alpha, beta1, beta2, eps, lr_decay (float64), nesterov, centered
 *   (int32), batch, epochs, seed (uint64), {train,valid,test}_checksum (string),
 *   n_{train,valid,test}, best_epoch (1-based), steps (uint64), train_loss, valid_loss,
 * valid_accuracy, test_accuracy, train_seconds (float64; test_accuracy NaN and test_checksum ""
 * when no test set was measured). record_checksum is "sha256:..." (io/digest.h) of every record
 * field in that order, so a damaged record is refused (GR_EFORMAT) before it is compared. The file
 * is written atomically (io/atomic.h). It is not byte-reproducible across runs: train_seconds is a
 * measurement.
 */
#ifndef GR_EVAL_CLASSIFIER_H
#define GR_EVAL_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "nn/mlp.h"
#include "nn/optim.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_CLASSIFIER_FORMAT  "ganrepro-classifier"
#define GR_CLASSIFIER_VERSION 1
#define GR_CLASSIFIER_CHECKSUM_MAX                                                                 \
    1024 /* bytes of a data checksum string, NUL included (gr_mnist.source fits) */
#define GR_CLASSIFIER_ARCH_MAX 512 /* bytes of an architecture string, NUL included */

/* How the classifier is built and trained. A value type. */
typedef struct gr_classifier_settings {
    gr_mlp_spec spec;      /* >= 1 hidden layer; out_dim = number of classes, 2..256;
                              out_act must be GR_ACT_IDENTITY (logits) */
    gr_init init;          /* parameter initialiser */
    gr_optim_config optim; /* any kind of nn/optim.h */
    double lr_decay;       /* per-epoch lr factor, in (0, 1] */
    size_t batch;          /* minibatch rows, >= 1 */
    size_t epochs;         /* >= 1 */
    uint64_t seed;         /* generator seed (stream GR_STREAM_CLASSIFIER) */
} gr_classifier_settings;

/* The MNIST defaults: 784-512relu-512relu-10linear, torch init, Adam (lr 1e-3, betas 0.9,
 * 0.999, eps 1e-8), lr_decay 0.75, batch 64, 12 epochs, seed 1. Measured with one OpenBLAS
 * thread (tests/eval/test_classifier_mnist.c): seed 1 98.44 % test accuracy (best epoch 10),
 * seeds 2 and 3 98.37 % and 98.41 %; 31 to 90 s of training on the shared 2-core machine
 * (Cooper Lake kernels), depending on its load. Cannot fail. */
gr_classifier_settings gr_classifier_settings_mnist(void);

/* Check settings (the spec by gr_mlp_spec_validate, the optimizer by
 * gr_optim_config_validate, and the constraints above). GR_EINVAL naming the field. */
int gr_classifier_settings_validate(const gr_classifier_settings *s, gr_error *err);

/* A labelled data set: x is n x in_dim floats, y n labels; checksum names the data (a
 * NUL-terminated string of at most GR_CLASSIFIER_CHECKSUM_MAX - 1 bytes; "" is refused). */
typedef struct gr_classifier_data {
    const float *x;
    const unsigned char *y;
    size_t n;
    const char *checksum;
} gr_classifier_data;

/* What made a trained classifier and how well it did: the cache file's record. */
typedef struct gr_classifier_record {
    char train_checksum[GR_CLASSIFIER_CHECKSUM_MAX];
    char valid_checksum[GR_CLASSIFIER_CHECKSUM_MAX];
    char test_checksum[GR_CLASSIFIER_CHECKSUM_MAX]; /* "" if no test set was measured */
    size_t n_train, n_valid, n_test;
    size_t best_epoch;     /* 1-based epoch whose parameters are kept */
    size_t steps;          /* optimizer steps taken */
    double train_loss;     /* mean training loss of the best epoch (over its batches) */
    double valid_loss;     /* mean validation cross-entropy of the best epoch */
    double valid_accuracy; /* of the best epoch, in [0, 1] */
    double test_accuracy;  /* NaN if no test set was measured */
    double train_seconds;  /* wall time of gr_classifier_train */
} gr_classifier_record;

/* One epoch's statistics, given to the progress callback. */
typedef struct gr_classifier_epoch {
    size_t epoch, epochs;  /* 1-based epoch, total */
    double lr;             /* learning rate used in this epoch */
    double train_loss;     /* mean of the batch losses */
    double train_accuracy; /* fraction of training rows classified right during the epoch
                              (by the parameters of the moment, before each step) */
    double valid_accuracy;
    double valid_loss; /* mean cross-entropy on the validation set */
    double seconds;    /* wall seconds since training started */
} gr_classifier_epoch;

/* Called after every epoch. A nonzero return stops training: gr_classifier_train then
 * returns that value (use a GR_E* status) and the classifier is left untrained. */
typedef int (*gr_classifier_progress_fn)(const gr_classifier_epoch *e, void *ctx);

typedef struct gr_classifier gr_classifier;

/* A classifier for `settings` (validated), predicting batches of up to max_batch rows
 * (>= 1; training uses its own buffers of settings.batch rows). Untrained: its parameters
 * are zero until gr_classifier_train or gr_classifier_load succeeds. *out = NULL on error. */
int gr_classifier_alloc(gr_classifier **out, const gr_classifier_settings *settings,
                        size_t max_batch, gr_error *err);
void gr_classifier_free(gr_classifier *c); /* NULL is a no-op */

const gr_classifier_settings *gr_classifier_get_settings(const gr_classifier *c);
/* 1 once trained or loaded. */
int gr_classifier_is_trained(const gr_classifier *c);
/* The record of the last successful train or load (zeroed, NaN accuracies, before). */
const gr_classifier_record *gr_classifier_get_record(const gr_classifier *c);
size_t gr_classifier_n_classes(const gr_classifier *c);
size_t gr_classifier_in_dim(const gr_classifier *c);
/* Width of the penultimate layer (the feature dimension). */
size_t gr_classifier_feature_dim(const gr_classifier *c);
/* The architecture string (gr_mlp_spec_describe), e.g. "784-512relu-512relu-10linear". */
const char *gr_classifier_arch(const gr_classifier *c);

/* Train as described at the top on `train`, selecting the epoch on `valid`, then measure
 * accuracy on `test` (may be NULL). progress may be NULL. Dimensions come from the
 * settings; labels must be < n_classes (GR_EINVAL naming the row), images finite (GR_EDOM
 * naming the pixel; non-finite logits during training are GR_EDIVERGED). train->n and valid->n
 * >= 1. On error the classifier is untrained. Allocates its training buffers (permutation, batch,
 * best parameters, optimizer) on entry and frees them on return. */
int gr_classifier_train(gr_classifier *c, const gr_classifier_data *train,
                        const gr_classifier_data *valid, const gr_classifier_data *test,
                        gr_classifier_progress_fn progress, void *ctx, gr_error *err);

/* For n >= 1 rows of x (n x in_dim), in batches of max_batch: probs (n x n_classes, double,
 * rows summing to 1 up to rounding), features (n x feature_dim, float) and labels (argmax,
 * the first on ties); any output may be NULL. GR_EINVAL if untrained, GR_EDOM for a
 * non-finite input (named). Allocates nothing. The values are deterministic for a given
 * max_batch; another max_batch may change their last bits (OpenBLAS chooses sgemm kernels
 * by matrix size). Accuracies (train, gr_classifier_accuracy) are computed in chunks of
 * settings.batch rows, so they do not depend on max_batch. */
int gr_classifier_predict(gr_classifier *c, double *probs, float *features, unsigned char *labels,
                          const float *x, size_t n, gr_error *err);

/* Fraction of rows of `data` whose argmax equals the label (the whole net, in chunks of
 * settings.batch rows, as training measures it). Allocates nothing. */
int gr_classifier_accuracy(gr_classifier *c, const gr_classifier_data *data, double *accuracy,
                           gr_error *err);

/* Write the trained classifier and its record to `path` (format above), atomically.
 * GR_EINVAL if untrained; GR_EIO on write failures. */
int gr_classifier_save(const gr_classifier *c, const char *path, gr_error *err);

/* Load a cached classifier from `path` if its record matches what is asked: the
 * classifier's settings (architecture, init, optimizer kind and every hyperparameter,
 * lr_decay, batch, epochs, seed: floats compared bit for bit) and, for each of train,
 * valid, test that is not NULL, the data's checksum and n (x and y are not read). Returns
 *   GR_OK        loaded: parameters and record replaced;
 *   GR_EIO       no such file, or it cannot be read;
 *   GR_EFORMAT   not a classifier file of this version, damaged (a checksum differs);
 *   GR_EMISMATCH the file is sound but was made differently: the message names the first
 *                field that differs, with both values. The caller retrains.
 * On any error the classifier is left as it was. */
int gr_classifier_load(gr_classifier *c, const char *path, const gr_classifier_data *train,
                       const gr_classifier_data *valid, const gr_classifier_data *test,
                       gr_error *err);

/* How gr_classifier_obtain got its classifier. */
typedef enum gr_classifier_source {
    GR_CLASSIFIER_LOADED = 0,      /* the cache matched */
    GR_CLASSIFIER_TRAINED_NEW = 1, /* no cache file: trained and saved */
    GR_CLASSIFIER_RETRAINED = 2,   /* cache record did not match (GR_EMISMATCH): retrained,
                                      the file replaced */
    GR_CLASSIFIER_REPLACED_BAD = 3 /* cache unreadable as a classifier (GR_EFORMAT):
                                      retrained, the file replaced */
} gr_classifier_source;

/* Load from `path` (train, valid, test all compared; test may be NULL), or train and save
 * when the file is missing, mismatched or damaged. *source (may be NULL) says which; when
 * retraining, *why (may be NULL) receives the load's message. Errors: those of train and
 * save; a GR_EIO from loading an existing but unreadable file is returned, not retrained. */
int gr_classifier_obtain(gr_classifier *c, const char *path, const gr_classifier_data *train,
                         const gr_classifier_data *valid, const gr_classifier_data *test,
                         gr_classifier_progress_fn progress, void *ctx,
                         gr_classifier_source *source, gr_error *why, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
