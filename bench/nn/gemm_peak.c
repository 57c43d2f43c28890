/* bench/nn/gemm_peak: this machine's cblas_sgemm peak, and the GEMM-only floor of each
 * bench/nn workload, per thread count, measured in the same run as the trainers.
 *
 *   bench_nn_gemm_peak [--threads 1,2] [--repeats 3] [--seconds 0.5]
 *
 * Prints JSON lines on stdout:
 *   {"kind":"sgemm_peak", "threads":t, "gflops":...}  best median over square sizes
 *       256, 512, 1024, 2048 (the largest-shape figure OpenBLAS reaches: the "peak" that the
 *       per-workload GFLOP/s of bench_nn are divided by);
 *   {"kind":"gemm_floor", "model":..., "threads":t, "gflops":..., "it_per_s":...}  the
 *       workload's GEMM list (workloads.h) replayed with bare cblas_sgemm calls on reused
 *       buffers: the iteration rate an engine would reach if everything but the GEMMs
 *       cost nothing. It is an optimistic ceiling (hot caches, no activations, no
 *       optimizer), not a bound any real trainer can pass.
 * Starts through gr_blas_ensure_core like every ganrepro program (the Prescott fallback of
 * issue 8 is re-run on SkylakeX/Haswell) and names the core on stderr.
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "linalg/blas_core.h"
#include "workloads.h"

static void fill(float *p, size_t n) {
    /* deterministic values in [-0.5, 0.5); content does not affect GEMM timing */
    unsigned x = 12345u;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        p[i] = (float)(x >> 8) / 16777216.0f - 0.5f;
    }
}

static void run_list(const bench_gemm *v, size_t n, float *a, float *b, float *c) {
    for (size_t i = 0; i < n; i++) {
        const bench_gemm *g = &v[i];
        int m = (int)g->m, nn = (int)g->n, k = (int)g->k;
        cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans,
                    g->tb ? CblasTrans : CblasNoTrans, m, nn, k, 1.0f, a, g->ta ? m : k, b,
                    g->tb ? k : nn, g->ta ? 1.0f : 0.0f, c, nn);
    }
}

/* median seconds per call of the list, after calibration to `seconds` per repeat */
static double time_list(const bench_gemm *v, size_t n, float *a, float *b, float *c, int repeats,
                        double seconds, double *other_max, double *cpu_sec) {
    long calls = 1;
    for (;;) {
        double t0 = bench_now();
        for (long i = 0; i < calls; i++)
            run_list(v, n, a, b, c);
        double dt = bench_now() - t0;
        if (dt >= seconds / 4) {
            calls = (long)((double)calls * seconds / dt) + 1;
            break;
        }
        calls *= 4;
    }
    double t[64], tc[64];
    if (repeats > 64) repeats = 64;
    *other_max = 0.0;
    for (int r = 0; r < repeats; r++) {
        bench_load_mark mk;
        bench_load_begin(&mk);
        for (long i = 0; i < calls; i++)
            run_list(v, n, a, b, c);
        double o, own;
        t[r] = bench_load_end(&mk, &o, &own) / (double)calls;
        tc[r] = own / (double)calls;
        if (o > *other_max) *other_max = o;
    }
    *cpu_sec = bench_median(tc, (size_t)repeats);
    return bench_median(t, (size_t)repeats);
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* the kernels every ganrepro program gets */
    int threads[8], nthreads = 0, repeats = 3;
    double seconds = 0.5;
    if (bench_parse_common(argc, argv, threads, &nthreads, &repeats, &seconds, NULL) != 0) {
        fprintf(stderr, "usage: %s [--threads 1,2] [--repeats 3] [--seconds 0.5]\n", argv[0]);
        return 2;
    }
    size_t cap = (size_t)2048 * 2048;
    float *a = aligned_alloc(64, cap * sizeof(float));
    float *b = aligned_alloc(64, cap * sizeof(float));
    float *c = aligned_alloc(64, cap * sizeof(float));
    if (a == NULL || b == NULL || c == NULL) {
        fprintf(stderr, "gemm_peak: out of memory\n");
        return 1;
    }
    fill(a, cap);
    fill(b, cap);
    memset(c, 0, cap * sizeof(float));
    gr_blas_info bi;
    gr_blas_info_get(&bi);
    char core[256];
    gr_blas_info_describe(&bi, core, sizeof core);
    fprintf(stderr, "gemm_peak: %s | core %s\n", bi.config, core);
    for (int ti = 0; ti < nthreads; ti++) {
        int t = threads[ti];
        openblas_set_num_threads(t);
        double best = 0.0, best_cpu = 0.0, other = 0.0;
        size_t best_n = 0;
        static const size_t sq[] = {256, 512, 1024, 2048};
        for (size_t s = 0; s < sizeof sq / sizeof sq[0]; s++) {
            bench_gemm g = {sq[s], sq[s], sq[s], 0, 0};
            double o, csec;
            double sec = time_list(&g, 1, a, b, c, repeats, seconds, &o, &csec);
            double gf = bench_gemm_flops(&g, 1) / sec / 1e9;
            double gfc = bench_gemm_flops(&g, 1) / csec / 1e9;
            if (gfc > best_cpu) best_cpu = gfc;
            if (o > other) other = o;
            if (gf > best) {
                best = gf;
                best_n = sq[s];
            }
        }
        printf(
            "{\"kind\": \"sgemm_peak\", \"threads\": %d, \"gflops\": %.2f, \"best_square\": %zu, "
            "\"gflops_per_cpu_s\": %.2f, \"other_cpu_cores_max\": %.2f}\n",
            t, best, best_n, best_cpu, other);
        fflush(stdout);
        for (size_t w = 0; w < BENCH_NWORKLOADS; w++) {
            bench_gemm v[1024];
            size_t n = bench_workload_gemms(&bench_workloads[w], v, sizeof v / sizeof v[0]);
            double o, csec;
            double sec = time_list(v, n, a, b, c, repeats, seconds, &o, &csec);
            double fl = bench_gemm_flops(v, n);
            printf("{\"kind\": \"gemm_floor\", \"model\": \"%s\", \"threads\": %d, \"gemms\": %zu, "
                   "\"gflop_per_iter\": %.4f, \"gflops\": %.2f, \"it_per_s\": %.3f, "
                   "\"it_per_cpu_s\": %.3f, "
                   "\"other_cpu_cores_max\": %.2f}\n",
                   bench_workloads[w].name, t, n, fl / 1e9, fl / sec / 1e9, 1.0 / sec, 1.0 / csec,
                   o);
            fflush(stdout);
        }
    }
    free(a);
    free(b);
    free(c);
    return 0;
}
