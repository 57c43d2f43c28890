/* nn/mlp_impl.h — the MLP passes, written once for both precisions (a template, not a
 * public header). Included by mlp_f.c with
 *     #define R float     #define MLP gr_mlp    #define FN(x) gr_mlp_##x   #define SFX(x) x##f
 * and by mlp_d.c with double / gr_mlpd / gr_mlpd_##x / x (plus the precision's GEMM_*,
 * COLSUM_ADD and SUMSQ kernels from linalg/). Every kernel below is therefore
 * compiled twice; the double build exists for finite-difference gradient checks.
 *
 * Notation (per sample, row vectors; the code does whole batches, one sample per row):
 *     h_0 = x,  a_l = h_{l-1} W_l^T + b_l,  h_l = s_l(a_l),  l = 1..L  (1-based here; the
 *     flat buffer's layer index is l-1).
 * Backward to the input for f = h_L (scalar), dy = df/dh_L:
 *     e_L = dy,  d_l = e_l (.) s_l'(a_l),  e_{l-1} = d_l W_l,  g = e_0 = grad_x f.
 * Only post-activations h_l are kept: every s', s'' is computed from h (see act_d1/act_d2),
 * so the forward writes a_l and overwrites it in place with h_l.
 *
 * Buffers (max_batch rows each): h[0..L] (h[0] a copy of the input), d[1..L], and for the
 * gradient penalty e[0..L] and r[1..L] (adjoints of a_l), plus two ping-pong buffers p, q
 * and one t of max width. All carved from one allocation at alloc time.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mathfn.h"
#include "core/mem.h"

#define MAXL (GR_MLP_MAX_HIDDEN + 1)

struct MLP {
    gr_mlp_spec spec;
    size_t L;               /* affine layers */
    size_t max_batch;       /* rows every buffer holds */
    size_t n_params;        /* elements of params and grads */
    size_t n[MAXL + 1];     /* widths n_0..n_L */
    gr_mlp_layer lay[MAXL]; /* flat-buffer offsets, 0-based layer index */
    int has_d2[MAXL + 1];   /* layer l (1-based) activation has non-zero s'' */
    R *params, *grads;      /* n_params each */
    R *h[MAXL + 1];         /* h[l]: max_batch x n_l, l = 0..L */
    R *d[MAXL + 1];         /* d[l]: max_batch x n_l, l = 1..L */
    R *e[MAXL + 1];         /* e[l]: max_batch x n_l, l = 0..L (GP); e[L] holds ones */
    R *r[MAXL + 1];         /* r[l]: max_batch x n_l, l = 1..L (GP adjoints of a_l) */
    R *p, *q, *t;           /* max_batch x max width */
    R *ones;                /* max_batch ones (dy for the input gradient) */
    R *work;                /* the single workspace allocation */
    size_t batch;           /* rows of the cached forward; 0 = none */
    size_t bwd_batch;       /* rows of the last backward on that forward; 0 = none */
};

/* ---- activations ------------------------------------------------------------------------
 * Written as always-inline scalar functions of a compile-time act so that each kernel below
 * is expanded by a switch into one tight, vectorisable loop per activation. */

#define INLINE static inline __attribute__((always_inline))

/* The precision's tanh: the float build defines ACT_TANH as gr_act_tanhf (nn/act.h: in
 * double, rounded once, branch-free so the epilogue vectorises); the double twin keeps
 * libm's tanh as its reference. */
#ifndef ACT_TANH
#define ACT_TANH SFX(tanh)
#endif
#ifndef ACT_ELU /* same for ELU's a > 0 ? a : alpha (e^a - 1) (gr_act_eluf) */
#define ACT_ELU(alpha, a) ((a) > (R)0 ? (a) : (alpha)*SFX(expm1)(a))
#endif

INLINE R act_f(gr_act act, R alpha, R a) {
    switch (act) {
    case GR_ACT_RELU: return a > (R)0 ? a : (R)0;
    case GR_ACT_LEAKY_RELU: return a > (R)0 ? a : alpha * a;
    case GR_ACT_TANH: return ACT_TANH(a);
    case GR_ACT_SIGMOID: return SFX(gr_sigmoid)(a);   /* two branches: exp never overflows */
    case GR_ACT_SOFTPLUS: return SFX(gr_softplus)(a); /* max(a, 0) + log1p(e^{-|a|}) */
    case GR_ACT_ELU: return ACT_ELU(alpha, a);
    case GR_ACT_IDENTITY:
    default: return a;
    }
}

/* s'(a) from h = s(a). At a = 0 the kinks follow torch: relu' = 0, lrelu' = alpha,
 * elu' = alpha (h = 0 is not > 0). For lrelu/elu alpha > 0 makes sign(h) = sign(a). */
INLINE R act_d1(gr_act act, R alpha, R h) {
    switch (act) {
    case GR_ACT_RELU: return h > (R)0 ? (R)1 : (R)0;
    case GR_ACT_LEAKY_RELU: return h > (R)0 ? (R)1 : alpha;
    case GR_ACT_TANH: return (R)1 - h * h;
    case GR_ACT_SIGMOID: return h * ((R)1 - h);
    case GR_ACT_SOFTPLUS: return -SFX(expm1)(-h); /* sigmoid(a) = 1 - e^{-softplus(a)} */
    case GR_ACT_ELU: return h > (R)0 ? (R)1 : h + alpha;
    case GR_ACT_IDENTITY:
    default: return (R)1;
    }
}

/* s''(a) from h. Zero (a.e.) for identity, relu and lrelu. */
INLINE R act_d2(gr_act act, R alpha, R h) {
    switch (act) {
    case GR_ACT_TANH: return (R)-2 * h * ((R)1 - h * h);
    case GR_ACT_SIGMOID: return h * ((R)1 - h) * ((R)1 - (R)2 * h);
    case GR_ACT_SOFTPLUS: /* sigmoid(a) * (1 - sigmoid(a)), 1 - sigmoid(a) = e^{-h} exactly */
        return -SFX(expm1)(-h) * SFX(exp)(-h);
    case GR_ACT_ELU: return h > (R)0 ? (R)0 : h + alpha;
    default: return (R)0;
    }
}

static int act_has_d2(gr_act act) {
    return act == GR_ACT_TANH || act == GR_ACT_SIGMOID || act == GR_ACT_SOFTPLUS ||
           act == GR_ACT_ELU;
}

/* Expand BODY_FN(act constant, ...) into a switch over every activation. */
#define ACT_DISPATCH(act, CALL)                                                                    \
    switch (act) {                                                                                 \
    case GR_ACT_RELU: CALL(GR_ACT_RELU); break;                                                    \
    case GR_ACT_LEAKY_RELU: CALL(GR_ACT_LEAKY_RELU); break;                                        \
    case GR_ACT_TANH: CALL(GR_ACT_TANH); break;                                                    \
    case GR_ACT_SIGMOID: CALL(GR_ACT_SIGMOID); break;                                              \
    case GR_ACT_SOFTPLUS: CALL(GR_ACT_SOFTPLUS); break;                                            \
    case GR_ACT_ELU: CALL(GR_ACT_ELU); break;                                                      \
    case GR_ACT_IDENTITY:                                                                          \
    default: CALL(GR_ACT_IDENTITY); break;                                                         \
    }

/* Fused forward epilogue: X (m x n) holds X W^T; X := s(X + b), in place. */
INLINE void bias_act_loop(gr_act act, R alpha, size_t m, size_t n, const R *b, R *X) {
    for (size_t i = 0; i < m; i++) {
        R *x = X + i * n;
        for (size_t j = 0; j < n; j++)
            x[j] = act_f(act, alpha, x[j] + b[j]);
    }
}
/* The epilogues are compiled twice, for AVX2 and for the x86-64 baseline, picked at load
 * time: e.g. the tanh of nn/act.h runs in double, 4 lanes with AVX2 against 2 with SSE2.
 * No FMA in either clone (so no contraction) and the same operation order per element:
 * both clones give the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define ACT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ACT_CLONES
#endif
ACT_CLONES
static void bias_act(gr_act act, R alpha, size_t m, size_t n, const R *b, R *X){
#define CALL(A) bias_act_loop(A, alpha, m, n, b, X)
    ACT_DISPATCH(act, CALL)
#undef CALL
}

/* Fused backward step: D (m x n) := E (.) s'(H), and db += column sums of D if db != NULL.
 * E may alias D. */
INLINE
    void mul_d1_loop(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *E, R *D, R *db) {
    for (size_t i = 0; i < m; i++) {
        const R *h = H + i * n, *e = E + i * n;
        R *dd = D + i * n;
        for (size_t j = 0; j < n; j++)
            dd[j] = e[j] * act_d1(act, alpha, h[j]);
        if (db)
            for (size_t j = 0; j < n; j++)
                db[j] += dd[j];
    }
}
ACT_CLONES
static void mul_d1(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *E, R *D, R *db){
#define CALL(A) mul_d1_loop(A, alpha, m, n, H, E, D, db)
    ACT_DISPATCH(act, CALL)
#undef CALL
}

/* GP reverse step for layer l, given Q = dbar_l (adjoint of d_l):
 *     if Rr: Rr := Q (.) E (.) s''(H)     (adjoint reaching a_l through s'(a_l))
 *     if scale_q: Q := Q (.) s'(H)         (= ebar_l, adjoint of e_l)                  */
INLINE void gp_step_loop(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *E, R *Q,
                         R *Rr, int scale_q) {
    for (size_t i = 0; i < m; i++) {
        const R *h = H + i * n, *e = E + i * n;
        R *qq = Q + i * n;
        if (Rr) {
            R *rr = Rr + i * n;
            for (size_t j = 0; j < n; j++)
                rr[j] = qq[j] * e[j] * act_d2(act, alpha, h[j]);
        }
        if (scale_q)
            for (size_t j = 0; j < n; j++)
                qq[j] *= act_d1(act, alpha, h[j]);
    }
}
static void gp_step(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *E, R *Q, R *Rr,
                    int scale_q){
#define CALL(A) gp_step_loop(A, alpha, m, n, H, E, Q, Rr, scale_q)
    ACT_DISPATCH(act, CALL)
#undef CALL
}

/* Rr := (accumulate ? Rr : 0) + T (.) s'(H)  (adjoint of a_l from the layer above). */
INLINE void gp_acc_loop(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *T, R *Rr,
                        int accumulate) {
    for (size_t i = 0; i < m * n; i++) {
        R v = T[i] * act_d1(act, alpha, H[i]);
        Rr[i] = accumulate ? Rr[i] + v : v;
    }
}
static void gp_acc(gr_act act, R alpha, size_t m, size_t n, const R *H, const R *T, R *Rr,
                   int accumulate) {
#define CALL(A) gp_acc_loop(A, alpha, m, n, H, T, Rr, accumulate)
    ACT_DISPATCH(act, CALL)
#undef CALL
}

/* ---- allocation and accessors ------------------------------------------------------------ */

#define ALIGN_ELEMS (64 / sizeof(R)) /* 64-byte alignment for every buffer */

static size_t round_up(size_t x) { return (x + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS; }

static R *alloc_reals(size_t count) {
    return gr_alloc_zeroed(round_up(count == 0 ? 1 : count) * sizeof(R));
}

void FN(free)(MLP *net) {
    if (!net) return;
    gr_free(net->params);
    gr_free(net->grads);
    gr_free(net->work);
    free(net);
}

int FN(alloc)(MLP **out, const gr_mlp_spec *spec, size_t max_batch, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "mlp alloc: out is NULL");
    *out = NULL;
    GR_TRY(gr_mlp_spec_validate(spec, err));
    size_t L = gr_mlp_spec_n_layers(spec);
    size_t maxw = spec->in_dim;
    for (size_t l = 0; l < L; l++) {
        size_t w = gr_mlp_spec_layer(spec, l).out_dim;
        if (w > maxw) maxw = w;
    }
    if (max_batch == 0 || max_batch > (size_t)INT_MAX / maxw)
        return GR_ERROR(err, GR_EINVAL,
                        "mlp alloc: max_batch = %zu must be in 1..%zu for width %zu", max_batch,
                        (size_t)INT_MAX / maxw, maxw);
    MLP *net = calloc(1, sizeof *net);
    if (!net) return GR_ERROR(err, GR_ENOMEM, "mlp alloc: out of memory");
    net->spec = *spec;
    net->L = L;
    net->max_batch = max_batch;
    net->n_params = gr_mlp_spec_n_params(spec);
    net->n[0] = spec->in_dim;
    for (size_t l = 0; l < L; l++) {
        net->lay[l] = gr_mlp_spec_layer(spec, l);
        net->n[l + 1] = net->lay[l].out_dim;
        net->has_d2[l + 1] = act_has_d2(net->lay[l].act);
    }
    /* workspace: h[0..L], d[1..L], e[0..L], r[1..L], p, q, t, ones */
    size_t total = 0;
    for (size_t l = 0; l <= L; l++)
        total += 4 * round_up(max_batch * net->n[l]);
    total += 3 * round_up(max_batch * maxw) + round_up(max_batch);
    net->params = alloc_reals(net->n_params);
    net->grads = alloc_reals(net->n_params);
    net->work = alloc_reals(total);
    if (!net->params || !net->grads || !net->work) {
        FN(free)(net);
        return GR_ERROR(err, GR_ENOMEM, "mlp alloc: out of memory (%zu parameters, %zu workspace)",
                        net->n_params, total);
    }
    R *w = net->work;
#define CARVE(ptr, count)                                                                          \
    do {                                                                                           \
        (ptr) = w;                                                                                 \
        w += round_up(count);                                                                      \
    } while (0)
    for (size_t l = 0; l <= L; l++) {
        CARVE(net->h[l], max_batch * net->n[l]);
        CARVE(net->d[l], max_batch * net->n[l]);
        CARVE(net->e[l], max_batch * net->n[l]);
        CARVE(net->r[l], max_batch * net->n[l]);
    }
    CARVE(net->p, max_batch * maxw);
    CARVE(net->q, max_batch * maxw);
    CARVE(net->t, max_batch * maxw);
    CARVE(net->ones, max_batch);
#undef CARVE
    for (size_t i = 0; i < max_batch; i++)
        net->ones[i] = (R)1;
    for (size_t i = 0; i < max_batch * net->n[L]; i++)
        net->e[L][i] = (R)1;
    *out = net;
    return GR_OK;
}

const gr_mlp_spec *FN(get_spec)(const MLP *net) { return &net->spec; }
size_t FN(max_batch)(const MLP *net) { return net->max_batch; }
size_t FN(n_layers)(const MLP *net) { return net->L; }
size_t FN(n_params)(const MLP *net) { return net->n_params; }
R *FN(params)(MLP *net) { return net->params; }
R *FN(grads)(MLP *net) { return net->grads; }
const R *FN(output)(const MLP *net) { return net->h[net->L]; }

gr_mlp_layer FN(layer_info)(const MLP *net, size_t l) {
    if (l >= net->L) {
        gr_mlp_layer z;
        memset(&z, 0, sizeof z);
        return z;
    }
    return net->lay[l];
}

size_t FN(describe)(const MLP *net, char *buf, size_t size) {
    return gr_mlp_spec_describe(&net->spec, buf, size);
}

void FN(zero_grad)(MLP *net) { memset(net->grads, 0, net->n_params * sizeof(R)); }

int FN(init)(MLP *net, gr_init scheme, gsl_rng *r, gr_error *err) {
    if (!net || !r) return GR_ERROR(err, GR_EINVAL, "mlp init: NULL net or generator");
    if ((unsigned)scheme > (unsigned)GR_INIT_HE)
        return GR_ERROR(err, GR_EINVAL, "mlp init: unknown scheme %d", (int)scheme);
    for (size_t l = 0; l < net->L; l++) {
        const gr_mlp_layer *ly = &net->lay[l];
        double fin = (double)ly->in_dim, fout = (double)ly->out_dim;
        R *W = net->params + ly->w_offset, *b = net->params + ly->b_offset;
        size_t nw = ly->in_dim * ly->out_dim;
        double wr = 0.0, br = 0.0; /* uniform half-widths */
        switch (scheme) {
        case GR_INIT_TORCH: wr = br = 1.0 / sqrt(fin); break;
        case GR_INIT_XAVIER: wr = sqrt(6.0 / (fin + fout)); break;
        case GR_INIT_HE: wr = sqrt(6.0 / fin); break;
        case GR_INIT_NORMAL: break;
        }
        for (size_t i = 0; i < nw; i++)
            W[i] = (R)(scheme == GR_INIT_NORMAL ? 0.02 * gsl_ran_gaussian_ziggurat(r, 1.0)
                                                : wr * (2.0 * gsl_rng_uniform(r) - 1.0));
        for (size_t j = 0; j < ly->out_dim; j++)
            b[j] = (R)(br == 0.0 ? 0.0 : br * (2.0 * gsl_rng_uniform(r) - 1.0));
    }
    return GR_OK;
}

/* ---- passes --------------------------------------------------------------------------- */

static int check_batch(const MLP *net, size_t batch, const char *what, gr_error *err) {
    if (batch == 0 || batch > net->max_batch)
        return GR_ERROR(err, GR_EINVAL, "mlp %s: batch %zu must be in 1..%zu (max_batch)", what,
                        batch, net->max_batch);
    return GR_OK;
}

int FN(forward)(MLP *net, R *y, const R *x, size_t batch, gr_error *err) {
    GR_TRY(check_batch(net, batch, "forward", err));
    if (!x) return GR_ERROR(err, GR_EINVAL, "mlp forward: x is NULL");
    net->batch = 0;
    net->bwd_batch = 0;
    memcpy(net->h[0], x, batch * net->n[0] * sizeof(R));
    for (size_t l = 1; l <= net->L; l++) {
        const gr_mlp_layer *ly = &net->lay[l - 1];
        /* a_l = h_{l-1} W_l^T, then h_l = s(a_l + b_l) in place */
        GEMM_NT(batch, net->n[l], net->n[l - 1], (R)1, net->h[l - 1], net->params + ly->w_offset,
                (R)0, net->h[l]);
        bias_act(ly->act, (R)ly->alpha, batch, net->n[l], net->params + ly->b_offset, net->h[l]);
    }
    net->batch = batch;
    if (y) memcpy(y, net->h[net->L], batch * net->n[net->L] * sizeof(R));
    return GR_OK;
}

/* Shared backward: d_L = dy (.) s'(h_L); per layer dW += d^T h_{l-1}, db += colsum(d) (when
 * want_params), then e_{l-1} = d_l W_l and d_{l-1} = e_{l-1} (.) s'(h_{l-1}); dx = e_0. */
static int backward_core(MLP *net, R *dx, const R *dy, size_t batch, int want_params,
                         const char *what, gr_error *err) {
    GR_TRY(check_batch(net, batch, what, err));
    if (net->batch == 0) return GR_ERROR(err, GR_EINVAL, "mlp %s: no cached forward pass", what);
    if (batch != net->batch)
        return GR_ERROR(err, GR_EMISMATCH, "mlp %s: batch %zu differs from the forward's %zu", what,
                        batch, net->batch);
    if (!dy) return GR_ERROR(err, GR_EINVAL, "mlp %s: dy is NULL", what);
    size_t L = net->L;
    const gr_mlp_layer *top = &net->lay[L - 1];
    mul_d1(top->act, (R)top->alpha, batch, net->n[L], net->h[L], dy, net->d[L],
           want_params ? net->grads + top->b_offset : NULL);
    for (size_t l = L; l >= 1; l--) {
        const gr_mlp_layer *ly = &net->lay[l - 1];
        const R *W = net->params + ly->w_offset;
        if (want_params)
            GEMM_TN(net->n[l], net->n[l - 1], batch, (R)1, net->d[l], net->h[l - 1], (R)1,
                    net->grads + ly->w_offset);
        if (l > 1) {
            const gr_mlp_layer *below = &net->lay[l - 2];
            GEMM_NN(batch, net->n[l - 1], net->n[l], (R)1, net->d[l], W, (R)0, net->d[l - 1]);
            mul_d1(below->act, (R)below->alpha, batch, net->n[l - 1], net->h[l - 1], net->d[l - 1],
                   net->d[l - 1], want_params ? net->grads + below->b_offset : NULL);
        } else if (dx) {
            GEMM_NN(batch, net->n[0], net->n[1], (R)1, net->d[1], W, (R)0, dx);
        }
    }
    net->bwd_batch = batch;
    return GR_OK;
}

int FN(layer_grad_norms)(const MLP *net, double *norms, size_t n_norms, gr_error *err) {
    if (!norms) return GR_ERROR(err, GR_EINVAL, "mlp layer_grad_norms: norms is NULL");
    if (n_norms != net->L)
        return GR_ERROR(err, GR_EMISMATCH,
                        "mlp layer_grad_norms: room for %zu norms, the network has %zu layers",
                        n_norms, net->L);
    if (net->bwd_batch == 0)
        return GR_ERROR(err, GR_EINVAL,
                        "mlp layer_grad_norms: no backward pass since the last forward");
    for (size_t l = 1; l <= net->L; l++) {
        /* scaled sum of squares (as BLAS nrm2): no overflow or underflow of the squares */
        const R *D = net->d[l];
        size_t cnt = net->bwd_batch * net->n[l];
        double scale = 0.0, ssq = 1.0;
        for (size_t k = 0; k < cnt; k++) {
            double v = fabs((double)D[k]);
            if (v == 0.0) continue;
            if (scale < v) {
                ssq = 1.0 + ssq * (scale / v) * (scale / v);
                scale = v;
            } else {
                ssq += (v / scale) * (v / scale);
            }
        }
        norms[l - 1] = scale * sqrt(ssq);
    }
    return GR_OK;
}

int FN(backward)(MLP *net, R *dx, const R *dy, size_t batch, gr_error *err) {
    return backward_core(net, dx, dy, batch, 1, "backward", err);
}

int FN(backward_input)(MLP *net, R *dx, const R *dy, size_t batch, gr_error *err) {
    if (!dx) return GR_ERROR(err, GR_EINVAL, "mlp backward_input: dx is NULL");
    return backward_core(net, dx, dy, batch, 0, "backward_input", err);
}

int FN(input_grad)(MLP *net, R *gx, const R *x, size_t batch, gr_error *err) {
    if (net->n[net->L] != 1)
        return GR_ERROR(err, GR_EMISMATCH, "mlp input_grad: needs out_dim 1, the network has %zu",
                        net->n[net->L]);
    if (!gx) return GR_ERROR(err, GR_EINVAL, "mlp input_grad: gx is NULL");
    GR_TRY(FN(forward)(net, NULL, x, batch, err));
    int status = backward_core(net, gx, net->ones, batch, 0, "input_grad", err);
    net->bwd_batch = 0; /* df/dx, not a loss gradient: no layer norms to read */
    return status;
}

/* Gradient penalty by double backpropagation.
 *
 * P(theta) = lambda/B sum_i (||g_i|| - 1)^2 with g = e_0 from the backward above (dy = 1).
 * Reverse mode through that backward pass ("bar" = dP/d.):
 *   ebar_0 = lambda/B * 2 (||g_i|| - 1) g_i / ||g_i||
 *   for l = 1..L (the backward pass ran l = L..1, so its reverse runs upward):
 *     e_{l-1} = d_l W_l     =>  Wbar_l += d_l^T ebar_{l-1},   dbar_l = ebar_{l-1} W_l^T
 *     d_l = e_l (.) s'(a_l) =>  ebar_l = dbar_l (.) s'(a_l),  abar_l = dbar_l (.) e_l (.) s''(a_l)
 *   (e_L = 1 is a constant, so ebar_L is dropped.) Then abar_l, a direct dependence of P on
 *   the pre-activations, is pushed back through the forward pass:
 *   for l = top..1:  Wbar_l += abar_l^T h_{l-1},  bbar_l += colsum(abar_l),
 *                    abar_{l-1} += (abar_l W_l) (.) s'(a_{l-1}).
 * For relu/lrelu/identity s'' = 0, every abar is 0 and the second sweep is skipped: only the
 * mask-fixed products of the first sweep remain (CLAIMS.md C30). */
static int gp_core(MLP *net, double *penalty, R *gnorm, const R *xhat, size_t batch, double lambda,
                   int one_sided, gr_error *err) {
    size_t L = net->L;
    if (net->n[L] != 1)
        return GR_ERROR(err, GR_EMISMATCH, "mlp gp: needs out_dim 1, the network has %zu",
                        net->n[L]);
    if (!isfinite(lambda)) return GR_ERROR(err, GR_EINVAL, "mlp gp: lambda = %g", lambda);
    GR_TRY(FN(forward)(net, NULL, xhat, batch, err));
    /* (the d_l below are df/da_l, not a loss's: gr_mlp_layer_grad_norms stays invalid) */
    /* backward to the input, keeping e_l and d_l of every layer */
    const gr_mlp_layer *topl = &net->lay[L - 1];
    mul_d1(topl->act, (R)topl->alpha, batch, net->n[L], net->h[L], net->e[L], net->d[L], NULL);
    for (size_t l = L; l >= 1; l--) {
        GEMM_NN(batch, net->n[l - 1], net->n[l], (R)1, net->d[l],
                net->params + net->lay[l - 1].w_offset, (R)0, net->e[l - 1]);
        if (l > 1) {
            const gr_mlp_layer *below = &net->lay[l - 2];
            mul_d1(below->act, (R)below->alpha, batch, net->n[l - 1], net->h[l - 1], net->e[l - 1],
                   net->d[l - 1], NULL);
        }
    }
    /* penalty and ebar_0 (into p) */
    size_t n0 = net->n[0];
    double sum = 0.0;
    R *P = net->p, *Q = net->q;
    for (size_t i = 0; i < batch; i++) {
        const R *g = net->e[0] + i * n0;
        double nrm = sqrt(SUMSQ(g, n0));
        if (gnorm) gnorm[i] = (R)nrm;
        double ex = one_sided && nrm < 1.0 ? 0.0 : nrm - 1.0; /* max(0, |g| - 1) if one-sided */
        sum += ex * ex;
        double c = nrm > 0.0 ? lambda / (double)batch * 2.0 * ex / nrm : 0.0;
        for (size_t k = 0; k < n0; k++)
            P[i * n0 + k] = (R)(c * (double)g[k]);
    }
    if (penalty) *penalty = lambda * sum / (double)batch;
    /* first sweep, upward */
    size_t top = 0; /* highest layer with a non-zero abar */
    for (size_t l = 1; l <= L; l++) {
        const gr_mlp_layer *ly = &net->lay[l - 1];
        const R *W = net->params + ly->w_offset;
        GEMM_TN(net->n[l], net->n[l - 1], batch, (R)1, net->d[l], P, (R)1,
                net->grads + ly->w_offset);
        GEMM_NT(batch, net->n[l], net->n[l - 1], (R)1, P, W, (R)0, Q);
        if (net->has_d2[l]) top = l;
        if (net->has_d2[l] || l < L)
            gp_step(ly->act, (R)ly->alpha, batch, net->n[l], net->h[l], net->e[l], Q,
                    net->has_d2[l] ? net->r[l] : NULL, l < L);
        R *tmp = P;
        P = Q;
        Q = tmp;
    }
    /* second sweep, downward through the forward pass */
    for (size_t l = top; l >= 1; l--) {
        const gr_mlp_layer *ly = &net->lay[l - 1];
        GEMM_TN(net->n[l], net->n[l - 1], batch, (R)1, net->r[l], net->h[l - 1], (R)1,
                net->grads + ly->w_offset);
        COLSUM_ADD(batch, net->n[l], net->r[l], net->grads + ly->b_offset);
        if (l > 1) {
            const gr_mlp_layer *below = &net->lay[l - 2];
            GEMM_NN(batch, net->n[l - 1], net->n[l], (R)1, net->r[l], net->params + ly->w_offset,
                    (R)0, net->t);
            gp_acc(below->act, (R)below->alpha, batch, net->n[l - 1], net->h[l - 1], net->t,
                   net->r[l - 1], net->has_d2[l - 1]);
        }
    }
    return GR_OK;
}

int FN(gp)(MLP *net, double *penalty, R *gnorm, const R *xhat, size_t batch, double lambda,
           gr_error *err) {
    return gp_core(net, penalty, gnorm, xhat, batch, lambda, 0, err);
}

/* One-sided variant: (|g| - 1) replaced by max(0, |g| - 1) in the value and its gradient
 * (where |g| <= 1 the example contributes nothing). */
int FN(gp_one_sided)(MLP *net, double *penalty, R *gnorm, const R *xhat, size_t batch,
                     double lambda, gr_error *err) {
    return gp_core(net, penalty, gnorm, xhat, batch, lambda, 1, err);
}
