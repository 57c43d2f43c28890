/* harness/proto_fixed_gen.c — the fixed_gen protocol (CLAIMS C29, C45 with O12, O13):
 * generators that are fixed distributions, measured against exact oracles.
 *   coupling  WGAN-GP Prop. 1 on two point clouds: the optimal assignment (Hungarian,
 *             distance/assign.h) against the dual LP over the pooled points (the
 *             c-transform of the network simplex's duals, distance/kr.h), and the McShane
 *             critic's unit gradient on every coupled segment;
 *   collapse  a generator on some modes of a Gaussian mixture (data/fixedgen.h): the exact W1
 *             between the mixture's means and the kept means (LP), the sample W1 against the
 *             O13 band with the noise floor, and the C45 mode metrics (eval/modes.h) against
 *             what they must give.
 * Contract in harness/protocol.h; metrics in docs/RESULTS.md. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/fixedgen.h"
#include "data/toys.h"
#include "distance/assign.h"
#include "distance/kr.h"
#include "distance/ot.h"
#include "eval/modes.h"
#include "eval/w1.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"

typedef struct metric_row {
    const char *name;
    double v;
} metric_row;

static int write_metrics(gr_results_run *w, const metric_row *mt, size_t n, gr_error *err) {
    for (size_t i = 0; i < n; i++)
        GR_TRY(gr_results_run_metric(w, mt[i].name, mt[i].v, err));
    return GR_OK;
}

/* ---- coupling (C29) ----------------------------------------------------------------------- */

#define FD_H 1e-6

static int coupling(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t n;
    GR_TRY(gr_rundesc_get_size(run, "eval.n", &n, err));
    const size_t d = 2;
    size_t nn, n4;
    if (n > 4096 || gr_size_mul(n, n, &nn) != GR_OK || gr_size_mul(n, 4, &n4) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "fixed_gen: coupling takes eval.n <= 4096 (%zu)", n);
    double *p = malloc(n4 * sizeof *p), *c = malloc(nn * sizeof *c);
    double *f = malloc(2 * n * sizeof *f), *F = malloc(2 * n * sizeof *F);
    size_t *perm = malloc(n * sizeof *perm);
    gsl_rng *rng = NULL;
    gr_assign_workspace *aw = NULL;
    gr_ot_workspace *ow = NULL;
    int st = p && c && f && F && perm ? GR_OK : GR_ERROR(err, GR_ENOMEM, "fixed_gen: memory");
    if (st == GR_OK) st = gr_rng_alloc(&rng, run->seed, GR_STREAM_DATA, err);
    double *x = p, *y = p + n * d;
    /* X ~ N((2, 0), 0.3^2 I), then Y ~ N(0, 0.5^2 I), row-major */
    for (size_t i = 0; st == GR_OK && i < n; i++) {
        x[i * d] = 2.0 + gsl_ran_gaussian_ziggurat(rng, 0.3);
        x[i * d + 1] = gsl_ran_gaussian_ziggurat(rng, 0.3);
    }
    for (size_t i = 0; st == GR_OK && i < n * d; i++)
        y[i] = gsl_ran_gaussian_ziggurat(rng, 0.5);
    for (size_t i = 0; st == GR_OK && i < n; i++)
        for (size_t j = 0; j < n; j++)
            c[i * n + j] = hypot(x[i * d] - y[j * d], x[i * d + 1] - y[j * d + 1]);
    gr_assign_result ar;
    if (st == GR_OK) st = gr_assign_workspace_alloc(&aw, n, err);
    if (st == GR_OK) st = gr_assign_solve(aw, c, n, perm, &ar, err);
    gr_ot_result orr;
    if (st == GR_OK) st = gr_ot_workspace_alloc(&ow, n, n, err);
    if (st == GR_OK) {
        gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, y, NULL, n, d, GR_OT_COST_EUCLIDEAN);
        st = gr_ot_solve(ow, &pr, NULL, &orr, err);
    }
    /* the dual over the pooled 2n points: f = c-transform of the target potentials */
    if (st == GR_OK) st = gr_kr_potential(y, orr.v, n, d, p, 2 * n, f, err);
    if (st == GR_OK) st = gr_kr_extend(p, f, 2 * n, d, p, 2 * n, F, NULL, err);
    double dual = 0, ext_err = 0, eq_err = 0, gmin = INFINITY, gmax = -INFINITY, dir_err = 0;
    for (size_t i = 0; st == GR_OK && i < n; i++)
        dual += (f[i] - f[n + i]) / (double)n;
    for (size_t i = 0; st == GR_OK && i < 2 * n; i++)
        ext_err = fmax(ext_err, fabs(F[i] - f[i]));
    static const double T[3] = {0.25, 0.5, 0.75};
    for (size_t i = 0; st == GR_OK && i < n; i++) {
        size_t j = perm[i];
        double len = c[i * n + j];
        eq_err = fmax(eq_err, fabs(F[i] - F[n + j] - len));
        for (size_t q = 0; st == GR_OK && q < 3; q++) {
            double z[2], g[2];
            for (size_t k = 0; k < d; k++)
                z[k] = T[q] * x[i * d + k] + (1 - T[q]) * y[j * d + k];
            st = gr_kr_extend_grad_fd(p, F, 2 * n, d, z, FD_H, g, err);
            double gn = hypot(g[0], g[1]);
            gmin = fmin(gmin, gn), gmax = fmax(gmax, gn);
            /* Prop. 1: the gradient is the unit vector from y_j to x_i */
            double e0 = g[0] - (x[i * d] - y[j * d]) / len;
            double e1 = g[1] - (x[i * d + 1] - y[j * d + 1]) / len;
            dir_err = fmax(dir_err, hypot(e0, e1));
        }
    }
    if (st == GR_OK) {
        double w1a = ar.cost / (double)n;
        metric_row mt[] = {
            {"points_per_side", (double)n},
            {"w1_assignment", w1a},
            {"w1_simplex", orr.value},
            {"w1_dual_pooled", dual},
            {"primal_dual_abs_diff", fabs(w1a - dual)},
            {"assignment_simplex_abs_diff", fabs(w1a - orr.value)},
            {"assignment_duality_gap", ar.duality_gap / (double)n},
            {"simplex_duality_gap", orr.duality_gap},
            {"dual_lipschitz_violation", gr_kr_lipschitz_violation(p, f, 2 * n, d)},
            {"extension_max_err_at_points", ext_err},
            {"coupled_segments", (double)n},
            {"coupled_equality_max_err", eq_err},
            {"grad_norm_min", gmin},
            {"grad_norm_max", gmax},
            {"grad_norm_max_abs_dev", fmax(fabs(gmin - 1), fabs(gmax - 1))},
            {"grad_dir_max_err", dir_err},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    free(p);
    free(c);
    free(f);
    free(F);
    free(perm);
    gr_rng_free(rng);
    gr_assign_workspace_free(aw);
    gr_ot_workspace_free(ow);
    return st;
}

/* ---- collapse (C45, O12, O13) ------------------------------------------------------------- */

/* The kept modes of `pattern` on a table of K modes (the ring's order of data/toys.h:
 * (1,0), (-1,0), (0,1), (0,-1), (s,s), (s,-s), (-s,s), (-s,-s)). */
static int kept_modes(const char *pattern, const char *set, size_t K, size_t k, size_t *idx,
                      size_t *m, gr_error *err) {
    static const size_t ONE[] = {0}, OPP[] = {0, 1}, ALT[] = {0, 2, 1, 3}, ADJ[] = {0, 4, 2, 6},
                        SEV[] = {0, 1, 2, 3, 4, 5, 6};
    const size_t *tab = NULL;
    size_t nt = 0;
    if (!strcmp(pattern, "first_k")) {
        if (k < 1 || k > K)
            return GR_ERROR(err, GR_EINVAL, "fixed_gen: fixed_gen.k = %zu, the data has %zu modes",
                            k, K);
        for (size_t i = 0; i < k; i++)
            idx[i] = i;
        *m = k;
        return GR_OK;
    }
    if (strcmp(set, "8gaussians") != 0)
        return GR_ERROR(err, GR_EINVAL,
                        "fixed_gen: pattern %s is a ring pattern (data.set 8gaussians); use "
                        "first_k on %s",
                        pattern, set);
    if (!strcmp(pattern, "one")) tab = ONE, nt = 1;
    if (!strcmp(pattern, "opposite")) tab = OPP, nt = 2;
    if (!strcmp(pattern, "alternate")) tab = ALT, nt = 4;
    if (!strcmp(pattern, "adjacent")) tab = ADJ, nt = 4;
    if (!strcmp(pattern, "seven")) tab = SEV, nt = 7;
    if (!tab) return GR_ERROR(err, GR_EINVAL, "fixed_gen: unknown pattern %s", pattern);
    memcpy(idx, tab, nt * sizeof *idx);
    *m = nt;
    return GR_OK;
}

static int collapse(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *set, *pattern;
    size_t n, n_modes, k = 0;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &set, err));
    GR_TRY(gr_rundesc_get_str(run, "fixed_gen.pattern", &pattern, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.n", &n, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.n_modes", &n_modes, err));
    if (!strcmp(pattern, "first_k")) GR_TRY(gr_rundesc_get_size(run, "fixed_gen.k", &k, err));
    gr_sampler *data = NULL, *gen = NULL;
    GR_TRY(gr_proto_data_alloc(run, &data, NULL, err));
    const gr_modes *md = gr_sampler_modes(data);
    size_t K = md ? md->k : 0, d = md ? md->d : 0, m = 0;
    size_t *idx = NULL, *hq = NULL;
    double *mu = NULL, *x = NULL;
    gsl_rng *rng = NULL;
    gr_ot_workspace *ow = NULL;
    gr_eval_w1 *w1 = NULL;
    int st = md ? GR_OK : GR_ERROR(err, GR_EINVAL, "fixed_gen: data.set %s has no modes", set);
    if (st == GR_OK && strcmp(set, "8gaussians") && strcmp(set, "25gaussians"))
        st = GR_ERROR(err, GR_EINVAL, "fixed_gen: collapse takes 8gaussians or 25gaussians");
    for (size_t i = 1; st == GR_OK && i < K; i++)
        if (md->sd[i] != md->sd[0] || md->w[i] != md->w[0])
            st = GR_ERROR(err, GR_EINVAL, "fixed_gen: collapse needs equal modes");
    size_t nx = n > n_modes ? n : n_modes, nxd;
    if (st == GR_OK && gr_size_mul(nx, d, &nxd) != GR_OK)
        st = GR_ERROR(err, GR_EINVAL, "fixed_gen: eval.n too large");
    if (st == GR_OK) {
        idx = malloc(K * sizeof *idx);
        hq = malloc(K * sizeof *hq);
        mu = malloc(K * d * sizeof *mu);
        x = malloc(nxd * sizeof *x);
        if (!idx || !hq || !mu || !x) st = GR_ERROR(err, GR_ENOMEM, "fixed_gen: memory");
    }
    if (st == GR_OK) st = kept_modes(pattern, set, K, k, idx, &m, err);
    if (st == GR_OK) st = gr_data_collapsed_alloc(&gen, md, m, idx, err);
    /* O12: exact W1 between the K means (weights of the table) and the m kept (1/m) */
    for (size_t i = 0; st == GR_OK && i < m; i++)
        memcpy(mu + i * d, md->mu + idx[i] * d, d * sizeof *mu);
    gr_ot_result orr;
    if (st == GR_OK) st = gr_ot_workspace_alloc(&ow, K, K, err);
    if (st == GR_OK) {
        gr_ot_problem pr =
            gr_ot_problem_points(md->mu, md->w, K, mu, NULL, m, d, GR_OT_COST_EUCLIDEAN);
        st = gr_ot_solve(ow, &pr, NULL, &orr, err);
    }
    const int ring = !strcmp(set, "8gaussians");
    const double scale = ring ? GR_DATA_GAUSS8_RADIUS / GR_DATA_GAUSS8_SCALE
                              : GR_DATA_GAUSS25_SPACING / GR_DATA_GAUSS25_SCALE;
    /* closed forms on the ring (chords 2 R sin(j pi/8) between modes j steps apart; every
     * kept mode keeps its own mass): one mode, sum_j chord_j / 8 = cot(pi/16) R/4; two
     * opposite, each takes its two 45-degree and one 90-degree neighbours: R (sin(pi/8) +
     * sin(pi/4)/2); four alternate, each takes one 45-degree neighbour: R sin(pi/8); four
     * adjacent (0, 45, 90, 135 degrees), the nested assignment 180 -> 135, 315 -> 0 (one
     * step), 225 -> 90, 270 -> 45 (three steps): R (sin(pi/8) + sin(3 pi/8))/2; seven, the
     * dropped mode sends 1/56 to each kept one: R cot(pi/16)/28 */
    double closed = NAN;
    if (ring && !strcmp(pattern, "one")) closed = scale / (4.0 * tan(M_PI / 16));
    if (ring && !strcmp(pattern, "opposite")) closed = scale * (sin(M_PI / 8) + sin(M_PI / 4) / 2);
    if (ring && !strcmp(pattern, "alternate")) closed = scale * sin(M_PI / 8);
    if (ring && !strcmp(pattern, "adjacent"))
        closed = scale * (sin(M_PI / 8) + sin(3 * M_PI / 8)) / 2;
    if (ring && !strcmp(pattern, "seven")) closed = scale / (28.0 * tan(M_PI / 16));
    /* the grid: one corner mode, the mean distance from a corner of the 5 x 5 grid; the first
     * column (k = 5), every mode moves along its row to x = -2: mean |x + 2| = 2 spacings */
    if (!ring && k == 1) {
        closed = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                closed += scale * hypot(i, j) / 25.0;
    }
    if (!ring && k == 5) closed = 2.0 * scale;
    /* O13 and the noise floor: eval.n generated points (stream EVAL) against fresh data */
    gr_eval_w1_result wr;
    if (st == GR_OK) st = gr_rng_alloc(&rng, run->seed, GR_STREAM_EVAL, err);
    if (st == GR_OK) st = gr_sampler_sample(gen, rng, n, x, err);
    if (st == GR_OK) st = gr_eval_w1_alloc(&w1, n, d, err);
    if (st == GR_OK) st = gr_eval_w1_run(w1, x, n, data, rng, NULL, &wr, err);
    double s = md->sd[0], band = 2 * s * sqrt(M_PI / 2);
    double lo = orr.value - band, hi = orr.value;
    /* the mode metrics of eval.n_modes generated points */
    gr_eval_modes_result mr;
    size_t outside = 0;
    if (st == GR_OK) st = gr_sampler_sample(gen, rng, n_modes, x, err);
    if (st == GR_OK) {
        size_t *near = malloc(K * sizeof *near);
        if (!near) st = GR_ERROR(err, GR_ENOMEM, "fixed_gen: memory");
        if (st == GR_OK)
            st = gr_eval_modes(md, x, n_modes, GR_EVAL_MODES_HQ_SDS, hq, near, NULL, &mr, err);
        for (size_t j = 0; st == GR_OK && j < K; j++) {
            int kept = 0;
            for (size_t i = 0; i < m; i++)
                kept |= idx[i] == j;
            if (!kept) outside += near[j];
        }
        free(near);
    }
    if (st == GR_OK) {
        /* HQ: |x - mu| < 3 s for an isotropic d-dimensional Gaussian, chi-square(d) */
        double phq = gsl_cdf_chisq_P(GR_EVAL_MODES_HQ_SDS * GR_EVAL_MODES_HQ_SDS, (double)d);
        double z = (mr.hq_fraction - phq) / sqrt(phq * (1 - phq) / (double)n_modes);
        double rkl_want = log((double)K / (double)m);
        double excess = mr.rkl_defined ? mr.rkl - rkl_want : NAN;
        /* G-test: 2 N_hq KL(q || uniform on the m kept) ~ chi-square(m - 1) */
        double pval = m == 1 ? (fabs(excess) <= 1e-12 ? 1.0 : 0.0)
                             : gsl_cdf_chisq_Q(2.0 * (double)mr.hq * excess, (double)(m - 1));
        metric_row mt[] = {
            {"modes_total", (double)K},
            {"modes_kept", (double)m},
            {"scale", scale},
            {"w1_means", orr.value},
            {"w1_means_over_scale", orr.value / scale},
            {"w1_means_duality_gap", orr.duality_gap},
            {"w1_means_closed_form_rel_err", fabs(orr.value - closed) / closed},
            {"mode_sd", s},
            {"o13_lower", lo},
            {"o13_upper", hi},
            {"w1_sample", wr.w1.value},
            {"w1_floor", wr.floor.value},
            {"o13_margin_lower", wr.w1.value + wr.floor.value - lo},
            {"o13_margin_upper", hi + wr.floor.value - wr.w1.value},
            {"o13_violation",
             fmax(lo - (wr.w1.value + wr.floor.value), wr.w1.value - (hi + wr.floor.value))},
            {"modes_n", (double)n_modes},
            {"modes_captured", (double)mr.captured},
            {"modes_captured_minus_kept", (double)mr.captured - (double)m},
            {"modes_nearest_outside_kept", (double)outside},
            {"hq_fraction", mr.hq_fraction},
            {"hq_fraction_expected", phq},
            {"hq_fraction_z", z},
            {"rkl", mr.rkl_defined ? mr.rkl : NAN},
            {"rkl_expected", rkl_want},
            {"rkl_excess", excess},
            {"rkl_chi2_p", pval},
        };
        st = write_metrics(w, mt, sizeof mt / sizeof mt[0], err);
    }
    free(idx);
    free(hq);
    free(mu);
    free(x);
    gr_rng_free(rng);
    gr_ot_workspace_free(ow);
    gr_eval_w1_free(w1);
    gr_sampler_free(gen);
    gr_sampler_free(data);
    return st;
}

int gr_protocol_fixed_gen(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *kase;
    GR_TRY(gr_rundesc_get_str(run, "fixed_gen.case", &kase, err));
    if (!strcmp(kase, "coupling")) return coupling(run, w, err);
    if (!strcmp(kase, "collapse")) return collapse(run, w, err);
    return GR_ERROR(err, GR_EINVAL, "fixed_gen: fixed_gen.case = \"%s\" (coupling or collapse)",
                    kase);
}
