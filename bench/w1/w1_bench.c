/* bench/w1/w1_bench.c — time ganrepro's exact W1 (network simplex, costs included) on two
 * point sets stored as raw little-endian float64 files (row-major, n x d and m x d).
 * One solve per process, so ru_maxrss is this solve's peak memory. Prints one JSON line,
 * with the OpenBLAS core it ran on (after gr_blas_ensure_core, like every ganrepro program).
 *   usage: w1_bench X.bin Y.bin N D [M [A.bin B.bin]] [--warm-max-m K]
 * M defaults to N (balanced); A.bin / B.bin hold the n and m weights (default uniform);
 * --warm-max-m sets gr_ot_settings.warm_max_m (0: always the cold start).
 * Driven by bench/w1/run.py, which writes the same points (and weights) POT gets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/error.h"
#include "distance/ot.h"
#include "linalg/blas_core.h"

static double *load(const char *path, size_t count) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    double *v = malloc(count * sizeof(double));
    if (v && fread(v, sizeof(double), count, f) != count) {
        free(v);
        v = NULL;
    }
    fclose(f);
    return v;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* the kernels every ganrepro program gets */
    gr_ot_settings s = gr_ot_settings_default();
    if (argc >= 7 && strcmp(argv[argc - 2], "--warm-max-m") == 0) {
        s.warm_max_m = strtoul(argv[argc - 1], NULL, 10);
        argc -= 2;
    }
    if (argc != 5 && argc != 6 && argc != 8) {
        fprintf(stderr, "usage: w1_bench X.bin Y.bin N D [M [A.bin B.bin]] [--warm-max-m K]\n");
        return 2;
    }
    gr_core_init();
    size_t n = strtoul(argv[3], NULL, 10), d = strtoul(argv[4], NULL, 10);
    size_t m = argc > 5 ? strtoul(argv[5], NULL, 10) : n;
    double *x = load(argv[1], n * d), *y = load(argv[2], m * d);
    double *a = argc > 6 ? load(argv[6], n) : NULL, *b = argc > 6 ? load(argv[7], m) : NULL;
    if (!x || !y || (argc > 6 && (!a || !b))) {
        fprintf(stderr, "w1_bench: cannot read the %zu x %zu and %zu x %zu inputs\n", n, d, m, d);
        return 2;
    }
    gr_error err;
    gr_error_clear(&err);
    double t0 = now();
    gr_ot_workspace *w = NULL;
    int st = gr_ot_workspace_alloc(&w, n, m, &err);
    gr_ot_problem p = gr_ot_problem_points(x, a, n, y, b, m, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    if (st == GR_OK) st = gr_ot_solve(w, &p, &s, &r, &err);
    double t1 = now();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    gr_blas_info bi;
    gr_blas_info_get(&bi);
    printf("{\"n\": %zu, \"m\": %zu, \"d\": %zu, \"time_s\": %.6f, \"value\": %.17g, "
           "\"status\": %d, \"iterations\": %zu, \"marginal_residual\": %.3g, "
           "\"duality_gap\": %.3g, \"max_violation\": %.3g, \"cached_costs\": %d, "
           "\"warm_start\": %d, \"augmentations\": %zu, \"maxrss_kb\": %ld, \"blas_core\": "
           "\"%s\", \"blas_core_selected_by\": \"%s\", \"error\": \"%s\"}\n",
           n, m, d, t1 - t0, r.value, st, r.iterations, r.marginal_residual, r.duality_gap,
           r.max_violation, r.cached_costs, r.warm_start, r.augmentations, ru.ru_maxrss, bi.core,
           bi.selected_by, st ? err.msg : "");
    gr_ot_workspace_free(w);
    free(x);
    free(y);
    free(a);
    free(b);
    return st ? 1 : 0;
}
