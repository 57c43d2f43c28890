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
 * `ganrepro plot --figure NAME RESULTS.h5...` draws a figure of several experiments: the
 * script PLOTS/NAME.gp names its inputs on a line "# figure inputs: EXP..." (harness/plot.h);
 * each given results file of one of those experiments is exported into OUT/NAME/EXP/ (files
 * of other experiments are skipped, so `make experiments` can pass all of them), OUT/NAME/
 * inputs.gp says which inputs were found, and the script runs once per format with datadir
 * OUT/NAME, writing OUT/NAME.png, .pdf or .svg. An input without a results file is drawn
 * as missing on the figure (inputs_note) and named on stderr; still exit 0.
 *
 * Exit 0 every image written; 1 gnuplot failed (its messages are on stderr); 2 usage
 * error, a missing or unreadable results file, a missing script or gnuplot not installed
 * (--figure: also a script without its inputs line, two files of the same experiment, or
 * no file of any input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/results_args.h"
#include "harness/plot.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: ganrepro plot RESULTS.h5 [--format png|pdf|svg]... [--script FILE]\n"
            "                     [--plots DIR] [--out DIR]\n"
            "       ganrepro plot --figure NAME RESULTS.h5... [--format ...]... [--plots DIR]\n"
            "                     [--out DIR]\n"
            "\n"
            "Export the data of the experiment's figure from RESULTS.h5 as text files into\n"
            "OUT/NAME/ (meta.gp, run_K.dat, group_G.dat: harness/plot.h) and run the gnuplot\n"
            "script PLOTS/NAME.gp (or --script FILE; without either, PLOTS/generic.gp: every\n"
            "series against the step) once per format, writing OUT/NAME.png,\n"
            ".pdf or .svg (PLOTS default plots, OUT default plots/out; default png and pdf).\n"
            "The script receives datadir, outfile, fmt and plotsdir as gnuplot variables.\n"
            "--figure NAME: a figure of several experiments, PLOTS/NAME.gp, whose line\n"
            "'# figure inputs: EXP...' names them; each given file of one of them is\n"
            "exported into OUT/NAME/EXP/ (others are skipped), the image is OUT/NAME.FMT and\n"
            "an input without a file is shown as missing on the figure.\n"
            "\n"
            "exit status: 0 written; 1 gnuplot failed; 2 usage error, missing or unreadable\n"
            "input, missing script or gnuplot.\n");
}

static const char *const FMT[3] = {"png", "pdf", "svg"};

/* Draw one image per wanted format: OUT/NAME.FMT from the folder datadir. */
static int draw_all(const char *script, const char *datadir, const char *out, const char *name,
                    const char *plots, const int want[3]) {
    gr_error err;
    gr_error_clear(&err);
    for (int k = 0; k < 3; k++) {
        if (!want[k]) continue;
        char img[4300];
        snprintf(img, sizeof img, "%s/%s.%s", out, name, FMT[k]);
        int st = gr_plot_draw(script, datadir, img, FMT[k], plots, &err);
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro plot: %s\n", err.msg);
            return st == GR_ELIB ? GR_EXIT_FAIL : GR_EXIT_USAGE;
        }
        printf("%s\n", img);
    }
    return GR_EXIT_OK;
}

/* --figure NAME FILE...: the figure of several experiments (the header comment). */
static int plot_figure(const char *figure, const char *const *files, size_t nf, const char *script,
                       const char *plots, const char *out, const int want[3]) {
    gr_error err;
    gr_error_clear(&err);
    char script_buf[4200], datadir[4200], sub[4400];
    if (!script) {
        snprintf(script_buf, sizeof script_buf, "%s/%s.gp", plots, figure);
        script = script_buf;
    }
    for (const char *p = figure; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            fprintf(stderr, "ganrepro plot: --figure '%s': a name of [a-z0-9_] expected\n", figure);
            return GR_EXIT_USAGE;
        }
    gr_plot_input_name names[GR_PLOT_MAX_INPUTS];
    size_t n = 0;
    if (gr_plot_figure_inputs(script, names, &n, &err) != GR_OK) {
        fprintf(stderr, "ganrepro plot: --figure %s: %s\n", figure, err.msg);
        return GR_EXIT_USAGE;
    }
    snprintf(datadir, sizeof datadir, "%s/%s", out, figure);
    if (strchr(datadir, '\'') || strchr(plots, '\'')) {
        fprintf(stderr, "ganrepro plot: a folder name holds a quote ('): %s\n", datadir);
        return GR_EXIT_USAGE;
    }
    int found[GR_PLOT_MAX_INPUTS] = {0};
    size_t used = 0;
    if (gr_report_mkdir_p(datadir, &err) != GR_OK) {
        fprintf(stderr, "ganrepro plot: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    /* one file at a time: `make experiments` passes every results file */
    for (size_t i = 0; i < nf; i++) {
        gr_resview *v = NULL;
        int st = gr_cli_results_open(&v, files[i], &err);
        if (st != GR_OK) {
            fprintf(stderr, "ganrepro plot: %s\n", err.msg);
            return GR_EXIT_USAGE;
        }
        size_t k = 0;
        while (k < n && strcmp(names[k], v->experiment))
            k++;
        if (k < n && found[k]) {
            fprintf(stderr, "ganrepro plot: --figure %s: two results files of experiment %s (%s)\n",
                    figure, v->experiment, files[i]);
            gr_resview_free(v);
            return GR_EXIT_USAGE;
        }
        if (k < n) {
            snprintf(sub, sizeof sub, "%s/%s", datadir, names[k]);
            st = gr_plot_export(v, sub, &err);
            if (st != GR_OK) {
                fprintf(stderr, "ganrepro plot: exporting %s: %s\n", files[i], err.msg);
                gr_resview_free(v);
                return GR_EXIT_USAGE;
            }
            found[k] = 1;
            used++;
        }
        gr_resview_free(v);
    }
    if (used == 0) {
        fprintf(stderr, "ganrepro plot: --figure %s: no results file of its inputs (", figure);
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s%s", k ? " " : "", names[k]);
        fprintf(stderr, ") among the %zu given\n", nf);
        return GR_EXIT_USAGE;
    }
    for (size_t k = 0; k < n; k++)
        if (!found[k])
            fprintf(stderr, "ganrepro plot: --figure %s: no results file of %s: drawn as missing\n",
                    figure, names[k]);
    if (gr_plot_write_inputs(datadir, names, n, found, &err) != GR_OK) {
        fprintf(stderr, "ganrepro plot: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    int rc = draw_all(script, datadir, out, figure, plots, want);
    if (rc == GR_EXIT_OK)
        fprintf(stderr, "ganrepro plot: %s: data in %s/, %zu of %zu inputs (%s)\n", figure, datadir,
                used, n, script);
    return rc;
}

int gr_cmd_plot(int argc, char **argv) {
    const char *plots = "plots", *out = "plots/out", *script = NULL, *file = NULL;
    const char *figure = NULL;
    int want[3] = {0, 0, 0}, any = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) return GR_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            int k = 0;
            while (k < 3 && strcmp(f, FMT[k]))
                k++;
            if (k == 3) {
                fprintf(stderr, "ganrepro plot: unknown format '%s': expected png, pdf or svg\n",
                        f);
                free(files);
                return GR_EXIT_USAGE;
            }
            want[k] = any = 1;
        } else if (!strcmp(a, "--figure") && i + 1 < argc) {
            figure = argv[++i];
        } else if (!strcmp(a, "--script") && i + 1 < argc) {
            script = argv[++i];
        } else if (!strcmp(a, "--plots") && i + 1 < argc) {
            plots = argv[++i];
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            out = argv[++i];
        } else {
            int code = gr_cli_results_arg("plot", a, usage, files, &nf);
            if (code >= 0) {
                free(files);
                return code;
            }
        }
    }
    if (!any) want[0] = want[1] = 1;
    if (figure || nf != 1) {
        int rc = GR_EXIT_USAGE;
        if (nf == 0)
            usage(stderr);
        else if (!figure)
            fprintf(stderr,
                    "ganrepro plot: one results file at a time (got %s and %s; several "
                    "experiments: --figure NAME)\n",
                    files[0], files[1]);
        else
            rc = plot_figure(figure, files, nf, script, plots, out, want);
        free(files);
        return rc;
    }
    file = files[0];
    free(files);
    gr_error err;
    gr_error_clear(&err);
    gr_resview *v = NULL;
    int st = gr_cli_results_open(&v, file, &err);
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
    int rc = draw_all(script, datadir, out, v->experiment, plots, want);
    if (rc == GR_EXIT_OK)
        fprintf(stderr, "ganrepro plot: %s: data in %s/, %zu run%s (%s)\n", v->experiment, datadir,
                v->n_runs, v->n_runs == 1 ? "" : "s", script);
    gr_resview_free(v);
    return rc;
}
