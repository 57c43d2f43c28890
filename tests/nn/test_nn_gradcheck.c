/* tests/nn/test_nn_gradcheck.c — finite-difference gradient checks, in double (gr_mlpd_*,
 * the same template source as the float network), of every pass and loss of nn/:
 *   - backward (parameter and input gradients) for every activation, hidden and output;
 *   - the input gradient grad_x f of scalar networks, every activation;
 *   - the WGAN-GP penalty's parameter gradient (double backprop) for every activation as
 *     hidden layer and several non-linear outputs, at fixed xhat (CLAIMS.md C30);
 *   - every loss on its logits, the D BCE and WGAN critic through D's parameters, and the
 *     generator losses through a frozen D into G's parameters (G -> D chain).
 *
 * Finite differences: central, theta_i +- h with h = 1e-6 (truncation ~ h^2 |f'''| ~ 1e-12,
 * rounding ~ eps |f| / h ~ 1e-10 for the O(1) objectives used here).
 * Error measure (robust near 0): normwise relative error in the max norm,
 *     rel(a, n) = max_i |a_i - n_i| / max(max_i |a_i|, max_i |n_i|)   (0 if both are 0),
 * so a component that is ~0 is judged against the gradient's scale, not its own size.
 * Pass: rel <= 1e-6 (CLAIMS.md C30). The worst errors measured are printed at the end.
 */
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "test.h"

#define FD_H    1e-6
#define FD_RTOL 1e-6

static gsl_rng *rng;
static double worst_backward, worst_input, worst_gp, worst_loss, worst_chain;

static double rel_err(const double *a, const double *b, size_t n) {
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= num)) num = d; /* NaN propagates */
        if (fabs(a[i]) > den) den = fabs(a[i]);
        if (fabs(b[i]) > den) den = fabs(b[i]);
    }
    return den > 0.0 ? num / den : num;
}

static double max_abs(const double *a, size_t n) {
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

static void fill_uniform(double *x, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * gsl_rng_uniform(rng);
}

/* Central differences of f(ctx) with respect to theta[0..n). */
typedef double (*objective)(void *ctx);
static void fd_grad(objective f, void *ctx, double *theta, size_t n, double *out) {
    for (size_t i = 0; i < n; i++) {
        double t = theta[i];
        theta[i] = t + FD_H;
        double fp = f(ctx);
        theta[i] = t - FD_H;
        double fm = f(ctx);
        theta[i] = t;
        out[i] = (fp - fm) / (2.0 * FD_H);
    }
}

static gr_mlp_spec make_spec(size_t in, size_t h1, size_t h2, size_t out, gr_act hact,
                             gr_act oact) {
    gr_mlp_spec s;
    memset(&s, 0, sizeof s);
    s.in_dim = in;
    s.n_hidden = h2 ? 2 : (h1 ? 1 : 0);
    s.hidden[0] = h1;
    s.hidden[1] = h2;
    s.out_dim = out;
    s.hidden_act = hact;
    s.hidden_alpha = hact == GR_ACT_LEAKY_RELU ? 0.2 : 1.0; /* lrelu 0.2, elu 1.0 */
    s.out_act = oact;
    s.out_alpha = oact == GR_ACT_LEAKY_RELU ? 0.3 : 0.7;
    return s;
}

static gr_mlpd *make_net(const gr_mlp_spec *s, size_t max_batch) {
    gr_mlpd *net = NULL;
    gr_error err;
    CHECK_OK(gr_mlpd_alloc(&net, s, max_batch, &err), &err);
    if (net) CHECK_OK(gr_mlpd_init(net, GR_INIT_TORCH, rng, &err), &err);
    /* wider weights than torch's default put pre-activations in the curved regions */
    if (net)
        for (size_t i = 0; i < gr_mlpd_n_params(net); i++)
            gr_mlpd_params(net)[i] *= 1.7;
    return net;
}

/* ---- backward ------------------------------------------------------------------------- */

struct bw_ctx {
    gr_mlpd *net;
    const double *x, *c;
    size_t batch;
};

static double bw_obj(void *p) { /* sum_ij c_ij y_ij */
    struct bw_ctx *b = p;
    gr_mlpd_forward(b->net, NULL, b->x, b->batch, NULL);
    const double *y = gr_mlpd_output(b->net);
    size_t n = b->batch * gr_mlpd_get_spec(b->net)->out_dim;
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += b->c[i] * y[i];
    return s;
}

static void check_backward(gr_act hact, gr_act oact) {
    const size_t B = 5;
    gr_mlp_spec s = make_spec(3, 6, 5, 2, hact, oact);
    gr_mlpd *net = make_net(&s, 8);
    if (!net) return;
    double x[5 * 3], c[5 * 2], dx[5 * 3], fdx[5 * 3];
    fill_uniform(x, 15, -2.0, 2.0);
    fill_uniform(c, 10, -1.0, 1.0);
    size_t np = gr_mlpd_n_params(net);
    double *fd = malloc(np * sizeof *fd);
    gr_error err;
    gr_mlpd_zero_grad(net);
    CHECK_OK(gr_mlpd_forward(net, NULL, x, B, &err), &err);
    CHECK_OK(gr_mlpd_backward(net, dx, c, B, &err), &err);
    struct bw_ctx ctx = {net, x, c, B};
    fd_grad(bw_obj, &ctx, gr_mlpd_params(net), np, fd);
    double e1 = rel_err(gr_mlpd_grads(net), fd, np);
    fd_grad(bw_obj, &ctx, x, 15, fdx);
    double e2 = rel_err(dx, fdx, 15);
    if (e1 > FD_RTOL || e2 > FD_RTOL)
        fprintf(stderr, "backward %s/%s: params %.3g input %.3g\n", gr_act_name(hact),
                gr_act_name(oact), e1, e2);
    CHECK(e1 <= FD_RTOL);
    CHECK(e2 <= FD_RTOL);
    CHECK(max_abs(fd, np) > 1e-3); /* the check is not vacuous */
    worst_backward = fmax(worst_backward, fmax(e1, e2));
    /* backward ADDS: a second call doubles the gradient; backward_input leaves it alone */
    double *g1 = malloc(np * sizeof *g1);
    gr_mlpd_zero_grad(net);
    CHECK_OK(gr_mlpd_forward(net, NULL, x, B, &err), &err); /* fresh cache: FD moved it */
    CHECK_OK(gr_mlpd_backward(net, NULL, c, B, &err), &err);
    memcpy(g1, gr_mlpd_grads(net), np * sizeof *g1);
    CHECK_OK(gr_mlpd_backward(net, NULL, c, B, &err), &err);
    for (size_t i = 0; i < np; i++)
        g1[i] *= 2.0;
    CHECK_ARRAY_CLOSE(gr_mlpd_grads(net), g1, np, 1e-14, 0.0);
    memcpy(g1, gr_mlpd_grads(net), np * sizeof *g1);
    double dx2[15];
    CHECK_OK(gr_mlpd_forward(net, NULL, x, B, &err), &err);
    CHECK_OK(gr_mlpd_backward_input(net, dx2, c, B, &err), &err);
    CHECK_ARRAY_CLOSE(gr_mlpd_grads(net), g1, np, 0.0, 0.0);
    CHECK_ARRAY_CLOSE(dx2, dx, 15, 1e-14, 0.0);
    free(g1);
    free(fd);
    gr_mlpd_free(net);
}

static void test_backward_every_activation(void) {
    for (int a = 0; a < GR_ACT_COUNT; a++)
        check_backward((gr_act)a, GR_ACT_IDENTITY);
    for (int a = 0; a < GR_ACT_COUNT; a++)
        check_backward(GR_ACT_TANH, (gr_act)a);
    check_backward(GR_ACT_SOFTPLUS, GR_ACT_SIGMOID);
}

/* ---- input gradient --------------------------------------------------------------------- */

struct ig_ctx {
    gr_mlpd *net;
    const double *x;
    size_t batch, row;
};

static double ig_obj(void *p) { /* f(x_row) */
    struct ig_ctx *c = p;
    gr_mlpd_forward(c->net, NULL, c->x, c->batch, NULL);
    return gr_mlpd_output(c->net)[c->row];
}

static void test_input_grad_every_activation(void) {
    const size_t B = 4, D = 3;
    for (int a = 0; a < GR_ACT_COUNT; a++) {
        gr_mlp_spec s = make_spec(D, 7, 5, 1, (gr_act)a, (gr_act)((a + 3) % GR_ACT_COUNT));
        gr_mlpd *net = make_net(&s, B);
        if (!net) return;
        double x[4 * 3], gx[4 * 3], fd[4 * 3], y[4];
        fill_uniform(x, B * D, -2.0, 2.0);
        gr_error err;
        gr_mlpd_zero_grad(net);
        CHECK_OK(gr_mlpd_forward(net, y, x, B, &err), &err);
        CHECK_OK(gr_mlpd_input_grad(net, gx, x, B, &err), &err);
        CHECK_ARRAY_CLOSE(gr_mlpd_output(net), y, B, 0.0, 0.0);
        for (size_t i = 0; i < gr_mlpd_n_params(net); i++)
            CHECK(gr_mlpd_grads(net)[i] == 0.0);
        for (size_t r = 0; r < B; r++) {
            struct ig_ctx c = {net, x, B, r};
            fd_grad(ig_obj, &c, x + r * D, D, fd + r * D);
        }
        double e = rel_err(gx, fd, B * D);
        if (e > FD_RTOL) fprintf(stderr, "input_grad %s: %.3g\n", gr_act_name((gr_act)a), e);
        CHECK(e <= FD_RTOL);
        worst_input = fmax(worst_input, e);
        gr_mlpd_free(net);
    }
}

/* ---- gradient penalty ------------------------------------------------------------------ */

struct gp_ctx {
    gr_mlpd *net;
    const double *xhat;
    size_t batch;
    double lambda;
};

static double gp_obj(void *p) {
    struct gp_ctx *c = p;
    double pen = NAN;
    gr_mlpd_gp(c->net, &pen, NULL, c->xhat, c->batch, c->lambda, NULL);
    return pen;
}

static void check_gp(gr_act hact, gr_act oact, size_t n_hidden_layers) {
    const size_t B = 6, D = 3;
    gr_mlp_spec s =
        make_spec(D, n_hidden_layers > 0 ? 7 : 0, n_hidden_layers > 1 ? 6 : 0, 1, hact, oact);
    gr_mlpd *net = make_net(&s, B);
    if (!net) return;
    double xhat[6 * 3], gn[6], gx[6 * 3];
    fill_uniform(xhat, B * D, -2.0, 2.0);
    size_t np = gr_mlpd_n_params(net);
    double *fd = malloc(np * sizeof *fd), *g1 = malloc(np * sizeof *g1);
    const double lambda = 2.385;
    gr_error err;
    double pen = NAN;
    gr_mlpd_zero_grad(net);
    CHECK_OK(gr_mlpd_gp(net, &pen, gn, xhat, B, lambda, &err), &err);
    /* the penalty value from the independently checked input gradient */
    CHECK_OK(gr_mlpd_input_grad(net, gx, xhat, B, &err), &err);
    double want = 0.0;
    for (size_t i = 0; i < B; i++) {
        double s2 = 0.0;
        for (size_t k = 0; k < D; k++)
            s2 += gx[i * D + k] * gx[i * D + k];
        CHECK_CLOSE(gn[i], sqrt(s2), 1e-14, 0.0);
        want += (sqrt(s2) - 1.0) * (sqrt(s2) - 1.0);
    }
    CHECK_CLOSE(pen, lambda * want / (double)B, 1e-14, 0.0);
    memcpy(g1, gr_mlpd_grads(net), np * sizeof *g1); /* the FD calls below add to grads */
    struct gp_ctx c = {net, xhat, B, lambda};
    fd_grad(gp_obj, &c, gr_mlpd_params(net), np, fd);
    double e = rel_err(g1, fd, np);
    char arch[128];
    gr_mlpd_describe(net, arch, sizeof arch);
    if (e > FD_RTOL) fprintf(stderr, "gp %s: %.3g\n", arch, e);
    CHECK(e <= FD_RTOL);
    CHECK(max_abs(fd, np) > 1e-3);
    worst_gp = fmax(worst_gp, e);
    /* gp ADDS into grads */
    gr_mlpd_zero_grad(net);
    CHECK_OK(gr_mlpd_gp(net, NULL, NULL, xhat, B, lambda, &err), &err);
    CHECK_OK(gr_mlpd_gp(net, NULL, NULL, xhat, B, lambda, &err), &err);
    for (size_t i = 0; i < np; i++)
        g1[i] *= 2.0;
    CHECK_ARRAY_CLOSE(gr_mlpd_grads(net), g1, np, 1e-13, 0.0);
    free(fd);
    free(g1);
    gr_mlpd_free(net);
}

static void test_gp_every_activation(void) {
    for (int a = 0; a < GR_ACT_COUNT; a++)
        check_gp((gr_act)a, GR_ACT_IDENTITY, 2);
    for (int a = 0; a < GR_ACT_COUNT; a++)
        check_gp(GR_ACT_RELU, (gr_act)a, 2);
    check_gp(GR_ACT_TANH, GR_ACT_SOFTPLUS, 2);
    check_gp(GR_ACT_ELU, GR_ACT_SIGMOID, 1);
    check_gp(GR_ACT_SIGMOID, GR_ACT_ELU, 2);
    check_gp(GR_ACT_IDENTITY, GR_ACT_IDENTITY, 1); /* linear critic: constant gradient */
    check_gp(GR_ACT_RELU, GR_ACT_TANH, 0);         /* one affine layer + tanh: f = tanh(w.x + b) */
    check_gp(GR_ACT_RELU, GR_ACT_SOFTPLUS, 0);
}

/* Closed form: a linear critic f(x) = w.x + b has grad_x f = w for every x, so
 * P = lambda (||w|| - 1)^2, dP/dw = 2 lambda (||w|| - 1) w / ||w||, dP/db = 0. */
static void test_gp_linear_closed_form(void) {
    gr_mlp_spec s = make_spec(3, 0, 0, 1, GR_ACT_RELU, GR_ACT_IDENTITY);
    gr_mlpd *net = make_net(&s, 4);
    if (!net) return;
    double *w = gr_mlpd_params(net);
    w[0] = 0.3, w[1] = -1.2, w[2] = 2.1, w[3] = 0.77;
    double x[4 * 3];
    fill_uniform(x, 12, -1, 1);
    double pen, nw = sqrt(0.09 + 1.44 + 4.41), lam = 10.0;
    gr_mlpd_zero_grad(net);
    gr_error err;
    CHECK_OK(gr_mlpd_gp(net, &pen, NULL, x, 4, lam, &err), &err);
    CHECK_CLOSE(pen, lam * (nw - 1) * (nw - 1), 1e-14, 0.0);
    double want[4] = {2 * lam * (nw - 1) * 0.3 / nw, 2 * lam * (nw - 1) * -1.2 / nw,
                      2 * lam * (nw - 1) * 2.1 / nw, 0.0};
    CHECK_ARRAY_CLOSE(gr_mlpd_grads(net), want, 4, 1e-14, 1e-15);
    gr_mlpd_free(net);
}

/* ---- losses ------------------------------------------------------------------------------ */

static void test_losses_on_logits(void) {
    const size_t n = 7;
    double lr[7], lf[7], gr_[7], gf[7], fd[7];
    fill_uniform(lr, n, -4, 4);
    fill_uniform(lf, n, -4, 4);
    gr_error err;
    double v;
    /* closed forms on the first element: mean softplus etc. */
    double want_bce = 0, want_mm = 0, want_ns = 0, want_w = 0, want_wg = 0;
    for (size_t i = 0; i < n; i++) {
        want_bce += (-log(1.0 / (1.0 + exp(-lr[i]))) - log(1.0 - 1.0 / (1.0 + exp(-lf[i])))) / 7;
        want_mm += log(1.0 - 1.0 / (1.0 + exp(-lf[i]))) / 7;
        want_ns += -log(1.0 / (1.0 + exp(-lf[i]))) / 7;
        want_w += (lf[i] - lr[i]) / 7;
        want_wg += -lf[i] / 7;
    }
    CHECK_OK(gr_lossd_d_bce(&v, gr_, gf, lr, n, lf, n, &err), &err);
    CHECK_CLOSE(v, want_bce, 1e-13, 0);
    CHECK_OK(gr_lossd_g_minimax(&v, gf, lf, n, &err), &err);
    CHECK_CLOSE(v, want_mm, 1e-13, 0);
    CHECK_OK(gr_lossd_g_nonsat(&v, gf, lf, n, &err), &err);
    CHECK_CLOSE(v, want_ns, 1e-13, 0);
    CHECK_OK(gr_lossd_wgan_critic(&v, gr_, gf, lr, n, lf, n, &err), &err);
    CHECK_CLOSE(v, want_w, 1e-14, 1e-15);
    CHECK_OK(gr_lossd_wgan_gen(&v, gf, lf, n, &err), &err);
    CHECK_CLOSE(v, want_wg, 1e-14, 1e-15);
    /* gradients by central differences, one loss at a time */
    for (int which = 0; which < 5; which++) {
        double ga[7], gb[7], fa[7], fb[7];
        for (int side = 0; side < 2; side++) {
            double *xs = side ? lf : lr;
            for (size_t i = 0; i < n; i++) {
                double t = xs[i], vp = 0, vm = 0;
                for (int sg = 0; sg < 2; sg++) {
                    xs[i] = t + (sg ? -FD_H : FD_H);
                    double val = 0;
                    switch (which) {
                    case 0: gr_lossd_d_bce(&val, NULL, NULL, lr, n, lf, n, NULL); break;
                    case 1: gr_lossd_g_minimax(&val, NULL, lf, n, NULL); break;
                    case 2: gr_lossd_g_nonsat(&val, NULL, lf, n, NULL); break;
                    case 3: gr_lossd_wgan_critic(&val, NULL, NULL, lr, n, lf, n, NULL); break;
                    case 4: gr_lossd_wgan_gen(&val, NULL, lf, n, NULL); break;
                    }
                    if (sg)
                        vm = val;
                    else
                        vp = val;
                }
                xs[i] = t;
                (side ? fb : fa)[i] = (vp - vm) / (2 * FD_H);
            }
        }
        memset(ga, 0, sizeof ga);
        switch (which) {
        case 0: gr_lossd_d_bce(&v, ga, gb, lr, n, lf, n, NULL); break;
        case 1: gr_lossd_g_minimax(&v, gb, lf, n, NULL); break;
        case 2: gr_lossd_g_nonsat(&v, gb, lf, n, NULL); break;
        case 3: gr_lossd_wgan_critic(&v, ga, gb, lr, n, lf, n, NULL); break;
        case 4: gr_lossd_wgan_gen(&v, gb, lf, n, NULL); break;
        }
        double e = fmax(rel_err(ga, fa, n), rel_err(gb, fb, n));
        CHECK(e <= FD_RTOL);
        worst_loss = fmax(worst_loss, e);
        (void)fd;
    }
}

/* Saturated logits: no overflow, no log(0); values and gradients from the asymptotics
 * softplus(u) = u + e^{-u} (u >> 0), e^{u} (u << 0). */
static void test_losses_extreme_logits(void) {
    float l[4] = {800.0f, -800.0f, 40.0f, -40.0f}, g[4];
    double v;
    gr_error err;
    CHECK_OK(gr_loss_g_nonsat(&v, g, l, 4, &err), &err); /* mean softplus(-l) */
    CHECK_CLOSE(v, (0.0 + 800.0 + exp(-40.0) + 40.0) / 4, 1e-15, 0);
    CHECK_CLOSE(g[0], 0.0, 0, 0);
    CHECK_CLOSE(g[1], -0.25, 1e-7, 0);
    CHECK_CLOSE(g[2], -exp(-40.0) / 4, 1e-6, 0);
    CHECK_OK(gr_loss_g_minimax(&v, g, l, 4, &err), &err); /* -mean softplus(l) */
    CHECK_CLOSE(v, -(800.0 + 0.0 + 40.0 + exp(-40.0)) / 4, 1e-15, 0);
    CHECK_CLOSE(g[1], 0.0, 0, 0);
    CHECK_CLOSE(g[3], -exp(-40.0) / 4, 1e-6, 0); /* the saturated MM gradient, not 0 */
    float lf[1] = {-800.0f}, gf[1], gr1[1];
    CHECK_OK(gr_loss_d_bce(&v, gr1, gf, l, 1, lf, 1, &err), &err);
    CHECK_CLOSE(v, 0.0, 0, 0);
    float bad[2] = {1.0f, NAN};
    CHECK_STATUS(gr_loss_g_nonsat(&v, g, bad, 2, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "[1]");
    CHECK_STATUS(gr_loss_wgan_gen(&v, g, l, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_wgan_critic(&v, NULL, NULL, NULL, 3, l, 1, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "real");
}

/* D-side losses through D's parameters: real and fake rows in one batch (one cache). */
struct dl_ctx {
    gr_mlpd *d;
    const double *x; /* (nr + nf) x dim, real first */
    size_t nr, nf;
    int wgan;
};

static double dl_obj(void *p) {
    struct dl_ctx *c = p;
    double v = NAN;
    gr_mlpd_forward(c->d, NULL, c->x, c->nr + c->nf, NULL);
    const double *o = gr_mlpd_output(c->d);
    if (c->wgan)
        gr_lossd_wgan_critic(&v, NULL, NULL, o, c->nr, o + c->nr, c->nf, NULL);
    else
        gr_lossd_d_bce(&v, NULL, NULL, o, c->nr, o + c->nr, c->nf, NULL);
    return v;
}

static void test_d_losses_through_d(void) {
    for (int wgan = 0; wgan < 2; wgan++) {
        gr_mlp_spec s =
            make_spec(2, 8, 6, 1, wgan ? GR_ACT_RELU : GR_ACT_LEAKY_RELU, GR_ACT_IDENTITY);
        gr_mlpd *d = make_net(&s, 9);
        if (!d) return;
        const size_t nr = 4, nf = 5;
        double x[9 * 2], dy[9];
        fill_uniform(x, 18, -2, 2);
        gr_error err;
        double v;
        gr_mlpd_zero_grad(d);
        CHECK_OK(gr_mlpd_forward(d, NULL, x, nr + nf, &err), &err);
        const double *o = gr_mlpd_output(d);
        if (wgan)
            CHECK_OK(gr_lossd_wgan_critic(&v, dy, dy + nr, o, nr, o + nr, nf, &err), &err);
        else
            CHECK_OK(gr_lossd_d_bce(&v, dy, dy + nr, o, nr, o + nr, nf, &err), &err);
        CHECK_OK(gr_mlpd_backward(d, NULL, dy, nr + nf, &err), &err);
        size_t np = gr_mlpd_n_params(d);
        double *fd = malloc(np * sizeof *fd);
        struct dl_ctx c = {d, x, nr, nf, wgan};
        fd_grad(dl_obj, &c, gr_mlpd_params(d), np, fd);
        double e = rel_err(gr_mlpd_grads(d), fd, np);
        CHECK(e <= FD_RTOL);
        worst_chain = fmax(worst_chain, e);
        free(fd);
        gr_mlpd_free(d);
    }
}

/* Generator losses through a frozen D into G's parameters. */
struct gl_ctx {
    gr_mlpd *g, *d;
    const double *z;
    size_t n;
    int which; /* 0 minimax, 1 non-saturating, 2 wgan */
};

static double gl_obj(void *p) {
    struct gl_ctx *c = p;
    double v = NAN;
    gr_mlpd_forward(c->g, NULL, c->z, c->n, NULL);
    gr_mlpd_forward(c->d, NULL, gr_mlpd_output(c->g), c->n, NULL);
    const double *o = gr_mlpd_output(c->d);
    if (c->which == 0)
        gr_lossd_g_minimax(&v, NULL, o, c->n, NULL);
    else if (c->which == 1)
        gr_lossd_g_nonsat(&v, NULL, o, c->n, NULL);
    else
        gr_lossd_wgan_gen(&v, NULL, o, c->n, NULL);
    return v;
}

static void test_g_losses_through_frozen_d(void) {
    for (int which = 0; which < 3; which++) {
        gr_mlp_spec gs = make_spec(2, 6, 5, 3, GR_ACT_RELU, GR_ACT_TANH);
        gr_mlp_spec ds =
            make_spec(3, 7, 0, 1, which == 2 ? GR_ACT_SOFTPLUS : GR_ACT_TANH, GR_ACT_IDENTITY);
        gr_mlpd *g = make_net(&gs, 6), *d = make_net(&ds, 6);
        if (!g || !d) return;
        const size_t n = 6;
        double z[6 * 2], dl[6], dxg[6 * 3], v;
        fill_uniform(z, 12, -1.5, 1.5);
        gr_error err;
        gr_mlpd_zero_grad(g);
        gr_mlpd_zero_grad(d);
        CHECK_OK(gr_mlpd_forward(g, NULL, z, n, &err), &err);
        CHECK_OK(gr_mlpd_forward(d, NULL, gr_mlpd_output(g), n, &err), &err);
        const double *o = gr_mlpd_output(d);
        if (which == 0)
            CHECK_OK(gr_lossd_g_minimax(&v, dl, o, n, &err), &err);
        else if (which == 1)
            CHECK_OK(gr_lossd_g_nonsat(&v, dl, o, n, &err), &err);
        else
            CHECK_OK(gr_lossd_wgan_gen(&v, dl, o, n, &err), &err);
        CHECK_OK(gr_mlpd_backward_input(d, dxg, dl, n, &err), &err);
        CHECK_OK(gr_mlpd_backward(g, NULL, dxg, n, &err), &err);
        size_t np = gr_mlpd_n_params(g);
        double *fd = malloc(np * sizeof *fd);
        struct gl_ctx c = {g, d, z, n, which};
        fd_grad(gl_obj, &c, gr_mlpd_params(g), np, fd);
        double e = rel_err(gr_mlpd_grads(g), fd, np);
        if (e > FD_RTOL) fprintf(stderr, "G loss %d: %.3g\n", which, e);
        CHECK(e <= FD_RTOL);
        CHECK(max_abs(fd, np) > 1e-4);
        worst_chain = fmax(worst_chain, e);
        for (size_t i = 0; i < gr_mlpd_n_params(d); i++)
            CHECK(gr_mlpd_grads(d)[i] == 0.0);
        free(fd);
        gr_mlpd_free(g);
        gr_mlpd_free(d);
    }
}

int main(void) {
    gr_core_init();
    CHECK_OK(gr_rng_alloc(&rng, 4242, GR_STREAM_TEST, NULL), NULL);
    RUN(test_backward_every_activation);
    RUN(test_input_grad_every_activation);
    RUN(test_gp_every_activation);
    RUN(test_gp_linear_closed_form);
    RUN(test_losses_on_logits);
    RUN(test_losses_extreme_logits);
    RUN(test_d_losses_through_d);
    RUN(test_g_losses_through_frozen_d);
    printf("worst normwise relative FD errors (h = %g, limit %g): backward %.2e, input grad "
           "%.2e, gp %.2e, losses %.2e, D/G chains %.2e\n",
           FD_H, FD_RTOL, worst_backward, worst_input, worst_gp, worst_loss, worst_chain);
    gr_rng_free(rng);
    return TEST_MAIN_END();
}
