/* eval/classifier.c — the MNIST classifier: training, prediction, the cache file (see
 * classifier.h for the contracts, the training protocol and the file layout).
 *
 * Three nets share one set of parameters: `net`, the whole MLP (training and the
 * validation accuracy), and, for prediction, `feat` (every layer but the last, ending in
 * the hidden activation) and `head` (the last affine layer alone). nn/mlp.h lays the
 * parameters out layer by layer, so feat's buffer is a prefix of net's and head's the
 * rest: sync_parts copies them after training or loading.
 */
#include "eval/classifier.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/rng.h"
#include "core/timer.h"
#include "io/atomic.h"
#include "io/checkpoint.h"
#include "io/digest.h"
#include "io/h5.h"
#include "io/h5io.h"
#include "nn/loss.h"

#define NET_NAME "classifier"

struct gr_classifier {
    gr_classifier_settings s;
    char arch[GR_CLASSIFIER_ARCH_MAX];
    size_t max_batch; /* prediction rows per pass */
    size_t in_dim, n_classes, feat_dim, n_params;
    gr_mlp *net;         /* whole net, max(batch, max_batch) rows */
    gr_mlp *feat, *head; /* prediction parts, max_batch rows */
    int trained;
    gr_classifier_record rec;
};

/* ---- settings --------------------------------------------------------------------------- */

gr_classifier_settings gr_classifier_settings_mnist(void) {
    gr_classifier_settings s;
    memset(&s, 0, sizeof s);
    s.spec.in_dim = 784;
    s.spec.n_hidden = 2;
    s.spec.hidden[0] = 512;
    s.spec.hidden[1] = 512;
    s.spec.out_dim = 10;
    s.spec.hidden_act = GR_ACT_RELU;
    s.spec.out_act = GR_ACT_IDENTITY;
    s.init = GR_INIT_TORCH;
    s.optim = gr_optim_config_default(GR_OPTIM_ADAM);
    s.lr_decay = 0.75;
    s.batch = 64;
    s.epochs = 12;
    s.seed = 1;
    return s;
}

static const char *init_name(gr_init i) {
    switch (i) {
    case GR_INIT_TORCH: return "torch";
    case GR_INIT_XAVIER: return "xavier";
    case GR_INIT_NORMAL: return "normal";
    case GR_INIT_HE: return "he";
    }
    return "?";
}

int gr_classifier_settings_validate(const gr_classifier_settings *s, gr_error *err) {
    if (!s) return GR_ERROR(err, GR_EINVAL, "classifier settings: NULL");
    int st = gr_mlp_spec_validate(&s->spec, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "classifier settings: ");
    if (s->spec.n_hidden < 1)
        return GR_ERROR(err, GR_EINVAL,
                        "classifier settings: spec needs >= 1 hidden layer "
                        "(the features are the last hidden layer's)");
    if (s->spec.out_dim < 2 || s->spec.out_dim > 256)
        return GR_ERROR(err, GR_EINVAL,
                        "classifier settings: out_dim = %zu classes, expected 2..256",
                        s->spec.out_dim);
    if (s->spec.out_act != GR_ACT_IDENTITY)
        return GR_ERROR(err, GR_EINVAL,
                        "classifier settings: out_act must be linear (logits; the softmax is "
                        "in the loss), got %s",
                        gr_act_name(s->spec.out_act));
    if (strcmp(init_name(s->init), "?") == 0)
        return GR_ERROR(err, GR_EINVAL, "classifier settings: unknown init %d", (int)s->init);
    st = gr_optim_config_validate(&s->optim, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "classifier settings: ");
    if (!(s->lr_decay > 0.0 && s->lr_decay <= 1.0))
        return GR_ERROR(err, GR_EINVAL, "classifier settings: lr_decay = %g, expected (0, 1]",
                        s->lr_decay);
    if (s->batch < 1) return GR_ERROR(err, GR_EINVAL, "classifier settings: batch = 0");
    if (s->epochs < 1) return GR_ERROR(err, GR_EINVAL, "classifier settings: epochs = 0");
    return GR_OK;
}

/* ---- object ----------------------------------------------------------------------------- */

static void record_clear(gr_classifier_record *r) {
    memset(r, 0, sizeof *r);
    r->train_loss = NAN;
    r->valid_loss = NAN;
    r->valid_accuracy = NAN;
    r->test_accuracy = NAN;
    r->train_seconds = NAN;
}

int gr_classifier_alloc(gr_classifier **out, const gr_classifier_settings *settings,
                        size_t max_batch, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_classifier_alloc: out is NULL");
    *out = NULL;
    GR_TRY(gr_classifier_settings_validate(settings, err));
    if (max_batch < 1) return GR_ERROR(err, GR_EINVAL, "gr_classifier_alloc: max_batch = 0");
    gr_classifier *c = calloc(1, sizeof *c);
    if (!c) return GR_ERROR(err, GR_ENOMEM, "gr_classifier_alloc: out of memory");
    c->s = *settings;
    c->max_batch = max_batch;
    const gr_mlp_spec *sp = &settings->spec;
    c->in_dim = sp->in_dim;
    c->n_classes = sp->out_dim;
    c->feat_dim = sp->hidden[sp->n_hidden - 1];
    c->n_params = gr_mlp_spec_n_params(sp);
    size_t len = gr_mlp_spec_describe(sp, c->arch, sizeof c->arch);
    record_clear(&c->rec);
    int st = GR_OK;
    if (len >= sizeof c->arch)
        st = GR_ERROR(err, GR_EINVAL, "gr_classifier_alloc: architecture string of %zu bytes", len);
    gr_mlp_spec fs = *sp, hs;
    fs.n_hidden = sp->n_hidden - 1;
    fs.out_dim = c->feat_dim;
    fs.out_act = sp->hidden_act;
    fs.out_alpha = sp->hidden_alpha;
    memset(&hs, 0, sizeof hs);
    hs.in_dim = c->feat_dim;
    hs.n_hidden = 0;
    hs.out_dim = c->n_classes;
    hs.hidden_act = GR_ACT_IDENTITY;
    hs.out_act = GR_ACT_IDENTITY;
    size_t net_rows = settings->batch > max_batch ? settings->batch : max_batch;
    if (st == GR_OK) st = gr_mlp_alloc(&c->net, sp, net_rows, err);
    if (st == GR_OK) st = gr_mlp_alloc(&c->feat, &fs, max_batch, err);
    if (st == GR_OK) st = gr_mlp_alloc(&c->head, &hs, max_batch, err);
    if (st == GR_OK && gr_mlp_n_params(c->feat) + gr_mlp_n_params(c->head) != c->n_params)
        st = GR_ERROR(err, GR_EINTERNAL,
                      "gr_classifier_alloc: feature + head parameters differ "
                      "from the net's");
    if (st != GR_OK) {
        gr_classifier_free(c);
        return st;
    }
    *out = c;
    return GR_OK;
}

void gr_classifier_free(gr_classifier *c) {
    if (!c) return;
    gr_mlp_free(c->net);
    gr_mlp_free(c->feat);
    gr_mlp_free(c->head);
    free(c);
}

const gr_classifier_settings *gr_classifier_get_settings(const gr_classifier *c) { return &c->s; }
int gr_classifier_is_trained(const gr_classifier *c) { return c->trained; }
const gr_classifier_record *gr_classifier_get_record(const gr_classifier *c) { return &c->rec; }
size_t gr_classifier_n_classes(const gr_classifier *c) { return c->n_classes; }
size_t gr_classifier_in_dim(const gr_classifier *c) { return c->in_dim; }
size_t gr_classifier_feature_dim(const gr_classifier *c) { return c->feat_dim; }
const char *gr_classifier_arch(const gr_classifier *c) { return c->arch; }

static void sync_parts(gr_classifier *c) {
    size_t nf = gr_mlp_n_params(c->feat);
    memcpy(gr_mlp_params(c->feat), gr_mlp_params(c->net), nf * sizeof(float));
    memcpy(gr_mlp_params(c->head), gr_mlp_params(c->net) + nf,
           gr_mlp_n_params(c->head) * sizeof(float));
}

/* ---- data checks --------------------------------------------------------------------------- */

/* A ReLU maps NaN to 0, so a non-finite pixel would not reach the loss: check inputs. */
static int check_finite(const char *fn, const char *what, const float *x, size_t n, size_t d,
                        gr_error *err) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            if (!isfinite(x[i * d + j]))
                return GR_ERROR(err, GR_EDOM, "%s: %s image[%zu][%zu] = %g is not finite", fn, what,
                                i, j, (double)x[i * d + j]);
    return GR_OK;
}

static int check_data(const char *fn, const char *what, const gr_classifier_data *d, size_t k,
                      size_t in_dim, int need_arrays, gr_error *err) {
    if (!d) return GR_ERROR(err, GR_EINVAL, "%s: %s set is NULL", fn, what);
    if (d->n < 1) return GR_ERROR(err, GR_EINVAL, "%s: %s set is empty", fn, what);
    if (!d->checksum || !d->checksum[0])
        return GR_ERROR(err, GR_EINVAL, "%s: %s set has no checksum", fn, what);
    if (strlen(d->checksum) >= GR_CLASSIFIER_CHECKSUM_MAX)
        return GR_ERROR(err, GR_EINVAL, "%s: %s checksum is longer than %d bytes", fn, what,
                        GR_CLASSIFIER_CHECKSUM_MAX - 1);
    if (!need_arrays) return GR_OK;
    if (!d->x || !d->y) return GR_ERROR(err, GR_EINVAL, "%s: %s set has no x or y", fn, what);
    for (size_t i = 0; i < d->n; i++)
        if (d->y[i] >= k)
            return GR_ERROR(err, GR_EINVAL, "%s: %s label[%zu] = %u, expected < %zu", fn, what, i,
                            (unsigned)d->y[i], k);
    return check_finite(fn, what, d->x, d->n, in_dim, err);
}

static size_t argmax_f(const float *v, size_t k) {
    size_t b = 0;
    for (size_t j = 1; j < k; j++)
        if (v[j] > v[b]) b = j;
    return b;
}

/* Accuracy of the whole net on d (rows in chunks of the net's max batch). */
static int net_accuracy(gr_classifier *c, const gr_classifier_data *d, double *acc, double *loss,
                        gr_error *err) {
    size_t rows = c->s.batch, right = 0;
    double loss_sum = 0.0;
    for (size_t i0 = 0; i0 < d->n; i0 += rows) {
        size_t b = d->n - i0 < rows ? d->n - i0 : rows;
        GR_TRY(gr_mlp_forward(c->net, NULL, d->x + i0 * c->in_dim, b, err));
        const float *o = gr_mlp_output(c->net);
        for (size_t i = 0; i < b; i++)
            right += argmax_f(o + i * c->n_classes, c->n_classes) == d->y[i0 + i];
        if (loss) {
            double l;
            int st = gr_loss_softmax_ce(&l, NULL, o, d->y + i0, b, c->n_classes, err);
            if (st == GR_EDOM)
                return GR_ERROR(err, GR_EDIVERGED, "classifier: non-finite logits on %zu rows", b);
            if (st != GR_OK) return st;
            loss_sum += l * (double)b;
        }
    }
    *acc = (double)right / (double)d->n;
    if (loss) *loss = loss_sum / (double)d->n;
    return GR_OK;
}

/* ---- training ------------------------------------------------------------------------------ */

typedef struct train_bufs {
    gsl_rng *rng;
    gr_optim *opt;
    size_t *perm;
    float *xb, *dy, *best;
    unsigned char *yb;
} train_bufs;

static void train_bufs_free(train_bufs *b) {
    gr_rng_free(b->rng);
    gr_optim_free(b->opt);
    free(b->perm);
    free(b->xb);
    free(b->dy);
    free(b->best);
    free(b->yb);
}

static int train_bufs_alloc(train_bufs *b, const gr_classifier *c, size_t n, gr_error *err) {
    memset(b, 0, sizeof *b);
    size_t B = c->s.batch, nx, ny, np, nperm;
    if (gr_size_mul(B, c->in_dim, &nx) || gr_size_mul(nx, sizeof(float), &nx) ||
        gr_size_mul(B, c->n_classes, &ny) || gr_size_mul(ny, sizeof(float), &ny) ||
        gr_size_mul(c->n_params, sizeof(float), &np) || gr_size_mul(n, sizeof(size_t), &nperm))
        return GR_ERROR(err, GR_EINVAL, "gr_classifier_train: buffer sizes overflow");
    GR_TRY(gr_rng_alloc(&b->rng, c->s.seed, GR_STREAM_CLASSIFIER, err));
    int st = gr_optim_alloc(&b->opt, &c->s.optim, c->n_params, err);
    if (st != GR_OK) return st;
    b->perm = malloc(nperm);
    b->xb = malloc(nx);
    b->dy = malloc(ny);
    b->best = malloc(np);
    b->yb = malloc(B);
    if (!b->perm || !b->xb || !b->dy || !b->best || !b->yb)
        return GR_ERROR(err, GR_ENOMEM, "gr_classifier_train: out of memory");
    return GR_OK;
}

static int train_run(gr_classifier *c, train_bufs *b, const gr_classifier_data *tr,
                     const gr_classifier_data *va, gr_classifier_progress_fn progress, void *ctx,
                     gr_classifier_record *rec, gr_error *err) {
    gr_timer tm;
    gr_timer_start(&tm);
    GR_TRY(gr_mlp_init(c->net, c->s.init, b->rng, err));
    float *params = gr_mlp_params(c->net);
    const float *grads = gr_mlp_grads(c->net);
    const size_t n = tr->n, d = c->in_dim, k = c->n_classes, B = c->s.batch;
    for (size_t i = 0; i < n; i++)
        b->perm[i] = i;
    double lr = c->s.optim.lr, best_acc = -1.0, best_loss = INFINITY;
    for (size_t e = 0; e < c->s.epochs; e++) {
        GR_TRY(gr_optim_set_lr(b->opt, lr, err));
        for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates, last row down */
            size_t j = (size_t)gsl_rng_uniform_int(b->rng, (unsigned long)(i + 1));
            size_t t = b->perm[i];
            b->perm[i] = b->perm[j];
            b->perm[j] = t;
        }
        double loss_sum = 0.0;
        size_t right = 0, n_batches = 0;
        for (size_t i0 = 0; i0 < n; i0 += B) {
            size_t bs = n - i0 < B ? n - i0 : B;
            for (size_t r = 0; r < bs; r++) {
                size_t src = b->perm[i0 + r];
                memcpy(b->xb + r * d, tr->x + src * d, d * sizeof(float));
                b->yb[r] = tr->y[src];
            }
            GR_TRY(gr_mlp_forward(c->net, NULL, b->xb, bs, err));
            const float *o = gr_mlp_output(c->net);
            double loss;
            int st = gr_loss_softmax_ce(&loss, b->dy, o, b->yb, bs, k, err);
            if (st == GR_EDOM)
                return GR_ERROR(err, GR_EDIVERGED,
                                "gr_classifier_train: epoch %zu, batch %zu: non-finite logits "
                                "(diverged, or non-finite images)",
                                e + 1, n_batches + 1);
            if (st != GR_OK) return st;
            for (size_t r = 0; r < bs; r++)
                right += argmax_f(o + r * k, k) == b->yb[r];
            loss_sum += loss;
            n_batches++;
            gr_mlp_zero_grad(c->net);
            GR_TRY(gr_mlp_backward(c->net, NULL, b->dy, bs, err));
            GR_TRY(gr_optim_step(b->opt, params, grads, c->n_params, err));
        }
        gr_classifier_epoch ep;
        ep.epoch = e + 1;
        ep.epochs = c->s.epochs;
        ep.lr = lr;
        ep.train_loss = loss_sum / (double)n_batches;
        ep.train_accuracy = (double)right / (double)n;
        GR_TRY(net_accuracy(c, va, &ep.valid_accuracy, &ep.valid_loss, err));
        ep.seconds = gr_timer_wall(&tm);
        if (ep.valid_accuracy > best_acc ||
            (ep.valid_accuracy == best_acc && ep.valid_loss < best_loss)) {
            best_acc = ep.valid_accuracy;
            best_loss = ep.valid_loss;
            rec->valid_loss = ep.valid_loss;
            memcpy(b->best, params, c->n_params * sizeof(float));
            rec->best_epoch = e + 1;
            rec->train_loss = ep.train_loss;
            rec->valid_accuracy = ep.valid_accuracy;
        }
        if (progress) {
            int st = progress(&ep, ctx);
            if (st != 0)
                return GR_ERROR(err, st,
                                "gr_classifier_train: stopped by the progress callback "
                                "after epoch %zu",
                                e + 1);
        }
        lr *= c->s.lr_decay;
    }
    memcpy(params, b->best, c->n_params * sizeof(float));
    rec->steps = (size_t)gr_optim_step_count(b->opt);
    rec->train_seconds = gr_timer_wall(&tm);
    return GR_OK;
}

int gr_classifier_train(gr_classifier *c, const gr_classifier_data *train,
                        const gr_classifier_data *valid, const gr_classifier_data *test,
                        gr_classifier_progress_fn progress, void *ctx, gr_error *err) {
    const char *fn = "gr_classifier_train";
    if (!c) return GR_ERROR(err, GR_EINVAL, "%s: classifier is NULL", fn);
    GR_TRY(check_data(fn, "training", train, c->n_classes, c->in_dim, 1, err));
    GR_TRY(check_data(fn, "validation", valid, c->n_classes, c->in_dim, 1, err));
    if (test) GR_TRY(check_data(fn, "test", test, c->n_classes, c->in_dim, 1, err));
    c->trained = 0;
    gr_classifier_record rec;
    record_clear(&rec);
    train_bufs b;
    int st = train_bufs_alloc(&b, c, train->n, err);
    if (st == GR_OK) st = train_run(c, &b, train, valid, progress, ctx, &rec, err);
    train_bufs_free(&b);
    if (st == GR_OK && test) st = net_accuracy(c, test, &rec.test_accuracy, NULL, err);
    if (st != GR_OK) {
        memset(gr_mlp_params(c->net), 0, c->n_params * sizeof(float));
        sync_parts(c);
        return st;
    }
    strcpy(rec.train_checksum, train->checksum);
    strcpy(rec.valid_checksum, valid->checksum);
    if (test) strcpy(rec.test_checksum, test->checksum);
    rec.n_train = train->n;
    rec.n_valid = valid->n;
    rec.n_test = test ? test->n : 0;
    c->rec = rec;
    sync_parts(c);
    c->trained = 1;
    return GR_OK;
}

/* ---- prediction ---------------------------------------------------------------------------- */

int gr_classifier_predict(gr_classifier *c, double *probs, float *features, unsigned char *labels,
                          const float *x, size_t n, gr_error *err) {
    if (!c || !x || n < 1)
        return GR_ERROR(err, GR_EINVAL, "gr_classifier_predict: NULL classifier or x, or n = 0");
    if (!c->trained) return GR_ERROR(err, GR_EINVAL, "gr_classifier_predict: not trained");
    GR_TRY(check_finite("gr_classifier_predict", "input", x, n, c->in_dim, err));
    const size_t k = c->n_classes, F = c->feat_dim;
    for (size_t i0 = 0; i0 < n; i0 += c->max_batch) {
        size_t b = n - i0 < c->max_batch ? n - i0 : c->max_batch;
        GR_TRY(gr_mlp_forward(c->feat, features ? features + i0 * F : NULL, x + i0 * c->in_dim, b,
                              err));
        if (!probs && !labels) continue;
        GR_TRY(gr_mlp_forward(c->head, NULL, gr_mlp_output(c->feat), b, err));
        const float *o = gr_mlp_output(c->head);
        for (size_t i = 0; i < b; i++) {
            const float *l = o + i * k;
            size_t a = argmax_f(l, k);
            if (labels) labels[i0 + i] = (unsigned char)a;
            if (!probs) continue;
            double *p = probs + (i0 + i) * k, m = (double)l[a], s = 0.0;
            for (size_t j = 0; j < k; j++) {
                if (!isfinite(l[j]))
                    return GR_ERROR(err, GR_EDOM,
                                    "gr_classifier_predict: row %zu: logit %zu is not finite",
                                    i0 + i, j);
                p[j] = exp((double)l[j] - m);
                s += p[j];
            }
            for (size_t j = 0; j < k; j++)
                p[j] /= s;
        }
    }
    return GR_OK;
}

int gr_classifier_accuracy(gr_classifier *c, const gr_classifier_data *data, double *accuracy,
                           gr_error *err) {
    if (!c || !accuracy) return GR_ERROR(err, GR_EINVAL, "gr_classifier_accuracy: NULL argument");
    if (!c->trained) return GR_ERROR(err, GR_EINVAL, "gr_classifier_accuracy: not trained");
    if (!data || !data->x || !data->y || data->n < 1)
        return GR_ERROR(err, GR_EINVAL, "gr_classifier_accuracy: empty or NULL data");
    GR_TRY(check_finite("gr_classifier_accuracy", "input", data->x, data->n, c->in_dim, err));
    return net_accuracy(c, data, accuracy, NULL, err);
}

/* ---- the cache file ------------------------------------------------------------------------ */

/* Everything the record attributes hold, as strings and numbers (what is written, read and
 * digested). */
typedef struct file_record {
    char arch[GR_CLASSIFIER_ARCH_MAX], init[32], optim_kind[32];
    double lr, weight_decay, momentum, dampening, alpha, beta1, beta2, eps, lr_decay;
    int32_t nesterov, centered;
    uint64_t batch, epochs, seed;
    char train_checksum[GR_CLASSIFIER_CHECKSUM_MAX], valid_checksum[GR_CLASSIFIER_CHECKSUM_MAX],
        test_checksum[GR_CLASSIFIER_CHECKSUM_MAX];
    uint64_t n_train, n_valid, n_test, best_epoch, steps;
    double train_loss, valid_loss, valid_accuracy, test_accuracy, train_seconds;
} file_record;

static void copy_str(char *dst, size_t size, const char *src) {
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The record of settings s (and the training record r, if not NULL). */
static void file_record_make(file_record *f, const gr_classifier *c,
                             const gr_classifier_record *r) {
    memset(f, 0, sizeof *f);
    const gr_classifier_settings *s = &c->s;
    copy_str(f->arch, sizeof f->arch, c->arch);
    copy_str(f->init, sizeof f->init, init_name(s->init));
    copy_str(f->optim_kind, sizeof f->optim_kind, gr_optim_kind_name(s->optim.kind));
    f->lr = s->optim.lr;
    f->weight_decay = s->optim.weight_decay;
    f->momentum = s->optim.momentum;
    f->dampening = s->optim.dampening;
    f->alpha = s->optim.alpha;
    f->beta1 = s->optim.beta1;
    f->beta2 = s->optim.beta2;
    f->eps = s->optim.eps;
    f->lr_decay = s->lr_decay;
    f->nesterov = s->optim.nesterov;
    f->centered = s->optim.centered;
    f->batch = s->batch;
    f->epochs = s->epochs;
    f->seed = s->seed;
    if (!r) return;
    copy_str(f->train_checksum, sizeof f->train_checksum, r->train_checksum);
    copy_str(f->valid_checksum, sizeof f->valid_checksum, r->valid_checksum);
    copy_str(f->test_checksum, sizeof f->test_checksum, r->test_checksum);
    f->n_train = r->n_train;
    f->n_valid = r->n_valid;
    f->n_test = r->n_test;
    f->best_epoch = r->best_epoch;
    f->steps = r->steps;
    f->train_loss = r->train_loss;
    f->valid_loss = r->valid_loss;
    f->valid_accuracy = r->valid_accuracy;
    f->test_accuracy = r->test_accuracy;
    f->train_seconds = r->train_seconds;
}

static void file_record_digest(const file_record *f, char out[GR_DIGEST_LEN + 1]) {
    gr_digest d;
    gr_digest_init(&d);
    gr_digest_str(&d, "format", GR_CLASSIFIER_FORMAT);
    gr_digest_u64(&d, "format_version", GR_CLASSIFIER_VERSION);
    gr_digest_str(&d, "arch", f->arch);
    gr_digest_str(&d, "init", f->init);
    gr_digest_str(&d, "optim_kind", f->optim_kind);
    gr_digest_f64(&d, "lr", f->lr);
    gr_digest_f64(&d, "weight_decay", f->weight_decay);
    gr_digest_f64(&d, "momentum", f->momentum);
    gr_digest_f64(&d, "dampening", f->dampening);
    gr_digest_f64(&d, "alpha", f->alpha);
    gr_digest_f64(&d, "beta1", f->beta1);
    gr_digest_f64(&d, "beta2", f->beta2);
    gr_digest_f64(&d, "eps", f->eps);
    gr_digest_f64(&d, "lr_decay", f->lr_decay);
    gr_digest_i64(&d, "nesterov", f->nesterov);
    gr_digest_i64(&d, "centered", f->centered);
    gr_digest_u64(&d, "batch", f->batch);
    gr_digest_u64(&d, "epochs", f->epochs);
    gr_digest_u64(&d, "seed", f->seed);
    gr_digest_str(&d, "train_checksum", f->train_checksum);
    gr_digest_str(&d, "valid_checksum", f->valid_checksum);
    gr_digest_str(&d, "test_checksum", f->test_checksum);
    gr_digest_u64(&d, "n_train", f->n_train);
    gr_digest_u64(&d, "n_valid", f->n_valid);
    gr_digest_u64(&d, "n_test", f->n_test);
    gr_digest_u64(&d, "best_epoch", f->best_epoch);
    gr_digest_u64(&d, "steps", f->steps);
    gr_digest_f64(&d, "train_loss", f->train_loss);
    gr_digest_f64(&d, "valid_loss", f->valid_loss);
    gr_digest_f64(&d, "valid_accuracy", f->valid_accuracy);
    gr_digest_f64(&d, "test_accuracy", f->test_accuracy);
    gr_digest_f64(&d, "train_seconds", f->train_seconds);
    gr_digest_end(&d, out);
}

static int file_record_write(hid_t g, const file_record *f, gr_error *err) {
    char sum[GR_DIGEST_LEN + 1];
    file_record_digest(f, sum);
    GR_TRY(gr_h5_attr_write_str(g, "format", GR_CLASSIFIER_FORMAT, err));
    GR_TRY(gr_h5_attr_write_i32(g, "format_version", GR_CLASSIFIER_VERSION, err));
    GR_TRY(gr_h5_attr_write_str(g, "arch", f->arch, err));
    GR_TRY(gr_h5_attr_write_str(g, "init", f->init, err));
    GR_TRY(gr_h5_attr_write_str(g, "optim_kind", f->optim_kind, err));
    GR_TRY(gr_h5_attr_write_f64(g, "lr", f->lr, err));
    GR_TRY(gr_h5_attr_write_f64(g, "weight_decay", f->weight_decay, err));
    GR_TRY(gr_h5_attr_write_f64(g, "momentum", f->momentum, err));
    GR_TRY(gr_h5_attr_write_f64(g, "dampening", f->dampening, err));
    GR_TRY(gr_h5_attr_write_f64(g, "alpha", f->alpha, err));
    GR_TRY(gr_h5_attr_write_f64(g, "beta1", f->beta1, err));
    GR_TRY(gr_h5_attr_write_f64(g, "beta2", f->beta2, err));
    GR_TRY(gr_h5_attr_write_f64(g, "eps", f->eps, err));
    GR_TRY(gr_h5_attr_write_f64(g, "lr_decay", f->lr_decay, err));
    GR_TRY(gr_h5_attr_write_i32(g, "nesterov", f->nesterov, err));
    GR_TRY(gr_h5_attr_write_i32(g, "centered", f->centered, err));
    GR_TRY(gr_h5_attr_write_u64(g, "batch", f->batch, err));
    GR_TRY(gr_h5_attr_write_u64(g, "epochs", f->epochs, err));
    GR_TRY(gr_h5_attr_write_u64(g, "seed", f->seed, err));
    GR_TRY(gr_h5_attr_write_str(g, "train_checksum", f->train_checksum, err));
    GR_TRY(gr_h5_attr_write_str(g, "valid_checksum", f->valid_checksum, err));
    GR_TRY(gr_h5_attr_write_str(g, "test_checksum", f->test_checksum, err));
    GR_TRY(gr_h5_attr_write_u64(g, "n_train", f->n_train, err));
    GR_TRY(gr_h5_attr_write_u64(g, "n_valid", f->n_valid, err));
    GR_TRY(gr_h5_attr_write_u64(g, "n_test", f->n_test, err));
    GR_TRY(gr_h5_attr_write_u64(g, "best_epoch", f->best_epoch, err));
    GR_TRY(gr_h5_attr_write_u64(g, "steps", f->steps, err));
    GR_TRY(gr_h5_attr_write_f64(g, "train_loss", f->train_loss, err));
    GR_TRY(gr_h5_attr_write_f64(g, "valid_loss", f->valid_loss, err));
    GR_TRY(gr_h5_attr_write_f64(g, "valid_accuracy", f->valid_accuracy, err));
    GR_TRY(gr_h5_attr_write_f64(g, "test_accuracy", f->test_accuracy, err));
    GR_TRY(gr_h5_attr_write_f64(g, "train_seconds", f->train_seconds, err));
    return gr_h5_attr_write_str(g, "record_checksum", sum, err);
}

static int read_str_into(hid_t g, const char *name, char *dst, size_t size, gr_error *err) {
    char *s = NULL;
    GR_TRY(gr_h5_attr_read_str(g, name, &s, err));
    size_t n = strlen(s);
    int st = GR_OK;
    if (n >= size)
        st = GR_ERROR(err, GR_EFORMAT, "attribute \"%s\" is %zu bytes, at most %zu expected", name,
                      n, size - 1);
    else
        memcpy(dst, s, n + 1);
    free(s);
    return st;
}

static int file_record_read(hid_t g, file_record *f, gr_error *err) {
    memset(f, 0, sizeof *f);
    char fmt[64], sum[GR_DIGEST_LEN + 1], want[GR_DIGEST_LEN + 1];
    int32_t ver = 0;
    GR_TRY(read_str_into(g, "format", fmt, sizeof fmt, err));
    if (strcmp(fmt, GR_CLASSIFIER_FORMAT) != 0)
        return GR_ERROR(err, GR_EFORMAT, "format \"%s\", expected \"%s\"", fmt,
                        GR_CLASSIFIER_FORMAT);
    GR_TRY(gr_h5_attr_read_i32(g, "format_version", &ver, err));
    if (ver != GR_CLASSIFIER_VERSION)
        return GR_ERROR(err, GR_EFORMAT, "format_version %d, this build reads %d", (int)ver,
                        GR_CLASSIFIER_VERSION);
    GR_TRY(read_str_into(g, "arch", f->arch, sizeof f->arch, err));
    GR_TRY(read_str_into(g, "init", f->init, sizeof f->init, err));
    GR_TRY(read_str_into(g, "optim_kind", f->optim_kind, sizeof f->optim_kind, err));
    GR_TRY(gr_h5_attr_read_f64(g, "lr", &f->lr, err));
    GR_TRY(gr_h5_attr_read_f64(g, "weight_decay", &f->weight_decay, err));
    GR_TRY(gr_h5_attr_read_f64(g, "momentum", &f->momentum, err));
    GR_TRY(gr_h5_attr_read_f64(g, "dampening", &f->dampening, err));
    GR_TRY(gr_h5_attr_read_f64(g, "alpha", &f->alpha, err));
    GR_TRY(gr_h5_attr_read_f64(g, "beta1", &f->beta1, err));
    GR_TRY(gr_h5_attr_read_f64(g, "beta2", &f->beta2, err));
    GR_TRY(gr_h5_attr_read_f64(g, "eps", &f->eps, err));
    GR_TRY(gr_h5_attr_read_f64(g, "lr_decay", &f->lr_decay, err));
    GR_TRY(gr_h5_attr_read_i32(g, "nesterov", &f->nesterov, err));
    GR_TRY(gr_h5_attr_read_i32(g, "centered", &f->centered, err));
    GR_TRY(gr_h5_attr_read_u64(g, "batch", &f->batch, err));
    GR_TRY(gr_h5_attr_read_u64(g, "epochs", &f->epochs, err));
    GR_TRY(gr_h5_attr_read_u64(g, "seed", &f->seed, err));
    GR_TRY(read_str_into(g, "train_checksum", f->train_checksum, sizeof f->train_checksum, err));
    GR_TRY(read_str_into(g, "valid_checksum", f->valid_checksum, sizeof f->valid_checksum, err));
    GR_TRY(read_str_into(g, "test_checksum", f->test_checksum, sizeof f->test_checksum, err));
    GR_TRY(gr_h5_attr_read_u64(g, "n_train", &f->n_train, err));
    GR_TRY(gr_h5_attr_read_u64(g, "n_valid", &f->n_valid, err));
    GR_TRY(gr_h5_attr_read_u64(g, "n_test", &f->n_test, err));
    GR_TRY(gr_h5_attr_read_u64(g, "best_epoch", &f->best_epoch, err));
    GR_TRY(gr_h5_attr_read_u64(g, "steps", &f->steps, err));
    GR_TRY(gr_h5_attr_read_f64(g, "train_loss", &f->train_loss, err));
    GR_TRY(gr_h5_attr_read_f64(g, "valid_loss", &f->valid_loss, err));
    GR_TRY(gr_h5_attr_read_f64(g, "valid_accuracy", &f->valid_accuracy, err));
    GR_TRY(gr_h5_attr_read_f64(g, "test_accuracy", &f->test_accuracy, err));
    GR_TRY(gr_h5_attr_read_f64(g, "train_seconds", &f->train_seconds, err));
    GR_TRY(read_str_into(g, "record_checksum", sum, sizeof sum, err));
    file_record_digest(f, want);
    if (strcmp(sum, want) != 0)
        return GR_ERROR(err, GR_EFORMAT, "record checksum %s, the record read gives %s (damaged)",
                        sum, want);
    return GR_OK;
}

typedef struct save_ctx {
    const gr_classifier *c;
    const char *path;
} save_ctx;

static int save_writer(const char *tmp, void *vctx, gr_error *err) {
    const save_ctx *x = vctx;
    const gr_classifier *c = x->c;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return (int)f;
    file_record fr;
    file_record_make(&fr, c, &c->rec);
    int st = file_record_write(f, &fr, err);
    if (st == GR_OK) {
        hid_t g = gr_h5_group_create(f, "checkpoint", err);
        if (g < 0) {
            st = (int)g;
        } else {
            gr_checkpoint_net net = {NET_NAME, c->arch, gr_mlp_params(c->net), c->n_params, NULL};
            st = gr_checkpoint_write_group(g, c->rec.steps, &net, 1, NULL, 0, err);
            H5Gclose(g);
        }
    }
    if (H5Fclose(f) < 0 && st == GR_OK) st = GR_H5_ERROR(err, "closing %s", tmp);
    return st;
}

int gr_classifier_save(const gr_classifier *c, const char *path, gr_error *err) {
    if (!c || !path || !path[0])
        return GR_ERROR(err, GR_EINVAL, "gr_classifier_save: NULL classifier or empty path");
    if (!c->trained) return GR_ERROR(err, GR_EINVAL, "gr_classifier_save: not trained");
    gr_h5_quiet();
    save_ctx x = {c, path};
    int st = gr_atomic_write(path, save_writer, &x, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "classifier %s: ", path);
    return GR_OK;
}

#define MISMATCH_S(field, got, want)                                                               \
    do {                                                                                           \
        if (strcmp((got), (want)) != 0)                                                            \
            return GR_ERROR(err, GR_EMISMATCH, "%s \"%s\" in the file, \"%s\" asked", field, got,  \
                            want);                                                                 \
    } while (0)
#define MISMATCH_U(field, got, want)                                                               \
    do {                                                                                           \
        if ((uint64_t)(got) != (uint64_t)(want))                                                   \
            return GR_ERROR(err, GR_EMISMATCH, "%s %llu in the file, %llu asked", field,           \
                            (unsigned long long)(got), (unsigned long long)(want));                \
    } while (0)
#define MISMATCH_F(field, got, want)                                                               \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (memcmp(&g_, &w_, sizeof g_) != 0)                                                      \
            return GR_ERROR(err, GR_EMISMATCH, "%s %.17g in the file, %.17g asked", field, g_,     \
                            w_);                                                                   \
    } while (0)

/* The file's record against what the caller asks: settings first, then each data set. */
static int compare_record(const file_record *f, const file_record *w, const gr_classifier_data *tr,
                          const gr_classifier_data *va, const gr_classifier_data *te,
                          gr_error *err) {
    MISMATCH_S("arch", f->arch, w->arch);
    MISMATCH_S("init", f->init, w->init);
    MISMATCH_S("optim_kind", f->optim_kind, w->optim_kind);
    MISMATCH_F("lr", f->lr, w->lr);
    MISMATCH_F("weight_decay", f->weight_decay, w->weight_decay);
    MISMATCH_F("momentum", f->momentum, w->momentum);
    MISMATCH_F("dampening", f->dampening, w->dampening);
    MISMATCH_F("alpha", f->alpha, w->alpha);
    MISMATCH_F("beta1", f->beta1, w->beta1);
    MISMATCH_F("beta2", f->beta2, w->beta2);
    MISMATCH_F("eps", f->eps, w->eps);
    MISMATCH_F("lr_decay", f->lr_decay, w->lr_decay);
    MISMATCH_U("nesterov", f->nesterov, w->nesterov);
    MISMATCH_U("centered", f->centered, w->centered);
    MISMATCH_U("batch", f->batch, w->batch);
    MISMATCH_U("epochs", f->epochs, w->epochs);
    MISMATCH_U("seed", f->seed, w->seed);
    if (tr) {
        MISMATCH_S("training data checksum", f->train_checksum, tr->checksum);
        MISMATCH_U("training data size", f->n_train, tr->n);
    }
    if (va) {
        MISMATCH_S("validation data checksum", f->valid_checksum, va->checksum);
        MISMATCH_U("validation data size", f->n_valid, va->n);
    }
    if (te) {
        MISMATCH_S("test data checksum", f->test_checksum, te->checksum);
        MISMATCH_U("test data size", f->n_test, te->n);
    }
    return GR_OK;
}

static int load_file(gr_classifier *c, hid_t f, float *params, gr_classifier_record *rec,
                     const gr_classifier_data *tr, const gr_classifier_data *va,
                     const gr_classifier_data *te, gr_error *err) {
    file_record fr, want;
    GR_TRY(file_record_read(f, &fr, err));
    file_record_make(&want, c, NULL);
    GR_TRY(compare_record(&fr, &want, tr, va, te, err));
    hid_t g = gr_h5_group_open(f, "checkpoint", err);
    if (g < 0) return (int)g;
    gr_checkpoint_net net = {NET_NAME, c->arch, params, c->n_params, NULL};
    uint64_t step = 0;
    int st = gr_checkpoint_read_group(g, &step, &net, 1, NULL, 0, err);
    H5Gclose(g);
    if (st == GR_EMISMATCH) st = GR_EFORMAT; /* the record matched: the net must too */
    if (st != GR_OK) return st;
    if (step != fr.steps)
        return GR_ERROR(err, GR_EFORMAT, "checkpoint step %llu, record steps %llu",
                        (unsigned long long)step, (unsigned long long)fr.steps);
    record_clear(rec);
    copy_str(rec->train_checksum, sizeof rec->train_checksum, fr.train_checksum);
    copy_str(rec->valid_checksum, sizeof rec->valid_checksum, fr.valid_checksum);
    copy_str(rec->test_checksum, sizeof rec->test_checksum, fr.test_checksum);
    rec->n_train = (size_t)fr.n_train;
    rec->n_valid = (size_t)fr.n_valid;
    rec->n_test = (size_t)fr.n_test;
    rec->best_epoch = (size_t)fr.best_epoch;
    rec->steps = (size_t)fr.steps;
    rec->train_loss = fr.train_loss;
    rec->valid_loss = fr.valid_loss;
    rec->valid_accuracy = fr.valid_accuracy;
    rec->test_accuracy = fr.test_accuracy;
    rec->train_seconds = fr.train_seconds;
    return GR_OK;
}

int gr_classifier_load(gr_classifier *c, const char *path, const gr_classifier_data *train,
                       const gr_classifier_data *valid, const gr_classifier_data *test,
                       gr_error *err) {
    const char *fn = "gr_classifier_load";
    if (!c || !path || !path[0])
        return GR_ERROR(err, GR_EINVAL, "%s: NULL classifier or empty path", fn);
    if (train) GR_TRY(check_data(fn, "training", train, c->n_classes, c->in_dim, 0, err));
    if (valid) GR_TRY(check_data(fn, "validation", valid, c->n_classes, c->in_dim, 0, err));
    if (test) GR_TRY(check_data(fn, "test", test, c->n_classes, c->in_dim, 0, err));
    gr_h5_quiet();
    float *params = malloc(c->n_params * sizeof(float));
    if (!params) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", fn);
    hid_t f = gr_h5_file_open(path, 0, err);
    int st = f < 0 ? (int)f : GR_OK;
    gr_classifier_record rec;
    if (st == GR_OK) {
        st = load_file(c, f, params, &rec, train, valid, test, err);
        H5Fclose(f);
    }
    if (st == GR_OK) {
        memcpy(gr_mlp_params(c->net), params, c->n_params * sizeof(float));
        c->rec = rec;
        sync_parts(c);
        c->trained = 1;
    }
    free(params);
    if (st != GR_OK) return gr_error_prefix(err, st, "classifier %s: ", path);
    return GR_OK;
}

int gr_classifier_obtain(gr_classifier *c, const char *path, const gr_classifier_data *train,
                         const gr_classifier_data *valid, const gr_classifier_data *test,
                         gr_classifier_progress_fn progress, void *ctx,
                         gr_classifier_source *source, gr_error *why, gr_error *err) {
    if (!c || !path) return GR_ERROR(err, GR_EINVAL, "gr_classifier_obtain: NULL argument");
    gr_error le;
    gr_error_clear(&le);
    gr_classifier_source src;
    int st = gr_classifier_load(c, path, train, valid, test, &le);
    if (st == GR_OK) {
        src = GR_CLASSIFIER_LOADED;
    } else if (st == GR_EIO && access(path, F_OK) != 0) {
        src = GR_CLASSIFIER_TRAINED_NEW;
    } else if (st == GR_EMISMATCH) {
        src = GR_CLASSIFIER_RETRAINED;
    } else if (st == GR_EFORMAT) {
        src = GR_CLASSIFIER_REPLACED_BAD;
    } else {
        if (err) *err = le;
        return st;
    }
    if (why) *why = le;
    if (source) *source = src;
    if (src == GR_CLASSIFIER_LOADED) return GR_OK;
    GR_TRY(gr_classifier_train(c, train, valid, test, progress, ctx, err));
    return gr_classifier_save(c, path, err);
}
