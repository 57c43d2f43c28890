/* bench/nn/bench_nn_optim: one optimizer step, in nanoseconds per parameter, for the
 * optimizers and sizes the GAN workloads use, on every code path of nn/optim this CPU runs
 * (gr_optim_set_path). bench/nn/torch_optim_bench.py times torch.optim on the same
 * configurations; run.sh runs both and report.py prints them side by side.
 *
 *   bench_nn_optim [--repeats 5] [--seconds 0.3]
 *
 * Sizes: 527 361 parameters (a toy critic 2-512-512-512-1) and 1 486 352 (the MNIST
 * generator 100-256-512-1024-784); the state of the first fits in this machine's caches,
 * the second's does not. Gradients are fixed random values; each repeat times as many
 * steps as fill `seconds`, the line reports the median over repeats. One thread: the
 * optimizer is serial. Output: one JSON line per (optimizer, size, path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rng.h"
#include "linalg/blas_core.h"
#include "nn/optim.h"

typedef struct {
    const char *name; /* the same names as torch_optim_bench.py */
    gr_optim_kind kind;
    double lr, momentum, beta1, beta2;
    int centered;
} optim_case;

static const optim_case CASES[] = {
    {"sgd", GR_OPTIM_SGD, 1e-2, 0.0, 0.0, 0.0, 0},
    {"sgd_momentum", GR_OPTIM_SGD, 1e-2, 0.9, 0.0, 0.0, 0},
    {"rmsprop", GR_OPTIM_RMSPROP, 5e-5, 0.0, 0.0, 0.0, 0},
    {"rmsprop_centered", GR_OPTIM_RMSPROP, 5e-5, 0.0, 0.0, 0.0, 1},
    {"adam", GR_OPTIM_ADAM, 2e-4, 0.0, 0.5, 0.999, 0},
};
static const size_t SIZES[] = {527361, 1486352};

static int measure(const optim_case *oc, size_t n, const char *path, int repeats, double seconds,
                   gr_error *err) {
    gr_optim_config c = gr_optim_config_default(oc->kind);
    c.lr = oc->lr;
    if (oc->kind == GR_OPTIM_ADAM) {
        c.beta1 = oc->beta1;
        c.beta2 = oc->beta2;
    } else {
        c.momentum = oc->momentum;
        c.centered = oc->centered;
    }
    float *p = gr_alloc_zeroed(n * sizeof(float)), *g = gr_alloc_zeroed(n * sizeof(float));
    gr_optim *o = NULL;
    gsl_rng *r = NULL;
    (void)gr_rng_alloc(&r, 1, GR_STREAM_TEST, NULL); /* NULL on failure: reported below */
    int st = (p && g && r) ? GR_OK : GR_ERROR(err, GR_ENOMEM, "bench_nn_optim: out of memory");
    if (st == GR_OK) st = gr_optim_alloc(&o, &c, n, err);
    if (st == GR_OK && gr_optim_set_path(o, path, NULL) != GR_OK) st = 1; /* not on this CPU */
    if (st == GR_OK) {
        gr_rng_uniform_fill(r, p, n, -0.05, 0.05);
        gr_rng_uniform_fill(r, g, n, -1e-3, 1e-3);
        /* calibrate: steps per repeat to fill `seconds` */
        size_t steps = 1;
        for (;;) {
            double t0 = bench_now();
            for (size_t s = 0; s < steps && st == GR_OK; s++)
                st = gr_optim_step(o, p, g, n, err);
            double dt = bench_now() - t0;
            if (st != GR_OK || dt > 0.2 * seconds || steps > ((size_t)1 << 20)) break;
            steps *= 2;
        }
        size_t per_repeat = steps * 5;
        double ns[64], other_max = 0.0;
        for (int k = 0; k < repeats && st == GR_OK; k++) {
            bench_load_mark m;
            double other;
            bench_load_begin(&m);
            for (size_t s = 0; s < per_repeat && st == GR_OK; s++)
                st = gr_optim_step(o, p, g, n, err);
            double dt = bench_load_end(&m, &other, NULL);
            ns[k] = dt / (double)per_repeat / (double)n * 1e9;
            if (other > other_max) other_max = other;
        }
        if (st == GR_OK)
            printf("{\"kind\": \"optim\", \"impl\": \"ganrepro\", \"optim\": \"%s\", \"n\": %zu, "
                   "\"path\": \"%s\", \"ns_per_param\": %.4f, \"steps_per_repeat\": %zu, "
                   "\"repeats\": %d, \"other_cpu_cores_max\": %.2f}\n",
                   oc->name, n, path, bench_median(ns, (size_t)repeats), per_repeat, repeats,
                   other_max);
    }
    gr_optim_free(o);
    gr_free(p);
    gr_free(g);
    gr_rng_free(r);
    return st == 1 ? GR_OK : st;
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* the kernels every ganrepro program gets */
    gr_core_init();
    {
        gr_blas_info bi;
        gr_blas_info_get(&bi);
        char core[256];
        gr_blas_info_describe(&bi, core, sizeof core);
        fprintf(stderr, "bench_nn_optim: BLAS core %s\n", core);
    }
    int repeats = 5;
    double seconds = 0.3;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--repeats") == 0)
            repeats = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
            seconds = atof(argv[++i]);
        else
            repeats = 0;
    }
    if (repeats < 1 || repeats > 64 || !(seconds > 0.0)) {
        fprintf(stderr, "usage: %s [--repeats 5] [--seconds 0.3]\n", argv[0]);
        return 2;
    }
    gr_error err;
    memset(&err, 0, sizeof err);
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++)
        for (size_t s = 0; s < sizeof SIZES / sizeof SIZES[0]; s++)
            for (size_t p = 0; gr_optim_path_name(p) != NULL; p++)
                if (measure(&CASES[c], SIZES[s], gr_optim_path_name(p), repeats, seconds, &err) !=
                    GR_OK) {
                    gr_log_error(&err);
                    return 1;
                }
    return 0;
}
