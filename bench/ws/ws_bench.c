/* bench/ws/ws_bench.c — time per call with and without a workspace (issue 10.6):
 *   kNN JS (gr_knn_js_ws / gr_knn_js_opt), n = m = 2000, d = 2, k = 5, continuous data;
 *   Gaussian KL and W2^2 (gr_gauss_kl_ws / gr_gauss_kl, gr_gauss_w2sq_ws / gr_gauss_w2sq)
 *   at d = 16 and d = 784 (SPD covariances A A'/d + 0.1 I).
 * Each case: R rounds of C calls, the best round's mean per call in process CPU time (user +
 * system, so page faults of fresh allocations count; the machine may be shared: CPU time
 * leaves out time spent descheduled, and the minimum is the least disturbed round), with
 * the two variants interleaved round by round so load changes hit both. Also checks the
 * two variants give the same bits.
 *   usage: ws_bench [--rounds R] [--no-784]        (OPENBLAS_NUM_THREADS=1 recommended)
 * Prints one JSON line per case. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/timer.h"
#include "distance/gauss.h"
#include "distance/knn.h"
#include "linalg/blas_core.h"

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void report(const char *name, size_t d, size_t calls, double best_ws, double best_one,
                   int same) {
    printf("{\"case\": \"%s\", \"d\": %zu, \"calls_per_round\": %zu, \"ws_s\": %.6e, "
           "\"one_shot_s\": %.6e, \"ratio\": %.3f, \"same_bits\": %s}\n",
           name, d, calls, best_ws, best_one, best_one / best_ws, same ? "true" : "false");
    fflush(stdout);
}

static int bench_knn(int rounds) {
    const size_t n = 2000, m = 2000, d = 2, calls = 5;
    gsl_rng *r = NULL;
    (void)gr_rng_alloc(&r, 31337, GR_STREAM_TEST, NULL); /* NULL on failure: checked below */
    double *x = malloc(n * d * sizeof *x), *y = malloc(m * d * sizeof *y);
    if (!r || !x || !y) return 1;
    for (size_t i = 0; i < n * d; i++)
        x[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < m * d; i++)
        y[i] = 0.5 + gsl_ran_gaussian(r, 1.0);
    gr_error err;
    gr_knn_workspace *w;
    if (gr_knn_workspace_alloc(&w, n, m, d, &err)) {
        fprintf(stderr, "ws_bench: %s\n", err.msg);
        return 1;
    }
    gr_knn_options o = gr_knn_options_default();
    double best_ws = INFINITY, best_one = INFINITY;
    gr_knn_result a, b;
    for (int t = 0; t < rounds; t++) {
        double t0 = gr_time_cpu();
        for (size_t c = 0; c < calls; c++)
            if (gr_knn_js_ws(w, x, n, y, m, d, &o, &a, &err)) return 1;
        double t1 = gr_time_cpu();
        for (size_t c = 0; c < calls; c++)
            if (gr_knn_js_opt(x, n, y, m, d, &o, &b, &err)) return 1;
        double t2 = gr_time_cpu();
        best_ws = fmin(best_ws, (t1 - t0) / (double)calls);
        best_one = fmin(best_one, (t2 - t1) / (double)calls);
    }
    report("knn_js", d, calls, best_ws, best_one, same_bits(a.raw, b.raw));
    gr_knn_workspace_free(w);
    free(x);
    free(y);
    gsl_rng_free(r);
    return 0;
}

static void spd(gsl_rng *r, size_t d, double *S, double *A) {
    for (size_t i = 0; i < d * d; i++)
        A[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0.0;
            for (size_t l = 0; l < d; l++)
                s += A[i * d + l] * A[j * d + l];
            S[i * d + j] = S[j * d + i] = s / (double)d + (i == j ? 0.1 : 0.0);
        }
}

static int bench_gauss(size_t d, int rounds) {
    size_t calls = d <= 64 ? 2000 : 1;
    gsl_rng *r = NULL;
    (void)gr_rng_alloc(&r, 4242, GR_STREAM_TEST, NULL); /* NULL on failure: checked below */
    double *S1 = malloc(d * d * sizeof *S1), *S2 = malloc(d * d * sizeof *S2),
           *A = malloc(d * d * sizeof *A), *m1 = malloc(d * sizeof *m1),
           *m2 = malloc(d * sizeof *m2);
    if (!r || !S1 || !S2 || !A || !m1 || !m2) return 1;
    spd(r, d, S1, A);
    spd(r, d, S2, A);
    for (size_t i = 0; i < d; i++) {
        m1[i] = gsl_ran_gaussian(r, 1.0);
        m2[i] = gsl_ran_gaussian(r, 1.0);
    }
    gr_error err;
    gr_gauss_workspace *w;
    if (gr_gauss_workspace_alloc(&w, d, &err)) {
        fprintf(stderr, "ws_bench: %s\n", err.msg);
        return 1;
    }
    for (int f = 0; f < 2; f++) {
        double best_ws = INFINITY, best_one = INFINITY, a = 0.0, b = 0.0;
        for (int t = 0; t < rounds; t++) {
            double t0 = gr_time_cpu();
            for (size_t c = 0; c < calls; c++)
                if (f ? gr_gauss_w2sq_ws(w, d, m1, S1, m2, S2, &a, &err)
                      : gr_gauss_kl_ws(w, d, m1, S1, m2, S2, &a, &err))
                    return 1;
            double t1 = gr_time_cpu();
            for (size_t c = 0; c < calls; c++)
                if (f ? gr_gauss_w2sq(d, m1, S1, m2, S2, &b, &err)
                      : gr_gauss_kl(d, m1, S1, m2, S2, &b, &err))
                    return 1;
            double t2 = gr_time_cpu();
            best_ws = fmin(best_ws, (t1 - t0) / (double)calls);
            best_one = fmin(best_one, (t2 - t1) / (double)calls);
        }
        report(f ? "gauss_w2sq" : "gauss_kl", d, calls, best_ws, best_one, same_bits(a, b));
    }
    gr_gauss_workspace_free(w);
    free(S1);
    free(S2);
    free(A);
    free(m1);
    free(m2);
    gsl_rng_free(r);
    return 0;
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* the kernels every ganrepro program gets */
    gr_core_init();
    int rounds = 7, big = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-784"))
            big = 0;
        else {
            fprintf(stderr, "usage: ws_bench [--rounds R] [--no-784]\n");
            return 2;
        }
    }
    if (rounds < 1) rounds = 1;
    if (bench_knn(rounds) || bench_gauss(16, rounds) || (big && bench_gauss(784, rounds))) {
        fprintf(stderr, "ws_bench: a call failed\n");
        return 1;
    }
    return 0;
}
