/* harness/proto_train.c — the `train` protocol: one GAN training run of gan/trainer.h on a
 * data set of data/, probes as series, periodic evaluation (eval/), checkpoints for
 * --resume; contracts in harness/protocol.h, the user's description in docs/RESULTS.md
 * ("The train protocol"). */
#include <fcntl.h>
#include <gsl/gsl_randist.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/rng.h"
#include "core/timer.h"
#include "data/embed.h"
#include "data/lines.h"
#include "data/mnist.h"
#include "data/toys.h"
#include "eval/embed.h"
#include "eval/modes.h"
#include "eval/pixel_w1.h"
#include "eval/scores.h"
#include "eval/w1.h"
#include "gan/trainer.h"
#include "harness/protocol.h"
#include "io/atomic.h"
#include "io/gan_checkpoint.h"
#include "io/h5.h"
#include "io/h5io.h"

#define TR_CKPT_FORMAT  "ganrepro-train-checkpoint"
#define TR_CKPT_VERSION 1
#define TR_MAX_COLS     96
#define TR_NAME_MAX     64

/* gr_error_prefix only on failure (a GR_OK status leaves err alone). */
#define PFX(err, st, ...) ((st) == GR_OK ? GR_OK : gr_error_prefix((err), (st), __VA_ARGS__))

typedef enum { SET_GAUSS8, SET_GAUSS25, SET_SWISSROLL, SET_EMBEDDED, SET_MNIST } tr_set;

/* A matrix probe or sample snapshot already written: kept for the checkpoint. */
typedef struct tr_dset {
    char group[16], name[TR_NAME_MAX];
    size_t dims[2];
    double *data;
} tr_dset;

typedef struct tr {
    const gr_run_desc *run;
    gr_results_run *w;
    gr_gan_config cfg;
    tr_set set;
    size_t xd, steps, ckpt_every, eval_every, eval_n, n_modes;
    int do_w1, do_floor, do_modes;
    gr_sampler *data, *eval_data;
    gr_gan_trainer *t;
    /* series: names, the row being filled, what was set in it */
    const char *cols[TR_MAX_COLS];
    char layer_names[GR_MLP_MAX_HIDDEN + 1][TR_NAME_MAX];
    size_t ncols, c_layer0, n_layers;
    int c_w1, c_floor, c_modes, c_hq, c_rkl, c_resid, c_cov, c_ckl, c_score, c_fd;
    double row[TR_MAX_COLS];
    int row_used;
    uint64_t cur_step;
    /* what has been written (for the checkpoint): rows of 1 + ncols doubles, datasets */
    double *log;
    size_t log_rows, log_cap;
    tr_dset *ds;
    size_t n_ds, cap_ds;
    /* evaluation */
    gsl_rng *erng;
    gr_mlp *eg;
    size_t eg_rows;
    float *ez, *ex;
    double *exd;
    gr_eval_w1 *w1;
    gr_eval_embed *emb;
    size_t *hq;
    size_t n_evals;
    gr_eval_w1_result last_w1;
    gr_eval_modes_result last_modes;
    int has_last_w1, has_last_modes;
    double last_resid;
    /* MNIST: the training split (the classifier's too), the held-out sets, the classifier */
    gr_mnist *mn_train, *mn_valid, *mn_test;
    int do_classifier;
    gr_pixel_w1 *pw1;
    gr_pixel_w1_value last_pw1, last_pfloor;
    gr_classifier *clf;
    gr_image_eval *ie;
    gr_image_scores last_scores, real_scores;
    int has_scores, clf_source;
    /* timing (run-group attributes, never datasets) */
    double t_train, t_eval, t_probe;
    uint64_t resumed_from; /* the checkpoint's step, 0 when the run started afresh */
} tr;

/* ---- settings ---------------------------------------------------------------------------- */

static int get_u64(const gr_run_desc *run, const char *key, uint64_t *v, gr_error *err) {
    size_t s;
    GR_TRY(gr_rundesc_get_size(run, key, &s, err));
    *v = (uint64_t)s;
    return GR_OK;
}

static int read_optim(const gr_run_desc *run, const char *p, gr_optim_config *o, gr_error *err) {
    char k[96];
    const char *name;
    snprintf(k, sizeof k, "%s.name", p);
    GR_TRY(gr_rundesc_get_str(run, k, &name, err));
    gr_optim_kind kind;
    GR_TRY(gr_optim_kind_parse(&kind, name, err));
    *o = gr_optim_config_default(kind);
#define F(field, key)                                                                              \
    do {                                                                                           \
        snprintf(k, sizeof k, "%s." key, p);                                                       \
        GR_TRY(gr_rundesc_get_f64(run, k, &o->field, err));                                        \
    } while (0)
#define BOOL(field, key)                                                                           \
    do {                                                                                           \
        snprintf(k, sizeof k, "%s." key, p);                                                       \
        GR_TRY(gr_rundesc_get_bool(run, k, &o->field, err));                                       \
    } while (0)
    F(lr, "lr");
    int adam = kind == GR_OPTIM_ADAM || kind == GR_OPTIM_ADAM_TF;
    int rms = kind == GR_OPTIM_RMSPROP || kind == GR_OPTIM_RMSPROP_TF;
    if (adam) {
        F(beta1, "beta1");
        F(beta2, "beta2");
    }
    if (adam || rms) F(eps, "eps");
    if (rms) {
        F(alpha, "alpha");
        BOOL(centered, "centered");
    }
    if (rms || kind == GR_OPTIM_SGD) F(momentum, "momentum");
    if (kind == GR_OPTIM_SGD) {
        F(dampening, "dampening");
        BOOL(nesterov, "nesterov");
    }
    if (kind == GR_OPTIM_SGD || kind == GR_OPTIM_ADAM || kind == GR_OPTIM_RMSPROP)
        F(weight_decay, "weight_decay");
#undef F
#undef BOOL
    return GR_OK;
}

static int enum_of(const char *setting, const gr_run_desc *run, const char *key, int *v,
                   gr_error *err) {
    const char *s;
    GR_TRY(gr_rundesc_get_str(run, key, &s, err));
    return gr_gan_setting_enum_parse(setting, s, v, err);
}

/* The gr_gan_config of the run from method.*, nets.*, schedule.steps and probes.*
 * (docs/EXPERIMENTS.md "Methods and their defaults" gives the mapping). */
static int read_config(tr *r, gr_error *err) {
    const gr_run_desc *run = r->run;
    const char *s;
    GR_TRY(gr_rundesc_get_str(run, "method.name", &s, err));
    gr_gan_method m;
    GR_TRY(gr_gan_method_parse(&m, s, err));
    gr_gan_config c = gr_gan_config_default(m, r->xd);
    const char *ga, *da;
    GR_TRY(gr_rundesc_get_str(run, "nets.g", &ga, err));
    GR_TRY(gr_rundesc_get_str(run, "nets.d", &da, err));
    GR_TRY(PFX(err, gr_mlp_spec_parse(&c.g_spec, ga, err), "nets.g: "));
    GR_TRY(PFX(err, gr_mlp_spec_parse(&c.d_spec, da, err), "nets.d: "));
    int v;
    GR_TRY(enum_of("prior", run, "nets.prior", &v, err));
    c.prior = (gr_gan_prior)v;
    GR_TRY(enum_of("g_init", run, "method.init", &v, err));
    c.g_init = c.d_init = (gr_init)v;
    GR_TRY(gr_rundesc_get_size(run, "method.batch", &c.batch, err));
    GR_TRY(gr_rundesc_get_size(run, "method.n_critic", &c.n_critic, err));
    GR_TRY(enum_of("real_mode", run, "method.real", &v, err));
    c.real_mode = (gr_gan_real_mode)v;
    GR_TRY(gr_rundesc_get_bool(run, "method.g_reuse_fake", &c.g_reuse_fake, err));
    GR_TRY(read_optim(run, "method.optim_d", &c.d_optim, err));
    GR_TRY(read_optim(run, "method.optim_g", &c.g_optim, err));
    if (m == GR_GAN_IN) {
        GR_TRY(enum_of("g_loss", run, "method.g_loss", &v, err));
        c.g_loss = (gr_gan_gloss)v;
        GR_TRY(gr_rundesc_get_bool(run, "method.g_sees_noise", &c.g_sees_noise, err));
        GR_TRY(gr_rundesc_get_f64(run, "method.sigma0", &c.sigma.sigma0, err));
        GR_TRY(enum_of("sigma_kind", run, "method.sigma_schedule", &v, err));
        c.sigma.kind = (gr_gan_sigma_kind)v;
        GR_TRY(get_u64(run, "method.sigma_end", &c.sigma.t_end, err));
        GR_TRY(gr_rundesc_get_f64(run, "method.sigma_rate", &c.sigma.rate, err));
    }
    if (m == GR_WGAN_CLIP) {
        GR_TRY(gr_rundesc_get_f64(run, "method.clip", &c.clip, err));
        GR_TRY(enum_of("clip_timing", run, "method.clip_when", &v, err));
        c.clip_timing = (gr_gan_clip_timing)v;
        GR_TRY(gr_rundesc_get_bool(run, "method.warmup", &c.warmup, err));
        GR_TRY(gr_rundesc_get_size(run, "method.warmup_iters", &c.warmup_iters, err));
        GR_TRY(get_u64(run, "method.warmup_first", &c.warmup_first, err));
        GR_TRY(get_u64(run, "method.warmup_every", &c.warmup_every, err));
    }
    if (m == GR_WGAN_GP) {
        GR_TRY(gr_rundesc_get_f64(run, "method.lambda", &c.gp_lambda, err));
        GR_TRY(gr_rundesc_get_bool(run, "method.one_sided", &c.gp_one_sided, err));
    }
    GR_TRY(get_u64(run, "schedule.steps", &c.n_iters, err));
    gr_gan_probe_config *p = &c.probe;
    GR_TRY(get_u64(run, "probes.losses", &p->every_losses, err));
    GR_TRY(get_u64(run, "probes.gen_grad", &p->every_gen_grad, err));
    GR_TRY(get_u64(run, "probes.layer_grads", &p->every_layer_grads, err));
    GR_TRY(get_u64(run, "probes.weights", &p->every_weights, err));
    GR_TRY(get_u64(run, "probes.surface", &p->every_surface, err));
    GR_TRY(get_u64(run, "probes.cosine", &p->every_cosine, err));
    GR_TRY(get_u64(run, "probes.samples", &p->every_samples, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.batch", &p->probe_batch, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.bins", &p->hist_bins, err));
    GR_TRY(gr_rundesc_get_f64(run, "probes.range", &p->hist_range, err));
    GR_TRY(gr_rundesc_get_f64(run, "probes.frac_threshold", &p->frac_threshold, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.grid", &p->grid_n, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.n_samples", &p->n_samples, err));
    GR_TRY(PFX(err, gr_gan_config_validate(&c, err), "train: "));
    r->cfg = c;
    r->steps = (size_t)c.n_iters;
    return GR_OK;
}

/* Where the MNIST files are: $GR_MNIST_DIR, else datasets/mnist (relative to the working
 * directory: `make experiments` runs from the checkout's root). */
static const char *mnist_dir(void) {
    const char *d = getenv("GR_MNIST_DIR");
    return d && *d ? d : "datasets/mnist";
}

/* MNIST: the training sampler over the 50 000-image training split (or its seeded subset
 * of data.subset images); the held-out validation and test splits are loaded once (the
 * second call, for the evaluation sampler, makes nothing: evaluation reads the splits). */
static int make_mnist(tr *r, gr_sampler **out, gr_error *err) {
    const char *px;
    GR_TRY(gr_rundesc_get_str(r->run, "data.pixels", &px, err));
    gr_mnist_scale scale = strcmp(px, "symmetric") ? GR_MNIST_UNIT : GR_MNIST_SYMMETRIC;
    size_t subset;
    GR_TRY(gr_rundesc_get_size(r->run, "data.subset", &subset, err));
    const char *dir = mnist_dir();
    if (!r->mn_train) {
        GR_TRY(gr_mnist_load(&r->mn_train, dir, GR_MNIST_TRAIN, scale, err));
        GR_TRY(gr_mnist_load(&r->mn_valid, dir, GR_MNIST_VALID, scale, err));
        GR_TRY(gr_mnist_load(&r->mn_test, dir, GR_MNIST_TEST, scale, err));
        if (subset > 0) {
            if (subset > r->mn_train->n)
                return GR_ERROR(err, GR_EINVAL, "train: data.subset = %zu exceeds the %zu images",
                                subset, r->mn_train->n);
            gr_mnist *sub = NULL;
            GR_TRY(gr_mnist_subset(&sub, r->mn_train, subset, r->run->seed, err));
            return gr_data_mnist_sampler_take(out, sub, err);
        }
        return gr_data_mnist_sampler_alloc(out, r->mn_train, err);
    }
    /* the evaluation "sampler": the same training images (never drawn from by evaluation,
     * which reads the held-out splits; kept so every data set has one) */
    return gr_data_mnist_sampler_alloc(out, r->mn_train, err);
}

/* The training sampler and an independent one of the same distribution for evaluation
 * (a stateful sampler's cursor belongs to training: evaluation never moves it). */
static int make_sampler(tr *r, gr_sampler **out, gr_error *err) {
    const gr_run_desc *run = r->run;
    const char *s;
    *out = NULL;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &s, err));
    const char *base = s;
    if (!strcmp(s, "embedded")) {
        r->set = SET_EMBEDDED;
        GR_TRY(gr_rundesc_get_str(run, "data.embed_base", &base, err));
    }
    gr_sampler *inner = NULL;
    int st;
    if (!strcmp(s, "mnist")) {
        r->set = SET_MNIST;
        return make_mnist(r, out, err);
    }
    if (!strcmp(base, "8gaussians")) {
        st = gr_data_gauss8_alloc(&inner, err);
        if (r->set != SET_EMBEDDED) r->set = SET_GAUSS8;
    } else if (!strcmp(base, "25gaussians")) {
        st = gr_data_gauss25_alloc(&inner, run->seed, err);
        if (r->set != SET_EMBEDDED) r->set = SET_GAUSS25;
    } else if (!strcmp(base, "swissroll")) {
        st = gr_data_swissroll_alloc(&inner, err);
        if (r->set != SET_EMBEDDED) r->set = SET_SWISSROLL;
    } else if (!strcmp(base, "segment") && r->set == SET_EMBEDDED) {
        st = gr_data_lines_alloc(&inner, 0.0, 0.0, err); /* {0} x [0, 1] */
    } else {
        return GR_ERROR(err, GR_EINVAL,
                        "train: data.set \"%s\" is not one this protocol trains on (8gaussians, "
                        "25gaussians, swissroll, embedded, mnist)",
                        s);
    }
    GR_TRY(st);
    if (r->set == SET_EMBEDDED) {
        size_t D;
        double tau;
        st = gr_rundesc_get_size(run, "data.dim", &D, err);
        if (st == GR_OK) st = gr_rundesc_get_f64(run, "data.tau", &tau, err);
        if (st != GR_OK) {
            gr_sampler_free(inner);
            return st;
        }
        /* takes inner (freed on failure too) */
        return gr_data_embed_alloc(out, inner, D, run->seed, tau, err);
    }
    *out = inner;
    return GR_OK;
}

/* ---- series and datasets ------------------------------------------------------------------ */

static int add_col(tr *r, const char *name) {
    if (r->ncols >= TR_MAX_COLS) return -1;
    r->cols[r->ncols] = name;
    return (int)r->ncols++;
}

static int col_of(const tr *r, const char *name) {
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->cols[i], name)) return (int)i;
    return -1;
}

/* The series of this run, fixed before the first row from the declared probes and
 * evaluations (a column is NaN at the steps where its probe was not due). */
static void define_cols(tr *r) {
    const gr_gan_probe_config *p = &r->cfg.probe;
    int wgan = gr_gan_method_is_wgan(r->cfg.method);
    if (p->every_losses) {
        static const char *const l[] = {"d_loss",  "g_loss", "w_estimate",
                                        "penalty", "d_acc",  "sigma"};
        for (size_t i = 0; i < 6; i++)
            add_col(r, l[i]);
    }
    if (p->every_gen_grad) {
        if (wgan)
            add_col(r, "g_grad_norm_w");
        else {
            add_col(r, "g_grad_norm_mm");
            add_col(r, "g_grad_norm_ns");
        }
    }
    r->n_layers = r->cfg.d_spec.n_hidden + 1;
    if (p->every_layer_grads) {
        r->c_layer0 = r->ncols;
        for (size_t l = 0; l < r->n_layers; l++) {
            snprintf(r->layer_names[l], TR_NAME_MAX, "d_layer_grad_norm_%zu", l + 1);
            add_col(r, r->layer_names[l]);
        }
    }
    if (p->every_weights) add_col(r, "d_frac_at_clip");
    if (p->every_cosine) {
        add_col(r, "cos_d");
        add_col(r, "cos_g");
    }
    r->c_w1 = r->c_floor = r->c_modes = r->c_hq = r->c_rkl = r->c_resid = -1;
    if (r->do_w1) r->c_w1 = add_col(r, "w1");
    if (r->do_floor) r->c_floor = add_col(r, "w1_floor");
    if (r->do_modes) {
        r->c_modes = add_col(r, "modes_captured");
        r->c_hq = add_col(r, "hq_fraction");
        r->c_rkl = add_col(r, "reverse_kl");
    }
    if (r->set == SET_EMBEDDED) r->c_resid = add_col(r, "resid_mean");
    r->c_cov = r->c_ckl = r->c_score = r->c_fd = -1;
    if (r->do_classifier) {
        r->c_cov = add_col(r, "classes_covered");
        r->c_ckl = add_col(r, "class_kl_uniform");
        r->c_score = add_col(r, "classifier_score");
        r->c_fd = add_col(r, "frechet");
    }
}

static void row_reset(tr *r, uint64_t step) {
    for (size_t i = 0; i < r->ncols; i++)
        r->row[i] = NAN;
    r->row_used = 0;
    r->cur_step = step;
}

static void row_set(tr *r, int c, double v) {
    if (c < 0) return;
    r->row[c] = v;
    r->row_used = 1;
}

/* Write the current row (if anything was set) and keep it for the checkpoint. */
static int row_flush(tr *r, gr_error *err) {
    if (!r->row_used || !r->ncols) return GR_OK;
    if (r->log_rows == r->log_cap) {
        size_t cap = r->log_cap ? 2 * r->log_cap : 64, bytes;
        if (gr_size_mul(cap, r->ncols + 1, &bytes) != GR_OK ||
            gr_size_mul(bytes, sizeof(double), &bytes) != GR_OK)
            return GR_ERROR(err, GR_ENOMEM, "train: series log too large");
        double *p = realloc(r->log, bytes);
        if (!p) return GR_ERROR(err, GR_ENOMEM, "train: series log: out of memory");
        r->log = p;
        r->log_cap = cap;
    }
    double *dst = r->log + r->log_rows * (r->ncols + 1);
    dst[0] = (double)r->cur_step;
    memcpy(dst + 1, r->row, r->ncols * sizeof(double));
    r->log_rows++;
    r->row_used = 0;
    return gr_results_run_series_row(r->w, (int64_t)r->cur_step, r->row, err);
}

/* A fixed-shape dataset: written now and kept for the checkpoint. */
static int dset_add(tr *r, const char *group, const char *name, size_t rows, size_t cols,
                    const double *data, gr_error *err) {
    if (r->n_ds == r->cap_ds) {
        size_t cap = r->cap_ds ? 2 * r->cap_ds : 16;
        tr_dset *p = realloc(r->ds, cap * sizeof *p);
        if (!p) return GR_ERROR(err, GR_ENOMEM, "train: out of memory");
        r->ds = p;
        r->cap_ds = cap;
    }
    size_t n;
    if (gr_size_mul(rows, cols, &n) != GR_OK || n == 0)
        return GR_ERROR(err, GR_EINVAL, "train: dataset %s has a bad shape", name);
    tr_dset *d = &r->ds[r->n_ds];
    memset(d, 0, sizeof *d);
    snprintf(d->group, sizeof d->group, "%s", group);
    snprintf(d->name, sizeof d->name, "%s", name);
    d->dims[0] = rows;
    d->dims[1] = cols;
    d->data = malloc(n * sizeof(double));
    if (!d->data) return GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    memcpy(d->data, data, n * sizeof(double));
    r->n_ds++;
    return gr_results_run_dataset_f64(r->w, group, name, 2, d->dims, data, err);
}

/* The probe sink: scalar probes go to their column, vectors to their columns, matrices
 * (weight histograms, surfaces, sample snapshots) to datasets named after the step. */
static int sink_write(void *ctx, const char *series, uint64_t step, const double *v, size_t n,
                      gr_error *err) {
    tr *r = ctx;
    if (step != r->cur_step)
        return GR_ERROR(err, GR_EINTERNAL, "train: probe at step %" PRIu64 " while at %" PRIu64,
                        step, r->cur_step);
    char name[TR_NAME_MAX];
    if (!strcmp(series, "d_layer_grad_norms")) {
        for (size_t l = 0; l < n && l < r->n_layers; l++)
            row_set(r, (int)(r->c_layer0 + l), v[l]);
        return GR_OK;
    }
    if (!strcmp(series, "samples")) {
        snprintf(name, sizeof name, "step_%" PRIu64, step);
        return dset_add(r, "samples", name, n / r->xd, r->xd, v, err);
    }
    if (!strcmp(series, "d_weight_hist") || !strcmp(series, "d_weight_tails")) {
        snprintf(name, sizeof name, "%s_step_%" PRIu64, series, step);
        return dset_add(r, "probes", name, r->n_layers, n / r->n_layers, v, err);
    }
    if (!strcmp(series, "d_surface")) {
        size_t g = r->cfg.probe.grid_n;
        snprintf(name, sizeof name, "d_surface_step_%" PRIu64, step);
        return dset_add(r, "probes", name, n / g, g, v, err);
    }
    int c = col_of(r, series);
    if (c < 0 || n != 1)
        return GR_ERROR(err, GR_EINTERNAL, "train: probe series \"%s\" (%zu values) has no column",
                        series, n);
    row_set(r, c, v[0]);
    return GR_OK;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

/* The classifier cache: $GR_MNIST_CLASSIFIER, else MNIST_DIR/classifier_<pixels>.h5 (one
 * per pixel scale: a classifier sees images as the generator makes them). */
static void classifier_path(const tr *r, char *buf, size_t size) {
    const char *p = getenv("GR_MNIST_CLASSIFIER");
    if (p && *p)
        snprintf(buf, size, "%s", p);
    else
        snprintf(buf, size, "%s/classifier_%s.h5", mnist_dir(),
                 r->mn_train->scale == GR_MNIST_UNIT ? "unit" : "symmetric");
}

/* MNIST evaluation: pixel-space W1 of eval.n generated images against validation images
 * 0..n-1, its floor from validation images n..2n-1 against the same (computed once: both
 * sets are fixed); the classifier
 * (loaded from its cache when the record matches, else trained and cached), its Frechet
 * reference the 10 000 test images, its real-data reference scores those of validation
 * images 0..n-1. Concurrent runs serialise on PATH.lock (flock), so the classifier is
 * trained once when missing, not once per worker. */
static int eval_alloc_mnist(tr *r, gr_error *err) {
    size_t n = r->eval_n;
    if (n < 2 || 2 * n > r->mn_valid->n)
        return GR_ERROR(err, GR_EINVAL,
                        "train: eval.n = %zu: MNIST evaluation needs 2 <= eval.n <= %zu (two "
                        "disjoint sets of held-out validation images)",
                        n, r->mn_valid->n / 2);
    if (r->do_w1 || r->do_floor) {
        GR_TRY(gr_pixel_w1_alloc(&r->pw1, n, GR_MNIST_D, NULL, err));
        /* the floor compares two fixed held-out sets: the same at every evaluation */
        const float *va = r->mn_valid->x;
        int st = gr_pixel_w1_eval(r->pw1, &r->last_pfloor, va + n * GR_MNIST_D, n, va, n, err);
        if (st != GR_OK && st != GR_EMAXITER && st != GR_ENOTCONV) return st;
    }
    if (!r->do_classifier) return GR_OK;
    gr_classifier_settings cs = gr_classifier_settings_mnist();
    GR_TRY(gr_classifier_alloc(&r->clf, &cs, n > 1000 ? n : 1000, err));
    gr_classifier_data tr_d = {r->mn_train->x, r->mn_train->y, r->mn_train->n, r->mn_train->source},
                       va_d = {r->mn_valid->x, r->mn_valid->y, r->mn_valid->n, r->mn_valid->source},
                       te_d = {r->mn_test->x, r->mn_test->y, r->mn_test->n, r->mn_test->source};
    char path[1024];
    classifier_path(r, path, sizeof path);
    gr_classifier_source src;
    gr_error why;
    gr_error_clear(&why);
    /* one trainer at a time: parallel workers (--jobs N) wait on PATH.lock while the first
     * trains and saves, then load its file instead of training again */
    char lock[1100];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    int st = gr_classifier_obtain(r->clf, path, &tr_d, &va_d, &te_d, NULL, NULL, &src, &why, err);
    if (fd >= 0) close(fd); /* releases the lock */
    if (st != GR_OK) return PFX(err, st, "train: MNIST classifier %s: ", path);
    r->clf_source = (int)src;
    GR_TRY(gr_image_eval_alloc(&r->ie, r->clf, r->mn_test->x, r->mn_test->n, n, err));
    return gr_image_eval_score(r->ie, &r->real_scores, r->mn_valid->x, n, err);
}

static int eval_alloc(tr *r, gr_error *err) {
    int st = gr_rng_alloc(&r->erng, r->run->seed, GR_STREAM_EVAL, err);
    size_t rows = r->eval_n > r->n_modes || !r->do_modes ? r->eval_n : r->n_modes;
    r->eg_rows = rows;
    if (st == GR_OK) st = gr_mlp_alloc(&r->eg, &r->cfg.g_spec, rows, err);
    size_t nz, nx;
    if (st == GR_OK && (gr_size_mul(rows, r->cfg.g_spec.in_dim, &nz) != GR_OK ||
                        gr_size_mul(rows, r->xd, &nx) != GR_OK))
        st = GR_ERROR(err, GR_ENOMEM, "train: evaluation sizes overflow");
    if (st == GR_OK) {
        r->ez = malloc(nz * sizeof(float));
        r->ex = malloc(nx * sizeof(float));
        r->exd = malloc(nx * sizeof(double));
        if (!r->ez || !r->ex || !r->exd) st = GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    }
    if (st == GR_OK && r->set == SET_MNIST) return eval_alloc_mnist(r, err);
    if (st == GR_OK && r->set == SET_EMBEDDED) {
        size_t m;
        const double *A = gr_data_embed_matrix(r->eval_data, &m);
        st = gr_eval_embed_alloc(&r->emb, A, gr_data_embed_offset(r->eval_data), r->xd, m,
                                 r->eval_n, 0.0, err);
    } else if (st == GR_OK && (r->do_w1 || r->do_floor)) {
        st = gr_eval_w1_alloc(&r->w1, r->eval_n, r->xd, err);
    }
    const gr_modes *md = gr_sampler_modes(r->eval_data);
    if (st == GR_OK && r->do_modes && md) {
        r->hq = calloc(md->k, sizeof *r->hq);
        if (!r->hq) st = GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    }
    return st;
}

/* rows generated points of the current G into r->ex / r->exd, z from the EVAL stream. */
static int generate(tr *r, size_t rows, gr_error *err) {
    gr_mlp *g = gr_gan_trainer_g(r->t);
    memcpy(gr_mlp_params(r->eg), gr_mlp_params(g), gr_mlp_n_params(g) * sizeof(float));
    size_t nz = rows * r->cfg.g_spec.in_dim;
    if (r->cfg.prior == GR_GAN_PRIOR_UNIFORM)
        gr_rng_uniform_fill(r->erng, r->ez, nz, -1.0, 1.0);
    else
        for (size_t i = 0; i < nz; i++)
            r->ez[i] = (float)gsl_ran_gaussian_ziggurat(r->erng, 1.0);
    GR_TRY(gr_mlp_forward(r->eg, r->ex, r->ez, rows, err));
    for (size_t i = 0; i < rows * r->xd; i++)
        r->exd[i] = r->ex[i];
    return GR_OK;
}

/* One evaluation at the current step, into the row. A W1 solve that fails to certify is a
 * NaN in the series (its status is the run's reason only if it is the final evaluation). */
static int evaluate(tr *r, gr_error *err) {
    double t0 = gr_time_wall();
    gr_ot_settings ots = gr_eval_w1_settings_default();
    int st = GR_OK;
    if (r->set == SET_MNIST) {
        size_t n = r->eval_n;
        GR_TRY(generate(r, n, err));
        if (r->pw1) {
            const float *va = r->mn_valid->x;
            st = gr_pixel_w1_eval(r->pw1, &r->last_pw1, r->ex, n, va, n, err);
            if (st != GR_OK && st != GR_EMAXITER && st != GR_ENOTCONV) return st;
            r->has_last_w1 = 1;
            row_set(r, r->c_w1, r->last_pw1.status == GR_OK ? r->last_pw1.value : NAN);
            row_set(r, r->c_floor, r->last_pfloor.status == GR_OK ? r->last_pfloor.value : NAN);
        }
        if (r->ie) {
            GR_TRY(gr_image_eval_score(r->ie, &r->last_scores, r->ex, n, err));
            r->has_scores = 1;
            row_set(r, r->c_cov, (double)r->last_scores.coverage.classes_covered);
            row_set(r, r->c_ckl, r->last_scores.coverage.kl_uniform);
            row_set(r, r->c_score, r->last_scores.classifier_score);
            row_set(r, r->c_fd, r->last_scores.frechet);
        }
    } else if (r->set == SET_EMBEDDED) {
        GR_TRY(generate(r, r->eval_n, err));
        gr_eval_embed_result er;
        st = gr_eval_embed_run(r->emb, r->exd, r->eval_n, r->eval_data, r->erng, &ots,
                               GR_EVAL_MODES_HQ_SDS, r->hq, &er, err);
        if (st != GR_OK && st != GR_EMAXITER && st != GR_ENOTCONV) return st;
        r->last_w1 = er.w1;
        r->has_last_w1 = 1;
        r->last_resid = er.resid_mean;
        row_set(r, r->c_w1, er.w1.w1.status == GR_OK ? er.w1.w1.value : NAN);
        row_set(r, r->c_floor, er.w1.floor.status == GR_OK ? er.w1.floor.value : NAN);
        row_set(r, r->c_resid, er.resid_mean);
        if (r->do_modes && er.has_modes) {
            r->last_modes = er.modes;
            r->has_last_modes = 1;
        }
    } else {
        if (r->do_w1 || r->do_floor) {
            GR_TRY(generate(r, r->eval_n, err));
            gr_eval_w1_result wr;
            if (r->do_w1 && r->do_floor)
                st =
                    gr_eval_w1_run(r->w1, r->exd, r->eval_n, r->eval_data, r->erng, &ots, &wr, err);
            else if (r->do_w1)
                st = gr_eval_w1_to_data(r->w1, r->exd, r->eval_n, r->eval_data, r->erng, &ots, &wr,
                                        err);
            else
                st = gr_eval_w1_floor(r->w1, r->eval_n, r->eval_data, r->erng, &ots, &wr, err);
            if (st != GR_OK && st != GR_EMAXITER && st != GR_ENOTCONV) return st;
            r->last_w1 = wr;
            r->has_last_w1 = 1;
            if (wr.has_w1) row_set(r, r->c_w1, wr.w1.status == GR_OK ? wr.w1.value : NAN);
            if (wr.has_floor)
                row_set(r, r->c_floor, wr.floor.status == GR_OK ? wr.floor.value : NAN);
        }
        const gr_modes *md = gr_sampler_modes(r->eval_data);
        if (r->do_modes && md) {
            GR_TRY(generate(r, r->n_modes, err));
            GR_TRY(gr_eval_modes(md, r->exd, r->n_modes, GR_EVAL_MODES_HQ_SDS, r->hq, NULL, NULL,
                                 &r->last_modes, err));
            r->has_last_modes = 1;
        }
    }
    if (r->has_last_modes && r->do_modes) {
        row_set(r, r->c_modes, (double)r->last_modes.captured);
        row_set(r, r->c_hq, r->last_modes.hq_fraction);
        row_set(r, r->c_rkl, r->last_modes.rkl_defined ? r->last_modes.rkl : INFINITY);
    }
    r->n_evals++;
    r->t_eval += gr_time_wall() - t0;
    return GR_OK;
}

/* ---- checkpoint ----------------------------------------------------------------------------- */

static int ckpt_write(const char *tmp, void *ctx, gr_error *err) {
    tr *r = ctx;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return err ? err->status : GR_EIO;
    hid_t g = -1, tg = -1, dg = -1;
    int st = GR_OK;
    tg = gr_h5_group_create(f, "trainer", err);
    if (tg < 0) st = GR_EIO;
    if (st == GR_OK) st = gr_gan_checkpoint_write_group(tg, r->t, err);
    if (st == GR_OK && (g = gr_h5_group_create(f, "train", err)) < 0) st = GR_EIO;
    if (st == GR_OK) st = gr_h5_attr_write_str(g, "format", TR_CKPT_FORMAT, err);
    if (st == GR_OK) st = gr_h5_attr_write_i32(g, "format_version", TR_CKPT_VERSION, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(g, "run_id", r->run->id, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "step", gr_gan_trainer_iter(r->t), err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_cols", r->ncols, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_rows", r->log_rows, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_datasets", r->n_ds, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_evals", r->n_evals, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "train_seconds", r->t_train, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "eval_seconds", r->t_eval, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "probe_seconds", r->t_probe, err);
    if (st == GR_OK && r->log_rows) {
        size_t dims[2] = {r->log_rows, r->ncols + 1};
        st = gr_h5_dset_write(g, "rows", GR_H5_F64, 2, dims, r->log, err);
    }
    size_t es = gr_rng_state_size(r->erng);
    unsigned char *eb = malloc(es);
    if (st == GR_OK && !eb) st = GR_ERROR(err, GR_ENOMEM, "train checkpoint: out of memory");
    if (st == GR_OK) st = gr_rng_state_save(r->erng, eb, es, err);
    if (st == GR_OK) st = gr_h5_dset_write(g, "eval_rng", GR_H5_U8, 1, &es, eb, err);
    free(eb);
    /* the evaluation sampler's cursor (the 25-Gaussian pool is read in its order) */
    size_t ss = gr_sampler_state_size(r->eval_data);
    if (st == GR_OK && ss > 0) {
        unsigned char *sb = malloc(ss);
        st = sb ? gr_sampler_state_save(r->eval_data, sb, ss, err)
                : GR_ERROR(err, GR_ENOMEM, "train checkpoint: out of memory");
        if (st == GR_OK) st = gr_h5_dset_write(g, "eval_sampler", GR_H5_U8, 1, &ss, sb, err);
        free(sb);
    }
    if (st == GR_OK && (dg = gr_h5_group_create(g, "datasets", err)) < 0) st = GR_EIO;
    for (size_t i = 0; st == GR_OK && i < r->n_ds; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "%zu", i);
        hid_t d = gr_h5_dset_create_write(dg, nm, GR_H5_F64, 2, r->ds[i].dims, r->ds[i].data, err);
        if (d < 0) {
            st = GR_EIO;
            break;
        }
        st = gr_h5_attr_write_str(d, "group", r->ds[i].group, err);
        if (st == GR_OK) st = gr_h5_attr_write_str(d, "name", r->ds[i].name, err);
        H5Dclose(d);
    }
    if (dg >= 0) H5Gclose(dg);
    if (g >= 0) H5Gclose(g);
    if (tg >= 0) H5Gclose(tg);
    if (H5Fclose(f) < 0 && st == GR_OK) st = GR_H5_ERROR(err, "closing %s", tmp);
    return st;
}

static int ckpt_save(tr *r, gr_error *err) {
    const char *path = gr_results_run_checkpoint_path(r->w);
    if (!path) return GR_OK; /* no hook (e.g. a caller without a runner): no checkpoints */
    int st = gr_atomic_write(path, ckpt_write, r, err);
    return PFX(err, st, "train: checkpoint at step %" PRIu64 ": ", gr_gan_trainer_iter(r->t));
}

/* Restore the trainer, the evaluation stream, the timing and everything written before the
 * checkpoint (the rows and datasets are written again through the writer, in the same
 * order: the resumed run's file is the uninterrupted run's). */
static int ckpt_load(tr *r, gr_error *err) {
    const char *path = gr_results_run_checkpoint_path(r->w);
    hid_t f = gr_h5_file_open(path, 0, err);
    if (f < 0) return PFX(err, GR_EIO, "train: resume: ");
    hid_t g = -1, tg = -1, dg = -1;
    char *s = NULL;
    int32_t ver = 0;
    uint64_t ncols = 0, nrows = 0, nds = 0, nev = 0, step = 0;
    int st = GR_OK;
    if ((g = gr_h5_group_open(f, "train", err)) < 0) st = GR_EFORMAT;
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "format", &s, err);
    if (st == GR_OK && strcmp(s, TR_CKPT_FORMAT) != 0)
        st = GR_ERROR(err, GR_EFORMAT, "not a train checkpoint (format \"%s\")", s);
    if (st == GR_OK) st = gr_h5_attr_read_i32(g, "format_version", &ver, err);
    if (st == GR_OK && ver != TR_CKPT_VERSION)
        st = GR_ERROR(err, GR_EFORMAT, "train checkpoint version %d, this build reads %d", (int)ver,
                      TR_CKPT_VERSION);
    free(s);
    s = NULL;
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "run_id", &s, err);
    if (st == GR_OK && strcmp(s, r->run->id) != 0)
        st = GR_ERROR(err, GR_EMISMATCH, "checkpoint of run %s, not %s", s, r->run->id);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "step", &step, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_cols", &ncols, err);
    if (st == GR_OK && ncols != r->ncols)
        st = GR_ERROR(err, GR_EMISMATCH, "checkpoint has %" PRIu64 " series, this run %zu", ncols,
                      r->ncols);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_rows", &nrows, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_datasets", &nds, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_evals", &nev, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "train_seconds", &r->t_train, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "eval_seconds", &r->t_eval, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "probe_seconds", &r->t_probe, err);
    if (st == GR_OK && (tg = gr_h5_group_open(f, "trainer", err)) < 0) st = GR_EFORMAT;
    if (st == GR_OK) st = gr_gan_checkpoint_read_group(tg, r->t, err);
    if (st == GR_OK && gr_gan_trainer_iter(r->t) != step)
        st = GR_ERROR(err, GR_EFORMAT, "checkpoint step %" PRIu64 " but trainer at %" PRIu64, step,
                      gr_gan_trainer_iter(r->t));
    if (st == GR_OK) {
        size_t es = gr_rng_state_size(r->erng);
        unsigned char *eb = malloc(es);
        st = eb ? gr_h5_dset_read(g, "eval_rng", GR_H5_U8, 1, &es, eb, err)
                : GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_rng_state_load(r->erng, eb, es, err);
        free(eb);
    }
    size_t ss = gr_sampler_state_size(r->eval_data);
    if (st == GR_OK && ss > 0) {
        unsigned char *sb = malloc(ss);
        st = sb ? gr_h5_dset_read(g, "eval_sampler", GR_H5_U8, 1, &ss, sb, err)
                : GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_sampler_state_load(r->eval_data, sb, ss, err);
        free(sb);
    }
    r->n_evals = (size_t)nev;
    r->resumed_from = step;
    /* the rows: replayed through row_flush (log and writer) */
    if (st == GR_OK && nrows) {
        size_t dims[2] = {(size_t)nrows, r->ncols + 1}, n;
        double *rows = NULL;
        if (gr_size_mul(dims[0], dims[1], &n) != GR_OK || !(rows = malloc(n * sizeof *rows)))
            st = GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_h5_dset_read(g, "rows", GR_H5_F64, 2, dims, rows, err);
        for (size_t i = 0; st == GR_OK && i < dims[0]; i++) {
            row_reset(r, (uint64_t)rows[i * dims[1]]);
            memcpy(r->row, rows + i * dims[1] + 1, r->ncols * sizeof(double));
            r->row_used = 1;
            st = row_flush(r, err);
        }
        free(rows);
    }
    if (st == GR_OK && (dg = gr_h5_group_open(g, "datasets", err)) < 0) st = GR_EFORMAT;
    for (uint64_t i = 0; st == GR_OK && i < nds; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "%" PRIu64, i);
        size_t dims[2], n;
        char *grp = NULL, *name = NULL;
        double *data = NULL;
        st = gr_h5_dset_dims(dg, nm, GR_H5_F64, 2, dims, (size_t)1 << 32, err);
        if (st == GR_OK &&
            (gr_size_mul(dims[0], dims[1], &n) != GR_OK || !(data = malloc(n * sizeof *data))))
            st = GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_h5_dset_read(dg, nm, GR_H5_F64, 2, dims, data, err);
        hid_t d = st == GR_OK ? H5Dopen2(dg, nm, H5P_DEFAULT) : -1;
        if (st == GR_OK && d < 0) st = GR_H5_ERROR(err, "opening dataset %s", nm);
        if (st == GR_OK) st = gr_h5_attr_read_str(d, "group", &grp, err);
        if (st == GR_OK) st = gr_h5_attr_read_str(d, "name", &name, err);
        if (d >= 0) H5Dclose(d);
        if (st == GR_OK) st = dset_add(r, grp, name, dims[0], dims[1], data, err);
        free(grp);
        free(name);
        free(data);
    }
    free(s);
    if (dg >= 0) H5Gclose(dg);
    if (tg >= 0) H5Gclose(tg);
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);
    return PFX(err, st, "train: resume from %s: ", path);
}

/* ---- the protocol -----------------------------------------------------------------------------
 */

static void tr_free(tr *r) {
    gr_gan_trainer_free(r->t);
    gr_sampler_free(r->data);
    gr_sampler_free(r->eval_data);
    gr_rng_free(r->erng);
    gr_mlp_free(r->eg);
    free(r->ez);
    free(r->ex);
    free(r->exd);
    gr_eval_w1_free(r->w1);
    gr_eval_embed_free(r->emb);
    free(r->hq);
    gr_image_eval_free(r->ie);
    gr_classifier_free(r->clf);
    gr_pixel_w1_free(r->pw1);
    gr_mnist_free(r->mn_train);
    gr_mnist_free(r->mn_valid);
    gr_mnist_free(r->mn_test);
    free(r->log);
    for (size_t i = 0; i < r->n_ds; i++)
        free(r->ds[i].data);
    free(r->ds);
}

static int write_final(tr *r, int diverged, uint64_t diverged_at, gr_error *err) {
    const gr_eval_w1_result *w = &r->last_w1;
    int has = r->has_last_w1 && !diverged;
    double w1 = has && w->has_w1 && w->w1.status == GR_OK ? w->w1.value : NAN;
    double fl = has && w->has_floor && w->floor.status == GR_OK ? w->floor.value : NAN;
    if (r->set == SET_MNIST) {
        w1 = has && r->last_pw1.status == GR_OK ? r->last_pw1.value : NAN;
        fl = has && r->last_pfloor.status == GR_OK ? r->last_pfloor.value : NAN;
    }
    int hs = r->has_scores && !diverged, rs = r->ie != NULL;
    const gr_image_scores *sc = &r->last_scores, *re = &r->real_scores;
    int hm = r->has_last_modes && !diverged;
    struct {
        const char *name;
        double v;
    } m[] = {
        {"steps", (double)gr_gan_trainer_iter(r->t)},
        {"diverged", diverged ? 1.0 : 0.0},
        {"diverged_at", (double)diverged_at},
        {"final_w1", w1},
        {"final_w1_floor", fl},
        {"final_w1_excess", w1 - fl},
        {"final_modes_captured", hm ? (double)r->last_modes.captured : NAN},
        {"final_hq_fraction", hm ? r->last_modes.hq_fraction : NAN},
        {"final_reverse_kl", hm ? (r->last_modes.rkl_defined ? r->last_modes.rkl : INFINITY) : NAN},
        {"final_resid_mean", r->set == SET_EMBEDDED && !diverged ? r->last_resid : NAN},
        {"n_modes",
         gr_sampler_modes(r->eval_data) ? (double)gr_sampler_modes(r->eval_data)->k : NAN},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        GR_TRY(gr_results_run_metric(r->w, m[i].name, m[i].v, err));
    struct {
        const char *name;
        double v;
    } mm[] = {
        {"final_classes_covered", hs ? (double)sc->coverage.classes_covered : NAN},
        {"final_class_kl_uniform", hs ? sc->coverage.kl_uniform : NAN},
        {"final_classifier_score", hs ? sc->classifier_score : NAN},
        {"final_frechet", hs ? sc->frechet : NAN},
        {"real_classes_covered", rs ? (double)re->coverage.classes_covered : NAN},
        {"real_class_kl_uniform", rs ? re->coverage.kl_uniform : NAN},
        {"real_classifier_score", rs ? re->classifier_score : NAN},
        {"real_frechet", rs ? re->frechet : NAN},
    };
    if (r->set == SET_MNIST)
        for (size_t i = 0; i < sizeof mm / sizeof mm[0]; i++)
            GR_TRY(gr_results_run_metric(r->w, mm[i].name, mm[i].v, err));
    /* the clock: attributes of the run group, not datasets (identical runs keep identical
     * numeric datasets) */
    hid_t g = gr_results_run_group(r->w);
    double steps = (double)gr_gan_trainer_iter(r->t);
    GR_TRY(gr_h5_attr_write_f64(g, "train_seconds", r->t_train, err));
    GR_TRY(gr_h5_attr_write_f64(g, "eval_seconds", r->t_eval, err));
    GR_TRY(gr_h5_attr_write_f64(g, "probe_seconds", r->t_probe, err));
    GR_TRY(gr_h5_attr_write_f64(g, "eval_fraction", r->t_train > 0 ? r->t_eval / r->t_train : NAN,
                                err));
    GR_TRY(gr_h5_attr_write_f64(g, "steps_per_second", r->t_train > 0 ? steps / r->t_train : NAN,
                                err));
    GR_TRY(gr_h5_attr_write_u64(g, "evaluations", r->n_evals, err));
    GR_TRY(gr_h5_attr_write_u64(g, "resumed_from_step", r->resumed_from, err));
    return GR_OK;
}

static int eval_due(const tr *r, uint64_t step) {
    if (step == r->steps) return 1;
    return r->eval_every > 0 && step % r->eval_every == 0;
}

int gr_protocol_train(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    tr r;
    memset(&r, 0, sizeof r);
    r.run = run;
    r.w = w;
    int st = make_sampler(&r, &r.data, err);
    if (st == GR_OK) st = make_sampler(&r, &r.eval_data, err);
    if (st == GR_OK) r.xd = gr_sampler_dim(r.data);
    if (st == GR_OK) st = read_config(&r, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "schedule.checkpoint_every", &r.ckpt_every, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.every", &r.eval_every, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.n", &r.eval_n, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.n_modes", &r.n_modes, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.w1", &r.do_w1, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.floor", &r.do_floor, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.modes", &r.do_modes, err);
    if (st == GR_OK && r.do_modes && !gr_sampler_modes(r.eval_data))
        st = GR_ERROR(err, GR_EINVAL, "train: eval.modes is true but %s has no modes",
                      gr_sampler_name(r.eval_data));
    if (st == GR_OK && r.set == SET_EMBEDDED) r.do_w1 = r.do_floor = 1; /* one solve gives both */
    if (st == GR_OK && r.set == SET_MNIST) {
        st = gr_rundesc_get_bool(run, "eval.classifier", &r.do_classifier, err);
        if (st == GR_OK) r.do_w1 = r.do_floor = r.do_w1 || r.do_floor; /* one call gives both */
    }
    if (st == GR_OK) st = gr_gan_trainer_alloc(&r.t, &r.cfg, r.data, run->seed, err);
    if (st == GR_OK) st = eval_alloc(&r, err);
    if (st == GR_OK) {
        define_cols(&r);
        if (r.ncols) st = gr_results_run_series_define(w, r.cols, r.ncols, err);
    }
    if (st == GR_OK && gr_results_run_resume(w)) st = ckpt_load(&r, err);
    const gr_gan_probe_sink sink = {&r, sink_write};
    /* the initial state: evaluated when evaluation is periodic (nothing else is due at 0) */
    if (st == GR_OK && gr_gan_trainer_iter(r.t) == 0 && r.eval_every > 0) {
        row_reset(&r, 0);
        st = evaluate(&r, err);
        if (st == GR_OK) st = row_flush(&r, err);
    }
    int diverged = 0;
    uint64_t diverged_at = 0;
    gr_error derr;
    gr_error_clear(&derr);
    while (st == GR_OK && !gr_gan_trainer_done(r.t)) {
        double t0 = gr_time_wall();
        int s = gr_gan_trainer_step(r.t, &derr);
        r.t_train += gr_time_wall() - t0;
        if (s == GR_EDIVERGED) {
            diverged = 1;
            gr_gan_trainer_status(r.t, &diverged_at);
            break;
        }
        if (s != GR_OK) {
            if (err) *err = derr;
            st = s;
            break;
        }
        uint64_t k = gr_gan_trainer_iter(r.t);
        row_reset(&r, k);
        t0 = gr_time_wall();
        st = gr_gan_trainer_probe_due(r.t, &sink, err);
        r.t_probe += gr_time_wall() - t0;
        if (st == GR_OK && eval_due(&r, k)) st = evaluate(&r, err);
        if (st == GR_OK) st = row_flush(&r, err);
        if (st == GR_OK && r.ckpt_every > 0 && k % r.ckpt_every == 0 && k < r.steps)
            st = ckpt_save(&r, err);
    }
    if (st == GR_OK) st = write_final(&r, diverged, diverged_at, err);
    if (st == GR_OK)
        gr_results_run_set_step(w, diverged ? (int64_t)diverged_at
                                            : (int64_t)gr_gan_trainer_iter(r.t));
    tr_free(&r);
    if (st == GR_OK && diverged) {
        if (err) *err = derr;
        return GR_EDIVERGED;
    }
    return st;
}
