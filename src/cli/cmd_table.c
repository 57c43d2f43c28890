/* cli/cmd_table.c — `ganrepro table RESULTS.h5... [--format latex|md|csv|runs]...
 * [--out DIR]`: per results file, the summary metrics per setting over seeds
 * (harness/table.h) written as DIR/NAME.tex, NAME.md, NAME.csv (DIR default
 * results/tables; no --format: those three) and, with --format runs, NAME.runs.csv (one
 * row per run, full precision: what the numerics regression compares).
 *
 * Exit 0 written; 2 usage error, an unreadable input or an output not written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/results_args.h"
#include "harness/table.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: ganrepro table RESULTS.h5... [--format latex|md|csv|runs]... [--out DIR]\n"
            "                      [--stdout]\n"
            "\n"
            "For each results file, the summary metrics per setting (the swept parameters):\n"
            "mean, standard deviation (standard error where a criterion is on the mean) and n\n"
            "over the seeds whose runs ended ok; failed and diverged runs are counted and\n"
            "flagged, never averaged in. Writes DIR/NAME.tex (booktabs + siunitx), NAME.md,\n"
            "NAME.csv (DIR default results/tables; no --format: those three); --format runs\n"
            "writes NAME.runs.csv, one row per run at full precision. --stdout prints instead.\n"
            "\n"
            "exit status: 0 written; 2 usage error, unreadable input or unwritable output.\n");
}

int gr_cmd_table(int argc, char **argv) {
    const char *out_dir = "results/tables";
    int want[4] = {0, 0, 0, 0}, any = 0, to_stdout = 0;
    static const char *const EXT[4] = {"tex", "md", "csv", "runs.csv"};
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) return GR_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--out") && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--stdout")) {
            to_stdout = 1;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            any = 1;
            if (!strcmp(f, "latex") || !strcmp(f, "tex"))
                want[GR_TABLE_LATEX] = 1;
            else if (!strcmp(f, "md"))
                want[GR_TABLE_MD] = 1;
            else if (!strcmp(f, "csv"))
                want[GR_TABLE_CSV] = 1;
            else if (!strcmp(f, "runs"))
                want[GR_TABLE_RUNS] = 1;
            else {
                fprintf(stderr,
                        "ganrepro table: unknown format '%s': expected latex, md, csv or runs\n",
                        f);
                free(files);
                return GR_EXIT_USAGE;
            }
        } else {
            int code = gr_cli_results_arg("table", a, usage, files, &nf);
            if (code >= 0) {
                free(files);
                return code;
            }
        }
    }
    if (!nf) {
        usage(stderr);
        free(files);
        return GR_EXIT_USAGE;
    }
    if (!any) want[GR_TABLE_LATEX] = want[GR_TABLE_MD] = want[GR_TABLE_CSV] = 1;
    gr_error err;
    gr_error_clear(&err);
    int rc = GR_EXIT_OK, made = to_stdout;
    for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++) {
        gr_resview *v = NULL;
        gr_table *t = NULL;
        int st = gr_cli_results_open(&v, files[k], &err);
        if (st == GR_OK) st = gr_table_build(&t, v, &err);
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro table: %s\n", err.msg);
            rc = GR_EXIT_USAGE;
        }
        /* the folder is made once an input has been read: a bad input creates nothing */
        if (rc == GR_EXIT_OK && !made) {
            if (gr_report_mkdir_p(out_dir, &err) != GR_OK) {
                fprintf(stderr, "ganrepro table: %s\n", err.msg);
                rc = GR_EXIT_USAGE;
            }
            made = 1;
        }
        for (int fmt = 0; fmt < 4 && rc == GR_EXIT_OK; fmt++) {
            if (!want[fmt]) continue;
            char *text = NULL;
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.%s", out_dir, v->experiment, EXT[fmt]);
            if (gr_table_render(t, fmt, &text, &err) != GR_OK) {
                fprintf(stderr, "ganrepro table: %s\n", err.msg);
                rc = GR_EXIT_USAGE;
            } else if (to_stdout) {
                fputs(text, stdout);
            } else if (gr_report_write_text(path, text, &err) != GR_OK) {
                fprintf(stderr, "ganrepro table: cannot write %s: %s\n", path, err.msg);
                rc = GR_EXIT_USAGE;
            } else {
                size_t bad = 0;
                for (size_t g = 0; g < gr_table_n_groups(t); g++)
                    bad += gr_table_group_at(t, g)->n_failed + gr_table_group_at(t, g)->n_diverged;
                fprintf(stderr, "ganrepro table: wrote %s (%zu setting%s, %zu metrics%s)\n", path,
                        gr_table_n_groups(t), gr_table_n_groups(t) == 1 ? "" : "s", v->n_metrics,
                        bad ? ", failed/diverged runs flagged" : "");
            }
            free(text);
        }
        gr_table_free(t);
        gr_resview_free(v);
    }
    free(files);
    return rc;
}
