/* tests/nn/test_loss_ce.c — the softmax cross-entropy loss of nn/loss.h (the MNIST
 * classifier's training loss): closed-form values, a central-difference gradient check in
 * double, float against double, stability at extreme logits, every error path.
 *
 * Finite differences: central, h = 1e-6, as tests/nn/test_nn_gradcheck.c (truncation
 * ~h^2 |f'''| ~ 1e-12, rounding ~eps |f| / h ~ 1e-10 for these O(1) losses); pass when the
 * normwise relative error (max norm) is <= 1e-6.
 */
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "nn/loss.h"
#include "test.h"

#define FD_H    1e-6
#define FD_RTOL 1e-6

/* k equal logits: softmax is uniform, the loss is log k whatever the label; the gradient
 * is (1/k - [j == y]) / n. */
static void test_uniform_logits(void) {
    gr_error err;
    enum { N = 3, K = 7 };
    double l[N * K], g[N * K], v = 0.0;
    unsigned char y[N] = {0, 6, 3};
    for (size_t i = 0; i < N * K; i++)
        l[i] = 2.385;
    CHECK_OK(gr_lossd_softmax_ce(&v, g, l, y, N, K, &err), &err);
    CHECK_CLOSE(v, log((double)K), 1e-15, 0.0);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            CHECK_CLOSE(g[i * K + j], (1.0 / K - (j == y[i] ? 1.0 : 0.0)) / N, 1e-14, 0.0);
}

/* k = 2: CE = softplus(l_other - l_label), the logistic loss (an independent form). */
static void test_two_classes_is_logistic(void) {
    gr_error err;
    double l[6] = {0.3, -1.7, 4.25, 2.0, -0.5, -0.5};
    unsigned char y[3] = {1, 0, 1};
    double v = 0.0, want = 0.0;
    CHECK_OK(gr_lossd_softmax_ce(&v, NULL, l, y, 3, 2, &err), &err);
    for (size_t i = 0; i < 3; i++) {
        double u = l[2 * i + (1 - y[i])] - l[2 * i + y[i]];
        want += log1p(exp(u));
    }
    CHECK_CLOSE(v, want / 3.0, 1e-15, 0.0);
}

/* lf = (float)l, then ld = (double)lf in a function of its own. GCC 12.2 at -O3 folds the
 * round trip (double)(float)x back to x when the float stores and the widening loads are
 * in one function (the scalar epilogue of the vectorised loop: elements 48 and 49 of 50
 * came out unrounded, also with the two loops separate). */
__attribute__((noinline)) static void widen(double *ld, const float *lf, size_t n) {
    for (size_t i = 0; i < n; i++)
        ld[i] = (double)lf[i];
}

__attribute__((noinline)) static void narrow(float *lf, const double *l, size_t n) {
    for (size_t i = 0; i < n; i++)
        lf[i] = (float)l[i];
}

static void test_gradient_fd(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 20261201, GR_STREAM_TEST, &err), &err);
    if (!r) return;
    enum { N = 5, K = 10 };
    double l[N * K], g[N * K], fd[N * K];
    unsigned char y[N];
    for (size_t i = 0; i < N * K; i++)
        l[i] = -4.0 + 8.0 * gsl_rng_uniform(r);
    for (size_t i = 0; i < N; i++)
        y[i] = (unsigned char)gsl_rng_uniform_int(r, K);
    double v = 0.0;
    CHECK_OK(gr_lossd_softmax_ce(&v, g, l, y, N, K, &err), &err);
    for (size_t i = 0; i < N * K; i++) {
        double t = l[i], fp = 0.0, fm = 0.0;
        l[i] = t + FD_H;
        gr_lossd_softmax_ce(&fp, NULL, l, y, N, K, NULL);
        l[i] = t - FD_H;
        gr_lossd_softmax_ce(&fm, NULL, l, y, N, K, NULL);
        l[i] = t;
        fd[i] = (fp - fm) / (2.0 * FD_H);
    }
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < N * K; i++) {
        num = fmax(num, fabs(g[i] - fd[i]));
        den = fmax(den, fmax(fabs(g[i]), fabs(fd[i])));
    }
    CHECK(den > 0.0 && num / den <= FD_RTOL);
    printf("softmax CE: worst normwise FD error %.3g\n", num / den);
    /* each row's gradient sums to 0 (softmax sums to 1) */
    for (size_t i = 0; i < N; i++) {
        double s = 0.0;
        for (size_t j = 0; j < K; j++)
            s += g[i * K + j];
        CHECK_CLOSE(s, 0.0, 0.0, 1e-16);
    }

    /* float twin: same formula in double on the float inputs, results rounded once */
    float lf[N * K], gf[N * K];
    double ld[N * K], gd[N * K], vf = 0.0, vd = 0.0;
    narrow(lf, l, (size_t)(N * K));
    widen(ld, lf, (size_t)(N * K));
    CHECK_OK(gr_loss_softmax_ce(&vf, gf, lf, y, N, K, &err), &err);
    CHECK_OK(gr_lossd_softmax_ce(&vd, gd, ld, y, N, K, &err), &err);
    CHECK(vf == vd);
    CHECK_ARRAY_CLOSE(gf, gd, (size_t)(N * K), 6e-8, 1e-12);
    gr_rng_free(r);
}

/* logits far apart: no overflow, no log(0). */
static void test_extreme_logits(void) {
    gr_error err;
    float l[4] = {1000.0f, -1000.0f, -1000.0f, 1000.0f};
    unsigned char y[2] = {0, 0};
    float g[4];
    double v = -1.0;
    CHECK_OK(gr_loss_softmax_ce(&v, g, l, y, 2, 2, &err), &err);
    CHECK_CLOSE(v, 1000.0, 1e-15, 0.0); /* row 0: 0; row 1: 2000; mean 1000 */
    CHECK(g[0] == 0.0f && g[1] == 0.0f);
    CHECK(g[2] == -0.5f && g[3] == 0.5f);
}

static void test_errors(void) {
    gr_error err;
    float l[4] = {0.0f, 1.0f, 2.0f, 3.0f}, g[4];
    unsigned char y[2] = {0, 1}, bad[2] = {0, 2};
    double v;
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, y, 0, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, NULL, y, 2, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, NULL, 2, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, y, 2, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, y, 1, 257, &err), GR_EINVAL);
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, bad, 2, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "label[1] = 2");
    l[3] = NAN;
    CHECK_STATUS(gr_loss_softmax_ce(&v, g, l, y, 2, 2, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "logits[1][1]");
}

int main(void) {
    RUN(test_uniform_logits);
    RUN(test_two_classes_is_logistic);
    RUN(test_gradient_fd);
    RUN(test_extreme_logits);
    RUN(test_errors);
    return TEST_MAIN_END();
}
