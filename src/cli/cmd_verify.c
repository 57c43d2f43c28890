/* cli/cmd_verify.c — `ganrepro verify RESULTS.h5...`: every pass criterion of each results
 * file's recorded declaration evaluated on its runs (harness/verify.h), one verdict line
 * per criterion and one per claim (over every file, in id order; a failing claim is NOT
 * REPRODUCED) on stdout, and the claims table (harness/claimtab.h: the
 * words from the claims catalogue, harness/claims.h) written as DIR/verdicts.{md,csv,tex}
 * (DIR = --out, default results/tables) or printed (--stdout). `--from VERDICTS.csv`
 * renders such a CSV again (make readme).
 *
 * Exit 0: no criterion failed or did not run (NOT TESTED ones allowed); 1: some criterion
 * FAILed or is NOT RUN; 2: usage error, an unreadable input, no catalogue, a declared claim
 * missing from it, or an output not written. --from: 0 or 2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/results_args.h"
#include "harness/claims.h"
#include "harness/claimtab.h"
#include "harness/verify.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: ganrepro verify RESULTS.h5... [--out DIR] [--format md|latex|csv]...\n"
            "                       [--no-write | --stdout] [--catalogue FILE] [--profile P]\n"
            "       ganrepro verify --from VERDICTS.csv [--format md|latex|csv]... [--out DIR |\n"
            "                       --stdout] [--catalogue FILE]\n"
            "\n"
            "Evaluate every pass criterion of the declaration each results file was made with\n"
            "(metric, condition, threshold, over, where: docs/EXPERIMENTS.md) and print one\n"
            "line per criterion: PASS, FAIL, NOT RUN (selected runs missing from the file) or\n"
            "NOT TESTED (the profile selects no run); then one line per claim over all files,\n"
            "in id order: PASS, NOT REPRODUCED (a criterion fails: the evidence disagrees),\n"
            "NOT RUN or NOT TESTED (with the catalogue's reason when no criterion judges it).\n"
            "A failed run counts as failing the criteria that select it. Writes the claims\n"
            "table (claim, source, statement, measured, criterion, verdict; the\n"
            "reference-only claims as \"cited\")\n"
            "to DIR/verdicts.md, .csv and .tex (DIR default results/tables; --format picks\n"
            "some; --no-write none; --stdout prints the one format asked for, default md, on\n"
            "stdout and the verdict lines on stderr). --profile P refuses results files of\n"
            "another profile.\n"
            "\n"
            "The words come from the claims catalogue: --catalogue FILE, else docs/claims.cfg\n"
            "in the current directory, else the installed copy (BINDIR/../share/ganrepro/\n"
            "claims.cfg), else the source tree's. A claim not in it is an error.\n"
            "--from renders a verdicts CSV that verify wrote, with the catalogue's current\n"
            "words, byte for byte as verify rendered it from the results (make readme).\n"
            "\n"
            "exit status: 0 nothing failed; 1 a criterion failed or did not run; 2 usage\n"
            "error, unreadable input, a claim missing from the catalogue or unwritable output.\n"
            "--from: 0 rendered, 2 error.\n");
}

typedef struct row {
    const gr_resview *v;
    gr_verdict d;
    char text[1024];
} row;

/* The catalogue to read: the first of the candidates that exists. */
static int find_catalogue(const char *given, char *path, size_t size) {
    if (given) {
        snprintf(path, size, "%s", given);
        return 1;
    }
    char cand[3][4200];
    size_t nc = 0;
    snprintf(cand[nc++], sizeof cand[0], "docs/claims.cfg");
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(cand[nc++], sizeof cand[0], "%s/../share/ganrepro/claims.cfg", exe);
        }
    }
#ifdef GR_CLAIMS_SOURCE
    snprintf(cand[nc++], sizeof cand[0], "%s", GR_CLAIMS_SOURCE);
#endif
    for (size_t i = 0; i < nc; i++)
        if (access(cand[i], R_OK) == 0 && strlen(cand[i]) < size) {
            memcpy(path, cand[i], strlen(cand[i]) + 1);
            return 1;
        }
    fprintf(stderr, "ganrepro verify: no claims catalogue: none of");
    for (size_t i = 0; i < nc; i++)
        fprintf(stderr, " %s", cand[i]);
    fprintf(stderr, " exists; give one with --catalogue FILE (the source tree's is "
                    "docs/claims.cfg)\n");
    return 0;
}

/* Write or print the table in the formats asked for. */
static int emit(const gr_claimtab *tab, const int want[3], int to_stdout, const char *out_dir,
                gr_error *err) {
    static const int fmts[3] = {'m', 'c', 't'};
    static const char *const ext[3] = {"md", "csv", "tex"};
    if (!to_stdout && gr_report_mkdir_p(out_dir, err) != GR_OK) {
        fprintf(stderr, "ganrepro verify: %s\n", err->msg);
        return GR_EXIT_USAGE;
    }
    for (int k = 0; k < 3; k++) {
        if (!want[k]) continue;
        char *text = gr_claimtab_render(tab, fmts[k], err);
        if (!text) {
            fprintf(stderr, "ganrepro verify: %s\n", err->msg);
            return GR_EXIT_USAGE;
        }
        if (to_stdout) {
            fputs(text, stdout);
        } else {
            char path[4200];
            snprintf(path, sizeof path, "%s/verdicts.%s", out_dir, ext[k]);
            if (gr_report_write_text(path, text, err) != GR_OK) {
                fprintf(stderr, "ganrepro verify: cannot write %s: %s\n", path, err->msg);
                free(text);
                return GR_EXIT_USAGE;
            }
            fprintf(stderr, "ganrepro verify: wrote %s\n", path);
        }
        free(text);
    }
    return GR_EXIT_OK;
}

/* --from CSV: render it again with the catalogue's words. */
static int from_csv(const char *csv, const gr_claims *cat, const int want[3], int to_stdout,
                    const char *out_dir) {
    gr_error err;
    gr_error_clear(&err);
    FILE *f = fopen(csv, "rb");
    if (!f) {
        fprintf(stderr, "ganrepro verify: cannot open %s\n", csv);
        return GR_EXIT_USAGE;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *nt = realloc(text, cap);
            if (!nt) break;
            text = nt;
        }
        text[len++] = (char)c;
    }
    int rd_err = ferror(f) || c != EOF;
    fclose(f);
    if (!text || rd_err) {
        free(text);
        fprintf(stderr, "ganrepro verify: cannot read %s\n", csv);
        return GR_EXIT_USAGE;
    }
    text[len] = '\0';
    gr_claimtab *tab = NULL;
    int rc = GR_EXIT_OK;
    if (gr_claimtab_alloc(&tab, cat, &err) != GR_OK ||
        gr_claimtab_read_csv(tab, text, csv, &err) != GR_OK) {
        fprintf(stderr, "ganrepro verify: %s\n", err.msg);
        rc = GR_EXIT_USAGE;
    } else {
        rc = emit(tab, want, to_stdout, out_dir, &err);
    }
    gr_claimtab_free(tab);
    free(text);
    return rc;
}

int gr_cmd_verify(int argc, char **argv) {
    const char *out_dir = "results/tables", *catalogue = NULL, *from = NULL, *profile = NULL;
    int want[3] = {0, 0, 0}, any_format = 0, no_write = 0, to_stdout = 0; /* md, csv, tex */
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) return GR_EXIT_USAGE;
    int rc = GR_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--out") && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--catalogue") && i + 1 < argc) {
            catalogue = argv[++i];
        } else if (!strcmp(a, "--from") && i + 1 < argc) {
            from = argv[++i];
        } else if (!strcmp(a, "--profile") && i + 1 < argc) {
            profile = argv[++i];
        } else if (!strcmp(a, "--no-write")) {
            no_write = 1;
        } else if (!strcmp(a, "--stdout")) {
            to_stdout = 1;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            any_format++;
            if (!strcmp(f, "md"))
                want[0] = 1;
            else if (!strcmp(f, "csv"))
                want[1] = 1;
            else if (!strcmp(f, "latex") || !strcmp(f, "tex"))
                want[2] = 1;
            else {
                fprintf(stderr, "ganrepro verify: unknown format '%s': expected md, latex or csv\n",
                        f);
                free(files);
                return GR_EXIT_USAGE;
            }
        } else {
            int code = gr_cli_results_arg("verify", a, usage, files, &nf);
            if (code >= 0) {
                free(files);
                return code;
            }
        }
    }
    const char *why = NULL;
    if (from && nf) why = "--from takes no results files";
    if (!from && !nf) why = "no results file";
    if (to_stdout && no_write) why = "--stdout and --no-write exclude each other";
    if (to_stdout && any_format > 1) why = "--stdout prints one format";
    if (from && no_write) why = "--from with --no-write has nothing to do";
    if (from && profile) why = "--profile applies to results files, not --from";
    if (why) {
        fprintf(stderr, "ganrepro verify: %s\n", why);
        usage(stderr);
        free(files);
        return GR_EXIT_USAGE;
    }
    if (!any_format) {
        want[0] = 1;
        want[1] = want[2] = !to_stdout;
    }
    char cat_path[4200];
    gr_error err;
    gr_error_clear(&err);
    gr_claims *cat = NULL;
    if (!find_catalogue(catalogue, cat_path, sizeof cat_path)) {
        free(files);
        return GR_EXIT_USAGE;
    }
    if (gr_claims_load(&cat, cat_path, &err) != GR_OK) {
        fprintf(stderr, "ganrepro verify: %s\n", err.msg);
        free(files);
        return GR_EXIT_USAGE;
    }
    if (from) {
        rc = from_csv(from, cat, want, to_stdout, out_dir);
        gr_claims_free(cat);
        free(files);
        return rc;
    }
    /* with --stdout the table owns stdout: the verdict lines go to stderr */
    FILE *lines = to_stdout ? stderr : stdout;
    gr_resview **views = calloc(nf, sizeof *views);
    gr_claimtab *tab = NULL;
    if (!views || gr_claimtab_alloc(&tab, cat, &err) != GR_OK) {
        free(views);
        gr_claims_free(cat);
        free(files);
        return GR_EXIT_USAGE;
    }
    for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++) {
        int st = gr_cli_results_open(&views[k], files[k], &err);
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro verify: %s\n", err.msg);
            rc = GR_EXIT_USAGE;
        } else if (profile && strcmp(views[k]->profile, profile)) {
            fprintf(stderr, "ganrepro verify: %s holds profile %s, not %s (--profile)\n", files[k],
                    views[k]->profile, profile);
            rc = GR_EXIT_USAGE;
        }
    }
    /* every declared claim must be in the catalogue before anything is judged */
    for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++)
        for (size_t c = 0; c < gr_plan_n_claims(views[k]->plan) && rc == GR_EXIT_OK; c++) {
            const char *claim = gr_plan_claim(views[k]->plan, c);
            if (!gr_claims_find(cat, claim)) {
                fprintf(stderr,
                        "ganrepro verify: %s: experiment %s declares claim %s, which the claims "
                        "catalogue %s does not list (add it there, and its section to "
                        "docs/CLAIMS.md)\n",
                        views[k]->path, views[k]->experiment, claim, cat_path);
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
            if (gr_verify_criterion(v, i, &r->d, &err) != GR_OK ||
                gr_claimtab_add_verdict(tab, v, &r->d, &err) != GR_OK) {
                fprintf(stderr, "ganrepro verify: %s: %s\n", v->path, err.msg);
                rc = GR_EXIT_USAGE;
                break;
            }
            gr_verify_describe(&r->d, r->text, sizeof r->text);
            fprintf(lines, "%-5s %-10s %s #%zu: %s\n", r->d.crit->claim, gr_verdict_name(r->d.kind),
                    v->experiment, i + 1, r->text);
            nrows++;
        }
    }
    size_t count[4] = {0, 0, 0, 0};
    if (rc == GR_EXIT_OK) {
        /* the table's rows for declared claims that no criterion judges (one per experiment) */
        for (size_t k = 0; k < nf && rc == GR_EXIT_OK; k++)
            for (size_t c = 0; c < gr_plan_n_claims(views[k]->plan); c++) {
                const char *claim = gr_plan_claim(views[k]->plan, c);
                int has = 0;
                for (size_t j = 0; j < nrows && !has; j++)
                    has = !strcmp(rows[j].d.crit->claim, claim);
                if (!has && gr_claimtab_add_unjudged(tab, views[k], claim, &err) != GR_OK) {
                    fprintf(stderr, "ganrepro verify: %s\n", err.msg);
                    rc = GR_EXIT_USAGE;
                    break;
                }
            }
    }
    if (rc == GR_EXIT_OK) {
        /* one line per claim over every file, in catalogue (id) order */
        int *kinds = malloc((nrows ? nrows : 1) * sizeof *kinds);
        for (size_t ci = 0; kinds && ci < gr_claims_count(cat); ci++) {
            const char *claim = gr_claims_at(cat, ci)->id;
            size_t nk = 0, nfail_runs = 0, per[4] = {0, 0, 0, 0};
            char exps[1024] = "";
            size_t el = 0;
            for (size_t k = 0; k < nf; k++) {
                const gr_resview *v = views[k];
                int declares = 0;
                for (size_t c = 0; c < gr_plan_n_claims(v->plan) && !declares; c++)
                    declares = !strcmp(gr_plan_claim(v->plan, c), claim);
                for (size_t j = 0; j < nrows; j++)
                    if (rows[j].v == v && !strcmp(rows[j].d.crit->claim, claim)) {
                        kinds[nk++] = rows[j].d.kind;
                        per[rows[j].d.kind]++;
                        nfail_runs += rows[j].d.n_failed;
                        declares = 1;
                    }
                int dup = 0; /* two files of one experiment (shards) name it once */
                for (size_t q = 0; q < k && !dup; q++)
                    dup = !strcmp(views[q]->experiment, v->experiment);
                if (declares && !dup && el < sizeof exps) {
                    int w = snprintf(exps + el, sizeof exps - el, "%s%s", el ? ", " : "",
                                     v->experiment);
                    if (w > 0) el += (size_t)w;
                }
            }
            if (!el) continue; /* not in these results */
            int kind = gr_verify_claim_kind(kinds, nk);
            count[kind]++;
            const char *reason = gr_claims_at(cat, ci)->no_criterion;
            if (!nk) {
                fprintf(lines, "claim %-5s %-14s no criterion%s%s (declared by %s)\n", claim,
                        gr_verify_claim_name(kind), reason ? ": " : "", reason ? reason : "", exps);
                continue;
            }
            char extra[256] = "";
            int w = 0;
            static const char *const WORD[4] = {"pass", "fail", "not run", "not tested"};
            for (int q = 0; q < 4; q++)
                if (per[q] && w >= 0 && (size_t)w < sizeof extra)
                    w += snprintf(extra + w, sizeof extra - (size_t)w, "%s%zu %s", w ? ", " : "",
                                  per[q], WORD[q]);
            if (nfail_runs && w >= 0 && (size_t)w < sizeof extra)
                snprintf(extra + w, sizeof extra - (size_t)w,
                         "; %zu failed run%s counted as failing", nfail_runs,
                         nfail_runs == 1 ? "" : "s");
            fprintf(lines, "claim %-5s %-14s %zu criteri%s in %s: %s\n", claim,
                    gr_verify_claim_name(kind), nk, nk == 1 ? "on" : "a", exps, extra);
        }
        free(kinds);
        size_t cf[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < nrows; i++)
            cf[rows[i].d.kind]++;
        fprintf(lines,
                "verify: %zu file%s, %zu criteria: %zu pass, %zu fail, %zu not run, %zu not "
                "tested; claims: %zu pass, %zu not reproduced, %zu not run, %zu not tested\n",
                nf, nf == 1 ? "" : "s", nrows, cf[0], cf[1], cf[2], cf[3], count[0], count[1],
                count[2], count[3]);
        if (rc == GR_EXIT_OK && (cf[GR_VERDICT_FAIL] || cf[GR_VERDICT_NOT_RUN])) rc = GR_EXIT_FAIL;
    }
    /* the table's "wrote ..." messages go to stderr: let the verdict lines come first */
    fflush(lines);
    if ((rc == GR_EXIT_OK || rc == GR_EXIT_FAIL) && !no_write) {
        int st = emit(tab, want, to_stdout, out_dir, &err);
        if (st != GR_EXIT_OK) rc = st;
    }
    free(rows);
    gr_claimtab_free(tab);
    for (size_t k = 0; k < nf; k++)
        gr_resview_free(views[k]);
    free(views);
    gr_claims_free(cat);
    free(files);
    return rc;
}
