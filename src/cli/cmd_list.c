/* cli/cmd_list.c — `ganrepro list [--dir DIR]`: every experiment declared in the .cfg files of DIR
 * (default: experiments), one line each: name, claim ids, protocol, and per profile the
 * number of runs and the estimated time.
 *
 * Files without an `experiment` group (shared defaults such as base.cfg, meant for
 * @include) are not experiments and are not listed. The time is the file's declared cost
 * model (estimate.per_run + estimate.per_unit x steps or curve points, per run; see
 * docs/EXPERIMENTS.md), a declared guess, not a measurement; "?" when the file declares no
 * estimate.per_unit. A file that does not load is reported on stderr (one line) and makes
 * the exit status 2; the others are still listed. --files prints the experiment files'
 * paths only.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/error.h"
#include "harness/plan.h"

static void usage(FILE *out) {
    fprintf(out, "usage: ganrepro list [--dir DIR] [--files]\n"
                 "\n"
                 "One line per experiment declared in DIR/*.cfg (default: experiments): its name,\n"
                 "claim ids and protocol, then for each profile (ci, quick, full) the number of\n"
                 "runs and the estimated time, from the file's declared cost model\n"
                 "(estimate.per_run + estimate.per_unit x steps or curve points per run; \"?\"\n"
                 "when it declares none). Files without an `experiment` group (shared defaults,\n"
                 "for @include) are not listed. --files prints only the path of each\n"
                 "experiment file, one per line (for scripts: experiments/run_all.sh).\n"
                 "\n"
                 "exit status: 0 every file loaded; 2 a file is malformed (one line on stderr\n"
                 "naming the file and line; the other experiments are still listed).\n");
}

static void fmt_time(double s, char *buf, size_t size) {
    if (s < 0)
        snprintf(buf, size, "?");
    else if (s < 1)
        snprintf(buf, size, "<1s");
    else if (s < 120)
        snprintf(buf, size, "%.0fs", s);
    else if (s < 7200)
        snprintf(buf, size, "%.0fmin", s / 60);
    else
        snprintf(buf, size, "%.1fh", s / 3600);
}

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int gr_cmd_list(int argc, char **argv) {
    const char *dir = "experiments";
    int files_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return GR_EXIT_OK;
        }
        if (!strcmp(argv[i], "--files")) {
            files_only = 1;
            continue;
        }
        if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            dir = argv[++i];
            continue;
        }
        fprintf(stderr, "ganrepro list: unexpected argument '%s' (see 'ganrepro list --help')\n",
                argv[i]);
        return GR_EXIT_USAGE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "ganrepro list: cannot open directory %s\n", dir);
        return GR_EXIT_USAGE;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") || e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n]) break;
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    int rc = GR_EXIT_OK;
    static const char *const profiles[] = {"ci", "quick", "full"};
    for (size_t f = 0; f < n; f++) {
        gr_error err;
        int is = gr_plan_file_is_experiment(names[f], &err);
        if (is < 0) {
            fprintf(stderr, "%s\n", err.msg);
            rc = GR_EXIT_USAGE;
            continue;
        }
        if (!is) continue;
        if (files_only) {
            printf("%s\n", names[f]);
            continue;
        }
        char line[1024];
        size_t len = 0;
        int ok = 1;
        for (int p = 0; p < 3 && ok; p++) {
            gr_plan_options opt = gr_plan_options_default();
            opt.profile = profiles[p];
            gr_plan *plan;
            if (gr_plan_load(&plan, names[f], &opt, &err) != GR_OK) {
                fprintf(stderr, "%s\n", err.msg);
                rc = GR_EXIT_USAGE;
                ok = 0;
                break;
            }
            if (p == 0) {
                int w = snprintf(line, sizeof line, "%-20s ", gr_plan_name(plan));
                len = w > 0 ? (size_t)w : 0;
                for (size_t c = 0; c < gr_plan_n_claims(plan) && len < sizeof line; c++) {
                    w = snprintf(line + len, sizeof line - len, "%s%s", c ? "," : "",
                                 gr_plan_claim(plan, c));
                    if (w > 0) len += (size_t)w;
                }
                if (len < sizeof line) {
                    w = snprintf(line + len, sizeof line - len, "  %s", gr_plan_protocol(plan));
                    if (w > 0) len += (size_t)w;
                }
            }
            char t[32];
            fmt_time(gr_plan_estimate_seconds(plan), t, sizeof t);
            if (len < sizeof line) {
                int w = snprintf(line + len, sizeof line - len, "  %s: %zu run%s ~%s", profiles[p],
                                 gr_plan_n_runs(plan), gr_plan_n_runs(plan) == 1 ? "" : "s", t);
                if (w > 0) len += (size_t)w;
            }
            gr_plan_free(plan);
        }
        if (ok) printf("%s\n", line);
    }
    for (size_t f = 0; f < n; f++)
        free(names[f]);
    free(names);
    return rc;
}
