/* distance/divergence.c — JS, KL and the GAN value V(D*) between known densities by quadrature
 * (see divergence.h; CLAIMS O4, C02).
 *
 * Every integrand is built from log p and log q at a point:
 *   JS : ½ p (log 2 - softplus(lq - lp)) + ½ q (log 2 - softplus(lp - lq))
 *   KL : p (lp - lq)
 *   V  : -p softplus(lq - lp) - q softplus(lp - lq)
 * with a term skipped when its density is exactly 0 (0 log 0 = 0), so that no underflowed
 * density and no infinite log ever meets a zero factor. In the Gauss-Hermite form the same
 * expressions without the leading density are averaged over nodes drawn from p (and q).
 */
#include "distance/divergence.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mathfn.h"
#include "prob/mixture.h"

enum div_kind { K_JS, K_KL, K_V };
static const char *const kind_name[] = {"JS", "KL", "V(D*)"};

struct gr_div_workspace {
    size_t limit;                       /* capacity of wo and wi */
    size_t hermite_n;                   /* n of the rules below */
    gsl_integration_workspace *wo, *wi; /* outer and inner adaptive workspaces */
    size_t nh[2];                       /* Gauss-Hermite sizes n and 2n */
    double *hz[2], *hw[2];              /* nodes and normalised weights */
    double *brk[2];                     /* break-point buffers (per axis) */
    size_t brk_cap;
};

void gr_div_options_default(gr_div_options *opt) {
    opt->method = GR_DIV_AUTO;
    opt->epsabs = 1e-12;
    opt->epsrel = 1e-10;
    opt->limit = 1000;
    opt->hermite_n = 48;
    opt->bits = 0;
    opt->break_gap = 1e-3;
}

size_t gr_div_options_describe(const gr_div_options *o, gr_setting *out, size_t cap) {
    const gr_setting all[GR_DIV_OPTIONS_COUNT] = {
        gr_setting_int("method", (int)o->method),     gr_setting_double("epsabs", o->epsabs),
        gr_setting_double("epsrel", o->epsrel),       gr_setting_size("limit", o->limit),
        gr_setting_size("hermite_n", o->hermite_n),   gr_setting_int("bits", o->bits),
        gr_setting_double("break_gap", o->break_gap),
    };
    return gr_settings_copy(out, cap, all, GR_DIV_OPTIONS_COUNT);
}

void gr_div_workspace_free(gr_div_workspace *ws) {
    if (!ws) return;
    gsl_integration_workspace_free(ws->wo);
    gsl_integration_workspace_free(ws->wi);
    for (int r = 0; r < 2; r++) {
        free(ws->hz[r]);
        free(ws->hw[r]);
        free(ws->brk[r]);
    }
    free(ws);
}

/* probabilists' Gauss-Hermite rule (weight exp(-x^2/2)), weights normalised to sum 1 */
static int hermite_rule(size_t n, double *z, double *w) {
    gsl_integration_fixed_workspace *f =
        gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, n, 0.0, 0.5, 0.0, 0.0);
    if (!f) return GR_ENOMEM;
    const double *xn = gsl_integration_fixed_nodes(f), *wn = gsl_integration_fixed_weights(f);
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += wn[i];
    for (size_t i = 0; i < n; i++) {
        z[i] = xn[i];
        w[i] = wn[i] / s;
    }
    gsl_integration_fixed_free(f);
    return GR_OK;
}

static int options_check(const gr_div_options *o, gr_error *err) {
    if (o->method != GR_DIV_AUTO && o->method != GR_DIV_ADAPTIVE && o->method != GR_DIV_HERMITE)
        return GR_ERROR(err, GR_EINVAL, "divergence options: unknown method %d", (int)o->method);
    if (!(o->epsabs >= 0.0) || !(o->epsrel >= 0.0) || (o->epsabs == 0.0 && o->epsrel == 0.0))
        return GR_ERROR(err, GR_EINVAL,
                        "divergence options: tolerances must be >= 0 and not both 0 (epsabs=%g, "
                        "epsrel=%g)",
                        o->epsabs, o->epsrel);
    if (o->limit < 8)
        return GR_ERROR(err, GR_EINVAL, "divergence options: limit %zu < 8", o->limit);
    if (o->hermite_n < 2 || o->hermite_n > 512)
        return GR_ERROR(err, GR_EINVAL, "divergence options: hermite_n %zu outside [2, 512]",
                        o->hermite_n);
    if (!(o->break_gap >= 0.0))
        return GR_ERROR(err, GR_EINVAL, "divergence options: break_gap %g < 0", o->break_gap);
    return GR_OK;
}

/* The options a call runs with: the caller's (checked) or, for NULL, the defaults. */
static int options_resolve(const gr_div_options *opt, gr_div_options *o, gr_error *err) {
    if (opt)
        *o = *opt;
    else
        gr_div_options_default(o);
    return options_check(o, err);
}

/* Builds the workspace for checked options `o`; *out is NULL on failure, nothing leaks. */
static int workspace_alloc(gr_div_workspace **out, const char *fn, const gr_div_options *o,
                           gr_error *err) {
    *out = NULL;
    gr_div_workspace *ws = calloc(1, sizeof *ws);
    if (!ws) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory for the workspace", fn);
    ws->limit = o->limit;
    ws->hermite_n = o->hermite_n;
    gr_gsl_quiet_enter(); /* GSL allocation failures go through its handler */
    ws->wo = gsl_integration_workspace_alloc(o->limit);
    ws->wi = gsl_integration_workspace_alloc(o->limit);
    gr_gsl_quiet_leave();
    if (!ws->wo || !ws->wi) {
        gr_div_workspace_free(ws);
        return GR_ERROR(err, GR_ENOMEM,
                        "%s: out of memory for two quadrature workspaces of %zu subintervals", fn,
                        o->limit);
    }
    ws->nh[0] = o->hermite_n;
    ws->nh[1] = 2 * o->hermite_n;
    for (int r = 0; r < 2; r++) {
        ws->hz[r] = malloc(ws->nh[r] * sizeof(double));
        ws->hw[r] = malloc(ws->nh[r] * sizeof(double));
        int bad = !ws->hz[r] || !ws->hw[r];
        if (!bad) {
            gr_gsl_quiet_enter();
            bad = hermite_rule(ws->nh[r], ws->hz[r], ws->hw[r]) != GR_OK;
            gr_gsl_quiet_leave();
        }
        if (bad) {
            size_t nh = ws->nh[r];
            gr_div_workspace_free(ws);
            return GR_ERROR(err, GR_ENOMEM, "%s: out of memory for a %zu-node Gauss-Hermite rule",
                            fn, nh);
        }
    }
    *out = ws;
    return GR_OK;
}

int gr_div_workspace_alloc(gr_div_workspace **out, const gr_div_options *opt, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_div_workspace_alloc: NULL output");
    *out = NULL;
    gr_div_options o;
    GR_TRY(options_resolve(opt, &o, err));
    return workspace_alloc(out, "gr_div_workspace_alloc", &o, err);
}

typedef struct {
    const gr_density *p, *q;
    enum div_kind kind;
    int status;      /* first failure of a callback (GR_OK otherwise) */
    int q_zero;      /* KL: a node with p > 0 and q = 0 was met */
    double bad_x[2]; /* where the first failure happened */
    size_t neval;
    /* nested adaptive quadrature */
    gr_div_workspace *ws;
    const gr_div_options *o;
    double xw;            /* outer width (2-D) */
    double x0;            /* current outer abscissa (2-D) */
    size_t nbrk_y;        /* break points along y */
    double inner_err_max; /* largest inner error estimate */
    int inner_fail;       /* an inner quadrature missed its tolerance */
} div_ctx;

static int eval_logs(div_ctx *c, const double *x, double *lp, double *lq) {
    if (c->status) return c->status;
    int s1 = c->p->logpdf(c->p->ctx, x, lp);
    int s2 = s1 ? s1 : c->q->logpdf(c->q->ctx, x, lq);
    c->neval += 2;
    int s = s1 ? s1 : s2;
    if (!s && (isnan(*lp) || isnan(*lq) || *lp == INFINITY || *lq == INFINITY)) s = GR_EDOM;
    if (s) {
        c->status = s;
        c->bad_x[0] = x[0];
        c->bad_x[1] = x[1]; /* callers always pass 2 slots */
    }
    return s;
}

/* the integrand in x-space (density factors included) */
static double point_integrand(div_ctx *c, const double *x) {
    double lp, lq;
    if (eval_logs(c, x, &lp, &lq)) return 0.0;
    double v = 0.0;
    switch (c->kind) {
    case K_JS:
        if (lp > -INFINITY) v += 0.5 * exp(lp) * (M_LN2 - gr_softplus(lq - lp));
        if (lq > -INFINITY) v += 0.5 * exp(lq) * (M_LN2 - gr_softplus(lp - lq));
        break;
    case K_KL:
        if (lp > -INFINITY) {
            if (lq == -INFINITY)
                c->q_zero = 1;
            else
                v = exp(lp) * (lp - lq);
        }
        break;
    case K_V:
        if (lp > -INFINITY) v -= exp(lp) * gr_softplus(lq - lp);
        if (lq > -INFINITY) v -= exp(lq) * gr_softplus(lp - lq);
        break;
    }
    return v;
}

/* the integrand without its density factor, at a node drawn from p (from_p) or from q */
static double node_value(div_ctx *c, const double *x, int from_p) {
    double lp, lq;
    if (eval_logs(c, x, &lp, &lq)) return 0.0;
    double a = from_p ? lp : lq, b = from_p ? lq : lp; /* own and other log-density */
    switch (c->kind) {
    case K_JS: return a == -INFINITY ? 0.0 : 0.5 * (M_LN2 - gr_softplus(b - a));
    case K_KL:
        if (a == -INFINITY) return 0.0;
        if (b == -INFINITY) {
            c->q_zero = 1;
            return 0.0;
        }
        return a - b;
    case K_V: return a == -INFINITY ? 0.0 : -gr_softplus(b - a);
    }
    return 0.0;
}

/* sum_k w_k sum_{i(,j)} w_i (w_j) f(mu_k + sd_k z) with rule r, nodes from mixture m */
static double hermite_expect(div_ctx *c, const gr_mixture *m, int from_p, int r) {
    const gr_div_workspace *ws = c->ws;
    size_t n = ws->nh[r];
    const double *z = ws->hz[r], *w = ws->hw[r];
    double total = 0.0;
    for (size_t k = 0; k < m->k; k++) {
        const double *mu = m->mu + k * m->d, *sd = m->sd + k * m->d;
        double sk = 0.0, x[2] = {0.0, 0.0};
        if (m->d == 1) {
            for (size_t i = 0; i < n; i++) {
                x[0] = mu[0] + sd[0] * z[i];
                sk += w[i] * node_value(c, x, from_p);
            }
        } else {
            for (size_t i = 0; i < n; i++) {
                double si = 0.0;
                x[0] = mu[0] + sd[0] * z[i];
                for (size_t j = 0; j < n; j++) {
                    x[1] = mu[1] + sd[1] * z[j];
                    si += w[j] * node_value(c, x, from_p);
                }
                sk += w[i] * si;
            }
        }
        total += m->w[k] * sk;
    }
    return total;
}

static int hermite_run(div_ctx *c, double *val, double *abserr) {
    double v[2];
    for (int r = 0; r < 2; r++) {
        v[r] = hermite_expect(c, c->p->mixture, 1, r);
        if (c->kind != K_KL) v[r] += hermite_expect(c, c->q->mixture, 0, r);
    }
    *val = v[1];
    *abserr = fabs(v[1] - v[0]);
    return GR_OK;
}

/* ---- adaptive ------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* break points along axis j: lo, the component means of p and q inside (lo, hi), hi */
static int make_breaks(div_ctx *c, size_t j, double lo, double hi, double **out, size_t *nout,
                       gr_error *err) {
    gr_div_workspace *ws = c->ws;
    size_t need =
        2 + (c->p->mixture ? c->p->mixture->k : 0) + (c->q->mixture ? c->q->mixture->k : 0);
    if (need > ws->brk_cap) {
        for (int a = 0; a < 2; a++) {
            double *nb = realloc(ws->brk[a], need * sizeof *nb);
            if (!nb) return GR_ERROR(err, GR_ENOMEM, "break points (%zu)", need);
            ws->brk[a] = nb;
        }
        ws->brk_cap = need;
    }
    double *b = ws->brk[j];
    size_t n = 0;
    const gr_mixture *ms[2] = {c->p->mixture, c->kind == K_KL ? NULL : c->q->mixture};
    double sdmin = hi - lo;
    for (int a = 0; a < 2; a++)
        if (ms[a])
            for (size_t k = 0; k < ms[a]->k; k++) {
                double v = ms[a]->mu[k * ms[a]->d + j];
                sdmin = fmin(sdmin, ms[a]->sd[k * ms[a]->d + j]);
                if (v > lo && v < hi) b[n++] = v;
            }
    qsort(b, n, sizeof *b, cmp_double);
    /* Break points are hints for the subdivision; near-duplicates (means equal up to
     * rounding, e.g. r cos(pi/4) vs r sin(pi/4)) would make sub-intervals of width 1e-16,
     * pointless pieces (QAGP rejected them: GSL_ESING). Merge points closer than break_gap
     * (default 1e-3) of the narrowest component SD, and keep them that far from the ends. */
    double gap = c->o->break_gap * sdmin;
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i] - lo > gap && hi - b[i] > gap && (u == 0 || b[i] - b[u - 1] > gap)) b[u++] = b[i];
    memmove(b + 1, b, u * sizeof *b);
    b[0] = lo;
    b[u + 1] = hi;
    *out = b;
    *nout = u + 2;
    return GR_OK;
}

static double f1d(double x, void *vp) {
    double xx[2] = {x, 0.0}; /* 2 slots: error reporting reads x[1] generically */
    return point_integrand(vp, xx);
}

static double f2d_inner(double y, void *vp) {
    div_ctx *c = vp;
    double x[2] = {c->x0, y};
    return point_integrand(c, x);
}

/* GSL's status is acceptable when it is success, or GSL_EROUND (often raised at rounding
 * level with a tiny error) with an error estimate that meets the requested tolerance. Any
 * other failure is not: GSL_EBADTOL (epsabs 0 and epsrel < 50 eps) returns result = 0 with
 * abserr = 0, which the tolerance test alone took for a converged 0. */
static int gsl_ok(int gs, double result, double abserr, double epsabs, double epsrel) {
    return gs == GSL_SUCCESS || (gs == GSL_EROUND && abserr <= fmax(epsabs, epsrel * fabs(result)));
}

/* Integral over [b_0, b_{n-1}] as the sum of QAG (Gauss-Kronrod 61, no extrapolation) over
 * the pieces between break points. QAGP's epsilon-extrapolation raised spurious GSL_EROUND
 * on these smooth integrands at tight tolerances; plain QAG per piece does not. The absolute
 * tolerance is shared between the pieces. *ok: every piece met its tolerance. */
static void qag_pieces(gsl_function *f, const double *b, size_t n, double epsabs, double epsrel,
                       size_t limit, gsl_integration_workspace *w, double *res, double *abserr,
                       int *ok) {
    double tr = 0.0, te = 0.0, ea = epsabs / (double)(n - 1);
    *ok = 1;
    for (size_t i = 0; i + 1 < n; i++) {
        double r = 0.0, e = 0.0;
        int gs =
            gsl_integration_qag(f, b[i], b[i + 1], ea, epsrel, limit, GSL_INTEG_GAUSS61, w, &r, &e);
        if (!gsl_ok(gs, r, e, ea, epsrel)) *ok = 0;
        tr += r;
        te += e;
    }
    *res = tr;
    *abserr = te;
}

static double f2d_outer(double x0, void *vp) {
    div_ctx *c = vp;
    const gr_div_options *o = c->o;
    c->x0 = x0;
    gsl_function f = {f2d_inner, c};
    double r = 0.0, e = 0.0;
    double epsabs = o->epsabs / c->xw; /* so that the summed inner errors meet epsabs */
    int ok;
    qag_pieces(&f, c->ws->brk[1], c->nbrk_y, epsabs, o->epsrel, o->limit, c->ws->wi, &r, &e, &ok);
    if (!ok) c->inner_fail = 1;
    if (e > c->inner_err_max) c->inner_err_max = e;
    return r;
}

static int box_of(const gr_density *a, const gr_density *b, size_t j, double *lo, double *hi) {
    if (!a->box_lo || !a->box_hi) return 0;
    *lo = a->box_lo[j];
    *hi = a->box_hi[j];
    if (b) {
        if (!b->box_lo || !b->box_hi) return 0;
        *lo = fmin(*lo, b->box_lo[j]);
        *hi = fmax(*hi, b->box_hi[j]);
    }
    return *hi > *lo;
}

static int adaptive_run(div_ctx *c, double *val, double *abserr, int *conv, gr_error *err) {
    const gr_div_options *o = c->o;
    const gr_density *other = c->kind == K_KL ? NULL : c->q;
    size_t d = c->p->d;
    double lo[2] = {0.0, 0.0}, hi[2] = {0.0, 0.0};
    for (size_t j = 0; j < d; j++)
        if (!box_of(c->p, other, j, &lo[j], &hi[j]))
            return GR_ERROR(err, GR_EINVAL,
                            "%s by adaptive quadrature needs a bounding box on %s (axis %zu)",
                            kind_name[c->kind], c->kind == K_KL ? "p" : "p and q", j);
    double *bx;
    size_t nbx;
    GR_TRY(make_breaks(c, 0, lo[0], hi[0], &bx, &nbx, err));
    gsl_function f;
    double r = 0.0, e = 0.0;
    if (d == 1) {
        f.function = f1d;
        f.params = c;
        qag_pieces(&f, bx, nbx, o->epsabs, o->epsrel, o->limit, c->ws->wo, &r, &e, conv);
    } else {
        double *by;
        GR_TRY(make_breaks(c, 1, lo[1], hi[1], &by, &c->nbrk_y, err));
        c->xw = hi[0] - lo[0];
        f.function = f2d_outer;
        f.params = c;
        qag_pieces(&f, bx, nbx, o->epsabs, o->epsrel, o->limit, c->ws->wo, &r, &e, conv);
        *conv = *conv && !c->inner_fail;
        e += (hi[0] - lo[0]) * c->inner_err_max;
    }
    *val = r;
    *abserr = e;
    return GR_OK;
}

static int div_run(enum div_kind kind, const gr_density *p, const gr_density *q,
                   const gr_div_options *opt, gr_div_workspace *ws, gr_div_result *res,
                   gr_error *err) {
    const char *name = kind_name[kind];
    if (!p || !q || !res) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", name);
    if (!p->logpdf || !q->logpdf)
        return GR_ERROR(err, GR_EINVAL, "%s: density without a log-density callback", name);
    if (p->d != q->d)
        return GR_ERROR(err, GR_EMISMATCH, "%s: densities of dimension %zu and %zu", name, p->d,
                        q->d);
    if (p->d < 1 || p->d > 2)
        return GR_ERROR(err, GR_EINVAL,
                        "%s by quadrature is implemented for d = 1 or 2 (got %zu); use the kNN "
                        "estimators (distance/knn.h) in higher dimension",
                        name, p->d);
    gr_div_options o;
    GR_TRY(options_resolve(opt, &o, err));
    gr_div_workspace *own = NULL;
    if (!ws) {
        GR_TRY(workspace_alloc(&own, name, &o, err));
        ws = own;
    } else {
        /* the workspace's sizes are fixed at allocation; the tolerances come from opt */
        if (o.limit > ws->limit || o.hermite_n != ws->hermite_n)
            return GR_ERROR(err, GR_EINVAL,
                            "%s: options (limit %zu, hermite_n %zu) do not fit the workspace "
                            "(limit %zu, hermite_n %zu)",
                            name, o.limit, o.hermite_n, ws->limit, ws->hermite_n);
    }
    int has_mix = p->mixture && (kind == K_KL || q->mixture);
    int mix_ok = has_mix && p->mixture->d == p->d && (kind == K_KL || q->mixture->d == q->d);
    gr_div_method m = o.method;
    int auto_ = m == GR_DIV_AUTO;
    if (auto_) m = mix_ok ? GR_DIV_HERMITE : GR_DIV_ADAPTIVE;
    int st = GR_OK;
    if (m == GR_DIV_HERMITE && !mix_ok)
        st = GR_ERROR(err, GR_EINVAL, "%s by Gauss-Hermite needs mixture structure on %s", name,
                      kind == K_KL ? "p" : "p and q");
    div_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.q = q;
    c.kind = kind;
    c.ws = ws;
    c.o = &o;
    double val = 0.0, ae = 0.0;
    int conv = 1;
    if (!st && m == GR_DIV_HERMITE) {
        st = hermite_run(&c, &val, &ae);
        conv = ae <= fmax(o.epsabs, o.epsrel * fabs(val));
        /* AUTO: a Hermite rule that misses the tolerance (components wide compared with the
         * scale on which log p/q bends, e.g. well-separated equal-variance Gaussians) falls
         * back to adaptive quadrature when the boxes allow it; the better estimate is kept */
        int boxes = p->box_lo && p->box_hi && (kind == K_KL || (q->box_lo && q->box_hi));
        if (!st && !c.status && !conv && auto_ && boxes) {
            div_ctx c2 = c;
            double v2 = 0.0, e2 = 0.0;
            int conv2 = 0;
            c2.neval = 0;
            c2.q_zero = 0;
            st = adaptive_run(&c2, &v2, &e2, &conv2, err);
            c2.neval += c.neval;
            if (!st && (conv2 || e2 < ae)) {
                c = c2;
                val = v2;
                ae = e2;
                conv = conv2;
                m = GR_DIV_ADAPTIVE;
            } else {
                c.neval = c2.neval;
                c.status = c2.status;
            }
        }
    } else if (!st) {
        st = adaptive_run(&c, &val, &ae, &conv, err);
    }
    if (!st && c.status)
        st = GR_ERROR(err, c.status == GR_EDOM ? GR_EDOM : c.status,
                      "%s: log-density failed or returned NaN/+inf at x = (%g, %g): %s", name,
                      c.bad_x[0], c.bad_x[1], gr_strerror(c.status));
    if (!st) {
        double scale = o.bits ? 1.0 / M_LN2 : 1.0;
        res->method = m;
        res->neval = c.neval;
        res->bits = o.bits;
        res->is_inf = 0;
        res->raw = val * scale;
        res->abserr = ae * scale;
        double v = val;
        if (kind == K_JS) v = fmin(fmax(v, 0.0), M_LN2);       /* 0 <= JS <= log 2 exactly */
        if (kind == K_KL && v < 0.0) v = 0.0;                  /* Gibbs: KL >= 0 */
        if (kind == K_V) v = fmin(fmax(v, -2.0 * M_LN2), 0.0); /* -log 4 <= V(D*) <= 0 */
        res->value = v * scale;
        if (kind == K_KL && c.q_zero) {
            res->value = res->raw = INFINITY;
            res->abserr = 0.0;
            res->is_inf = 1;
            st = GR_ERROR(err, GR_EINF, "KL(p||q) = +infinity: q = 0 where p > 0");
        } else if (!conv) {
            st = GR_ERROR(err, GR_ENOTCONV,
                          "%s: quadrature did not reach epsabs %g / epsrel %g (estimate %.17g, "
                          "error %g)",
                          name, o.epsabs, o.epsrel, res->value, res->abserr);
        }
    }
    gr_div_workspace_free(own);
    return st;
}

/* The whole computation is one quiet section: QAG reports EMAXITER / EROUND / EBADTOL
 * through GSL's handler, and the log-density callbacks run inside it. */
static int div_quiet(enum div_kind kind, const gr_density *p, const gr_density *q,
                     const gr_div_options *opt, gr_div_workspace *ws, gr_div_result *res,
                     gr_error *err) {
    gr_gsl_quiet_enter();
    int st = div_run(kind, p, q, opt, ws, res, err);
    gr_gsl_quiet_leave();
    return st;
}

int gr_div_js(const gr_density *p, const gr_density *q, const gr_div_options *opt,
              gr_div_workspace *ws, gr_div_result *res, gr_error *err) {
    return div_quiet(K_JS, p, q, opt, ws, res, err);
}

int gr_div_kl(const gr_density *p, const gr_density *q, const gr_div_options *opt,
              gr_div_workspace *ws, gr_div_result *res, gr_error *err) {
    return div_quiet(K_KL, p, q, opt, ws, res, err);
}

int gr_div_gan_value(const gr_density *p, const gr_density *q, const gr_div_options *opt,
                     gr_div_workspace *ws, gr_div_result *res, gr_error *err) {
    return div_quiet(K_V, p, q, opt, ws, res, err);
}
