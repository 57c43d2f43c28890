/* tests/nn/test_mlp.c — the MLP's contract apart from its gradients (test_nn_gradcheck.c):
 * spec validation and every error path, the flat layout (torch state_dict order), the
 * architecture string round trip, initialiser ranges and moments, float/double agreement,
 * variable batch sizes, determinism, and the float GP's agreement with the double one.
 */
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "nn/mlp.h"
#include "test.h"

static gr_mlp_spec spec3(size_t in, size_t w, size_t n_hidden, size_t out, gr_act h, double ha,
                         gr_act o) {
    gr_mlp_spec s;
    memset(&s, 0, sizeof s);
    s.in_dim = in;
    s.n_hidden = n_hidden;
    for (size_t i = 0; i < n_hidden && i < GR_MLP_MAX_HIDDEN; i++)
        s.hidden[i] = w;
    s.out_dim = out;
    s.hidden_act = h;
    s.hidden_alpha = ha;
    s.out_act = o;
    return s;
}

static void test_spec_errors(void) {
    gr_error err;
    gr_mlp_spec s = spec3(2, 8, 2, 1, GR_ACT_RELU, 0, GR_ACT_IDENTITY);
    CHECK_OK(gr_mlp_spec_validate(&s, &err), &err);
    gr_mlp_spec b = s;
    b.in_dim = 0;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "in_dim");
    b = s;
    b.out_dim = 0;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "out_dim");
    b = s;
    b.hidden[1] = 0;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "hidden[1]");
    b = s;
    b.n_hidden = GR_MLP_MAX_HIDDEN + 1;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n_hidden");
    b = s;
    b.hidden_act = (gr_act)42;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "hidden activation");
    b = s;
    b.hidden_act = GR_ACT_LEAKY_RELU;
    b.hidden_alpha = 0.0;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "alpha");
    b.hidden_alpha = NAN;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    b = s;
    b.out_act = GR_ACT_ELU;
    b.out_alpha = -1.0;
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "output activation elu");
    b = s;
    b.hidden[0] = (size_t)1 << 20;
    b.hidden[1] = (size_t)1 << 20; /* 2^40 weights: over the BLAS int */
    CHECK_STATUS(gr_mlp_spec_validate(&b, &err), GR_EINVAL);
    CHECK_STATUS(gr_mlp_spec_validate(NULL, &err), GR_EINVAL);
    /* the alloc path reports the same, and leaves *out NULL */
    gr_mlp *net = (gr_mlp *)&s;
    b = s;
    b.in_dim = 0;
    CHECK_STATUS(gr_mlp_alloc(&net, &b, 4, &err), GR_EINVAL);
    CHECK(net == NULL);
    CHECK_STATUS(gr_mlp_alloc(&net, &s, 0, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "max_batch");
    CHECK_STATUS(gr_mlp_alloc(NULL, &s, 4, &err), GR_EINVAL);
    gr_mlp_free(NULL);
    gr_mlpd_free(NULL);
}

static void test_layout_and_describe(void) {
    gr_error err;
    /* the 2-D toy critic of gan_toy.py / torch_gan_bench.py */
    gr_mlp_spec s = spec3(2, 512, 3, 1, GR_ACT_RELU, 0, GR_ACT_IDENTITY);
    gr_mlp *net = NULL;
    CHECK_OK(gr_mlp_alloc(&net, &s, 256, &err), &err);
    if (!net) return;
    /* sum of torch's p.numel(): 2*512+512 + 2*(512*512+512) + 512+1 */
    CHECK(gr_mlp_n_params(net) == 1536 + 2 * 262656 + 513);
    CHECK(gr_mlp_n_layers(net) == 4);
    CHECK(gr_mlp_max_batch(net) == 256);
    gr_mlp_layer l0 = gr_mlp_layer_info(net, 0), l1 = gr_mlp_layer_info(net, 1),
                 l3 = gr_mlp_layer_info(net, 3), bad = gr_mlp_layer_info(net, 4);
    CHECK(l0.w_offset == 0 && l0.b_offset == 1024 && l0.in_dim == 2 && l0.out_dim == 512);
    CHECK(l1.w_offset == 1536 && l1.b_offset == 1536 + 262144 && l1.act == GR_ACT_RELU);
    CHECK(l3.w_offset == 1536 + 2 * 262656 && l3.b_offset == l3.w_offset + 512);
    CHECK(l3.act == GR_ACT_IDENTITY && l3.out_dim == 1);
    CHECK(bad.in_dim == 0 && bad.out_dim == 0);
    CHECK(l3.b_offset + l3.out_dim == gr_mlp_n_params(net));
    char buf[128];
    size_t n = gr_mlp_describe(net, buf, sizeof buf);
    CHECK(strcmp(buf, "2-512relu-512relu-512relu-1linear") == 0);
    CHECK(n == strlen("2-512relu-512relu-512relu-1linear"));
    char small[8];
    CHECK(gr_mlp_describe(net, small, sizeof small) == n);
    CHECK(strcmp(small, "2-512re") == 0);
    CHECK(gr_mlp_spec_describe(&s, NULL, 0) == n);
    gr_mlp_free(net);

    /* the MNIST nets of the benchmark */
    gr_mlp_spec g = spec3(100, 0, 3, 784, GR_ACT_LEAKY_RELU, 0.2, GR_ACT_TANH);
    g.hidden[0] = 256, g.hidden[1] = 512, g.hidden[2] = 1024;
    gr_mlp_spec_describe(&g, buf, sizeof buf);
    CHECK(strcmp(buf, "100-256lrelu0.2-512lrelu0.2-1024lrelu0.2-784tanh") == 0);
    gr_mlp_spec back;
    CHECK_OK(gr_mlp_spec_parse(&back, buf, &err), &err);
    CHECK(back.in_dim == 100 && back.n_hidden == 3 && back.hidden[2] == 1024);
    CHECK(back.out_dim == 784 && back.out_act == GR_ACT_TANH && back.hidden_alpha == 0.2);
    CHECK(gr_mlp_spec_n_params(&back) == gr_mlp_spec_n_params(&g));
    /* an alpha that needs 17 digits still reads back exactly */
    gr_mlp_spec e = spec3(3, 5, 1, 2, GR_ACT_ELU, 0.1 + 0.2, GR_ACT_SOFTPLUS);
    gr_mlp_spec_describe(&e, buf, sizeof buf);
    CHECK(strcmp(buf, "3-5elu0.30000000000000004-2softplus") == 0);
    CHECK_OK(gr_mlp_spec_parse(&back, buf, &err), &err);
    CHECK(back.hidden_alpha == 0.1 + 0.2 && back.out_act == GR_ACT_SOFTPLUS);
    CHECK_OK(gr_mlp_spec_parse(&back, "7-3sigmoid", &err), &err);
    CHECK(back.n_hidden == 0 && back.out_dim == 3 && back.out_act == GR_ACT_SIGMOID);
    const char *bad_arch[] = {"",
                              "x",
                              "2",
                              "2-",
                              "2-5foo-1linear",
                              "2-5lrelu-1linear",
                              "0-5relu-1linear",
                              "2-5relu-3tanh-1linear",
                              "2-5relu-1linear-",
                              "2-5relux-1linear"};
    for (size_t i = 0; i < sizeof bad_arch / sizeof bad_arch[0]; i++) {
        int st = gr_mlp_spec_parse(&back, bad_arch[i], &err);
        CHECK(st == GR_EFORMAT || st == GR_EINVAL);
        CHECK(err.msg[0] != '\0');
    }
    CHECK_STATUS(gr_mlp_spec_parse(&back, "2-5foo-1linear", &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "unknown activation");
    CHECK_STATUS(gr_mlp_spec_parse(&back, "2-5relu-3tanh-1linear", &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "share one activation");
    CHECK(strcmp(gr_act_name((gr_act)99), "?") == 0);
}

/* sample moments of U(-r, r): mean 0, variance r^2/3; of N(0, s^2): variance s^2 */
static void check_moments(const float *x, size_t n, double bound, double var, const char *what) {
    double m = 0, v = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
        m += x[i];
        mx = fabs(x[i]) > mx ? fabs(x[i]) : mx;
    }
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        v += (x[i] - m) * (x[i] - m);
    v /= (double)(n - 1);
    if (bound > 0) CHECK(mx <= bound);
    /* 262144 draws: sd of the variance estimate ~ var * sqrt(0.8 / n) < 0.2% (uniform) */
    CHECK_CLOSE(v, var, 0.02, 0.0);
    CHECK_CLOSE(m, 0.0, 0.0, 5.0 * sqrt(var / (double)n));
    if (!(v > 0.98 * var && v < 1.02 * var)) fprintf(stderr, "%s: var %g vs %g\n", what, v, var);
}

static void test_init(void) {
    gr_error err;
    gr_mlp_spec s = spec3(2, 512, 2, 1, GR_ACT_RELU, 0, GR_ACT_IDENTITY);
    gr_mlp *net = NULL;
    gr_mlpd *netd = NULL;
    CHECK_OK(gr_mlp_alloc(&net, &s, 4, &err), &err);
    CHECK_OK(gr_mlpd_alloc(&netd, &s, 4, &err), &err);
    if (!net || !netd) return;
    gr_mlp_layer l1 = gr_mlp_layer_info(net, 1);
    size_t nw = l1.in_dim * l1.out_dim;
    for (int sch = 0; sch <= GR_INIT_HE; sch++) {
        gsl_rng *r = NULL;
        CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_INIT, &err), &err);
        gsl_rng *r2 = NULL;
        CHECK_OK(gr_rng_alloc(&r2, 7, GR_STREAM_INIT, &err), &err);
        CHECK_OK(gr_mlp_init(net, (gr_init)sch, r, &err), &err);
        CHECK_OK(gr_mlpd_init(netd, (gr_init)sch, r2, &err), &err);
        const float *p = gr_mlp_params(net);
        const float *W = p + l1.w_offset, *b = p + l1.b_offset;
        double fin = 512, fout = 512;
        switch ((gr_init)sch) {
        case GR_INIT_TORCH:
            check_moments(W, nw, 1 / sqrt(fin), 1 / (3 * fin), "torch W");
            for (size_t j = 0; j < 512; j++)
                CHECK(fabs(b[j]) <= 1 / sqrt(fin) && b[j] != 0);
            break;
        case GR_INIT_XAVIER:
            check_moments(W, nw, sqrt(6 / (fin + fout)), 2 / (fin + fout), "xavier W");
            break;
        case GR_INIT_NORMAL: check_moments(W, nw, 0, 0.02 * 0.02, "normal W"); break;
        case GR_INIT_HE: check_moments(W, nw, sqrt(6 / fin), 2 / fin, "he W"); break;
        }
        if (sch != GR_INIT_TORCH) {
            size_t nz = 0;
            for (size_t j = 0; j < 512; j++)
                nz += b[j] != 0;
            CHECK(nz == 0);
        }
        /* float and double draw the same values */
        size_t bad = 0;
        for (size_t i = 0; i < gr_mlp_n_params(net); i++)
            bad += p[i] != (float)gr_mlpd_params(netd)[i];
        CHECK(bad == 0);
        gr_rng_free(r);
        gr_rng_free(r2);
    }
    CHECK_STATUS(gr_mlp_init(net, GR_INIT_TORCH, NULL, &err), GR_EINVAL);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_INIT, &err), &err);
    CHECK_STATUS(gr_mlp_init(net, (gr_init)9, r, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "scheme");
    gr_rng_free(r);
    gr_mlp_free(net);
    gr_mlpd_free(netd);
}

static void test_pass_errors(void) {
    gr_error err;
    gr_mlp_spec s = spec3(3, 4, 1, 2, GR_ACT_TANH, 0, GR_ACT_IDENTITY);
    gr_mlp *net = NULL;
    CHECK_OK(gr_mlp_alloc(&net, &s, 5, &err), &err);
    if (!net) return;
    float x[6 * 3] = {0}, y[12], dy[12] = {0}, dx[18];
    CHECK_STATUS(gr_mlp_backward(net, dx, dy, 2, &err), GR_EINVAL); /* no forward yet */
    CHECK_STR_CONTAINS(err.msg, "no cached forward");
    CHECK_STATUS(gr_mlp_forward(net, y, x, 6, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "batch 6 must be in 1..5");
    CHECK_STATUS(gr_mlp_forward(net, y, x, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_mlp_forward(net, y, NULL, 2, &err), GR_EINVAL);
    CHECK_OK(gr_mlp_forward(net, y, x, 3, &err), &err);
    CHECK_STATUS(gr_mlp_backward(net, dx, dy, 2, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "differs from the forward's 3");
    CHECK_STATUS(gr_mlp_backward(net, dx, NULL, 3, &err), GR_EINVAL);
    CHECK_STATUS(gr_mlp_backward_input(net, NULL, dy, 3, &err), GR_EINVAL);
    CHECK_OK(gr_mlp_backward(net, NULL, dy, 3, &err), &err);
    CHECK_STATUS(gr_mlp_input_grad(net, dx, x, 3, &err), GR_EMISMATCH); /* out_dim 2 */
    CHECK_STR_CONTAINS(err.msg, "out_dim 1");
    CHECK_STATUS(gr_mlp_gp(net, NULL, NULL, x, 3, 10.0, &err), GR_EMISMATCH);
    gr_mlp_free(net);
    gr_mlp_spec c = spec3(3, 4, 1, 1, GR_ACT_TANH, 0, GR_ACT_IDENTITY);
    CHECK_OK(gr_mlp_alloc(&net, &c, 5, &err), &err);
    if (!net) return;
    CHECK_STATUS(gr_mlp_gp(net, NULL, NULL, x, 3, NAN, &err), GR_EINVAL);
    CHECK_STATUS(gr_mlp_gp(net, NULL, NULL, x, 9, 10.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_mlp_input_grad(net, NULL, x, 3, &err), GR_EINVAL);
    /* a zero input gradient (all-zero weights): penalty lambda, gradient direction 0 */
    double pen = 0;
    float gn[3];
    gr_mlp_zero_grad(net);
    CHECK_OK(gr_mlp_gp(net, &pen, gn, x, 3, 10.0, &err), &err);
    CHECK_CLOSE(pen, 10.0, 0, 0);
    CHECK(gn[0] == 0.0f);
    for (size_t i = 0; i < gr_mlp_n_params(net); i++)
        CHECK(gr_mlp_grads(net)[i] == 0.0f);
    gr_mlp_free(net);
}

/* Float network vs its double twin with identical (float-representable) parameters. */
static void test_float_matches_double(void) {
    gr_error err;
    const gr_act acts[] = {GR_ACT_RELU,     GR_ACT_LEAKY_RELU, GR_ACT_TANH,
                           GR_ACT_SOFTPLUS, GR_ACT_ELU,        GR_ACT_SIGMOID};
    for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
        gr_mlp_spec s = spec3(5, 64, 3, 1, acts[a], 0.2, GR_ACT_IDENTITY);
        gr_mlp *f = NULL;
        gr_mlpd *d = NULL;
        CHECK_OK(gr_mlp_alloc(&f, &s, 32, &err), &err);
        CHECK_OK(gr_mlpd_alloc(&d, &s, 32, &err), &err);
        if (!f || !d) return;
        gsl_rng *r = NULL;
        CHECK_OK(gr_rng_alloc(&r, 11, GR_STREAM_TEST, &err), &err);
        CHECK_OK(gr_mlp_init(f, GR_INIT_TORCH, r, &err), &err);
        size_t np = gr_mlp_n_params(f);
        for (size_t i = 0; i < np; i++)
            gr_mlpd_params(d)[i] = gr_mlp_params(f)[i];
        float x[32 * 5], gxf[32 * 5], dyf[32], gnf[32];
        double xd[32 * 5], gxd[32 * 5], dyd[32], gnd[32];
        for (size_t i = 0; i < 32 * 5; i++)
            xd[i] = x[i] = (float)(4 * gsl_rng_uniform(r) - 2);
        for (size_t i = 0; i < 32; i++)
            dyd[i] = dyf[i] = (float)(gsl_rng_uniform(r) - 0.5);
        gr_mlp_zero_grad(f);
        gr_mlpd_zero_grad(d);
        CHECK_OK(gr_mlp_forward(f, NULL, x, 32, &err), &err);
        CHECK_OK(gr_mlpd_forward(d, NULL, xd, 32, &err), &err);
        CHECK_ARRAY_CLOSE(gr_mlp_output(f), gr_mlpd_output(d), 32, 1e-5, 1e-6);
        CHECK_OK(gr_mlp_backward(f, gxf, dyf, 32, &err), &err);
        CHECK_OK(gr_mlpd_backward(d, gxd, dyd, 32, &err), &err);
        CHECK_ARRAY_CLOSE(gxf, gxd, 32 * 5, 1e-4, 1e-6);
        CHECK_ARRAY_CLOSE(gr_mlp_grads(f), gr_mlpd_grads(d), np, 1e-4, 1e-6);
        double pf, pd;
        gr_mlp_zero_grad(f);
        gr_mlpd_zero_grad(d);
        CHECK_OK(gr_mlp_gp(f, &pf, gnf, x, 32, 10.0, &err), &err);
        CHECK_OK(gr_mlpd_gp(d, &pd, gnd, xd, 32, 10.0, &err), &err);
        CHECK_CLOSE(pf, pd, 1e-5, 0);
        CHECK_ARRAY_CLOSE(gnf, gnd, 32, 1e-5, 0);
        double gscale = 0;
        for (size_t i = 0; i < np; i++)
            gscale = fmax(gscale, fabs(gr_mlpd_grads(d)[i]));
        CHECK_ARRAY_CLOSE(gr_mlp_grads(f), gr_mlpd_grads(d), np, 0, 1e-5 * gscale);
        gr_rng_free(r);
        gr_mlp_free(f);
        gr_mlpd_free(d);
    }
}

/* A smaller batch gives the same rows; the same calls give identical bits. */
static void test_batch_and_determinism(void) {
    gr_error err;
    gr_mlp_spec s = spec3(2, 128, 2, 2, GR_ACT_RELU, 0, GR_ACT_TANH);
    gr_mlp *a = NULL, *b = NULL;
    CHECK_OK(gr_mlp_alloc(&a, &s, 64, &err), &err);
    CHECK_OK(gr_mlp_alloc(&b, &s, 64, &err), &err);
    if (!a || !b) return;
    gsl_rng *r1 = NULL;
    CHECK_OK(gr_rng_alloc(&r1, 3, GR_STREAM_INIT, &err), &err);
    gsl_rng *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r2, 3, GR_STREAM_INIT, &err), &err);
    gr_mlp_init(a, GR_INIT_HE, r1, NULL);
    gr_mlp_init(b, GR_INIT_HE, r2, NULL);
    float x[64 * 2], y64[64 * 2], y5[5 * 2], dy[64 * 2];
    for (size_t i = 0; i < 128; i++)
        x[i] = (float)(gsl_rng_uniform(r1) * 3 - 1.5);
    for (size_t i = 0; i < 128; i++)
        dy[i] = (float)(gsl_rng_uniform(r1) - 0.5);
    CHECK_OK(gr_mlp_forward(a, y64, x, 64, &err), &err);
    CHECK_OK(gr_mlp_forward(a, y5, x, 5, &err), &err);
    /* not bitwise: OpenBLAS picks kernels (and summation orders) by shape */
    CHECK_ARRAY_CLOSE(y5, y64, 10, 1e-5, 1e-6);
    gr_mlp_zero_grad(a);
    gr_mlp_zero_grad(b);
    for (int rep = 0; rep < 2; rep++) {
        CHECK_OK(gr_mlp_forward(a, NULL, x, 64, &err), &err);
        CHECK_OK(gr_mlp_backward(a, NULL, dy, 64, &err), &err);
        CHECK_OK(gr_mlp_forward(b, NULL, x, 64, &err), &err);
        CHECK_OK(gr_mlp_backward(b, NULL, dy, 64, &err), &err);
    }
    CHECK(memcmp(gr_mlp_grads(a), gr_mlp_grads(b), gr_mlp_n_params(a) * sizeof(float)) == 0);
    gr_rng_free(r1);
    gr_rng_free(r2);
    gr_mlp_free(a);
    gr_mlp_free(b);
}

/* The slow, obvious reference next to the fast kernels (llm.c habit): per sample, per unit,
 * a = sum_k W[j,k] h[k] + b[j], h = sigma(a) with the textbook formula, in double. */
static double naive_act(gr_act act, double alpha, double a) {
    switch (act) {
    case GR_ACT_RELU: return a > 0 ? a : 0;
    case GR_ACT_LEAKY_RELU: return a > 0 ? a : alpha * a;
    case GR_ACT_TANH: return tanh(a);
    case GR_ACT_SIGMOID: return 1 / (1 + exp(-a));
    case GR_ACT_SOFTPLUS: return log(1 + exp(a));
    case GR_ACT_ELU: return a > 0 ? a : alpha * (exp(a) - 1);
    default: return a;
    }
}

static void test_forward_vs_naive(void) {
    gr_error err;
    for (int act = 0; act < GR_ACT_COUNT; act++) {
        gr_mlp_spec s = spec3(6, 33, 2, 3, (gr_act)act, 0.35, (gr_act)((act + 1) % GR_ACT_COUNT));
        s.hidden[1] = 17;
        s.out_alpha = 0.8;
        gr_mlp *net = NULL;
        CHECK_OK(gr_mlp_alloc(&net, &s, 9, &err), &err);
        if (!net) return;
        gsl_rng *r = NULL;
        CHECK_OK(gr_rng_alloc(&r, 5, GR_STREAM_TEST, &err), &err);
        CHECK_OK(gr_mlp_init(net, GR_INIT_XAVIER, r, &err), &err);
        float *p = gr_mlp_params(net);
        for (size_t i = 0; i < gr_mlp_n_params(net); i++)
            p[i] += (float)(0.3 * gsl_rng_uniform(r));
        float x[9 * 6], y[9 * 3];
        for (size_t i = 0; i < 54; i++)
            x[i] = (float)(6 * gsl_rng_uniform(r) - 3);
        CHECK_OK(gr_mlp_forward(net, y, x, 9, &err), &err);
        double want[9 * 3], h[64], a[64];
        for (size_t i = 0; i < 9; i++) {
            for (size_t k = 0; k < 6; k++)
                h[k] = x[i * 6 + k];
            for (size_t l = 0; l < gr_mlp_n_layers(net); l++) {
                gr_mlp_layer ly = gr_mlp_layer_info(net, l);
                for (size_t j = 0; j < ly.out_dim; j++) {
                    double acc = p[ly.b_offset + j];
                    for (size_t k = 0; k < ly.in_dim; k++)
                        acc += (double)p[ly.w_offset + j * ly.in_dim + k] * h[k];
                    a[j] = naive_act(ly.act, ly.alpha, acc);
                }
                memcpy(h, a, ly.out_dim * sizeof *h);
            }
            for (size_t j = 0; j < 3; j++)
                want[i * 3 + j] = h[j];
        }
        CHECK_ARRAY_CLOSE(y, want, 27, 1e-5, 1e-6);
        gr_rng_free(r);
        gr_mlp_free(net);
    }
}

/* Per-layer gradient norms (CLAIMS C33 probe) against a naive double backward:
 * tanh 3-5-4-2 net, identity output, d_L = dy, d_{l-1} = (d_l W_l) (.) (1 - h_{l-1}^2). */
static void test_layer_grad_norms(void) {
    enum { B = 6, IN = 3, H1 = 5, H2 = 4, OUT = 2 };
    gr_error err;
    gr_mlp_spec s = spec3(IN, H1, 2, OUT, GR_ACT_TANH, 0, GR_ACT_IDENTITY);
    s.hidden[1] = H2;
    gr_mlpd *nd = NULL;
    gr_mlp *nf = NULL;
    CHECK_OK(gr_mlpd_alloc(&nd, &s, B, &err), &err);
    CHECK_OK(gr_mlp_alloc(&nf, &s, B, &err), &err);
    if (!nd || !nf) return;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 31, GR_STREAM_TEST, &err), &err);
    CHECK_OK(gr_mlpd_init(nd, GR_INIT_TORCH, r, &err), &err);
    const double *P = gr_mlpd_params(nd);
    float *pf = gr_mlp_params(nf);
    for (size_t i = 0; i < gr_mlpd_n_params(nd); i++)
        pf[i] = (float)P[i];
    double x[B * IN], dy[B * OUT];
    float xf[B * IN], dyf[B * OUT];
    for (size_t i = 0; i < B * IN; i++) {
        xf[i] = (float)(2.385 * gsl_rng_uniform(r) - 1.2);
        x[i] = (double)xf[i]; /* both nets see the same (float-representable) inputs */
    }
    for (size_t i = 0; i < B * OUT; i++)
        dyf[i] = (float)(dy[i] = gsl_rng_uniform(r) - 0.4);
    double norms[3], normsf[3];
    /* before any backward: refused */
    CHECK_STATUS(gr_mlpd_layer_grad_norms(nd, norms, 3, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "no backward");
    CHECK_OK(gr_mlpd_forward(nd, NULL, x, B, &err), &err);
    CHECK_OK(gr_mlpd_backward_input(nd, x, dy, B, &err), &err); /* dx into x: x no longer used */
    CHECK_OK(gr_mlpd_layer_grad_norms(nd, norms, 3, &err), &err);
    CHECK_STATUS(gr_mlpd_layer_grad_norms(nd, norms, 2, &err), GR_EMISMATCH);
    CHECK_STATUS(gr_mlpd_layer_grad_norms(nd, NULL, 3, &err), GR_EINVAL);

    /* naive reference from the same inputs (recomputed from xf, exactly the doubles used) */
    const size_t w[4] = {IN, H1, H2, OUT};
    double h[4][B * H1], dl[4][B * H1];
    for (size_t i = 0; i < B * IN; i++)
        h[0][i] = (double)xf[i];
    for (size_t l = 1; l <= 3; l++) {
        gr_mlp_layer ly = gr_mlpd_layer_info(nd, l - 1);
        for (size_t b = 0; b < B; b++)
            for (size_t o = 0; o < w[l]; o++) {
                double a = P[ly.b_offset + o];
                for (size_t k = 0; k < w[l - 1]; k++)
                    a += h[l - 1][b * w[l - 1] + k] * P[ly.w_offset + o * w[l - 1] + k];
                h[l][b * w[l] + o] = l < 3 ? tanh(a) : a;
            }
    }
    for (size_t i = 0; i < B * OUT; i++)
        dl[3][i] = dy[i];
    for (size_t l = 3; l >= 2; l--) {
        gr_mlp_layer ly = gr_mlpd_layer_info(nd, l - 1);
        for (size_t b = 0; b < B; b++)
            for (size_t k = 0; k < w[l - 1]; k++) {
                double e = 0;
                for (size_t o = 0; o < w[l]; o++)
                    e += dl[l][b * w[l] + o] * P[ly.w_offset + o * w[l - 1] + k];
                double t = h[l - 1][b * w[l - 1] + k];
                dl[l - 1][b * w[l - 1] + k] = e * (1.0 - t * t);
            }
    }
    for (size_t l = 1; l <= 3; l++) {
        double ss = 0;
        for (size_t i = 0; i < B * w[l]; i++)
            ss += dl[l][i] * dl[l][i];
        CHECK_CLOSE(norms[l - 1], sqrt(ss), 1e-12, 0);
    }
    /* float twin agrees to float precision */
    float dxf[B * IN];
    CHECK_OK(gr_mlp_forward(nf, NULL, xf, B, &err), &err);
    CHECK_OK(gr_mlp_backward(nf, dxf, dyf, B, &err), &err);
    CHECK_OK(gr_mlp_layer_grad_norms(nf, normsf, 3, &err), &err);
    CHECK_ARRAY_CLOSE(normsf, norms, 3, 1e-5, 0);
    /* a new forward, an input gradient or a penalty invalidates them */
    CHECK_OK(gr_mlp_forward(nf, NULL, xf, B, &err), &err);
    CHECK_STATUS(gr_mlp_layer_grad_norms(nf, normsf, 3, &err), GR_EINVAL);
    gr_mlp_spec s1 = spec3(IN, H1, 1, 1, GR_ACT_TANH, 0, GR_ACT_IDENTITY);
    gr_mlp *n1 = NULL;
    CHECK_OK(gr_mlp_alloc(&n1, &s1, B, &err), &err);
    if (n1) {
        CHECK_OK(gr_mlp_init(n1, GR_INIT_TORCH, r, &err), &err);
        float g[B * IN];
        CHECK_OK(gr_mlp_input_grad(n1, g, xf, B, &err), &err);
        CHECK_STATUS(gr_mlp_layer_grad_norms(n1, normsf, 2, &err), GR_EINVAL);
        double pen;
        CHECK_OK(gr_mlp_gp(n1, &pen, NULL, xf, B, 10.0, &err), &err);
        CHECK_STATUS(gr_mlp_layer_grad_norms(n1, normsf, 2, &err), GR_EINVAL);
    }
    gr_mlp_free(n1);
    gr_mlp_free(nf);
    gr_mlpd_free(nd);
    gsl_rng_free(r);
}

/* tiny gradients: the scaled sum of squares neither underflows nor overflows */
static void test_layer_grad_norms_extreme(void) {
    gr_error err;
    gr_mlp_spec s = spec3(2, 3, 1, 1, GR_ACT_IDENTITY, 0, GR_ACT_IDENTITY);
    gr_mlpd *nd = NULL;
    CHECK_OK(gr_mlpd_alloc(&nd, &s, 2, &err), &err);
    if (!nd) return;
    double *P = gr_mlpd_params(nd);
    for (size_t i = 0; i < gr_mlpd_n_params(nd); i++)
        P[i] = 1.0;
    double x[4] = {1, 2, 3, 4}, dy[2] = {3e-200, 4e-200}, dx[4], norms[2];
    CHECK_OK(gr_mlpd_forward(nd, NULL, x, 2, &err), &err);
    CHECK_OK(gr_mlpd_backward_input(nd, dx, dy, 2, &err), &err);
    CHECK_OK(gr_mlpd_layer_grad_norms(nd, norms, 2, &err), &err);
    CHECK_CLOSE(norms[1], 5e-200, 1e-14, 0);             /* ||dy|| */
    CHECK_CLOSE(norms[0], sqrt(3.0) * 5e-200, 1e-14, 0); /* each hidden unit gets dy_b */
    gr_mlpd_free(nd);
}

int main(void) {
    gr_core_init();
    RUN(test_spec_errors);
    RUN(test_layout_and_describe);
    RUN(test_init);
    RUN(test_forward_vs_naive);
    RUN(test_pass_errors);
    RUN(test_float_matches_double);
    RUN(test_batch_and_determinism);
    RUN(test_layer_grad_norms);
    RUN(test_layer_grad_norms_extreme);
    return TEST_MAIN_END();
}
