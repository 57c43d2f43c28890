/* cli/cmd_distance.c — `ganrepro distance KIND A B`: a distance or divergence between two
 * point files, the value alone on stdout ("%.17g").
 *
 * w1, w2: exact optimal transport (network simplex, distance/ot.h; the 1-D sort formula,
 * distance/oned.h, when the points have one coordinate); sinkhorn: entropic OT cost <P, C>
 * with the Euclidean ground cost (distance/sinkhorn.h, an approximation of w1); js, kl: kNN
 * estimators (distance/knn.h). Exit 0 with a value; 1 when the solver ran but could not
 * certify a value (iteration cap, failed certificate: nothing on stdout); 2 for usage or
 * input errors (the message names the file, the line and what was expected), including an
 * option that does not apply to the KIND (option_rules). main.c turns a failed write of
 * stdout into exit 1.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/error.h"
#include "distance/knn.h"
#include "distance/oned.h"
#include "distance/ot.h"
#include "distance/sinkhorn.h"
#include "io/points.h"

static void usage(FILE *out) {
    fprintf(out, "usage: ganrepro distance KIND A B [options]\n"
                 "\n"
                 "Distance or divergence between the empirical measures of two point files\n"
                 "(uniform weights). Prints the value alone on stdout (%%.17g).\n"
                 "\n"
                 "KIND:\n"
                 "  w1        exact Wasserstein-1 (Euclidean ground cost), network simplex;\n"
                 "            with 1-D points the exact sort formula is used instead\n"
                 "  w2        exact Wasserstein-2 (squared Euclidean cost, square root of the\n"
                 "            optimum); 1-D points use the sort formula\n"
                 "  sinkhorn  entropic OT cost <P, C> with the Euclidean cost (log-domain\n"
                 "            Sinkhorn): an approximation of w1 from above, not exact\n"
                 "  js        Jensen-Shannon divergence in nats (0 to log 2), kNN estimator\n"
                 "            through the mixture; every point of A and B is used (the\n"
                 "            mixture sample: the smaller file and as many evenly spaced\n"
                 "            rows of the larger); the estimate is clipped to [0, log 2]\n"
                 "  kl        KL(A || B) in nats, Wang-Kulkarni-Verdu kNN estimator; exit 2\n"
                 "            with a message when KL is +inf\n"
                 "            js/kl, repeated points (ties): see --repeats. A warning says\n"
                 "            how they were read when more than 10%% of the points repeat\n"
                 "\n"
                 "A, B: text files, one point per line, whitespace-separated coordinates,\n"
                 "      '#' comments and blank lines ignored; or FILE.h5:/dataset (n x d).\n"
                 "\n"
                 "options (each applies only to the KINDs named; given with another KIND, or\n"
                 "twice, it is refused with exit 2, never ignored):\n"
                 "  --max-iter N   w1/w2: pivot cap (default automatic, 1e7 + 1000 (n + m));\n"
                 "                 sinkhorn: iteration cap (default 10000)\n"
                 "  --tol T        w1/w2: relative tolerance of the certificate (reduced costs,\n"
                 "                 marginals, duality gap; defaults 1e-12 / 1e-10 / 1e-10);\n"
                 "                 sinkhorn: relative L1 marginal error (default 1e-9)\n"
                 "  --epsilon E    sinkhorn: regularisation in cost units (default 0.05 x the\n"
                 "                 mean pairwise distance)\n"
                 "  --k K          js/kl: neighbour rank (default 5)\n"
                 "  --repeats R    js/kl: how a point occurring more than once is read (the\n"
                 "                 samples cannot tell; see docs/estimators.md):\n"
                 "                 auto (default): atoms; on a grid (rounded data) each point\n"
                 "                   is moved uniformly within its grid cell, else counted\n"
                 "                 atoms: point masses of the law, counted (also on a grid)\n"
                 "                 weights: a repeat within a file is one draw of a continuous\n"
                 "                   law written again (bootstrap, sampling with replacement):\n"
                 "                   distinct points weighted by multiplicity; values in both\n"
                 "                   files are counted as atoms\n"
                 "  --certificate  after solving, print to stderr key=value lines: method,\n"
                 "                 status, iterations, marginal residual, duality gap, max dual\n"
                 "                 violation (w1/w2); iterations, marginal error, epsilon\n"
                 "                 (sinkhorn); n, m, d, k, mixture size, unclipped value, the\n"
                 "                 reading of repeats, tie counts and treatment, distinct\n"
                 "                 points (js/kl). stdout keeps the value alone.\n"
                 "  --help         this text\n"
                 "\n"
                 "exit status: 0 value printed; 1 no value delivered: the solver stopped\n"
                 "without a certified value (e.g. iteration cap), or stdout could not be\n"
                 "written; 2 usage or input error.\n"
                 "\n"
                 "notes:\n"
                 "  w1/w2 on 1-D points use the exact sort formula: --max-iter and --tol have\n"
                 "  no effect there.\n"
                 "  w1/w2 --certificate: primal= (the plan's cost <P, C>), dual= (the dual\n"
                 "  objective) and cost_scale= are in ground-cost units; primal and dual agree\n"
                 "  up to duality_gap. For w1 the cost is the distance, so they are W1; for w2\n"
                 "  it is the SQUARED distance, so primal and dual are W2^2 and the value on\n"
                 "  stdout is their square root, W2.\n"
                 "  js: the true JS lies in [0, log 2]; the kNN estimate can leave it by\n"
                 "  estimation error, and the value printed is clipped to it (below 0 prints\n"
                 "  0, above log 2 prints 0.69314718055994529). kl is not clipped: a negative\n"
                 "  kl is estimation error. A value that is not a number (NaN) is never\n"
                 "  printed: it is an error with a message.\n");
}

/* The options that take a value and the KINDs each applies to (space-separated). An
 * option given with a KIND outside its list is a usage error: a setting that cannot
 * take effect must not look accepted. */
typedef struct {
    const char *name;
    const char *kinds;
} option_rule;

enum { OPT_MAX_ITER, OPT_TOL, OPT_EPSILON, OPT_K, OPT_REPEATS, OPT_COUNT };
static const option_rule option_rules[OPT_COUNT] = {
    [OPT_MAX_ITER] = {"--max-iter", "w1 w2 sinkhorn"},
    [OPT_TOL] = {"--tol", "w1 w2 sinkhorn"},
    [OPT_EPSILON] = {"--epsilon", "sinkhorn"},
    [OPT_K] = {"--k", "js kl"},
    [OPT_REPEATS] = {"--repeats", "js kl"},
};

/* 1 when `kind` is one of the space-separated words of `kinds`. */
static int kind_in(const char *kinds, const char *kind) {
    size_t len = strlen(kind);
    for (const char *p = kinds; *p;) {
        size_t w = strcspn(p, " ");
        if (w == len && !strncmp(p, kind, len)) return 1;
        p += w;
        while (*p == ' ')
            p++;
    }
    return 0;
}

static int parse_size(const char *opt, const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || v == 0) {
        fprintf(stderr, "ganrepro distance: %s: expected a positive integer, found '%s'\n", opt, s);
        return 0;
    }
    *out = (size_t)v;
    return 1;
}

static int parse_pos(const char *opt, const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v > 0) || !isfinite(v)) {
        fprintf(stderr, "ganrepro distance: %s: expected a positive number, found '%s'\n", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_repeats(const char *s, gr_knn_repeats *out) {
    static const gr_knn_repeats all[3] = {GR_KNN_REPEATS_AUTO, GR_KNN_REPEATS_ATOMS,
                                          GR_KNN_REPEATS_WEIGHTS};
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(s, gr_knn_repeats_name(all[i]))) {
            *out = all[i];
            return 1;
        }
    fprintf(stderr, "ganrepro distance: --repeats: expected auto, atoms or weights, found '%s'\n",
            s);
    return 0;
}

static int fail(const gr_error *err) {
    fprintf(stderr, "ganrepro distance: %s\n", err->msg);
    return GR_EXIT_USAGE;
}

/* Input errors exit 2; a solver that ran but could not certify exits 1. */
static int solver_fail(int st, const gr_error *err) {
    fprintf(stderr, "ganrepro distance: %s\n", err->msg);
    return (st == GR_EMAXITER || st == GR_ENOTCONV || st == GR_EINTERNAL) ? GR_EXIT_FAIL
                                                                          : GR_EXIT_USAGE;
}

int gr_cmd_distance(int argc, char **argv) {
    const char *pos[3] = {NULL, NULL, NULL};
    size_t npos = 0, max_iter = 0, k = 5;
    double tol = 0.0, epsilon = 0.0;
    gr_knn_repeats repeats = GR_KNN_REPEATS_AUTO;
    int cert = 0, given[OPT_COUNT] = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int opt = -1;
        for (int j = 0; j < OPT_COUNT; j++)
            if (!strcmp(a, option_rules[j].name)) opt = j;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return GR_EXIT_OK;
        } else if (!strcmp(a, "--certificate")) {
            cert = 1;
        } else if (opt >= 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ganrepro distance: %s needs a value\n", a);
                return GR_EXIT_USAGE;
            }
            if (given[opt]) {
                fprintf(stderr, "ganrepro distance: %s given twice\n", a);
                return GR_EXIT_USAGE;
            }
            given[opt] = 1;
            const char *v = argv[++i];
            int ok = opt == OPT_MAX_ITER  ? parse_size(a, v, &max_iter)
                     : opt == OPT_K       ? parse_size(a, v, &k)
                     : opt == OPT_TOL     ? parse_pos(a, v, &tol)
                     : opt == OPT_REPEATS ? parse_repeats(v, &repeats)
                                          : parse_pos(a, v, &epsilon);
            if (!ok) return GR_EXIT_USAGE;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "ganrepro distance: unknown option '%s' (see --help)\n", a);
            return GR_EXIT_USAGE;
        } else {
            if (npos == 3) {
                fprintf(stderr,
                        "ganrepro distance: too many arguments ('%s'); expected KIND A "
                        "B\n",
                        a);
                return GR_EXIT_USAGE;
            }
            pos[npos++] = a;
        }
    }
    if (npos < 3) {
        fprintf(stderr, "ganrepro distance: expected KIND A B, got %zu argument%s\n", npos,
                npos == 1 ? "" : "s");
        usage(stderr);
        return GR_EXIT_USAGE;
    }
    const char *kind = pos[0];
    int is_w1 = !strcmp(kind, "w1"), is_w2 = !strcmp(kind, "w2");
    int is_sk = !strcmp(kind, "sinkhorn"), is_js = !strcmp(kind, "js"), is_kl = !strcmp(kind, "kl");
    if (!(is_w1 || is_w2 || is_sk || is_js || is_kl)) {
        fprintf(stderr,
                "ganrepro distance: unknown KIND '%s': expected one of w1 w2 sinkhorn js kl\n",
                kind);
        return GR_EXIT_USAGE;
    }
    for (int j = 0; j < OPT_COUNT; j++)
        if (given[j] && !kind_in(option_rules[j].kinds, kind)) {
            fprintf(stderr,
                    "ganrepro distance: %s does not apply to %s: it applies to %s only (see "
                    "--help)\n",
                    option_rules[j].name, kind, option_rules[j].kinds);
            return GR_EXIT_USAGE;
        }

    gr_error err;
    gr_error_clear(&err);
    gr_points A = {NULL, 0, 0}, B = {NULL, 0, 0};
    int rc = GR_EXIT_USAGE, st;
    if (gr_points_read(pos[1], &A, &err) != GR_OK || gr_points_read(pos[2], &B, &err) != GR_OK) {
        rc = fail(&err);
        goto done;
    }
    if (A.d != B.d) {
        fprintf(stderr,
                "ganrepro distance: dimension mismatch: %s has %zu coordinate%s per point, %s "
                "has %zu\n",
                pos[1], A.d, A.d == 1 ? "" : "s", pos[2], B.d);
        goto done;
    }
    double value = NAN;
    if (is_w1 || is_w2) {
        int p = is_w1 ? 1 : 2;
        if (A.d == 1) {
            st = gr_oned_wasserstein(NULL, A.data, NULL, A.n, B.data, NULL, B.n, p, 1e-9, &value,
                                     &err);
            if (st) {
                rc = solver_fail(st, &err);
                goto done;
            }
            if (cert) fprintf(stderr, "method=sort-1d\nstatus=ok\nn=%zu\nm=%zu\nd=1\n", A.n, B.n);
        } else {
            gr_ot_settings s = gr_ot_settings_default();
            if (max_iter) s.max_iter = max_iter;
            if (tol > 0) s.tol_rc = s.tol_marginal = s.tol_gap = tol;
            gr_ot_workspace *w = gr_ot_workspace_alloc(A.n, B.n, &err);
            if (!w) {
                rc = fail(&err);
                goto done;
            }
            gr_ot_problem prob =
                gr_ot_problem_points(A.data, NULL, A.n, B.data, NULL, B.n, A.d,
                                     is_w1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
            gr_ot_result r;
            st = gr_ot_solve(w, &prob, &s, &r, &err);
            if (cert || st)
                fprintf(stderr,
                        "method=network-simplex\nground_cost=%s\nstatus=%s\niterations=%zu\n"
                        "marginal_residual=%.3g\nduality_gap=%.3g\nmax_violation=%.3g\n"
                        "primal=%.17g\ndual=%.17g\ncost_scale=%.17g\nplan_nnz=%zu\n"
                        "n=%zu\nm=%zu\nd=%zu\n",
                        is_w1 ? "euclidean (primal, dual: W1)"
                              : "squared-euclidean (primal, dual: W2^2; stdout: W2)",
                        st ? gr_strerror(st) : "optimal", r.iterations, r.marginal_residual,
                        r.duality_gap, r.max_violation, r.cost, r.dual, r.cost_scale, r.plan_nnz,
                        A.n, B.n, A.d);
            value = r.value;
            gr_ot_workspace_free(w);
            if (st) {
                rc = solver_fail(st, &err);
                goto done;
            }
        }
    } else if (is_sk) {
        gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
        if (max_iter) s.max_iter = max_iter;
        if (tol > 0) s.tol = tol;
        if (epsilon > 0) {
            s.epsilon = epsilon;
        } else {
            double mc;
            if ((st = gr_sinkhorn_mean_cost(A.data, A.n, B.data, B.n, A.d, 1, &mc, &err))) {
                rc = fail(&err);
                goto done;
            }
            s.epsilon = mc > 0 ? 0.05 * mc : 1e-3;
        }
        gr_sinkhorn_workspace *w = gr_sinkhorn_workspace_alloc(A.n, B.n, &err);
        if (!w) {
            rc = fail(&err);
            goto done;
        }
        gr_sinkhorn_result r;
        st = gr_sinkhorn_solve(w, A.data, NULL, A.n, B.data, NULL, B.n, A.d, &s, &r, &err);
        gr_sinkhorn_workspace_free(w);
        if (cert || st)
            fprintf(stderr,
                    "method=sinkhorn-log\nstatus=%s\niterations=%zu\nmarginal_error=%.3g\n"
                    "epsilon=%.17g\nobjective=%.17g\nn=%zu\nm=%zu\nd=%zu\n",
                    st ? gr_strerror(st) : "converged", r.iterations, r.marginal_error, r.epsilon,
                    r.objective, A.n, B.n, A.d);
        if (st) {
            rc = solver_fail(st, &err);
            goto done;
        }
        value = r.cost;
    } else {
        gr_knn_result r;
        gr_knn_options o = {k, repeats};
        st = is_kl ? gr_knn_kl_opt(A.data, A.n, B.data, B.n, A.d, &o, &r, &err)
                   : gr_knn_js_opt(A.data, A.n, B.data, B.n, A.d, &o, &r, &err);
        if (st) {
            rc = solver_fail(st, &err);
            /* +inf comes from atoms: say which reading made them, and the other one */
            if (st == GR_EINF && repeats != GR_KNN_REPEATS_WEIGHTS)
                fprintf(stderr, "ganrepro distance: repeated points were read as atoms of the "
                                "laws (point masses); if they are repeated draws of a "
                                "continuous law, pass --repeats weights\n");
            goto done;
        }
        if (cert) {
            fprintf(stderr, "method=knn-%s\nstatus=ok\nn=%zu\nm=%zu\nd=%zu\nk=%zu\n",
                    is_kl ? "wkv2009" : "js-mixture", r.n, r.m, r.d, r.k);
            if (is_js) fprintf(stderr, "n_mix=%zu\nraw=%.17g\n", r.n_mix, r.raw);
            fprintf(stderr, "repeats=%s\nties=%s\ntied_a=%zu\ntied_b=%zu\natoms=%zu\n",
                    gr_knn_repeats_name(r.repeats), gr_knn_ties_name(r.ties), r.n_tied, r.m_tied,
                    r.n_atoms);
            fprintf(stderr, "distinct_a=%zu\ndistinct_b=%zu\n", r.n_distinct, r.m_distinct);
            if (r.ties == GR_KNN_TIES_GRID)
                fprintf(stderr, "grid_step_min=%.17g\ngrid_step_max=%.17g\n", r.grid_min,
                        r.grid_max);
            if (is_js && (r.ties == GR_KNN_TIES_ATOMS || r.ties == GR_KNN_TIES_WEIGHTS))
                fprintf(stderr, "atom_bias=%.3g\n", r.atom_bias);
        }
        /* ties change what is estimated: say how they were read, and how to read them the
         * other way, when they are a large share of the data */
        if (r.ties != GR_KNN_TIES_NONE && 10 * (r.n_tied + r.m_tied) > r.n + r.m) {
            fprintf(stderr,
                    "ganrepro distance: warning: %zu of %zu points of %s and %zu of %zu of %s "
                    "repeat; ",
                    r.n_tied, r.n, pos[1], r.m_tied, r.m, pos[2]);
            if (r.ties == GR_KNN_TIES_GRID)
                fprintf(stderr,
                        "read as atoms of the laws (point masses, %zu distinct repeated "
                        "values): every coordinate is on a grid (step %.3g to %.3g), so each "
                        "point was moved uniformly within its grid cell and the estimate is "
                        "that of the divergence between the discrete laws; to count the atoms "
                        "instead, pass --repeats atoms; if they are repeated draws of a "
                        "continuous law, pass --repeats weights\n",
                        r.n_atoms, r.grid_min, r.grid_max);
            else if (r.ties == GR_KNN_TIES_ATOMS && r.repeats != GR_KNN_REPEATS_WEIGHTS) {
                fprintf(stderr,
                        "read as atoms of the laws (point masses, %zu distinct repeated "
                        "values): counted, and the kNN estimate uses the unrepeated points",
                        r.n_atoms);
                if (is_js)
                    fprintf(stderr, " (the counted part is biased up by about %.3g)", r.atom_bias);
                fprintf(stderr, "; if they are repeated draws of a continuous law, pass "
                                "--repeats weights\n");
            } else {
                fprintf(stderr,
                        "read as repeated draws of a continuous law (--repeats weights): %s "
                        "has %zu distinct points and %s %zu, weighted by their multiplicities",
                        pos[1], r.n_distinct, pos[2], r.m_distinct);
                if (r.n_atoms > 0)
                    fprintf(stderr, "; %zu values occur in both files and were counted as atoms",
                            r.n_atoms);
                fprintf(stderr, "; if the repeats are atoms of the laws (point masses), pass "
                                "--repeats atoms\n");
            }
        }
        value = r.value;
    }
    printf("%.17g\n", value);
    rc = GR_EXIT_OK;
done:
    gr_points_free(&A);
    gr_points_free(&B);
    return rc;
}
