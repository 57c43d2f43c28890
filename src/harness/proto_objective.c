/* harness/proto_objective.c — the objective protocol: the GAN objective with the exactly
 * optimal D* along a curve of theta, and the identities CLAIMS C01, C02, C03, C11, C15, C16
 * state about it, each as a residual series against an independent reference; contract in
 * harness/protocol.h, series and metrics in docs/RESULTS.md.
 *
 * The left-hand sides come from gan/games.h (one quadrature per theta over the smoothed
 * laws); the references do not use games.c: JS by distance/divergence.h's adaptive
 * quadrature of its own integrand (O4), KL and its theta-derivative in closed form (O1),
 * the equal-variance minimax gradient by prob/normal.h's O3 derivative, D*'s logit in
 * closed form (O7). The theta-derivative of JS is the central difference of the reference
 * JS with step curve.fd_h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mathfn.h"
#include "core/mem.h"
#include "distance/divergence.h"
#include "gan/games.h"
#include "harness/protocol.h"
#include "prob/density.h"
#include "prob/normal.h"

#define LOG4 1.3862943611198906
/* The relative residuals are taken over the grid points where the reference's magnitude is
 * at least this: at theta = mean the gradients vanish and the central difference of JS is
 * rounding (~1e-14 / h), so a relative error there says nothing. */
#define REL_FLOOR 1e-6

enum {
    S_THETA,
    S_CRITERION,
    S_CRITERION_ERR,
    S_JS,
    S_JS_REF,
    S_JS_REF_ERR,
    S_KL_GR,
    S_KL_RG,
    S_KL_GR_REF,
    S_MM_LOSS,
    S_MM_GRAD,
    S_MM_GRAD_ERR,
    S_NS_LOSS,
    S_NS_GRAD,
    S_NS_GRAD_ERR,
    S_JS_GRAD_FD,
    S_KL_GR_GRAD,
    S_MM_GRAD_O3,
    S_C02_RESIDUAL,
    S_C11_RESIDUAL,
    S_C16_RESIDUAL,
    S_C03_RATIO,
    S_COUNT
};
static const char *const SERIES[S_COUNT] = {
    "theta",        "criterion",    "criterion_err", "js",         "js_ref",     "js_ref_err",
    "kl_gr",        "kl_rg",        "kl_gr_ref",     "mm_loss",    "mm_grad",    "mm_grad_err",
    "ns_loss",      "ns_grad",      "ns_grad_err",   "js_grad_fd", "kl_gr_grad", "mm_grad_o3",
    "c02_residual", "c11_residual", "c16_residual",  "c03_ratio"};

typedef struct objective {
    int point_mass;          /* data.set point_mass: delta_0 vs delta_theta */
    double mean, sd, gen_sd; /* gauss1d: P_r = N(mean, sd^2), P_theta = N(theta, gen_sd^2) */
    double sigma, from, to, h, x_from, x_to;
    size_t points, nx;
} objective;

/* 1 when KEY has a value in this run (used for keys without a default: a value there was
 * declared by the file). */
static int has_key(const gr_run_desc *run, const char *key) {
    const char *s;
    gr_error e;
    size_t z;
    return gr_rundesc_get_str(run, key, &s, &e) == GR_OK ||
           gr_rundesc_get_size(run, key, &z, &e) == GR_OK;
}

static int objective_read(const gr_run_desc *run, objective *o, gr_error *err) {
    const char *s;
    if (has_key(run, "game.kind"))
        return GR_ERROR(err, GR_EINVAL,
                        "objective: game.kind is set; the game.* keys belong to protocol game");
    GR_TRY(gr_rundesc_get_str(run, "data.set", &s, err));
    if (!strcmp(s, "point_mass"))
        o->point_mass = 1;
    else if (!strcmp(s, "gauss1d"))
        o->point_mass = 0;
    else
        return GR_ERROR(err, GR_EINVAL,
                        "objective: data.set is \"%s\"; this protocol has the 1-D pairs gauss1d "
                        "and point_mass",
                        s);
    GR_TRY(gr_rundesc_get_str(run, "curve.param", &s, err));
    if (strcmp(s, "data.theta") != 0)
        return GR_ERROR(err, GR_EINVAL,
                        "objective: curve.param is \"%s\"; the curve varies data.theta (the "
                        "generator's location)",
                        s);
    GR_TRY(gr_rundesc_get_f64(run, "curve.from", &o->from, err));
    GR_TRY(gr_rundesc_get_f64(run, "curve.to", &o->to, err));
    GR_TRY(gr_rundesc_get_size(run, "curve.points", &o->points, err));
    GR_TRY(gr_rundesc_get_f64(run, "data.sigma", &o->sigma, err));
    GR_TRY(gr_rundesc_get_f64(run, "data.mean", &o->mean, err));
    GR_TRY(gr_rundesc_get_f64(run, "data.sd", &o->sd, err));
    GR_TRY(gr_rundesc_get_f64(run, "data.gen_sd", &o->gen_sd, err));
    GR_TRY(gr_rundesc_get_f64(run, "curve.fd_h", &o->h, err));
    GR_TRY(gr_rundesc_get_size(run, "curve.dstar_points", &o->nx, err));
    GR_TRY(gr_rundesc_get_f64(run, "curve.dstar_from", &o->x_from, err));
    GR_TRY(gr_rundesc_get_f64(run, "curve.dstar_to", &o->x_to, err));
    if (o->point_mass) {
        o->mean = 0.0;
        o->sd = 0.0;
        o->gen_sd = 0.0;
    }
    if (o->points < 1) return GR_ERROR(err, GR_EINVAL, "objective: curve.points >= 1 needed");
    if (!(o->sigma >= 0) || !(o->sd >= 0) || !(o->gen_sd >= 0) || !(o->h > 0))
        return GR_ERROR(err, GR_EINVAL,
                        "objective: data.sigma, data.sd, data.gen_sd must be >= 0 and "
                        "curve.fd_h > 0");
    return GR_OK;
}

/* A normal density view for the reference quadrature (distance/divergence.h). */
typedef struct normal_ctx {
    double m, s, lo, hi;
} normal_ctx;

static int normal_logpdf(const void *ctx, const double *x, double *out) {
    const normal_ctx *c = ctx;
    double z = (x[0] - c->m) / c->s;
    *out = -0.5 * z * z - log(c->s) - 0.91893853320467274178; /* log sqrt(2 pi) */
    return GR_OK;
}

static void normal_view(normal_ctx *c, double m, double s, gr_density *d) {
    c->m = m;
    c->s = s;
    c->lo = m - GR_DENSITY_BOX_SDS * s;
    c->hi = m + GR_DENSITY_BOX_SDS * s;
    *d =
        (gr_density){.d = 1, .logpdf = normal_logpdf, .ctx = c, .box_lo = &c->lo, .box_hi = &c->hi};
}

/* The reference JS between the smoothed laws at theta: quadrature (both smoothed SDs > 0),
 * or the atomic closed form (log 2 apart, 0 at theta = 0). */
static int js_ref(const objective *o, double sr, double sg, double theta, gr_div_workspace *dw,
                  const gr_div_options *dopt, double *js, double *jserr, gr_error *err) {
    if (sr == 0 && sg == 0) {
        *js = theta == o->mean ? 0.0 : log(2.0);
        *jserr = 0;
        return GR_OK;
    }
    if (sr == 0 || sg == 0) {
        *js = NAN;
        *jserr = NAN;
        return GR_OK; /* no common density: games.c refuses this case first */
    }
    normal_ctx cr, cg;
    gr_density dr, dg;
    normal_view(&cr, o->mean, sr, &dr);
    normal_view(&cg, theta, sg, &dg);
    gr_div_result r;
    int st = gr_div_js(&dr, &dg, dopt, dw, &r, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "theta = %.17g: reference JS: ", theta);
    *js = r.raw;
    *jserr = r.abserr;
    return GR_OK;
}

/* max |v| over finite v; counts the finite ones */
static void track_max(double v, double *max, size_t *n) {
    if (!isfinite(v)) return;
    if (fabs(v) > *max) *max = fabs(v);
    (*n)++;
}

int gr_protocol_objective(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    objective o;
    GR_TRY(objective_read(run, &o, err));
    gr_game_law real, gen0;
    int st = o.point_mass ? gr_game_law_point(&real, 0.0, err)
                          : gr_game_law_normal(&real, o.mean, o.sd, err);
    if (st == GR_OK)
        st = o.point_mass ? gr_game_law_point(&gen0, 0.0, err)
                          : gr_game_law_normal(&gen0, 0.0, o.gen_sd, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "objective: ");
    const double sr = hypot(o.sd, o.sigma), sg = hypot(o.gen_sd, o.sigma);
    const int atomic = sr == 0 && sg == 0, eqvar = sr > 0 && sr == sg;

    size_t ndstar = 0;
    if (!atomic && o.nx > 0 && gr_size_mul(o.points, o.nx, &ndstar) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "objective: curve.points x dstar_points too large");
    gr_game_workspace *gw = NULL;
    gr_div_workspace *dw = NULL;
    gr_div_options dopt;
    gr_div_options_default(&dopt);
    dopt.method = GR_DIV_ADAPTIVE;
    dopt.epsabs = 1e-14; /* the central difference divides the error by 2h */
    dopt.epsrel = 1e-12;
    double *xs = ndstar ? malloc(o.nx * sizeof *xs) : NULL;
    double *logit = ndstar ? malloc(o.nx * sizeof *logit) : NULL;
    double *dstar = ndstar ? malloc(ndstar * sizeof *dstar) : NULL;
    if (ndstar && (!xs || !logit || !dstar)) st = GR_ERROR(err, GR_ENOMEM, "objective: memory");
    if (st == GR_OK) st = gr_game_workspace_alloc(&gw, NULL, err);
    if (st == GR_OK) st = gr_div_workspace_alloc(&dw, &dopt, err);
    if (st == GR_OK) st = gr_results_run_series_define(w, SERIES, S_COUNT, err);
    for (size_t j = 0; st == GR_OK && j < (ndstar ? o.nx : 0); j++)
        xs[j] =
            o.nx == 1 ? o.x_from : o.x_from + (o.x_to - o.x_from) * (double)j / (double)(o.nx - 1);

    double c02_max = 0, c11_max = 0, c11_rel = 0, c16_max = 0, c16_rel = 0, o3_rel = 0;
    double dstar_o7 = 0, ratio_ge4 = NAN, grad_at_0 = NAN, crit_min = INFINITY;
    double first[S_COUNT], last[S_COUNT];
    for (int k = 0; k < S_COUNT; k++)
        first[k] = last[k] = NAN;
    size_t n02 = 0, n11 = 0, n16 = 0, n_o3 = 0, n_pull = 0, n_pull_ok = 0, n_tmp = 0;
    for (size_t i = 0; st == GR_OK && i < o.points; i++) {
        double theta =
            o.points == 1 ? o.from : o.from + (o.to - o.from) * (double)i / (double)(o.points - 1);
        double row[S_COUNT];
        for (int k = 0; k < S_COUNT; k++)
            row[k] = NAN;
        row[S_THETA] = theta;
        gr_game_eval ev;
        st = gr_game_loc_eval(&real, &gen0, theta, o.sigma, gw, &ev, err);
        if (st != GR_OK) {
            gr_error_prefix(err, st, "objective: theta = %.17g: ", theta);
            break;
        }
        row[S_CRITERION] = ev.criterion.val;
        row[S_CRITERION_ERR] = ev.criterion.err;
        row[S_JS] = ev.js.val;
        row[S_KL_GR] = ev.kl_gr.val;
        row[S_KL_RG] = ev.kl_rg.val;
        row[S_MM_LOSS] = ev.mm_loss.val;
        row[S_MM_GRAD] = ev.mm_grad.val;
        row[S_MM_GRAD_ERR] = ev.mm_grad.err;
        row[S_NS_LOSS] = ev.ns_loss.val;
        row[S_NS_GRAD] = ev.ns_grad.val;
        row[S_NS_GRAD_ERR] = ev.ns_grad.err;

        double js0, e0, jsp, ep, jsm, em;
        st = js_ref(&o, sr, sg, theta, dw, &dopt, &js0, &e0, err);
        if (st == GR_OK) st = js_ref(&o, sr, sg, theta + o.h, dw, &dopt, &jsp, &ep, err);
        if (st == GR_OK) st = js_ref(&o, sr, sg, theta - o.h, dw, &dopt, &jsm, &em, err);
        if (st != GR_OK) break;
        row[S_JS_REF] = js0;
        row[S_JS_REF_ERR] = e0;
        double djs = (jsp - jsm) / (2 * o.h);
        row[S_JS_GRAD_FD] = djs;
        if (!atomic) {
            /* O1: KL(N(theta, sg^2) || N(mean, sr^2)) and its theta-derivative */
            double d = theta - o.mean;
            row[S_KL_GR_REF] = log(sr / sg) + (sg * sg + d * d) / (2 * sr * sr) - 0.5;
            row[S_KL_GR_GRAD] = d / (sr * sr);
        }
        if (eqvar) {
            double dd, de;
            st = gr_normal_js_eqvar_deriv((theta - o.mean) / sr, &dd, &de, err);
            if (st != GR_OK) {
                gr_error_prefix(err, st, "objective: theta = %.17g: O3 derivative: ", theta);
                break;
            }
            row[S_MM_GRAD_O3] = 2 * dd / sr;
            double ns_o3 = row[S_KL_GR_GRAD] - row[S_MM_GRAD_O3];
            if (fabs(row[S_MM_GRAD_O3]) >= REL_FLOOR) {
                track_max(fabs(ev.mm_grad.val - row[S_MM_GRAD_O3]) / fabs(row[S_MM_GRAD_O3]),
                          &o3_rel, &n_o3);
            }
            if (fabs(ns_o3) >= REL_FLOOR)
                track_max(fabs(ev.ns_grad.val - ns_o3) / fabs(ns_o3), &o3_rel, &n_tmp);
        }
        row[S_C02_RESIDUAL] = ev.criterion.val - (-LOG4 + 2 * js0);
        track_max(row[S_C02_RESIDUAL], &c02_max, &n02);
        double rhs11 = row[S_KL_GR_GRAD] - 2 * djs;
        row[S_C11_RESIDUAL] = ev.ns_grad.val - rhs11;
        track_max(row[S_C11_RESIDUAL], &c11_max, &n11);
        if (isfinite(row[S_C11_RESIDUAL]) && fabs(rhs11) >= REL_FLOOR &&
            fabs(row[S_C11_RESIDUAL] / rhs11) > c11_rel)
            c11_rel = fabs(row[S_C11_RESIDUAL] / rhs11);
        row[S_C16_RESIDUAL] = ev.mm_grad.val - 2 * djs;
        track_max(row[S_C16_RESIDUAL], &c16_max, &n16);
        if (isfinite(row[S_C16_RESIDUAL]) && fabs(2 * djs) >= REL_FLOOR &&
            fabs(row[S_C16_RESIDUAL] / (2 * djs)) > c16_rel)
            c16_rel = fabs(row[S_C16_RESIDUAL] / (2 * djs));
        row[S_C03_RATIO] = fabs(ev.mm_grad.val) / fabs(ev.ns_grad.val);
        if (theta - o.mean >= 4 && !(row[S_C03_RATIO] <= ratio_ge4)) ratio_ge4 = row[S_C03_RATIO];
        if (theta == o.mean) {
            double g = fmax(fabs(ev.mm_grad.val), fabs(ev.ns_grad.val));
            grad_at_0 = isnan(grad_at_0) ? g : fmax(grad_at_0, g);
        }
        if (theta != o.mean && isfinite(ev.mm_grad.val)) {
            /* C15: the descent direction -mm_grad points from theta towards the data */
            n_pull++;
            n_pull_ok += (ev.mm_grad.val > 0) == (theta > o.mean) && ev.mm_grad.val != 0;
        }
        if (ev.criterion.val < crit_min) crit_min = ev.criterion.val;
        if (ndstar) {
            st = gr_game_loc_logit(&real, &gen0, theta, o.sigma, o.nx, xs, logit, NULL, err);
            if (st != GR_OK) {
                gr_error_prefix(err, st, "objective: theta = %.17g: D*: ", theta);
                break;
            }
            for (size_t j = 0; j < o.nx; j++) {
                double *dj = &dstar[i * o.nx + j];
                *dj = gr_sigmoid(logit[j]);
                /* O7: log N(x; mean, sr^2) - log N(x; theta, sg^2) */
                double zr = (xs[j] - o.mean) / sr, zg = (xs[j] - theta) / sg;
                double l7 = -0.5 * zr * zr + 0.5 * zg * zg + log(sg / sr);
                double e7 = fabs(*dj - gr_sigmoid(l7));
                if (e7 > dstar_o7) dstar_o7 = e7;
            }
        }
        if (i == 0) memcpy(first, row, sizeof row);
        memcpy(last, row, sizeof row);
        st = gr_results_run_series_row(w, (int64_t)i, row, err);
    }
    if (st == GR_OK && ndstar) {
        size_t d1 = o.nx, d2[2] = {o.points, o.nx};
        st = gr_results_run_dataset_f64(w, "probes", "dstar_x", 1, &d1, xs, err);
        if (st == GR_OK) st = gr_results_run_dataset_f64(w, "probes", "dstar", 2, d2, dstar, err);
    }
    if (st == GR_OK) {
        struct {
            const char *name;
            double v;
        } metrics[] = {
            {"points", (double)o.points},
            {"criterion_first", first[S_CRITERION]},
            {"criterion_min", crit_min},
            {"js_first", first[S_JS_REF]},
            {"mm_grad_first", first[S_MM_GRAD]},
            {"ns_grad_first", first[S_NS_GRAD]},
            {"criterion_last", last[S_CRITERION]},
            {"mm_grad_last", last[S_MM_GRAD]},
            {"ns_grad_last", last[S_NS_GRAD]},
            {"c02_max_abs_residual", n02 ? c02_max : NAN},
            {"c11_max_abs_residual", n11 ? c11_max : NAN},
            {"c11_max_rel_residual", n11 ? c11_rel : NAN},
            {"c16_max_abs_residual", n16 ? c16_max : NAN},
            {"c16_max_rel_residual", n16 ? c16_rel : NAN},
            {"c03_max_rel_err_o3", n_o3 || n_tmp ? o3_rel : NAN},
            {"c03_ratio_max_ge4", ratio_ge4},
            {"c03_ratio_last", last[S_C03_RATIO]},
            {"grad_max_abs_at_0", grad_at_0},
            {"c15_pull_fraction", n_pull ? (double)n_pull_ok / (double)n_pull : NAN},
            {"dstar_max_abs_err_o7", ndstar ? dstar_o7 : NAN},
        };
        for (size_t k = 0; st == GR_OK && k < sizeof metrics / sizeof metrics[0]; k++)
            st = gr_results_run_metric(w, metrics[k].name, metrics[k].v, err);
    }
    gr_div_workspace_free(dw);
    gr_game_workspace_free(gw);
    free(xs);
    free(logit);
    free(dstar);
    return st;
}
