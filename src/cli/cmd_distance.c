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
 *
 * gr_cmd_distance runs four steps: parse_args (options and their KINDs) -> read_inputs
 * (the two point files) -> compute_ot / compute_sinkhorn / compute_knn (one solver call,
 * its result kept) -> report (certificate and warnings on stderr, the value on stdout, the
 * exit status). The library's defaults come from its *_settings_default(); the few the
 * CLI chooses itself are in cli_defaults.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "core/error.h"
#include "core/settings.h"
#include "distance/knn.h"
#include "distance/oned.h"
#include "distance/ot.h"
#include "distance/sinkhorn.h"
#include "io/points.h"

/* The defaults the CLI chooses itself (the library leaves them to the caller); all others
 * are the library's *_settings_default(). */
static const struct {
    /* Sinkhorn's epsilon when --epsilon is not given: this fraction of the mean pairwise
     * distance. <P, C> exceeds W1 by O(eps log(1/eps)); 0.05 keeps that bias at a few per
     * cent of the cost while the log-domain iterations still converge in seconds. */
    double sinkhorn_eps_rel;
    /* Sinkhorn's epsilon when every pairwise distance is 0 (A and B the same point): any
     * positive value gives the exact cost 0. */
    double sinkhorn_eps_zero_cost;
} cli_defaults = {0.05, 1e-3};

/* %g without the exponent's leading zero (1e-9, not 1e-09), for the help text. */
static const char *short_g(double v, char buf[32]) {
    snprintf(buf, 32, "%g", v);
    char *e = strstr(buf, "e-0");
    if (!e) e = strstr(buf, "e+0");
    if (e) memmove(e + 2, e + 3, strlen(e + 3) + 1);
    return buf;
}

static void usage(FILE *out) {
    char g[5][32];
    const gr_ot_settings ot = gr_ot_settings_default();
    const gr_sinkhorn_settings sk = gr_sinkhorn_settings_default();
    const gr_knn_options kn = gr_knn_options_default();
    fprintf(out,
            "usage: ganrepro distance KIND A B [options]\n"
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
            "                 sinkhorn: iteration cap (default %zu)\n"
            "  --tol T        w1/w2: relative tolerance of the certificate (reduced costs,\n"
            "                 marginals, duality gap; defaults %s / %s / %s);\n"
            "                 sinkhorn: relative L1 marginal error (default %s)\n"
            "  --warm-max-m N w1/w2: start the simplex from the optimal basis of successive\n"
            "                 shortest paths when the smaller side has at most N points\n"
            "                 (default %zu; 0: never; memory ~40 n m bytes)\n"
            "  --cold-max-n N w1/w2: refuse the cold start (time ~max(n, m)^2) when one\n"
            "                 side has more than N points and 8 times the other (default\n"
            "                 %zu; 0: no limit)\n"
            "  --epsilon E    sinkhorn: regularisation in cost units (default %s x the\n"
            "                 mean pairwise distance)\n"
            "  --k K          js/kl: neighbour rank (default %zu)\n"
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
            "                 violation, warm or cold start, the settings (w1/w2);\n"
            "                 iterations, marginal error, epsilon, the settings\n"
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
            "  w1/w2 on 1-D points use the exact sort formula: --max-iter, --tol,\n"
            "  --warm-max-m and --cold-max-n have no effect there.\n"
            "  w1/w2 --certificate: primal= (the plan's cost <P, C>), dual= (the dual\n"
            "  objective) and cost_scale= are in ground-cost units; primal and dual agree\n"
            "  up to duality_gap. For w1 the cost is the distance, so they are W1; for w2\n"
            "  it is the SQUARED distance, so primal and dual are W2^2 and the value on\n"
            "  stdout is their square root, W2.\n"
            "  js: the true JS lies in [0, log 2]; the kNN estimate can leave it by\n"
            "  estimation error, and the value printed is clipped to it (below 0 prints\n"
            "  0, above log 2 prints 0.69314718055994529). kl is not clipped: a negative\n"
            "  kl is estimation error. A value that is not a number (NaN) is never\n"
            "  printed: it is an error with a message.\n",
            sk.max_iter, short_g(ot.tol_rc, g[0]), short_g(ot.tol_marginal, g[1]),
            short_g(ot.tol_gap, g[2]), short_g(sk.tol, g[3]), ot.warm_max_m, ot.cold_max_n,
            short_g(cli_defaults.sinkhorn_eps_rel, g[4]), kn.k);
}

/* The options that take a value and the KINDs each applies to (space-separated). An
 * option given with a KIND outside its list is a usage error: a setting that cannot
 * take effect must not look accepted. */
typedef struct {
    const char *name;
    const char *kinds;
} option_rule;

enum {
    OPT_MAX_ITER,
    OPT_TOL,
    OPT_EPSILON,
    OPT_K,
    OPT_REPEATS,
    OPT_WARM_MAX_M,
    OPT_COLD_MAX_N,
    OPT_COUNT
};
static const option_rule option_rules[OPT_COUNT] = {
    [OPT_MAX_ITER] = {"--max-iter", "w1 w2 sinkhorn"},
    [OPT_TOL] = {"--tol", "w1 w2 sinkhorn"},
    [OPT_WARM_MAX_M] = {"--warm-max-m", "w1 w2"},
    [OPT_COLD_MAX_N] = {"--cold-max-n", "w1 w2"},
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

/* A count >= 0 (0 has a meaning: "never" or "no limit"). */
static int parse_count(const char *opt, const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-') {
        fprintf(stderr, "ganrepro distance: %s: expected an integer >= 0, found '%s'\n", opt, s);
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

typedef enum { KIND_W1, KIND_W2, KIND_SINKHORN, KIND_JS, KIND_KL } distance_kind;

/* What the command line asked for. */
typedef struct {
    const char *pos[3]; /* KIND, A, B */
    distance_kind kind;
    int given[OPT_COUNT];
    size_t max_iter, k, warm_max_m, cold_max_n;
    double tol, epsilon;
    gr_knn_repeats repeats;
    int cert;
} distance_args;

/* The points are outside what the solver can represent (coordinates so large that the
 * costs overflow): an input error, reported as one line naming both files, without the
 * certificate (which would only show zeros). Exit 2. */
static int input_fail(const distance_args *a, const gr_error *err) {
    fprintf(stderr, "ganrepro distance: %s, %s: %s\n", a->pos[1], a->pos[2], err->msg);
    return GR_EXIT_USAGE;
}

/* What a solver returned, kept for the report. */
typedef struct {
    int ran;  /* 0: failed before the solver (input or memory: exit 2); 1: st is its status */
    int st;   /* the solver's status */
    int oned; /* w1/w2 by the 1-D sort formula */
    double value;
    gr_ot_settings ot_settings;
    gr_ot_result ot;
    gr_sinkhorn_settings sk_settings;
    gr_sinkhorn_result sk;
    gr_knn_result knn;
} distance_outcome;

/* Step 1: options and positional arguments into *a, each option checked against the
 * KINDs it applies to. Returns 1 to go on; 0 to stop with *exit_code (--help: 0, a usage
 * error: 2, with its message printed). */
static int parse_args(int argc, char **argv, distance_args *a, int *exit_code) {
    memset(a, 0, sizeof *a);
    a->k = gr_knn_options_default().k;
    a->repeats = gr_knn_options_default().repeats;
    size_t npos = 0;
    *exit_code = GR_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int opt = -1;
        for (int j = 0; j < OPT_COUNT; j++)
            if (!strcmp(s, option_rules[j].name)) opt = j;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            usage(stdout);
            *exit_code = GR_EXIT_OK;
            return 0;
        } else if (!strcmp(s, "--certificate")) {
            a->cert = 1;
        } else if (opt >= 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ganrepro distance: %s needs a value\n", s);
                return 0;
            }
            if (a->given[opt]) {
                fprintf(stderr, "ganrepro distance: %s given twice\n", s);
                return 0;
            }
            a->given[opt] = 1;
            const char *v = argv[++i];
            int ok = opt == OPT_MAX_ITER     ? parse_size(s, v, &a->max_iter)
                     : opt == OPT_K          ? parse_size(s, v, &a->k)
                     : opt == OPT_TOL        ? parse_pos(s, v, &a->tol)
                     : opt == OPT_REPEATS    ? parse_repeats(v, &a->repeats)
                     : opt == OPT_WARM_MAX_M ? parse_count(s, v, &a->warm_max_m)
                     : opt == OPT_COLD_MAX_N ? parse_count(s, v, &a->cold_max_n)
                                             : parse_pos(s, v, &a->epsilon);
            if (!ok) return 0;
        } else if (s[0] == '-' && s[1] == '-') {
            fprintf(stderr, "ganrepro distance: unknown option '%s' (see --help)\n", s);
            return 0;
        } else {
            if (npos == 3) {
                fprintf(stderr,
                        "ganrepro distance: too many arguments ('%s'); expected KIND A "
                        "B\n",
                        s);
                return 0;
            }
            a->pos[npos++] = s;
        }
    }
    if (npos < 3) {
        fprintf(stderr, "ganrepro distance: expected KIND A B, got %zu argument%s\n", npos,
                npos == 1 ? "" : "s");
        usage(stderr);
        return 0;
    }
    static const char *const names[5] = {"w1", "w2", "sinkhorn", "js", "kl"};
    const char *kind = a->pos[0];
    int found = 0;
    for (int j = 0; j < 5; j++)
        if (!strcmp(kind, names[j])) {
            a->kind = (distance_kind)j;
            found = 1;
        }
    if (!found) {
        fprintf(stderr,
                "ganrepro distance: unknown KIND '%s': expected one of w1 w2 sinkhorn js kl\n",
                kind);
        return 0;
    }
    for (int j = 0; j < OPT_COUNT; j++)
        if (a->given[j] && !kind_in(option_rules[j].kinds, kind)) {
            fprintf(stderr,
                    "ganrepro distance: %s does not apply to %s: it applies to %s only (see "
                    "--help)\n",
                    option_rules[j].name, kind, option_rules[j].kinds);
            return 0;
        }
    return 1;
}

/* Step 2: the two point files, of the same dimension. GR_EXIT_OK, or GR_EXIT_USAGE with
 * the message printed (A and B are then freed by the caller as always). */
static int read_inputs(const distance_args *a, gr_points *A, gr_points *B) {
    gr_error err;
    gr_error_clear(&err);
    /* libhdf5 can crash on damaged metadata before any check of ours runs: name the file */
    for (int k = 1; k <= 2; k++) {
        gr_cli_guard_begin(a->pos[k]);
        gr_cli_guard_test_fault();
        int st = gr_points_read(a->pos[k], k == 1 ? A : B, &err);
        gr_cli_guard_end();
        if (st != GR_OK) return fail(&err);
    }
    if (A->d != B->d) {
        fprintf(stderr,
                "ganrepro distance: dimension mismatch: %s has %zu coordinate%s per point, %s "
                "has %zu\n",
                a->pos[1], A->d, A->d == 1 ? "" : "s", a->pos[2], B->d);
        return GR_EXIT_USAGE;
    }
    return GR_EXIT_OK;
}

/* Step 3 (w1, w2): the 1-D sort formula for 1-D points, else the network simplex with the
 * library's settings changed only by the options given. */
static void compute_ot(const distance_args *a, const gr_points *A, const gr_points *B,
                       distance_outcome *o, gr_error *err) {
    int p = a->kind == KIND_W1 ? 1 : 2;
    gr_ot_settings s = gr_ot_settings_default();
    if (a->max_iter) s.max_iter = a->max_iter;
    if (a->tol > 0) s.tol_rc = s.tol_marginal = s.tol_gap = a->tol;
    if (a->given[OPT_WARM_MAX_M]) s.warm_max_m = a->warm_max_m;
    if (a->given[OPT_COLD_MAX_N]) s.cold_max_n = a->cold_max_n;
    o->ot_settings = s;
    if (A->d == 1) {
        o->oned = 1;
        o->ran = 1;
        o->st = gr_oned_wasserstein(NULL, A->data, NULL, A->n, B->data, NULL, B->n, p, s.tol_mass,
                                    &o->value, err);
        return;
    }
    gr_ot_workspace *w = NULL;
    if (gr_ot_workspace_alloc(&w, A->n, B->n, err)) return;
    gr_ot_problem prob =
        gr_ot_problem_points(A->data, NULL, A->n, B->data, NULL, B->n, A->d,
                             p == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
    o->ran = 1;
    o->st = gr_ot_solve(w, &prob, &s, &o->ot, err);
    o->value = o->ot.value;
    o->ot.plan = NULL; /* the plan and duals live in w: not kept */
    o->ot.u = o->ot.v = NULL;
    gr_ot_workspace_free(w);
}

/* Step 3 (sinkhorn): epsilon from --epsilon, or cli_defaults.sinkhorn_eps_rel x the mean
 * pairwise distance; the value is the entropic plan's cost <P, C>. */
static void compute_sinkhorn(const distance_args *a, const gr_points *A, const gr_points *B,
                             distance_outcome *o, gr_error *err) {
    gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
    if (a->max_iter) s.max_iter = a->max_iter;
    if (a->tol > 0) s.tol = a->tol;
    if (a->epsilon > 0) {
        s.epsilon = a->epsilon;
    } else {
        double mc;
        if (gr_sinkhorn_mean_cost(A->data, A->n, B->data, B->n, A->d, 1, &mc, err)) return;
        if (!isfinite(mc)) { /* the default epsilon would be inf */
            o->ran = 1;
            o->st = GR_ERROR(err, GR_EDOM,
                             "coordinates too large: the mean pairwise distance overflows");
            return;
        }
        s.epsilon =
            mc > 0 ? cli_defaults.sinkhorn_eps_rel * mc : cli_defaults.sinkhorn_eps_zero_cost;
    }
    o->sk_settings = s;
    gr_sinkhorn_workspace *w = NULL;
    if (gr_sinkhorn_workspace_alloc(&w, A->n, B->n, err)) return;
    o->ran = 1;
    o->st = gr_sinkhorn_solve(w, A->data, NULL, A->n, B->data, NULL, B->n, A->d, &s, &o->sk, err);
    gr_sinkhorn_workspace_free(w);
    o->value = o->sk.cost;
}

/* Step 3 (js, kl): the kNN estimators with --k and --repeats. */
static void compute_knn(const distance_args *args, gr_points A, gr_points B, distance_outcome *out,
                        gr_error *err) {
    size_t k = args->k;
    gr_knn_repeats repeats = args->repeats;
    int is_kl = args->kind == KIND_KL, st;
    gr_knn_result r;
    gr_knn_options o = {k, repeats};
    st = is_kl ? gr_knn_kl_opt(A.data, A.n, B.data, B.n, A.d, &o, &r, err)
               : gr_knn_js_opt(A.data, A.n, B.data, B.n, A.d, &o, &r, err);
    out->ran = 1;
    out->st = st;
    out->knn = r;
    out->value = r.value;
}

/* The settings a solve used, as "setting.NAME=VALUE" lines on stderr (--certificate). */
static void print_settings(const gr_setting *v, size_t n) {
    char buf[2048];
    gr_settings_format(v, n, "setting.", buf, sizeof buf);
    fputs(buf, stderr);
}

/* Step 4 (w1, w2): the certificate (with --certificate, or whenever the solver failed),
 * then the failure's message and, for an unbalanced problem refused for the cold start,
 * the options that solve it. Returns the exit status. */
static int report_ot(const distance_args *a, const gr_points *A, const gr_points *B,
                     const distance_outcome *o, const gr_error *err) {
    const gr_ot_result *r = &o->ot;
    int st = o->st;
    if (st == GR_EDOM) return input_fail(a, err);
    if (o->oned) {
        if (st) return solver_fail(st, err);
        if (a->cert) fprintf(stderr, "method=sort-1d\nstatus=ok\nn=%zu\nm=%zu\nd=1\n", A->n, B->n);
        return GR_EXIT_OK;
    }
    if (a->cert || st)
        fprintf(stderr,
                "method=network-simplex\nground_cost=%s\nstatus=%s\niterations=%zu\n"
                "marginal_residual=%.3g\nduality_gap=%.3g\nmax_violation=%.3g\n"
                "primal=%.17g\ndual=%.17g\ncost_scale=%.17g\nplan_nnz=%zu\n"
                "n=%zu\nm=%zu\nd=%zu\nwarm_start=%d\naugmentations=%zu\n",
                a->kind == KIND_W1 ? "euclidean (primal, dual: W1)"
                                   : "squared-euclidean (primal, dual: W2^2; stdout: W2)",
                st ? gr_strerror(st) : "optimal", r->iterations, r->marginal_residual,
                r->duality_gap, r->max_violation, r->cost, r->dual, r->cost_scale, r->plan_nnz,
                A->n, B->n, A->d, r->warm_start, r->augmentations);
    if (a->cert) {
        gr_setting v[GR_OT_SETTINGS_COUNT];
        print_settings(v, gr_ot_settings_describe(&o->ot_settings, v, GR_OT_SETTINGS_COUNT));
    }
    if (!st) return GR_EXIT_OK;
    int rc = solver_fail(st, err);
    if (r->refused_unbalanced) {
        size_t big = A->n > B->n ? A->n : B->n, small = A->n > B->n ? B->n : A->n;
        fprintf(stderr,
                "ganrepro distance: to solve it, pass --warm-max-m %zu (the warm start; memory "
                "~40 n m bytes), or --cold-max-n %zu or more (0: no limit; the cold start's "
                "time grows like max(n, m)^2)\n",
                small, big);
    }
    return rc;
}

/* Step 4 (sinkhorn): the certificate (with --certificate or on failure), the status. */
static int report_sinkhorn(const distance_args *a, const gr_points *A, const gr_points *B,
                           const distance_outcome *o, const gr_error *err) {
    const gr_sinkhorn_result *r = &o->sk;
    int st = o->st;
    if (st == GR_EDOM) return input_fail(a, err);
    if (a->cert || st)
        fprintf(stderr,
                "method=sinkhorn-log\nstatus=%s\niterations=%zu\nmarginal_error=%.3g\n"
                "epsilon=%.17g\nobjective=%.17g\nn=%zu\nm=%zu\nd=%zu\n",
                st ? gr_strerror(st) : "converged", r->iterations, r->marginal_error, r->epsilon,
                r->objective, A->n, B->n, A->d);
    if (a->cert) {
        gr_setting v[GR_SINKHORN_SETTINGS_COUNT];
        print_settings(
            v, gr_sinkhorn_settings_describe(&o->sk_settings, v, GR_SINKHORN_SETTINGS_COUNT));
    }
    return st ? solver_fail(st, err) : GR_EXIT_OK;
}

/* Step 4 (js, kl): the failure and its hint, or the certificate and the ties warning. */
static int report_knn(const distance_args *args, const distance_outcome *o, const gr_error *err) {
    const char *pos[3] = {args->pos[0], args->pos[1], args->pos[2]};
    int is_js = args->kind == KIND_JS, is_kl = args->kind == KIND_KL, cert = args->cert;
    gr_knn_repeats repeats = args->repeats;
    const gr_knn_result r = o->knn;
    int st = o->st, rc;
    if (st) {
        rc = solver_fail(st, err);
        /* +inf comes from atoms: say which reading made them, and the other one */
        if (st == GR_EINF && repeats != GR_KNN_REPEATS_WEIGHTS)
            fprintf(stderr, "ganrepro distance: repeated points were read as atoms of the "
                            "laws (point masses); if they are repeated draws of a "
                            "continuous law, pass --repeats weights\n");
        return rc;
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
            fprintf(stderr, "grid_step_min=%.17g\ngrid_step_max=%.17g\n", r.grid_min, r.grid_max);
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
    return GR_EXIT_OK;
}

/* Step 4, for every KIND: a failure before the solver exits 2 with its message; otherwise
 * the KIND's report, and with a value, the value alone on stdout. */
static int report(const distance_args *a, const gr_points *A, const gr_points *B,
                  const distance_outcome *o, const gr_error *err) {
    if (!o->ran) return fail(err);
    int rc = a->kind == KIND_W1 || a->kind == KIND_W2 ? report_ot(a, A, B, o, err)
             : a->kind == KIND_SINKHORN               ? report_sinkhorn(a, A, B, o, err)
                                                      : report_knn(a, o, err);
    if (rc == GR_EXIT_OK) printf("%.17g\n", o->value);
    return rc;
}

int gr_cmd_distance(int argc, char **argv) {
    distance_args a;
    int rc;
    if (!parse_args(argc, argv, &a, &rc)) return rc;
    gr_points A = {NULL, 0, 0}, B = {NULL, 0, 0};
    rc = read_inputs(&a, &A, &B);
    if (rc == GR_EXIT_OK) {
        gr_error err;
        gr_error_clear(&err);
        distance_outcome o;
        memset(&o, 0, sizeof o);
        o.value = NAN;
        if (a.kind == KIND_W1 || a.kind == KIND_W2)
            compute_ot(&a, &A, &B, &o, &err);
        else if (a.kind == KIND_SINKHORN)
            compute_sinkhorn(&a, &A, &B, &o, &err);
        else
            compute_knn(&a, A, B, &o, &err);
        rc = report(&a, &A, &B, &o, &err);
    }
    gr_points_free(&A);
    gr_points_free(&B);
    return rc;
}
