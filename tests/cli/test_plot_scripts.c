/* tests/cli/test_plot_scripts.c — every committed figure script plots/NAME.gp of a declared
 * experiment (experiments/NAME.cfg) runs through `ganrepro plot` on that experiment's ci
 * results without one gnuplot warning or error and leaves a PNG and a PDF (issue 15 item 1),
 * and does the same on a results file where a run failed: the experiment's ci runs with
 * its first run replaced by a failed per-run file (gr_results_write_failed_run_file, what
 * the runner writes when a worker dies) merged by `ganrepro merge`; the figure must then
 * carry the failure (meta.gp's failed_note, which every script prints on the figure). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "harness/plan.h"
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
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("GR_TEST_KEEP")) /* to look at the figures */
        fprintf(stderr, "kept %s\n", dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_MAIN_END();
}
