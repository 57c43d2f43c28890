/* tests/nn/test_optim.c — optimizers (src/nn/optim.c) against PyTorch trajectories and
 * closed-form first steps, weight clipping (C26: max |w| <= c exactly), and the probes
 * (src/nn/probe.c): per-layer norms against a long-double computation, histogram edges and
 * tails, clipping fractions, cosines.
 *
 * Fixture provenance: tests/reference/optim_fixtures/<config>.txt were written once by
 * tests/reference/make_optim_fixtures.py with torch 1.13 (see the README line there); each
 * holds the config (in gr_optim_config field names) and torch's parameters after each step,
 * for the gradient sequence in inputs.txt. */
#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "nn/mlp.h"
#include "nn/optim.h"
#include "nn/probe.h"
#include "test.h"

#define FIXDIR "reference/optim_fixtures/"

/* Tolerance against torch (brief: 1e-5 relative in float). Recorded with the measured
 * errors printed by test_torch_fixtures. */
#define TORCH_RTOL 1e-5

/* ---- fixture reading ----------------------------------------------------------------------- */

/* Next non-comment line into buf; 0 at EOF. */
static int next_line(FILE *f, char *buf, size_t size) {
    while (fgets(buf, (int)size, f))
        if (buf[0] != '#' && buf[0] != '\n') return 1;
    return 0;
}

/* Parse exactly n floats from a line; returns the count read. */
static size_t parse_floats(const char *s, float *out, size_t n) {
    size_t k = 0;
    char *end;
    while (k < n) {
        float v = strtof(s, &end);
        if (end == s) break;
        out[k++] = v;
        s = end;
    }
    return k;
}

#define LINE_MAX_LEN (1 << 16)

typedef struct inputs {
    size_t n, steps;
    float *p0;    /* n */
    float *grads; /* steps * n */
} inputs;

static int read_inputs(inputs *in) {
    memset(in, 0, sizeof *in);
    FILE *f = fopen(FIXDIR "inputs.txt", "r");
    if (!f) return 0;
    char *line = malloc(LINE_MAX_LEN);
    int ok = line && next_line(f, line, LINE_MAX_LEN) &&
             sscanf(line, "%zu %zu", &in->n, &in->steps) == 2 && in->n > 0 && in->steps > 0;
    if (ok) {
        in->p0 = malloc(in->n * sizeof(float));
        in->grads = malloc(in->steps * in->n * sizeof(float));
        ok = in->p0 && in->grads && next_line(f, line, LINE_MAX_LEN) &&
             parse_floats(line, in->p0, in->n) == in->n;
        for (size_t s = 0; ok && s < in->steps; s++)
            ok = next_line(f, line, LINE_MAX_LEN) &&
                 parse_floats(line, in->grads + s * in->n, in->n) == in->n;
    }
    free(line);
    fclose(f);
    return ok;
}

/* "config kind=adam lr=0.01 ..." -> gr_optim_config. */
static int parse_config(const char *line, gr_optim_config *c) {
    memset(c, 0, sizeof *c);
    if (strncmp(line, "config ", 7) != 0) return 0;
    char key[64], val[64];
    const char *s = line + 7;
    int used;
    while (sscanf(s, " %63[^=]=%63s%n", key, val, &used) == 2) {
        s += used;
        double v = strtod(val, NULL);
        if (strcmp(key, "kind") == 0) {
            if (gr_optim_kind_parse(&c->kind, val, NULL) != GR_OK) return 0;
        } else if (strcmp(key, "lr") == 0)
            c->lr = v;
        else if (strcmp(key, "weight_decay") == 0)
            c->weight_decay = v;
        else if (strcmp(key, "momentum") == 0)
            c->momentum = v;
        else if (strcmp(key, "dampening") == 0)
            c->dampening = v;
        else if (strcmp(key, "nesterov") == 0)
            c->nesterov = (int)v;
        else if (strcmp(key, "alpha") == 0)
            c->alpha = v;
        else if (strcmp(key, "centered") == 0)
            c->centered = (int)v;
        else if (strcmp(key, "beta1") == 0)
            c->beta1 = v;
        else if (strcmp(key, "beta2") == 0)
            c->beta2 = v;
        else if (strcmp(key, "eps") == 0)
            c->eps = v;
        else
            return 0;
    }
    return c->kind != 0;
}

/* Distance in units in the last place between two finite floats of the same sign class. */
static int64_t ulp_diff(float a, float b) {
    int32_t ia, ib;
    memcpy(&ia, &a, 4);
    memcpy(&ib, &b, 4);
    if (ia < 0) ia = INT32_MIN - ia;
    if (ib < 0) ib = INT32_MIN - ib;
    int64_t d = (int64_t)ia - (int64_t)ib;
    return d < 0 ? -d : d;
}

static const char *const FIXTURES[] = {"sgd",
                                       "sgd_wd",
                                       "momentum",
                                       "nesterov",
                                       "rmsprop",
                                       "rmsprop_wgan",
                                       "rmsprop_centered",
                                       "rmsprop_momentum",
                                       "rmsprop_centered_momentum",
                                       "adam",
                                       "adam_wgangp",
                                       "adam_wd"};

/* The torch fixtures through one code path of the update loops (gr_optim_set_path). */
static void torch_fixtures_on_path(const char *path_name) {
    inputs in;
    int ok = read_inputs(&in);
    CHECK(ok); /* a missing fixture fails, never skips */
    if (!ok) {
        free(in.p0);
        free(in.grads);
        return;
    }
    const size_t n = in.n;
    float *p = malloc(n * sizeof(float)), *want = malloc(n * sizeof(float));
    char *line = malloc(LINE_MAX_LEN);
    CHECK(p && want && line);
    double worst_rel_all = 0.0;
    for (size_t k = 0; p && want && line && k < sizeof FIXTURES / sizeof FIXTURES[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, FIXDIR "%s.txt", FIXTURES[k]);
        FILE *f = fopen(path, "r");
        CHECK(f != NULL);
        if (!f) continue;
        gr_optim_config cfg;
        int cfg_ok = next_line(f, line, LINE_MAX_LEN) && parse_config(line, &cfg);
        CHECK(cfg_ok);
        gr_error err;
        gr_optim *opt = NULL;
        if (cfg_ok) CHECK_OK(gr_optim_alloc(&opt, &cfg, n, &err), &err);
        if (!opt) {
            fclose(f);
            continue;
        }
        CHECK_OK(gr_optim_set_path(opt, path_name, &err), &err);
        memcpy(p, in.p0, n * sizeof(float));
        double worst_rel = 0.0, worst_disp = 0.0;
        int64_t worst_ulp = 0;
        size_t n_exact = 0, n_total = 0;
        for (size_t s = 0; s < in.steps; s++) {
            CHECK_OK(gr_optim_step(opt, p, in.grads + s * n, n, &err), &err);
            int row_ok = next_line(f, line, LINE_MAX_LEN) && parse_floats(line, want, n) == n;
            CHECK(row_ok);
            if (!row_ok) break;
            CHECK_ARRAY_CLOSE(p, want, n, TORCH_RTOL, 0.0);
            for (size_t i = 0; i < n; i++) {
                double rel = want[i] != 0.0f ? fabs((double)p[i] - want[i]) / fabs(want[i])
                                             : fabs((double)p[i]);
                if (rel > worst_rel) worst_rel = rel;
                /* error relative to the distance travelled since the start: a sharper
                 * test than the parameters themselves when the steps are small */
                double disp = fabs((double)want[i] - in.p0[i]);
                if (disp > 0.0) {
                    double r = fabs((double)p[i] - want[i]) / disp;
                    if (r > worst_disp) worst_disp = r;
                }
                int64_t u = ulp_diff(p[i], want[i]);
                if (u > worst_ulp) worst_ulp = u;
                n_exact += (p[i] == want[i]);
                n_total++;
            }
        }
        CHECK(gr_optim_step_count(opt) == in.steps);
        printf("torch %-26s [%s] max rel err %.3g, max err/|displacement| %.3g, max %lld ulp, "
               "%zu/%zu bit-identical\n",
               FIXTURES[k], path_name, worst_rel, worst_disp, (long long)worst_ulp, n_exact,
               n_total);
        /* the displacement test: float rounding of p (|p| <= ~4) is ~2.4e-7 absolute, the
         * smallest displacement moved by >= 1e-3, so 1e-3 relative is rounding, not a bug */
        CHECK(worst_disp < 1e-3);
        /* Stronger than the tolerance: optim.c mirrors torch's roundings (incl. its FMAs)
         * with IEEE float ops and correctly rounded fmaf, so it reproduces the fixtures bit
         * for bit on any IEEE platform. A failure here with the tolerance checks passing
         * means a rounding changed (compiler contraction, a reordered expression). */
        CHECK(n_exact == n_total);
        if (worst_rel > worst_rel_all) worst_rel_all = worst_rel;
        gr_optim_free(opt);
        fclose(f);
    }
    printf("torch agreement [%s]: worst relative error over all fixtures %.3g (tolerance %g)\n",
           path_name, worst_rel_all, TORCH_RTOL);
    free(line);
    free(p);
    free(want);
    free(in.p0);
    free(in.grads);
}

/* Every code path this CPU runs must reproduce the fixtures bit for bit, so every path is
 * tested wherever it can run; the baseline runs everywhere, and the path gr_optim_alloc
 * picks by itself must be among those tested. Paths this CPU cannot run are reported. */
static void test_torch_fixtures(void) {
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_ADAM);
    gr_optim *probe = NULL;
    gr_error err;
    CHECK_OK(gr_optim_alloc(&probe, &c, 4, &err), &err);
    if (!probe) return;
    const char *chosen = gr_optim_path(probe);
    CHECK(chosen != NULL);
    int ran_baseline = 0, ran_chosen = 0;
    const char *path;
    for (size_t i = 0; (path = gr_optim_path_name(i)) != NULL; i++) {
        if (gr_optim_set_path(probe, path, &err) != GR_OK) {
            printf("code path %s not run here: %s\n", path, err.msg);
            CHECK(strcmp(path, "baseline") != 0);
            continue;
        }
        CHECK(strcmp(gr_optim_path(probe), path) == 0);
        torch_fixtures_on_path(path);
        ran_baseline |= strcmp(path, "baseline") == 0;
        ran_chosen |= chosen && strcmp(path, chosen) == 0;
    }
    CHECK(ran_baseline);
    CHECK(ran_chosen);
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
    CHECK(gr_optim_path_name(2) != NULL); /* x86-64 GCC builds carry all three paths */
#endif
    CHECK_STATUS(gr_optim_set_path(probe, "avx9000", &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "unknown code path");
    CHECK_STR_CONTAINS(err.msg, "baseline");
    CHECK_STATUS(gr_optim_set_path(probe, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_set_path(NULL, "baseline", &err), GR_EINVAL);
    CHECK(gr_optim_path(NULL) == NULL);
    gr_optim_free(probe);
}

/* Every loop (all five kinds, with weight decay, momentum, Nesterov, centering) gives the
 * same bits on every code path this CPU runs, TF variants included (the torch fixtures
 * above cover torch's kinds only). 2053 parameters: not a multiple of any vector width. */
static void test_paths_agree(void) {
    enum { N = 2053, STEPS = 4 };
    gr_optim_config cfgs[8];
    cfgs[0] = gr_optim_config_default(GR_OPTIM_SGD);
    cfgs[0].momentum = 0.9;
    cfgs[0].nesterov = 1;
    cfgs[0].weight_decay = 1e-3;
    cfgs[1] = gr_optim_config_default(GR_OPTIM_SGD);
    cfgs[2] = gr_optim_config_default(GR_OPTIM_RMSPROP);
    cfgs[2].centered = 1;
    cfgs[2].momentum = 0.5;
    cfgs[3] = gr_optim_config_default(GR_OPTIM_RMSPROP);
    cfgs[3].weight_decay = 1e-2;
    cfgs[4] = gr_optim_config_default(GR_OPTIM_ADAM);
    cfgs[4].weight_decay = 1e-2;
    cfgs[5] = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
    cfgs[5].centered = 1;
    cfgs[5].momentum = 0.9;
    cfgs[6] = gr_optim_config_default(GR_OPTIM_ADAM_TF);
    cfgs[7] = gr_optim_config_default(GR_OPTIM_ADAM);
    static float g[STEPS][N], p0[N], ref[N], p[N];
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 3, GR_STREAM_TEST, NULL), NULL);
    for (size_t i = 0; i < N; i++)
        p0[i] = (float)gsl_ran_gaussian(r, 1.0);
    for (size_t t = 0; t < STEPS; t++)
        for (size_t i = 0; i < N; i++) /* magnitudes over 8 decades */
            g[t][i] = (float)(gsl_ran_gaussian(r, 1.0) * pow(10.0, gsl_rng_uniform(r) * 8.0 - 6.0));
    gr_rng_free(r);
    /* the paths end with the baseline, which always runs: take it as the reference */
    size_t n_paths = 0;
    while (gr_optim_path_name(n_paths) != NULL)
        n_paths++;
    CHECK(n_paths >= 1 && strcmp(gr_optim_path_name(n_paths - 1), "baseline") == 0);
    if (n_paths == 0) return;
    size_t compared = 0, differing = 0;
    for (size_t k = 0; k < sizeof cfgs / sizeof cfgs[0]; k++) {
        for (size_t pi = n_paths; pi-- > 0;) {
            const char *path = gr_optim_path_name(pi);
            gr_error err;
            gr_optim *o = NULL;
            CHECK_OK(gr_optim_alloc(&o, &cfgs[k], N, &err), &err);
            if (!o) continue;
            if (gr_optim_set_path(o, path, &err) == GR_OK) {
                memcpy(p, p0, sizeof p);
                for (size_t t = 0; t < STEPS; t++)
                    CHECK_OK(gr_optim_step(o, p, g[t], N, &err), &err);
                if (pi == n_paths - 1)
                    memcpy(ref, p, sizeof p);
                else
                    differing += (size_t)(memcmp(p, ref, sizeof p) != 0);
                compared++;
            }
            gr_optim_free(o);
        }
    }
    CHECK(compared >= 8); /* at least the baseline of each configuration */
    printf("code paths agree: %zu runs compared, %zu differ from the baseline\n", compared,
           differing);
    CHECK(differing == 0);
}

/* ---- closed-form first and second steps (independent of torch) ------------------------------ */

static void test_closed_form_steps(void) {
    gr_error err;
    const float g1[3] = {0.75f, -2.5f, 1e-9f}, g2[3] = {-1.25f, 0.5f, 3.0f};
    const float p0[3] = {0.3f, -1.1f, 2.0f};
    float p[3];

    /* SGD momentum 0.9, dampening 0.25: step 1 b = g1 (torch: no dampening on the first
     * step), step 2 b = 0.9 g1 + 0.75 g2; p2 = p0 - lr (b1 + b2). */
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_SGD);
    c.lr = 0.125;
    c.momentum = 0.9;
    c.dampening = 0.25;
    gr_optim *o = NULL;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    CHECK_OK(gr_optim_step(o, p, g2, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double b1 = g1[i], b2 = 0.9 * g1[i] + 0.75 * g2[i];
        CHECK_CLOSE(p[i], p0[i] - 0.125 * (b1 + b2), 1e-6, 1e-7);
        CHECK_CLOSE(gr_optim_state(o)[i], b2, 1e-6, 1e-12);
    }
    gr_optim_free(o);

    /* Adam step 1: m-hat = g, v-hat = g^2 exactly, so p1 = p0 - lr g / (|g| + eps): a
     * sign step for |g| >> eps and a tiny one for |g| << eps (Kingma & Ba 2015, Alg. 1). */
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.lr = 0.01;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double g = g1[i];
        CHECK_CLOSE(p[i], p0[i] - 0.01 * g / (fabs(g) + 1e-8), 1e-6, 1e-7);
    }
    /* the tiny gradient moved p by lr * 1e-9 / (1e-9 + 1e-8) = lr / 11 */
    CHECK_CLOSE(p0[2] - p[2], 0.01 / 11.0, 1e-2, 0.0); /* 1e-2: float ulp of p = 2 */
    gr_optim_free(o);

    /* RMSProp step 1: v = (1 - alpha) g^2, p1 = p0 - lr g / (sqrt(1 - alpha)|g| + eps), eps
     * outside the root: with g = 1e-9, eps inside would give sqrt(1e-20 + 1e-8) = 1e-4. */
    c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.eps = 1e-8;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double g = g1[i];
        CHECK_CLOSE(p[i], p0[i] - 0.01 * g / (sqrt(0.01) * fabs(g) + 1e-8), 1e-6, 1e-7);
    }
    gr_optim_free(o);

    /* Weight decay is an L2 term: with g = 0, SGD gives p1 = p0 (1 - lr wd). */
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.lr = 0.5;
    c.weight_decay = 0.125;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    const float zero[3] = {0, 0, 0};
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, zero, 3, &err), &err);
    for (int i = 0; i < 3; i++)
        CHECK_CLOSE(p[i], p0[i] * (1.0 - 0.0625), 1e-7, 0.0);
    gr_optim_free(o);
}

/* TF 1.x variants: closed-form first steps (no TensorFlow here to make fixtures). */
static void test_tf_variants(void) {
    gr_error err;
    const float g1[3] = {0.75f, -2.5f, 1e-9f}, g2[3] = {-1.25f, 0.5f, 3.0f};
    const float p0[3] = {0.3f, -1.1f, 2.0f};
    float p[3];

    /* RMSProp-TF, rho 0.9, eps 1e-10, momentum 0.5: ms starts at 1, so
     * ms1 = 0.9 + 0.1 g1^2, mom1 = lr g1 / sqrt(ms1 + eps), p1 = p0 - mom1;
     * ms2 = 0.9 ms1 + 0.1 g2^2, mom2 = 0.5 mom1 + lr g2 / sqrt(ms2 + eps), p2 = p1 - mom2. */
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
    CHECK(c.alpha == 0.9 && c.eps == 1e-10 && c.momentum == 0.0);
    c.lr = 5e-3;
    c.momentum = 0.5;
    gr_optim *o = NULL;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    CHECK(o && gr_optim_n_slots(o) == 2 && strcmp(gr_optim_slot_name(o, 0), "rms") == 0);
    CHECK(o && gr_optim_state(o)[0] == 1.0f && gr_optim_state(o)[2] == 1.0f &&
          gr_optim_state(o)[3] == 0.0f);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    CHECK_OK(gr_optim_step(o, p, g2, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double ms1 = 0.9 + 0.1 * g1[i] * g1[i], ms2 = 0.9 * ms1 + 0.1 * g2[i] * g2[i];
        double m1 = 5e-3 * g1[i] / sqrt(ms1 + 1e-10);
        double m2 = 0.5 * m1 + 5e-3 * g2[i] / sqrt(ms2 + 1e-10);
        CHECK_CLOSE(p[i], p0[i] - m1 - m2, 1e-6, 1e-7);
        CHECK_CLOSE(gr_optim_state(o)[i], ms2, 1e-6, 0.0);
    }
    /* reset puts the mean square back to ONE */
    gr_optim_reset(o);
    CHECK(gr_optim_state(o)[1] == 1.0f && gr_optim_state(o)[4] == 0.0f);
    gr_optim_free(o);

    /* centered: mg1 = 0.1 g, s = sqrt(ms1 - mg1^2 + eps) */
    c = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
    c.centered = 1;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double g = g1[i], ms1 = 0.9 + 0.1 * g * g, mg1 = 0.1 * g;
        CHECK_CLOSE(p[i], p0[i] - 1e-3 * g / sqrt(ms1 - mg1 * mg1 + 1e-10), 1e-6, 1e-7);
    }
    gr_optim_free(o);

    /* Adam-TF step 1: p1 = p0 - lr g / (|g| + eps / sqrt(1 - beta2)): eps acts on the
     * uncorrected sqrt(v), i.e. ~31.6x larger than torch's for beta2 = 0.999 */
    c = gr_optim_config_default(GR_OPTIM_ADAM_TF);
    c.lr = 0.01;
    c.eps = 1e-8;
    CHECK_OK(gr_optim_alloc(&o, &c, 3, &err), &err);
    CHECK(o && strcmp(gr_optim_slot_name(o, 1), "v") == 0);
    memcpy(p, p0, sizeof p);
    CHECK_OK(gr_optim_step(o, p, g1, 3, &err), &err);
    for (int i = 0; i < 3; i++) {
        double g = g1[i];
        CHECK_CLOSE(p[i], p0[i] - 0.01 * g / (fabs(g) + 1e-8 / sqrt(0.001)), 1e-5, 1e-7);
    }
    CHECK_CLOSE(p0[2] - p[2], 0.01 * 1e-9 / (1e-9 + 1e-8 / sqrt(0.001)), 1e-2, 0.0);
    gr_optim_free(o);

    gr_optim_kind k;
    CHECK_OK(gr_optim_kind_parse(&k, "adam_tf", NULL), NULL);
    CHECK(k == GR_OPTIM_ADAM_TF);
    c = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
    c.weight_decay = 0.01;
    CHECK_STATUS(gr_optim_alloc(&o, &c, 3, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "TF1 optimizers have no weight decay");
    c = gr_optim_config_default(GR_OPTIM_ADAM_TF);
    c.beta2 = 1.0;
    CHECK_STATUS(gr_optim_alloc(&o, &c, 3, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "adam_tf: beta2 = 1");
}

/* reset gives a fresh optimizer: the replayed trajectory is bit-identical. */
static void test_reset_replay(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_TEST, &err), &err);
    enum { N = 97, STEPS = 5 };
    float p0[N], g[STEPS][N], a[N], b[N];
    for (int i = 0; i < N; i++)
        p0[i] = (float)(gsl_rng_uniform(r) - 0.5);
    for (int s = 0; s < STEPS; s++)
        for (int i = 0; i < N; i++)
            g[s][i] = (float)(gsl_rng_uniform(r) * 2.385 - 1.1);
    gr_optim_config cfgs[5] = {
        gr_optim_config_default(GR_OPTIM_SGD), gr_optim_config_default(GR_OPTIM_RMSPROP),
        gr_optim_config_default(GR_OPTIM_ADAM), gr_optim_config_default(GR_OPTIM_RMSPROP_TF),
        gr_optim_config_default(GR_OPTIM_ADAM_TF)};
    cfgs[0].momentum = 0.5;
    cfgs[1].centered = 1;
    cfgs[1].momentum = 0.3;
    cfgs[3].centered = 1;
    cfgs[3].momentum = 0.3;
    for (int k = 0; k < 5; k++) {
        gr_optim *o = NULL;
        CHECK_OK(gr_optim_alloc(&o, &cfgs[k], N, &err), &err);
        if (!o) continue;
        memcpy(a, p0, sizeof a);
        memcpy(b, p0, sizeof b);
        for (int s = 0; s < STEPS; s++)
            gr_optim_step(o, a, g[s], N, &err);
        CHECK(gr_optim_step_count(o) == STEPS);
        gr_optim_reset(o);
        CHECK(gr_optim_step_count(o) == 0);
        for (int s = 0; s < STEPS; s++)
            gr_optim_step(o, b, g[s], N, &err);
        CHECK(memcmp(a, b, sizeof a) == 0);
        gr_optim_free(o);
    }
    gr_rng_free(r);
}

static void test_defaults_and_slots(void) {
    /* torch 1.13 signatures: RMSprop(lr=1e-2, alpha=0.99, eps=1e-08, weight_decay=0,
     * momentum=0, centered=False); Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-08, wd=0). */
    gr_optim_config r = gr_optim_config_default(GR_OPTIM_RMSPROP);
    CHECK(r.lr == 1e-2 && r.alpha == 0.99 && r.eps == 1e-8 && r.momentum == 0 && !r.centered);
    gr_optim_config a = gr_optim_config_default(GR_OPTIM_ADAM);
    CHECK(a.lr == 1e-3 && a.beta1 == 0.9 && a.beta2 == 0.999 && a.eps == 1e-8);
    gr_optim_config s = gr_optim_config_default(GR_OPTIM_SGD);
    CHECK(s.momentum == 0 && s.dampening == 0 && !s.nesterov);
    CHECK(gr_optim_config_validate(&r, NULL) == GR_OK);
    CHECK(gr_optim_config_validate(&a, NULL) == GR_OK);
    CHECK(gr_optim_config_validate(&s, NULL) == GR_OK);
    gr_optim_config bad = gr_optim_config_default((gr_optim_kind)42);
    CHECK_STATUS(gr_optim_config_validate(&bad, NULL), GR_EINVAL);

    CHECK(gr_optim_config_n_slots(&s) == 0);
    s.momentum = 0.9;
    CHECK(gr_optim_config_n_slots(&s) == 1);
    CHECK(strcmp(gr_optim_config_slot_name(&s, 0), "momentum_buffer") == 0);
    CHECK(gr_optim_config_n_slots(&r) == 1);
    r.centered = 1;
    r.momentum = 0.5;
    CHECK(gr_optim_config_n_slots(&r) == 3);
    CHECK(strcmp(gr_optim_config_slot_name(&r, 0), "square_avg") == 0);
    CHECK(strcmp(gr_optim_config_slot_name(&r, 1), "grad_avg") == 0);
    CHECK(strcmp(gr_optim_config_slot_name(&r, 2), "momentum_buffer") == 0);
    CHECK(gr_optim_config_slot_name(&r, 3) == NULL);
    CHECK(gr_optim_config_n_slots(&a) == 2);
    CHECK(strcmp(gr_optim_config_slot_name(&a, 1), "exp_avg_sq") == 0);

    gr_optim_kind k;
    CHECK_OK(gr_optim_kind_parse(&k, "rmsprop", NULL), NULL);
    CHECK(k == GR_OPTIM_RMSPROP);
    CHECK(strcmp(gr_optim_kind_name(GR_OPTIM_ADAM), "adam") == 0);
    CHECK(strcmp(gr_optim_kind_name((gr_optim_kind)9), "?") == 0);

    /* plain SGD has no state block at all */
    gr_optim *o = NULL;
    gr_optim_config plain = gr_optim_config_default(GR_OPTIM_SGD);
    CHECK_OK(gr_optim_alloc(&o, &plain, 4, NULL), NULL);
    CHECK(gr_optim_state(o) == NULL && gr_optim_n_slots(o) == 0 && gr_optim_n_params(o) == 4);
    gr_optim_free(o);
}

/* One invalid config per line: the status and a word of the message. */
static void expect_bad(gr_optim_config c, const char *needle) {
    gr_error err;
    gr_optim *o = (gr_optim *)&err; /* must be reset to NULL on failure */
    CHECK_STATUS(gr_optim_alloc(&o, &c, 10, &err), GR_EINVAL);
    CHECK(o == NULL);
    CHECK_STR_CONTAINS(err.msg, needle);
}

static void test_error_paths(void) {
    gr_error err;
    gr_optim_config c;

    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.lr = -1e-4;
    expect_bad(c, "lr = -0.0001");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.lr = NAN;
    expect_bad(c, "lr");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.beta1 = 1.0;
    expect_bad(c, "beta1 = 1 outside [0, 1)");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.beta2 = -0.1;
    expect_bad(c, "beta2");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.eps = -1e-8;
    expect_bad(c, "eps");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.weight_decay = -0.5;
    expect_bad(c, "weight_decay");
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.momentum = 0.5;
    expect_bad(c, "Adam's momentum is beta1");
    c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.alpha = 1.0;
    expect_bad(c, "alpha");
    c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.momentum = 1.5;
    expect_bad(c, "momentum");
    c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.centered = 2;
    expect_bad(c, "centered");
    c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.beta1 = 0.9;
    expect_bad(c, "beta1");
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.nesterov = 1;
    expect_bad(c, "Nesterov momentum needs momentum > 0");
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.nesterov = 1;
    c.momentum = 0.9;
    c.dampening = 0.1;
    expect_bad(c, "dampening = 0");
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.dampening = 1.5;
    expect_bad(c, "dampening");
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.eps = 1e-8;
    expect_bad(c, "eps");
    c = gr_optim_config_default(GR_OPTIM_SGD);
    c.kind = (gr_optim_kind)0;
    expect_bad(c, "kind");

    /* n = 0, NULLs */
    gr_optim *o = NULL;
    c = gr_optim_config_default(GR_OPTIM_ADAM);
    CHECK_STATUS(gr_optim_alloc(&o, &c, 0, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n = 0");
    CHECK(o == NULL);
    CHECK_STATUS(gr_optim_alloc(NULL, &c, 5, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_alloc(&o, NULL, 5, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "NULL");
    CHECK_STATUS(gr_optim_config_validate(NULL, &err), GR_EINVAL);
    gr_optim_kind k = GR_OPTIM_SGD;
    CHECK_STATUS(gr_optim_kind_parse(&k, "adagrad", &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "\"adagrad\"");
    CHECK(k == GR_OPTIM_SGD);
    CHECK_STATUS(gr_optim_kind_parse(NULL, "sgd", &err), GR_EINVAL);

    CHECK_OK(gr_optim_alloc(&o, &c, 5, &err), &err);
    float p[5] = {1, 2, 3, 4, 5}, g[5] = {1, 1, 1, 1, 1};
    CHECK_STATUS(gr_optim_step(o, p, g, 4, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "4 parameters given, optimizer was sized for 5");
    CHECK_STATUS(gr_optim_step(o, NULL, g, 5, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "params");
    CHECK_STATUS(gr_optim_step(o, p, NULL, 5, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "grads");
    CHECK_STATUS(gr_optim_step(NULL, p, g, 5, &err), GR_EINVAL);
    CHECK(p[0] == 1.0f && gr_optim_step_count(o) == 0); /* failed steps changed nothing */
    CHECK_STATUS(gr_optim_set_lr(o, -1.0, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_set_lr(o, INFINITY, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_set_lr(NULL, 1.0, &err), GR_EINVAL);
    CHECK_OK(gr_optim_set_lr(o, 0.5, &err), &err);
    CHECK(gr_optim_config_get(o)->lr == 0.5);
    gr_optim_free(o);
    gr_optim_free(NULL); /* no-op */
    gr_optim_reset(NULL);
}

/* ---- clipping -------------------------------------------------------------------------------- */

static void test_clip(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 11, GR_STREAM_TEST, &err), &err);
    enum { N = 1000 };
    static float w[N], orig[N];
    for (int i = 0; i < N; i++)
        orig[i] = (float)((gsl_rng_uniform(r) - 0.5) * 0.05);
    orig[3] = INFINITY;
    orig[4] = -INFINITY;
    orig[5] = -0.0f;
    memcpy(w, orig, sizeof w);
    const float c = 0.01f; /* WGAN's c (C26); the float nearest 0.01 is the bound */
    CHECK_OK(gr_optim_clip(w, N, c, &err), &err);
    float mx = 0.0f;
    size_t inside = 0, at_bound = 0;
    for (int i = 0; i < N; i++) {
        if (fabsf(w[i]) > mx) mx = fabsf(w[i]);
        if (fabsf(orig[i]) <= c)
            inside += (w[i] == orig[i]);
        else
            at_bound += (w[i] == (orig[i] > 0 ? c : -c));
    }
    CHECK(mx <= c); /* max |w| <= c exactly (C26) */
    CHECK(mx == c); /* and the bound is attained: values outside went to +-c */
    CHECK(inside + at_bound == N);
    CHECK(w[3] == c && w[4] == -c);
    CHECK(signbit(w[5])); /* -0 untouched */

    /* NaN: reported with its index, left NaN, everything else still clipped */
    memcpy(w, orig, sizeof w);
    w[17] = NAN;
    w[400] = NAN;
    CHECK_STATUS(gr_optim_clip(w, N, c, &err), GR_EDIVERGED);
    CHECK_STR_CONTAINS(err.msg, "2 NaN weight(s), first at index 17");
    CHECK(isnan(w[17]));
    CHECK(w[3] == c && w[999] == (fabsf(orig[999]) <= c ? orig[999] : copysignf(c, orig[999])));

    /* ranges: only [100, 150) and [900, 1000) are clipped */
    memcpy(w, orig, sizeof w);
    const size_t off[2] = {100, 900}, sz[2] = {50, 100};
    CHECK_OK(gr_optim_clip_ranges(w, N, off, sz, 2, c, &err), &err);
    size_t changed_outside = 0;
    float mx_in = 0.0f;
    for (size_t i = 0; i < N; i++) {
        int in = (i >= 100 && i < 150) || i >= 900;
        if (in && fabsf(w[i]) > mx_in) mx_in = fabsf(w[i]);
        if (!in) changed_outside += memcmp(&w[i], &orig[i], 4) != 0;
    }
    CHECK(mx_in <= c && changed_outside == 0);
    memcpy(w, orig, sizeof w);
    w[120] = NAN;
    CHECK_STATUS(gr_optim_clip_ranges(w, N, off, sz, 2, c, &err), GR_EDIVERGED);
    CHECK_STR_CONTAINS(err.msg, "first at index 120");

    /* error paths */
    const size_t bad_off[1] = {990}, bad_sz[1] = {11};
    CHECK_STATUS(gr_optim_clip_ranges(w, N, bad_off, bad_sz, 1, c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "range 0 = [990, 990 + 11) exceeds the buffer of 1000");
    CHECK_STATUS(gr_optim_clip_ranges(w, N, NULL, sz, 2, c, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip_ranges(w, N, off, sz, 0, c, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip_ranges(w, N, off, sz, 2, -c, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip(NULL, N, c, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip(w, 0, c, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip(w, N, 0.0f, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "c = 0");
    CHECK_STATUS(gr_optim_clip(w, N, NAN, &err), GR_EINVAL);
    CHECK_STATUS(gr_optim_clip(w, N, INFINITY, &err), GR_EINVAL);
    gr_rng_free(r);
}

/* WGAN-clip usage: RMSProp step, then clip; after every update max |w| <= c (C26). */
static void test_rmsprop_then_clip(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 12, GR_STREAM_TEST, &err), &err);
    enum { N = 300 };
    float w[N], g[N];
    for (int i = 0; i < N; i++)
        w[i] = (float)((gsl_rng_uniform(r) - 0.5) * 0.02);
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_RMSPROP);
    c.lr = 5e-5;
    gr_optim *o = NULL;
    CHECK_OK(gr_optim_alloc(&o, &c, N, &err), &err);
    int all_ok = 1;
    for (int s = 0; s < 50 && o; s++) {
        for (int i = 0; i < N; i++)
            g[i] = (float)(gsl_rng_uniform(r) - 0.3);
        gr_optim_step(o, w, g, N, &err);
        gr_optim_clip(w, N, 0.01f, &err);
        for (int i = 0; i < N; i++)
            all_ok &= fabsf(w[i]) <= 0.01f;
    }
    CHECK(all_ok);
    gr_optim_free(o);
    gr_rng_free(r);
}

/* ---- probes ---------------------------------------------------------------------------------- */

static void test_norms(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 13, GR_STREAM_TEST, &err), &err);
    enum { N = 5000 };
    static float x[N];
    for (int i = 0; i < N; i++)
        x[i] = (float)(gsl_rng_uniform(r) * 2.385 - 1.0);
    /* layer 2 holds tiny values whose squares underflow in float (C33's vanishing
     * gradients): the double accumulation must keep them */
    for (int i = 3000; i < 3100; i++)
        x[i] = 1e-30f * (float)(i - 2999);
    const size_t off[4] = {0, 1000, 3000, 4000}, sz[4] = {1000, 2000, 100, 0};
    double norms[4], maxa[4];
    CHECK_OK(gr_probe_layer_norms(norms, x, N, off, sz, 4, &err), &err);
    CHECK_OK(gr_probe_layer_max_abs(maxa, x, N, off, sz, 4, &err), &err);
    for (int l = 0; l < 4; l++) {
        long double s = 0.0L, m = 0.0L; /* naive reference in long double */
        for (size_t i = off[l]; i < off[l] + sz[l]; i++) {
            s += (long double)x[i] * x[i];
            if (fabsl((long double)x[i]) > m) m = fabsl((long double)x[i]);
        }
        CHECK_CLOSE(norms[l], (double)sqrtl(s), 1e-13, 0.0);
        CHECK(maxa[l] == (double)m);
    }
    CHECK(norms[2] > 0.0 && norms[3] == 0.0);
    float sq_f = 1e-30f * 1e-30f;
    CHECK(sq_f == 0.0f); /* the float computation really would underflow */

    float y[3] = {1.0f, NAN, 2.0f};
    const size_t o1[1] = {0}, s1[1] = {3};
    CHECK_OK(gr_probe_layer_max_abs(maxa, y, 3, o1, s1, 1, &err), &err);
    CHECK(isnan(maxa[0]));
    CHECK_OK(gr_probe_layer_norms(norms, y, 3, o1, s1, 1, &err), &err);
    CHECK(isnan(norms[0]));

    const size_t bo[1] = {4990}, bs[1] = {20};
    CHECK_STATUS(gr_probe_layer_norms(norms, x, N, bo, bs, 1, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "layer 0 = [4990, 4990 + 20) exceeds the buffer of 5000");
    CHECK_STATUS(gr_probe_layer_norms(NULL, x, N, off, sz, 4, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_layer_norms(norms, x, 0, off, sz, 4, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_layer_max_abs(maxa, x, N, off, sz, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_layer_max_abs(maxa, x, N, NULL, sz, 4, &err), GR_EINVAL);
    gr_rng_free(r);
}

static void test_histogram(void) {
    gr_error err;
    size_t counts[8];
    gr_probe_hist_tails t;
    /* [-1, 1] in 8 bins: edges are multiples of 0.25, all exact in binary */
    const float x[] = {-1.0f,     -0.75f, nextafterf(-0.75f, -1.0f), 0.0f,  -0.0f, 0.25f,
                       0.999f,    1.0f,   nextafterf(1.0f, 2.0f),    -2.0f, NAN,   INFINITY,
                       -INFINITY, 0.5f};
    const size_t n = sizeof x / sizeof x[0];
    CHECK_OK(gr_probe_histogram(counts, 8, -1.0, 1.0, x, n, &t, &err), &err);
    /* bin k = [-1 + k/4, -1 + (k+1)/4); the last one closed */
    const size_t want[8] = {2, 1, 0, 0, 2, 1, 1, 2};
    for (int k = 0; k < 8; k++)
        CHECK(counts[k] == want[k]);
    CHECK(t.below == 2 && t.above == 2 && t.nan == 1);
    size_t total = t.below + t.above + t.nan;
    for (int k = 0; k < 8; k++)
        total += counts[k];
    CHECK(total == n);

    /* clipped weights (C34): a histogram over [-c, c] puts +-c in the end bins */
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 14, GR_STREAM_TEST, &err), &err);
    enum { N = 2000 };
    static float w[N];
    for (int i = 0; i < N; i++)
        w[i] = (float)((gsl_rng_uniform(r) - 0.5) * 0.04);
    const float c = 0.01f;
    gr_optim_clip(w, N, c, NULL);
    size_t n_hi = 0, n_lo = 0;
    for (int i = 0; i < N; i++)
        n_hi += w[i] == c, n_lo += w[i] == -c;
    size_t hc[40];
    CHECK_OK(gr_probe_histogram(hc, 40, -(double)c, (double)c, w, N, &t, &err), &err);
    CHECK(t.below == 0 && t.above == 0 && t.nan == 0);
    CHECK(hc[0] >= n_lo && hc[39] >= n_hi && n_lo > 400 && n_hi > 400);
    total = 0;
    for (int k = 0; k < 40; k++)
        total += hc[k];
    CHECK(total == N);
    double frac;
    CHECK_OK(gr_probe_frac_abs_ge(&frac, w, N, 0.99 * c, &err), &err);
    size_t k99 = 0;
    for (int i = 0; i < N; i++)
        k99 += fabs((double)w[i]) >= 0.99 * c;
    CHECK(frac == (double)k99 / N && frac >= (double)(n_lo + n_hi) / N);
    /* uniform on [-0.02, 0.02] clipped at 0.01: half the mass at the bounds */
    CHECK_CLOSE(frac, 0.5 + 0.005, 0.0, 0.05);

    /* per-layer: the same values split in two ranges and an empty one */
    size_t lc[3 * 8];
    gr_probe_hist_tails lt[3];
    const size_t lo_off[3] = {0, 5, 14}, lo_sz[3] = {5, 9, 0};
    CHECK_OK(gr_probe_layer_histograms(lc, 8, -1.0, 1.0, x, n, lo_off, lo_sz, 3, lt, &err), &err);
    for (int k = 0; k < 8; k++)
        CHECK(lc[k] + lc[8 + k] == want[k] && lc[16 + k] == 0);
    CHECK(lt[0].below + lt[1].below == 2 && lt[0].above + lt[1].above == 2);
    CHECK(lt[1].nan == 1 && lt[2].below + lt[2].above + lt[2].nan == 0);
    for (int l = 0; l < 3; l++) {
        size_t row = lt[l].below + lt[l].above + lt[l].nan;
        for (int k = 0; k < 8; k++)
            row += lc[l * 8 + k];
        CHECK(row == lo_sz[l]);
    }
    const size_t far_off[1] = {10}, far_sz[1] = {5};
    CHECK_STATUS(gr_probe_layer_histograms(lc, 8, -1.0, 1.0, x, n, far_off, far_sz, 1, NULL, &err),
                 GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "layer 0 = [10, 10 + 5) exceeds the buffer of 14");
    CHECK_STATUS(gr_probe_layer_histograms(lc, 8, 2.0, -1.0, x, n, lo_off, lo_sz, 3, NULL, &err),
                 GR_EINVAL);
    CHECK_STATUS(gr_probe_histogram(counts, 8, 1.0, 1.0, x, n, &t, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "lo < hi");
    CHECK_STATUS(gr_probe_histogram(counts, 8, -INFINITY, 1.0, x, n, &t, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_histogram(counts, 0, -1.0, 1.0, x, n, &t, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_histogram(counts, 8, -1.0, 1.0, x, 0, &t, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_histogram(NULL, 8, -1.0, 1.0, x, n, &t, &err), GR_EINVAL);
    CHECK_OK(gr_probe_histogram(counts, 8, -1.0, 1.0, x, n, NULL, &err), &err);
    CHECK_STATUS(gr_probe_frac_abs_ge(&frac, w, 0, 0.1, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_frac_abs_ge(&frac, w, N, NAN, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_frac_abs_ge(NULL, w, N, 0.1, &err), GR_EINVAL);
    gr_rng_free(r);
}

static void test_cosine_and_nonfinite(void) {
    gr_error err;
    const float a[4] = {1.5f, -2.0f, 0.25f, 3.0f}, neg[4] = {-1.5f, 2.0f, -0.25f, -3.0f};
    const float orth[4] = {2.0f, 1.5f, 0.0f, 0.0f}, zero[4] = {0, 0, 0, 0};
    double c;
    CHECK_OK(gr_probe_cosine(&c, a, a, 4, &err), &err);
    CHECK_CLOSE(c, 1.0, 1e-15, 0.0);
    CHECK_OK(gr_probe_cosine(&c, a, neg, 4, &err), &err);
    CHECK_CLOSE(c, -1.0, 1e-15, 0.0);
    CHECK_OK(gr_probe_cosine(&c, a, orth, 4, &err), &err);
    CHECK(c == 0.0);
    CHECK_STATUS(gr_probe_cosine(&c, a, zero, 4, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "vector b is zero");
    const float bad[4] = {NAN, 1, 1, 1};
    CHECK_STATUS(gr_probe_cosine(&c, bad, a, 4, &err), GR_EDOM);
    CHECK_STATUS(gr_probe_cosine(&c, a, a, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_cosine(NULL, a, a, 4, &err), GR_EINVAL);

    const float v[5] = {1.0f, NAN, INFINITY, -INFINITY, FLT_MAX};
    CHECK(gr_probe_count_nonfinite(v, 5) == 3);
    CHECK(gr_probe_count_nonfinite(NULL, 5) == 0);
}

/* Ranges of a 2-4-3-1 MLP, from nn/mlp.h's documented torch-order layout:
 * W1 [0,8) b1 [8,12) W2 [12,24) b2 [24,27) W3 [27,30) b3 [30,31). */
static void test_mlp_ranges(void) {
    gr_error err;
    gr_mlp_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.in_dim = 2;
    spec.n_hidden = 2;
    spec.hidden[0] = 4;
    spec.hidden[1] = 3;
    spec.out_dim = 1;
    spec.hidden_act = GR_ACT_RELU;
    spec.out_act = GR_ACT_IDENTITY;
    size_t off[4], sz[4], L = 0;
    CHECK_OK(gr_probe_mlp_ranges(off, sz, 4, &L, &spec, GR_PROBE_WEIGHTS, &err), &err);
    CHECK(L == 3);
    CHECK(off[0] == 0 && sz[0] == 8 && off[1] == 12 && sz[1] == 12 && off[2] == 27 && sz[2] == 3);
    CHECK_OK(gr_probe_mlp_ranges(off, sz, 3, NULL, &spec, GR_PROBE_BIASES, &err), &err);
    CHECK(off[0] == 8 && sz[0] == 4 && off[1] == 24 && sz[1] == 3 && off[2] == 30 && sz[2] == 1);
    CHECK_OK(gr_probe_mlp_ranges(off, sz, 3, NULL, &spec, GR_PROBE_LAYERS, &err), &err);
    CHECK(off[0] == 0 && sz[0] == 12 && off[1] == 12 && sz[1] == 15 && off[2] == 27 && sz[2] == 4);
    CHECK(sz[0] + sz[1] + sz[2] == gr_mlp_spec_n_params(&spec));
    CHECK_STATUS(gr_probe_mlp_ranges(off, sz, 2, &L, &spec, GR_PROBE_WEIGHTS, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "room for 2 ranges, the net has 3 layers");
    CHECK_STATUS(gr_probe_mlp_ranges(off, sz, 4, &L, &spec, (gr_probe_part)7, &err), GR_EINVAL);
    CHECK_STATUS(gr_probe_mlp_ranges(off, NULL, 4, &L, &spec, GR_PROBE_WEIGHTS, &err), GR_EINVAL);
    spec.in_dim = 0;
    CHECK_STATUS(gr_probe_mlp_ranges(off, sz, 4, &L, &spec, GR_PROBE_WEIGHTS, &err), GR_EINVAL);
}

int main(void) {
    gr_core_init();
    RUN(test_torch_fixtures);
    RUN(test_paths_agree);
    RUN(test_closed_form_steps);
    RUN(test_tf_variants);
    RUN(test_reset_replay);
    RUN(test_defaults_and_slots);
    RUN(test_error_paths);
    RUN(test_clip);
    RUN(test_rmsprop_then_clip);
    RUN(test_norms);
    RUN(test_histogram);
    RUN(test_cosine_and_nonfinite);
    RUN(test_mlp_ranges);
    return TEST_MAIN_END();
}
