/* cli/cmd_plot.c — `ganrepro plot RESULTS.h5 [--format png|pdf|svg]...`: export the data
 * the experiment's figure needs (harness/plot.h) into OUT/NAME/ and run its committed
 * gnuplot script PLOTS/NAME.gp once per format, writing OUT/NAME.png (pngcairo),
 * OUT/NAME.pdf (pdfcairo) or OUT/NAME.svg (PLOTS default plots, OUT default plots/out; no
 * --format: png and pdf). An experiment without its own script (and no --script) gets
 * PLOTS/generic.gp when it exists: every series against the step, which says so.
 *
 * The script gets four string variables through `gnuplot -e` (harness/plot.h's
 * gr_plot_draw): datadir (the exported folder), outfile (the image to write), fmt ("png",
 * "pdf", "svg") and plotsdir (where style.gp is). Each image is written under a temporary
 * name and renamed when gnuplot ends with status 0 having written it complete (its
 * format's end marker), so a failed script or a full disk leaves no image.
 *
 * Exit 0 every image written; 1 gnuplot failed (its messages are on stderr); 2 usage
 * error, a missing or unreadable results file, a missing script or gnuplot not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "harness/plot.h"

static void usage(FILE *out) {
    fprintf(out, "usage: ganrepro plot RESULTS.h5 [--format png|pdf|svg]... [--script FILE]\n"
                 "                     [--plots DIR] [--out DIR]\n"
                 "\n"
                 "Export the data of the experiment's figure from RESULTS.h5 as text files into\n"
                 "OUT/NAME/ (meta.gp, run_K.dat, group_G.dat: harness/plot.h) and run the gnuplot\n"
                 "script PLOTS/NAME.gp (or --script FILE; without either, PLOTS/generic.gp: every\n"
                 "series against the step) once per format, writing OUT/NAME.png,\n"
                 ".pdf or .svg (PLOTS default plots, OUT default plots/out; default png and pdf).\n"
                 "The script receives datadir, outfile, fmt and plotsdir as gnuplot variables.\n"
                 "\n"
                 "exit status: 0 written; 1 gnuplot failed; 2 usage error, missing or unreadable\n"
                 "input, missing script or gnuplot.\n");
}

int gr_cmd_plot(int argc, char **argv) {
    const char *plots = "plots", *out = "plots/out", *script = NULL, *file = NULL;
    int want[3] = {0, 0, 0}, any = 0;
    static const char *const FMT[3] = {"png", "pdf", "svg"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return GR_EXIT_OK;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            int k = 0;
            while (k < 3 && strcmp(f, FMT[k]))
                k++;
            if (k == 3) {
                fprintf(stderr, "ganrepro plot: unknown format '%s': expected png, pdf or svg\n",
                        f);
                return GR_EXIT_USAGE;
            }
            want[k] = any = 1;
        } else if (!strcmp(a, "--script") && i + 1 < argc) {
            script = argv[++i];
        } else if (!strcmp(a, "--plots") && i + 1 < argc) {
            plots = argv[++i];
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ganrepro plot: unknown option '%s' (see --help)\n", a);
            return GR_EXIT_USAGE;
        } else if (file) {
            fprintf(stderr, "ganrepro plot: one results file at a time (got %s and %s)\n", file, a);
            return GR_EXIT_USAGE;
        } else {
            file = a;
        }
    }
    if (!file) {
        usage(stderr);
        return GR_EXIT_USAGE;
    }
    if (!any) want[0] = want[1] = 1;
    gr_error err;
    gr_error_clear(&err);
    gr_resview *v = NULL;
    gr_cli_guard_begin(file);
    int st = gr_resview_open(&v, file, &err);
    gr_cli_guard_end();
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro plot: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    char script_buf[4200], datadir[4200];
    if (!script) {
        snprintf(script_buf, sizeof script_buf, "%s/%s.gp", plots, v->experiment);
        script = script_buf;
    }
    struct stat sb;
    char generic[4200];
    snprintf(generic, sizeof generic, "%s/generic.gp", plots);
    if (script == script_buf && (stat(script, &sb) != 0 || !S_ISREG(sb.st_mode)) &&
        stat(generic, &sb) == 0 && S_ISREG(sb.st_mode)) {
        /* no figure of its own yet: every series against the step, said on the figure */
        fprintf(stderr, "ganrepro plot: no %s: drawing the generic figure (%s)\n", script, generic);
        script = generic;
    }
    if (stat(script, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr,
                "ganrepro plot: no gnuplot script %s for experiment %s (write one: "
                "plots/README.md)\n",
                script, v->experiment);
        gr_resview_free(v);
        return GR_EXIT_USAGE;
    }
    snprintf(datadir, sizeof datadir, "%s/%s", out, v->experiment);
    if (strchr(datadir, '\'') || strchr(plots, '\'')) {
        fprintf(stderr, "ganrepro plot: a folder name holds a quote ('): %s\n", datadir);
        gr_resview_free(v);
        return GR_EXIT_USAGE;
    }
    st = gr_plot_export(v, datadir, &err);
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro plot: exporting %s: %s\n", file, err.msg);
        gr_resview_free(v);
        return GR_EXIT_USAGE;
    }
    int rc = GR_EXIT_OK;
    for (int k = 0; k < 3 && rc == GR_EXIT_OK; k++) {
        if (!want[k]) continue;
        char img[4300];
        snprintf(img, sizeof img, "%s/%s.%s", out, v->experiment, FMT[k]);
        st = gr_plot_draw(script, datadir, img, FMT[k], plots, &err);
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro plot: %s\n", err.msg);
            rc = st == GR_ELIB ? GR_EXIT_FAIL : GR_EXIT_USAGE;
        } else {
            printf("%s\n", img);
        }
    }
    if (rc == GR_EXIT_OK)
        fprintf(stderr, "ganrepro plot: %s: data in %s/, %zu run%s (%s)\n", v->experiment, datadir,
                v->n_runs, v->n_runs == 1 ? "" : "s", script);
    gr_resview_free(v);
    return rc;
}
