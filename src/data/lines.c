/* data/lines.c — the parallel lines as a sampler (see lines.h). */
#include "data/lines.h"

#include <math.h>
#include <stdlib.h>

#include "prob/lines.h"
#include "prob/segment.h"

typedef struct {
    double theta, sigma;
    gr_segment *seg; /* sigma > 0 only */
} lines_impl;

static void lines_free(void *p) {
    lines_impl *q = p;
    if (!q) return;
    gr_segment_free(q->seg);
    free(q);
}

static int lines_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    const lines_impl *q = p;
    return gr_lines_sample(q->theta, q->sigma, rng, n, x, err);
}

static int lines_density(const void *p, gr_density *out, gr_error *err) {
    const lines_impl *q = p;
    if (!q->seg)
        return GR_ERROR(err, GR_EINVAL, "lines (sigma = 0) has no density: it is singular in R^2");
    gr_segment_density(q->seg, out);
    return GR_OK;
}

static const gr_sampler_ops lines_ops = {lines_sample, NULL, lines_density, NULL,
                                         NULL,         NULL, lines_free};

int gr_data_lines_alloc(gr_sampler **out, double theta, double sigma, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_lines_alloc: NULL output");
    *out = NULL;
    if (!isfinite(theta) || !isfinite(sigma) || sigma < 0.0)
        return GR_ERROR(err, GR_EDOM,
                        "gr_data_lines_alloc: need finite theta and sigma >= 0 (theta=%g, "
                        "sigma=%g)",
                        theta, sigma);
    lines_impl *q = calloc(1, sizeof *q);
    if (!q) return GR_ERROR(err, GR_ENOMEM, "gr_data_lines_alloc");
    q->theta = theta;
    q->sigma = sigma;
    double lo[2] = {theta, 0.0}, hi[2] = {theta, 1.0};
    if (sigma > 0.0) {
        int st = gr_lines_segment_alloc(&q->seg, theta, sigma, err);
        if (st != GR_OK) {
            lines_free(q);
            return st;
        }
        gr_density d;
        gr_segment_density(q->seg, &d);
        for (int j = 0; j < 2; j++) {
            lo[j] = d.box_lo[j];
            hi[j] = d.box_hi[j];
        }
    }
    return gr_sampler_wrap(out, q, &lines_ops, 2, "lines", lo, hi, err);
}
