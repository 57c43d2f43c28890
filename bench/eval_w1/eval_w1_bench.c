/* bench/eval_w1/eval_w1_bench.c — cost of one W1 evaluation during training (issue 13.1):
 * gr_eval_w1_run (n fresh real points drawn, W1 to the generated points and the noise floor:
 * two certified network-simplex solves) on C37's 8-Gaussian ring in 2-D, at n = 500, 1000,
 * 2000, with two "generators": the data itself (w1 ~ floor, the converged case) and a
 * generator on 7 of the 8 modes (a dropped mode). Per case: R evaluations on fresh draws,
 * process CPU seconds of each; the median and the minimum are printed (one JSON line per
 * case), with the mean pivots and the values. Machine may be shared: CPU time leaves out
 * descheduled time.
 *   usage: eval_w1_bench [--rounds R] [--floor] [--knn] [--no-timing]
 *     --floor: also the mean noise floor at n = 250, 1000, 4000 over R seeds for three 2-D
 *              laws (tests/eval/test_eval_floor.c's criterion);
 *     --knn:   also eval/divergence's kNN KL and JS between N(0, I_2) and N(e_1, I_2) at
 *              n = m = 2000, k = 5 over R seeds (seeds 9000 + r): mean, SD, mean split-half
 *              abserr (tests/eval/test_eval_div.c's band).
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/timer.h"
#include "eval/divergence.h"
#include "eval/mix_sampler.h" /* tests/eval: samplers over prob/mixture */
#include "eval/w1.h"

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench_case(size_t n, int rounds, int drop) {
    gr_error err;
    gr_sampler *real = NULL, *gen = NULL;
    const size_t seven[7] = {0, 1, 2, 3, 4, 5, 6};
    if (test_ring_sampler(&real, NULL, 0, &err) ||
        test_ring_sampler(&gen, drop ? seven : NULL, 7, &err)) {
        fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
        return 1;
    }
    gr_eval_w1 *w = NULL;
    gsl_rng *rg = NULL, *re = NULL;
    double *x = malloc(n * 2 * sizeof *x), *t = malloc((size_t)rounds * sizeof *t);
    if (gr_eval_w1_alloc(&w, n, 2, &err) || gr_rng_alloc(&rg, 17, GR_STREAM_PRIOR, &err) ||
        gr_rng_alloc(&re, 17, GR_STREAM_EVAL, &err) || !x || !t) {
        fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
        return 1;
    }
    double sw = 0, sf = 0, piv = 0;
    for (int r = 0; r < rounds; r++) {
        if (gr_sampler_sample(gen, rg, n, x, &err)) return 1;
        gr_eval_w1_result res;
        double t0 = gr_time_cpu();
        int st = gr_eval_w1_run(w, x, n, real, re, NULL, &res, &err);
        t[r] = gr_time_cpu() - t0;
        if (st) {
            fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
            return 1;
        }
        sw += res.w1.value;
        sf += res.floor.value;
        piv += (double)(res.w1.iterations + res.floor.iterations);
    }
    qsort(t, (size_t)rounds, sizeof *t, cmp);
    printf(
        "{\"case\": \"eval_w1_run\", \"data\": \"8gaussians\", \"generator\": \"%s\", \"n\": %zu, "
        "\"d\": 2, \"rounds\": %d, \"median_cpu_s\": %.4e, \"min_cpu_s\": %.4e, "
        "\"mean_pivots\": %.0f, \"mean_w1\": %.5f, \"mean_floor\": %.5f}\n",
        drop ? "7 of 8 modes" : "the data", n, rounds, t[rounds / 2], t[0], piv / rounds,
        sw / rounds, sf / rounds);
    fflush(stdout);
    free(x);
    free(t);
    gr_eval_w1_free(w);
    gr_rng_free(rg);
    gr_rng_free(re);
    gr_sampler_free(real);
    gr_sampler_free(gen);
    return 0;
}

static int floor_case(int which, int seeds) {
    gr_error err;
    gr_sampler *s = NULL;
    double z[2] = {0, 0}, one = 1.0;
    int st = which == 0   ? test_unif_sampler(&s, &err)
             : which == 1 ? test_ring_sampler(&s, NULL, 0, &err)
                          : test_mix_sampler(&s, 2, 1, NULL, z, &one, "gaussian", &err);
    gr_eval_w1 *w = NULL;
    if (st || gr_eval_w1_alloc(&w, 4000, 2, &err)) {
        fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
        return 1;
    }
    const size_t ns[3] = {250, 1000, 4000};
    for (size_t a = 0; a < 3; a++) {
        double m = 0, m2 = 0;
        for (int k = 0; k < seeds; k++) {
            gsl_rng *r = NULL;
            gr_eval_w1_result res;
            if (gr_rng_alloc(&r, (uint64_t)(1000 + k), GR_STREAM_EVAL, &err) ||
                gr_eval_w1_floor(w, ns[a], s, r, NULL, &res, &err)) {
                fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
                return 1;
            }
            m += res.floor.value;
            m2 += res.floor.value * res.floor.value;
            gr_rng_free(r);
        }
        m /= seeds;
        double sd = sqrt((m2 / seeds - m * m) * seeds / (seeds - 1));
        printf("{\"case\": \"floor\", \"data\": \"%s\", \"n\": %zu, \"seeds\": %d, \"mean\": %.6f, "
               "\"sd\": %.6f}\n",
               gr_sampler_name(s), ns[a], seeds, m, sd);
        fflush(stdout);
    }
    gr_eval_w1_free(w);
    gr_sampler_free(s);
    return 0;
}

static int knn_case(int seeds) {
    const size_t n = 2000, d = 2;
    gr_error err;
    gr_eval_div *w = NULL;
    double mu0[2] = {0, 0}, mu1[2] = {1, 0}, one = 1;
    gr_mixture *p = NULL, *q = NULL;
    double *x = malloc(n * d * sizeof *x), *y = malloc(n * d * sizeof *y);
    if (gr_eval_div_alloc(&w, NULL, n, n, d, &err) ||
        gr_mixture_alloc(&p, d, 1, &one, mu0, &one, 1, &err) ||
        gr_mixture_alloc(&q, d, 1, &one, mu1, &one, 1, &err) || !x || !y) {
        fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
        return 1;
    }
    for (int kind = 0; kind < 2; kind++) {
        double s = 0, s2 = 0, ae = 0;
        for (int k = 0; k < seeds; k++) {
            gsl_rng *r = NULL;
            gr_eval_div_result kn;
            if (gr_rng_alloc(&r, (uint64_t)(9000 + k), GR_STREAM_TEST, &err) ||
                gr_mixture_sample(p, r, n, x, &err) || gr_mixture_sample(q, r, n, y, &err) ||
                gr_eval_div_knn(w, kind ? GR_EVAL_JS : GR_EVAL_KL, x, n, y, n, d, NULL, &kn,
                                &err)) {
                fprintf(stderr, "eval_w1_bench: %s\n", err.msg);
                return 1;
            }
            s += kn.value;
            s2 += kn.value * kn.value;
            ae += kn.abserr;
            gr_rng_free(r);
        }
        s /= seeds;
        printf("{\"case\": \"knn_%s\", \"n\": %zu, \"k\": 5, \"seeds\": %d, \"mean\": %.5f, "
               "\"sd\": %.5f, \"mean_abserr\": %.5f}\n",
               kind ? "js" : "kl", n, seeds, s, sqrt((s2 / seeds - s * s) * seeds / (seeds - 1)),
               ae / seeds);
    }
    free(x);
    free(y);
    gr_mixture_free(p);
    gr_mixture_free(q);
    gr_eval_div_free(w);
    return 0;
}

int main(int argc, char **argv) {
    int rounds = 9, floor = 0, knn = 0, timing = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--floor"))
            floor = 1;
        else if (!strcmp(argv[i], "--knn"))
            knn = 1;
        else if (!strcmp(argv[i], "--no-timing"))
            timing = 0;
        else {
            fprintf(stderr, "usage: eval_w1_bench [--rounds R] [--floor] [--knn] [--no-timing]\n");
            return 2;
        }
    }
    if (rounds < 2) rounds = 2;
    const size_t ns[3] = {500, 1000, 2000};
    for (int drop = 0; timing && drop < 2; drop++)
        for (size_t a = 0; a < 3; a++)
            if (bench_case(ns[a], rounds, drop)) return 1;
    if (floor)
        for (int which = 0; which < 3; which++)
            if (floor_case(which, rounds)) return 1;
    if (knn && knn_case(rounds)) return 1;
    return 0;
}
