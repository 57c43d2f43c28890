/* harness/table.c — summary tables over seeds (table.h). */
#include "harness/table.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "harness/schema.h"

struct gr_table {
    const gr_resview *v;
    size_t n_groups;
    gr_table_group *groups;
    size_t *group_of;     /* run -> group */
    gr_table_cell *cells; /* n_groups x n_metrics */
    int *uses_se;         /* per metric */
};

static int same_setting(const gr_resview *v, size_t a, size_t b) {
    for (size_t k = 0; k < v->n_axes; k++)
        if (strcmp(v->runs[a].params[k], v->runs[b].params[k])) return 0;
    return 1;
}

int gr_table_build(gr_table **out, const gr_resview *v, gr_error *err) {
    if (!out || !v) return GR_ERROR(err, GR_EINVAL, "table_build: NULL argument");
    *out = NULL;
    gr_table *t = calloc(1, sizeof *t);
    size_t nr = v->n_runs ? v->n_runs : 1, nm = v->n_metrics ? v->n_metrics : 1, ncell;
    if (!t || gr_size_mul(nr, nm, &ncell) != GR_OK) {
        free(t);
        return GR_ERROR(err, GR_ENOMEM, "table: out of memory");
    }
    t->v = v;
    t->groups = calloc(nr, sizeof *t->groups);
    t->group_of = calloc(nr, sizeof *t->group_of);
    t->cells = calloc(ncell, sizeof *t->cells);
    t->uses_se = calloc(nm, sizeof *t->uses_se);
    if (!t->groups || !t->group_of || !t->cells || !t->uses_se) {
        gr_table_free(t);
        return GR_ERROR(err, GR_ENOMEM, "table: out of memory");
    }
    for (size_t i = 0; i < v->n_runs; i++) {
        size_t g = 0;
        while (g < t->n_groups && !same_setting(v, t->groups[g].first_run, i))
            g++;
        if (g == t->n_groups) t->groups[t->n_groups++].first_run = i;
        gr_table_group *G = &t->groups[g];
        t->group_of[i] = g;
        G->n_runs++;
        if (v->runs[i].status == GR_RUN_OK)
            G->n_ok++;
        else if (v->runs[i].status == GR_RUN_DIVERGED)
            G->n_diverged++;
        else
            G->n_failed++;
    }
    double *x = malloc(nr * sizeof *x);
    if (!x) {
        gr_table_free(t);
        return GR_ERROR(err, GR_ENOMEM, "table: out of memory");
    }
    for (size_t m = 0; m < v->n_metrics; m++) {
        const double *col = v->values + m * v->n_runs;
        for (size_t g = 0; g < t->n_groups; g++) {
            gr_table_cell *c = &t->cells[g * v->n_metrics + m];
            for (size_t i = 0; i < v->n_runs; i++) {
                if (t->group_of[i] != g || v->runs[i].status != GR_RUN_OK) continue;
                if (isnan(col[i]))
                    c->n_nan++;
                else
                    x[c->n++] = col[i];
            }
            /* GSL's running mean: n equal values give that value and a deviation of 0 */
            c->mean = c->n ? gsl_stats_mean(x, 1, c->n) : NAN;
            c->std = c->n > 1 ? gsl_stats_sd_m(x, 1, c->n, c->mean) : NAN;
            c->se = c->n > 1 ? c->std / sqrt((double)c->n) : NAN;
        }
        for (size_t c = 0; c < gr_plan_n_criteria(v->plan); c++) {
            const gr_criterion *cr = gr_plan_criterion(v->plan, c);
            if (!strcmp(cr->metric, v->metrics[m]) && !strcmp(cr->over, "mean")) t->uses_se[m] = 1;
        }
    }
    free(x);
    *out = t;
    return GR_OK;
}

void gr_table_free(gr_table *t) {
    if (!t) return;
    free(t->groups);
    free(t->group_of);
    free(t->cells);
    free(t->uses_se);
    free(t);
}

size_t gr_table_n_groups(const gr_table *t) { return t ? t->n_groups : 0; }
const gr_table_group *gr_table_group_at(const gr_table *t, size_t g) {
    return t && g < t->n_groups ? &t->groups[g] : NULL;
}
const gr_table_cell *gr_table_cell_at(const gr_table *t, size_t g, size_t m) {
    return t && g < t->n_groups && m < t->v->n_metrics ? &t->cells[g * t->v->n_metrics + m] : NULL;
}
int gr_table_metric_uses_se(const gr_table *t, size_t m) {
    return t && m < t->v->n_metrics ? t->uses_se[m] : 0;
}

/* ---- rendering ---- */

static void put_full(FILE *f, double x) {
    if (isnan(x))
        fputs("nan", f);
    else if (isinf(x))
        fputs(x > 0 ? "inf" : "-inf", f);
    else
        fprintf(f, "%.17g", x);
}

static void put_short(FILE *f, double x) {
    if (isnan(x))
        fputs("nan", f);
    else if (isinf(x))
        fputs(x > 0 ? "inf" : "-inf", f);
    else
        fprintf(f, "%.4g", x);
}

/* A siunitx S cell: a finite number (exponent form) or a braced text. */
static void put_tex_num(FILE *f, double x, int digits) {
    if (isnan(x))
        fputs("{--}", f);
    else if (isinf(x))
        fputs(x > 0 ? "{$\\infty$}" : "{$-\\infty$}", f);
    else
        fprintf(f, "%.*e", digits, x);
}

static void setting_of(const gr_table *t, size_t g, char *buf, size_t size) {
    gr_resview_setting(t->v, t->groups[g].first_run, buf, size);
    if (!buf[0]) snprintf(buf, size, "all runs");
}

/* A metric the rendered tables show: one with a value in some group, or one no ok run
 * has recorded at all (all runs failed: the n = 0 cells say so). A metric every ok run
 * recorded without a value (final_hq_fraction on MNIST, which has no modes) is left out of
 * the LaTeX and Markdown tables and named in the caption; the CSV keeps every metric. */
static int metric_shown(const gr_table *t, size_t m) {
    size_t n_nan = 0;
    for (size_t g = 0; g < t->n_groups; g++) {
        const gr_table_cell *c = gr_table_cell_at(t, g, m);
        if (c->n) return 1;
        n_nan += c->n_nan;
    }
    return n_nan == 0;
}

/* An MLP architecture "2-128relu-128relu-128relu-2linear" as "3 x 128 relu" (hidden layers
 * of one width and activation; x written by the caller's format), else NULL: the caller
 * shows the string itself. */
static int arch_short(const char *a, size_t *layers, long *width, char *act, size_t act_size) {
    const char *p = strchr(a, '-');
    size_t n = 0;
    long w0 = -1;
    char a0[32] = "";
    while (p && strchr(p + 1, '-')) { /* every hidden layer: between two dashes */
        const char *q = p + 1, *e = strchr(q, '-');
        char *end = NULL;
        long w = strtol(q, &end, 10);
        size_t al = (size_t)(e - end);
        if (!end || end == q || w <= 0 || al == 0 || al >= sizeof a0) return 0;
        if (n == 0) {
            w0 = w;
            memcpy(a0, end, al);
            a0[al] = '\0';
        } else if (w != w0 || strlen(a0) != al || strncmp(a0, end, al)) {
            return 0;
        }
        n++;
        p = e;
    }
    if (n == 0) return 0;
    *layers = n;
    *width = w0;
    snprintf(act, act_size, "%s", a0);
    return 1;
}

/* The sizes this experiment ran at (nets, steps, seeds), from the declaration recorded in
 * the file, for the keys its protocol requires: " Sizes as run: G 3 x 128 relu, D 3 x 128
 * relu, 2000 generator iterations, 5 seeds." A value that differs between runs is "swept". */
static void put_sizes(const gr_table *t, FILE *f, int tex) {
    const gr_resview *v = t->v;
    static const char *const KEY[3] = {"nets.g", "nets.d", "schedule.steps"};
    static const char *const NAME[3] = {"G", "D", "steps"};
    int pi = gr_schema_choice_index(GR_PROTOCOLS, v->protocol);
    unsigned bit = pi >= 0 ? 1u << pi : 0;
    const gr_run *r0 = NULL;
    for (size_t i = 0; i < v->n_runs && !r0; i++)
        r0 = v->runs[i].plan_run;
    if (!r0) r0 = gr_plan_run(v->plan, 0);
    int any = 0;
    gr_error err;
    gr_error_clear(&err);
    for (int k = 0; k < 3 && r0; k++) {
        const gr_schema_key *sk = gr_schema_find(KEY[k], NULL);
        if (!sk || !(sk->required & bit) || !gr_run_has(r0, KEY[k])) continue;
        int is_str = sk->type != GR_KEY_INT;
        const char *s0 = NULL;
        int64_t i0 = 0;
        if (is_str ? gr_run_get_string(r0, KEY[k], &s0, &err) != GR_OK
                   : gr_run_get_int(r0, KEY[k], &i0, &err) != GR_OK)
            continue;
        int swept = 0;
        for (size_t n = 0; n < gr_plan_n_runs(v->plan) && !swept; n++) {
            const gr_run *r = gr_plan_run(v->plan, n);
            const char *s = NULL;
            int64_t x = 0;
            if (is_str)
                swept = gr_run_get_string(r, KEY[k], &s, &err) != GR_OK || strcmp(s, s0);
            else
                swept = gr_run_get_int(r, KEY[k], &x, &err) != GR_OK || x != i0;
        }
        fputs(any++ ? ", " : " Sizes as run: ", f);
        if (swept) {
            fprintf(f, "%s swept", NAME[k]);
        } else if (!is_str) {
            fprintf(f, "%lld %s", (long long)i0,
                    !strcmp(v->protocol, "train") ? "generator iterations" : NAME[k]);
        } else {
            size_t layers = 0;
            long width = 0;
            char act[32];
            fprintf(f, "%s ", NAME[k]);
            if (arch_short(s0, &layers, &width, act, sizeof act))
                fprintf(f, "%zu %s %ld %s", layers, tex ? "$\\times$" : "×", width, act);
            else if (tex)
                gr_report_put_tex(f, s0);
            else
                gr_report_put_md(f, s0);
        }
    }
    size_t ns = gr_plan_n_seeds(v->plan);
    fprintf(f, "%s%zu seed%s.", any ? ", " : " Sizes as run: ", ns, ns == 1 ? "" : "s");
}

static void caption(const gr_table *t, FILE *f, int tex) {
    const gr_resview *v = t->v;
    fputs(tex ? "Experiment \\texttt{" : "Experiment `", f);
    if (tex)
        gr_report_put_tex(f, v->experiment);
    else
        fputs(v->experiment, f);
    fputs(tex ? "}" : "`", f);
    if (*v->title) {
        fputs(" (", f);
        if (tex)
            gr_report_put_tex(f, v->title);
        else
            gr_report_put_md(f, v->title);
        fputs(")", f);
    }
    fprintf(f, ", profile %s, commit ", v->profile);
    if (tex)
        gr_report_put_tex(f, v->git_commit);
    else
        fputs(v->git_commit, f);
    fputs(tex ? ": mean, standard deviation and number $n$"
              : ": mean ± standard deviation and number n",
          f);
    fputs(" of seeds per setting, over the runs that ended ok; failed and diverged runs are "
          "counted, not averaged in",
          f);
    int any_se = 0;
    for (size_t m = 0; m < v->n_metrics; m++)
        any_se |= t->uses_se[m];
    if (any_se) fputs("; s.e.: standard error of the mean, for metrics judged by their mean", f);
    fputs(".", f);
    put_sizes(t, f, tex);
    int hidden = 0;
    for (size_t m = 0; m < v->n_metrics; m++) {
        if (metric_shown(t, m)) continue;
        fputs(hidden++ ? ", " : " Not shown, no run recorded a value: ", f);
        if (tex) {
            fputs("\\texttt{", f);
            gr_report_put_tex(f, v->metrics[m]);
            fputs("}", f);
        } else {
            fprintf(f, "`%s`", v->metrics[m]);
        }
    }
    if (hidden) fputs(".", f);
}

static void render_latex(const gr_table *t, FILE *f) {
    const gr_resview *v = t->v;
    fputs("% ganrepro table: needs \\usepackage{booktabs} and \\usepackage{siunitx}\n", f);
    fputs("\\begin{table}\n\\centering\n\\caption{", f);
    caption(t, f, 1);
    fputs("}\n\\label{tab:", f);
    gr_report_put_tex(f, v->experiment);
    fputs("}\n\\begin{tabular}{l", f);
    for (size_t g = 0; g < t->n_groups; g++)
        fputs("S[table-format=-1.3e-2]S[table-format=1.2e-2]r", f);
    fputs("}\n\\toprule\n", f);
    for (size_t g = 0; g < t->n_groups; g++) {
        char s[1024];
        setting_of(t, g, s, sizeof s);
        fputs(" & \\multicolumn{3}{c}{", f);
        gr_report_put_tex(f, s);
        if (t->groups[g].n_failed || t->groups[g].n_diverged) fputs("$^\\dagger$", f);
        fputs("}", f);
    }
    fputs(" \\\\\n", f);
    for (size_t g = 0; g < t->n_groups; g++)
        fprintf(f, "\\cmidrule(lr){%zu-%zu}", 2 + 3 * g, 4 + 3 * g);
    fputs("\nMetric", f);
    for (size_t g = 0; g < t->n_groups; g++)
        fputs(" & {mean} & {std} & {$n$}", f);
    fputs(" \\\\\n\\midrule\nruns ok / diverged / failed", f);
    for (size_t g = 0; g < t->n_groups; g++) {
        const gr_table_group *G = &t->groups[g];
        fprintf(f, " & \\multicolumn{3}{c}{%zu / %zu / %zu}", G->n_ok, G->n_diverged, G->n_failed);
    }
    fputs(" \\\\\n\\midrule\n", f);
    for (size_t m = 0; m < v->n_metrics; m++) {
        if (!metric_shown(t, m)) continue;
        fputs("\\texttt{", f);
        gr_report_put_tex(f, v->metrics[m]);
        fputs("}", f);
        if (t->uses_se[m]) fputs(" (mean $\\pm$ s.e.)", f);
        for (size_t g = 0; g < t->n_groups; g++) {
            const gr_table_cell *c = gr_table_cell_at(t, g, m);
            fputs(" & ", f);
            put_tex_num(f, c->mean, 3);
            fputs(" & ", f);
            put_tex_num(f, t->uses_se[m] ? c->se : c->std, 2);
            fprintf(f, " & %zu", c->n);
        }
        fputs(" \\\\\n", f);
    }
    fputs("\\bottomrule\n\\end{tabular}\n", f);
    int flagged = 0;
    for (size_t g = 0; g < t->n_groups; g++)
        flagged |= t->groups[g].n_failed || t->groups[g].n_diverged;
    if (flagged)
        fputs("\\par\\smallskip{\\footnotesize $^\\dagger$ some runs of this setting failed or "
              "diverged: they are counted above and left out of the statistics.}\n",
              f);
    fputs("\\end{table}\n", f);
}

static void render_md(const gr_table *t, FILE *f) {
    const gr_resview *v = t->v;
    caption(t, f, 0);
    fputs("\n\n| metric |", f);
    for (size_t g = 0; g < t->n_groups; g++) {
        char s[1024];
        setting_of(t, g, s, sizeof s);
        fputc(' ', f);
        gr_report_put_md(f, s);
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (size_t g = 0; g < t->n_groups; g++)
        fputs("---|", f);
    fputs("\n| runs ok / diverged / failed |", f);
    for (size_t g = 0; g < t->n_groups; g++) {
        const gr_table_group *G = &t->groups[g];
        fprintf(f, " %zu / %zu / %zu%s |", G->n_ok, G->n_diverged, G->n_failed,
                G->n_failed || G->n_diverged ? " ⚠ (not averaged in)" : "");
    }
    fputc('\n', f);
    for (size_t m = 0; m < v->n_metrics; m++) {
        if (!metric_shown(t, m)) continue;
        fprintf(f, "| `%s`%s |", v->metrics[m], t->uses_se[m] ? " (± s.e.)" : "");
        for (size_t g = 0; g < t->n_groups; g++) {
            const gr_table_cell *c = gr_table_cell_at(t, g, m);
            fputc(' ', f);
            put_short(f, c->mean);
            double spread = t->uses_se[m] ? c->se : c->std;
            if (!isnan(spread)) {
                fputs(" ± ", f);
                put_short(f, spread);
            }
            fprintf(f, " (n = %zu", c->n);
            if (c->n_nan) fprintf(f, ", %zu without a value", c->n_nan);
            fputs(") |", f);
        }
        fputc('\n', f);
    }
}

static void put_axes_header(const gr_resview *v, FILE *f) {
    for (size_t a = 0; a < v->n_axes; a++) {
        fputs(",param.", f);
        gr_report_put_csv(f, v->axes[a]);
    }
}

static void put_axes_values(const gr_resview *v, size_t run, FILE *f) {
    for (size_t a = 0; a < v->n_axes; a++) {
        fputc(',', f);
        gr_report_put_csv(f, v->runs[run].params[a]);
    }
}

static void render_csv(const gr_table *t, FILE *f) {
    const gr_resview *v = t->v;
    fputs("experiment,profile,commit", f);
    put_axes_header(v, f);
    fputs(",metric,n,n_nan,mean,std,se,n_runs,n_ok,n_diverged,n_failed\n", f);
    for (size_t g = 0; g < t->n_groups; g++)
        for (size_t m = 0; m < v->n_metrics; m++) {
            const gr_table_group *G = &t->groups[g];
            const gr_table_cell *c = gr_table_cell_at(t, g, m);
            gr_report_put_csv(f, v->experiment);
            fputc(',', f);
            gr_report_put_csv(f, v->profile);
            fputc(',', f);
            gr_report_put_csv(f, v->git_commit);
            put_axes_values(v, G->first_run, f);
            fputc(',', f);
            gr_report_put_csv(f, v->metrics[m]);
            fprintf(f, ",%zu,%zu,", c->n, c->n_nan);
            put_full(f, c->mean);
            fputc(',', f);
            put_full(f, c->std);
            fputc(',', f);
            put_full(f, c->se);
            fprintf(f, ",%zu,%zu,%zu,%zu\n", G->n_runs, G->n_ok, G->n_diverged, G->n_failed);
        }
}

static void render_runs(const gr_table *t, FILE *f) {
    const gr_resview *v = t->v;
    fputs("run_id,index,seed,status", f);
    put_axes_header(v, f);
    for (size_t m = 0; m < v->n_metrics; m++) {
        fputc(',', f);
        gr_report_put_csv(f, v->metrics[m]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < v->n_runs; i++) {
        const gr_resview_run *r = &v->runs[i];
        fprintf(f, "%s,%lld,%llu,%s", r->id, (long long)r->index, (unsigned long long)r->seed,
                gr_run_status_name(r->status));
        put_axes_values(v, i, f);
        for (size_t m = 0; m < v->n_metrics; m++) {
            fputc(',', f);
            put_full(f, v->values[m * v->n_runs + i]);
        }
        fputc('\n', f);
    }
}

int gr_table_render(const gr_table *t, int format, char **out, gr_error *err) {
    if (!t || !out) return GR_ERROR(err, GR_EINVAL, "table_render: NULL argument");
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return GR_ERROR(err, GR_ENOMEM, "table: out of memory");
    switch (format) {
    case GR_TABLE_LATEX: render_latex(t, f); break;
    case GR_TABLE_MD: render_md(t, f); break;
    case GR_TABLE_CSV: render_csv(t, f); break;
    case GR_TABLE_RUNS: render_runs(t, f); break;
    default:
        fclose(f);
        free(buf);
        return GR_ERROR(err, GR_EINVAL, "table: unknown format %d", format);
    }
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return GR_ERROR(err, GR_ENOMEM, "table: out of memory");
    }
    *out = buf;
    return GR_OK;
}
