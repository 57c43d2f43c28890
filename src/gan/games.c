/* gan/games.c — the 1-D location-family games with the exactly optimal D (see games.h).
 *
 * Every expectation is a sum of per-component integrals in z-space (x = m + s z, weight
 * phi(z)) by GSL QAG-61 on pieces split where the integrand turns (other components' means
 * and the midpoints towards them, where D* switches from ~1 to ~0 for far-apart laws).
 */
#include "gan/games.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>

#include "core/mathfn.h"
#include "prob/density.h"

/* ---- laws -------------------------------------------------------------------------- */

/* the tolerance on the weights' sum of a law that did not come from the setters */
#define GR_GAME_WSUM_TOL 1e-12

static int law_check(const gr_game_law *law, const char *what, gr_error *err) {
    if (!law) return GR_ERROR(err, GR_EINVAL, "%s: NULL law", what);
    if (law->n == 0 || law->n > GR_GAME_LAW_MAX)
        return GR_ERROR(err, GR_EINVAL, "%s: %zu components (1..%d allowed)", what, law->n,
                        (int)GR_GAME_LAW_MAX);
    double s = 0.0;
    for (size_t k = 0; k < law->n; k++) {
        if (!(isfinite(law->w[k]) && law->w[k] > 0.0) || !isfinite(law->mu[k]) ||
            !(isfinite(law->sd[k]) && law->sd[k] >= 0.0))
            return GR_ERROR(err, GR_EINVAL,
                            "%s: component %zu has w = %g, mu = %g, sd = %g (need w > 0, "
                            "finite mu, sd >= 0)",
                            what, k, law->w[k], law->mu[k], law->sd[k]);
        s += law->w[k];
    }
    if (fabs(s - 1.0) > GR_GAME_WSUM_TOL)
        return GR_ERROR(err, GR_EINVAL, "%s: weights sum to %.17g, not 1", what, s);
    return GR_OK;
}

int gr_game_law_mixture(gr_game_law *law, size_t n, const double *w, const double *mean,
                        const double *sd, gr_error *err) {
    if (!law || !w || !mean || !sd)
        return GR_ERROR(err, GR_EINVAL, "gr_game_law_mixture: NULL pointer");
    if (n == 0 || n > GR_GAME_LAW_MAX)
        return GR_ERROR(err, GR_EINVAL, "gr_game_law_mixture: %zu components (1..%d allowed)", n,
                        (int)GR_GAME_LAW_MAX);
    double s = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (!(isfinite(w[k]) && w[k] >= 0.0) || !isfinite(mean[k]) ||
            !(isfinite(sd[k]) && sd[k] >= 0.0))
            return GR_ERROR(err, GR_EDOM,
                            "gr_game_law_mixture: component %zu has w = %g, mean = %g, sd = %g "
                            "(need w >= 0, finite mean, sd >= 0)",
                            k, w[k], mean[k], sd[k]);
        s += w[k];
    }
    if (!(s > 0.0) || !isfinite(s))
        return GR_ERROR(err, GR_EDOM, "gr_game_law_mixture: total weight %g", s);
    gr_game_law l = {0};
    for (size_t k = 0; k < n; k++) {
        if (w[k] == 0.0) continue;
        l.w[l.n] = w[k] / s;
        l.mu[l.n] = mean[k];
        l.sd[l.n] = sd[k];
        l.n++;
    }
    *law = l;
    return GR_OK;
}

int gr_game_law_normal(gr_game_law *law, double mean, double sd, gr_error *err) {
    if (!law) return GR_ERROR(err, GR_EINVAL, "gr_game_law_normal: NULL law");
    double w = 1.0;
    int st = gr_game_law_mixture(law, 1, &w, &mean, &sd, err);
    return st ? gr_error_prefix(err, st, "gr_game_law_normal: ") : GR_OK;
}

int gr_game_law_point(gr_game_law *law, double at, gr_error *err) {
    return gr_game_law_normal(law, at, 0.0, err);
}

int gr_game_law_smooth(gr_game_law *out, const gr_game_law *in, double sigma, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_game_law_smooth: NULL output");
    GR_TRY(law_check(in, "gr_game_law_smooth", err));
    if (!(isfinite(sigma) && sigma >= 0.0))
        return GR_ERROR(err, GR_EDOM, "gr_game_law_smooth: sigma = %g (need finite, >= 0)", sigma);
    gr_game_law l = *in;
    for (size_t k = 0; k < l.n; k++)
        l.sd[k] = hypot(l.sd[k], sigma);
    *out = l;
    return GR_OK;
}

/* ---- workspace --------------------------------------------------------------------- */

struct gr_game_workspace {
    gr_game_options opt;
    gsl_integration_workspace *w;
};

void gr_game_options_default(gr_game_options *opt) {
    if (!opt) return;
    opt->epsabs = 1e-13;
    opt->epsrel = 1e-12;
    opt->limit = 500;
}

int gr_game_workspace_alloc(gr_game_workspace **out, const gr_game_options *opt, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_game_workspace_alloc: NULL out");
    *out = NULL;
    gr_game_options o;
    gr_game_options_default(&o);
    if (opt) o = *opt;
    if (!(isfinite(o.epsabs) && o.epsabs >= 0.0) || !(isfinite(o.epsrel) && o.epsrel >= 0.0) ||
        (o.epsabs == 0.0 && o.epsrel == 0.0) || o.limit < 1)
        return GR_ERROR(err, GR_EINVAL,
                        "gr_game_workspace_alloc: epsabs = %g, epsrel = %g, limit = %zu (need "
                        "finite tolerances >= 0, not both 0, limit >= 1)",
                        o.epsabs, o.epsrel, o.limit);
    gr_game_workspace *ws = malloc(sizeof *ws);
    if (!ws) return GR_ERROR(err, GR_ENOMEM, "gr_game_workspace_alloc");
    ws->opt = o;
    gr_gsl_quiet_enter();
    ws->w = gsl_integration_workspace_alloc(o.limit);
    gr_gsl_quiet_leave();
    if (!ws->w) {
        free(ws);
        return GR_ERROR(err, GR_ENOMEM, "gr_game_workspace_alloc: %zu subintervals", o.limit);
    }
    *out = ws;
    return GR_OK;
}

void gr_game_workspace_free(gr_game_workspace *ws) {
    if (!ws) return;
    gsl_integration_workspace_free(ws->w);
    free(ws);
}

/* ---- the continuous game ----------------------------------------------------------- */

/* a law with SD > 0 everywhere, its log normalising constants precomputed */
typedef struct {
    size_t n;
    const double *w, *mu, *sd;
    double logc[GR_GAME_LAW_MAX]; /* log w_k - log sd_k - log sqrt(2 pi) */
} prep_law;

static void prep(prep_law *p, const gr_game_law *l) {
    p->n = l->n;
    p->w = l->w;
    p->mu = l->mu;
    p->sd = l->sd;
    for (size_t k = 0; k < l->n; k++)
        p->logc[k] = log(l->w[k]) - log(l->sd[k]) - 0.5 * log(2.0 * M_PI);
}

/* log p(x) by log-sum-exp and (log p)'(x) = sum_k resp_k(x) (-(x - mu_k)/sd_k^2) */
static void logpdf_d(const prep_law *p, double x, double *lp, double *dlp) {
    double t[GR_GAME_LAW_MAX], mx = -INFINITY;
    for (size_t k = 0; k < p->n; k++) {
        double u = (x - p->mu[k]) / p->sd[k];
        t[k] = p->logc[k] - 0.5 * u * u;
        if (t[k] > mx) mx = t[k];
    }
    double s = 0.0, ds = 0.0;
    for (size_t k = 0; k < p->n; k++) {
        double e = exp(t[k] - mx);
        s += e;
        ds += e * (-(x - p->mu[k]) / (p->sd[k] * p->sd[k]));
    }
    *lp = mx + log(s);
    *dlp = ds / s;
}

/* the seven integrands (the games.h formulas), over the real law (R) or the generator's (G) */
enum { Q_R_LOGD, Q_R_KL, Q_G_LOG1MD, Q_G_NS, Q_G_KL, Q_G_MMGRAD, Q_G_NSGRAD, Q_COUNT };

typedef struct {
    const prep_law *r, *g;
    int q;
    double m, s; /* the integrated component: x = m + s z */
    size_t neval;
} integrand_params;

static double integrand(double z, void *vp) {
    integrand_params *p = vp;
    double phi = exp(-0.5 * z * z) / (M_SQRT2 * M_SQRTPI);
    if (phi == 0.0) return 0.0;
    double x = p->m + p->s * z, lr, dlr, lg, dlg;
    logpdf_d(p->r, x, &lr, &dlr);
    logpdf_d(p->g, x, &lg, &dlg);
    p->neval++;
    double l = lr - lg, dl = dlr - dlg, f;
    switch (p->q) {
    case Q_R_LOGD: f = -gr_softplus(-l); break;
    case Q_R_KL: f = l; break;
    case Q_G_LOG1MD: f = -gr_softplus(l); break;
    case Q_G_NS: f = gr_softplus(-l); break;
    case Q_G_KL: f = -l; break;
    case Q_G_MMGRAD: f = -gr_sigmoid(l) * dl; break;
    default: f = -gr_sigmoid(-l) * dl; break;
    }
    return phi * f;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define GR_GAME_MAX_BREAKS (3 + 4 * GR_GAME_LAW_MAX)

/* the z break points of component (m, s): -Z, 0, Z and, inside (-Z, Z), every component
 * mean of both laws and the midpoint towards it; sorted and deduplicated into b */
static size_t breaks(const prep_law *r, const prep_law *g, double m, double s, double *b) {
    const double Z = GR_DENSITY_BOX_SDS;
    size_t nb = 0;
    b[nb++] = -Z;
    b[nb++] = 0.0;
    b[nb++] = Z;
    const prep_law *laws[2] = {r, g};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < laws[i]->n; k++) {
            double zk = (laws[i]->mu[k] - m) / s;
            if (zk > -Z && zk < Z) b[nb++] = zk;
            if (0.5 * zk > -Z && 0.5 * zk < Z) b[nb++] = 0.5 * zk;
        }
    qsort(b, nb, sizeof *b, cmp_double);
    size_t u = 1;
    for (size_t i = 1; i < nb; i++)
        if (b[i] - b[u - 1] > 1e-9) b[u++] = b[i]; /* pieces narrower than 1e-9 SD: merged */
    return u;
}

/* E over law `over` (r or g) of integrand q: the weighted sum over its components */
static int expect(gr_game_workspace *ws, const prep_law *r, const prep_law *g, int q,
                  gr_game_value *out, size_t *neval) {
    const prep_law *over = q <= Q_R_KL ? r : g;
    integrand_params p = {r, g, q, 0.0, 1.0, 0};
    gsl_function f = {integrand, &p};
    double val = 0.0, abserr = 0.0;
    int bad = 0;
    for (size_t k = 0; k < over->n; k++) {
        double b[GR_GAME_MAX_BREAKS];
        p.m = over->mu[k];
        p.s = over->sd[k];
        size_t nb = breaks(r, g, p.m, p.s, b);
        double tol = ws->opt.epsabs / (double)(nb - 1), vk = 0.0, ek = 0.0;
        for (size_t i = 0; i + 1 < nb; i++) {
            double res, e;
            int st = gsl_integration_qag(&f, b[i], b[i + 1], tol, ws->opt.epsrel, ws->opt.limit,
                                         GSL_INTEG_GAUSS61, ws->w, &res, &e);
            if (st && st != GSL_EROUND) bad = 1;
            vk += res;
            ek += e;
        }
        val += over->w[k] * vk;
        abserr += over->w[k] * ek;
    }
    out->val = val;
    out->err = abserr;
    *neval += p.neval;
    return bad;
}

static int eval_continuous(gr_game_workspace *ws, const gr_game_law *R, const gr_game_law *G,
                           gr_game_eval *res, gr_error *err) {
    prep_law r, g;
    prep(&r, R);
    prep(&g, G);
    gr_game_value v[Q_COUNT];
    int bad = 0;
    gr_gsl_quiet_enter();
    for (int q = 0; q < Q_COUNT; q++)
        if (expect(ws, &r, &g, q, &v[q], &res->neval)) bad = 1;
    gr_gsl_quiet_leave();
    res->criterion.val = v[Q_R_LOGD].val + v[Q_G_LOG1MD].val;
    res->criterion.err = v[Q_R_LOGD].err + v[Q_G_LOG1MD].err;
    res->js.val = 0.5 * res->criterion.val + M_LN2;
    res->js.err = 0.5 * res->criterion.err;
    res->kl_gr = v[Q_G_KL];
    res->kl_rg = v[Q_R_KL];
    res->mm_loss = v[Q_G_LOG1MD];
    res->mm_grad = v[Q_G_MMGRAD];
    res->ns_loss = v[Q_G_NS];
    res->ns_grad = v[Q_G_NSGRAD];
    for (int q = 0; q < Q_COUNT; q++)
        if (isnan(v[q].val) || isnan(v[q].err))
            return GR_ERROR(err, GR_EDOM,
                            "gr_game_loc_eval: non-finite log-densities at theta = %g, sigma = "
                            "%g (the laws are too far apart for double arithmetic)",
                            res->theta, res->sigma);
    if (bad)
        return GR_ERROR(err, GR_ENOTCONV,
                        "gr_game_loc_eval: quadrature missed epsabs %g / epsrel %g at theta = "
                        "%g, sigma = %g",
                        ws->opt.epsabs, ws->opt.epsrel, res->theta, res->sigma);
    return GR_OK;
}

/* ---- the atomic game --------------------------------------------------------------- */

static void eval_atomic(const gr_game_law *R, const gr_game_law *G, gr_game_eval *res) {
    double at[2 * GR_GAME_LAW_MAX], rm[2 * GR_GAME_LAW_MAX], gm[2 * GR_GAME_LAW_MAX];
    size_t na = 0;
    const gr_game_law *laws[2] = {R, G};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < laws[i]->n; k++) {
            size_t j = 0;
            while (j < na && at[j] != laws[i]->mu[k])
                j++;
            if (j == na) {
                at[na] = laws[i]->mu[k];
                rm[na] = gm[na] = 0.0;
                na++;
            }
            if (i == 0)
                rm[j] += laws[i]->w[k];
            else
                gm[j] += laws[i]->w[k];
        }
    double c = 0.0, kl_gr = 0.0, kl_rg = 0.0, mm = 0.0, ns = 0.0;
    for (size_t j = 0; j < na; j++) {
        double r = rm[j], g = gm[j], t = r + g;
        if (r > 0.0) {
            c += r * log(r / t);
            kl_rg += g > 0.0 ? r * log(r / g) : INFINITY;
        }
        if (g > 0.0) {
            c += g * log(g / t);
            mm += g * log(g / t);
            ns += r > 0.0 ? -g * log(r / t) : INFINITY;
            kl_gr += r > 0.0 ? g * log(g / r) : INFINITY;
        }
    }
    gr_game_value zero = {0.0, 0.0};
    res->criterion = zero;
    res->criterion.val = c;
    res->js = zero;
    res->js.val = 0.5 * c + M_LN2;
    res->kl_gr = zero;
    res->kl_gr.val = kl_gr;
    res->kl_rg = zero;
    res->kl_rg.val = kl_rg;
    res->mm_loss = zero;
    res->mm_loss.val = mm;
    res->mm_grad = zero; /* D* locally constant at every fake atom: exactly 0 */
    res->ns_loss = zero;
    res->ns_loss.val = ns;
    res->ns_grad = zero;
    if (isinf(ns)) res->ns_grad.val = NAN; /* -log D* = +inf near the atom: no derivative */
}

/* ---- public ------------------------------------------------------------------------ */

static int all_sd(const gr_game_law *l, int positive) {
    for (size_t k = 0; k < l->n; k++)
        if ((l->sd[k] > 0.0) != positive) return 0;
    return 1;
}

/* The smoothed laws of the game at (theta, sigma) into *R, *G, and whether they are atomic
 * (1) or continuous (0); mixed laws are refused. `what` names the caller. */
static int game_laws(const gr_game_law *real, const gr_game_law *gen0, double theta, double sigma,
                     gr_game_law *R, gr_game_law *G, int *atomic, const char *what, gr_error *err) {
    int st = law_check(real, "real law", err);
    if (!st) st = law_check(gen0, "generator law", err);
    if (st) return gr_error_prefix(err, st, "%s: ", what);
    if (!isfinite(theta)) return GR_ERROR(err, GR_EDOM, "%s: theta = %g", what, theta);
    if (!(isfinite(sigma) && sigma >= 0.0))
        return GR_ERROR(err, GR_EDOM, "%s: sigma = %g (need finite, >= 0)", what, sigma);
    *G = *gen0;
    for (size_t k = 0; k < G->n; k++) {
        G->mu[k] += theta;
        if (!isfinite(G->mu[k]))
            return GR_ERROR(err, GR_EDOM, "%s: theta = %g overflows a mean", what, theta);
    }
    GR_TRY(gr_game_law_smooth(R, real, sigma, err));
    GR_TRY(gr_game_law_smooth(G, G, sigma, err));
    if (all_sd(R, 0) && all_sd(G, 0)) {
        *atomic = 1;
        return GR_OK;
    }
    if (!all_sd(R, 1) || !all_sd(G, 1))
        return GR_ERROR(err, GR_EINVAL,
                        "%s: at sigma = 0 the laws mix point masses and densities (no common "
                        "density; add noise, sigma > 0)",
                        what);
    *atomic = 0;
    return GR_OK;
}

int gr_game_loc_eval(const gr_game_law *real, const gr_game_law *gen0, double theta, double sigma,
                     gr_game_workspace *ws, gr_game_eval *res, gr_error *err) {
    if (!res) return GR_ERROR(err, GR_EINVAL, "gr_game_loc_eval: NULL result");
    gr_game_law R, G;
    int atomic;
    GR_TRY(game_laws(real, gen0, theta, sigma, &R, &G, &atomic, "gr_game_loc_eval", err));
    gr_game_eval r0 = {0};
    r0.theta = theta;
    r0.sigma = sigma;
    r0.atomic = atomic;
    *res = r0;
    if (atomic) {
        eval_atomic(&R, &G, res);
        return GR_OK;
    }
    gr_game_workspace *own = NULL;
    if (!ws) {
        GR_TRY(gr_game_workspace_alloc(&own, NULL, err));
        ws = own;
    }
    int st = eval_continuous(ws, &R, &G, res, err);
    gr_game_workspace_free(own);
    return st;
}

int gr_game_loc_logit(const gr_game_law *real, const gr_game_law *gen0, double theta, double sigma,
                      size_t n, const double *x, double *logit, double *dlogit, gr_error *err) {
    if (n > 0 && (!x || !logit))
        return GR_ERROR(err, GR_EINVAL, "gr_game_loc_logit: NULL x or logit");
    gr_game_law R, G;
    int atomic;
    GR_TRY(game_laws(real, gen0, theta, sigma, &R, &G, &atomic, "gr_game_loc_logit", err));
    prep_law r, g;
    if (!atomic) {
        prep(&r, &R);
        prep(&g, &G);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return GR_ERROR(err, GR_EDOM, "gr_game_loc_logit: x[%zu] = %g", i, x[i]);
        double l, dl = 0.0;
        if (atomic) {
            double rm = 0.0, gm = 0.0;
            for (size_t k = 0; k < R.n; k++)
                if (R.mu[k] == x[i]) rm += R.w[k];
            for (size_t k = 0; k < G.n; k++)
                if (G.mu[k] == x[i]) gm += G.w[k];
            if (rm == 0.0 && gm == 0.0)
                return GR_ERROR(err, GR_EDOM,
                                "gr_game_loc_logit: x[%zu] = %g is off the atoms, where D* is "
                                "not defined",
                                i, x[i]);
            l = gm == 0.0 ? INFINITY : rm == 0.0 ? -INFINITY : log(rm / gm);
        } else {
            double lr, dlr, lg, dlg;
            logpdf_d(&r, x[i], &lr, &dlr);
            logpdf_d(&g, x[i], &lg, &dlg);
            l = lr - lg;
            dl = dlr - dlg;
            if (isnan(l) || isnan(dl))
                return GR_ERROR(err, GR_EDOM,
                                "gr_game_loc_logit: x[%zu] = %g: non-finite log-densities", i,
                                x[i]);
        }
        logit[i] = l;
        if (dlogit) dlogit[i] = dl;
    }
    return GR_OK;
}

int gr_game_loc_descend(const gr_game_law *real, const gr_game_law *gen0, gr_game_loss loss,
                        double theta0, double eta, size_t nsteps, const double *sigma,
                        double *theta, size_t *done, gr_game_workspace *ws, gr_error *err) {
    if (done) *done = 0;
    if (!real || !gen0 || !theta)
        return GR_ERROR(err, GR_EINVAL, "gr_game_loc_descend: NULL pointer");
    if (loss != GR_GAME_LOSS_MM && loss != GR_GAME_LOSS_NS)
        return GR_ERROR(err, GR_EINVAL, "gr_game_loc_descend: unknown loss %d", (int)loss);
    if (!isfinite(theta0) || !(isfinite(eta) && eta >= 0.0))
        return GR_ERROR(err, GR_EDOM,
                        "gr_game_loc_descend: theta0 = %g, eta = %g (need finite, eta >= 0)",
                        theta0, eta);
    gr_game_workspace *own = NULL;
    if (!ws) {
        GR_TRY(gr_game_workspace_alloc(&own, NULL, err));
        ws = own;
    }
    theta[0] = theta0;
    int st = GR_OK;
    for (size_t t = 0; t < nsteps; t++) {
        double s = sigma ? sigma[t] : 0.0;
        if (!(isfinite(s) && s >= 0.0)) {
            st = GR_ERROR(err, GR_EDOM, "gr_game_loc_descend: step %zu: sigma = %g", t, s);
            break;
        }
        gr_game_eval e;
        st = gr_game_loc_eval(real, gen0, theta[t], s, ws, &e, err);
        if (st == GR_EDOM && t > 0) { /* theta, produced by the dynamics, left double's range */
            st = gr_error_prefix(err, GR_EDIVERGED, "gr_game_loc_descend: step %zu: ", t);
            break;
        }
        if (st) {
            st = gr_error_prefix(err, st, "gr_game_loc_descend: step %zu: ", t);
            break;
        }
        const gr_game_value *lv = loss == GR_GAME_LOSS_MM ? &e.mm_loss : &e.ns_loss;
        double g = loss == GR_GAME_LOSS_MM ? e.mm_grad.val : e.ns_grad.val;
        if (isinf(lv->val)) {
            st = GR_ERROR(err, GR_EINF,
                          "gr_game_loc_descend: step %zu: the %s loss is +inf at theta = %g "
                          "(D* = 0 at a fake atom)",
                          t, loss == GR_GAME_LOSS_MM ? "minimax" : "non-saturating", theta[t]);
            break;
        }
        double next = theta[t] - eta * g;
        if (!isfinite(g) || !isfinite(next)) {
            st = GR_ERROR(err, GR_EDIVERGED,
                          "gr_game_loc_descend: step %zu: gradient %g, theta %g -> %g", t, g,
                          theta[t], next);
            break;
        }
        theta[t + 1] = next;
        if (done) *done = t + 1;
    }
    gr_game_workspace_free(own);
    return st;
}
