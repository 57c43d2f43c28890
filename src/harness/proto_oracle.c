/* harness/proto_oracle.c — the oracle protocol: exact and Monte-Carlo checks of the claims
 * that need no GAN training (CLAIMS C04, C06, C12, C14, C17, C21, C22's formula), one
 * oracle.kind per run. Contract in harness/protocol.h; series and metrics in
 * docs/RESULTS.md "Protocol oracle". The numerics live in their rooms (prob/kolmogorov.h,
 * prob/segment.h, prob/normal.h, prob/lines.h, distance/gauss.h, distance/oned.h,
 * distance/localpca.h, nn/mlp.h); this file sets them up and writes what they return. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "distance/gauss.h"
#include "distance/localpca.h"
#include "distance/oned.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"
#include "nn/mlp.h"
#include "prob/kolmogorov.h"
#include "prob/lines.h"
#include "prob/normal.h"
#include "prob/segment.h"

typedef struct metric {
    const char *name;
    double v;
} metric;

static int write_metrics(gr_results_run *w, const metric *m, size_t n, gr_error *err) {
    for (size_t i = 0; i < n; i++)
        GR_TRY(gr_results_run_metric(w, m[i].name, m[i].v, err));
    return GR_OK;
}

static int get_size_min(const gr_run_desc *run, const char *key, size_t lo, size_t *v,
                        gr_error *err) {
    if (!gr_proto_has(run, key))
        return GR_ERROR(err, GR_EINVAL, "oracle: this oracle.kind needs %s", key);
    GR_TRY(gr_rundesc_get_size(run, key, v, err));
    if (*v < lo) return GR_ERROR(err, GR_EINVAL, "oracle: %s = %zu must be >= %zu", key, *v, lo);
    return GR_OK;
}

static int get_f64_pos(const gr_run_desc *run, const char *key, double *v, gr_error *err) {
    if (!gr_proto_has(run, key))
        return GR_ERROR(err, GR_EINVAL, "oracle: this oracle.kind needs %s", key);
    GR_TRY(gr_rundesc_get_f64(run, key, v, err));
    if (!(*v > 0)) return GR_ERROR(err, GR_EINVAL, "oracle: %s = %g must be > 0", key, *v);
    return GR_OK;
}

/* ---- C04: GAN Proposition 2, mirror descent on p_g in function space ---------------- */

/* The grid of 241 points on [-6, 6] (oracle.grid), p_data = the mixture 0.3 N(-2, 0.5^2) +
 * 0.7 N(1.5, 0.8^2) discretised (normalised on the grid), p_g uniform at step 0. A step:
 * D* = p_data / (p_data + p_g), p_g <- p_g exp(-eta log(1 - D*)), renormalised. Recorded at
 * step 0 and after every step: TV = 1/2 sum |p_g - p_data| and C + log 4 = 2 JS(p_data, p_g)
 * computed as sum p log(2p/(p+q)) + q log(2q/(p+q)) (no cancellation against log 4).
 * tv_monotone: 1 when TV never rose by more than GR_TV_ROUNDING from one step to the next. */
/* TV is a sum of grid terms: rises below this are rounding (measured: 6e-17 near 3e-16) */
#define GR_TV_ROUNDING 1e-14

static int run_function_space(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t grid, steps;
    double eta;
    GR_TRY(get_size_min(run, "oracle.grid", 2, &grid, err));
    GR_TRY(get_size_min(run, "oracle.steps", 1, &steps, err));
    GR_TRY(get_f64_pos(run, "oracle.eta", &eta, err));
    double *pd = malloc(grid * sizeof *pd), *pg = malloc(grid * sizeof *pg);
    int st = pd && pg ? GR_OK : GR_ERROR(err, GR_ENOMEM, "oracle: memory");
    static const char *const names[] = {"tv", "c_plus_log4"};
    if (st == GR_OK) st = gr_results_run_series_define(w, names, 2, err);
    double sd = 0;
    for (size_t i = 0; st == GR_OK && i < grid; i++) {
        double x = -6.0 + 12.0 * (double)i / (double)(grid - 1);
        pd[i] = 0.3 * gsl_ran_gaussian_pdf(x + 2.0, 0.5) + 0.7 * gsl_ran_gaussian_pdf(x - 1.5, 0.8);
        sd += pd[i];
        pg[i] = 1.0 / (double)grid;
    }
    double to_1e6 = INFINITY, tv = NAN, c4 = NAN, tv_prev = INFINITY, c4_min = INFINITY;
    int monotone = 1;
    for (size_t i = 0; st == GR_OK && i < grid; i++)
        pd[i] /= sd;
    for (size_t t = 0; st == GR_OK && t <= steps; t++) {
        if (t > 0) {
            double s = 0;
            for (size_t i = 0; i < grid; i++) {
                double one_minus_d = pg[i] / (pd[i] + pg[i]);
                pg[i] *= exp(-eta * log(one_minus_d));
                s += pg[i];
            }
            for (size_t i = 0; i < grid; i++)
                pg[i] /= s;
        }
        tv = 0, c4 = 0;
        for (size_t i = 0; i < grid; i++) {
            double p = pd[i], q = pg[i], m = p + q;
            tv += fabs(p - q);
            if (p > 0) c4 += p * log(2.0 * p / m);
            if (q > 0) c4 += q * log(2.0 * q / m);
        }
        tv *= 0.5;
        if (tv > tv_prev + GR_TV_ROUNDING) monotone = 0;
        tv_prev = tv;
        if (c4 < c4_min) c4_min = c4;
        if (!isfinite(to_1e6) && tv < 1e-6) to_1e6 = (double)t;
        double row[2] = {tv, c4};
        st = gr_results_run_series_row(w, (int64_t)t, row, err);
    }
    if (st == GR_OK) {
        metric m[] = {
            {"steps_to_tv_1e6", to_1e6}, {"tv_final", tv},          {"c_plus_log4_final", c4},
            {"c_plus_log4_min", c4_min}, {"tv_monotone", monotone}, {"steps", (double)steps},
        };
        st = write_metrics(w, m, sizeof m / sizeof m[0], err);
    }
    free(pd);
    free(pg);
    return st;
}

/* ---- C06: local PCA of a random ReLU network's image ------------------------------- */

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_dbl);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* G = nets.g (e.g. 2-64relu-64relu-64relu-16linear), weights He-normal N(0, 2 / fan_in),
 * biases N(0, oracle.bias_sd^2), both on GR_STREAM_INIT in the buffer's order; z ~ N(0, I)
 * on GR_STREAM_PRIOR; the control N(0, I_dout) on GR_STREAM_DATA; oracle.queries query
 * points (distinct indices, gsl_ran_choose on GR_STREAM_EVAL, the same for both samples);
 * lambda_3 / lambda_1 of the covariance of each query's oracle.k nearest neighbours. */
static int run_local_pca(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t n, nq, k;
    double bsd;
    const char *arch;
    GR_TRY(get_size_min(run, "oracle.n", 2, &n, err));
    GR_TRY(get_size_min(run, "oracle.queries", 1, &nq, err));
    GR_TRY(get_size_min(run, "oracle.k", 3, &k, err));
    GR_TRY(get_f64_pos(run, "oracle.bias_sd", &bsd, err));
    if (!gr_proto_has(run, "nets.g"))
        return GR_ERROR(err, GR_EINVAL, "oracle: local_pca needs nets.g (the random generator)");
    GR_TRY(gr_rundesc_get_str(run, "nets.g", &arch, err));
    gr_mlp_spec spec;
    GR_TRY(gr_mlp_spec_parse(&spec, arch, err));
    if (spec.out_dim < 3)
        return GR_ERROR(err, GR_EINVAL, "oracle: local_pca needs an output dimension >= 3");
    if (nq > n || k > n)
        return GR_ERROR(err, GR_EINVAL, "oracle: oracle.queries and oracle.k must be <= oracle.n");
    const size_t din = spec.in_dim, dout = spec.out_dim, chunk = 4096;
    size_t nd;
    if (gr_size_mul(n, dout, &nd) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "oracle: oracle.n too large");
    gr_mlp *g = NULL;
    gr_localpca *lp = NULL;
    gsl_rng *ri = NULL, *rp = NULL, *rd = NULL, *re = NULL;
    double *x = malloc(nd * sizeof *x), *eig = malloc(dout * sizeof *eig);
    double *rg = malloc(nq * sizeof *rg), *rc = malloc(nq * sizeof *rc);
    size_t *all = malloc(n * sizeof *all), *qi = malloc(nq * sizeof *qi);
    float *zf = malloc(chunk * din * sizeof *zf);
    int st = x && eig && rg && rc && all && qi && zf ? GR_OK
                                                     : GR_ERROR(err, GR_ENOMEM, "oracle: memory");
    if (st == GR_OK) st = gr_mlp_alloc(&g, &spec, chunk, err);
    if (st == GR_OK) st = gr_rng_alloc(&ri, run->seed, GR_STREAM_INIT, err);
    if (st == GR_OK) st = gr_rng_alloc(&rp, run->seed, GR_STREAM_PRIOR, err);
    if (st == GR_OK) st = gr_rng_alloc(&rd, run->seed, GR_STREAM_DATA, err);
    if (st == GR_OK) st = gr_rng_alloc(&re, run->seed, GR_STREAM_EVAL, err);
    if (st == GR_OK) {
        float *p = gr_mlp_params(g);
        for (size_t l = 0; l < gr_mlp_n_layers(g); l++) {
            gr_mlp_layer L = gr_mlp_layer_info(g, l);
            double s = sqrt(2.0 / (double)L.in_dim);
            for (size_t i = 0; i < L.out_dim * L.in_dim; i++)
                p[L.w_offset + i] = (float)gsl_ran_gaussian(ri, s);
            for (size_t i = 0; i < L.out_dim; i++)
                p[L.b_offset + i] = (float)gsl_ran_gaussian(ri, bsd);
        }
    }
    for (size_t s = 0; st == GR_OK && s < n; s += chunk) {
        size_t m = n - s < chunk ? n - s : chunk;
        for (size_t i = 0; i < m * din; i++)
            zf[i] = (float)gsl_ran_gaussian(rp, 1.0);
        st = gr_mlp_forward(g, NULL, zf, m, err);
        const float *y = gr_mlp_output(g);
        for (size_t i = 0; st == GR_OK && i < m * dout; i++)
            x[s * dout + i] = (double)y[i];
    }
    if (st == GR_OK) {
        for (size_t i = 0; i < n; i++)
            all[i] = i;
        gsl_ran_choose(re, qi, nq, all, n, sizeof *all);
        st = gr_localpca_alloc(&lp, n, dout, k, err);
    }
    for (size_t q = 0; st == GR_OK && q < nq; q++) {
        st = gr_localpca_eigen(lp, x, n, qi[q], eig, err);
        if (st == GR_OK) rg[q] = eig[2] / eig[0];
    }
    for (size_t i = 0; st == GR_OK && i < nd; i++)
        x[i] = gsl_ran_gaussian(rd, 1.0);
    for (size_t q = 0; st == GR_OK && q < nq; q++) {
        st = gr_localpca_eigen(lp, x, n, qi[q], eig, err);
        if (st == GR_OK) rc[q] = eig[2] / eig[0];
    }
    static const char *const names[] = {"ratio_g", "ratio_control"};
    if (st == GR_OK) st = gr_results_run_series_define(w, names, 2, err);
    for (size_t q = 0; st == GR_OK && q < nq; q++) {
        double row[2] = {rg[q], rc[q]};
        st = gr_results_run_series_row(w, (int64_t)q, row, err);
    }
    if (st == GR_OK) {
        double mg = median_of(rg, nq), mc = median_of(rc, nq);
        metric m[] = {
            {"median_ratio_g", mg},
            {"median_ratio_control", mc},
            {"p90_ratio_g", rg[(size_t)(0.9 * (double)(nq - 1))]},
            {"p10_ratio_control", rc[(size_t)(0.1 * (double)(nq - 1))]},
            {"n", (double)n},
        };
        st = write_metrics(w, m, sizeof m / sizeof m[0], err);
    }
    gr_localpca_free(lp);
    gr_mlp_free(g);
    gr_rng_free(ri);
    gr_rng_free(rp);
    gr_rng_free(rd);
    gr_rng_free(re);
    free(x);
    free(eig);
    free(rg);
    free(rc);
    free(all);
    free(qi);
    free(zf);
    return st;
}

/* ---- C12: Cauchy gradients under white-noise D errors -------------------------------- */

/* One draw of the model's gradient coordinate -J r / eps, r ~ N(0, s_r^2), eps ~ N(0, s_e^2)
 * (r first, then eps, on the same stream; GSL's ziggurat Gaussians). */
static double cauchy_draw(gsl_rng *r, double J, double s_r, double s_e) {
    double a = gsl_ran_gaussian_ziggurat(r, s_r);
    double b = gsl_ran_gaussian_ziggurat(r, s_e);
    return -J * a / b;
}

/* log of the sample variance (divisor n - 1), computed on x / s with s the largest |x| so no
 * square overflows: Cauchy draws reach 1e150 and beyond when eps falls near 0. */
static double log_var_of(const double *x, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > s) s = fabs(x[i]);
    if (!(s > 0) || !isfinite(s)) return s > 0 ? INFINITY : -INFINITY;
    double m = 0, q = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i] / s;
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        q += (x[i] / s - m) * (x[i] / s - m);
    return 2 * log(s) + log(q / (double)(n - 1));
}

/* All draws on GR_STREAM_EVAL in this order: oracle.n single draws (KS), oracle.n averages of
 * oracle.m draws (KS), oracle.n_large draws (variances of the first oracle.n_small and of
 * all), and the Gaussian control -J r (oracle.n_large draws: variances; its first oracle.n
 * tested against the same Cauchy). */
static int run_cauchy(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t n, m, ns, nl;
    double J, s_r, s_e;
    GR_TRY(get_size_min(run, "oracle.n", 2, &n, err));
    GR_TRY(get_size_min(run, "oracle.m", 1, &m, err));
    GR_TRY(get_size_min(run, "oracle.n_small", 2, &ns, err));
    GR_TRY(get_size_min(run, "oracle.n_large", 2, &nl, err));
    GR_TRY(get_f64_pos(run, "oracle.s_r", &s_r, err));
    GR_TRY(get_f64_pos(run, "oracle.s_eps", &s_e, err));
    if (!gr_proto_has(run, "oracle.jacobian"))
        return GR_ERROR(err, GR_EINVAL, "oracle: cauchy needs oracle.jacobian");
    GR_TRY(gr_rundesc_get_f64(run, "oracle.jacobian", &J, err));
    if (J == 0) return GR_ERROR(err, GR_EINVAL, "oracle: oracle.jacobian must be != 0");
    if (ns > nl) return GR_ERROR(err, GR_EINVAL, "oracle: oracle.n_small > oracle.n_large");
    size_t big = n > nl ? n : nl;
    double *x = malloc(big * sizeof *x);
    gsl_rng *r = NULL;
    int st = x ? GR_OK : GR_ERROR(err, GR_ENOMEM, "oracle: memory for %zu draws", big);
    if (st == GR_OK) st = gr_rng_alloc(&r, run->seed, GR_STREAM_EVAL, err);
    double gamma = fabs(J) * s_r / s_e;
    gr_ks_result ks1 = {NAN, NAN, 0}, ksm = {NAN, NAN, 0}, ksg = {NAN, NAN, 0};
    double vs = NAN, vl = NAN, gvs = NAN, gvl = NAN;
    if (st == GR_OK) {
        for (size_t i = 0; i < n; i++)
            x[i] = cauchy_draw(r, J, s_r, s_e);
        st = gr_ks_test(x, n, gr_cauchy_cdf_fn, &gamma, &ks1, err);
    }
    if (st == GR_OK) {
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            for (size_t j = 0; j < m; j++)
                s += cauchy_draw(r, J, s_r, s_e);
            x[i] = s / (double)m;
        }
        st = gr_ks_test(x, n, gr_cauchy_cdf_fn, &gamma, &ksm, err);
    }
    if (st == GR_OK) {
        for (size_t i = 0; i < nl; i++)
            x[i] = cauchy_draw(r, J, s_r, s_e);
        vs = log_var_of(x, ns);
        vl = log_var_of(x, nl);
        for (size_t i = 0; i < nl; i++)
            x[i] = -J * gsl_ran_gaussian_ziggurat(r, s_r);
        gvs = log_var_of(x, ns);
        gvl = log_var_of(x, nl);
        st = gr_ks_test(x, n < nl ? n : nl, gr_cauchy_cdf_fn, &gamma, &ksg, err);
    }
    if (st == GR_OK) {
        metric mt[] = {
            {"ks_d", ks1.d},
            {"ks_p", ks1.p_value},
            {"ks_avg_d", ksm.d},
            {"ks_avg_p", ksm.p_value},
            {"log10_var_small", vs / M_LN10},
            {"log10_var_large", vl / M_LN10},
            {"var_ratio", exp(vl - vs)},
            {"gauss_var_ratio", exp(gvl - gvs)},
            {"gauss_ks_p", ksg.p_value},
            {"cauchy_scale", gamma},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    gr_rng_free(r);
    free(x);
    return st;
}

/* ---- C14: a segment smoothed by Gaussian noise (O9) ---------------------------------- */

typedef struct o9q {
    const gr_segment *s;
    double x, sigma;
    gsl_integration_workspace *inner;
    int status;
} o9q;

static double o9_pdf_y(double y, void *ctx) {
    o9q *q = ctx;
    double p[2] = {q->x, y}, lp;
    int s = gr_segment_logpdf(q->s, p, &lp);
    if (s != GR_OK) q->status = s;
    return exp(lp);
}

static double o9_pdf_x(double x, void *ctx) {
    o9q *q = ctx;
    q->x = x;
    gsl_function f = {o9_pdf_y, q};
    double v, e;
    int s = gsl_integration_qag(&f, -12 * q->sigma, 1 + 12 * q->sigma, 0, 1e-13, 1000,
                                GSL_INTEG_GAUSS61, q->inner, &v, &e);
    if (s) q->status = GR_ELIB;
    return v;
}

/* The segment {0} x [0, 1] smoothed by N(0, sigma^2 I_2) (prob/segment.h, O9). Mass by nested
 * adaptive quadrature (GSL QAG 61-point) over the box [-12 sigma, 12 sigma] x [-12 sigma,
 * 1 + 12 sigma] (the mass outside is < 1e-32). A histogram of oracle.n draws
 * (gr_segment_sample on GR_STREAM_DATA) on bins of oracle.bin aligned at 0, over [-6 sigma,
 * 6 sigma] x [-6 sigma, 1 + 6 sigma] rounded out to whole bins: each bin's density estimate
 * count / (n bin^2) against O9's mean over the bin (exact: the x-factor's mass is a Phi
 * difference, the y-factor's the 1-D smoothed segment's CDF difference) and against O9 at
 * the bin's centre; and each bin's count against Binomial(n, its exact mass): the smallest
 * two-sided p-value, times the number of bins (Bonferroni; >= 0.01 means no bin departs from
 * O9 at a 1 % family false-alarm rate, whatever sigma and the bins' expected counts). */
static int run_smoothed_segment(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t n;
    double sigma, bin;
    GR_TRY(get_size_min(run, "oracle.n", 1, &n, err));
    GR_TRY(get_f64_pos(run, "oracle.sigma", &sigma, err));
    GR_TRY(get_f64_pos(run, "oracle.bin", &bin, err));
    const double u[2] = {0, 0}, v[2] = {0, 1}, u1 = 0, v1 = 1;
    gr_segment *seg = NULL, *seg1 = NULL;
    gsl_rng *r = NULL;
    gsl_integration_workspace *wo = NULL, *wi = NULL;
    double *pts = NULL, *cnt = NULL, *cy = NULL;
    int st = gr_segment_alloc(&seg, 2, u, v, sigma, err);
    if (st == GR_OK) st = gr_segment_alloc(&seg1, 1, &u1, &v1, sigma, err);
    /* quadrature of the density */
    double mass = NAN, mass_err = NAN;
    if (st == GR_OK) {
        wo = gsl_integration_workspace_alloc(1000);
        wi = gsl_integration_workspace_alloc(1000);
        if (!wo || !wi) st = GR_ERROR(err, GR_ENOMEM, "oracle: memory");
    }
    if (st == GR_OK) {
        o9q q = {seg, 0, sigma, wi, GR_OK};
        gsl_function f = {o9_pdf_x, &q};
        double lo = -12 * sigma, hi = 12 * sigma;
        gr_gsl_quiet_enter();
        int gs = gsl_integration_qag(&f, lo, hi, 0, 1e-12, 1000, GSL_INTEG_GAUSS61, wo, &mass,
                                     &mass_err);
        gr_gsl_quiet_leave();
        if (gs || q.status != GR_OK)
            st = GR_ERROR(err, GR_ELIB, "oracle: O9 quadrature failed (%s)",
                          gs ? gsl_strerror(gs) : "log-density");
    }
    /* the histogram */
    long ix0 = (long)floor(-6 * sigma / bin), ix1 = (long)ceil(6 * sigma / bin);
    long iy0 = (long)floor(-6 * sigma / bin), iy1 = (long)ceil((1 + 6 * sigma) / bin);
    size_t nx = (size_t)(ix1 - ix0), ny = (size_t)(iy1 - iy0), nb = nx * ny, chunk = 65536;
    if (st == GR_OK) {
        pts = malloc(2 * chunk * sizeof *pts);
        cnt = calloc(nb, sizeof *cnt);
        cy = malloc(ny * sizeof *cy);
        if (!pts || !cnt || !cy) st = GR_ERROR(err, GR_ENOMEM, "oracle: memory for %zu bins", nb);
    }
    if (st == GR_OK) st = gr_rng_alloc(&r, run->seed, GR_STREAM_DATA, err);
    double outside = 0;
    for (size_t s = 0; st == GR_OK && s < n; s += chunk) {
        size_t m = n - s < chunk ? n - s : chunk;
        st = gr_segment_sample(seg, r, m, pts, err);
        for (size_t i = 0; st == GR_OK && i < m; i++) {
            long bx = (long)floor(pts[2 * i] / bin) - ix0,
                 by = (long)floor(pts[2 * i + 1] / bin) - iy0;
            if (bx < 0 || by < 0 || bx >= (long)nx || by >= (long)ny)
                outside++;
            else
                cnt[(size_t)bx * ny + (size_t)by]++;
        }
    }
    double peak = NAN, max_avg = 0, max_ctr = 0, min_p = 1, cov = 0;
    for (size_t j = 0; st == GR_OK && j < ny; j++) {
        double a, b;
        st = gr_segment_cdf(seg1, (double)(iy0 + (long)j) * bin, &a, err);
        if (st == GR_OK) st = gr_segment_cdf(seg1, (double)(iy0 + (long)j + 1) * bin, &b, err);
        cy[j] = b - a;
    }
    if (st == GR_OK) {
        double pk[2] = {0, 0.5}, lp;
        st = gr_segment_logpdf(seg, pk, &lp) == GR_OK ? GR_OK
                                                      : GR_ERROR(err, GR_EDOM, "oracle: O9 peak");
        peak = exp(lp);
    }
    for (size_t i = 0; st == GR_OK && i < nx; i++) {
        double x0 = (double)(ix0 + (long)i) * bin, x1 = x0 + bin;
        double px = gsl_cdf_gaussian_P(x1, sigma) - gsl_cdf_gaussian_P(x0, sigma);
        for (size_t j = 0; j < ny; j++) {
            double pm = px * cy[j]; /* the bin's exact mass */
            double est = cnt[i * ny + j] / ((double)n * bin * bin);
            double ctr[2] = {x0 + bin / 2, (double)(iy0 + (long)j) * bin + bin / 2}, lp;
            gr_segment_logpdf(seg, ctr, &lp);
            double e1 = fabs(est - pm / (bin * bin)), e2 = fabs(est - exp(lp));
            if (e1 > max_avg) max_avg = e1;
            if (e2 > max_ctr) max_ctr = e2;
            /* two-sided exact binomial p-value of the bin's count */
            unsigned c = (unsigned)cnt[i * ny + j];
            double lo = gsl_cdf_binomial_P(c, pm, (unsigned)n);
            double hi = c ? gsl_cdf_binomial_Q(c - 1, pm, (unsigned)n) : 1.0;
            double pv = 2 * fmin(lo, hi);
            if (pv < min_p) min_p = pv;
            cov += pm;
        }
    }
    if (st == GR_OK) {
        metric mt[] = {
            {"o9_mass", mass},
            {"o9_mass_abs_err", fabs(mass - 1.0)},
            {"o9_mass_quad_err", mass_err},
            {"o9_peak", peak},
            {"hist_max_abs_err_over_peak", max_avg / peak},
            {"hist_center_max_abs_err_over_peak", max_ctr / peak},
            {"hist_min_p", min_p},
            {"hist_min_p_bonferroni", fmin(1.0, min_p * (double)nb)},
            {"hist_bins", (double)nb},
            {"hist_box_mass", cov},
            {"hist_outside_fraction", outside / (double)n},
            {"hist_peak_count_sd_over_peak", 1.0 / sqrt((double)n * bin * bin * peak)},
            {"n", (double)n},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    gsl_integration_workspace_free(wo);
    gsl_integration_workspace_free(wi);
    gr_segment_free(seg);
    gr_segment_free(seg1);
    gr_rng_free(r);
    free(pts);
    free(cnt);
    free(cy);
    return st;
}

/* ---- C17: A&B's noise bound on W ---------------------------------------------------- */

/* 1-D, P_r = delta_0, P_g = delta_theta, eps ~ U[-h, h] (V = h^2/3): W = |theta| against
 * 2 V^(1/2) + 2 C sqrt(JSD) with C = 2h + |theta|, JSD = (|theta| / 2h) log 2 for |theta| < 2h,
 * log 2 otherwise, on oracle.grid points of [0, oracle.theta_max]. The Lemma on samples:
 * oracle.n draws x ~ U[0, 1] (GR_STREAM_DATA) and e ~ U[-h, h] (GR_STREAM_INSTANCE); W1
 * between the empirical laws of x and x + e (distance/oned.h: the transport LP's exact
 * optimum in 1-D) against E|e| + 3 SE = h/2 + 3 h / sqrt(12 n), and that against V^(1/2). */
static int run_noise_bound(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t grid, n;
    double h, tmax;
    GR_TRY(get_size_min(run, "oracle.grid", 2, &grid, err));
    GR_TRY(get_size_min(run, "oracle.n", 2, &n, err));
    GR_TRY(get_f64_pos(run, "oracle.h", &h, err));
    GR_TRY(get_f64_pos(run, "oracle.theta_max", &tmax, err));
    static const char *const names[] = {"theta", "w", "bound", "slack", "jsd"};
    int st = gr_results_run_series_define(w, names, 5, err);
    double vsq = h / sqrt(3.0), min_slack = INFINITY, min_ratio = INFINITY;
    for (size_t i = 0; st == GR_OK && i < grid; i++) {
        double th = tmax * (double)i / (double)(grid - 1);
        double jsd = th < 2 * h ? th / (2 * h) * M_LN2 : M_LN2, C = 2 * h + th;
        double b = 2 * vsq + 2 * C * sqrt(jsd);
        double row[5] = {th, th, b, b - th, jsd};
        if (b - th < min_slack) min_slack = b - th;
        if (th > 0 && th / b < min_ratio) min_ratio = th / b;
        st = gr_results_run_series_row(w, (int64_t)i, row, err);
    }
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), w1 = NAN, mean_abs = 0;
    gsl_rng *rd = NULL, *rn = NULL;
    if (st == GR_OK && (!x || !y)) st = GR_ERROR(err, GR_ENOMEM, "oracle: memory");
    if (st == GR_OK) st = gr_rng_alloc(&rd, run->seed, GR_STREAM_DATA, err);
    if (st == GR_OK) st = gr_rng_alloc(&rn, run->seed, GR_STREAM_INSTANCE, err);
    if (st == GR_OK) {
        for (size_t i = 0; i < n; i++) {
            x[i] = gsl_rng_uniform(rd);
            double e = gsl_ran_flat(rn, -h, h);
            y[i] = x[i] + e;
            mean_abs += fabs(e);
        }
        mean_abs /= (double)n;
        st = gr_oned_wasserstein(NULL, x, NULL, n, y, NULL, n, 1, 1e-12, &w1, err);
    }
    if (st == GR_OK) {
        double se = h / sqrt(12.0 * (double)n), bound = h / 2 + 3 * se;
        metric mt[] = {
            {"bound_min_slack", min_slack},
            {"bound_min_w_over_bound", min_ratio},
            {"lemma_exact_slack", vsq - h / 2}, /* V^(1/2) - W(delta_0, U[-h, h]) */
            {"w1_sample", w1},
            {"w1_sample_mean_abs_eps", mean_abs},
            {"w1_sample_bound", bound},
            {"w1_sample_slack", bound - w1},
            {"w1_bound_vs_v_slack", vsq - bound},
            {"v_sqrt", vsq},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    gr_rng_free(rd);
    gr_rng_free(rn);
    free(x);
    free(y);
    return st;
}

/* ---- C21: the topology ordering on N(0,1) vs N(theta,1) and on the lines ------------ */

/* theta on oracle.grid points geometric from 1 down to oracle.theta_min. Gaussians: W = O6,
 * TV = O8, JS = O3, KL = O1 (1-D), each against its small-theta asymptote theta,
 * theta / sqrt(2 pi), theta^2 / 8, theta^2 / 2. Lines (prob/lines.h): W = |theta|, JS = log 2,
 * KL = +inf, TV = 1 at every theta != 0. */
static int run_topology(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t grid;
    double tmin;
    GR_TRY(get_size_min(run, "oracle.grid", 2, &grid, err));
    GR_TRY(get_f64_pos(run, "oracle.theta_min", &tmin, err));
    if (!(tmin < 1)) return GR_ERROR(err, GR_EINVAL, "oracle: oracle.theta_min must be < 1");
    enum { T, W, TV, JS, KL, RW, RTV, RJS, RKL, LW, LTV, LJS, LKL, NS };
    static const char *const names[NS] = {
        "theta",    "w",        "tv",      "js",       "kl",       "w_ratio",     "tv_ratio",
        "js_ratio", "kl_ratio", "lines_w", "lines_tv", "lines_js", "lines_kl_inf"};
    int st = gr_results_run_series_define(w, names, NS, err);
    double row[NS], prev[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    int monotone = 1;
    double lines_js_min = INFINITY, lines_tv_min = INFINITY, lines_kl_inf = 0;
    for (size_t i = 0; st == GR_OK && i < grid; i++) {
        double th = exp(log(tmin) * (double)i / (double)(grid - 1)), e;
        row[T] = th;
        st = gr_gauss_w1_1d(0, 1, th, 1, &row[W], err);
        if (st == GR_OK) st = gr_normal_tv_eqvar(th, &row[TV], err);
        if (st == GR_OK) st = gr_normal_js_eqvar(th, &row[JS], &e, err);
        if (st == GR_OK) st = gr_gauss_kl_1d(0, 1, th, 1, &row[KL], err);
        gr_lines_closed lc;
        if (st == GR_OK) st = gr_lines_closed_eval(th, &lc, err);
        if (st != GR_OK) break;
        row[RW] = row[W] / th;
        row[RTV] = row[TV] / (th / sqrt(2 * M_PI));
        row[RJS] = row[JS] / (th * th / 8);
        row[RKL] = row[KL] / (th * th / 2);
        row[LW] = lc.w1, row[LTV] = lc.tv, row[LJS] = lc.js, row[LKL] = lc.kl_is_inf;
        for (int k = 0; k < 4; k++) {
            if (!(row[W + k] < prev[k])) monotone = 0;
            prev[k] = row[W + k];
        }
        if (lc.js < lines_js_min) lines_js_min = lc.js;
        if (lc.tv < lines_tv_min) lines_tv_min = lc.tv;
        lines_kl_inf += lc.kl_is_inf;
        st = gr_results_run_series_row(w, (int64_t)i, row, err);
    }
    if (st == GR_OK) {
        /* row holds the smallest theta */
        double dev = 0;
        for (int k = 0; k < 4; k++)
            if (fabs(row[RW + k] - 1) > dev) dev = fabs(row[RW + k] - 1);
        metric mt[] = {
            {"theta_min", row[T]},
            {"gauss_w_at_min", row[W]},
            {"gauss_tv_at_min", row[TV]},
            {"gauss_js_at_min", row[JS]},
            {"gauss_kl_at_min", row[KL]},
            {"gauss_max_at_min", fmax(fmax(row[W], row[TV]), fmax(row[JS], row[KL]))},
            {"w_ratio_dev_at_min", fabs(row[RW] - 1)},
            {"tv_ratio_dev_at_min", fabs(row[RTV] - 1)},
            {"js_ratio_dev_at_min", fabs(row[RJS] - 1)},
            {"kl_ratio_dev_at_min", fabs(row[RKL] - 1)},
            {"ratio_dev_max_at_min", dev},
            {"gauss_monotone", monotone},
            {"lines_w_at_min", row[LW]},
            {"lines_js_min", lines_js_min},
            {"lines_tv_min", lines_tv_min},
            {"lines_kl_inf_fraction", lines_kl_inf / (double)grid},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    return st;
}

/* ---- C22: the critic formula with the analytic optimal critic ---------------------- */

/* P_r = N(0, 1), P_theta = N(theta, 1) on oracle.grid points of [-theta_max, theta_max]
 * (theta = 0 skipped): the optimal critic f*(x) = -sign(theta) x (maximises E_r f - E_theta
 * f over 1-Lipschitz f), its derivative -sign(theta) at every theta + z, z on
 * GR_STREAM_EVAL (oracle.n draws): the estimate -E_z d/dtheta f*(theta + z); against sign
 * theta and against dW/dtheta by central differences (step 1e-6) of O6's W1. */
static double fstar_prime(double x, double theta) {
    (void)x; /* f*(x) = -sign(theta) x: its slope is the same everywhere */
    return theta > 0 ? -1.0 : 1.0;
}

static int run_critic_formula(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t grid, n;
    double tmax;
    GR_TRY(get_size_min(run, "oracle.grid", 2, &grid, err));
    GR_TRY(get_size_min(run, "oracle.n", 1, &n, err));
    GR_TRY(get_f64_pos(run, "oracle.theta_max", &tmax, err));
    static const char *const names[] = {"theta", "critic_grad", "dw_dtheta_fd"};
    int st = gr_results_run_series_define(w, names, 3, err);
    gsl_rng *r = NULL;
    if (st == GR_OK) st = gr_rng_alloc(&r, run->seed, GR_STREAM_EVAL, err);
    double dev_sign = 0, dev_fd = 0;
    size_t rows = 0;
    for (size_t i = 0; st == GR_OK && i < grid; i++) {
        double th = -tmax + 2 * tmax * (double)i / (double)(grid - 1);
        if (th == 0) continue;
        double sg = th > 0 ? 1.0 : -1.0, s = 0;
        for (size_t j = 0; j < n; j++) /* d/dtheta f*(theta + z) = f*'(theta + z) */
            s += fstar_prime(th + gsl_ran_gaussian(r, 1.0), th);
        double est = -s / (double)n, wp, wm, hstep = 1e-6;
        st = gr_gauss_w1_1d(0, 1, th + hstep, 1, &wp, err);
        if (st == GR_OK) st = gr_gauss_w1_1d(0, 1, th - hstep, 1, &wm, err);
        if (st != GR_OK) break;
        double fd = (wp - wm) / (2 * hstep);
        if (fabs(est - sg) > dev_sign) dev_sign = fabs(est - sg);
        if (fabs(fd) > 0 && fabs(est - fd) > dev_fd) dev_fd = fabs(est - fd);
        double row[3] = {th, est, fd};
        st = gr_results_run_series_row(w, (int64_t)i, row, err);
        rows++;
    }
    if (st == GR_OK) {
        metric mt[] = {
            {"critic_formula_max_abs_dev", dev_sign},
            {"critic_formula_vs_fd_max_abs_dev", dev_fd},
            {"points", (double)rows},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    gr_rng_free(r);
    return st;
}

int gr_protocol_oracle(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *kind;
    GR_TRY(gr_rundesc_get_str(run, "oracle.kind", &kind, err));
    if (!strcmp(kind, "function_space")) return run_function_space(run, w, err);
    if (!strcmp(kind, "local_pca")) return run_local_pca(run, w, err);
    if (!strcmp(kind, "cauchy")) return run_cauchy(run, w, err);
    if (!strcmp(kind, "smoothed_segment")) return run_smoothed_segment(run, w, err);
    if (!strcmp(kind, "noise_bound")) return run_noise_bound(run, w, err);
    if (!strcmp(kind, "topology")) return run_topology(run, w, err);
    if (!strcmp(kind, "critic_formula")) return run_critic_formula(run, w, err);
    return GR_ERROR(err, GR_EINVAL, "oracle: oracle.kind \"%s\" is not known", kind);
}
