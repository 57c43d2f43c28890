/* data/sampler.c — dispatch of the gr_sampler operations (data/sampler.h). */
#include "data/sampler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define GR_SAMPLER_NAME_MAX 64

struct gr_sampler {
    void *impl;
    gr_sampler_ops ops;
    size_t d;
    char name[GR_SAMPLER_NAME_MAX];
    double *box; /* 2d: lo then hi; NULL when none */
};

int gr_sampler_wrap(gr_sampler **out, void *impl, const gr_sampler_ops *ops, size_t d,
                    const char *name, const double *box_lo, const double *box_hi, gr_error *err) {
    if (out) *out = NULL;
    int st = GR_OK;
    if (!out || !ops || !ops->sample || !name)
        st = GR_ERROR(err, GR_EINVAL, "gr_sampler_wrap: NULL argument or no sample operation");
    else if (d == 0)
        st = GR_ERROR(err, GR_EINVAL, "gr_sampler_wrap: %s: dimension must be positive", name);
    else if ((box_lo == NULL) != (box_hi == NULL))
        st =
            GR_ERROR(err, GR_EINVAL, "gr_sampler_wrap: %s: give both box corners or neither", name);
    gr_sampler *s = NULL;
    if (st == GR_OK) {
        s = calloc(1, sizeof *s);
        if (s && box_lo && d > SIZE_MAX / (2 * sizeof(double))) {
            free(s);
            s = NULL;
        }
        if (s && box_lo) {
            s->box = malloc(2 * d * sizeof(double));
            if (!s->box) {
                free(s);
                s = NULL;
            }
        }
        if (!s) st = GR_ERROR(err, GR_ENOMEM, "gr_sampler_wrap: %s: out of memory", name);
    }
    if (st != GR_OK) {
        if (ops && ops->free && impl) ops->free(impl);
        return st;
    }
    s->impl = impl;
    s->ops = *ops;
    s->d = d;
    strncpy(s->name, name, GR_SAMPLER_NAME_MAX - 1);
    if (box_lo) {
        memcpy(s->box, box_lo, d * sizeof(double));
        memcpy(s->box + d, box_hi, d * sizeof(double));
    }
    *out = s;
    return GR_OK;
}

void gr_sampler_free(gr_sampler *s) {
    if (!s) return;
    if (s->ops.free && s->impl) s->ops.free(s->impl);
    free(s->box);
    free(s);
}

void *gr_sampler_impl(const gr_sampler *s, const gr_sampler_ops *ops) {
    if (!s || !ops || s->ops.sample != ops->sample || s->ops.free != ops->free) return NULL;
    return s->impl;
}

size_t gr_sampler_dim(const gr_sampler *s) { return s ? s->d : 0; }

const char *gr_sampler_name(const gr_sampler *s) { return s ? s->name : "?"; }

int gr_sampler_sample(gr_sampler *s, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    if (!s || !rng || !x) return GR_ERROR(err, GR_EINVAL, "gr_sampler_sample: NULL argument");
    if (n == 0)
        return GR_ERROR(err, GR_EINVAL, "gr_sampler_sample: %s: n must be positive", s->name);
    size_t m;
    if (gr_size_mul(n, s->d, &m) || m > SIZE_MAX / sizeof(double))
        return GR_ERROR(err, GR_EINVAL,
                        "gr_sampler_sample: %s: %zu points of dimension %zu do not fit in memory",
                        s->name, n, s->d);
    return s->ops.sample(s->impl, rng, n, x, err);
}

int gr_sampler_sample_f(gr_sampler *s, gsl_rng *rng, size_t n, float *x, double *scratch,
                        gr_error *err) {
    if (!x || !scratch) return GR_ERROR(err, GR_EINVAL, "gr_sampler_sample_f: NULL buffer");
    GR_TRY(gr_sampler_sample(s, rng, n, scratch, err));
    size_t m = n * s->d; /* fits: gr_sampler_sample checked it */
    for (size_t i = 0; i < m; i++)
        x[i] = (float)scratch[i];
    return GR_OK;
}

const gr_modes *gr_sampler_modes(const gr_sampler *s) {
    return (s && s->ops.modes) ? s->ops.modes(s->impl) : NULL;
}

int gr_sampler_density(const gr_sampler *s, gr_density *out, gr_error *err) {
    if (!s || !out) return GR_ERROR(err, GR_EINVAL, "gr_sampler_density: NULL argument");
    if (!s->ops.density) return GR_ERROR(err, GR_EINVAL, "%s has no density", s->name);
    return s->ops.density(s->impl, out, err);
}

int gr_sampler_box(const gr_sampler *s, double *lo, double *hi, gr_error *err) {
    if (!s || !lo || !hi) return GR_ERROR(err, GR_EINVAL, "gr_sampler_box: NULL argument");
    if (!s->box) return GR_ERROR(err, GR_EINVAL, "%s has no bounding box", s->name);
    memcpy(lo, s->box, s->d * sizeof(double));
    memcpy(hi, s->box + s->d, s->d * sizeof(double));
    return GR_OK;
}

size_t gr_sampler_state_size(const gr_sampler *s) {
    return (s && s->ops.state_size) ? s->ops.state_size(s->impl) : 0;
}

int gr_sampler_state_save(const gr_sampler *s, void *buf, size_t size, gr_error *err) {
    if (!s) return GR_ERROR(err, GR_EINVAL, "gr_sampler_state_save: NULL sampler");
    size_t need = gr_sampler_state_size(s);
    if (size != need)
        return GR_ERROR(err, GR_EINVAL, "%s: state is %zu bytes, not %zu", s->name, need, size);
    if (need == 0) return GR_OK;
    if (!buf || !s->ops.state_save)
        return GR_ERROR(err, GR_EINVAL, "gr_sampler_state_save: %s: NULL buffer", s->name);
    return s->ops.state_save(s->impl, buf, size, err);
}

int gr_sampler_state_load(gr_sampler *s, const void *buf, size_t size, gr_error *err) {
    if (!s) return GR_ERROR(err, GR_EINVAL, "gr_sampler_state_load: NULL sampler");
    size_t need = gr_sampler_state_size(s);
    if (size != need)
        return GR_ERROR(err, GR_EFORMAT, "%s: saved state is %zu bytes, expected %zu", s->name,
                        size, need);
    if (need == 0) return GR_OK;
    if (!buf || !s->ops.state_load)
        return GR_ERROR(err, GR_EINVAL, "gr_sampler_state_load: %s: NULL buffer", s->name);
    return s->ops.state_load(s->impl, buf, size, err);
}
