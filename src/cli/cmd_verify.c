/* cli/cmd_verify.c — `ganrepro verify RESULTS.h5...`: every pass criterion of each results
 * file's recorded declaration evaluated on its runs (harness/verify.h), one verdict line
 * per criterion and one per claim on stdout, and the claims table written as
 * DIR/verdicts.{md,csv,tex} (DIR = --out, default results/tables).
 *
 * Exit 0: no criterion failed or did not run (NOT TESTED ones allowed); 1: some criterion
 * FAILed or is NOT RUN; 2: usage error, an unreadable input or an output not written.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "harness/verify.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: ganrepro verify RESULTS.h5... [--out DIR] [--format md|latex|csv]...\n"
            "                       [--no-write]\n"
            "\n"
            "Evaluate every pass criterion of the declaration each results file was made with\n"
            "(metric, condition, threshold, over, where: docs/EXPERIMENTS.md) and print one\n"
            "line per criterion and per claim: PASS, FAIL, NOT RUN (selected runs missing from\n"
            "the file) or NOT TESTED (the profile selects no run). A failed run counts as\n"
            "failing the criteria that select it. Writes the claims table to DIR/verdicts.md,\n"
            ".csv and .tex (DIR default results/tables; --format picks some; --no-write none).\n"
            "\n"
            "exit status: 0 nothing failed; 1 a criterion failed or did not run; 2 usage\n"
            "error, unreadable input or unwritable output.\n");
}

typedef struct row {
    const gr_resview *v;
    gr_verdict d;
    char text[1024];
} row;

static void fmt_num(char *buf, size_t size, double x) { gr_verify_number(x, buf, size); }

static char *render(const row *rows, size_t n, int fmt) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    if (fmt == 'c')
        fputs("claim,experiment,profile,commit,criterion,metric,over,k,condition,measured,se,"
              "n_runs,n_failed,n_diverged,n_missing,verdict,where,doc\n",
              f);
    if (fmt == 'm')
        fputs("| claim | experiment | criterion | measured | n | verdict |\n"
              "|---|---|---|---|---|---|\n",
              f);
    if (fmt == 't')
        fputs("% ganrepro verify: the claims table (booktabs)\n"
              "\\begin{tabular}{lllrrl}\n\\toprule\n"
              "Claim & Experiment & Criterion & {Measured} & {$n$} & Verdict \\\\\n\\midrule\n",
              f);
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        const gr_criterion *c = r->d.crit;
        char cond[128], meas[64], se[64];
        gr_verify_condition_text(c, cond, sizeof cond);
        fmt_num(meas, sizeof meas, r->d.measured);
        fmt_num(se, sizeof se, r->d.se);
        size_t nr = r->d.n_ok + r->d.n_diverged + r->d.n_failed;
        const char *verdict = gr_verdict_name(r->d.kind);
        char crit[512], ctext[256];
        gr_verify_criterion_text(c, ctext, sizeof ctext);
        snprintf(crit, sizeof crit, "%s%s%s", ctext, *c->where ? " where " : "", c->where);
        if (fmt == 'c') {
            const char *f_[4] = {c->claim, r->v->experiment, r->v->profile, r->v->git_commit};
            for (int k = 0; k < 4; k++) {
                gr_report_put_csv(f, f_[k]);
                fputc(',', f);
            }
            fprintf(f, "%zu,%s,%s,", r->d.criterion + 1, c->metric, c->over);
            if (c->k) fprintf(f, "%zu", c->k);
            fputc(',', f);
            gr_report_put_csv(f, cond);
            fprintf(f, ",%s,%s,%zu,%zu,%zu,%zu,%s,", meas, se, nr, r->d.n_failed, r->d.n_diverged,
                    r->d.n_missing, verdict);
            gr_report_put_csv(f, c->where);
            fputc(',', f);
            gr_report_put_csv(f, c->doc);
            fputc('\n', f);
        } else if (fmt == 'm') {
            fprintf(f, "| %s | %s (%s) | ", c->claim, r->v->experiment, r->v->profile);
            gr_report_put_md(f, *c->doc ? c->doc : crit);
            fputs(" — `", f);
            gr_report_put_md(f, crit);
            fprintf(f, "` | %s", meas);
            if (!isnan(r->d.se)) fprintf(f, " ± %s (s.e.)", se);
            fprintf(f, " | %zu%s | **%s** |\n", nr, r->d.n_failed ? " (failed runs counted)" : "",
                    verdict);
        } else {
            gr_report_put_tex(f, c->claim);
            fputs(" & ", f);
            gr_report_put_tex(f, r->v->experiment);
            fputs(" & ", f);
            gr_report_put_tex(f, *c->doc ? c->doc : crit);
            fprintf(f, " & %s & %zu & %s \\\\\n", meas, nr, verdict);
        }
    }
    if (fmt == 't') {
        fputs("\\bottomrule\n\\end{tabular}\n", f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int gr_cmd_verify(int argc, char **argv) {
    const char *out_dir = "results/tables";
    int want_md = 0, want_csv = 0, want_tex = 0, any_format = 0, no_write = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) return GR_EXIT_USAGE;
    int rc = GR_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(files);
            return GR_EXIT_OK;
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--no-write")) {
            no_write = 1;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            any_format = 1;
            if (!strcmp(f, "md"))
                want_md = 1;
            else if (!strcmp(f, "csv"))
                want_csv = 1;
            else if (!strcmp(f, "latex") || !strcmp(f, "tex"))
                want_tex = 1;
            else {
                fprintf(stderr, "ganrepro verify: unknown format '%s': expected md, latex or csv\n",
                        f);
                free(files);
                return GR_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ganrepro verify: unknown option '%s' (see --help)\n", a);
            free(files);
            return GR_EXIT_USAGE;
        } else {
            files[nf++] = a;
        }
    }
    if (!nf) {
        usage(stderr);
        free(files);
        return GR_EXIT_USAGE;
    }
    if (!any_format) want_md = want_csv = want_tex = 1;
    gr_resview **views = calloc(nf, sizeof *views);
    if (!views) {
        free(files);
        return GR_EXIT_USAGE;
    }
    gr_error err;
    gr_error_clear(&err);
    for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++) {
        gr_cli_guard_begin(files[k]);
        int st = gr_resview_open(&views[k], files[k], &err);
        gr_cli_guard_end();
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro verify: %s\n", err.msg);
            rc = GR_EXIT_USAGE;
        }
    }
    size_t nrows = 0, cap = 0;
    row *rows = NULL;
    for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++) {
        const gr_resview *v = views[k];
        size_t nc = gr_plan_n_criteria(v->plan);
        for (size_t i = 0; i < nc; i++) {
            if (nrows == cap) {
                cap = cap ? 2 * cap : 16;
                row *nr = realloc(rows, cap * sizeof *nr);
                if (!nr) {
                    rc = GR_EXIT_USAGE;
                    break;
                }
                rows = nr;
            }
            row *r = &rows[nrows];
            r->v = v;
            if (gr_verify_criterion(v, i, &r->d, &err) != GR_OK) {
                fprintf(stderr, "ganrepro verify: %s: %s\n", v->path, err.msg);
                rc = GR_EXIT_USAGE;
                break;
            }
            gr_verify_describe(&r->d, r->text, sizeof r->text);
            printf("%-5s %-10s %s #%zu: %s\n", r->d.crit->claim, gr_verdict_name(r->d.kind),
                   v->experiment, i + 1, r->text);
            nrows++;
        }
    }
    size_t count[4] = {0, 0, 0, 0};
    if (rc == GR_EXIT_OK) {
        /* one line per claim: its criteria over every file, then the declared claims that
         * have no criterion at all */
        int *kinds = malloc((nrows ? nrows : 1) * sizeof *kinds);
        for (size_t i = 0; kinds && i < nrows; i++) {
            const char *claim = rows[i].d.crit->claim;
            int seen = 0;
            for (size_t j = 0; j < i; j++)
                seen |= !strcmp(rows[j].d.crit->claim, claim);
            if (seen) continue;
            size_t nk = 0;
            for (size_t j = i; j < nrows; j++)
                if (!strcmp(rows[j].d.crit->claim, claim)) kinds[nk++] = rows[j].d.kind;
            int kind = gr_verify_claim_kind(kinds, nk);
            count[kind]++;
            printf("claim %-5s %-10s (%zu criteri%s)\n", claim, gr_verdict_name(kind), nk,
                   nk == 1 ? "on" : "a");
        }
        free(kinds);
        for (size_t k = 0; k < nf; k++)
            for (size_t c = 0; c < gr_plan_n_claims(views[k]->plan); c++) {
                const char *claim = gr_plan_claim(views[k]->plan, c);
                int has = 0;
                for (size_t j = 0; j < nrows; j++)
                    has |= !strcmp(rows[j].d.crit->claim, claim);
                if (!has) {
                    count[GR_VERDICT_NOT_TESTED]++;
                    printf("claim %-5s %-10s (%s declares no criterion for it)\n", claim,
                           gr_verdict_name(GR_VERDICT_NOT_TESTED), views[k]->experiment);
                }
            }
        size_t cf[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < nrows; i++)
            cf[rows[i].d.kind]++;
        printf("verify: %zu file%s, %zu criteria: %zu pass, %zu fail, %zu not run, %zu not "
               "tested; claims: %zu pass, %zu fail, %zu not run, %zu not tested\n",
               nf, nf == 1 ? "" : "s", nrows, cf[0], cf[1], cf[2], cf[3], count[0], count[1],
               count[2], count[3]);
        if (cf[GR_VERDICT_FAIL] || cf[GR_VERDICT_NOT_RUN]) rc = GR_EXIT_FAIL;
    }
    if ((rc == GR_EXIT_OK || rc == GR_EXIT_FAIL) && !no_write) {
        const struct {
            int want;
            int fmt;
            const char *ext;
        } outs[3] = {{want_md, 'm', "md"}, {want_csv, 'c', "csv"}, {want_tex, 't', "tex"}};
        if (gr_report_mkdir_p(out_dir, &err) != GR_OK) {
            fprintf(stderr, "ganrepro verify: %s\n", err.msg);
            rc = GR_EXIT_USAGE;
        }
        for (int k = 0; k < 3 && rc != GR_EXIT_USAGE; k++) {
            if (!outs[k].want) continue;
            char path[4200];
            snprintf(path, sizeof path, "%s/verdicts.%s", out_dir, outs[k].ext);
            char *text = render(rows, nrows, outs[k].fmt);
            if (!text || gr_report_write_text(path, text, &err) != GR_OK) {
                fprintf(stderr, "ganrepro verify: cannot write %s: %s\n", path,
                        text ? err.msg : "out of memory");
                rc = GR_EXIT_USAGE;
            } else {
                fprintf(stderr, "ganrepro verify: wrote %s\n", path);
            }
            free(text);
        }
    }
    free(rows);
    for (size_t k = 0; k < nf; k++)
        gr_resview_free(views[k]);
    free(views);
    free(files);
    return rc;
}
