/* eval/embed.c — projection, off-manifold residual, and W1 / mode counts on the projection
 * (eval/embed.h). */
#include "eval/embed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/embed.h"

struct gr_eval_embed {
    size_t D, k, n_max;
    double *A, *b;          /* D x k, D */
    double *xr1, *xr2;      /* n_max x D real draws */
    double *ug, *ur1, *ur2; /* n_max x k projections */
    double *mu;             /* GR_EVAL_EMBED_MAX_MODES x k projected centres */
    gr_eval_w1 *w1;         /* k-dimensional */
};

void gr_eval_embed_free(gr_eval_embed *e) {
    if (!e) return;
    free(e->A);
    free(e->b);
    free(e->xr1);
    free(e->xr2);
    free(e->ug);
    free(e->ur1);
    free(e->ur2);
    free(e->mu);
    gr_eval_w1_free(e->w1);
    free(e);
}

int gr_eval_embed_alloc(gr_eval_embed **out, const double *A, const double *b, size_t D, size_t k,
                        size_t n_max, double ortho_tol, gr_error *err) {
    if (out) *out = NULL;
    if (!out || !A) return GR_ERROR(err, GR_EINVAL, "gr_eval_embed_alloc: NULL argument");
    if (k == 0 || k > D || n_max == 0)
        return GR_ERROR(err, GR_EINVAL,
                        "gr_eval_embed_alloc: need 1 <= k <= D and n_max > 0 (k = %zu, D = %zu, "
                        "n_max = %zu)",
                        k, D, n_max);
    if (!(isfinite(ortho_tol) && ortho_tol >= 0.0))
        return GR_ERROR(err, GR_EINVAL, "gr_eval_embed_alloc: ortho_tol %g must be finite, >= 0",
                        ortho_tol);
    if (ortho_tol == 0.0) ortho_tol = GR_EVAL_EMBED_ORTHO_TOL;
    size_t Dk, nD, nk, mk;
    if (gr_size_mul(D, k, &Dk) || gr_size_mul(n_max, D, &nD) || gr_size_mul(n_max, k, &nk) ||
        gr_size_mul(GR_EVAL_EMBED_MAX_MODES, k, &mk) || nD > SIZE_MAX / sizeof(double))
        return GR_ERROR(err, GR_ENOMEM, "gr_eval_embed_alloc: sizes overflow size_t");
    for (size_t i = 0; i < Dk; i++)
        if (!isfinite(A[i]))
            return GR_ERROR(err, GR_EDOM, "gr_eval_embed_alloc: A[%zu][%zu] is not finite", i / k,
                            i % k);
    if (b)
        for (size_t i = 0; i < D; i++)
            if (!isfinite(b[i]))
                return GR_ERROR(err, GR_EDOM, "gr_eval_embed_alloc: b[%zu] is not finite", i);
    /* orthonormal columns: (A^T A)_{pq} = delta_pq within ortho_tol */
    double dev = 0.0;
    size_t dp = 0, dq = 0;
    for (size_t p = 0; p < k; p++)
        for (size_t q = p; q < k; q++) {
            double g = 0.0;
            for (size_t i = 0; i < D; i++)
                g += A[i * k + p] * A[i * k + q];
            double t = fabs(g - (p == q ? 1.0 : 0.0));
            if (t > dev) {
                dev = t;
                dp = p;
                dq = q;
            }
        }
    if (dev > ortho_tol)
        return GR_ERROR(
            err, GR_EDOM,
            "gr_eval_embed_alloc: columns of A are not orthonormal: |(A^T A - I)[%zu][%zu]| "
            "= %.3g > %.3g",
            dp, dq, dev, ortho_tol);
    gr_eval_embed *e = calloc(1, sizeof *e);
    if (!e) return GR_ERROR(err, GR_ENOMEM, "gr_eval_embed_alloc: out of memory");
    e->D = D;
    e->k = k;
    e->n_max = n_max;
    e->A = malloc(Dk * sizeof(double));
    e->b = calloc(D, sizeof(double));
    e->xr1 = malloc(nD * sizeof(double));
    e->xr2 = malloc(nD * sizeof(double));
    e->ug = malloc(nk * sizeof(double));
    e->ur1 = malloc(nk * sizeof(double));
    e->ur2 = malloc(nk * sizeof(double));
    e->mu = malloc(mk * sizeof(double));
    if (!e->A || !e->b || !e->xr1 || !e->xr2 || !e->ug || !e->ur1 || !e->ur2 || !e->mu) {
        gr_eval_embed_free(e);
        return GR_ERROR(err, GR_ENOMEM, "gr_eval_embed_alloc: out of memory (n_max %zu, D %zu)",
                        n_max, D);
    }
    memcpy(e->A, A, Dk * sizeof(double));
    if (b) memcpy(e->b, b, D * sizeof(double));
    int st = gr_eval_w1_alloc(&e->w1, n_max, k, err);
    if (st != GR_OK) {
        gr_eval_embed_free(e);
        return gr_error_prefix(err, st, "gr_eval_embed_alloc: ");
    }
    *out = e;
    return GR_OK;
}

/* u = A^T (x - b) and r = |x - b - A u| for one point (data/embed.h's arithmetic). */
static double project1(const gr_eval_embed *e, const double *x, double *u) {
    return sqrt(gr_data_embed_coords(e->A, e->b, e->D, e->k, x, u));
}

enum { GR_EVAL_EMBED_UBUF = 64 }; /* k up to which u may be NULL (a stack row) */

/* Project n points into u (n x k, required here), residual mean and max. */
static int project_all(const gr_eval_embed *e, const double *x, size_t n, double *u, double *r,
                       double *mean_r, double *max_r, gr_error *err) {
    double s = 0.0, mx = 0.0, ubuf[GR_EVAL_EMBED_UBUF];
    if (!u && e->k > GR_EVAL_EMBED_UBUF)
        return GR_ERROR(err, GR_EINVAL, "embedded projection: k = %zu > %d needs the u buffer",
                        e->k, GR_EVAL_EMBED_UBUF);
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * e->D;
        for (size_t j = 0; j < e->D; j++)
            if (!isfinite(xi[j]))
                return GR_ERROR(err, GR_EDOM,
                                "embedded projection: point %zu has a non-finite "
                                "coordinate",
                                i);
        double ri = project1(e, xi, u ? u + i * e->k : ubuf);
        if (r) r[i] = ri;
        s += ri;
        mx = ri > mx ? ri : mx;
    }
    if (mean_r) *mean_r = s / (double)n;
    if (max_r) *max_r = mx;
    return GR_OK;
}

int gr_eval_embed_project(const gr_eval_embed *e, const double *x, size_t n, double *u, double *r,
                          double *mean_r, gr_error *err) {
    if (!e || !x) return GR_ERROR(err, GR_EINVAL, "embedded projection: NULL argument");
    if (n == 0) return GR_ERROR(err, GR_EINVAL, "embedded projection: n must be positive");
    return project_all(e, x, n, u, r, mean_r, NULL, err);
}

int gr_eval_embed_run(gr_eval_embed *e, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                      const gr_ot_settings *s, double hq_sds, size_t *hq_counts,
                      gr_eval_embed_result *res, gr_error *err) {
    if (!e || !x || !real || !rng || !res)
        return GR_ERROR(err, GR_EINVAL, "embedded evaluation: NULL argument");
    if (n == 0 || n > e->n_max)
        return GR_ERROR(err, GR_EINVAL, "embedded evaluation: n = %zu outside [1, %zu]", n,
                        e->n_max);
    const char *name = gr_sampler_name(real);
    if (gr_sampler_dim(real) != e->D)
        return GR_ERROR(err, GR_EINVAL,
                        "embedded evaluation: sampler %s has dimension %zu, the plane's space %zu",
                        name, gr_sampler_dim(real), e->D);
    const gr_modes *m = gr_sampler_modes(real);
    if (m) {
        if (m->d != e->k && m->d != e->D)
            return GR_ERROR(err, GR_EINVAL,
                            "embedded evaluation: modes of %s have dimension %zu, neither k = %zu "
                            "nor D = %zu",
                            name, m->d, e->k, e->D);
        if (m->k > GR_EVAL_EMBED_MAX_MODES)
            return GR_ERROR(err, GR_EINVAL, "embedded evaluation: %zu modes, at most %d", m->k,
                            GR_EVAL_EMBED_MAX_MODES);
        if (!hq_counts)
            return GR_ERROR(err, GR_EINVAL, "embedded evaluation: %s has modes: hq_counts needed",
                            name);
        if (!m->mu) return GR_ERROR(err, GR_EINVAL, "embedded evaluation: modes without centres");
    }
    memset(res, 0, sizeof *res);
    res->n = n;
    res->D = e->D;
    res->k = e->k;
    int st;
    if ((st = project_all(e, x, n, e->ug, NULL, &res->resid_mean, &res->resid_max, err)))
        return gr_error_prefix(err, st, "generated points: ");
    /* the draw order of gr_eval_w1_run: the compared sample, then the floor's second one */
    if ((st = gr_sampler_sample(real, rng, n, e->xr1, err)) != GR_OK ||
        (st = gr_sampler_sample(real, rng, n, e->xr2, err)) != GR_OK)
        return gr_error_prefix(err, st, "embedded evaluation: drawing %zu points from %s: ", n,
                               name);
    double m1, m2;
    if ((st = project_all(e, e->xr1, n, e->ur1, NULL, NULL, &m1, err)) ||
        (st = project_all(e, e->xr2, n, e->ur2, NULL, NULL, &m2, err)))
        return gr_error_prefix(err, st, "real points of %s: ", name);
    res->real_resid_max = m1 > m2 ? m1 : m2;
    res->w1.n = n;
    res->w1.d = e->k;
    res->w1.has_w1 = res->w1.has_floor = 1;
    int first = GR_OK;
    gr_error e2;
    st = gr_eval_w1_points(e->w1, e->ug, e->ur1, n, s, &res->w1.w1, err);
    if (st != GR_OK) first = gr_error_prefix(err, st, "projected W1(generated, %s): ", name);
    st = gr_eval_w1_points(e->w1, e->ur1, e->ur2, n, s, &res->w1.floor, first ? &e2 : err);
    if (st != GR_OK && first == GR_OK)
        first = gr_error_prefix(err, st, "projected noise floor of %s: ", name);
    if (m) {
        gr_modes pm = *m;
        if (m->d == e->D) {
            if ((st = project_all(e, m->mu, m->k, e->mu, NULL, NULL, NULL, err)) != GR_OK)
                return gr_error_prefix(err, st, "mode centres of %s: ", name);
            pm.mu = e->mu;
            pm.d = e->k;
        }
        st = gr_eval_modes(&pm, e->ug, n, hq_sds, hq_counts, NULL, NULL, &res->modes,
                           first ? &e2 : err);
        if (st != GR_OK && first == GR_OK) first = st;
        if (st == GR_OK) res->has_modes = 1;
    }
    return first;
}

void gr_eval_embed_last_points(const gr_eval_embed *e, const double **gen, const double **real,
                               const double **real2) {
    if (gen) *gen = e ? e->ug : NULL;
    if (real) *real = e ? e->ur1 : NULL;
    if (real2) *real2 = e ? e->ur2 : NULL;
}
