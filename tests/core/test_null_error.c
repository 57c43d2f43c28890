/* tests/core/test_null_error.c — a status never depends on whether a message is wanted
 * (issue 8, item 3: gr_mlp_spec_parse(&s, "2-xx", NULL) returned 0).
 *
 * Every public function of libganrepro that takes a `gr_error *` (the headers src/<dir>/<name>.h
 * outside src/cli, enumerated below) is called on an input that fails, once with err =
 * NULL and once with a record, and must return the same, documented, non-zero status both
 * times (and put that status into the record). A few are also called with NULL on an
 * input that succeeds, and their results are checked.
 *
 * Covered (F = failing call with NULL and with a record, S = also a success call with NULL):
 *   core/error.h    gr_error_set F, gr_error_prefix F        (gr_error_clear: void)
 *   core/log.h      gr_log_error: void, takes a const record; nothing to return
 *   core/rng.h      gr_rng_alloc F (NULL output; otherwise it fails only when out of
 *                   memory) S, gr_rng_seed F, gr_rng_state_save F, gr_rng_state_load F
 *   distance/divergence.h  gr_div_js F, gr_div_kl F, gr_div_gan_value F,
 *                   gr_div_workspace_alloc F (bad options: *out cleared) S
 *   distance/gauss.h    gr_gauss_kl F S, gr_gauss_w2sq F, gr_gauss_kl_1d F S, gr_gauss_w2_1d F,
 *                   gr_gauss_w1_1d F, gr_gauss_js_eqvar F, gr_gauss_js_eqvar_deriv F,
 *                   gr_gauss_tv_eqvar F, gr_gauss_workspace_alloc F, gr_gauss_kl_ws F,
 *                   gr_gauss_w2sq_ws F
 *   distance/knn.h      gr_knn_kl F, gr_knn_js F, gr_knn_workspace_alloc F, gr_knn_kl_ws F,
 *                   gr_knn_js_ws F S
 *   distance/oned.h     gr_oned_wasserstein F S, gr_oned_w1_quantile F, gr_oned_w1_cdf F,
 *                   gr_oned_workspace_alloc F (NULL output; otherwise it fails only when
 *                   out of memory)
 *   distance/ot.h       gr_ot_workspace_alloc F (*out cleared) S, gr_ot_solve F,
 *                   gr_ot_wasserstein F (twice: bad p, and a size the workspace refuses,
 *                   which used to come back as GR_ENOMEM without a record) S
 *   distance/sinkhorn.h gr_sinkhorn_workspace_alloc F (*out cleared), gr_sinkhorn_mean_cost F,
 *                   gr_sinkhorn_solve F
 *   prob/lines.h    gr_lines_closed_eval F, gr_lines_closed_smoothed F S, gr_lines_sample F,
 *                   gr_lines_segment_alloc F
 *   prob/mixture.h  gr_mixture_alloc F, gr_mixture_sample F, gr_mixture_cdf F,
 *                   gr_mixture_quantile F
 *   prob/normal.h   gr_normal_js_eqvar F, gr_normal_js_eqvar_deriv F, gr_normal_tv_eqvar F
 *   prob/segment.h  gr_segment_alloc F, gr_segment_sample F, gr_segment_cdf F,
 *                   gr_segment_quantile F
 *   (prob/density.h: no gr_error *)
 *   io/checkpoint.h gr_checkpoint_save F, gr_checkpoint_load F
 *   io/h5.h         gr_h5_error_set F
 *   io/points.h     gr_points_read F (missing file, ragged rows)
 *   nn/loss.h       all ten (gr_loss_*, gr_lossd_*) F
 *   nn/mlp.h        gr_mlp_spec_validate F, gr_mlp_spec_parse F S, and for both the float
 *                   and the double net: alloc F, init F, forward F, backward F,
 *                   backward_input F, layer_grad_norms F, input_grad F, gp F
 *   nn/optim.h      gr_optim_config_validate F, gr_optim_kind_parse F S, gr_optim_alloc F,
 *                   gr_optim_step F, gr_optim_set_path F, gr_optim_set_lr F,
 *                   gr_optim_clip F, gr_optim_clip_ranges F
 *   nn/probe.h      all seven F
 *   (linalg/linalg.h, nn/act.h, core/mem.h, progress.h, timer.h, version.h: no gr_error *)
 */
#include <gsl/gsl_rng.h>

#include "core/log.h"
#include "core/rng.h"
#include "distance/divergence.h"
#include "distance/gauss.h"
#include "distance/knn.h"
#include "distance/oned.h"
#include "distance/ot.h"
#include "distance/sinkhorn.h"
#include "io/checkpoint.h"
#include "io/h5.h"
#include "io/points.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "nn/optim.h"
#include "nn/probe.h"
#include "prob/lines.h"
#include "prob/mixture.h"
#include "prob/normal.h"
#include "prob/segment.h"
#include "test.h"

/* `call` is evaluated twice, with E = NULL and with E = a cleared record; both must give
 * `expected` (non-zero), and so must the record. */
#define FAILS(expected, call)                                                                      \
    do {                                                                                           \
        gr_error *E = NULL;                                                                        \
        int s_null_ = (call);                                                                      \
        gr_error rec_;                                                                             \
        gr_error_clear(&rec_);                                                                     \
        E = &rec_;                                                                                 \
        int s_rec_ = (call);                                                                       \
        CHECK((expected) != GR_OK);                                                                \
        CHECK_STATUS(s_null_, expected);                                                           \
        CHECK_STATUS(s_rec_, expected);                                                            \
        CHECK_STATUS(rec_.status, expected);                                                       \
        CHECK(rec_.msg[0] != '\0');                                                                \
    } while (0)

/* A stale, non-NULL value for an alloc's output: a failing alloc must overwrite it with NULL
 * (never dereferenced). */
static char stale_[1];
#define STALE ((void *)stale_)

static void test_core(void) {
    FAILS(GR_EIO, gr_error_set(E, GR_EIO, "f.c", 1, "x %d", 1));
    FAILS(GR_EFORMAT, gr_error_prefix(E, GR_EFORMAT, "ctx: "));
    gr_log_error(NULL); /* void; must not crash */

    FAILS(GR_EINVAL, gr_rng_alloc(NULL, 1, 0, E));
    gsl_rng *mt = NULL;
    CHECK_OK(gr_rng_alloc(&mt, 1, 0, NULL), NULL);
    gsl_rng *taus = gsl_rng_alloc(gsl_rng_taus2);
    CHECK(mt != NULL && taus != NULL);
    if (mt && taus) {
        unsigned char buf[16] = {0};
        FAILS(GR_EINVAL, gr_rng_seed(taus, 1, 0, E));
        FAILS(GR_EINVAL, gr_rng_state_save(mt, buf, sizeof buf, E));
        FAILS(GR_EINVAL, gr_rng_state_load(mt, buf, sizeof buf, E));
    }
    gr_rng_free(mt);
    if (taus) gsl_rng_free(taus);
}

static void test_closed_density_gauss(void) {
    gr_lines_closed cl;
    FAILS(GR_EDOM, gr_lines_closed_eval(NAN, &cl, E));
    FAILS(GR_EDOM, gr_lines_closed_smoothed(1.0, 0.0, &cl, E));
    CHECK_OK(gr_lines_closed_smoothed(0.0, 1.0, &cl, NULL), NULL);
    CHECK_CLOSE(cl.js, 0.0, 0.0, 0.0); /* coincident lines */

    const double w[1] = {1.0}, mu[1] = {0.0}, sd0[1] = {0.0};
    gr_mixture *mix = NULL;
    FAILS(GR_EINVAL, gr_mixture_alloc(&mix, 1, 0, w, mu, sd0, 0, E));
    FAILS(GR_EDOM, gr_mixture_alloc(&mix, 1, 1, w, mu, sd0, 0, E));
    CHECK(mix == NULL);
    const double u[2] = {0, 0}, v[2] = {1, 0};
    gr_segment *seg = NULL;
    FAILS(GR_EDOM, gr_segment_alloc(&seg, 2, u, v, 0.0, E));
    CHECK(seg == NULL);
    FAILS(GR_EDOM, gr_lines_segment_alloc(&seg, 0.5, -1.0, E));
    CHECK(seg == NULL);
    double pt[2];
    FAILS(GR_EINVAL, gr_lines_sample(0.5, 0.1, NULL, 1, pt, E));
    /* a 2-D mixture and segment: sampling without a generator, CDF/quantile need d = 1 */
    const double w2[1] = {1.0}, mu2[2] = {0.0, 0.0}, sd2[1] = {1.0};
    CHECK_OK(gr_mixture_alloc(&mix, 2, 1, w2, mu2, sd2, 1, NULL), NULL);
    CHECK_OK(gr_segment_alloc(&seg, 2, u, v, 0.3, NULL), NULL);
    double q = 0.0;
    FAILS(GR_EINVAL, gr_mixture_sample(mix, NULL, 1, pt, E));
    FAILS(GR_EINVAL, gr_mixture_cdf(mix, 0.0, &q, E));
    FAILS(GR_EINVAL, gr_mixture_quantile(mix, 0.5, &q, E));
    FAILS(GR_EINVAL, gr_segment_sample(seg, NULL, 1, pt, E));
    FAILS(GR_EINVAL, gr_segment_cdf(seg, 0.0, &q, E));
    FAILS(GR_EINVAL, gr_segment_quantile(seg, 0.5, &q, E));
    gr_mixture_free(mix);
    gr_segment_free(seg);
    FAILS(GR_EDOM, gr_normal_js_eqvar(NAN, &q, NULL, E));
    FAILS(GR_EDOM, gr_normal_js_eqvar_deriv(INFINITY, &q, NULL, E));
    FAILS(GR_EDOM, gr_normal_tv_eqvar(NAN, &q, E));

    gr_div_result dr;
    FAILS(GR_EINVAL, gr_div_js(NULL, NULL, NULL, NULL, &dr, E));
    FAILS(GR_EINVAL, gr_div_kl(NULL, NULL, NULL, NULL, &dr, E));
    FAILS(GR_EINVAL, gr_div_gan_value(NULL, NULL, NULL, NULL, &dr, E));
    gr_div_options dopt;
    gr_div_options_default(&dopt);
    dopt.hermite_n = 1;
    gr_div_workspace *dws = NULL;
    FAILS(GR_EINVAL, (dws = STALE, gr_div_workspace_alloc(&dws, &dopt, E)));
    CHECK(dws == NULL);
    FAILS(GR_EINVAL, gr_div_workspace_alloc(NULL, NULL, E));
    CHECK_OK(gr_div_workspace_alloc(&dws, NULL, NULL), NULL);
    CHECK(dws != NULL);
    gr_div_workspace_free(dws);
    gr_div_workspace_free(NULL);

    const double m[2] = {0, 0}, I2[4] = {1, 0, 0, 1}, bad[4] = {1, 2, 2, 1};
    double out = -1.0, ae = 0.0;
    FAILS(GR_EDOM, gr_gauss_kl(2, m, bad, m, I2, &out, E));
    FAILS(GR_EINVAL, gr_gauss_w2sq(0, m, I2, m, I2, &out, E));
    FAILS(GR_EDOM, gr_gauss_w2sq(2, m, bad, m, I2, &out, E));
    FAILS(GR_EDOM, gr_gauss_kl_1d(0.0, 0.0, 0.0, 1.0, &out, E));
    FAILS(GR_EDOM, gr_gauss_w2_1d(NAN, 1.0, 0.0, 1.0, &out, E));
    FAILS(GR_EDOM, gr_gauss_w1_1d(0.0, -1.0, 0.0, 1.0, &out, E));
    FAILS(GR_EDOM, gr_gauss_js_eqvar(NAN, &out, &ae, E));
    FAILS(GR_EDOM, gr_gauss_js_eqvar_deriv(INFINITY, &out, &ae, E));
    FAILS(GR_EDOM, gr_gauss_tv_eqvar(NAN, &out, E));
    gr_gauss_workspace *gw = NULL;
    FAILS(GR_EINVAL, gr_gauss_workspace_alloc(&gw, 0, E));
    CHECK(gw == NULL);
    CHECK_OK(gr_gauss_workspace_alloc(&gw, 2, NULL), NULL);
    FAILS(GR_EDOM, gr_gauss_kl_ws(gw, 2, m, bad, m, I2, &out, E));
    FAILS(GR_EINVAL, gr_gauss_w2sq_ws(gw, 3, m, I2, m, I2, &out, E)); /* d > d_max */
    gr_gauss_workspace_free(gw);
    /* successes without a record: KL(N(0,1) || N(1,4)) = log 2 + (1 + 1)/8 - 1/2 */
    CHECK_OK(gr_gauss_kl_1d(0.0, 1.0, 1.0, 2.0, &out, NULL), NULL);
    CHECK_CLOSE(out, log(2.0) + 0.25 - 0.5, 1e-15, 0.0);
    const double m2[2] = {1, 0}, S2[4] = {4, 0, 0, 1};
    CHECK_OK(gr_gauss_kl(2, m, I2, m2, S2, &out, NULL), NULL);
    CHECK_CLOSE(out, log(2.0) + 0.25 - 0.5, 1e-15, 0.0);
}

static double qid(double t, void *c) {
    (void)c;
    return t;
}

static void test_dist_samples(void) {
    const double x[4] = {0, 1, 2, 3}, y[4] = {0.5, 1.5, 2.5, 3.5};
    gr_knn_result kr;
    FAILS(GR_EINVAL, gr_knn_kl(x, 4, y, 4, 1, 0, &kr, E));
    FAILS(GR_EINVAL, gr_knn_js(x, 4, y, 4, 0, 1, &kr, E));
    gr_knn_workspace *kw = NULL;
    FAILS(GR_EINVAL, gr_knn_workspace_alloc(&kw, 4, 0, 1, E));
    CHECK(kw == NULL);
    CHECK_OK(gr_knn_workspace_alloc(&kw, 4, 4, 1, NULL), NULL);
    gr_knn_options ko = {1, GR_KNN_REPEATS_AUTO};
    FAILS(GR_EINVAL, gr_knn_kl_ws(kw, x, 2, y, 2, 2, &ko, &kr, E)); /* d > d_max */
    FAILS(GR_EINVAL, gr_knn_js_ws(NULL, x, 4, y, 4, 1, &ko, &kr, E));
    CHECK_OK(gr_knn_js_ws(kw, x, 4, y, 4, 1, &ko, &kr, NULL), NULL);
    gr_knn_result k1;
    CHECK_OK(gr_knn_js_opt(x, 4, y, 4, 1, &ko, &k1, NULL), NULL);
    CHECK(kr.raw == k1.raw && kr.value == k1.value); /* the one-shot estimate */
    gr_knn_workspace_free(kw);

    double val = -1.0;
    FAILS(GR_EINVAL, gr_oned_wasserstein(NULL, x, NULL, 0, y, NULL, 4, 1, 1e-9, &val, E));
    CHECK_OK(gr_oned_wasserstein(NULL, x, NULL, 4, y, NULL, 4, 1, 1e-9, &val, NULL), NULL);
    CHECK_CLOSE(val, 0.5, 1e-15, 0.0);
    gr_oned_quad q;
    FAILS(GR_EINVAL, gr_oned_w1_quantile(NULL, NULL, qid, NULL, 1e-10, 0, 100, &q, E));
    FAILS(GR_EINVAL, gr_oned_w1_cdf(qid, NULL, qid, NULL, 1e-10, 0, 0, &q, E));

    gr_oned_workspace *ow = NULL;
    FAILS(GR_EINVAL, gr_oned_workspace_alloc(NULL, 4, 4, E));
    CHECK_OK(gr_oned_workspace_alloc(&ow, 4, 4, NULL), NULL);
    CHECK(ow != NULL);
    gr_oned_workspace_free(ow);

    gr_ot_workspace *w = NULL;
    FAILS(GR_EINVAL, (w = STALE, gr_ot_workspace_alloc(&w, 0, 4, E)));
    CHECK(w == NULL);
    FAILS(GR_EINVAL, gr_ot_workspace_alloc(NULL, 4, 4, E));
    CHECK_OK(gr_ot_workspace_alloc(&w, 4, 4, NULL), NULL);
    CHECK(w != NULL);
    if (w) {
        gr_ot_problem pr = gr_ot_problem_points(x, NULL, 0, y, NULL, 4, 1, GR_OT_COST_EUCLIDEAN);
        gr_ot_result res;
        FAILS(GR_EINVAL, gr_ot_solve(w, &pr, NULL, &res, E));
        gr_ot_workspace_free(w);
    }
    FAILS(GR_EINVAL, gr_ot_wasserstein(x, NULL, 4, y, NULL, 4, 1, 3, NULL, &val, E));
    /* the workspace refuses 2^31 points before touching x: GR_EINVAL, with or without a
     * record (without one it used to be reported as GR_ENOMEM) */
    FAILS(GR_EINVAL,
          gr_ot_wasserstein(x, NULL, (size_t)INT32_MAX + 1, y, NULL, 4, 1, 1, NULL, &val, E));
    CHECK_OK(gr_ot_wasserstein(x, NULL, 4, y, NULL, 4, 1, 1, NULL, &val, NULL), NULL);
    CHECK_CLOSE(val, 0.5, 1e-12, 0.0);

    gr_sinkhorn_workspace *sw = NULL;
    FAILS(GR_EINVAL, (sw = STALE, gr_sinkhorn_workspace_alloc(&sw, 0, 4, E)));
    CHECK(sw == NULL);
    FAILS(GR_EINVAL, gr_sinkhorn_workspace_alloc(NULL, 4, 4, E));
    double mean = 0.0;
    FAILS(GR_EINVAL, gr_sinkhorn_mean_cost(x, 4, y, 4, 1, 3, &mean, E));
    gr_sinkhorn_settings ss = gr_sinkhorn_settings_default();
    ss.epsilon = 0.0;
    gr_sinkhorn_result sr;
    FAILS(GR_EINVAL, gr_sinkhorn_solve(NULL, x, NULL, 4, y, NULL, 4, 1, &ss, &sr, E));
}

static void test_io(void) {
    char dir[512], path[600];
    if (gr_test_tmpdir(dir, sizeof dir, "null_error_") != 0) {
        CHECK(0);
        return;
    }
    gr_points pts;
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    FAILS(GR_EIO, gr_points_read(path, &pts, E));
    snprintf(path, sizeof path, "%s/ragged.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("1 2\n3\n", f);
        fclose(f);
        FAILS(GR_EFORMAT, gr_points_read(path, &pts, E));
        unlink(path);
    }
    uint64_t step = 0;
    float params[3] = {1, 2, 3};
    gr_checkpoint_net net = {"D", "1-1linear", params, 2, NULL};
    FAILS(GR_EINVAL, gr_checkpoint_save(NULL, 0, &net, 1, NULL, 0, E));
    snprintf(path, sizeof path, "%s/missing.h5", dir);
    FAILS(GR_EIO, gr_checkpoint_load(path, &step, &net, 1, NULL, 0, E));
    /* saved without a record (success), then loaded asking for a net the file lacks */
    snprintf(path, sizeof path, "%s/ck.h5", dir);
    CHECK_OK(gr_checkpoint_save(path, 7, &net, 1, NULL, 0, NULL), NULL);
    gr_checkpoint_net other = {"G", "1-1linear", params, 2, NULL};
    FAILS(GR_EMISMATCH, gr_checkpoint_load(path, &step, &other, 1, NULL, 0, E));
    CHECK_OK(gr_checkpoint_load(path, &step, &net, 1, NULL, 0, NULL), NULL);
    CHECK(step == 7);
    unlink(path);
    FAILS(GR_EIO, gr_h5_error_set(E, GR_EIO, "f.c", 1, "h5 %s", "x"));
    gr_test_tmpdir_remove(dir);
}

static void test_loss(void) {
    float l[1] = {0.0f}, g[1], g2[1];
    double ld[1] = {0.0}, gd[1], gd2[1], loss;
    FAILS(GR_EINVAL, gr_loss_d_bce(&loss, g, g2, l, 0, l, 1, E));
    FAILS(GR_EINVAL, gr_loss_g_minimax(&loss, g, l, 0, E));
    FAILS(GR_EINVAL, gr_loss_g_nonsat(&loss, g, l, 0, E));
    FAILS(GR_EINVAL, gr_loss_wgan_critic(&loss, g, g2, l, 1, l, 0, E));
    FAILS(GR_EINVAL, gr_loss_wgan_gen(&loss, g, l, 0, E));
    FAILS(GR_EINVAL, gr_lossd_d_bce(&loss, gd, gd2, ld, 0, ld, 1, E));
    FAILS(GR_EINVAL, gr_lossd_g_minimax(&loss, gd, ld, 0, E));
    FAILS(GR_EINVAL, gr_lossd_g_nonsat(&loss, gd, ld, 0, E));
    FAILS(GR_EINVAL, gr_lossd_wgan_critic(&loss, gd, gd2, ld, 1, ld, 0, E));
    FAILS(GR_EINVAL, gr_lossd_wgan_gen(&loss, gd, ld, 0, E));
    float nan1[1] = {NAN};
    FAILS(GR_EDOM, gr_loss_g_nonsat(&loss, g, nan1, 1, E));
}

static void test_mlp(void) {
    /* the reproduction from the issue: the spec must stay untouched */
    gr_mlp_spec s, before;
    memset(&s, 0x5a, sizeof s);
    before = s;
    CHECK_STATUS(gr_mlp_spec_parse(&s, "2-xx", NULL), GR_EFORMAT);
    CHECK(memcmp(&s, &before, sizeof s) == 0);
    FAILS(GR_EFORMAT, gr_mlp_spec_parse(&s, "2-xx", E));
    FAILS(GR_EFORMAT, gr_mlp_spec_parse(&s, "2-8relu-1bogus", E));
    FAILS(GR_EFORMAT, gr_mlp_spec_parse(&s, "2-0relu-1linear", E));
    FAILS(GR_EFORMAT, gr_mlp_spec_parse(&s, "2-8lrelu-1linear", E));
    CHECK_OK(gr_mlp_spec_parse(&s, "2-8relu-8relu-1linear", NULL), NULL);
    CHECK(s.in_dim == 2 && s.n_hidden == 2 && s.hidden[0] == 8 && s.hidden[1] == 8 &&
          s.out_dim == 1 && s.hidden_act == GR_ACT_RELU && s.out_act == GR_ACT_IDENTITY);

    gr_mlp_spec bad = s;
    bad.in_dim = 0;
    FAILS(GR_EINVAL, gr_mlp_spec_validate(&bad, E));

    gr_mlp_spec s2; /* two outputs: input_grad and gp need one */
    CHECK_OK(gr_mlp_spec_parse(&s2, "2-4tanh-2linear", NULL), NULL);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 3, 0, NULL), NULL);
    gr_mlp *nf = NULL, *nf2 = NULL, *tmp = NULL;
    FAILS(GR_EINVAL, gr_mlp_alloc(&tmp, &bad, 4, E));
    CHECK(tmp == NULL);
    CHECK_OK(gr_mlp_alloc(&nf, &s, 4, NULL), NULL);
    CHECK_OK(gr_mlp_alloc(&nf2, &s2, 4, NULL), NULL);
    if (nf && nf2 && r) {
        float x[8] = {0}, y[8], dy[8] = {0}, dx[8], gx[8], gn[4];
        double norms[3], pen;
        FAILS(GR_EINVAL, gr_mlp_init(nf, (gr_init)99, r, E));
        FAILS(GR_EINVAL, gr_mlp_forward(nf, y, x, 0, E));
        FAILS(GR_EINVAL, gr_mlp_backward(nf, dx, dy, 1, E)); /* no forward yet */
        FAILS(GR_EINVAL, gr_mlp_backward_input(nf, dx, dy, 1, E));
        FAILS(GR_EMISMATCH, gr_mlp_layer_grad_norms(nf, norms, 2, E));
        FAILS(GR_EMISMATCH, gr_mlp_input_grad(nf2, gx, x, 1, E));
        FAILS(GR_EMISMATCH, gr_mlp_gp(nf2, &pen, gn, x, 1, 10.0, E));
    } else {
        CHECK(0);
    }
    gr_mlp_free(nf);
    gr_mlp_free(nf2);

    gr_mlpd *nd = NULL, *nd2 = NULL, *tmpd = NULL;
    FAILS(GR_EINVAL, gr_mlpd_alloc(&tmpd, &bad, 4, E));
    CHECK(tmpd == NULL);
    CHECK_OK(gr_mlpd_alloc(&nd, &s, 4, NULL), NULL);
    CHECK_OK(gr_mlpd_alloc(&nd2, &s2, 4, NULL), NULL);
    if (nd && nd2 && r) {
        double x[8] = {0}, y[8], dy[8] = {0}, dx[8], gx[8], gn[4], norms[3], pen;
        FAILS(GR_EINVAL, gr_mlpd_init(nd, (gr_init)99, r, E));
        FAILS(GR_EINVAL, gr_mlpd_forward(nd, y, x, 5, E)); /* > max_batch */
        FAILS(GR_EINVAL, gr_mlpd_backward(nd, dx, dy, 1, E));
        FAILS(GR_EINVAL, gr_mlpd_backward_input(nd, dx, dy, 1, E));
        FAILS(GR_EMISMATCH, gr_mlpd_layer_grad_norms(nd, norms, 2, E));
        FAILS(GR_EMISMATCH, gr_mlpd_input_grad(nd2, gx, x, 1, E));
        FAILS(GR_EMISMATCH, gr_mlpd_gp(nd2, &pen, gn, x, 1, 10.0, E));
    } else {
        CHECK(0);
    }
    gr_mlpd_free(nd);
    gr_mlpd_free(nd2);
    gr_rng_free(r);
}

static void test_optim_probe(void) {
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_ADAM);
    gr_optim_config cb = c;
    cb.lr = -1.0;
    FAILS(GR_EINVAL, gr_optim_config_validate(&cb, E));
    gr_optim_kind k = GR_OPTIM_SGD;
    FAILS(GR_EINVAL, gr_optim_kind_parse(&k, "nope", E));
    CHECK_OK(gr_optim_kind_parse(&k, gr_optim_kind_name(GR_OPTIM_ADAM), NULL), NULL);
    CHECK(k == GR_OPTIM_ADAM);
    gr_optim *o = NULL;
    FAILS(GR_EINVAL, gr_optim_alloc(&o, &c, 0, E));
    CHECK(o == NULL);
    CHECK_OK(gr_optim_alloc(&o, &c, 4, NULL), NULL);
    float p[4] = {1, 2, 3, 4}, gr[4] = {0};
    if (o) {
        FAILS(GR_EMISMATCH, gr_optim_step(o, p, gr, 3, E));
        FAILS(GR_EINVAL, gr_optim_set_path(o, "no-such-path", E));
        FAILS(GR_EINVAL, gr_optim_set_lr(o, -1.0, E));
        gr_optim_free(o);
    } else {
        CHECK(0);
    }
    FAILS(GR_EINVAL, gr_optim_clip(NULL, 4, 0.1f, E));
    const size_t off[1] = {2}, sz[1] = {5};
    FAILS(GR_EINVAL, gr_optim_clip_ranges(p, 4, off, sz, 1, 0.1f, E));

    double nrm[1], fr, cs;
    size_t counts[4], offs[4], sizes[4], nl;
    const float zero[4] = {0};
    FAILS(GR_EINVAL, gr_probe_layer_norms(nrm, p, 4, off, sz, 1, E));
    FAILS(GR_EINVAL, gr_probe_layer_max_abs(nrm, p, 4, off, sz, 1, E));
    FAILS(GR_EINVAL, gr_probe_histogram(counts, 0, 0.0, 1.0, p, 4, NULL, E));
    FAILS(GR_EINVAL, gr_probe_layer_histograms(counts, 4, 1.0, 0.0, p, 4, off, sz, 1, NULL, E));
    FAILS(GR_EINVAL, gr_probe_frac_abs_ge(&fr, p, 4, NAN, E));
    FAILS(GR_EDOM, gr_probe_cosine(&cs, p, zero, 4, E));
    gr_mlp_spec s;
    CHECK_OK(gr_mlp_spec_parse(&s, "2-8relu-8relu-1linear", NULL), NULL);
    FAILS(GR_EINVAL, gr_probe_mlp_ranges(offs, sizes, 1, &nl, &s, GR_PROBE_WEIGHTS, E));
}

int main(void) {
    /* no gr_core_init: nothing here may depend on it */
    RUN(test_core);
    RUN(test_closed_density_gauss);
    RUN(test_dist_samples);
    RUN(test_io);
    RUN(test_loss);
    RUN(test_mlp);
    RUN(test_optim_probe);
    return TEST_MAIN_END();
}
