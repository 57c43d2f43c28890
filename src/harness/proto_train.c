/* harness/proto_train.c — the `train` protocol: one GAN training run of gan/trainer.h on a
 * data set of data/, probes as series, periodic evaluation (eval/), checkpoints for
 * --resume; contracts in harness/protocol.h, the user's description in docs/RESULTS.md
 * ("The train protocol"). */
#include <gsl/gsl_randist.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "core/timer.h"
#include "data/embed.h"
#include "data/mnist.h"
#include "eval/embed.h"
#include "eval/modes.h"
#include "eval/pixel_w1.h"
#include "eval/scores.h"
#include "eval/w1.h"
#include "gan/trainer.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"
#include "harness/train_metrics.h"
#include "io/atomic.h"
#include "io/digest.h"
#include "io/gan_checkpoint.h"
#include "io/h5.h"
#include "io/h5io.h"

#define TR_CKPT_FORMAT  "ganrepro-train-checkpoint"
#define TR_CKPT_VERSION 2 /* 2: the train group under a checksum (1 had none) */
#define TR_MAX_COLS     96
#define TR_NAME_MAX     64

/* gr_error_prefix only on failure (a GR_OK status leaves err alone). */
#define PFX(err, st, ...) ((st) == GR_OK ? GR_OK : gr_error_prefix((err), (st), __VA_ARGS__))

typedef enum { SET_GAUSS8, SET_GAUSS25, SET_SWISSROLL, SET_EMBEDDED, SET_MNIST } tr_set;

/* Claim metrics (eval.estimate_window and friends; CLAIMS C24, C25, C39): the loss-based estimate
 * averaged over the last `window` critic updates (a ring, part of the checkpoint), written at every
 * evaluation row; final metrics from the recorded series (harness/train_metrics.h). */
typedef struct tr_track {
    size_t window;    /* eval.estimate_window (0: no estimate column, no rank correlation) */
    uint64_t after;   /* eval.estimate_after: evaluations with step > after enter the correlation */
    double w1_target; /* eval.w1_target (NaN: no w1_target_step) */
    size_t spike_window; /* eval.spike_window (0: no spike statistics) */
    double *ring;        /* the last ring_n (<= window) estimates, oldest at ring_pos when full */
    size_t ring_n, ring_pos;
    int c_est; /* column "loss_estimate" (-1: none) */
} tr_track;

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
    int save_images; /* MNIST: eval.save_images (the final evaluation's images as datasets) */
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
    /* MNIST, C38: D's value on training vs held-out images (a copy of D, its outputs) */
    gr_mnist *mn_sub; /* the training subset (data.subset > 0), else NULL */
    gr_mlp *ed;
    float *eo;
    size_t dv_train_n;
    int c_dvt, c_dvv, has_dv;
    double last_dvt, last_dvv;
    /* timing (run-group attributes, never datasets) */
    double t_train, t_eval, t_probe;
    uint64_t resumed_from; /* the checkpoint's step, 0 when the run started afresh */
    tr_track trk;
} tr;

/* ---- settings ---------------------------------------------------------------------------- */

static int get_u64(const gr_run_desc *run, const char *key, uint64_t *v, gr_error *err) {
    size_t s;
    GR_TRY(gr_rundesc_get_size(run, key, &s, err));
    *v = (uint64_t)s;
    return GR_OK;
}

/* The gr_gan_config of the run: method.* and nets.* by harness/proto_gan.h's builder (the
 * one every GAN protocol uses), then what only train sets: schedule.steps and probes.*
 * (docs/EXPERIMENTS.md "Methods and their defaults" gives the mapping). */
static int read_config(tr *r, gr_error *err) {
    const gr_run_desc *run = r->run;
    gr_gan_config c;
    GR_TRY(gr_proto_gan_config(run, r->xd, &c, err));
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

/* Which of the sets this protocol trains on data.set is (the others are refused). */
static int classify_set(tr *r, gr_error *err) {
    const char *s;
    GR_TRY(gr_rundesc_get_str(r->run, "data.set", &s, err));
    static const struct {
        const char *name;
        tr_set set;
    } sets[] = {{"8gaussians", SET_GAUSS8},
                {"25gaussians", SET_GAUSS25},
                {"swissroll", SET_SWISSROLL},
                {"embedded", SET_EMBEDDED},
                {"mnist", SET_MNIST}};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (!strcmp(s, sets[i].name)) {
            r->set = sets[i].set;
            return GR_OK;
        }
    return GR_ERROR(err, GR_EINVAL,
                    "train: data.set \"%s\" is not one this protocol trains on (8gaussians, "
                    "25gaussians, swissroll, embedded, mnist)",
                    s);
}

/* The training sampler (harness/proto_gan.h's builder) and an independent one of the same
 * distribution for evaluation (a stateful sampler's cursor belongs to training: evaluation
 * never moves it). MNIST: the three splits are loaded once (the classifier trains on the
 * training split, evaluation reads the held-out ones); the training sampler is over the
 * training split or its seeded subset of data.subset images; the evaluation "sampler" is
 * over the whole training split (never drawn from by evaluation; kept so every data set
 * has one). */
static int make_samplers(tr *r, gr_error *err) {
    GR_TRY(classify_set(r, err));
    if (r->set != SET_MNIST) {
        GR_TRY(gr_proto_data_alloc(r->run, &r->data, NULL, err));
        return gr_proto_data_alloc(r->run, &r->eval_data, NULL, err);
    }
    GR_TRY(gr_proto_mnist_load(r->run, &r->mn_train, &r->mn_valid, &r->mn_test, err));
    GR_TRY(
        PFX(err, gr_proto_data_alloc_mnist(r->run, r->mn_train, &r->data, NULL, err), "train: "));
    return gr_data_mnist_sampler_alloc(&r->eval_data, r->mn_train, err);
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
    r->c_dvt = r->c_dvv = -1;
    if (r->set == SET_MNIST) {
        r->c_dvt = add_col(r, "d_value_train");
        r->c_dvv = add_col(r, "d_value_valid");
    }
    r->c_cov = r->c_ckl = r->c_score = r->c_fd = -1;
    if (r->do_classifier) {
        r->c_cov = add_col(r, "classes_covered");
        r->c_ckl = add_col(r, "class_kl_uniform");
        r->c_score = add_col(r, "classifier_score");
        r->c_fd = add_col(r, "frechet");
    }
    if (r->trk.window) r->trk.c_est = add_col(r, "loss_estimate"); /* claim metrics, below */
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
    if (!r->w) return GR_OK; /* checking a checkpoint: nothing is written */
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
    if (!r->w) return GR_OK; /* checking a checkpoint: nothing is written */
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

/* ---- claim metrics (eval.estimate_*, eval.w1_target, eval.spike_window: C24, C25, C39)
 * ------------------------------------------------ */

#define TR_SPIKE_SDS 3.0 /* C25: a spike is a drop of more than 3 rolling SDs */

/* Optional keys (no default: absent unless the experiment sets them). */
static int opt_size(const gr_run_desc *run, const char *key, size_t *v) {
    return gr_rundesc_get_size(run, key, v, NULL) == GR_OK;
}

static int track_setup(tr *r, gr_error *err) {
    tr_track *k = &r->trk;
    size_t v;
    k->c_est = -1;
    k->w1_target = NAN;
    if (opt_size(r->run, "eval.estimate_window", &v)) k->window = v;
    if (opt_size(r->run, "eval.estimate_after", &v)) k->after = (uint64_t)v;
    if (opt_size(r->run, "eval.spike_window", &v)) k->spike_window = v;
    double t;
    if (gr_rundesc_get_f64(r->run, "eval.w1_target", &t, NULL) == GR_OK) k->w1_target = t;
    if ((k->window || !isnan(k->w1_target)) && !r->do_w1)
        return GR_ERROR(err, GR_EINVAL,
                        "train: eval.estimate_window and eval.w1_target need eval.w1");
    if (k->window && !(k->ring = calloc(k->window, sizeof *k->ring)))
        return GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    return GR_OK;
}

/* After every step: the estimate of each critic update of the iteration into the ring —
 * WGAN: -(critic loss without the penalty) (the W estimate); GAN family: 1/2 L + log 2 with
 * L = E log D(x) + E log(1 - D(G(z))) = -d_loss (WGAN section 4.2's JS lower bound). */
static void track_push(tr *r) {
    tr_track *k = &r->trk;
    if (!k->window) return;
    const double *dl, *we;
    size_t n;
    gr_gan_trainer_critic_trace(r->t, &dl, &we, &n);
    int wgan = gr_gan_method_is_wgan(r->cfg.method);
    for (size_t i = 0; i < n; i++) {
        double e = wgan ? we[i] : log(2.0) - 0.5 * dl[i];
        if (k->ring_n < k->window)
            k->ring[k->ring_n++] = e;
        else {
            k->ring[k->ring_pos] = e;
            k->ring_pos = (k->ring_pos + 1) % k->window;
        }
    }
}

/* At an evaluation: the mean of the ring (NaN before the first critic update). */
static void track_eval_row(tr *r) {
    tr_track *k = &r->trk;
    if (k->c_est < 0) return;
    double s = 0;
    for (size_t i = 0; i < k->ring_n; i++)
        s += k->ring[i];
    row_set(r, k->c_est, k->ring_n ? s / (double)k->ring_n : NAN);
}

static int track_ckpt_write(tr *r, hid_t g, gr_error *err) {
    tr_track *k = &r->trk;
    if (!k->window) return GR_OK;
    GR_TRY(gr_h5_attr_write_u64(g, "track_ring_n", k->ring_n, err));
    GR_TRY(gr_h5_attr_write_u64(g, "track_ring_pos", k->ring_pos, err));
    size_t dims = k->window;
    return gr_h5_dset_write(g, "track_ring", GR_H5_F64, 1, &dims, k->ring, err);
}

static int track_ckpt_read(tr *r, hid_t g, gr_error *err) {
    tr_track *k = &r->trk;
    if (!k->window) return GR_OK;
    uint64_t n, pos;
    GR_TRY(gr_h5_attr_read_u64(g, "track_ring_n", &n, err));
    GR_TRY(gr_h5_attr_read_u64(g, "track_ring_pos", &pos, err));
    if (n > k->window || pos >= k->window)
        return GR_ERROR(err, GR_EFORMAT,
                        "train checkpoint: track ring %" PRIu64 "/%" PRIu64
                        " does not fit eval.estimate_window = %zu",
                        n, pos, k->window);
    size_t dims = k->window;
    GR_TRY(gr_h5_dset_read(g, "track_ring", GR_H5_F64, 1, &dims, k->ring, err));
    k->ring_n = (size_t)n;
    k->ring_pos = (size_t)pos;
    return GR_OK;
}

/* Column c of the series log (NaN where not recorded) into out[0..log_rows-1]; the steps
 * into step (either may be NULL). Returns 0 when the column does not exist. */
static int log_column(const tr *r, int c, double *out, double *step) {
    if (c < 0) return 0;
    for (size_t i = 0; i < r->log_rows; i++) {
        const double *row = r->log + i * (r->ncols + 1);
        if (out) out[i] = row[1 + c];
        if (step) step[i] = row[0];
    }
    return 1;
}

/* The final claim metrics (docs/RESULTS.md "Protocol train", claim metrics). */
static int track_final(tr *r, gr_error *err) {
    tr_track *k = &r->trk;
    int spikes = k->spike_window > 0;
    if (!k->window && isnan(k->w1_target) && !spikes) return GR_OK;
    size_t n = r->log_rows ? r->log_rows : 1;
    double *buf = malloc(4 * n * sizeof *buf);
    unsigned char *keep = malloc(n);
    int st = buf && keep ? GR_OK : GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    double *step = buf, *a = buf + n, *b = buf + 2 * n;
    if (st == GR_OK && k->window) {
        log_column(r, k->c_est, a, step);
        log_column(r, r->c_w1, b, NULL);
        for (size_t i = 0; i < r->log_rows; i++)
            keep[i] = step[i] > (double)k->after;
        double rho = NAN;
        size_t used = 0;
        st = gr_train_spearman(a, b, keep, r->log_rows, &rho, &used, err);
        if (st == GR_OK) st = gr_results_run_metric(r->w, "estimate_w1_spearman", rho, err);
        if (st == GR_OK) st = gr_results_run_metric(r->w, "estimate_w1_evals", (double)used, err);
    }
    if (st == GR_OK && !isnan(k->w1_target)) {
        log_column(r, r->c_w1, b, step);
        double hit = gr_train_first_step_le(step, b, r->log_rows, k->w1_target);
        st = gr_results_run_metric(r->w, "w1_target_step", hit, err);
    }
    if (st == GR_OK && spikes) {
        int cw = col_of(r, "w_estimate"), cc = col_of(r, "cos_d");
        gr_train_spike_stats s;
        memset(&s, 0, sizeof s);
        s.frac_neg_spike = s.frac_neg_calm = s.mean_cos_spike = s.mean_cos_calm = s.min_cos = NAN;
        if (cw >= 0 && cc >= 0) {
            log_column(r, cw, a, NULL);
            log_column(r, cc, b, NULL);
            st = gr_train_spike_cosine(a, b, r->log_rows, k->spike_window, TR_SPIKE_SDS, &s, err);
        }
        struct {
            const char *name;
            double v;
        } m[] = {{"spike_pairs", (double)s.pairs},         {"spikes", (double)s.n_spike},
                 {"neg_cos_spike", (double)s.neg_spike},   {"neg_cos_calm", (double)s.neg_calm},
                 {"neg_cos_frac_spike", s.frac_neg_spike}, {"neg_cos_frac_calm", s.frac_neg_calm}};
        for (size_t i = 0; st == GR_OK && i < sizeof m / sizeof m[0]; i++)
            st = gr_results_run_metric(r->w, m[i].name, m[i].v, err);
    }
    free(buf);
    free(keep);
    return st;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

/* MNIST evaluation: pixel-space W1 of eval.n generated images against validation images
 * 0..n-1, its floor from validation images n..2n-1 against the same (computed once: both
 * sets are fixed); the classifier
 * (loaded from its cache when the record matches, else trained and cached), its Frechet
 * reference the 10 000 test images, its real-data reference scores those of validation
 * images 0..n-1 (harness/proto_gan.h's gr_proto_mnist_classifier: concurrent runs serialise
 * on the cache's lock, so the classifier is trained once when missing, not once per worker).
 * The D-value pair of C38: D's copy for the eval.n generated images, the first eval.n images
 * of the training set (its subset, if any) and validation images 0..n-1. */
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
    /* C38: D's value on the training images it learns from vs held-out ones */
    const gr_mnist *trs = r->mn_train;
    size_t subset;
    GR_TRY(gr_rundesc_get_size(r->run, "data.subset", &subset, err));
    if (subset > 0) {
        GR_TRY(gr_mnist_subset(&r->mn_sub, r->mn_train, subset, r->run->seed, err));
        trs = r->mn_sub;
    }
    r->dv_train_n = trs->n < n ? trs->n : n;
    GR_TRY(gr_mlp_alloc(&r->ed, &r->cfg.d_spec, n, err));
    r->eo = malloc(2 * n * sizeof(float));
    if (!r->eo) return GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    if (!r->do_classifier) return GR_OK;
    gr_classifier_source src;
    GR_TRY(PFX(err,
               gr_proto_mnist_classifier(&r->clf, r->mn_train, r->mn_valid, r->mn_test,
                                         n > 1000 ? n : 1000, NULL, NULL, &src, err),
               "train: "));
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

/* C38: the negated D loss without penalty of D (as it is now) on m real rows x against the
 * n generated rows already in r->ex (their D outputs in r->eo[0..n)), in double: WGAN
 * mean f(x) - mean f(G(z)); GAN family mean log D(x) + mean log(1 - D(G(z))) =
 * -mean softplus(-l(x)) - mean softplus(l(G(z))). */
static double softplus(double l) { return l > 0 ? l + log1p(exp(-l)) : log1p(exp(l)); }
static int d_value(tr *r, const float *x, size_t m, double fake_term, double *out, gr_error *err) {
    float *o = r->eo + r->eval_n; /* the second half: real outputs */
    GR_TRY(gr_mlp_forward(r->ed, o, x, m, err));
    int wgan = gr_gan_method_is_wgan(r->cfg.method);
    double s = 0;
    for (size_t i = 0; i < m; i++)
        s += wgan ? (double)o[i] : -softplus(-(double)o[i]);
    *out = s / (double)m + fake_term;
    return GR_OK;
}

static int eval_d_values(tr *r, gr_error *err) {
    size_t n = r->eval_n;
    gr_mlp *d = gr_gan_trainer_d(r->t);
    memcpy(gr_mlp_params(r->ed), gr_mlp_params(d), gr_mlp_n_params(d) * sizeof(float));
    GR_TRY(gr_mlp_forward(r->ed, r->eo, r->ex, n, err));
    int wgan = gr_gan_method_is_wgan(r->cfg.method);
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += wgan ? -(double)r->eo[i] : -softplus((double)r->eo[i]);
    f /= (double)n;
    const gr_mnist *trs = r->mn_sub ? r->mn_sub : r->mn_train;
    GR_TRY(d_value(r, trs->x, r->dv_train_n, f, &r->last_dvt, err));
    GR_TRY(d_value(r, r->mn_valid->x, n, f, &r->last_dvv, err));
    r->has_dv = 1;
    row_set(r, r->c_dvt, r->last_dvt);
    row_set(r, r->c_dvv, r->last_dvv);
    return GR_OK;
}

/* The final evaluation's point sets, as datasets (docs/RESULTS.md "Protocol train"): the
 * generated points its W1 was computed on (samples/eval_generated), the real sample they
 * were compared with (samples/eval_real: w1 = W1(eval_generated, eval_real)) and the floor's
 * second real sample (samples/eval_real_floor: w1_floor = W1(eval_real, eval_real_floor)),
 * each n x d (n = eval.n), so an independent LP solver can recompute both stored values
 * (results/recompute_w1.py). Written directly, not kept for the checkpoint: no checkpoint
 * follows the last step. gen/real/real2 NULL: that set was not part of the evaluation. */
static int write_eval_points(tr *r, size_t d, const double *gen, const double *real,
                             const double *real2, gr_error *err) {
    size_t dims[2] = {r->eval_n, d};
    if (gen)
        GR_TRY(gr_results_run_dataset_f64(r->w, "samples", "eval_generated", 2, dims, gen, err));
    if (real) GR_TRY(gr_results_run_dataset_f64(r->w, "samples", "eval_real", 2, dims, real, err));
    if (real2)
        GR_TRY(gr_results_run_dataset_f64(r->w, "samples", "eval_real_floor", 2, dims, real2, err));
    return GR_OK;
}

/* MNIST, with eval.save_images: the same three sets as float32 images (the generated images
 * exactly as the net produced them, validation images 0..n-1 and n..2n-1 exactly as loaded;
 * pixel W1 widens them to double). 3 x eval.n x 784 x 4 bytes: 9.4 MB per run at n = 1000,
 * hence a key and not the default. */
static int write_eval_images(tr *r, gr_error *err) {
    size_t n = r->eval_n, dims[2] = {n, GR_MNIST_D};
    const float *va = r->mn_valid->x;
    GR_TRY(gr_results_run_dataset_f32(r->w, "samples", "eval_generated", 2, dims, r->ex, err));
    GR_TRY(gr_results_run_dataset_f32(r->w, "samples", "eval_real", 2, dims, va, err));
    return gr_results_run_dataset_f32(r->w, "samples", "eval_real_floor", 2, dims,
                                      va + n * GR_MNIST_D, err);
}

/* One evaluation at the current step, into the row. A W1 solve that fails to certify is a
 * NaN in the series (its status is the run's reason only if it is the final evaluation). */
static int evaluate(tr *r, gr_error *err) {
    double t0 = gr_time_wall();
    gr_ot_settings ots = gr_eval_w1_settings_default();
    int st = GR_OK;
    int final = r->cur_step == r->steps; /* the evaluation the final metrics come from */
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
            if (final && r->save_images) GR_TRY(write_eval_images(r, err));
        }
        if (r->ed) GR_TRY(eval_d_values(r, err));
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
        if (final) {
            const double *ug, *ur, *ur2;
            gr_eval_embed_last_points(r->emb, &ug, &ur, &ur2);
            GR_TRY(write_eval_points(r, er.k, ug, ur, ur2, err));
        }
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
            /* before the mode metrics' generation below overwrites r->exd */
            if (final)
                GR_TRY(write_eval_points(r, r->xd, r->do_w1 ? r->exd : NULL,
                                         gr_eval_w1_last_real(r->w1, 0),
                                         r->do_floor ? gr_eval_w1_last_real(r->w1, 1) : NULL, err));
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
    track_eval_row(r);
    r->n_evals++;
    r->t_eval += gr_time_wall() - t0;
    return GR_OK;
}

/* ---- checkpoint ----------------------------------------------------------------------------- */

/* The train group's checksum (attribute "checksum", io/digest.h fields): everything the
 * group restores — the run id, the counters, the timing, the estimate ring, every row,
 * the evaluation stream's and sampler's bytes, every dataset with its group, name and
 * shape — and the trainer group's own root checksum, which binds the two halves of the
 * file to one save. Writer and reader call this one function on the state as saved or as
 * read (HDF5 protects the metadata by its own checksums, not the raw data: without this
 * a flipped bit in a row or a dataset would resume silently). */
static void ckpt_digest(const tr *r, uint64_t step, const char *trainer_sum,
                        const unsigned char *eb, size_t es, const unsigned char *sb, size_t ss,
                        char out[GR_DIGEST_LEN + 1]) {
    static const unsigned char none[1] = {0}; /* the digest's memcpy never sees NULL */
    static const double nothing[1] = {0};
    gr_digest d;
    gr_digest_init(&d);
    gr_digest_str(&d, "format", TR_CKPT_FORMAT);
    gr_digest_i64(&d, "format_version", TR_CKPT_VERSION);
    gr_digest_str(&d, "run_id", r->run->id);
    gr_digest_str(&d, "trainer_checksum", trainer_sum);
    gr_digest_u64(&d, "step", step);
    gr_digest_u64(&d, "n_cols", r->ncols);
    gr_digest_u64(&d, "n_rows", r->log_rows);
    gr_digest_u64(&d, "n_datasets", r->n_ds);
    gr_digest_u64(&d, "n_evals", r->n_evals);
    gr_digest_f64(&d, "train_seconds", r->t_train);
    gr_digest_f64(&d, "eval_seconds", r->t_eval);
    gr_digest_f64(&d, "probe_seconds", r->t_probe);
    if (r->trk.window) {
        gr_digest_u64(&d, "track_ring_n", r->trk.ring_n);
        gr_digest_u64(&d, "track_ring_pos", r->trk.ring_pos);
        gr_digest_f64s(&d, "track_ring", r->trk.ring, r->trk.window);
    }
    gr_digest_f64s(&d, "rows", r->log ? r->log : nothing,
                   r->log ? r->log_rows * (r->ncols + 1) : 0);
    gr_digest_bytes(&d, "eval_rng", eb ? eb : none, eb ? es : 0);
    gr_digest_bytes(&d, "eval_sampler", sb ? sb : none, sb ? ss : 0);
    for (size_t i = 0; i < r->n_ds; i++) {
        const tr_dset *x = &r->ds[i];
        gr_digest_str(&d, "group", x->group);
        gr_digest_str(&d, "name", x->name);
        gr_digest_u64(&d, "rows", x->dims[0]);
        gr_digest_u64(&d, "cols", x->dims[1]);
        gr_digest_f64s(&d, "data", x->data, x->dims[0] * x->dims[1]);
    }
    gr_digest_end(&d, out);
}

static int ckpt_write(const char *tmp, void *ctx, gr_error *err) {
    tr *r = ctx;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return err ? err->status : GR_EIO;
    hid_t g = -1, tg = -1, dg = -1;
    int st = GR_OK;
    char *tsum = NULL;
    uint64_t step = gr_gan_trainer_iter(r->t);
    tg = gr_h5_group_create(f, "trainer", err);
    if (tg < 0) st = GR_EIO;
    if (st == GR_OK) st = gr_gan_checkpoint_write_group(tg, r->t, err);
    if (st == GR_OK) st = gr_h5_attr_read_str(tg, "checksum", &tsum, err);
    if (st == GR_OK && (g = gr_h5_group_create(f, "train", err)) < 0) st = GR_EIO;
    if (st == GR_OK) st = gr_h5_attr_write_str(g, "format", TR_CKPT_FORMAT, err);
    if (st == GR_OK) st = gr_h5_attr_write_i32(g, "format_version", TR_CKPT_VERSION, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(g, "run_id", r->run->id, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "step", step, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_cols", r->ncols, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_rows", r->log_rows, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_datasets", r->n_ds, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_evals", r->n_evals, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "train_seconds", r->t_train, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "eval_seconds", r->t_eval, err);
    if (st == GR_OK) st = gr_h5_attr_write_f64(g, "probe_seconds", r->t_probe, err);
    if (st == GR_OK) st = track_ckpt_write(r, g, err);
    if (st == GR_OK && r->log_rows) {
        size_t dims[2] = {r->log_rows, r->ncols + 1};
        st = gr_h5_dset_write(g, "rows", GR_H5_F64, 2, dims, r->log, err);
    }
    size_t es = gr_rng_state_size(r->erng);
    unsigned char *eb = malloc(es);
    if (st == GR_OK && !eb) st = GR_ERROR(err, GR_ENOMEM, "train checkpoint: out of memory");
    if (st == GR_OK) st = gr_rng_state_save(r->erng, eb, es, err);
    if (st == GR_OK) st = gr_h5_dset_write(g, "eval_rng", GR_H5_U8, 1, &es, eb, err);
    /* the evaluation sampler's cursor (the 25-Gaussian pool is read in its order) */
    size_t ss = gr_sampler_state_size(r->eval_data);
    unsigned char *sb = NULL;
    if (st == GR_OK && ss > 0) {
        sb = malloc(ss);
        st = sb ? gr_sampler_state_save(r->eval_data, sb, ss, err)
                : GR_ERROR(err, GR_ENOMEM, "train checkpoint: out of memory");
        if (st == GR_OK) st = gr_h5_dset_write(g, "eval_sampler", GR_H5_U8, 1, &ss, sb, err);
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
    if (st == GR_OK) {
        char sum[GR_DIGEST_LEN + 1];
        ckpt_digest(r, step, tsum, eb, es, sb, ss, sum);
        st = gr_h5_attr_write_str(g, "checksum", sum, err);
    }
    free(eb);
    free(sb);
    free(tsum);
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
 * checkpoint at path (the rows and datasets are written again through the writer, in the
 * same order: the resumed run's file is the uninterrupted run's; with r->w NULL nothing is
 * written: gr_protocol_train_check_checkpoint). The train group's checksum is compared
 * once everything is read, so a damaged checkpoint fails here (in the runner's check
 * before any run starts, and again in the worker). Messages name the file and what was
 * expected; nothing is prefixed ("train: resume from FILE: " is the caller's). */
static int ckpt_load(tr *r, const char *path, gr_error *err) {
    hid_t f = gr_h5_file_open(path, 0, err);
    if (f < 0) return err ? err->status : GR_EIO;
    hid_t g = -1, tg = -1, dg = -1;
    char *s = NULL, *tsum = NULL, *sum = NULL;
    unsigned char *eb = NULL, *sb = NULL;
    size_t es = 0, ss = 0;
    int32_t ver = 0;
    uint64_t ncols = 0, nrows = 0, nds = 0, nev = 0, step = 0;
    int st = GR_OK;
    if (gr_h5_link_kind(f, "train") != 1)
        st = GR_ERROR(err, GR_EFORMAT,
                      "no group /train: not a checkpoint of the train protocol (format \"%s\")",
                      TR_CKPT_FORMAT);
    if (st == GR_OK && (g = gr_h5_group_open(f, "train", err)) < 0) st = GR_EFORMAT;
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "format", &s, err);
    if (st == GR_OK && strcmp(s, TR_CKPT_FORMAT) != 0)
        st = GR_ERROR(err, GR_EFORMAT, "not a train checkpoint (format \"%s\", expected \"%s\")", s,
                      TR_CKPT_FORMAT);
    if (st == GR_OK) st = gr_h5_attr_read_i32(g, "format_version", &ver, err);
    if (st == GR_OK && ver != TR_CKPT_VERSION)
        st = GR_ERROR(err, GR_EFORMAT, "train checkpoint version %d, this build reads %d", (int)ver,
                      TR_CKPT_VERSION);
    free(s);
    s = NULL;
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "run_id", &s, err);
    if (st == GR_OK && strcmp(s, r->run->id) != 0)
        st = GR_ERROR(err, GR_EMISMATCH,
                      "checkpoint of run %s, expected run %s (another run's or another "
                      "experiment's file)",
                      s, r->run->id);
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "checksum", &sum, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "step", &step, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_cols", &ncols, err);
    if (st == GR_OK && ncols != r->ncols)
        st = GR_ERROR(err, GR_EMISMATCH, "n_cols = %" PRIu64 ", expected %zu (this run's series)",
                      ncols, r->ncols);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_rows", &nrows, err);
    if (st == GR_OK && nrows > step + 2)
        st = GR_ERROR(err, GR_EFORMAT, "n_rows = %" PRIu64 ", expected at most step + 2 = %" PRIu64,
                      nrows, step + 2);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_datasets", &nds, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_evals", &nev, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "train_seconds", &r->t_train, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "eval_seconds", &r->t_eval, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "probe_seconds", &r->t_probe, err);
    if (st == GR_OK && (tg = gr_h5_group_open(f, "trainer", err)) < 0) st = GR_EFORMAT;
    if (st == GR_OK) st = gr_h5_attr_read_str(tg, "checksum", &tsum, err);
    if (st == GR_OK) st = gr_gan_checkpoint_read_group(tg, r->t, err);
    if (st == GR_OK && gr_gan_trainer_iter(r->t) != step)
        st = GR_ERROR(err, GR_EFORMAT, "step = %" PRIu64 ", expected the trainer's %" PRIu64, step,
                      gr_gan_trainer_iter(r->t));
    if (st == GR_OK) {
        es = gr_rng_state_size(r->erng);
        eb = malloc(es);
        st = eb ? gr_h5_dset_read(g, "eval_rng", GR_H5_U8, 1, &es, eb, err)
                : GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_rng_state_load(r->erng, eb, es, err);
    }
    ss = gr_sampler_state_size(r->eval_data);
    if (st == GR_OK && ss > 0) {
        sb = malloc(ss);
        st = sb ? gr_h5_dset_read(g, "eval_sampler", GR_H5_U8, 1, &ss, sb, err)
                : GR_ERROR(err, GR_ENOMEM, "out of memory");
        if (st == GR_OK) st = gr_sampler_state_load(r->eval_data, sb, ss, err);
    }
    if (st == GR_OK) st = track_ckpt_read(r, g, err);
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
            /* the step column is read before the checksum is compared: converting a NaN,
             * negative or huge double to uint64_t would be undefined (found while writing the
             * train_checkpoint fuzz target) */
            double sv = rows[i * dims[1]];
            if (!(sv >= 0 && sv <= (double)step && sv < 0x1p64 && sv == floor(sv))) {
                st = GR_ERROR(err, GR_EFORMAT,
                              "rows[%zu]: step %g is not an integer in [0, %" PRIu64
                              "] (the checkpoint's step)",
                              i, sv, step);
                break;
            }
            row_reset(r, (uint64_t)sv);
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
    if (st == GR_OK) {
        char want[GR_DIGEST_LEN + 1];
        ckpt_digest(r, step, tsum, eb, eb ? es : 0, sb, sb ? ss : 0, want);
        if (strcmp(want, sum) != 0)
            st = GR_ERROR(err, GR_EFORMAT,
                          "/train checksum %.15s... does not match its contents (%.15s...): the "
                          "file is damaged",
                          sum, want);
    }
    free(s);
    free(sum);
    free(tsum);
    free(eb);
    free(sb);
    if (dg >= 0) H5Gclose(dg);
    if (tg >= 0) H5Gclose(tg);
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);
    return st;
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
    gr_mlp_free(r->ed);
    free(r->eo);
    gr_mnist_free(r->mn_sub);
    gr_mnist_free(r->mn_train);
    gr_mnist_free(r->mn_valid);
    gr_mnist_free(r->mn_test);
    free(r->log);
    for (size_t i = 0; i < r->n_ds; i++)
        free(r->ds[i].data);
    free(r->ds);
    free(r->trk.ring);
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
    int hs = r->has_scores && !diverged, rs = r->ie != NULL, hd = r->has_dv && !diverged;
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
        {"classifier_test_accuracy",
         r->clf ? gr_classifier_get_record(r->clf)->test_accuracy : NAN},
        {"final_d_value_train", hd ? r->last_dvt : NAN},
        {"final_d_value_valid", hd ? r->last_dvv : NAN},
        {"final_d_value_gap", hd ? r->last_dvt - r->last_dvv : NAN},
        {"final_d_value_gap_rel", hd ? (r->last_dvt - r->last_dvv) / fabs(r->last_dvt) : NAN},
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
    if (r->clf) {
        /* which classifier scored the images: how this run got it, when it was trained */
        static const char *const how[] = {"loaded", "trained", "retrained", "replaced_bad"};
        int k = r->clf_source >= 0 && r->clf_source < 4 ? r->clf_source : 0;
        GR_TRY(gr_h5_attr_write_str(g, "classifier_source", how[k], err));
        GR_TRY(gr_h5_attr_write_f64(g, "classifier_train_seconds",
                                    gr_classifier_get_record(r->clf)->train_seconds, err));
    }
    return track_final(r, err);
}

static int eval_due(const tr *r, uint64_t step) {
    if (step == r->steps) return 1;
    return r->eval_every > 0 && step % r->eval_every == 0;
}

/* 2-D data with a density and a box: the density on a TR_DENSITY_GRID^2 grid over the box
 * (point (i, j) = lo + (hi - lo) * (i, j) / (grid - 1), first coordinate slowest, as the
 * surface probe) and the box, for the figure's sample scatters. Written once at the start
 * and kept for the checkpoint (a resumed run gets it back from there). */
#define TR_DENSITY_GRID 128
static int write_density(tr *r, gr_error *err) {
    gr_density dens;
    gr_error quiet;
    gr_error_clear(&quiet);
    double lo[2], hi[2];
    if (r->xd != 2 || gr_sampler_density(r->data, &dens, &quiet) != GR_OK || dens.d != 2 ||
        gr_sampler_box(r->data, lo, hi, &quiet) != GR_OK)
        return GR_OK;
    const size_t g = TR_DENSITY_GRID;
    double *p = malloc(g * g * sizeof *p);
    if (!p) return GR_ERROR(err, GR_ENOMEM, "train: out of memory");
    int st = GR_OK;
    for (size_t i = 0; st == GR_OK && i < g; i++)
        for (size_t j = 0; st == GR_OK && j < g; j++) {
            double x[2] = {lo[0] + (hi[0] - lo[0]) * (double)i / (double)(g - 1),
                           lo[1] + (hi[1] - lo[1]) * (double)j / (double)(g - 1)},
                   lp;
            st = dens.logpdf(dens.ctx, x, &lp);
            if (st != GR_OK) st = GR_ERROR(err, st, "train: the data's density");
            p[i * g + j] = exp(lp);
        }
    double box[4] = {lo[0], hi[0], lo[1], hi[1]};
    if (st == GR_OK) st = dset_add(r, "probes", "data_density", g, g, p, err);
    if (st == GR_OK) st = dset_add(r, "probes", "data_box", 2, 2, box, err);
    free(p);
    return st;
}

/* Everything the run holds before its first step: samplers, config, trainer, evaluation
 * (check: only the evaluation stream, which is all a checkpoint restores of it; MNIST's
 * classifier and pixel-W1 floor are not computed), the estimate ring, the series. */
static int tr_setup(tr *r, const gr_run_desc *run, gr_results_run *w, int check, gr_error *err) {
    r->run = run;
    r->w = w;
    int st = make_samplers(r, err);
    if (st == GR_OK) r->xd = gr_sampler_dim(r->data);
    if (st == GR_OK) st = read_config(r, err);
    if (st == GR_OK)
        st = gr_rundesc_get_size(run, "schedule.checkpoint_every", &r->ckpt_every, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.every", &r->eval_every, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.n", &r->eval_n, err);
    if (st == GR_OK) st = gr_rundesc_get_size(run, "eval.n_modes", &r->n_modes, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.w1", &r->do_w1, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.floor", &r->do_floor, err);
    if (st == GR_OK) st = gr_rundesc_get_bool(run, "eval.modes", &r->do_modes, err);
    if (st == GR_OK && r->do_modes && !gr_sampler_modes(r->eval_data))
        st = GR_ERROR(err, GR_EINVAL, "train: eval.modes is true but %s has no modes",
                      gr_sampler_name(r->eval_data));
    if (st == GR_OK && r->set == SET_EMBEDDED)
        r->do_w1 = r->do_floor = 1; /* one solve gives both */
    if (st == GR_OK && r->set == SET_MNIST) {
        st = gr_rundesc_get_bool(run, "eval.classifier", &r->do_classifier, err);
        /* eval.save_images has no default (no run id changes): absent = false */
        if (st == GR_OK &&
            gr_rundesc_get_bool(run, "eval.save_images", &r->save_images, NULL) != GR_OK)
            r->save_images = 0;
        if (st == GR_OK) r->do_w1 = r->do_floor = r->do_w1 || r->do_floor; /* one call gives both */
    }
    if (st == GR_OK) st = gr_gan_trainer_alloc(&r->t, &r->cfg, r->data, run->seed, err);
    if (st == GR_OK && check) st = gr_rng_alloc(&r->erng, run->seed, GR_STREAM_EVAL, err);
    if (st == GR_OK && !check) st = eval_alloc(r, err);
    if (st == GR_OK) st = track_setup(r, err);
    if (st == GR_OK) {
        define_cols(r);
        if (r->ncols && w) st = gr_results_run_series_define(w, r->cols, r->ncols, err);
    }
    return st;
}

int gr_protocol_train_check_checkpoint(const gr_run_desc *run, const char *path, gr_error *err) {
    if (!run || !path) return GR_ERROR(err, GR_EINVAL, "check_checkpoint: NULL argument");
    tr r;
    memset(&r, 0, sizeof r);
    int st = tr_setup(&r, run, NULL, 1, err);
    if (st == GR_OK) st = ckpt_load(&r, path, err);
    tr_free(&r);
    return st;
}

int gr_protocol_train(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    tr r;
    memset(&r, 0, sizeof r);
    int st = tr_setup(&r, run, w, 0, err);
    if (st == GR_OK && gr_results_run_resume(w)) {
        const char *path = gr_results_run_checkpoint_path(w);
        st = PFX(err, ckpt_load(&r, path, err), "train: resume from %s: ", path);
    } else if (st == GR_OK)
        st = write_density(&r, err);
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
        if (s == GR_OK) track_push(&r);
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
