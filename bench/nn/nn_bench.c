/* bench/nn/nn_bench: generator iterations per second of ganrepro's MLP engine (nn/mlp.h,
 * nn/optim.h) on the five GAN workloads of issue 4, the same ones bench/nn/torch_bench.py
 * runs on PyTorch (nets, batch, losses, optimizers, data: bench/nn/workloads.h).
 *
 *   bench_nn [--models toy_wgangp,...] [--threads 1,2] [--repeats 3] [--seconds 1.5]
 *            [--split] [--digest N]
 *
 * Each iteration is the full path a trainer takes: real batch (8 Gaussians, or uniform
 * [-1,1]^784 standing in for MNIST), noise z ~ N(0, I), G forward, D/critic forward and
 * backward, the WGAN-GP penalty by double backprop, optimizer steps, clipping. By default
 * the critic/discriminator sees real and fake in ONE pass of 2B rows (the losses are sums
 * over samples, so this is the same gradient as two passes; fewer, larger GEMMs);
 * --split runs two B-row passes as torch_bench.py does (measured 2026-11-21: no difference
 * at 1 thread on these shapes).
 *
 * Threads: openblas_set_num_threads(t); the engine's own elementwise kernels are serial.
 * Output: one JSON line per (model, threads) with the median iterations/s over repeats,
 * GFLOP/s from the analytic GEMM count of workloads.h, the CPU used by other processes
 * during the timed repeats, and the number of malloc-family calls made by ganrepro code
 * inside the timed loop (the link wraps malloc/calloc/realloc/aligned_alloc for the objects
 * of this program and libganrepro.a). It must be 0 (no allocation in a training step):
 * otherwise bench_nn reports the count and exits 1 after printing the line.
 * Losses and their output gradients come from nn/loss.h, so the loss values are computed
 * every step as a trainer would (and PyTorch does).
 */
/* GSL inline versions of gsl_rng_uniform & co. (same values; the data draws are ~4% of (d)) */
#define HAVE_INLINE
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "core/error.h"
#include "core/log.h"
#include "core/rng.h"
#include "linalg/blas_core.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "nn/optim.h"
#include "workloads.h"

/* OpenBLAS's thread control (from its cblas.h, which clashes with gsl_cblas.h that GSL's
 * headers pull in; the two functions are all this program needs from it). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);

/* ---- allocation counter (see the file comment; -Wl,--wrap=... in CMakeLists.txt) ------- */

static unsigned long bench_allocs; /* single-threaded program: a plain counter */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t s);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t s);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);

void *__wrap_malloc(size_t n) {
    bench_allocs++;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t s) {
    bench_allocs++;
    return __real_calloc(n, s);
}
void *__wrap_realloc(void *p, size_t n) {
    bench_allocs++;
    return __real_realloc(p, n);
}
void *__wrap_aligned_alloc(size_t a, size_t n) {
    bench_allocs++;
    return __real_aligned_alloc(a, n);
}

/* ---- one training run's state -------------------------------------------------------- */

typedef struct {
    const bench_workload *w;
    int split;
    size_t xd; /* data dimension (G output = D input) */
    gr_mlp *g, *d;
    gr_optim *og, *od;
    gsl_rng *r_data, *r_prior, *r_interp;
    float *z;     /* B x zdim */
    float *x;     /* 2B x xd: real rows, then fake rows */
    float *xhat;  /* B x xd: GP interpolates */
    float *dfake; /* B x xd: dLoss/dfake through the frozen D */
    float *dy;    /* 2B: dLoss/dD-output */
    float *logit; /* 2B: D outputs */
    double lambda;
    float clip;
} bench_run;

static gr_mlp_spec make_spec(const bench_net *net, gr_act hid, double alpha, gr_act out) {
    gr_mlp_spec s;
    memset(&s, 0, sizeof s);
    s.in_dim = net->sizes[0];
    s.n_hidden = net->nsizes - 2;
    for (size_t i = 0; i < s.n_hidden; i++)
        s.hidden[i] = net->sizes[i + 1];
    s.out_dim = net->sizes[net->nsizes - 1];
    s.hidden_act = hid;
    s.hidden_alpha = alpha;
    s.out_act = out;
    s.out_alpha = 0.0;
    return s;
}

static void run_free(bench_run *b) {
    gr_mlp_free(b->g);
    gr_mlp_free(b->d);
    gr_optim_free(b->og);
    gr_optim_free(b->od);
    gr_rng_free(b->r_data);
    gr_rng_free(b->r_prior);
    gr_rng_free(b->r_interp);
    free(b->z);
    free(b->x);
    free(b->xhat);
    free(b->dfake);
    free(b->dy);
    free(b->logit);
}

/* 64-byte aligned floats; aligned_alloc wants a size that is a multiple of the alignment */
static float *alloc_floats(size_t n) {
    return aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64);
}

static int run_alloc(bench_run *b, const bench_workload *w, int split, gr_error *err) {
    memset(b, 0, sizeof *b);
    b->w = w;
    b->split = split;
    size_t B = w->batch;
    b->xd = w->d.sizes[0];
    gr_act hid = w->mnist ? GR_ACT_LEAKY_RELU : GR_ACT_RELU;
    double alpha = w->mnist ? 0.2 : 0.0;
    gr_mlp_spec gs = make_spec(&w->g, hid, alpha, w->mnist ? GR_ACT_TANH : GR_ACT_IDENTITY);
    gr_mlp_spec ds = make_spec(&w->d, hid, alpha, GR_ACT_IDENTITY);
    gr_optim_config cg, cd;
    if (w->method == BENCH_WGAN_CLIP) { /* CLAIMS.md §0 method 4 */
        cg = gr_optim_config_default(GR_OPTIM_RMSPROP);
        cg.lr = 5e-5;
        b->clip = 0.01f;
    } else if (w->method == BENCH_WGANGP) { /* method 5 */
        cg = gr_optim_config_default(GR_OPTIM_ADAM);
        cg.lr = 1e-4;
        cg.beta1 = 0.0;
        cg.beta2 = 0.9;
        b->lambda = 10.0;
    } else { /* DCGAN-style Adam, as torch_bench.py */
        cg = gr_optim_config_default(GR_OPTIM_ADAM);
        cg.lr = w->mnist ? 2e-4 : 1e-4;
        cg.beta1 = 0.5;
        cg.beta2 = 0.999;
    }
    cd = cg;
    gsl_rng *r_init = NULL; /* each alloc leaves NULL on failure: reported below */
    (void)gr_rng_alloc(&r_init, 1, GR_STREAM_INIT, NULL);
    (void)gr_rng_alloc(&b->r_data, 1, GR_STREAM_DATA, NULL);
    (void)gr_rng_alloc(&b->r_prior, 1, GR_STREAM_PRIOR, NULL);
    (void)gr_rng_alloc(&b->r_interp, 1, GR_STREAM_INTERP, NULL);
    b->z = alloc_floats(B * w->zdim);
    b->x = alloc_floats(2 * B * b->xd);
    b->xhat = alloc_floats(B * b->xd);
    b->dfake = alloc_floats(B * b->xd);
    b->dy = alloc_floats(2 * B);
    b->logit = alloc_floats(2 * B);
    int st = GR_OK;
    if (!r_init || !b->r_data || !b->r_prior || !b->r_interp || !b->z || !b->x || !b->xhat ||
        !b->dfake || !b->dy || !b->logit)
        st = GR_ERROR(err, GR_ENOMEM, "bench: out of memory");
    if (st == GR_OK) st = gr_mlp_alloc(&b->g, &gs, B, err);
    if (st == GR_OK) st = gr_mlp_alloc(&b->d, &ds, 2 * B, err);
    if (st == GR_OK) st = gr_mlp_init(b->g, GR_INIT_TORCH, r_init, err);
    if (st == GR_OK) st = gr_mlp_init(b->d, GR_INIT_TORCH, r_init, err);
    if (st == GR_OK) st = gr_optim_alloc(&b->og, &cg, gr_mlp_n_params(b->g), err);
    if (st == GR_OK) st = gr_optim_alloc(&b->od, &cd, gr_mlp_n_params(b->d), err);
    gr_rng_free(r_init);
    if (st != GR_OK) run_free(b);
    return st;
}

/* 8 Gaussians on a circle of radius 2, std 0.02, divided by 1.414 (gan_toy.py), or
 * uniform [-1, 1]^784 standing in for an MNIST batch (as torch_bench.py). */
static void sample_real(bench_run *b, float *x) {
    size_t B = b->w->batch;
    if (b->w->mnist) {
        gr_rng_uniform_fill(b->r_data, x, B * b->xd, -1.0, 1.0);
        return;
    }
    for (size_t i = 0; i < B; i++) {
        double k = (double)gsl_rng_uniform_int(b->r_data, 8) * (M_PI / 4.0);
        x[2 * i] = (float)((2.0 * cos(k) + gsl_ran_gaussian_ziggurat(b->r_data, 0.02)) / 1.414);
        x[2 * i + 1] = (float)((2.0 * sin(k) + gsl_ran_gaussian_ziggurat(b->r_data, 0.02)) / 1.414);
    }
}

static void sample_z(bench_run *b) {
    for (size_t i = 0; i < b->w->batch * b->w->zdim; i++)
        b->z[i] = (float)gsl_ran_gaussian_ziggurat(b->r_prior, 1.0);
}

/* D/critic forward and backward on real and fake with the loss of nn/loss.h: one 2B-row
 * pass, or (--split) two B-row passes. The losses' per-sample gradients depend only on
 * that sample's output, so in split mode g_real is taken from a first call made before the
 * fake pass (its fake half is a placeholder), and the second call gives the value. */
static int d_real_fake(bench_run *b, int wgan, double *loss, gr_error *err) {
    size_t B = b->w->batch, xd = b->xd;
    float *lr = b->logit, *lf = b->logit + B, *gr = b->dy, *gf = b->dy + B;
    if (b->split) {
        GR_TRY(gr_mlp_forward(b->d, lr, b->x, B, err));
        GR_TRY(wgan ? gr_loss_wgan_critic(loss, gr, NULL, lr, B, lr, B, err)
                    : gr_loss_d_bce(loss, gr, NULL, lr, B, lr, B, err));
        GR_TRY(gr_mlp_backward(b->d, NULL, gr, B, err));
        GR_TRY(gr_mlp_forward(b->d, lf, b->x + B * xd, B, err));
        GR_TRY(wgan ? gr_loss_wgan_critic(loss, NULL, gf, lr, B, lf, B, err)
                    : gr_loss_d_bce(loss, NULL, gf, lr, B, lf, B, err));
        return gr_mlp_backward(b->d, NULL, gf, B, err);
    }
    GR_TRY(gr_mlp_forward(b->d, b->logit, b->x, 2 * B, err));
    GR_TRY(wgan ? gr_loss_wgan_critic(loss, gr, gf, lr, B, lf, B, err)
                : gr_loss_d_bce(loss, gr, gf, lr, B, lf, B, err));
    return gr_mlp_backward(b->d, NULL, b->dy, 2 * B, err);
}

/* One critic step of WGAN (clip) / WGAN-GP: L = mean f(fake) - mean f(real) [+ GP]. */
static int critic_step(bench_run *b, gr_error *err) {
    size_t B = b->w->batch, xd = b->xd;
    float *real = b->x, *fake = b->x + B * xd;
    double loss;
    sample_real(b, real);
    sample_z(b);
    GR_TRY(gr_mlp_forward(b->g, fake, b->z, B, err));
    gr_mlp_zero_grad(b->d);
    GR_TRY(d_real_fake(b, 1, &loss, err));
    if (b->w->method == BENCH_WGANGP) {
        for (size_t i = 0; i < B; i++) {
            float e = (float)gsl_rng_uniform(b->r_interp);
            for (size_t k = 0; k < xd; k++)
                b->xhat[i * xd + k] = e * real[i * xd + k] + (1.0f - e) * fake[i * xd + k];
        }
        double pen;
        GR_TRY(gr_mlp_gp(b->d, &pen, NULL, b->xhat, B, b->lambda, err));
    }
    float *pd = gr_mlp_params(b->d);
    size_t nd = gr_mlp_n_params(b->d);
    GR_TRY(gr_optim_step(b->od, pd, gr_mlp_grads(b->d), nd, err));
    if (b->w->method == BENCH_WGAN_CLIP) GR_TRY(gr_optim_clip(pd, nd, b->clip, err));
    return GR_OK;
}

/* Generator step through a frozen D (its grads untouched): -mean log D(G(z)) (ns) or
 * -mean f(G(z)). fresh_fake = 0 reuses the fake batch and G's cached forward. */
static int generator_step(bench_run *b, int ns, int fresh_fake, gr_error *err) {
    size_t B = b->w->batch, xd = b->xd;
    float *fake = b->x + B * xd;
    double loss;
    if (fresh_fake) {
        sample_z(b);
        GR_TRY(gr_mlp_forward(b->g, fake, b->z, B, err));
    }
    GR_TRY(gr_mlp_forward(b->d, b->logit, fake, B, err));
    GR_TRY(ns ? gr_loss_g_nonsat(&loss, b->dy, b->logit, B, err)
              : gr_loss_wgan_gen(&loss, b->dy, b->logit, B, err));
    GR_TRY(gr_mlp_backward_input(b->d, b->dfake, b->dy, B, err));
    gr_mlp_zero_grad(b->g);
    GR_TRY(gr_mlp_backward(b->g, NULL, b->dfake, B, err));
    return gr_optim_step(b->og, gr_mlp_params(b->g), gr_mlp_grads(b->g), gr_mlp_n_params(b->g),
                         err);
}

/* Non-saturating GAN, 1 D step (BCE on real and fake), then the G step on the same fake
 * batch, D re-run after its update (as torch_bench.py). */
static int gan_ns_iteration(bench_run *b, gr_error *err) {
    size_t B = b->w->batch, xd = b->xd;
    double loss;
    sample_real(b, b->x);
    sample_z(b);
    GR_TRY(gr_mlp_forward(b->g, b->x + B * xd, b->z, B, err));
    gr_mlp_zero_grad(b->d);
    GR_TRY(d_real_fake(b, 0, &loss, err));
    GR_TRY(
        gr_optim_step(b->od, gr_mlp_params(b->d), gr_mlp_grads(b->d), gr_mlp_n_params(b->d), err));
    return generator_step(b, 1, 0, err);
}

static int iteration(bench_run *b, gr_error *err) {
    if (b->w->method == BENCH_GAN_NS) return gan_ns_iteration(b, err);
    for (size_t c = 0; c < b->w->n_critic; c++)
        GR_TRY(critic_step(b, err));
    return generator_step(b, 0, 1, err);
}

static int measure(const bench_workload *w, int threads, int repeats, double seconds, int split,
                   gr_error *err) {
    bench_run b;
    openblas_set_num_threads(threads);
    GR_TRY(run_alloc(&b, w, split, err));
    int st = GR_OK;
    /* warm-up and calibration: about 0.3 * seconds */
    double t0 = bench_now();
    long n = 0;
    while (st == GR_OK && (n < 2 || bench_now() - t0 < 0.3 * seconds)) {
        st = iteration(&b, err);
        n++;
    }
    long iters = (long)(seconds / ((bench_now() - t0) / (double)n));
    if (iters < 2) iters = 2;
    double rate[64], cpu_rate[64], other[64], other_max = 0.0;
    unsigned long allocs = 0;
    for (int r = 0; r < repeats && st == GR_OK; r++) {
        bench_load_mark mk;
        unsigned long a0 = bench_allocs;
        bench_load_begin(&mk);
        for (long i = 0; i < iters && st == GR_OK; i++)
            st = iteration(&b, err);
        double own;
        double dt = bench_load_end(&mk, &other[r], &own);
        allocs += bench_allocs - a0;
        rate[r] = (double)iters / dt;
        cpu_rate[r] = (double)iters / own; /* per CPU-second, all threads of this process */
        if (other[r] > other_max) other_max = other[r];
    }
    if (st == GR_OK) {
        double fl = bench_workload_flops(w);
        double med = bench_median(rate, (size_t)repeats), lo = rate[0], hi = rate[0];
        for (int r = 1; r < repeats; r++) {
            if (rate[r] < lo) lo = rate[r];
            if (rate[r] > hi) hi = rate[r];
        }
        printf("{\"impl\": \"ganrepro\", \"model\": \"%s\", \"threads\": %d, \"blas_threads\": %d, "
               "\"blas_core\": \"%s\", "
               "\"concat_real_fake\": %d, \"iters_per_repeat\": %ld, \"repeats\": %d, "
               "\"rate_median\": %.4f, \"rate_min\": %.4f, \"rate_max\": %.4f, "
               "\"cpu_rate_median\": %.4f, "
               "\"gflop_per_iter\": %.4f, \"gflops\": %.2f, \"allocs_in_loop\": %lu, "
               "\"other_cpu_cores\": [",
               w->name, threads, openblas_get_num_threads(), openblas_get_corename(), !split, iters,
               repeats, med, lo, hi, bench_median(cpu_rate, (size_t)repeats), fl / 1e9,
               fl * med / 1e9, allocs);
        for (int r = 0; r < repeats; r++)
            printf("%s%.2f", r ? ", " : "", other[r]);
        printf("]}\n");
        fflush(stdout);
    }
    run_free(&b);
    if (st == GR_OK && allocs > 0)
        st = GR_ERROR(err, GR_EINTERNAL,
                      "%s: %lu malloc-family calls by ganrepro code inside the timed loop "
                      "(a training step must not allocate)",
                      w->name, allocs);
    return st;
}

/* FNV-1a over the bytes of a float buffer */
static uint64_t fnv1a(const float *p, size_t n, uint64_t h) {
    const unsigned char *c = (const unsigned char *)p;
    for (size_t i = 0; i < n * sizeof(float); i++) {
        h ^= c[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* --digest N: N iterations from the fixed seeds at the current thread count, then a hash
 * of G's and D's parameters. Two builds (e.g. with different compiler flags) train
 * bit-identically iff their digests agree; OpenBLAS's results depend on the thread count
 * and the core (kernel set), so compare digests at the same --threads and core. */
static int digest(const bench_workload *w, int threads, long iters, int split, gr_error *err) {
    bench_run b;
    openblas_set_num_threads(threads);
    GR_TRY(run_alloc(&b, w, split, err));
    int st = GR_OK;
    for (long i = 0; i < iters && st == GR_OK; i++)
        st = iteration(&b, err);
    if (st == GR_OK) {
        uint64_t h = fnv1a(gr_mlp_params(b.g), gr_mlp_n_params(b.g), 14695981039346656037ull);
        h = fnv1a(gr_mlp_params(b.d), gr_mlp_n_params(b.d), h);
        printf("{\"impl\": \"ganrepro\", \"digest_of\": \"%s\", \"threads\": %d, \"iters\": %ld, "
               "\"concat_real_fake\": %d, \"params_fnv1a\": \"%016llx\"}\n",
               w->name, threads, iters, !split, (unsigned long long)h);
    }
    run_free(&b);
    return st;
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* the kernels every ganrepro program gets */
    gr_core_init();
    {
        gr_blas_info bi;
        gr_blas_info_get(&bi);
        char core[256];
        gr_blas_info_describe(&bi, core, sizeof core);
        fprintf(stderr, "bench_nn: BLAS core %s\n", core);
    }
    int threads[8], nthreads = 0, repeats = 3, split = 0;
    long digest_iters = 0;
    double seconds = 1.5;
    const char *models = NULL;
    /* --split is a flag: strip it before the common parser */
    char *args[64];
    int nargs = 0;
    for (int i = 0; i < argc && nargs < 64; i++) {
        if (strcmp(argv[i], "--split") == 0)
            split = 1;
        else if (strcmp(argv[i], "--digest") == 0 && i + 1 < argc)
            digest_iters = atol(argv[++i]);
        else
            args[nargs++] = argv[i];
    }
    if (bench_parse_common(nargs, args, threads, &nthreads, &repeats, &seconds, &models) != 0) {
        fprintf(stderr,
                "usage: %s [--models a,b] [--threads 1,2] [--repeats 3] [--seconds 1.5] "
                "[--split] [--digest N]\n",
                argv[0]);
        return 2;
    }
    if (models != NULL) { /* every listed name must be a workload: a typo is not "nothing" */
        const char *m = models;
        while (*m) {
            size_t len = strcspn(m, ",");
            int known = 0;
            for (size_t wi = 0; wi < BENCH_NWORKLOADS; wi++)
                known |= strlen(bench_workloads[wi].name) == len &&
                         strncmp(bench_workloads[wi].name, m, len) == 0;
            if (!known) {
                fprintf(stderr,
                        "%s: unknown workload \"%.*s\" in --models (expected a comma list of",
                        argv[0], (int)len, m);
                for (size_t wi = 0; wi < BENCH_NWORKLOADS; wi++)
                    fprintf(stderr, " %s", bench_workloads[wi].name);
                fprintf(stderr, ")\n");
                return 2;
            }
            m += len + (m[len] == ',');
        }
    }
    gr_error err;
    memset(&err, 0, sizeof err);
    for (size_t wi = 0; wi < BENCH_NWORKLOADS; wi++) {
        const bench_workload *w = &bench_workloads[wi];
        if (models != NULL) { /* comma list membership */
            const char *p = strstr(models, w->name);
            size_t len = strlen(w->name);
            int hit = 0;
            while (p != NULL && !hit) {
                hit = (p == models || p[-1] == ',') && (p[len] == ',' || p[len] == '\0');
                p = strstr(p + 1, w->name);
            }
            if (!hit) continue;
        }
        for (int ti = 0; ti < nthreads; ti++)
            if ((digest_iters > 0
                     ? digest(w, threads[ti], digest_iters, split, &err)
                     : measure(w, threads[ti], repeats, seconds, split, &err)) != GR_OK) {
                gr_log_error(&err);
                return 1;
            }
    }
    return 0;
}
