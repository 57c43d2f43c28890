/* harness/proto_game.c — the game protocol: the bilinear game v(x, y) = xy (CLAIMS C47,
 * gan/bilinear.h) and the 1-D location / point-mass games against the exactly optimal D*
 * (C18, gan/games.h); contract in harness/protocol.h, series and metrics in
 * docs/RESULTS.md. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "gan/bilinear.h"
#include "gan/games.h"
#include "harness/protocol.h"

/* A double holding an integer that int64 represents (|v| <= 2^53: exactly). */
static int exact_int(double v) {
    return isfinite(v) && fabs(v) <= 9007199254740992.0 && v == floor(v);
}

/* 1 when KEY has a value (keys without a default: the file declared it) */
static int has_key(const gr_run_desc *run, const char *key) {
    const char *s;
    size_t z;
    gr_error e;
    return gr_rundesc_get_str(run, key, &s, &e) == GR_OK ||
           gr_rundesc_get_size(run, key, &z, &e) == GR_OK;
}

enum { B_X, B_Y, B_H, B_R2, B_H_DRIFT, B_X_EXACT, B_Y_EXACT, B_COUNT };
static const char *const B_SERIES[B_COUNT] = {"x",       "y",      "energy", "r2", "energy_drift",
                                              "x_exact", "y_exact"};

static int game_bilinear(const gr_run_desc *run, size_t steps, gr_results_run *w, gr_error *err) {
    const char *s;
    double eta, x0, y0;
    GR_TRY(gr_rundesc_get_str(run, "game.update", &s, err));
    gr_bilinear_mode mode;
    if (!strcmp(s, "alternating"))
        mode = GR_BILINEAR_ALTERNATING;
    else if (!strcmp(s, "simultaneous"))
        mode = GR_BILINEAR_SIMULTANEOUS;
    else
        return GR_ERROR(err, GR_EINVAL,
                        "game: game.update \"%s\" is not alternating or simultaneous", s);
    GR_TRY(gr_rundesc_get_f64(run, "game.eta", &eta, err));
    GR_TRY(gr_rundesc_get_f64(run, "game.x0", &x0, err));
    GR_TRY(gr_rundesc_get_f64(run, "game.y0", &y0, err));
    size_t n1;
    size_t bytes;
    if (gr_size_add(steps, 1, &n1) != GR_OK || gr_size_mul(n1, sizeof(double), &bytes) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "game: schedule.steps too large");
    const int exact = eta == 1.0 && exact_int(x0) && exact_int(y0);
    double *x = malloc(n1 * sizeof *x), *y = malloc(n1 * sizeof *y);
    int64_t *xi = exact ? malloc(n1 * sizeof *xi) : NULL,
            *yi = exact ? malloc(n1 * sizeof *yi) : NULL;
    int st = (x && y && (!exact || (xi && yi))) ? GR_OK : GR_ERROR(err, GR_ENOMEM, "game: memory");
    if (st == GR_OK) st = gr_bilinear_run(mode, x0, y0, eta, steps, x, y, err);
    int exact_ok = 0;
    if (st == GR_OK && exact) {
        gr_error ee;
        /* an int64 overflow (simultaneous play for long) ends the exact variant: recorded as
         * NaN from there on, not a failure of the run */
        exact_ok =
            gr_bilinear_run_exact(mode, (int64_t)x0, (int64_t)y0, 1, steps, xi, yi, &ee) == GR_OK;
    }
    if (st == GR_OK) st = gr_results_run_series_define(w, B_SERIES, B_COUNT, err);
    const double h0 = gr_bilinear_energy(x0, y0, eta), r20 = x0 * x0 + y0 * y0;
    double drift_max = 0, exact_diff = 0, period_exact = exact ? 0 : NAN, period_tol = 0;
    const double tol = 1e-9 * sqrt(r20);
    for (size_t t = 0; st == GR_OK && t <= steps; t++) {
        double row[B_COUNT];
        row[B_X] = x[t];
        row[B_Y] = y[t];
        row[B_H] = gr_bilinear_energy(x[t], y[t], eta);
        row[B_R2] = x[t] * x[t] + y[t] * y[t];
        row[B_H_DRIFT] = h0 != 0 ? (row[B_H] - h0) / fabs(h0) : row[B_H] - h0;
        row[B_X_EXACT] = row[B_Y_EXACT] = NAN;
        if (exact_ok) {
            row[B_X_EXACT] = (double)xi[t];
            row[B_Y_EXACT] = (double)yi[t];
            double d = fmax(fabs(x[t] - row[B_X_EXACT]), fabs(y[t] - row[B_Y_EXACT]));
            if (!(d <= exact_diff)) exact_diff = d;
            if (t > 0 && period_exact == 0 && xi[t] == xi[0] && yi[t] == yi[0])
                period_exact = (double)t;
        }
        if (!(fabs(row[B_H_DRIFT]) <= drift_max)) drift_max = fabs(row[B_H_DRIFT]);
        if (t > 0 && period_tol == 0 && hypot(x[t] - x0, y[t] - y0) <= tol) period_tol = (double)t;
        st = gr_results_run_series_row(w, (int64_t)t, row, err);
    }
    if (st == GR_OK) {
        /* simultaneous play: x^2 + y^2 grows by exactly 1 + eta^2 per step */
        double r2_closed = r20 * pow(1 + eta * eta, (double)steps);
        double r2_final = x[steps] * x[steps] + y[steps] * y[steps];
        struct {
            const char *name;
            double v;
        } metrics[] = {
            {"steps", (double)steps},
            {"energy_max_rel_drift", drift_max},
            {"r2_final", r2_final},
            {"r2_max", NAN},
            {"r2_simultaneous_closed", r2_closed},
            {"r2_simultaneous_rel_err",
             mode == GR_BILINEAR_SIMULTANEOUS ? fabs(r2_final - r2_closed) / r2_closed : NAN},
            {"r2_simultaneous_abs_err",
             mode == GR_BILINEAR_SIMULTANEOUS ? fabs(r2_final - r2_closed) : NAN},
            {"x_final", x[steps]},
            {"y_final", y[steps]},
            {"exact_period", exact_ok ? period_exact : NAN},
            {"exact_max_abs_diff", exact_ok ? exact_diff : NAN},
            {"period_tol", period_tol},
        };
        double r2max = 0;
        for (size_t t = 0; t <= steps; t++)
            r2max = fmax(r2max, x[t] * x[t] + y[t] * y[t]);
        metrics[3].v = r2max;
        for (size_t k = 0; st == GR_OK && k < sizeof metrics / sizeof metrics[0]; k++)
            st = gr_results_run_metric(w, metrics[k].name, metrics[k].v, err);
    }
    free(x);
    free(y);
    free(xi);
    free(yi);
    return st;
}

enum { L_THETA, L_SIGMA, L_LOSS, L_GRAD, L_JS, L_ABS_THETA, L_COUNT };
static const char *const L_SERIES[L_COUNT] = {"theta", "sigma", "loss", "grad", "js", "abs_theta"};

static int game_location(const gr_run_desc *run, int point_mass, size_t steps, gr_results_run *w,
                         gr_error *err) {
    const char *s;
    double eta, theta0, s0, floor_s, mean = 0, sd = 0;
    GR_TRY(gr_rundesc_get_str(run, "game.loss", &s, err));
    gr_game_loss loss;
    if (!strcmp(s, "minimax"))
        loss = GR_GAME_LOSS_MM;
    else if (!strcmp(s, "nonsat"))
        loss = GR_GAME_LOSS_NS;
    else
        return GR_ERROR(err, GR_EINVAL, "game: game.loss \"%s\" is not minimax or nonsat", s);
    GR_TRY(gr_rundesc_get_f64(run, "game.eta", &eta, err));
    GR_TRY(gr_rundesc_get_f64(run, "game.theta0", &theta0, err));
    GR_TRY(gr_rundesc_get_f64(run, "game.sigma0", &s0, err));
    GR_TRY(gr_rundesc_get_f64(run, "game.sigma_floor", &floor_s, err));
    if (!point_mass) {
        GR_TRY(gr_rundesc_get_f64(run, "data.mean", &mean, err));
        GR_TRY(gr_rundesc_get_f64(run, "data.sd", &sd, err));
    }
    gr_game_law real, gen0;
    int st = gr_game_law_normal(&real, mean, sd, err);
    if (st == GR_OK) st = gr_game_law_normal(&gen0, 0.0, sd, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "game: ");
    size_t n1;
    size_t bytes;
    if (gr_size_add(steps, 1, &n1) != GR_OK || gr_size_mul(n1, sizeof(double), &bytes) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "game: schedule.steps too large");
    double *theta = malloc(n1 * sizeof *theta), *sigma = malloc(n1 * sizeof *sigma);
    gr_game_workspace *ws = NULL;
    if (!theta || !sigma) st = GR_ERROR(err, GR_ENOMEM, "game: memory");
    if (st == GR_OK) st = gr_game_workspace_alloc(&ws, NULL, err);
    for (size_t t = 0; st == GR_OK && t <= steps; t++)
        sigma[t] = fmax(s0 * (1.0 - (double)t / (double)steps), floor_s);
    size_t done = 0;
    int dst = GR_OK;
    gr_error derr;
    gr_error_clear(&derr);
    if (st == GR_OK) {
        theta[0] = theta0;
        dst = gr_game_loc_descend(&real, &gen0, loss, theta0, eta, steps, sigma, theta, &done, ws,
                                  &derr);
    }
    if (st == GR_OK) st = gr_results_run_series_define(w, L_SERIES, L_COUNT, err);
    double max_abs = 0, min_abs = INFINITY, update_mismatch = 0;
    size_t nrows = st == GR_OK ? done + 1 : 0;
    for (size_t t = 0; st == GR_OK && t < nrows; t++) {
        double row[L_COUNT];
        row[L_THETA] = theta[t];
        row[L_SIGMA] = sigma[t];
        row[L_ABS_THETA] = fabs(theta[t]);
        row[L_LOSS] = row[L_GRAD] = row[L_JS] = NAN;
        gr_game_eval ev;
        gr_error ee;
        if (gr_game_loc_eval(&real, &gen0, theta[t], sigma[t], ws, &ev, &ee) == GR_OK) {
            row[L_LOSS] = loss == GR_GAME_LOSS_MM ? ev.mm_loss.val : ev.ns_loss.val;
            row[L_GRAD] = loss == GR_GAME_LOSS_MM ? ev.mm_grad.val : ev.ns_grad.val;
            row[L_JS] = ev.js.val;
            if (t < done) {
                /* the trajectory is the library's; re-evaluating gives the same gradient */
                double d = fabs(theta[t + 1] - (theta[t] - eta * row[L_GRAD]));
                if (!(d <= update_mismatch)) update_mismatch = d;
            }
        }
        if (fabs(theta[t]) > max_abs) max_abs = fabs(theta[t]);
        if (fabs(theta[t]) < min_abs) min_abs = fabs(theta[t]);
        st = gr_results_run_series_row(w, (int64_t)t, row, err);
    }
    if (st == GR_OK) {
        struct {
            const char *name;
            double v;
        } metrics[] = {
            {"steps_done", (double)done},
            {"final_abs_theta", fabs(theta[done])},
            {"final_theta", theta[done]},
            {"max_abs_theta", max_abs},
            {"min_abs_theta", min_abs},
            {"final_sigma", sigma[done]},
            {"update_max_abs_mismatch", update_mismatch},
            {"diverged", dst == GR_OK ? 0.0 : 1.0},
        };
        for (size_t k = 0; st == GR_OK && k < sizeof metrics / sizeof metrics[0]; k++)
            st = gr_results_run_metric(w, metrics[k].name, metrics[k].v, err);
    }
    if (st == GR_OK && dst != GR_OK) {
        /* an infinite loss (NS at disjoint atoms) or a non-finite theta is a measured
         * outcome of the game: recorded as diverged, with the library's reason */
        if (err) *err = derr;
        st = gr_error_prefix(err, dst == GR_EINF ? GR_EDIVERGED : dst, "game: ");
    }
    gr_game_workspace_free(ws);
    free(theta);
    free(sigma);
    return st;
}

int gr_protocol_game(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    if (has_key(run, "curve.points"))
        return GR_ERROR(err, GR_EINVAL,
                        "game: curve.points is set; the curve.* keys belong to protocols "
                        "distance_curve and objective");
    const char *kind;
    size_t steps;
    GR_TRY(gr_rundesc_get_str(run, "game.kind", &kind, err));
    GR_TRY(gr_rundesc_get_size(run, "schedule.steps", &steps, err));
    if (steps < 1) return GR_ERROR(err, GR_EINVAL, "game: schedule.steps >= 1 needed");
    if (!strcmp(kind, "bilinear")) return game_bilinear(run, steps, w, err);
    if (!strcmp(kind, "location")) return game_location(run, 0, steps, w, err);
    if (!strcmp(kind, "point_mass")) return game_location(run, 1, steps, w, err);
    return GR_ERROR(err, GR_EINVAL,
                    "game: game.kind \"%s\" is not bilinear, location or point_mass", kind);
}
