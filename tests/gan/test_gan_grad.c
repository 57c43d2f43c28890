/* tests/gan/test_gan_grad.c — gradients of every method's losses, for both nets.
 *
 * 1. Finite differences in double (gr_mlpd_*, the template twin of the float nets) of the
 *    objectives gan/ adds on top of nn/'s already-checked losses: the one-sided WGAN-GP
 *    penalty (with examples on both sides of ||g|| = 1), the full WGAN-GP critic loss
 *    f_g - f_r + penalty (two- and one-sided), and the generator losses seen through
 *    instance noise, L(theta_G) = loss(D(G(z) + e')) for the minimax and non-saturating
 *    losses (A&B Thm 3.2 form). Central differences h = 1e-6, normwise relative error in the
 *    max norm <= 1e-6 (as tests/nn/test_nn_gradcheck.c; tanh nets, so no kinks).
 * 2. The trainer's composition: one step of gr_gan_trainer_step with plain SGD (lr 1, so the
 *    parameter change is minus the gradient the trainer used) for each of the five methods,
 *    against the double twin recomputing the same batch from the same streams (seed, id):
 *    real rows, z, instance noise, interpolation epsilon. Float against double: normwise
 *    relative error <= 1e-4 (float rounding of a few hundred-term sums is ~1e-6; a wrong
 *    sign, a missing term or a wrong stream gives O(1)).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "gan/trainer.h"
#include "gan_test_util.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "test.h"

#define FD_H    1e-6
#define FD_RTOL 1e-6

static double rel_err(const double *a, const double *b, size_t n) {
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= num)) num = d;
        if (fabs(a[i]) > den) den = fabs(a[i]);
        if (fabs(b[i]) > den) den = fabs(b[i]);
    }
    return den > 0.0 ? num / den : num;
}

static gr_mlp_spec spec(size_t in, size_t h, size_t out) {
    gr_mlp_spec s;
    memset(&s, 0, sizeof s);
    s.in_dim = in;
    s.n_hidden = 2;
    s.hidden[0] = s.hidden[1] = h;
    s.out_dim = out;
    s.hidden_act = GR_ACT_TANH;
    s.out_act = GR_ACT_IDENTITY;
    return s;
}

enum { NB = 6, XD = 2, ZD = 3 };

typedef struct {
    gr_mlpd *g, *d;
    double z[NB * ZD], e[NB * XD], real[NB * XD], fake[NB * XD], xhat[NB * XD];
    double x2[2 * NB * XD], out[2 * NB], dy[2 * NB], dx[NB * XD];
    int which; /* generator: 0 minimax, 1 nonsat; critic: 0 two-sided, 1 one-sided */
    double lambda;
} fd_ctx;

/* generator objective through noise; gradient into G's grads if grad */
static double gen_obj(fd_ctx *c, int grad) {
    gr_mlpd_forward(c->g, c->fake, c->z, NB, NULL);
    for (size_t i = 0; i < NB * XD; i++)
        c->fake[i] += c->e[i];
    gr_mlpd_forward(c->d, c->out, c->fake, NB, NULL);
    double loss;
    if (c->which == 0)
        gr_lossd_g_minimax(&loss, c->dy, c->out, NB, NULL);
    else
        gr_lossd_g_nonsat(&loss, c->dy, c->out, NB, NULL);
    if (grad) {
        gr_mlpd_backward_input(c->d, c->dx, c->dy, NB, NULL);
        gr_mlpd_zero_grad(c->g);
        gr_mlpd_backward(c->g, NULL, c->dx, NB, NULL);
    }
    return loss;
}

/* critic objective mean f(fake) - mean f(real) + penalty at xhat; gradient into D's grads */
static double critic_obj(fd_ctx *c, int grad, double *gnorm) {
    memcpy(c->x2, c->real, sizeof c->real);
    memcpy(c->x2 + NB * XD, c->fake, sizeof c->fake);
    gr_mlpd_zero_grad(c->d);
    gr_mlpd_forward(c->d, c->out, c->x2, 2 * NB, NULL);
    double loss, pen;
    gr_lossd_wgan_critic(&loss, c->dy, c->dy + NB, c->out, NB, c->out + NB, NB, NULL);
    if (grad) gr_mlpd_backward(c->d, NULL, c->dy, 2 * NB, NULL);
    if (c->which == 0)
        gr_mlpd_gp(c->d, &pen, gnorm, c->xhat, NB, c->lambda, NULL);
    else
        gr_mlpd_gp_one_sided(c->d, &pen, gnorm, c->xhat, NB, c->lambda, NULL);
    return loss + pen;
}

static void setup(fd_ctx *c, gsl_rng *r) {
    gr_mlp_spec gs = spec(ZD, 7, XD), ds = spec(XD, 8, 1);
    CHECK_OK(gr_mlpd_alloc(&c->g, &gs, 2 * NB, NULL), NULL);
    CHECK_OK(gr_mlpd_alloc(&c->d, &ds, 2 * NB, NULL), NULL);
    CHECK_OK(gr_mlpd_init(c->g, GR_INIT_TORCH, r, NULL), NULL);
    CHECK_OK(gr_mlpd_init(c->d, GR_INIT_TORCH, r, NULL), NULL);
    double *pd = gr_mlpd_params(c->d);
    for (size_t i = 0; i < gr_mlpd_n_params(c->d); i++)
        pd[i] *= 4.0; /* steeper critic: input-gradient norms on both sides of 1 */
    for (size_t i = 0; i < NB * ZD; i++)
        c->z[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < NB * XD; i++) {
        c->e[i] = gsl_ran_gaussian(r, 0.3);
        c->real[i] = gsl_ran_gaussian(r, 1.0) + 1.0;
        c->fake[i] = gsl_ran_gaussian(r, 0.5);
        c->xhat[i] = gsl_ran_gaussian(r, 0.8);
    }
    c->lambda = 10.0;
}

static void fd_params(double *theta, size_t n, double *out, fd_ctx *c, int gen) {
    for (size_t i = 0; i < n; i++) {
        double t = theta[i];
        theta[i] = t + FD_H;
        double fp = gen ? gen_obj(c, 0) : critic_obj(c, 0, NULL);
        theta[i] = t - FD_H;
        double fm = gen ? gen_obj(c, 0) : critic_obj(c, 0, NULL);
        theta[i] = t;
        out[i] = (fp - fm) / (2.0 * FD_H);
    }
}

static void test_fd_noisy_generator(void) {
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 3, GR_STREAM_TEST, NULL), NULL);
    fd_ctx c;
    memset(&c, 0, sizeof c);
    setup(&c, r);
    size_t n = gr_mlpd_n_params(c.g);
    double *fd = malloc(n * sizeof(double)), *an = malloc(n * sizeof(double));
    for (int w = 0; w < 2; w++) {
        c.which = w;
        gen_obj(&c, 1);
        memcpy(an, gr_mlpd_grads(c.g), n * sizeof(double));
        fd_params(gr_mlpd_params(c.g), n, fd, &c, 1);
        double e = rel_err(an, fd, n);
        if (!(e <= FD_RTOL)) fprintf(stderr, "noisy G loss %d: rel err %g\n", w, e);
        CHECK(e <= FD_RTOL);
    }
    free(fd);
    free(an);
    gr_mlpd_free(c.g);
    gr_mlpd_free(c.d);
    gr_rng_free(r);
}

static void test_fd_critic_penalties(void) {
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4, GR_STREAM_TEST, NULL), NULL);
    fd_ctx c;
    memset(&c, 0, sizeof c);
    setup(&c, r);
    size_t n = gr_mlpd_n_params(c.d);
    double *fd = malloc(n * sizeof(double)), *an = malloc(n * sizeof(double));
    double gn[NB];
    for (int w = 0; w < 2; w++) {
        c.which = w;
        critic_obj(&c, 1, gn);
        memcpy(an, gr_mlpd_grads(c.d), n * sizeof(double));
        fd_params(gr_mlpd_params(c.d), n, fd, &c, 0);
        double e = rel_err(an, fd, n);
        if (!(e <= FD_RTOL)) fprintf(stderr, "critic loss, one_sided %d: rel err %g\n", w, e);
        CHECK(e <= FD_RTOL);
    }
    int below = 0, above = 0;
    for (int i = 0; i < NB; i++) {
        below += gn[i] < 1.0;
        above += gn[i] > 1.0;
    }
    CHECK(below > 0 && above > 0); /* both branches of max(0, |g| - 1) exercised */
    /* one-sided penalty value against its definition */
    double pen1, pen2, gn2[NB];
    gr_mlpd_gp_one_sided(c.d, &pen1, gn2, c.xhat, NB, 2.5, NULL);
    gr_mlpd_gp(c.d, &pen2, NULL, c.xhat, NB, 2.5, NULL);
    double want1 = 0.0, want2 = 0.0;
    for (int i = 0; i < NB; i++) {
        double ex = gn2[i] > 1.0 ? gn2[i] - 1.0 : 0.0;
        want1 += 2.5 * ex * ex / NB;
        want2 += 2.5 * (gn2[i] - 1.0) * (gn2[i] - 1.0) / NB;
    }
    CHECK_CLOSE(pen1, want1, 1e-14, 0);
    CHECK_CLOSE(pen2, want2, 1e-14, 0);
    CHECK(pen1 < pen2);
    free(fd);
    free(an);
    gr_mlpd_free(c.g);
    gr_mlpd_free(c.d);
    gr_rng_free(r);
}

/* ---- 2. the trainer's composition against the double twin ---------------------------------- */

static void to_double(double *out, const float *in, size_t n) {
    for (size_t i = 0; i < n; i++)
        out[i] = (double)in[i];
}

static void check_update(const char *what, gr_gan_method m, const float *p0, const float *p1,
                         const double *grad, size_t n) {
    double *step = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        step[i] = (double)p0[i] - (double)p1[i]; /* SGD lr 1: -delta = gradient */
    double e = rel_err(step, grad, n), mx = 0.0;
    for (size_t i = 0; i < n; i++)
        mx = fabs(grad[i]) > mx ? fabs(grad[i]) : mx;
    if (!(e <= 1e-4 && mx > 1e-6))
        fprintf(stderr, "%s %s: rel err %g, max |grad| %g\n", gr_gan_method_name(m), what, e, mx);
    CHECK(e <= 1e-4);
    CHECK(mx > 1e-6); /* a real update, not two zeros agreeing */
    free(step);
}

static void trainer_reference(gr_gan_method m) {
    enum { B = 16 };
    const uint64_t seed = 77;
    gr_gan_config c = gr_gan_config_default(m, 2);
    c.g_spec = spec(2, 12, 2);
    c.d_spec = spec(2, 16, 1);
    c.batch = B;
    c.n_critic = 1;
    c.probe.probe_batch = B;
    c.g_optim = gr_optim_config_default(GR_OPTIM_SGD);
    c.g_optim.lr = 1.0;
    c.d_optim = c.g_optim;
    c.g_init = c.d_init = GR_INIT_TORCH;
    c.clip = 100.0; /* inactive here: clipping has its own test */
    if (m == GR_GAN_IN) {
        c.sigma.kind = GR_GAN_SIGMA_CONSTANT;
        c.sigma.sigma0 = 0.4;
    }
    double mu[2] = {1.5, -0.5};
    gr_sampler *data = gt_gauss_alloc(2, mu, 0.3, 0);
    gr_gan_trainer *t = NULL;
    CHECK_OK(gr_gan_trainer_alloc(&t, &c, data, seed, NULL), NULL);
    if (!t) {
        gr_sampler_free(data);
        return;
    }
    gr_mlp *g = gr_gan_trainer_g(t), *d = gr_gan_trainer_d(t);
    size_t ng = gr_mlp_n_params(g), nd = gr_mlp_n_params(d);
    float *g0 = malloc(ng * sizeof(float)), *d0 = malloc(nd * sizeof(float));
    memcpy(g0, gr_mlp_params(g), ng * sizeof(float));
    memcpy(d0, gr_mlp_params(d), nd * sizeof(float));
    gr_error err;
    memset(&err, 0, sizeof err);
    CHECK_OK(gr_gan_trainer_step(t, &err), &err);

    gr_mlpd *gd = NULL, *dd = NULL;
    CHECK_OK(gr_mlpd_alloc(&gd, &c.g_spec, B, NULL), NULL);
    CHECK_OK(gr_mlpd_alloc(&dd, &c.d_spec, 2 * B, NULL), NULL);
    to_double(gr_mlpd_params(gd), g0, ng);
    to_double(gr_mlpd_params(dd), d0, nd);
    gsl_rng *rd = NULL, *rp = NULL, *ri = NULL, *rn = NULL;
    gr_rng_alloc(&rd, seed, GR_STREAM_DATA, NULL);
    gr_rng_alloc(&rp, seed, GR_STREAM_PRIOR, NULL);
    gr_rng_alloc(&ri, seed, GR_STREAM_INTERP, NULL);
    gr_rng_alloc(&rn, seed, GR_STREAM_INSTANCE, NULL);
    double x[2 * B * 2], z[B * 2], out[2 * B], dy[2 * B], dx[B * 2], xhat[B * 2];
    CHECK_OK(gr_sampler_sample(data, rd, B, x, NULL), NULL);
    for (size_t i = 0; i < 2 * B; i++)
        x[i] = (double)(float)x[i]; /* the trainer samples in float */
    for (size_t i = 0; i < 2 * B; i++)
        z[i] = (double)(float)gsl_ran_gaussian_ziggurat(rp, 1.0);
    gr_mlpd_forward(gd, x + 2 * B, z, B, NULL);
    double sigma = m == GR_GAN_IN ? 0.4 : 0.0;
    if (sigma > 0)
        for (size_t i = 0; i < 4 * B; i++)
            x[i] += gsl_ran_gaussian_ziggurat(rn, sigma);
    gr_mlpd_zero_grad(dd);
    gr_mlpd_forward(dd, out, x, 2 * B, NULL);
    double loss;
    int wgan = gr_gan_method_is_wgan(m);
    if (wgan)
        gr_lossd_wgan_critic(&loss, dy, dy + B, out, B, out + B, B, NULL);
    else
        gr_lossd_d_bce(&loss, dy, dy + B, out, B, out + B, B, NULL);
    gr_mlpd_backward(dd, NULL, dy, 2 * B, NULL);
    if (m == GR_WGAN_GP) {
        for (size_t i = 0; i < B; i++) {
            double e = (double)(float)gsl_rng_uniform(ri);
            for (size_t k = 0; k < 2; k++)
                xhat[i * 2 + k] = e * x[i * 2 + k] + (1.0 - e) * x[2 * B + i * 2 + k];
        }
        double pen;
        gr_mlpd_gp(dd, &pen, NULL, xhat, B, c.gp_lambda, NULL);
    }
    check_update("critic update", m, d0, gr_mlp_params(d), gr_mlpd_grads(dd), nd);
    /* G step through the updated D */
    to_double(gr_mlpd_params(dd), gr_mlp_params(d), nd);
    for (size_t i = 0; i < 2 * B; i++)
        z[i] = (double)(float)gsl_ran_gaussian_ziggurat(rp, 1.0);
    double fake[B * 2];
    gr_mlpd_forward(gd, fake, z, B, NULL);
    if (sigma > 0 && c.g_sees_noise)
        for (size_t i = 0; i < 2 * B; i++)
            fake[i] += gsl_ran_gaussian_ziggurat(rn, sigma);
    gr_mlpd_forward(dd, out, fake, B, NULL);
    if (wgan)
        gr_lossd_wgan_gen(&loss, dy, out, B, NULL);
    else if (c.g_loss == GR_GAN_GLOSS_NONSAT)
        gr_lossd_g_nonsat(&loss, dy, out, B, NULL);
    else
        gr_lossd_g_minimax(&loss, dy, out, B, NULL);
    gr_mlpd_backward_input(dd, dx, dy, B, NULL);
    gr_mlpd_zero_grad(gd);
    gr_mlpd_backward(gd, NULL, dx, B, NULL);
    check_update("generator update", m, g0, gr_mlp_params(g), gr_mlpd_grads(gd), ng);
    CHECK_CLOSE(gr_gan_trainer_last(t)->g_loss, loss, 1e-4, 1e-6);
    gr_rng_free(rd);
    gr_rng_free(rp);
    gr_rng_free(ri);
    gr_rng_free(rn);
    gr_mlpd_free(gd);
    gr_mlpd_free(dd);
    free(g0);
    free(d0);
    gr_gan_trainer_free(t);
    gr_sampler_free(data);
}

static void test_trainer_matches_double_reference(void) {
    for (int m = 0; m < GR_GAN_N_METHODS; m++)
        trainer_reference((gr_gan_method)m);
}

int main(void) {
    RUN(test_fd_noisy_generator);
    RUN(test_fd_critic_penalties);
    RUN(test_trainer_matches_double_reference);
    return TEST_MAIN_END();
}
