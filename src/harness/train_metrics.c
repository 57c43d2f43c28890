/* harness/train_metrics.c — the train protocol's claim metrics on recorded series
 * (harness/train_metrics.h). */
#include "harness/train_metrics.h"

#include <math.h>
#include <stdlib.h>

/* Average ranks (1-based, ties averaged) of v[0..n-1] into rank: rank_i = 1 + #{v_j < v_i}
 * + (#{v_j == v_i} - 1) / 2. O(n^2): the series are evaluations (tens to hundreds). */
static void ranks(const double *v, size_t n, double *rank) {
    for (size_t i = 0; i < n; i++) {
        size_t lt = 0, eq = 0;
        for (size_t j = 0; j < n; j++) {
            lt += (size_t)(v[j] < v[i]);
            eq += (size_t)(v[j] == v[i]);
        }
        rank[i] = 1.0 + (double)lt + 0.5 * (double)(eq - 1);
    }
}

static double pearson(const double *a, const double *b, size_t n) {
    double ma = 0, mb = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (!(saa > 0) || !(sbb > 0)) return NAN;
    return sab / sqrt(saa * sbb);
}

int gr_train_spearman(const double *x, const double *y, const unsigned char *keep, size_t n,
                      double *rho, size_t *n_used, gr_error *err) {
    if (!rho || (n && (!x || !y))) return GR_ERROR(err, GR_EINVAL, "spearman: NULL argument");
    *rho = NAN;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if ((!keep || keep[i]) && isfinite(x[i]) && isfinite(y[i])) m++;
    if (n_used) *n_used = m;
    if (m < 3) return GR_OK;
    double *buf = malloc(4 * m * sizeof *buf);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "spearman: out of memory");
    double *a = buf, *b = buf + m, *ra = buf + 2 * m, *rb = buf + 3 * m;
    for (size_t i = 0, k = 0; i < n; i++)
        if ((!keep || keep[i]) && isfinite(x[i]) && isfinite(y[i])) {
            a[k] = x[i];
            b[k] = y[i];
            k++;
        }
    ranks(a, m, ra);
    ranks(b, m, rb);
    *rho = pearson(ra, rb, m);
    free(buf);
    return GR_OK;
}

double gr_train_first_step_le(const double *step, const double *v, size_t n, double target) {
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] <= target) return step[i];
    return INFINITY;
}

int gr_train_spike_cosine(const double *w, const double *c, size_t n, size_t window, double nsd,
                          gr_train_spike_stats *out, gr_error *err) {
    if (!out || (n && (!w || !c))) return GR_ERROR(err, GR_EINVAL, "spike stats: NULL argument");
    if (window < 2 || !(nsd > 0))
        return GR_ERROR(err, GR_EINVAL, "spike stats: window %zu (>= 2) and nsd %g (> 0)", window,
                        nsd);
    gr_train_spike_stats s = {0};
    for (size_t i = 0; i < n; i++)
        if (isfinite(w[i]) && isfinite(c[i])) s.pairs++;
    double *pw = s.pairs ? malloc(2 * s.pairs * sizeof *pw) : NULL;
    if (s.pairs && !pw) return GR_ERROR(err, GR_ENOMEM, "spike stats: out of memory");
    double *pc = pw + s.pairs;
    for (size_t i = 0, k = 0; i < n; i++)
        if (isfinite(w[i]) && isfinite(c[i])) {
            pw[k] = w[i];
            pc[k] = c[i];
            k++;
        }
    double sum_spike = 0, sum_calm = 0;
    s.min_cos = NAN;
    for (size_t j = 0; j < s.pairs; j++)
        if (isnan(s.min_cos) || pc[j] < s.min_cos) s.min_cos = pc[j];
    for (size_t j = window; j < s.pairs; j++) {
        double m = 0, q = 0;
        for (size_t k = j - window; k < j; k++)
            m += pw[k];
        m /= (double)window;
        for (size_t k = j - window; k < j; k++)
            q += (pw[k] - m) * (pw[k] - m);
        double sd = sqrt(q / (double)(window - 1));
        int spike = sd > 0 && pw[j] < m - nsd * sd;
        int neg = pc[j] < 0;
        if (spike) {
            s.n_spike++;
            s.neg_spike += (size_t)neg;
            sum_spike += pc[j];
        } else {
            s.n_calm++;
            s.neg_calm += (size_t)neg;
            sum_calm += pc[j];
        }
    }
    free(pw);
    s.frac_neg_spike = s.n_spike ? (double)s.neg_spike / (double)s.n_spike : NAN;
    s.frac_neg_calm = s.n_calm ? (double)s.neg_calm / (double)s.n_calm : NAN;
    s.mean_cos_spike = s.n_spike ? sum_spike / (double)s.n_spike : NAN;
    s.mean_cos_calm = s.n_calm ? sum_calm / (double)s.n_calm : NAN;
    *out = s;
    return GR_OK;
}
