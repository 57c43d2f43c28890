/* bench/nn/nn_bench: generator iterations per second of ganrepro's GAN trainer
 * (gan/trainer.h's gr_gan_trainer_step, on nn/mlp.h and nn/optim.h) on the five GAN
 * workloads of issue 4, the same ones bench/nn/torch_bench.py runs on PyTorch (nets, batch,
 * losses, optimizers, data: bench/nn/workloads.h).
 *
 *   bench_nn [--models toy_wgangp,...] [--threads 1,2] [--repeats 3] [--seconds 1.5]
 *            [--digest N]
 *
 * Each iteration is one call of the trainer users run: real batch through a gr_sampler (8
 * Gaussians, or uniform [-1,1]^784 standing in for MNIST), noise z ~ N(0, I), G forward,
 * D/critic forward and backward on real and fake in ONE pass of 2B rows (the losses are
 * sums over samples: the same gradient as two passes, fewer and larger GEMMs; the old
 * --split mode with two passes is gone, it measured no difference at 1 thread on these
 * shapes on 2026-11-21), the WGAN-GP penalty by double backprop, optimizer steps, clipping,
 * and the trainer's divergence checks. The workload's config is bench_config() below.
 *
 * Threads: openblas_set_num_threads(t); the engine's own elementwise kernels are serial.
 * Output: one JSON line per (model, threads) with the median iterations/s over repeats,
 * GFLOP/s from the analytic GEMM count of workloads.h, the CPU used by other processes
 * during the timed repeats, and the number of malloc-family calls made by ganrepro code
 * inside the timed loop (the link wraps malloc/calloc/realloc/aligned_alloc for the objects
 * of this program and libganrepro.a). It must be 0 (no allocation in a training step):
 * otherwise bench_nn reports the count and exits 1 after printing the line.
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
#include "data/sampler.h"
#include "gan/trainer.h"
#include "linalg/blas_core.h"
#include "nn/mlp.h"
#include "workloads.h"

/* OpenBLAS's thread control (from its cblas.h, which clashes with gsl_cblas.h that GSL's
 * headers pull in; the two functions are all this program needs from it). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);

/* ---- allocation counter (see the file comment; -Wl,--wrap=... in CMakeLists.txt) ------- */

static volatile unsigned long bench_allocs; /* volatile: GCC assumes malloc touches no global */

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

/* ---- one training run: the product's trainer (gan/trainer.h) on the workload's config ---- */

/* The bench's data as gr_samplers. 8 Gaussians exactly as gan_toy.py draws them (centre
 * k ~ uniform_int(8), N(0, 0.02^2) per coordinate by the ziggurat, all / 1.414; the values
 * bench_nn drew by hand before it ran the trainer, so the digests did not move), or uniform
 * [-1, 1]^784 standing in for an MNIST batch (as torch_bench.py). */
static int bench_8g_sample(void *impl, gsl_rng *r, size_t n, double *x, gr_error *err) {
    (void)impl;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        double k = (double)gsl_rng_uniform_int(r, 8) * (M_PI / 4.0);
        x[2 * i] = (2.0 * cos(k) + gsl_ran_gaussian_ziggurat(r, 0.02)) / 1.414;
        x[2 * i + 1] = (2.0 * sin(k) + gsl_ran_gaussian_ziggurat(r, 0.02)) / 1.414;
    }
    return GR_OK;
}

/* gr_rng_uniform_fill's floats (its exact rounding), widened in place: float i sits in bytes
 * [4i, 4i+4) of x, double i in [8i, 8i+8); walking down never overwrites an unread float. */
static int bench_unif_sample(void *impl, gsl_rng *r, size_t n, double *x, gr_error *err) {
    size_t k = n * *(const size_t *)impl;
    (void)err;
    gr_rng_uniform_fill(r, (float *)(void *)x, k, -1.0, 1.0);
    for (size_t i = k; i-- > 0;) {
        float f;
        memcpy(&f, (const char *)x + 4 * i, sizeof f);
        double d = (double)f;
        memcpy((char *)x + 8 * i, &d, sizeof d);
    }
    return GR_OK;
}

static size_t bench_mnist_dim = 784;

typedef struct {
    gr_sampler *data;
    gr_gan_trainer *t;
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
    gr_gan_trainer_free(b->t);
    gr_sampler_free(b->data);
}

/* The workload as a gr_gan_config: the paper defaults of its method (CLAIMS §0), torch
 * init, the workload's nets and batch; GAN-NS reuses the D step's fake batch for its G step
 * and runs Adam(1e-4 toy / 2e-4 MNIST, 0.5, 0.999), as torch_bench.py. */
static gr_gan_config bench_config(const bench_workload *w) {
    gr_gan_method m = w->method == BENCH_WGAN_CLIP ? GR_WGAN_CLIP
                      : w->method == BENCH_WGANGP  ? GR_WGAN_GP
                                                   : GR_GAN_NS;
    gr_gan_config c = gr_gan_config_default(m, w->d.sizes[0]);
    gr_act hid = w->mnist ? GR_ACT_LEAKY_RELU : GR_ACT_RELU;
    double alpha = w->mnist ? 0.2 : 0.0;
    c.g_spec = make_spec(&w->g, hid, alpha, w->mnist ? GR_ACT_TANH : GR_ACT_IDENTITY);
    c.d_spec = make_spec(&w->d, hid, alpha, GR_ACT_IDENTITY);
    c.g_init = c.d_init = GR_INIT_TORCH;
    c.batch = w->batch;
    c.n_critic = w->n_critic;
    c.probe.probe_batch = w->batch;
    if (m == GR_GAN_NS) {
        c.g_optim.lr = c.d_optim.lr = w->mnist ? 2e-4 : 1e-4;
        c.g_reuse_fake = 1;
    }
    return c;
}

static int run_alloc(bench_run *b, const bench_workload *w, gr_error *err) {
    memset(b, 0, sizeof b[0]);
    static const gr_sampler_ops ops_8g = {bench_8g_sample, NULL, NULL, NULL, NULL, NULL, NULL};
    static const gr_sampler_ops ops_unif = {bench_unif_sample, NULL, NULL, NULL, NULL, NULL, NULL};
    gr_gan_config c = bench_config(w);
    GR_TRY(w->mnist ? gr_sampler_wrap(&b->data, &bench_mnist_dim, &ops_unif, bench_mnist_dim,
                                      "uniform784", NULL, NULL, err)
                    : gr_sampler_wrap(&b->data, NULL, &ops_8g, 2, "8gaussians", NULL, NULL, err));
    int st = gr_gan_trainer_alloc(&b->t, &c, b->data, 1, err);
    if (st != GR_OK) run_free(b);
    return st;
}

static int iteration(bench_run *b, gr_error *err) { return gr_gan_trainer_step(b->t, err); }

static int measure(const bench_workload *w, int threads, int repeats, double seconds,
                   gr_error *err) {
    bench_run b;
    openblas_set_num_threads(threads);
    GR_TRY(run_alloc(&b, w, err));
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
               w->name, threads, openblas_get_num_threads(), openblas_get_corename(), 1, iters,
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
static int digest(const bench_workload *w, int threads, long iters, gr_error *err) {
    bench_run b;
    openblas_set_num_threads(threads);
    GR_TRY(run_alloc(&b, w, err));
    int st = GR_OK;
    for (long i = 0; i < iters && st == GR_OK; i++)
        st = iteration(&b, err);
    if (st == GR_OK) {
        gr_mlp *g = gr_gan_trainer_g(b.t), *d = gr_gan_trainer_d(b.t);
        uint64_t h = fnv1a(gr_mlp_params(g), gr_mlp_n_params(g), 14695981039346656037ull);
        h = fnv1a(gr_mlp_params(d), gr_mlp_n_params(d), h);
        printf("{\"impl\": \"ganrepro\", \"digest_of\": \"%s\", \"threads\": %d, \"iters\": %ld, "
               "\"concat_real_fake\": %d, \"params_fnv1a\": \"%016llx\"}\n",
               w->name, threads, iters, 1, (unsigned long long)h);
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
    int threads[8], nthreads = 0, repeats = 3;
    long digest_iters = 0;
    double seconds = 1.5;
    const char *models = NULL;
    /* --split is a flag: strip it before the common parser */
    char *args[64];
    int nargs = 0;
    for (int i = 0; i < argc && nargs < 64; i++) {
        if (strcmp(argv[i], "--split") == 0) {
            fprintf(stderr,
                    "%s: --split is gone: bench_nn times gan/trainer.h's step, which runs "
                    "real and fake through D in one 2B-row pass\n",
                    argv[0]);
            return 2;
        } else if (strcmp(argv[i], "--digest") == 0 && i + 1 < argc)
            digest_iters = atol(argv[++i]);
        else
            args[nargs++] = argv[i];
    }
    if (bench_parse_common(nargs, args, threads, &nthreads, &repeats, &seconds, &models) != 0) {
        fprintf(stderr,
                "usage: %s [--models a,b] [--threads 1,2] [--repeats 3] [--seconds 1.5] "
                "[--digest N]\n",
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
            if ((digest_iters > 0 ? digest(w, threads[ti], digest_iters, &err)
                                  : measure(w, threads[ti], repeats, seconds, &err)) != GR_OK) {
                gr_log_error(&err);
                return 1;
            }
    }
    return 0;
}
