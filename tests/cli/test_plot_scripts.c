/* tests/cli/test_plot_scripts.c — every committed figure script plots/NAME.gp of a declared
 * experiment (experiments/NAME.cfg) runs through `ganrepro plot` on that experiment's ci
 * results without one gnuplot warning or error and leaves a PNG and a PDF (issue 15 item 1),
 * and does the same on a results file where a run failed: the experiment's ci runs with
 * its first run replaced by a failed per-run file (gr_results_write_failed_run_file, what
 * the runner writes when a worker dies) merged by `ganrepro merge`; the figure must then
 * carry the failure (meta.gp's failed_note, which every script prints on the figure).
 * Figures of several experiments (a script with a "# figure inputs:" line, drawn by `ganrepro
 * plot --figure NAME`) run on those experiments' ci results given together with another
 * experiment's file (skipped), with the first input's failed copy in its place (the
 * failure reaches the figure's data), and with the last input left out (drawn as missing,
 * still exit 0); a script without the line and no file of any input are exit 2. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "harness/plan.h"
#include "harness/plot.h"
#include "harness/results.h"
#include "harness/run_from_plan.h"
#include "test.h"

static const char *cli;
static char dir[256];
static char out[65536], errb[65536];

static int image_ok(const char *path, const char *magic) {
    size_t len = 0;
    unsigned char *b = gr_test_read_file(path, &len);
    int ok = b && len > 1000 && !memcmp(b, magic, strlen(magic));
    free(b);
    return ok;
}

/* gnuplot's messages reach ganrepro plot's stderr: none may be a warning or an error */
static int quiet(const char *e) {
    const char *bad[] = {"warning", "error", "undefined", "cannot", "can't", "skipping"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        for (const char *p = e; *p; p++)
            if (!strncasecmp(p, bad[k], strlen(bad[k]))) return 0;
    return 1;
}

static void plot_and_check(const char *src, const char *name, const char *res, const char *figs,
                           int want_failed) {
    char cmd[2048], path[1024];
    snprintf(cmd, sizeof cmd, "'%s' plot '%s' --plots '%s/plots' --out '%s/%s'", cli, res, src, dir,
             figs);
    int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    /* the one line ganrepro plot prints about itself is not gnuplot's */
    char *own = strstr(errb, "ganrepro plot: ");
    if (own && rc == 0) *own = '\0';
    if (rc != 0 || !quiet(errb))
        fprintf(stderr, "  %s (%s): plot exit %d, stderr:\n%s\n", name, figs, rc, errb);
    CHECK(rc == 0);
    CHECK(quiet(errb));
    snprintf(path, sizeof path, "%s/%s/%s.png", dir, figs, name);
    CHECK(image_ok(path, "\211PNG"));
    snprintf(path, sizeof path, "%s/%s/%s.pdf", dir, figs, name);
    CHECK(image_ok(path, "%PDF"));
    if (!want_failed && !strcmp(name, "fixed_critic_1d")) {
        /* the exporter's dataset files: the 241-point surface of the cfg's probes.grid, one
         * value a line, and the axes as one row of 241 values; summary.dat's header */
        size_t len = 0, lines = 0, fields = 1;
        snprintf(path, sizeof path, "%s/%s/%s/run_1.probes.surface.dat", dir, figs, name);
        unsigned char *b = gr_test_read_file(path, &len);
        for (size_t i = 0; b && i < len; i++)
            lines += b[i] == '\n';
        free(b);
        CHECK(lines == 241);
        snprintf(path, sizeof path, "%s/%s/%s/run_1.probes.surface_axes.dat", dir, figs, name);
        b = gr_test_read_file(path, &len);
        for (size_t i = 0; b && i < len; i++)
            fields += b[i] == ' ';
        CHECK(b && len > 0 && b[len - 1] == '\n' && fields == 241);
        free(b);
        snprintf(path, sizeof path, "%s/%s/%s/summary.dat", dir, figs, name);
        b = gr_test_read_file(path, &len);
        CHECK(b && len > 20 && !memcmp(b, "run group seed ok param.method ", 31));
        free(b);
    }
    if (want_failed) {
        snprintf(path, sizeof path, "%s/%s/%s/meta.gp", dir, figs, name);
        size_t len = 0;
        char *meta = (char *)gr_test_read_file(path, &len);
        char *z = meta ? realloc(meta, len + 1) : NULL;
        CHECK(z != NULL);
        if (z) {
            z[len] = '\0';
            CHECK_STR_CONTAINS(z, "n_failed = 1\n");
            CHECK_STR_CONTAINS(z, "failed: crafted failure for the figure test");
        } else {
            free(meta);
        }
        free(z);
    }
}

/* The ci results of NAME with its first run failed: a failed per-run file first, then the
 * run's other per-run files (merge takes a run id from the first input that holds it). */
static int make_failed(const char *src, const char *name, char *res, size_t size) {
    char cfg[1024], path[1024], cmd[8192];
    snprintf(cfg, sizeof cfg, "%s/experiments/%s.cfg", src, name);
    gr_plan_options po = gr_plan_options_default();
    po.profile = "ci";
    gr_plan *plan = NULL;
    gr_exp_bundle *b = NULL;
    gr_error err;
    gr_error_clear(&err);
    int st = gr_plan_load(&plan, cfg, &po, &err);
    if (st == GR_OK) st = gr_exp_desc_from_plan(&b, plan, &err);
    const gr_exp_desc *exp = st == GR_OK ? gr_exp_bundle_desc(b) : NULL;
    if (st == GR_OK && exp->n_runs == 0) st = GR_EINVAL;
    snprintf(path, sizeof path, "%s/failed_%s.h5", dir, name);
    gr_results_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.jobs = 1;
    snprintf(ctx.start_time, sizeof ctx.start_time, "2026-01-01T00:00:00Z");
    if (st == GR_OK)
        st = gr_results_write_failed_run_file(path, exp, &exp->runs[0], &ctx,
                                              "crafted failure for the figure test", 0.0, &err);
    if (st != GR_OK) fprintf(stderr, "  %s: crafting a failed run: %s\n", name, err.msg);
    int w = snprintf(cmd, sizeof cmd, "'%s' merge '%s/%s_failed.h5' '%s'", cli, dir, name, path);
    for (size_t i = 1; st == GR_OK && i < exp->n_runs && w > 0 && (size_t)w < sizeof cmd; i++)
        w += snprintf(cmd + w, sizeof cmd - (size_t)w, " '%s/res/%s.d/%s.h5'", dir, name,
                      exp->runs[i].id);
    gr_exp_bundle_free(b);
    gr_plan_free(plan);
    CHECK(st == GR_OK);
    if (st != GR_OK || w <= 0 || (size_t)w >= sizeof cmd) return 0;
    int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    if (rc != 1)
        fprintf(stderr, "  %s: merge exit %d (want 1: a run failed): %s\n", name, rc, errb);
    CHECK(rc == 1);
    snprintf(res, size, "%s/%s_failed.h5", dir, name);
    return rc == 1;
}

/* errb without ganrepro plot's own lines (each starts "ganrepro plot: "), in place */
static void drop_own_lines(char *e) {
    char *w = e;
    for (char *p = e; *p;) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, "ganrepro plot: ", 15)) {
            memmove(w, p, l);
            w += l;
        }
        p += l;
    }
    *w = '\0';
}

static char *read_text(const char *path) {
    size_t len = 0;
    char *b = (char *)gr_test_read_file(path, &len);
    char *z = b ? realloc(b, len + 1) : NULL;
    if (!z) {
        free(b);
        return NULL;
    }
    z[len] = '\0';
    return z;
}

/* `ganrepro plot --figure NAME FILES` into DIR/FIGS: exit rc, and for rc 0 a quiet gnuplot,
 * a PNG and a PDF. */
static void figure_and_check(const char *src, const char *name, const char *files, const char *figs,
                             int want_rc) {
    char cmd[8192], path[1024];
    snprintf(cmd, sizeof cmd, "'%s' plot --figure %s %s --plots '%s/plots' --out '%s/%s'", cli,
             name, files, src, dir, figs);
    int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    if (rc != want_rc)
        fprintf(stderr, "  %s (%s): exit %d, want %d:\n%s\n", name, figs, rc, want_rc, errb);
    CHECK(rc == want_rc);
    if (want_rc != 0) {
        CHECK_STR_CONTAINS(errb, "ganrepro plot: ");
        return;
    }
    drop_own_lines(errb);
    if (!quiet(errb)) fprintf(stderr, "  %s (%s): gnuplot said:\n%s\n", name, figs, errb);
    CHECK(quiet(errb));
    snprintf(path, sizeof path, "%s/%s/%s.png", dir, figs, name);
    CHECK(image_ok(path, "\211PNG"));
    snprintf(path, sizeof path, "%s/%s/%s.pdf", dir, figs, name);
    CHECK(image_ok(path, "%PDF"));
}

/* Every cross-experiment figure of plots/ (after main's loop made res/NAME.h5 and
 * NAME_failed.h5 for every declared experiment). */
static size_t check_figures(const char *src) {
    char path[1024];
    snprintf(path, sizeof path, "%s/plots", src);
    DIR *d = opendir(path);
    CHECK(d != NULL);
    size_t n_fig = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".gp")) continue;
        char name[256], script[1024];
        snprintf(name, sizeof name, "%.*s", (int)(l - 3), e->d_name);
        snprintf(script, sizeof script, "%s/plots/%s", src, e->d_name);
        gr_plot_input_name in[GR_PLOT_MAX_INPUTS];
        size_t ni = 0;
        gr_error err;
        gr_error_clear(&err);
        if (gr_plot_figure_inputs(script, in, &ni, &err) != GR_OK) {
            /* only "not a figure of several experiments" is expected here */
            if (!strstr(err.msg, "has no '# figure inputs:")) fprintf(stderr, "  %s\n", err.msg);
            CHECK(strstr(err.msg, "has no '# figure inputs:") != NULL);
            continue;
        }
        n_fig++;
        fprintf(stderr, "plot_scripts: --figure %s (%zu inputs)\n", name, ni);
        char all[6000] = "", failed[6000] = "", part[6000] = "", file[1024];
        size_t wa = 0, wf = 0, wp = 0;
        for (size_t k = 0; k < ni; k++) {
            snprintf(file, sizeof file, "'%s/res/%s.h5' ", dir, in[k]);
            wa += (size_t)snprintf(all + wa, sizeof all - wa, "%s", file);
            if (k + 1 < ni || ni == 1)
                wp += (size_t)snprintf(part + wp, sizeof part - wp, "%s", file);
            if (k == 0)
                wf += (size_t)snprintf(failed + wf, sizeof failed - wf, "'%s/%s_failed.h5' ", dir,
                                       in[k]);
            else
                wf += (size_t)snprintf(failed + wf, sizeof failed - wf, "%s", file);
        }
        CHECK(wa < sizeof all && wf < sizeof failed && wp < sizeof part);
        /* all inputs, and a file of another experiment that the figure does not use */
        char with_other[6400];
        snprintf(with_other, sizeof with_other, "%s'%s/res/parallel_lines.h5'", all, dir);
        figure_and_check(src, name, with_other, "xfigs", 0);
        snprintf(path, sizeof path, "%s/xfigs/%s/inputs.gp", dir, name);
        char *z = read_text(path);
        CHECK(z != NULL);
        if (z) {
            char want[256];
            snprintf(want, sizeof want, "n_inputs = %zu\n", ni);
            CHECK_STR_CONTAINS(z, want);
            CHECK_STR_CONTAINS(z, "inputs_note = \"\"\n");
            CHECK(strstr(z, "input_found[1] = 1;") != NULL);
            CHECK(strstr(z, "= 0;") == NULL);
        }
        free(z);
        snprintf(path, sizeof path, "%s/xfigs/%s/parallel_lines", dir, name);
        struct stat sb;
        CHECK(stat(path, &sb) != 0); /* the other experiment was not exported */
        /* the first input with a failed run: its failure is in the data the figure prints */
        figure_and_check(src, name, failed, "xfigs_failed", 0);
        snprintf(path, sizeof path, "%s/xfigs_failed/%s/%s/meta.gp", dir, name, in[0]);
        z = read_text(path);
        CHECK(z != NULL);
        if (z) {
            CHECK_STR_CONTAINS(z, "n_failed = 1\n");
            CHECK_STR_CONTAINS(z, "failed: crafted failure for the figure test");
        }
        free(z);
        /* the last input left out: drawn as missing (named in inputs_note), exit 0 */
        if (ni > 1) {
            figure_and_check(src, name, part, "xfigs_missing", 0);
            snprintf(path, sizeof path, "%s/xfigs_missing/%s/inputs.gp", dir, name);
            z = read_text(path);
            CHECK(z != NULL);
            if (z) {
                char want[256];
                snprintf(want, sizeof want, "input_found[%zu] = 0;", ni);
                CHECK_STR_CONTAINS(z, want);
                snprintf(want, sizeof want, "\"%s\" . \": no results file given\\n\"", in[ni - 1]);
                CHECK_STR_CONTAINS(z, want);
            }
            free(z);
        }
        /* no file of any input; two files of one input: exit 2, nothing drawn */
        snprintf(with_other, sizeof with_other, "'%s/res/parallel_lines.h5'", dir);
        figure_and_check(src, name, with_other, "xfigs_none", 2);
        snprintf(path, sizeof path, "%s/xfigs_none/%s.png", dir, name);
        CHECK(stat(path, &sb) != 0);
        snprintf(with_other, sizeof with_other, "'%s/res/%s.h5' '%s/%s_failed.h5'", dir, in[0], dir,
                 in[0]);
        figure_and_check(src, name, with_other, "xfigs_twice", 2);
    }
    if (d) closedir(d);
    /* the five-method tables of the same ci results state the sizes they ran at
     * (experiments/toy_train.cfg's ci profile: 16-wide nets, 300 iterations, one seed) and
     * name the metric no run has a value of (the residual, of embedded data only) instead
     * of a row of nan */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' table '%s/res/toy_train.h5' --format md --stdout", cli, dir);
    CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "profile ci, commit ");
    CHECK_STR_CONTAINS(out, " Sizes as run: G 2 × 16 relu, D 2 × 16 relu, 300 generator "
                            "iterations, 1 seed. Not shown, no run recorded a value: "
                            "`final_resid_mean`.\n");
    CHECK(strstr(out, "| `final_resid_mean`") == NULL);
    snprintf(cmd, sizeof cmd, "'%s' table '%s/res/toy_train.h5' --format latex --stdout", cli, dir);
    CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "Sizes as run: G 2 $\\times$ 16 relu, D 2 $\\times$ 16 relu, 300 "
                            "generator iterations, 1 seed. Not shown, no run recorded a value: "
                            "\\texttt{final\\_resid\\_mean}.}");
    /* a per-experiment script is not a figure of several experiments */
    char one[1200];
    snprintf(one, sizeof one, "'%s/res/parallel_lines.h5'", dir);
    figure_and_check(src, "parallel_lines", one, "xfigs_not", 2);
    CHECK_STR_CONTAINS(errb, "not a figure of several experiments");
    return n_fig;
}

int main(void) {
    cli = gr_test_cli();
    const char *src = getenv("GR_SOURCE_DIR");
    if (!cli || !src) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_plotscripts_") != 0) return 1;
    char path[1024], cmd[2048], res[1024];
    snprintf(path, sizeof path, "%s/plots", src);
    DIR *d = opendir(path);
    CHECK(d != NULL);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".gp")) continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(l - 3), e->d_name);
        struct stat sb;
        snprintf(path, sizeof path, "%s/experiments/%s.cfg", src, name);
        if (stat(path, &sb) != 0) continue; /* style.gp, generic.gp, the shared pieces */
        n++;
        fprintf(stderr, "plot_scripts: %s\n", name);
        snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run '%s' --profile ci --jobs 1 --out '%s/res'",
                 src, cli, path, dir);
        int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
        if (rc != 0 && rc != 1) fprintf(stderr, "  %s: run exit %d: %s\n", name, rc, errb);
        CHECK(rc == 0 || rc == 1);
        if (rc != 0 && rc != 1) continue;
        snprintf(res, sizeof res, "%s/res/%s.h5", dir, name);
        plot_and_check(src, name, res, "figs", 0);
        if (make_failed(src, name, res, sizeof res))
            plot_and_check(src, name, res, "figs_failed", 1);
    }
    if (d) closedir(d);
    CHECK(n >= 16); /* every declared experiment of this wave has its own script */
    /* the five-method toy comparison: toy_compare_samples and toy_compare_modes at least */
    CHECK(check_figures(src) >= 2);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("GR_TEST_KEEP")) /* to look at the figures */
        fprintf(stderr, "kept %s\n", dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_MAIN_END();
}
