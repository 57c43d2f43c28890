/* data/embed.c — linear and curved embeddings of a k-dimensional sampler in R^D (embed.h). */
#include "data/embed.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"

typedef struct {
    gr_sampler *inner;
    size_t D, k, m; /* ambient, intrinsic, columns of A (k or k + 1) */
    int curved;
    double R, tau;
    double *A;   /* D x m */
    double *b;   /* D */
    double *u;   /* k scratch */
    double *v;   /* m scratch */
    double *box; /* 2 D: lo then hi (NULL when the inner has no box) */
    double *mu, *sd, *w;
    gr_modes modes;
    int has_modes;
} emb_impl;

static void emb_free(void *p) {
    emb_impl *q = p;
    if (!q) return;
    gr_sampler_free(q->inner);
    free(q->A);
    free(q->b);
    free(q->u);
    free(q->v);
    free(q->box);
    free(q->mu);
    free(q->sd);
    free(q->w);
    free(q);
}

/* v = phi(u) (curved) or u (linear) */
static void emb_phi(const emb_impl *q, const double *u, double *v) {
    if (!q->curved) {
        memcpy(v, u, q->k * sizeof *v);
        return;
    }
    v[0] = q->R * sin(u[0] / q->R);
    v[1] = q->R * (1.0 - cos(u[0] / q->R));
    for (size_t j = 1; j < q->k; j++)
        v[j + 1] = u[j];
}

/* x = b + A v */
static void emb_map(const emb_impl *q, const double *v, double *x) {
    for (size_t i = 0; i < q->D; i++) {
        const double *a = q->A + i * q->m;
        double s = q->b[i];
        for (size_t j = 0; j < q->m; j++)
            s += a[j] * v[j];
        x[i] = s;
    }
}

/* The n inner points are drawn in one call (so a pool reads whole batches, as it would
 * alone) into the tail of x: n (D - k) doubles in, row j of them sits at or after the end
 * of output row j - 1, so mapping the rows in order from the front never overwrites a row
 * not yet read ((n - i - 1)(D - k) >= 0); row i itself is copied out first. */
static int emb_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    emb_impl *q = p;
    size_t D = q->D, k = q->k;
    double *tail = x + n * (D - k); /* n x D fits in the caller's buffer, so does n x k here */
    GR_TRY(gr_sampler_sample(q->inner, rng, n, tail, err));
    for (size_t i = 0; i < n; i++) {
        memcpy(q->u, tail + i * k, k * sizeof *q->u);
        emb_phi(q, q->u, q->v);
        emb_map(q, q->v, x + i * D);
    }
    if (q->tau > 0.0)
        for (size_t i = 0; i < n * D; i++)
            x[i] += q->tau * gsl_ran_gaussian_ziggurat(rng, 1.0);
    return GR_OK;
}

static const gr_modes *emb_modes(const void *p) {
    const emb_impl *q = p;
    return q->has_modes ? &q->modes : NULL;
}

static size_t emb_state_size(const void *p) {
    return gr_sampler_state_size(((const emb_impl *)p)->inner);
}

static int emb_state_save(const void *p, void *buf, size_t size, gr_error *err) {
    return gr_sampler_state_save(((const emb_impl *)p)->inner, buf, size, err);
}

static int emb_state_load(void *p, const void *buf, size_t size, gr_error *err) {
    return gr_sampler_state_load(((emb_impl *)p)->inner, buf, size, err);
}

static const gr_sampler_ops emb_ops = {emb_sample,     emb_modes,      NULL,    emb_state_size,
                                       emb_state_save, emb_state_load, emb_free};

/* A (D x m) from the QR of a Gaussian matrix, then b, both from (seed, GR_STREAM_EMBED). */
static int emb_draw_basis(emb_impl *q, uint64_t seed, gr_error *err) {
    size_t D = q->D, m = q->m;
    gsl_rng *r = NULL;
    GR_TRY(gr_rng_alloc(&r, seed, GR_STREAM_EMBED, err));
    int st = GR_OK;
    gr_gsl_quiet_enter();
    gsl_matrix *G = gsl_matrix_alloc(D, m);
    gsl_vector *tau = gsl_vector_alloc(m);
    gsl_matrix *Q = gsl_matrix_alloc(D, D);
    gsl_matrix *R = gsl_matrix_alloc(D, m);
    if (!G || !tau || !Q || !R) st = GR_ERROR(err, GR_ENOMEM, "embedding: %zu x %zu QR", D, m);
    if (st == GR_OK) {
        for (size_t i = 0; i < D; i++)
            for (size_t j = 0; j < m; j++)
                gsl_matrix_set(G, i, j, gsl_ran_gaussian_ziggurat(r, 1.0));
        for (size_t i = 0; i < D; i++)
            q->b[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        if (gsl_linalg_QR_decomp(G, tau) != GSL_SUCCESS ||
            gsl_linalg_QR_unpack(G, tau, Q, R) != GSL_SUCCESS)
            st = GR_ERROR(err, GR_ELIB, "embedding: GSL QR of a %zu x %zu matrix failed", D, m);
    }
    for (size_t j = 0; st == GR_OK && j < m; j++) {
        double rjj = gsl_matrix_get(R, j, j);
        if (rjj == 0.0) {
            st = GR_ERROR(err, GR_EDOM, "embedding: the Gaussian matrix is singular");
            break;
        }
        double sgn = rjj > 0.0 ? 1.0 : -1.0;
        for (size_t i = 0; i < D; i++)
            q->A[i * m + j] = sgn * gsl_matrix_get(Q, i, j);
    }
    if (G) gsl_matrix_free(G);
    if (tau) gsl_vector_free(tau);
    if (Q) gsl_matrix_free(Q);
    if (R) gsl_matrix_free(R);
    gr_gsl_quiet_leave();
    gr_rng_free(r);
    return st;
}

/* Image box of the inner box [lo, hi] (k values each), widened by 12 tau. */
static void emb_box(emb_impl *q, const double *lo, const double *hi) {
    size_t D = q->D, m = q->m;
    for (size_t i = 0; i < D; i++) {
        double mid = q->b[i], half = GR_DENSITY_BOX_SDS * q->tau;
        for (size_t j = 0; j < m; j++) {
            double l, u;
            if (!q->curved) {
                l = lo[j];
                u = hi[j];
            } else if (j >= 2) {
                l = lo[j - 1];
                u = hi[j - 1];
            } else {
                double a = lo[0] / q->R, e = hi[0] / q->R, big = fmax(fabs(a), fabs(e));
                if (j == 0) {
                    int inside = a >= -M_PI / 2 && e <= M_PI / 2;
                    l = inside ? q->R * sin(a) : -q->R;
                    u = inside ? q->R * sin(e) : q->R;
                } else {
                    int zero = (a <= 0.0 && e >= 0.0) || big > M_PI;
                    l = zero ? 0.0 : q->R * (1.0 - cos(fmin(fabs(a), fabs(e))));
                    u = big <= M_PI ? q->R * (1.0 - cos(big)) : 2.0 * q->R;
                }
            }
            double aij = q->A[i * m + j];
            mid += aij * 0.5 * (l + u);
            half += fabs(aij) * 0.5 * (u - l);
        }
        q->box[i] = mid - half;
        q->box[D + i] = mid + half;
    }
}

static int emb_alloc(gr_sampler **out, gr_sampler *inner, size_t D, uint64_t seed, int curved,
                     double R, double tau, gr_error *err) {
    const char *fn = curved ? "gr_data_embed_curved_alloc" : "gr_data_embed_alloc";
    if (out) *out = NULL;
    int st = GR_OK;
    size_t k = gr_sampler_dim(inner), m = k + (curved ? 1u : 0u);
    if (!out || !inner)
        st = GR_ERROR(err, GR_EINVAL, "%s: NULL argument", fn);
    else if (D < m)
        st = GR_ERROR(err, GR_EINVAL, "%s: %s has dimension %zu; it needs D >= %zu, not D = %zu",
                      fn, gr_sampler_name(inner), k, m, D);
    else if (!isfinite(tau) || tau < 0.0)
        st = GR_ERROR(err, GR_EDOM, "%s: need finite tau >= 0, not %g", fn, tau);
    else if (curved && (!isfinite(R) || R <= 0.0))
        st = GR_ERROR(err, GR_EDOM, "%s: need a finite radius > 0, not %g", fn, R);
    size_t Dm = 0, D2 = 0;
    if (st == GR_OK && (gr_size_mul(D, m, &Dm) || gr_size_mul(D, 2, &D2) ||
                        Dm > SIZE_MAX / sizeof(double) || D2 > SIZE_MAX / sizeof(double)))
        st = GR_ERROR(err, GR_EINVAL, "%s: D = %zu is too large", fn, D);
    emb_impl *q = NULL;
    if (st == GR_OK) {
        q = calloc(1, sizeof *q);
        if (!q) st = GR_ERROR(err, GR_ENOMEM, "%s", fn);
    }
    if (st != GR_OK) {
        gr_sampler_free(inner); /* taken, also on failure */
        return st;
    }
    q->inner = inner;
    q->D = D;
    q->k = k;
    q->m = m;
    q->curved = curved;
    q->R = R;
    q->tau = tau;
    q->A = malloc(Dm * sizeof *q->A);
    q->b = malloc(D * sizeof *q->b);
    q->u = malloc(k * sizeof *q->u);
    q->v = malloc(m * sizeof *q->v);
    if (!q->A || !q->b || !q->u || !q->v) {
        emb_free(q);
        return GR_ERROR(err, GR_ENOMEM, "%s: D = %zu, m = %zu", fn, D, m);
    }
    st = emb_draw_basis(q, seed, err);
    if (st != GR_OK) {
        emb_free(q);
        return st;
    }
    const gr_modes *im = gr_sampler_modes(inner);
    if (im) {
        size_t kd = 0;
        if (gr_size_mul(im->k, D, &kd) || kd > SIZE_MAX / sizeof(double)) {
            emb_free(q);
            return GR_ERROR(err, GR_EINVAL, "%s: %zu modes in D = %zu is too large", fn, im->k, D);
        }
        q->mu = malloc(kd * sizeof *q->mu);
        q->sd = malloc(im->k * sizeof *q->sd);
        q->w = malloc(im->k * sizeof *q->w);
        if (!q->mu || !q->sd || !q->w) {
            emb_free(q);
            return GR_ERROR(err, GR_ENOMEM, "%s: modes", fn);
        }
        for (size_t c = 0; c < im->k; c++) {
            emb_phi(q, im->mu + c * im->d, q->v);
            emb_map(q, q->v, q->mu + c * D);
            q->sd[c] = sqrt(im->sd[c] * im->sd[c] + tau * tau);
            q->w[c] = im->w[c];
        }
        q->modes = (gr_modes){.k = im->k, .d = D, .mu = q->mu, .sd = q->sd, .w = q->w};
        q->has_modes = 1;
    }
    double *lo = NULL, *hi = NULL;
    double *ibox = malloc(2 * k * sizeof *ibox);
    if (!ibox) {
        emb_free(q);
        return GR_ERROR(err, GR_ENOMEM, "%s: box", fn);
    }
    if (gr_sampler_box(inner, ibox, ibox + k, NULL) == GR_OK) { /* no box: none here either */
        q->box = malloc(D2 * sizeof *q->box);
        if (!q->box) {
            free(ibox);
            emb_free(q);
            return GR_ERROR(err, GR_ENOMEM, "%s: box", fn);
        }
        emb_box(q, ibox, ibox + k);
        lo = q->box;
        hi = q->box + D;
    }
    free(ibox);
    char name[64];
    snprintf(name, sizeof name, "%s:%s", curved ? "curved" : "embed", gr_sampler_name(inner));
    return gr_sampler_wrap(out, q, &emb_ops, D, name, lo, hi, err);
}

int gr_data_embed_alloc(gr_sampler **out, gr_sampler *inner, size_t D, uint64_t embed_seed,
                        double tau, gr_error *err) {
    return emb_alloc(out, inner, D, embed_seed, 0, 1.0, tau, err);
}

int gr_data_embed_curved_alloc(gr_sampler **out, gr_sampler *inner, size_t D, uint64_t embed_seed,
                               double radius, double tau, gr_error *err) {
    return emb_alloc(out, inner, D, embed_seed, 1, radius, tau, err);
}

const double *gr_data_embed_matrix(const gr_sampler *s, size_t *m) {
    const emb_impl *q = gr_sampler_impl(s, &emb_ops);
    if (m) *m = q ? q->m : 0;
    return q ? q->A : NULL;
}

const double *gr_data_embed_offset(const gr_sampler *s) {
    const emb_impl *q = gr_sampler_impl(s, &emb_ops);
    return q ? q->b : NULL;
}

const gr_sampler *gr_data_embed_inner(const gr_sampler *s) {
    const emb_impl *q = gr_sampler_impl(s, &emb_ops);
    return q ? q->inner : NULL;
}

double gr_data_embed_coords(const double *A, const double *b, size_t D, size_t k, const double *x,
                            double *u) {
    for (size_t j = 0; j < k; j++)
        u[j] = 0.0;
    for (size_t i = 0; i < D; i++) {
        double d = x[i] - b[i];
        const double *a = A + i * k;
        for (size_t j = 0; j < k; j++)
            u[j] += a[j] * d;
    }
    double off = 0.0;
    for (size_t i = 0; i < D; i++) {
        const double *a = A + i * k;
        double p = 0.0;
        for (size_t j = 0; j < k; j++)
            p += a[j] * u[j];
        double e = (x[i] - b[i]) - p;
        off += e * e;
    }
    return off;
}

/* y = A^T (x - b) (m values); returns |(I - A A^T)(x - b)|^2 */
static double emb_coords(const emb_impl *q, const double *x, double *y) {
    return gr_data_embed_coords(q->A, q->b, q->D, q->m, x, y);
}

static int emb_check(const emb_impl *q, const double *x, size_t n, const double *out,
                     const char *fn, gr_error *err) {
    if (!q) return GR_ERROR(err, GR_EINVAL, "%s: not an embedded sampler", fn);
    if (!x || !out || n == 0) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument or n == 0", fn);
    return GR_OK;
}

int gr_data_embed_project(const gr_sampler *s, const double *x, size_t n, double *u,
                          gr_error *err) {
    emb_impl *q = gr_sampler_impl(s, &emb_ops);
    GR_TRY(emb_check(q, x, n, u, "gr_data_embed_project", err));
    for (size_t i = 0; i < n; i++) {
        emb_coords(q, x + i * q->D, q->v);
        double *ui = u + i * q->k;
        if (!q->curved) {
            memcpy(ui, q->v, q->k * sizeof *ui);
        } else {
            ui[0] = q->R * atan2(q->v[0], q->R - q->v[1]);
            for (size_t j = 1; j < q->k; j++)
                ui[j] = q->v[j + 1];
        }
    }
    return GR_OK;
}

int gr_data_embed_residual(const gr_sampler *s, const double *x, size_t n, double *r,
                           gr_error *err) {
    emb_impl *q = gr_sampler_impl(s, &emb_ops);
    GR_TRY(emb_check(q, x, n, r, "gr_data_embed_residual", err));
    for (size_t i = 0; i < n; i++) {
        double off = emb_coords(q, x + i * q->D, q->v);
        if (q->curved) {
            double rad = hypot(q->v[0], q->v[1] - q->R) - q->R;
            off += rad * rad;
        }
        r[i] = sqrt(off);
    }
    return GR_OK;
}
