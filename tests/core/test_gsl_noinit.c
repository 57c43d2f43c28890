/* tests/core/test_gsl_noinit.c — the library never reaches GSL's aborting error handler,
 * whether or not gr_core_init() was called (issue 8, item 3).
 *
 * This program deliberately NEVER calls gr_core_init() (tests/test.h does not either): it
 * is a user who links libganrepro alone. It first checks that GSL's handler really is
 * GSL's default (abort) here, then provokes every GSL error path the library can reach
 * from its public API, each in a child process, and asserts that the child returned the
 * documented status instead of dying:
 *
 *   gr_oned_w1_quantile  QAGS with limit 1 (GSL_EMAXITER)          -> GR_ENOTCONV
 *   gr_oned_w1_quantile  epsabs 0, epsrel 1e-20 (GSL_EBADTOL)      -> GR_ENOTCONV
 *   gr_oned_w1_cdf       QAGI with limit 1 (GSL_EMAXITER)          -> GR_ENOTCONV
 *   gr_gauss_kl          Cholesky of an indefinite S1 (GSL_EDOM)   -> GR_EDOM
 *   gr_div_js / _kl / _gan_value  ADAPTIVE QAG at epsrel 1e-20 (GSL_EBADTOL) -> GR_ENOTCONV
 *   gr_div_js            ADAPTIVE QAG, limit 8, epsabs 1e-300 (GSL_EMAXITER) -> GR_ENOTCONV
 *
 * GSL paths that are guarded but that no input provokes, so they are not tested here:
 * the O3 JS integrals (gr_gauss_js_eqvar, _deriv, gr_normal_js_eqvar, _deriv,
 * gr_lines_closed_smoothed) never raised
 * a GSL error on a scan of delta over [1e-6, 1e6]; gsl_eigen_symmv (gr_gauss_w2sq) fails
 * only on inconsistent sizes, which the library never passes; gsl_rng_alloc/clone,
 * gsl_integration_*_alloc and the eigen workspaces fail only when out of memory.
 *
 * Then: two threads provoking quadrature failures concurrently (the scoped switch is
 * reference counted: one thread leaving must not restore the aborting handler while the
 * other is still inside GSL), and a caller's own handler, which must not be called for
 * the library's errors, must still be installed afterwards, and must still receive the
 * caller's own GSL errors. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <pthread.h>
#include <sys/wait.h>

#include "distance/divergence.h"
#include "distance/gauss.h"
#include "distance/oned.h"
#include "prob/mixture.h"
#include "test.h"

/* ---- quadrature inputs ---------------------------------------------------------------- */

static double q_identity(double u, void *c) {
    (void)c;
    return u;
}
static double q_const(double u, void *c) {
    (void)u;
    return *(const double *)c;
}
/* CDF of U(0, 1) and of the point mass at 0.3 */
static double cdf_unif(double x, void *c) {
    (void)c;
    return x < 0 ? 0.0 : x > 1 ? 1.0 : x;
}
static double cdf_point(double x, void *c) { return x < *(const double *)c ? 0.0 : 1.0; }

static int case_quantile_limit1(void) {
    double k = 0.3;
    gr_oned_quad q;
    return gr_oned_w1_quantile(q_identity, NULL, q_const, &k, 1e-14, 0.0, 1, &q, NULL);
}

static int case_quantile_badtol(void) {
    double k = 0.3;
    gr_oned_quad q;
    return gr_oned_w1_quantile(q_identity, NULL, q_const, &k, 0.0, 1e-20, 100, &q, NULL);
}

static int case_cdf_limit1(void) {
    double k = 0.3;
    gr_oned_quad q;
    return gr_oned_w1_cdf(cdf_unif, NULL, cdf_point, &k, 1e-14, 0.0, 1, &q, NULL);
}

static int case_gauss_kl_indefinite(void) {
    const double m[2] = {0, 0}, S1[4] = {1, 2, 2, 1}, S2[4] = {1, 0, 0, 1};
    double kl = -1.0;
    return gr_gauss_kl(2, m, S1, m, S2, &kl, NULL);
}

/* two 1-D two-component mixtures, ADAPTIVE quadrature with options chosen to fail */
static int div_case(int which, double epsabs, double epsrel, size_t limit) {
    const double w[2] = {0.5, 0.5}, mu1[2] = {-1.0, 1.0}, mu2[2] = {-0.5, 2.0};
    const double sd[2] = {0.3, 0.7};
    gr_mixture *p = NULL, *q = NULL;
    int st = gr_mixture_alloc(&p, 1, 2, w, mu1, sd, 0, NULL);
    if (st == GR_OK) st = gr_mixture_alloc(&q, 1, 2, w, mu2, sd, 0, NULL);
    if (st != GR_OK) {
        gr_mixture_free(p);
        return 100; /* not the status the case expects: the check fails visibly */
    }
    gr_density dp, dq;
    gr_mixture_density(p, &dp);
    gr_mixture_density(q, &dq);
    gr_div_options o;
    gr_div_options_default(&o);
    o.method = GR_DIV_ADAPTIVE;
    o.epsabs = epsabs;
    o.epsrel = epsrel;
    o.limit = limit;
    gr_div_result r;
    if (which == 0) st = gr_div_js(&dp, &dq, &o, NULL, &r, NULL);
    if (which == 1) st = gr_div_kl(&dp, &dq, &o, NULL, &r, NULL);
    if (which == 2) st = gr_div_gan_value(&dp, &dq, &o, NULL, &r, NULL);
    gr_mixture_free(p);
    gr_mixture_free(q);
    return st;
}
static int case_div_js_badtol(void) { return div_case(0, 0.0, 1e-20, 1000); }
static int case_div_kl_badtol(void) { return div_case(1, 0.0, 1e-20, 1000); }
static int case_div_v_badtol(void) { return div_case(2, 0.0, 1e-20, 1000); }
static int case_div_js_maxiter(void) { return div_case(0, 1e-300, 0.0, 8); }

/* ---- running a case in a child -------------------------------------------------------- */

/* Run fn in a child process; *died = 1 if it did not exit normally (GSL's default handler
 * aborts). Returns the child's status (exit code = -status). */
static int in_child(int (*fn)(void), int *died) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        *died = 1;
        return 0;
    }
    if (pid == 0) {
        int st = fn();
        fflush(NULL);
        _exit(st <= 0 && st > -100 ? -st : 100);
    }
    int ws = 0;
    if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws)) {
        *died = 1;
        return 0;
    }
    *died = 0;
    return -WEXITSTATUS(ws);
}

#define CHECK_CASE(fn, expected)                                                                   \
    do {                                                                                           \
        int died_ = 0;                                                                             \
        int st_ = in_child(fn, &died_);                                                            \
        if (died_) fprintf(stderr, "%s: the process died (GSL's handler aborted it?)\n", #fn);     \
        CHECK(!died_);                                                                             \
        if (!died_) CHECK_STATUS(st_, expected);                                                   \
    } while (0)

static void test_handler_is_default(void) {
    /* nothing (no init, no constructor) has replaced GSL's aborting default */
    gsl_error_handler_t *h = gsl_set_error_handler(NULL);
    CHECK(h == NULL);
}

static void test_error_paths_do_not_abort(void) {
    CHECK_CASE(case_quantile_limit1, GR_ENOTCONV);
    CHECK_CASE(case_quantile_badtol, GR_ENOTCONV);
    CHECK_CASE(case_cdf_limit1, GR_ENOTCONV);
    CHECK_CASE(case_gauss_kl_indefinite, GR_EDOM);
    CHECK_CASE(case_div_js_badtol, GR_ENOTCONV);
    CHECK_CASE(case_div_kl_badtol, GR_ENOTCONV);
    CHECK_CASE(case_div_v_badtol, GR_ENOTCONV);
    CHECK_CASE(case_div_js_maxiter, GR_ENOTCONV);
}

static void test_in_process_and_restored(void) {
    /* the same calls in this process (GSL's default handler installed): they return, and
     * the default is in place again afterwards */
    CHECK_STATUS(case_quantile_limit1(), GR_ENOTCONV);
    CHECK_STATUS(case_gauss_kl_indefinite(), GR_EDOM);
    CHECK_STATUS(case_div_js_badtol(), GR_ENOTCONV);
    gsl_error_handler_t *h = gsl_set_error_handler(NULL);
    CHECK(h == NULL);
}

static void *thread_body(void *arg) {
    int *bad = arg;
    for (int i = 0; i < 300; i++) {
        if (case_quantile_limit1() != GR_ENOTCONV) (*bad)++;
        if (case_cdf_limit1() != GR_ENOTCONV) (*bad)++;
        if (case_gauss_kl_indefinite() != GR_EDOM) (*bad)++;
    }
    return NULL;
}

static int case_threads(void) {
    pthread_t t[4];
    int bad[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        if (pthread_create(&t[i], NULL, thread_body, &bad[i]) != 0) return 100;
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        if (bad[i]) return GR_EINTERNAL;
    /* the last thread out put GSL's default back */
    return gsl_set_error_handler(NULL) == NULL ? GR_OK : GR_EINTERNAL;
}

static void test_threads(void) { CHECK_CASE(case_threads, GR_OK); }

static int user_hits = 0;
static void user_handler(const char *reason, const char *file, int line, int gsl_errno) {
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
    user_hits++;
}

static void test_user_handler_kept(void) {
    gsl_error_handler_t *before = gsl_set_error_handler(user_handler);
    user_hits = 0;
    CHECK_STATUS(case_quantile_limit1(), GR_ENOTCONV);
    CHECK_STATUS(case_gauss_kl_indefinite(), GR_EDOM);
    CHECK(user_hits == 0); /* the library's own GSL errors are not the caller's */
    /* the caller's handler is in force again: a GSL error of its own reaches it */
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(0);
    CHECK(w == NULL);
    CHECK(user_hits == 1);
    gsl_error_handler_t *now = gsl_set_error_handler(before);
    CHECK(now == user_handler);
}

int main(void) {
    /* NO gr_core_init() here, on purpose (see the header comment) */
    RUN(test_handler_is_default);
    RUN(test_error_paths_do_not_abort);
    RUN(test_in_process_and_restored);
    RUN(test_threads);
    RUN(test_user_handler_kept);
    return TEST_MAIN_END();
}
