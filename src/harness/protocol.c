/* harness/protocol.c — the protocol table and the distance_curve protocol (parallel lines,
 * CLAIMS C19/C20); contracts in harness/protocol.h. */
#include "harness/protocol.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "distance/knn.h"
#include "distance/ot.h"
#include "prob/lines.h"

const gr_protocol gr_protocols[] = {
    {"distance_curve", "exact and sample distances along a one-parameter family (C19, C20)",
     gr_protocol_distance_curve},
    {"objective",
     "the objective with the exact D* along theta: C, JS, KL, both G gradients, "
     "the C02/C11/C16 identities (C01-C03, C11, C15, C16)",
     gr_protocol_objective},
    {"game", "bilinear xy play (C47) and 1-D games descending against the exact D* (C18)",
     gr_protocol_game},
    {"frozen_d",
     "a fresh D against a frozen G: accuracy, loss, both G-gradient norms (C07 C10 C13 C46)",
     gr_protocol_frozen_d},
    {"fixed_critic",
     "a critic against a fixed generator: surface, layer gradients, weights (C23 C31-C34)",
     gr_protocol_fixed_critic},
    {"train", "train a GAN with one of the five methods; probes, W1 and mode metrics, checkpoints",
     gr_protocol_train},
    {"preset_check",
     "method presets and toy-data constants against the papers and codes (C26 C30 C37)",
     gr_protocol_preset_check},
    {"fixed_gen",
     "fixed generators against exact oracles: optimal coupling, mode dropping (C29 C45)",
     gr_protocol_fixed_gen},
    {"oracle",
     "exact and Monte-Carlo oracles: function-space GAN, local PCA, Cauchy gradients, smoothed "
     "segment, noise bound, topology, critic formula (C04 C06 C12 C14 C17 C21 C22)",
     gr_protocol_oracle},
    {NULL, NULL, NULL},
};

const gr_protocol *gr_protocol_find(const gr_protocol *table, const char *name) {
    if (!name) return NULL;
    for (const gr_protocol *p = table ? table : gr_protocols; p->name; p++)
        if (!strcmp(p->name, name)) return p;
    return NULL;
}

gr_protocol_check_fn gr_protocol_checkpoint_check(const gr_protocol *p) {
    if (p && p->run == gr_protocol_train) return gr_protocol_train_check_checkpoint;
    return NULL;
}

/* C19's bound on the independent-sample excess holds for |theta| >= 0.1 (near 0 the
 * excess ~ dy^2 / (2 |theta|) is larger): w1_lp_max_excess_far is taken over those. */
#define GR_CURVE_FAR 0.1

enum {
    S_THETA,
    S_W1_EXACT,
    S_JS_EXACT,
    S_KL_EXACT,
    S_KL_EXACT_INF,
    S_W1_LP,
    S_W1_LP_EXCESS,
    S_JS_KNN,
    S_KL_KNN,
    S_KL_KNN_INF,
    S_KNN_STATUS,
    S_JS_EXACT_DTHETA,
    S_COUNT
};
static const char *const SERIES[S_COUNT] = {
    "theta",        "w1_exact", "js_exact", "kl_exact",   "kl_exact_inf", "w1_lp",
    "w1_lp_excess", "js_knn",   "kl_knn",   "kl_knn_inf", "knn_status",   "js_exact_dtheta"};

typedef struct curve {
    double from, to, sigma;
    size_t points, n, k;
    int shared, do_w1, do_knn;
} curve;

static int curve_read(const gr_run_desc *run, curve *c, gr_error *err) {
    const char *s;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &s, err));
    if (strcmp(s, "parallel_lines") != 0)
        return GR_ERROR(err, GR_EINVAL,
                        "distance_curve: data.set is \"%s\"; this protocol has the parallel lines "
                        "(\"parallel_lines\") only",
                        s);
    GR_TRY(gr_rundesc_get_str(run, "curve.param", &s, err));
    if (strcmp(s, "data.theta") != 0)
        return GR_ERROR(err, GR_EINVAL,
                        "distance_curve: curve.param is \"%s\"; the parallel lines vary data.theta",
                        s);
    GR_TRY(gr_rundesc_get_f64(run, "curve.from", &c->from, err));
    GR_TRY(gr_rundesc_get_f64(run, "curve.to", &c->to, err));
    GR_TRY(gr_rundesc_get_size(run, "curve.points", &c->points, err));
    GR_TRY(gr_rundesc_get_str(run, "curve.samples", &s, err));
    if (!strcmp(s, "shared_grid"))
        c->shared = 1;
    else if (!strcmp(s, "independent"))
        c->shared = 0;
    else
        return GR_ERROR(err, GR_EINVAL, "curve.samples \"%s\" is not independent or shared_grid",
                        s);
    GR_TRY(gr_rundesc_get_f64(run, "data.sigma", &c->sigma, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.n", &c->n, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.knn_k", &c->k, err));
    GR_TRY(gr_rundesc_get_bool(run, "eval.w1", &c->do_w1, err));
    GR_TRY(gr_rundesc_get_str(run, "eval.divergence", &s, err));
    c->do_knn = strcmp(s, "none") != 0;
    if (c->points < 1 || c->n < 2)
        return GR_ERROR(err, GR_EINVAL, "distance_curve: curve.points >= 1 and eval.n >= 2 needed");
    if (!(c->sigma >= 0) || !isfinite(c->sigma))
        return GR_ERROR(err, GR_EINVAL, "distance_curve: data.sigma must be finite and >= 0");
    if (c->do_knn && c->n <= c->k)
        return GR_ERROR(err, GR_EINVAL, "distance_curve: eval.n = %zu must exceed eval.knn_k = %zu",
                        c->n, c->k);
    return GR_OK;
}

static int closed(double theta, double sigma, gr_lines_closed *out, gr_error *err) {
    return sigma > 0 ? gr_lines_closed_smoothed(theta, sigma, out, err)
                     : gr_lines_closed_eval(theta, out, err);
}

int gr_protocol_distance_curve(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    curve c;
    GR_TRY(curve_read(run, &c, err));
    size_t nd;
    if (gr_size_mul(c.n, 2, &nd) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "distance_curve: eval.n too large");
    double *real = malloc(nd * sizeof *real), *fake0 = malloc(nd * sizeof *fake0),
           *fake = malloc(nd * sizeof *fake);
    gsl_rng *rd = NULL, *rp = NULL;
    gr_ot_workspace *ot = NULL;
    gr_knn_workspace *knn = NULL;
    int st = (real && fake0 && fake) ? GR_OK : GR_ERROR(err, GR_ENOMEM, "distance_curve: memory");
    if (st == GR_OK && c.shared) {
        /* C19's shared grid: y_i = (i + 1/2)/n on both lines (no noise even when sigma > 0:
         * the grid is the point of this mode) */
        for (size_t i = 0; i < c.n; i++) {
            real[2 * i] = fake0[2 * i] = 0.0;
            real[2 * i + 1] = fake0[2 * i + 1] = ((double)i + 0.5) / (double)c.n;
        }
    } else if (st == GR_OK) {
        st = gr_rng_alloc(&rd, run->seed, GR_STREAM_DATA, err);
        if (st == GR_OK) st = gr_rng_alloc(&rp, run->seed, GR_STREAM_PRIOR, err);
        if (st == GR_OK) st = gr_lines_sample(0.0, c.sigma, rd, c.n, real, err);
        if (st == GR_OK) st = gr_lines_sample(0.0, c.sigma, rp, c.n, fake0, err);
    }
    if (st == GR_OK && c.do_w1) st = gr_ot_workspace_alloc(&ot, c.n, c.n, err);
    if (st == GR_OK && c.do_knn) st = gr_knn_workspace_alloc(&knn, c.n, c.n, 2, err);
    if (st == GR_OK) st = gr_results_run_series_define(w, SERIES, S_COUNT, err);
    if (st == GR_OK) {
        size_t dims[2] = {c.n, 2};
        st = gr_results_run_dataset_f64(w, "samples", "real", 2, dims, real, err);
        if (st == GR_OK)
            st = gr_results_run_dataset_f64(w, "samples", "fake_theta0", 2, dims, fake0, err);
    }
    gr_ot_settings ots = gr_ot_settings_default();
    gr_knn_options ko = gr_knn_options_default();
    ko.k = c.k;
    double max_abs_err = 0, min_excess = INFINITY, max_excess = -INFINITY, lip_lp = 0, lip_ex = 0;
    double max_excess_far = -INFINITY; /* over |theta| >= GR_CURVE_FAR (C19's bound) */
    double js_knn_sum = 0, prev_lp = NAN, prev_ex = NAN, prev_theta = NAN;
    size_t n_inf = 0, n_js = 0, knn_errors = 0;
    /* C08: over the grid points theta != 0 of the clean lines, the largest |JS - log 2| and
     * how many KL values are finite */
    double js_off0_dev = c.sigma > 0 ? NAN : 0;
    size_t kl_off0_finite = 0;
    for (size_t i = 0; st == GR_OK && i < c.points; i++) {
        double theta =
            c.points == 1 ? c.from : c.from + (c.to - c.from) * (double)i / (double)(c.points - 1);
        double row[S_COUNT];
        for (int k = 0; k < S_COUNT; k++)
            row[k] = NAN;
        row[S_THETA] = theta;
        gr_lines_closed cl;
        st = closed(theta, c.sigma, &cl, err);
        if (st != GR_OK) break;
        row[S_W1_EXACT] = cl.w1;
        row[S_JS_EXACT] = cl.js;
        row[S_KL_EXACT] = cl.kl_is_inf ? INFINITY : cl.kl;
        row[S_KL_EXACT_INF] = cl.kl_is_inf ? 1.0 : 0.0;
        if (c.sigma > 0) {
            /* dJS/dtheta of the smoothed closed form, central difference with h = 1e-4 sigma
             * (the figure of C14-C17 draws it; NaN on the clean lines, where JS is a step) */
            gr_lines_closed lo, hi;
            double h = 1e-4 * c.sigma;
            st = closed(theta - h, c.sigma, &lo, err);
            if (st == GR_OK) st = closed(theta + h, c.sigma, &hi, err);
            if (st != GR_OK) break;
            row[S_JS_EXACT_DTHETA] = (hi.js - lo.js) / (2 * h);
        }
        n_inf += cl.kl_is_inf != 0;
        if (c.sigma == 0 && theta != 0) {
            if (fabs(cl.js - M_LN2) > js_off0_dev) js_off0_dev = fabs(cl.js - M_LN2);
            kl_off0_finite += !cl.kl_is_inf;
        }
        for (size_t j = 0; j < c.n; j++) {
            fake[2 * j] = fake0[2 * j] + theta;
            fake[2 * j + 1] = fake0[2 * j + 1];
        }
        if (c.do_w1) {
            gr_ot_problem p =
                gr_ot_problem_points(real, NULL, c.n, fake, NULL, c.n, 2, GR_OT_COST_EUCLIDEAN);
            gr_ot_result r;
            st = gr_ot_solve(ot, &p, &ots, &r, err);
            if (st != GR_OK) {
                gr_error_prefix(err, st, "theta = %.17g: LP W1: ", theta);
                break;
            }
            row[S_W1_LP] = r.value;
            row[S_W1_LP_EXCESS] = r.value - cl.w1;
            double ae = fabs(r.value - cl.w1);
            if (ae > max_abs_err) max_abs_err = ae;
            if (row[S_W1_LP_EXCESS] < min_excess) min_excess = row[S_W1_LP_EXCESS];
            if (row[S_W1_LP_EXCESS] > max_excess) max_excess = row[S_W1_LP_EXCESS];
            if (fabs(theta) >= GR_CURVE_FAR && row[S_W1_LP_EXCESS] > max_excess_far)
                max_excess_far = row[S_W1_LP_EXCESS];
            if (i > 0 && theta != prev_theta) {
                double l = fabs(r.value - prev_lp) / fabs(theta - prev_theta);
                if (l > lip_lp) lip_lp = l;
            }
            prev_lp = r.value;
        }
        if (i > 0 && theta != prev_theta) {
            double l = fabs(cl.w1 - prev_ex) / fabs(theta - prev_theta);
            if (l > lip_ex) lip_ex = l;
        }
        prev_ex = cl.w1;
        prev_theta = theta;
        if (c.do_knn) {
            gr_knn_result kr;
            gr_error ke;
            int s1 = gr_knn_js_ws(knn, real, c.n, fake, c.n, 2, &ko, &kr, &ke);
            if (s1 == GR_OK) {
                row[S_JS_KNN] = kr.value;
                js_knn_sum += kr.value;
                n_js++;
            }
            int s2 = gr_knn_kl_ws(knn, real, c.n, fake, c.n, 2, &ko, &kr, &ke);
            if (s2 == GR_OK) {
                row[S_KL_KNN] = kr.value;
                row[S_KL_KNN_INF] = 0.0;
            } else if (s2 == GR_EINF) {
                row[S_KL_KNN] = INFINITY;
                row[S_KL_KNN_INF] = 1.0;
                s2 = GR_OK;
            }
            row[S_KNN_STATUS] = (double)(s1 != GR_OK ? s1 : s2);
            knn_errors += (s1 != GR_OK) + (s2 != GR_OK);
        }
        st = gr_results_run_series_row(w, (int64_t)i, row, err);
    }
    if (st == GR_OK) {
        /* C20's jump: JS between theta = 0 and theta = 1e-9 (closed forms) */
        gr_lines_closed a, b;
        st = closed(0.0, c.sigma, &a, err);
        if (st == GR_OK) st = closed(1e-9, c.sigma, &b, err);
        struct {
            const char *name;
            double v;
        } metrics[] = {
            {"points", (double)c.points},
            {"n", (double)c.n},
            {"w1_exact_lipschitz_max", lip_ex},
            {"w1_lp_max_abs_err", c.do_w1 ? max_abs_err : NAN},
            {"w1_lp_min_excess", c.do_w1 ? min_excess : NAN},
            {"w1_lp_max_excess", c.do_w1 ? max_excess : NAN},
            {"w1_lp_max_excess_far", c.do_w1 && isfinite(max_excess_far) ? max_excess_far : NAN},
            {"w1_lp_lipschitz_max", c.do_w1 && c.points > 1 ? lip_lp : NAN},
            {"js_exact_jump_at_0", st == GR_OK ? b.js - a.js : NAN},
            {"kl_exact_inf_fraction", (double)n_inf / (double)c.points},
            {"js_exact_off0_max_abs_dev", js_off0_dev},
            {"kl_exact_off0_finite", c.sigma > 0 ? NAN : (double)kl_off0_finite},
            {"js_exact_at_0", st == GR_OK ? a.js : NAN},
            {"kl_exact_at_0", st == GR_OK ? (a.kl_is_inf ? INFINITY : a.kl) : NAN},
            {"js_knn_mean", c.do_knn && n_js ? js_knn_sum / (double)n_js : NAN},
            {"knn_errors", c.do_knn ? (double)knn_errors : NAN},
        };
        for (size_t k = 0; st == GR_OK && k < sizeof metrics / sizeof metrics[0]; k++)
            st = gr_results_run_metric(w, metrics[k].name, metrics[k].v, err);
    }
    gr_knn_workspace_free(knn);
    gr_ot_workspace_free(ot);
    gr_rng_free(rd);
    gr_rng_free(rp);
    free(real);
    free(fake0);
    free(fake);
    return st;
}
