/* data/fixedgen.c — fixed "generators": noisy, shifted, rotated copies and collapsed mixtures
 * (see fixedgen.h). */
#include "data/fixedgen.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/mixture.h"
#include "prob/mixture.h"

typedef enum { FG_NOISY, FG_SHIFT, FG_ROTATE } fg_kind;

typedef struct {
    fg_kind kind;
    gr_sampler *inner;
    size_t d;
    double sigma;     /* noisy */
    double *v;        /* shift: d values */
    double c, s;      /* rotate: cos, sin */
    gr_density idens; /* inner density view (has_idens) */
    int has_idens;
    gr_mixture *mix; /* the transformed mixture, when the inner density is one */
    double *scratch; /* d values: the pre-image in logpdf */
    double *mu, *sd, *w;
    gr_modes modes;
    int has_modes;
    double *box; /* 2 d */
} fg_impl;

static void fg_free(void *p) {
    fg_impl *q = p;
    if (!q) return;
    gr_sampler_free(q->inner);
    gr_mixture_free(q->mix);
    free(q->v);
    free(q->scratch);
    free(q->mu);
    free(q->sd);
    free(q->w);
    free(q->box);
    free(q);
}

static void fg_apply(const fg_impl *q, double *x) { /* one point, in place (shift, rotate) */
    if (q->kind == FG_SHIFT) {
        for (size_t j = 0; j < q->d; j++)
            x[j] += q->v[j];
    } else if (q->kind == FG_ROTATE) {
        double a = x[0], b = x[1];
        x[0] = q->c * a - q->s * b;
        x[1] = q->s * a + q->c * b;
    }
}

static int fg_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    fg_impl *q = p;
    if (q->kind == FG_NOISY) { /* all n inner points first (a pool reads whole batches) */
        GR_TRY(gr_sampler_sample(q->inner, rng, n, x, err));
        for (size_t i = 0; i < n * q->d; i++)
            x[i] += q->sigma * gsl_ran_gaussian_ziggurat(rng, 1.0);
        return GR_OK;
    }
    GR_TRY(gr_sampler_sample(q->inner, rng, n, x, err));
    for (size_t i = 0; i < n; i++)
        fg_apply(q, x + i * q->d);
    return GR_OK;
}

static const gr_modes *fg_modes(const void *p) {
    const fg_impl *q = p;
    return q->has_modes ? &q->modes : NULL;
}

/* log p(x) = log p_inner(pre-image of x): shift and rotate are volume-preserving */
static int fg_logpdf(const void *ctx, const double *x, double *out) {
    fg_impl *q = (fg_impl *)ctx; /* scratch row (see fixedgen.h: not thread-safe) */
    if (q->kind == FG_SHIFT) {
        for (size_t j = 0; j < q->d; j++)
            q->scratch[j] = x[j] - q->v[j];
    } else {
        q->scratch[0] = q->c * x[0] + q->s * x[1];
        q->scratch[1] = -q->s * x[0] + q->c * x[1];
    }
    return q->idens.logpdf(q->idens.ctx, q->scratch, out);
}

static int fg_density(const void *p, gr_density *out, gr_error *err) {
    const fg_impl *q = p;
    if (q->mix) {
        gr_mixture_density(q->mix, out);
        return GR_OK;
    }
    if (q->kind == FG_NOISY || !q->has_idens)
        return GR_ERROR(err, GR_EINVAL, "%s-based sampler of %s has no density",
                        q->kind == FG_NOISY ? "noisy" : "transformed", gr_sampler_name(q->inner));
    *out = (gr_density){.d = q->d,
                        .logpdf = fg_logpdf,
                        .ctx = q,
                        .box_lo = q->box,
                        .box_hi = q->box ? q->box + q->d : NULL,
                        .mixture = NULL};
    return GR_OK;
}

static size_t fg_state_size(const void *p) {
    return gr_sampler_state_size(((const fg_impl *)p)->inner);
}

static int fg_state_save(const void *p, void *buf, size_t size, gr_error *err) {
    return gr_sampler_state_save(((const fg_impl *)p)->inner, buf, size, err);
}

static int fg_state_load(void *p, const void *buf, size_t size, gr_error *err) {
    return gr_sampler_state_load(((fg_impl *)p)->inner, buf, size, err);
}

static const gr_sampler_ops fg_ops = {fg_sample,     fg_modes,      fg_density, fg_state_size,
                                      fg_state_save, fg_state_load, fg_free};

/* The transformed mixture of the inner density's mixture structure, or none (GR_OK with
 * q->mix NULL) when it cannot be expressed as one. */
static int fg_make_mixture(fg_impl *q, gr_error *err) {
    const gr_mixture *im = q->has_idens ? q->idens.mixture : NULL;
    if (!im) return GR_OK;
    size_t k = im->k, d = im->d, kd = k * d; /* the inner mixture already holds k x d values */
    if (q->kind == FG_ROTATE)
        for (size_t c = 0; c < k; c++)
            if (im->sd[2 * c] != im->sd[2 * c + 1]) return GR_OK; /* not rotation-invariant */
    double *mu = malloc(kd * sizeof *mu), *sd = malloc(kd * sizeof *sd);
    int st = GR_OK;
    if (!mu || !sd) st = GR_ERROR(err, GR_ENOMEM, "fixed generator: mixture of %zu", k);
    for (size_t c = 0; st == GR_OK && c < k; c++) {
        memcpy(mu + c * d, im->mu + c * d, d * sizeof *mu);
        for (size_t j = 0; j < d; j++) {
            double s0 = im->sd[c * d + j];
            sd[c * d + j] = q->kind == FG_NOISY ? sqrt(s0 * s0 + q->sigma * q->sigma) : s0;
        }
        if (q->kind != FG_NOISY) fg_apply(q, mu + c * d);
    }
    if (st == GR_OK) st = gr_mixture_alloc(&q->mix, d, k, im->w, mu, sd, 0, err);
    free(mu);
    free(sd);
    return st;
}

static void fg_make_box(fg_impl *q, const double *lo, const double *hi) {
    size_t d = q->d;
    if (q->kind == FG_NOISY) {
        for (size_t j = 0; j < d; j++) {
            q->box[j] = lo[j] - GR_DENSITY_BOX_SDS * q->sigma;
            q->box[d + j] = hi[j] + GR_DENSITY_BOX_SDS * q->sigma;
        }
    } else if (q->kind == FG_SHIFT) {
        for (size_t j = 0; j < d; j++) {
            q->box[j] = lo[j] + q->v[j];
            q->box[d + j] = hi[j] + q->v[j];
        }
    } else {
        q->box[0] = q->box[1] = INFINITY;
        q->box[2] = q->box[3] = -INFINITY;
        for (int corner = 0; corner < 4; corner++) {
            double p[2] = {corner & 1 ? hi[0] : lo[0], corner & 2 ? hi[1] : lo[1]};
            fg_apply(q, p);
            for (int j = 0; j < 2; j++) {
                q->box[j] = fmin(q->box[j], p[j]);
                q->box[2 + j] = fmax(q->box[2 + j], p[j]);
            }
        }
    }
}

static int fg_alloc(gr_sampler **out, gr_sampler *inner, fg_kind kind, double sigma,
                    const double *v, double angle, gr_error *err) {
    static const char *names[] = {"noisy", "shift", "rotate"};
    const char *nm = names[kind];
    if (out) *out = NULL;
    int st = GR_OK;
    size_t d = gr_sampler_dim(inner);
    if (!out || !inner || (kind == FG_SHIFT && !v))
        st = GR_ERROR(err, GR_EINVAL, "fixed generator %s: NULL argument", nm);
    else if (kind == FG_NOISY && (!isfinite(sigma) || sigma < 0.0))
        st = GR_ERROR(err, GR_EDOM, "fixed generator noisy: need finite sigma >= 0, not %g", sigma);
    else if (kind == FG_ROTATE && d != 2)
        st = GR_ERROR(err, GR_EMISMATCH, "fixed generator rotate: %s is %zu-dimensional, not 2-D",
                      gr_sampler_name(inner), d);
    else if (kind == FG_ROTATE && !isfinite(angle))
        st = GR_ERROR(err, GR_EDOM, "fixed generator rotate: angle is %g", angle);
    for (size_t j = 0; st == GR_OK && kind == FG_SHIFT && j < d; j++)
        if (!isfinite(v[j]))
            st = GR_ERROR(err, GR_EDOM, "fixed generator shift: v[%zu] is %g", j, v[j]);
    fg_impl *q = NULL;
    if (st == GR_OK) {
        q = calloc(1, sizeof *q);
        if (!q) st = GR_ERROR(err, GR_ENOMEM, "fixed generator %s", nm);
    }
    if (st != GR_OK) {
        gr_sampler_free(inner); /* taken, also on failure */
        return st;
    }
    q->kind = kind;
    q->inner = inner;
    q->d = d;
    q->sigma = sigma;
    q->c = cos(angle);
    q->s = sin(angle);
    q->v = malloc(d * sizeof *q->v);
    q->scratch = malloc(d * sizeof *q->scratch);
    q->box = malloc(2 * d * sizeof *q->box);
    if (!q->v || !q->scratch || !q->box) {
        fg_free(q);
        return GR_ERROR(err, GR_ENOMEM, "fixed generator %s", nm);
    }
    if (kind == FG_SHIFT) memcpy(q->v, v, d * sizeof *q->v);
    q->has_idens = gr_sampler_density(inner, &q->idens, NULL) == GR_OK;
    st = fg_make_mixture(q, err);
    if (st != GR_OK) {
        fg_free(q);
        return gr_error_prefix(err, st, "fixed generator %s: ", nm);
    }
    const gr_modes *im = gr_sampler_modes(inner);
    if (im) {
        size_t kd = im->k * im->d; /* the inner holds this many values already */
        q->mu = malloc(kd * sizeof *q->mu);
        q->sd = malloc(im->k * sizeof *q->sd);
        q->w = malloc(im->k * sizeof *q->w);
        if (!q->mu || !q->sd || !q->w) {
            fg_free(q);
            return GR_ERROR(err, GR_ENOMEM, "fixed generator %s: modes", nm);
        }
        memcpy(q->mu, im->mu, kd * sizeof *q->mu);
        memcpy(q->w, im->w, im->k * sizeof *q->w);
        for (size_t c = 0; c < im->k; c++) {
            q->sd[c] = kind == FG_NOISY ? sqrt(im->sd[c] * im->sd[c] + sigma * sigma) : im->sd[c];
            if (kind != FG_NOISY) fg_apply(q, q->mu + c * d);
        }
        q->modes = (gr_modes){.k = im->k, .d = d, .mu = q->mu, .sd = q->sd, .w = q->w};
        q->has_modes = 1;
    }
    double *lo = NULL, *hi = NULL, *ibox = malloc(2 * d * sizeof *ibox);
    if (!ibox) {
        fg_free(q);
        return GR_ERROR(err, GR_ENOMEM, "fixed generator %s: box", nm);
    }
    if (gr_sampler_box(inner, ibox, ibox + d, NULL) == GR_OK) {
        fg_make_box(q, ibox, ibox + d);
        lo = q->box;
        hi = q->box + d;
    } else { /* no box: none here either */
        free(q->box);
        q->box = NULL;
    }
    free(ibox);
    char name[64];
    snprintf(name, sizeof name, "%s:%s", nm, gr_sampler_name(inner));
    return gr_sampler_wrap(out, q, &fg_ops, d, name, lo, hi, err);
}

int gr_data_noisy_alloc(gr_sampler **out, gr_sampler *inner, double sigma, gr_error *err) {
    return fg_alloc(out, inner, FG_NOISY, sigma, NULL, 0.0, err);
}

int gr_data_shift_alloc(gr_sampler **out, gr_sampler *inner, const double *v, gr_error *err) {
    return fg_alloc(out, inner, FG_SHIFT, 0.0, v, 0.0, err);
}

int gr_data_rotate_alloc(gr_sampler **out, gr_sampler *inner, double angle, gr_error *err) {
    return fg_alloc(out, inner, FG_ROTATE, 0.0, NULL, angle, err);
}

int gr_data_collapsed_alloc(gr_sampler **out, const gr_modes *modes, size_t m, const size_t *idx,
                            gr_error *err) {
    if (out) *out = NULL;
    if (!out || !modes || !idx || !modes->mu || !modes->sd || !modes->w)
        return GR_ERROR(err, GR_EINVAL, "gr_data_collapsed_alloc: NULL argument");
    if (m == 0 || m > modes->k)
        return GR_ERROR(err, GR_EINVAL, "gr_data_collapsed_alloc: need 1 <= m <= %zu, not %zu",
                        modes->k, m);
    size_t d = modes->d, md = 0;
    if (d == 0 || gr_size_mul(m, d, &md) || md > SIZE_MAX / sizeof(double))
        return GR_ERROR(err, GR_EINVAL, "gr_data_collapsed_alloc: bad dimension %zu", d);
    for (size_t i = 0; i < m; i++) {
        if (idx[i] >= modes->k)
            return GR_ERROR(err, GR_EINVAL,
                            "gr_data_collapsed_alloc: idx[%zu] = %zu, only %zu modes", i, idx[i],
                            modes->k);
        for (size_t j = 0; j < i; j++)
            if (idx[j] == idx[i])
                return GR_ERROR(err, GR_EINVAL, "gr_data_collapsed_alloc: mode %zu chosen twice",
                                idx[i]);
    }
    double *mu = malloc(md * sizeof *mu), *sd = malloc(m * sizeof *sd), *w = malloc(m * sizeof *w);
    int st = GR_OK;
    if (!mu || !sd || !w) st = GR_ERROR(err, GR_ENOMEM, "gr_data_collapsed_alloc");
    for (size_t i = 0; st == GR_OK && i < m; i++) {
        memcpy(mu + i * d, modes->mu + idx[i] * d, d * sizeof *mu);
        sd[i] = modes->sd[idx[i]];
        w[i] = modes->w[idx[i]];
    }
    if (st == GR_OK) st = gr_data_mixture_alloc(out, "collapsed", d, m, w, mu, sd, err);
    free(mu);
    free(sd);
    free(w);
    return st;
}
