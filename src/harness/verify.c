/* harness/verify.c — pass criteria evaluated on a results file (verify.h). */
#include "harness/verify.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gr_verdict_name(int kind) {
    switch (kind) {
    case GR_VERDICT_PASS: return "PASS";
    case GR_VERDICT_FAIL: return "FAIL";
    case GR_VERDICT_NOT_RUN: return "NOT RUN";
    default: return "NOT TESTED";
    }
}

const char *gr_verify_claim_name(int kind) {
    return kind == GR_VERDICT_FAIL ? "NOT REPRODUCED" : gr_verdict_name(kind);
}

/* over = "paired": x (where's) CONDITION y (against's). NaN satisfies nothing; so do two
 * infinite values of the same sign (undecided: e.g. neither reached the target). */
static int pair_undecided(double x, double y) { return isinf(x) && isinf(y) && (x > 0) == (y > 0); }
static int pair_holds(const gr_criterion *c, double x, double y) {
    if (isnan(x) || isnan(y) || pair_undecided(x, y)) return 0;
    if (!strcmp(c->condition, "<")) return x < y;
    if (!strcmp(c->condition, "<=")) return x <= y;
    if (!strcmp(c->condition, ">")) return x > y;
    if (!strcmp(c->condition, ">=")) return x >= y;
    return 0;
}

/* The value run pr contributes (NaN when failed or without the metric); counts statuses. */
static double run_value(const gr_resview *v, const double *col, const gr_run *pr, gr_verdict *out,
                        int *missing) {
    size_t j = gr_resview_find(v, gr_run_id(pr));
    *missing = j == (size_t)-1;
    if (*missing) return NAN;
    int s = v->runs[j].status;
    if (s == GR_RUN_OK) out->n_ok++;
    if (s == GR_RUN_DIVERGED) out->n_diverged++;
    if (s == GR_RUN_FAILED) out->n_failed++;
    double val = (s == GR_RUN_FAILED || !col) ? NAN : col[j];
    if (isnan(val)) out->n_nan++;
    return val;
}

/* over = "paired" (verify.h). */
static int verify_paired(const gr_resview *v, size_t i, gr_verdict *out, gr_error *err) {
    const gr_criterion *c = out->crit;
    const gr_plan *p = v->plan;
    const double *col = gr_resview_metric(v, c->metric);
    size_t np = gr_plan_n_runs(p);
    for (size_t k = 0; k < np; k++) {
        const gr_run *pr = gr_plan_run(p, k);
        if (!gr_plan_criterion_selects(p, i, pr) && !gr_plan_criterion_selects_against(p, i, pr))
            continue;
        out->n_selected++;
        int missing;
        run_value(v, col, pr, out, &missing);
        out->n_missing += (size_t)missing;
    }
    out->n_pairs = gr_plan_criterion_n_pairs(p, i);
    out->n_unpaired = gr_plan_criterion_n_unpaired(p, i);
    if (out->n_selected == 0) {
        out->kind = GR_VERDICT_NOT_TESTED;
        return GR_OK;
    }
    if (out->n_missing) {
        out->kind = GR_VERDICT_NOT_RUN;
        return GR_OK;
    }
    gr_verdict scratch; /* statuses were counted above; the pair loop reads values only */
    for (size_t j = 0; j < out->n_pairs; j++) {
        int ma, mb;
        memset(&scratch, 0, sizeof scratch);
        double xa = run_value(v, col, gr_plan_criterion_pair(p, i, j, 0), &scratch, &ma);
        double xb = run_value(v, col, gr_plan_criterion_pair(p, i, j, 1), &scratch, &mb);
        if (ma || mb) return GR_ERROR(err, GR_EINTERNAL, "verify: a paired run vanished");
        if (pair_undecided(xa, xb)) out->n_undecided++;
        if (pair_holds(c, xa, xb)) out->n_pass++;
    }
    out->measured = (double)out->n_pass;
    out->kind =
        !out->n_unpaired && c->k >= 1 && out->n_pass >= c->k ? GR_VERDICT_PASS : GR_VERDICT_FAIL;
    return GR_OK;
}

static int holds(const gr_criterion *c, double x) {
    if (isnan(x)) return 0;
    if (!strcmp(c->condition, "<")) return x < c->threshold;
    if (!strcmp(c->condition, "<=")) return x <= c->threshold;
    if (!strcmp(c->condition, ">")) return x > c->threshold;
    if (!strcmp(c->condition, ">=")) return x >= c->threshold;
    if (!strcmp(c->condition, "in")) return x >= c->threshold && x <= c->threshold_hi;
    return 0;
}

/* How far x is on the wrong side (larger = worse), for the worst value of "each". */
static double badness(const gr_criterion *c, double x) {
    if (isnan(x)) return INFINITY;
    if (c->condition[0] == '<') return x - c->threshold;
    if (c->condition[0] == '>') return c->threshold - x;
    double lo = c->threshold - x, hi = x - c->threshold_hi;
    return lo > hi ? lo : hi;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gr_verify_criterion(const gr_resview *v, size_t i, gr_verdict *out, gr_error *err) {
    const gr_criterion *c = gr_plan_criterion(v->plan, i);
    if (!c || !out) return GR_ERROR(err, GR_EINVAL, "verify: no criterion %zu", i);
    memset(out, 0, sizeof *out);
    out->criterion = i;
    out->crit = c;
    out->measured = NAN;
    out->se = NAN;
    out->plan = v->plan;
    if (!strcmp(c->over, "paired")) return verify_paired(v, i, out, err);
    size_t np = gr_plan_n_runs(v->plan);
    double *x = malloc((np ? np : 1) * sizeof *x);
    if (!x) return GR_ERROR(err, GR_ENOMEM, "verify: out of memory");
    const double *col = gr_resview_metric(v, c->metric);
    size_t n = 0;
    for (size_t k = 0; k < np; k++) {
        const gr_run *pr = gr_plan_run(v->plan, k);
        if (!gr_plan_criterion_selects(v->plan, i, pr)) continue;
        out->n_selected++;
        int missing;
        double val = run_value(v, col, pr, out, &missing);
        if (missing) {
            out->n_missing++;
            continue;
        }
        if (holds(c, val)) out->n_pass++;
        x[n++] = val;
    }
    if (out->n_selected == 0) {
        out->kind = GR_VERDICT_NOT_TESTED;
    } else if (out->n_missing) {
        out->kind = GR_VERDICT_NOT_RUN;
    } else {
        double m = NAN;
        if (!strcmp(c->over, "count")) {
            /* n_pass already counts NaN (failed runs) as not satisfying; k > n fails */
            m = (double)out->n_pass;
            out->kind = c->k >= 1 && out->n_pass >= c->k ? GR_VERDICT_PASS : GR_VERDICT_FAIL;
        } else if (!strcmp(c->over, "each")) {
            double worst = -INFINITY;
            for (size_t k = 0; k < n; k++)
                if (k == 0 || badness(c, x[k]) > worst) {
                    worst = badness(c, x[k]);
                    m = x[k];
                }
            out->kind = out->n_pass == n ? GR_VERDICT_PASS : GR_VERDICT_FAIL;
        } else {
            if (out->n_nan) {
                m = NAN;
            } else if (!strcmp(c->over, "mean")) {
                m = gsl_stats_mean(x, 1, n); /* as the tables compute it (table.c) */
                if (n > 1) out->se = gsl_stats_sd_m(x, 1, n, m) / sqrt((double)n);
            } else if (!strcmp(c->over, "median")) {
                qsort(x, n, sizeof *x, cmp_double);
                m = n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
            } else if (!strcmp(c->over, "min")) {
                m = x[0];
                for (size_t k = 1; k < n; k++)
                    if (x[k] < m) m = x[k];
            } else { /* max */
                m = x[0];
                for (size_t k = 1; k < n; k++)
                    if (x[k] > m) m = x[k];
            }
            out->kind = holds(c, m) ? GR_VERDICT_PASS : GR_VERDICT_FAIL;
        }
        out->measured = m;
    }
    free(x);
    return GR_OK;
}

void gr_verify_number(double x, char *buf, size_t size) {
    if (isnan(x)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, size, x > 0 ? "inf" : "-inf");
        return;
    }
    /* the shortest form that reads back; integers below 1e15 without an exponent */
    int plain = fabs(x) >= 1 && fabs(x) < 1e15;
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, x);
        if (strtod(buf, NULL) == x && (!plain || !strchr(buf, 'e'))) return;
    }
}

void gr_verify_condition_text(const gr_criterion *c, char *buf, size_t size) {
    if (!strcmp(c->over, "paired")) {
        snprintf(buf, size, "%s against", c->condition);
        return;
    }
    char a[40], b[40];
    gr_verify_number(c->threshold, a, sizeof a);
    gr_verify_number(c->threshold_hi, b, sizeof b);
    if (!strcmp(c->condition, "in"))
        snprintf(buf, size, "in [%s, %s]", a, b);
    else
        snprintf(buf, size, "%s %s", c->condition, a);
}

void gr_verify_criterion_text(const gr_criterion *c, char *buf, size_t size) {
    char cond[96];
    gr_verify_condition_text(c, cond, sizeof cond);
    if (!strcmp(c->over, "count"))
        snprintf(buf, size, "%s %s in >= %zu runs", c->metric, cond, c->k);
    else if (!strcmp(c->over, "paired"))
        snprintf(buf, size, "%s %s the against run's in >= %zu pairs", c->metric, c->condition,
                 c->k);
    else
        snprintf(buf, size, "%s %s %s", c->metric, c->over, cond);
}

/* The runs part of a verdict line: "n = 5 runs, 4 pass, 1 failed (...); where ...". */
static void runs_text(const gr_verdict *d, char *runs, size_t size) {
    const gr_criterion *c = d->crit;
    size_t n = d->n_ok + d->n_diverged + d->n_failed;
    int w = snprintf(runs, size, "n = %zu run%s", n, n == 1 ? "" : "s");
    if (!strcmp(c->over, "each") && w > 0 && (size_t)w < size)
        w += snprintf(runs + w, size - (size_t)w, ", %zu pass", d->n_pass);
    if (d->n_failed && w > 0 && (size_t)w < size)
        w += snprintf(runs + w, size - (size_t)w, ", %zu failed (counted as failing)", d->n_failed);
    if (d->n_diverged && w > 0 && (size_t)w < size)
        w += snprintf(runs + w, size - (size_t)w, ", %zu diverged", d->n_diverged);
    if (*c->where && w > 0 && (size_t)w < size)
        w += snprintf(runs + w, size - (size_t)w, "; where %s", c->where);
    if (*c->against && w > 0 && (size_t)w < size)
        snprintf(runs + w, size - (size_t)w, "; against %s", c->against);
}

/* over = "paired": the description of an evaluated verdict. */
static void describe_paired(const gr_verdict *d, const char *runs, char *buf, size_t size) {
    const gr_criterion *c = d->crit;
    int w = snprintf(buf, size, "%s: %zu of %zu pairs satisfy where %s against, want at least %zu",
                     c->metric, d->n_pass, d->n_pairs, c->condition, c->k);
    if (d->n_undecided && w > 0 && (size_t)w < size)
        w += snprintf(buf + w, size - (size_t)w,
                      "; %zu pair%s both values infinite (undecided, e.g. neither reached "
                      "the target: counted as not satisfying)",
                      d->n_undecided, d->n_undecided == 1 ? " has" : "s have");
    if (d->n_unpaired && w > 0 && (size_t)w < size) {
        w += snprintf(buf + w, size - (size_t)w,
                      "; %zu run%s without a partner, so it cannot pass:", d->n_unpaired,
                      d->n_unpaired == 1 ? "" : "s");
        for (size_t j = 0; j < d->n_unpaired && j < 4 && w > 0 && (size_t)w < size; j++) {
            int side = 0;
            const gr_run *r = gr_plan_criterion_unpaired(d->plan, d->criterion, j, &side);
            if (!r) break;
            w += snprintf(buf + w, size - (size_t)w, "%s %s (seed %llu, %s)", j ? "," : "",
                          gr_run_id(r), (unsigned long long)gr_run_seed(r),
                          side ? "against" : "where");
        }
        if (d->n_unpaired > 4 && w > 0 && (size_t)w < size)
            w += snprintf(buf + w, size - (size_t)w, ", ...");
    } else if (c->k > d->n_pairs && w > 0 && (size_t)w < size) {
        w += snprintf(buf + w, size - (size_t)w,
                      ": only %zu pair%s formed in this profile, fewer than k, so it cannot pass "
                      "here",
                      d->n_pairs, d->n_pairs == 1 ? " is" : "s are");
    }
    if (w > 0 && (size_t)w < size) snprintf(buf + w, size - (size_t)w, " (%s)", runs);
}

void gr_verify_describe(const gr_verdict *d, char *buf, size_t size) {
    const gr_criterion *c = d->crit;
    char cond[96], meas[96], runs[1024], ctext[256];
    gr_verify_condition_text(c, cond, sizeof cond);
    gr_verify_criterion_text(c, ctext, sizeof ctext);
    if (d->kind == GR_VERDICT_NOT_TESTED) {
        if (*c->against)
            snprintf(buf, size, "%s: no run of this profile is selected by where %s or against %s",
                     ctext, *c->where ? c->where : "\"\"", c->against);
        else
            snprintf(buf, size, "%s: no run of this profile is selected%s%s", ctext,
                     *c->where ? " by where " : "", c->where);
        return;
    }
    if (d->kind == GR_VERDICT_NOT_RUN) {
        snprintf(buf, size, "%s: %zu of %zu selected runs are not in the file", ctext, d->n_missing,
                 d->n_selected);
        return;
    }
    runs_text(d, runs, sizeof runs);
    if (!strcmp(c->over, "paired")) {
        describe_paired(d, runs, buf, size);
        return;
    }
    if (!strcmp(c->over, "count")) {
        size_t n = d->n_ok + d->n_diverged + d->n_failed;
        if (c->k > n)
            snprintf(buf, size,
                     "%s: %zu of %zu runs satisfy %s, want at least %zu: only %zu run%s selected "
                     "in this profile, fewer than k, so it cannot pass here (%s)",
                     c->metric, d->n_pass, n, cond, c->k, n, n == 1 ? " is" : "s are", runs);
        else
            snprintf(buf, size, "%s: %zu of %zu runs satisfy %s, want at least %zu (%s)", c->metric,
                     d->n_pass, n, cond, c->k, runs);
        return;
    }
    char mv[40];
    gr_verify_number(d->measured, mv, sizeof mv);
    if (!strcmp(c->over, "mean") && !isnan(d->se))
        snprintf(meas, sizeof meas, "%s +- %.3g (s.e.)", mv, d->se);
    else
        snprintf(meas, sizeof meas, "%s", mv);
    snprintf(buf, size, "%s %s = %s, want %s (%s)", c->metric,
             !strcmp(c->over, "each") ? "worst of each" : c->over, meas, cond, runs);
}

int gr_verify_claim_kind(const int *kinds, size_t n) {
    int any_fail = 0, any_not_run = 0, any_pass = 0;
    for (size_t i = 0; i < n; i++) {
        any_fail |= kinds[i] == GR_VERDICT_FAIL;
        any_not_run |= kinds[i] == GR_VERDICT_NOT_RUN;
        any_pass |= kinds[i] == GR_VERDICT_PASS;
    }
    if (any_fail) return GR_VERDICT_FAIL;
    if (any_not_run) return GR_VERDICT_NOT_RUN;
    return any_pass ? GR_VERDICT_PASS : GR_VERDICT_NOT_TESTED;
}
