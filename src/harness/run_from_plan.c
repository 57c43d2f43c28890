/* harness/run_from_plan.c — gr_exp_desc from a gr_plan (harness/run_from_plan.h). */
#include "harness/run_from_plan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "harness/plan.h"

struct gr_exp_bundle {
    gr_exp_desc exp;
    gr_run_desc *runs;
    gr_run_param *swept; /* n_runs x n_axes */
    char **values;       /* the unquoted copies swept[].value points to */
    size_t n_values;
    char *claims;
};

static int g_f64(const void *c, const char *k, double *v, gr_error *e) {
    return gr_run_get_double((const gr_run *)c, k, v, e);
}
static int g_size(const void *c, const char *k, size_t *v, gr_error *e) {
    return gr_run_get_size((const gr_run *)c, k, v, e);
}
static int g_bool(const void *c, const char *k, int *v, gr_error *e) {
    return gr_run_get_bool((const gr_run *)c, k, v, e);
}
static int g_str(const void *c, const char *k, const char **v, gr_error *e) {
    return gr_run_get_string((const gr_run *)c, k, v, e);
}
static const gr_run_getters GETTERS = {g_f64, g_size, g_bool, g_str};

void gr_exp_bundle_free(gr_exp_bundle *b) {
    if (!b) return;
    for (size_t i = 0; i < b->n_values; i++)
        free(b->values[i]);
    free(b->values);
    free(b->swept);
    free(b->runs);
    free(b->claims);
    free(b);
}

const gr_exp_desc *gr_exp_bundle_desc(const gr_exp_bundle *b) { return b ? &b->exp : NULL; }

static char *unquote(const char *v) {
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        char *s = malloc(n - 1);
        if (s) {
            memcpy(s, v + 1, n - 2);
            s[n - 2] = '\0';
        }
        return s;
    }
    return strdup(v);
}

int gr_exp_desc_from_plan(gr_exp_bundle **out, const struct gr_plan *plan, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "exp_desc_from_plan: NULL out");
    *out = NULL;
    if (!plan) return GR_ERROR(err, GR_EINVAL, "exp_desc_from_plan: NULL plan");
    gr_exp_bundle *b = calloc(1, sizeof *b);
    size_t nr = gr_plan_n_runs(plan), na = gr_plan_n_axes(plan), nc = gr_plan_n_claims(plan);
    size_t clen = 1;
    for (size_t i = 0; i < nc; i++)
        clen += strlen(gr_plan_claim(plan, i)) + 1;
    size_t cells;
    if (gr_size_mul(nr, na, &cells) != GR_OK) cells = SIZE_MAX;
    if (!b) return GR_ERROR(err, GR_ENOMEM, "exp_desc_from_plan: out of memory");
    b->runs = calloc(nr ? nr : 1, sizeof *b->runs);
    b->swept = cells == SIZE_MAX ? NULL : calloc(cells ? cells : 1, sizeof *b->swept);
    b->values = cells == SIZE_MAX ? NULL : calloc(cells ? cells : 1, sizeof *b->values);
    b->claims = calloc(clen, 1);
    if (!b->runs || !b->swept || !b->values || !b->claims) {
        gr_exp_bundle_free(b);
        return GR_ERROR(err, GR_ENOMEM, "exp_desc_from_plan: out of memory");
    }
    for (size_t i = 0; i < nc; i++) {
        if (i) strcat(b->claims, ",");
        strcat(b->claims, gr_plan_claim(plan, i));
    }
    for (size_t r = 0; r < nr; r++) {
        const gr_run *run = gr_plan_run(plan, r);
        gr_run_desc *d = &b->runs[r];
        d->id = gr_run_id(run);
        d->index = gr_run_index(run);
        d->seed = gr_run_seed(run);
        d->resolved = gr_run_text(run);
        d->get = &GETTERS;
        d->get_ctx = run;
        d->swept = &b->swept[r * na];
        for (size_t a = 0; a < na; a++) {
            const char *v = gr_run_swept_value(run, a);
            if (!v) continue; /* a method setting of another method */
            char *u = unquote(v);
            if (!u) {
                gr_exp_bundle_free(b);
                return GR_ERROR(err, GR_ENOMEM, "exp_desc_from_plan: out of memory");
            }
            b->values[b->n_values++] = u;
            b->swept[r * na + d->n_swept].key = gr_plan_axis(plan, a);
            b->swept[r * na + d->n_swept].value = u;
            d->n_swept++;
        }
    }
    b->exp.name = gr_plan_name(plan);
    b->exp.protocol = gr_plan_protocol(plan);
    b->exp.claims = b->claims;
    b->exp.profile = gr_plan_profile(plan);
    b->exp.declaration = gr_plan_text(plan);
    b->exp.declaration_hash = gr_plan_hash(plan);
    b->exp.n_runs = nr;
    b->exp.runs = b->runs;
    int st = gr_exp_desc_check(&b->exp, err);
    if (st != GR_OK) {
        gr_exp_bundle_free(b);
        return st;
    }
    *out = b;
    return GR_OK;
}
