/* nn/probe.c — norms, histograms, clipping fractions and cosines on flat float buffers
 * (see probe.h). Plain loops in double: these run once per logged step, not per sample,
 * and their exactness (no float underflow of tiny gradient norms) matters more than speed.
 */
#include "nn/probe.h"

#include <math.h>

#include "linalg/vec.h"
#include "nn/mlp.h"

static int check_ranges(const char *fn, const void *out, const float *x, size_t n,
                        const size_t *offsets, const size_t *sizes, size_t n_layers,
                        gr_error *err) {
    if (!out || !x || !offsets || !sizes)
        return GR_ERROR(err, GR_EINVAL, "%s: NULL %s", fn,
                        !out       ? "output"
                        : !x       ? "buffer"
                        : !offsets ? "offsets"
                                   : "sizes");
    if (n == 0 || n_layers == 0)
        return GR_ERROR(err, GR_EINVAL, "%s: n = %zu, n_layers = %zu (both must be > 0)", fn, n,
                        n_layers);
    for (size_t r = 0; r < n_layers; r++)
        if (offsets[r] > n || sizes[r] > n - offsets[r])
            return GR_ERROR(err, GR_EINVAL,
                            "%s: layer %zu = [%zu, %zu + %zu) exceeds the buffer of %zu", fn, r,
                            offsets[r], offsets[r], sizes[r], n);
    return GR_OK;
}

int gr_probe_layer_norms(double *norms, const float *x, size_t n, const size_t *offsets,
                         const size_t *sizes, size_t n_layers, gr_error *err) {
    GR_TRY(check_ranges("gr_probe_layer_norms", norms, x, n, offsets, sizes, n_layers, err));
    for (size_t r = 0; r < n_layers; r++) {
        norms[r] = sqrt(gr_linalg_ssumsq(x + offsets[r], sizes[r]));
    }
    return GR_OK;
}

int gr_probe_layer_max_abs(double *max_abs, const float *x, size_t n, const size_t *offsets,
                           const size_t *sizes, size_t n_layers, gr_error *err) {
    GR_TRY(check_ranges("gr_probe_layer_max_abs", max_abs, x, n, offsets, sizes, n_layers, err));
    for (size_t r = 0; r < n_layers; r++) {
        const float *v = x + offsets[r];
        double m = 0.0;
        for (size_t i = 0; i < sizes[r]; i++) {
            double a = fabs((double)v[i]);
            if (a != a) {
                m = a; /* NaN poisons the layer */
                break;
            }
            if (a > m) m = a;
        }
        max_abs[r] = m;
    }
    return GR_OK;
}

/* Bin x[0..n) (n may be 0) into counts[0..n_bins); arguments already checked. */
static void histogram(size_t *counts, size_t n_bins, double lo, double hi, const float *x, size_t n,
                      gr_probe_hist_tails *tails) {
    gr_probe_hist_tails t = {0, 0, 0};
    for (size_t k = 0; k < n_bins; k++)
        counts[k] = 0;
    const double width = hi - lo, nb = (double)n_bins;
    for (size_t i = 0; i < n; i++) {
        double v = (double)x[i];
        if (v != v) {
            t.nan++;
            continue;
        }
        if (v < lo) {
            t.below++;
            continue;
        }
        if (v > hi) {
            t.above++;
            continue;
        }
        /* First guess by scaling, then correct against the documented edges so rounding in
         * the division can never put a value on the wrong side of an edge. */
        double f = floor((v - lo) / width * nb);
        size_t k = f <= 0.0 ? 0 : f >= nb ? n_bins - 1 : (size_t)f;
        while (k > 0 && v < lo + width * (double)k / nb)
            k--;
        while (k + 1 < n_bins && v >= lo + width * (double)(k + 1) / nb)
            k++;
        counts[k]++;
    }
    if (tails) *tails = t;
}

static int check_bins(const char *fn, size_t n_bins, double lo, double hi, gr_error *err) {
    if (n_bins == 0) return GR_ERROR(err, GR_EINVAL, "%s: n_bins = 0", fn);
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return GR_ERROR(err, GR_EINVAL, "%s: range [%g, %g] must be finite with lo < hi", fn, lo,
                        hi);
    return GR_OK;
}

int gr_probe_histogram(size_t *counts, size_t n_bins, double lo, double hi, const float *x,
                       size_t n, gr_probe_hist_tails *tails, gr_error *err) {
    if (!counts || !x)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_histogram: NULL %s", !counts ? "counts" : "x");
    if (n == 0) return GR_ERROR(err, GR_EINVAL, "gr_probe_histogram: n = 0");
    GR_TRY(check_bins("gr_probe_histogram", n_bins, lo, hi, err));
    histogram(counts, n_bins, lo, hi, x, n, tails);
    return GR_OK;
}

int gr_probe_layer_histograms(size_t *counts, size_t n_bins, double lo, double hi, const float *x,
                              size_t n, const size_t *offsets, const size_t *sizes, size_t n_layers,
                              gr_probe_hist_tails *tails, gr_error *err) {
    GR_TRY(check_ranges("gr_probe_layer_histograms", counts, x, n, offsets, sizes, n_layers, err));
    GR_TRY(check_bins("gr_probe_layer_histograms", n_bins, lo, hi, err));
    for (size_t r = 0; r < n_layers; r++)
        histogram(counts + r * n_bins, n_bins, lo, hi, x + offsets[r], sizes[r],
                  tails ? &tails[r] : NULL);
    return GR_OK;
}

int gr_probe_frac_abs_ge(double *frac, const float *x, size_t n, double threshold, gr_error *err) {
    if (!frac || !x)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_frac_abs_ge: NULL %s", !frac ? "frac" : "x");
    if (n == 0) return GR_ERROR(err, GR_EINVAL, "gr_probe_frac_abs_ge: n = 0");
    if (threshold != threshold)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_frac_abs_ge: threshold is NaN");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs((double)x[i]) >= threshold) k++;
    *frac = (double)k / (double)n;
    return GR_OK;
}

int gr_probe_cosine(double *cos, const float *a, const float *b, size_t n, gr_error *err) {
    if (!cos || !a || !b)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_cosine: NULL %s", !cos ? "cos" : !a ? "a" : "b");
    if (n == 0) return GR_ERROR(err, GR_EINVAL, "gr_probe_cosine: n = 0");
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = (double)a[i], y = (double)b[i];
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if (aa == 0.0 || bb == 0.0)
        return GR_ERROR(err, GR_EDOM, "gr_probe_cosine: vector %s is zero: cosine undefined",
                        aa == 0.0 ? "a" : "b");
    double c = ab / (sqrt(aa) * sqrt(bb));
    if (!isfinite(c)) return GR_ERROR(err, GR_EDOM, "gr_probe_cosine: non-finite input");
    *cos = c;
    return GR_OK;
}

size_t gr_probe_count_nonfinite(const float *x, size_t n) {
    size_t k = 0;
    if (!x) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) k++;
    return k;
}

int gr_probe_mlp_ranges(size_t *offsets, size_t *sizes, size_t cap, size_t *n_layers,
                        const struct gr_mlp_spec *spec, gr_probe_part part, gr_error *err) {
    if (!offsets || !sizes || !spec)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_mlp_ranges: NULL %s",
                        !offsets ? "offsets"
                        : !sizes ? "sizes"
                                 : "spec");
    GR_TRY(gr_mlp_spec_validate(spec, err));
    if (part != GR_PROBE_WEIGHTS && part != GR_PROBE_BIASES && part != GR_PROBE_LAYERS)
        return GR_ERROR(err, GR_EINVAL, "gr_probe_mlp_ranges: unknown part %d", (int)part);
    size_t L = gr_mlp_spec_n_layers(spec);
    if (n_layers) *n_layers = L;
    if (cap < L)
        return GR_ERROR(err, GR_EINVAL,
                        "gr_probe_mlp_ranges: room for %zu ranges, the net has %zu layers", cap, L);
    for (size_t l = 0; l < L; l++) {
        gr_mlp_layer ly = gr_mlp_spec_layer(spec, l);
        size_t nw = ly.out_dim * ly.in_dim;
        offsets[l] = part == GR_PROBE_BIASES ? ly.b_offset : ly.w_offset;
        sizes[l] = part == GR_PROBE_WEIGHTS  ? nw
                   : part == GR_PROBE_BIASES ? ly.out_dim
                                             : nw + ly.out_dim;
    }
    return GR_OK;
}
