#define _GNU_SOURCE /* nftw in fixture_results.h */
/* tests/harness/test_results_runner.c — the runner and the results file end to end, in
 * process: the distance_curve protocol's values against the closed forms of CLAIMS C19,
 * run twice (identical numeric datasets, everything skipped the second time), a forced
 * failure / divergence / worker crash recorded while the others complete, kill -9 of the
 * whole runner mid-run then a rerun that completes, shards merged == an unsharded run,
 * merge refusals, and the strict reader's refusals. */
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture_results.h"
#include "harness/results.h"
#include "harness/runner.h"
#include "io/h5io.h"
#include "test.h"

static char g_tmp[512];

static void path_in(char *buf, size_t size, const char *rel) {
    snprintf(buf, size, "%s/%s", g_tmp, rel);
}

static gr_runner_options quiet_opts(const char *out, size_t jobs) {
    gr_runner_options o = gr_runner_options_default();
    o.out_dir = out;
    o.jobs = jobs;
    return o;
}

/* The numbers a user reads from results/lines.h5 are the closed forms of C19. */
static void test_distance_curve_values(void) {
    fx_exp f;
    fx_lines(&f, "lines", "sha256:aaaa");
    char out[600], file[700];
    path_in(out, sizeof out, "values");
    gr_runner_options o = quiet_opts(out, 2);
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.selected == 4 && rep.ok == 4 && rep.failed == 0 && rep.skipped == 0);
    snprintf(file, sizeof file, "%s/lines.h5", out);
    CHECK(!strcmp(rep.results_path, file));
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, file, "lines", &err), &err);
    if (!r) return;
    CHECK(gr_results_run_count(r) == 4);
    char *s = NULL;
    CHECK_OK(gr_results_attr_str(r, "declaration_sha256", &s, &err), &err);
    CHECK(s && !strcmp(s, "sha256:aaaa"));
    free(s);
    CHECK_OK(gr_results_attr_str(r, "claims", &s, &err), &err);
    CHECK(s && !strcmp(s, "C19,C20"));
    free(s);
    for (size_t i = 0; i < 4; i++) {
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, i, &info, &err), &err);
        CHECK(info.index == (int64_t)i && info.status == GR_RUN_OK && info.step_reached == 10);
        CHECK(!strcmp(info.id, f.ids[i]));
        double *theta = NULL, *w1 = NULL, *js = NULL, *kl = NULL, *klf = NULL, *lp = NULL,
               *step = NULL;
        size_t n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
        CHECK_OK(gr_results_series_read(r, i, "theta", &theta, &n1, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "w1_exact", &w1, &n2, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "js_exact", &js, &n3, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "kl_exact", &kl, &n4, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "kl_exact_inf", &klf, &n5, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "w1_lp", &lp, &n6, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "step", &step, &n7, &err), &err);
        CHECK(n1 == 11 && n2 == 11 && n3 == 11 && n4 == 11 && n5 == 11 && n6 == 11 && n7 == 11);
        for (size_t k = 0; theta && w1 && js && kl && klf && lp && step && k < 11; k++) {
            double t = -1.0 + 2.0 * (double)k / 10.0;
            CHECK(step[k] == (double)k);
            CHECK_CLOSE(theta[k], t, 0, 1e-15);
            CHECK_CLOSE(w1[k], fabs(t), 0, 1e-15);
            int zero = k == 5;
            CHECK_CLOSE(js[k], zero ? 0.0 : log(2.0), 0, 1e-15);
            CHECK(zero ? kl[k] == 0.0 && klf[k] == 0.0
                       : isinf(kl[k]) && kl[k] > 0 && klf[k] == 1.0);
            if (i < 2) /* shared grid: exact sample W1 = |theta| (C19: to 1e-12) */
                CHECK_CLOSE(lp[k], fabs(t), 0, 1e-12);
            else /* every coupling moves each point by |theta| sideways: W1 >= |theta| */
                CHECK(lp[k] >= fabs(t) - 1e-12 && lp[k] <= fabs(t) + 0.5);
        }
        free(theta);
        free(w1);
        free(js);
        free(kl);
        free(klf);
        free(lp);
        free(step);
    }
    double col[4];
    CHECK_OK(gr_results_summary_read(r, "w1_lp_max_abs_err", col, &err), &err);
    CHECK(col[0] <= 1e-12 && col[1] <= 1e-12 && col[2] > 1e-6 && col[3] > 1e-6);
    CHECK_OK(gr_results_summary_read(r, "js_exact_jump_at_0", col, &err), &err);
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(col[i], log(2.0), 0, 1e-15);
    CHECK_OK(gr_results_summary_read(r, "w1_exact_lipschitz_max", col, &err), &err);
    for (int i = 0; i < 4; i++)
        CHECK(col[i] <= 1.0 + 1e-12 && col[i] >= 1.0 - 1e-12);
    CHECK_STATUS(gr_results_summary_read(r, "seed", col, &err), GR_EFORMAT); /* uint64 */
    gr_results_close(r);
}

/* run twice: the second skips every run and the numeric datasets are identical; a fresh
 * folder recomputes every run and gives the same datasets too (determinism). */
static void test_run_twice_identical(void) {
    fx_exp f;
    fx_lines(&f, "lines", "sha256:aaaa");
    char a[600], b[600], fa[700], fa1[700], fb[700];
    path_in(a, sizeof a, "twice_a");
    path_in(b, sizeof b, "twice_b");
    gr_runner_report rep;
    gr_error err;
    gr_runner_options o = quiet_opts(a, 2);
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.ok == 4 && rep.skipped == 0);
    snprintf(fa, sizeof fa, "%s/lines.h5", a);
    snprintf(fa1, sizeof fa1, "%s/first.h5", a);
    CHECK(fx_copy_file(fa, fa1));
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.selected == 4 && rep.skipped == 4 && rep.ok == 4 && rep.jobs == 0);
    size_t nd = 0;
    CHECK(fx_same_datasets(fa, fa1, &nd));
    CHECK(nd > 40); /* declaration, 4 x (settings + 11 series + 2 samples), summary columns */
    gr_runner_options ob = quiet_opts(b, 1);
    CHECK_OK(gr_runner_execute(&f.exp, &ob, &rep, &err), &err);
    CHECK(rep.ok == 4 && rep.skipped == 0);
    snprintf(fb, sizeof fb, "%s/lines.h5", b);
    CHECK(fx_same_datasets(fa, fb, NULL));
}

/* ---- test protocols ---- */

static int proto_flaky(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t x;
    GR_TRY(gr_rundesc_get_size(run, "x", &x, err));
    const char *names[1] = {"value"};
    GR_TRY(gr_results_run_series_define(w, names, 1, err));
    for (int64_t s = 0; s < 3; s++) {
        double v = (double)x * (double)s;
        GR_TRY(gr_results_run_series_row(w, s, &v, err));
        if (x == 3 && s == 2) return GR_ERROR(err, GR_EDIVERGED, "loss is NaN at step 2");
    }
    if (x == 2) return GR_ERROR(err, GR_EDOM, "x = 2 is refused by the test protocol");
    if (x == 4) raise(SIGKILL); /* the worker dies without finishing its file */
    if (x == 5) {
        /* a protocol that leaves an object open: the file is still closed and complete */
        hid_t g = gr_h5_group_create(gr_results_run_group(w), "extra", err);
        if (g < 0) return GR_EIO;
        GR_TRY(gr_h5_attr_write_i32(g, "left_open", 1, err));
    }
    return gr_results_run_metric(w, "final", (double)x, err);
}

static int proto_slow(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t x;
    GR_TRY(gr_rundesc_get_size(run, "x", &x, err));
    const char *names[1] = {"value"};
    GR_TRY(gr_results_run_series_define(w, names, 1, err));
    for (int64_t s = 0; s < 10; s++) {
        struct timespec ts = {0, 30 * 1000 * 1000};
        nanosleep(&ts, NULL);
        double v = (double)x + (double)s;
        GR_TRY(gr_results_run_series_row(w, s, &v, err));
    }
    return gr_results_run_metric(w, "final", (double)x, err);
}

/* The --resume hook: the first attempt leaves a checkpoint and fails (an interruption);
 * a resumed attempt sees it and ends ok. */
static int proto_ckpt(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    (void)run;
    const char *ck = gr_results_run_checkpoint_path(w);
    if (!ck) return GR_ERROR(err, GR_EINTERNAL, "no checkpoint path");
    int resumed = gr_results_run_resume(w);
    GR_TRY(gr_results_run_metric(w, "resumed", (double)resumed, err));
    if (!resumed) {
        FILE *f = fopen(ck, "w");
        if (!f) return GR_ERROR(err, GR_EIO, "cannot write %s", ck);
        fputs("state\n", f);
        fclose(f);
        return GR_ERROR(err, GR_EIO, "interrupted after its checkpoint");
    }
    return GR_OK;
}

/* 600 rows (two full 256-row buffers and a partial one), then fails for x = 2. */
static int proto_long(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t x;
    GR_TRY(gr_rundesc_get_size(run, "x", &x, err));
    const char *names[2] = {"a", "b"};
    GR_TRY(gr_results_run_series_define(w, names, 2, err));
    for (int64_t s = 0; s < 600; s++) {
        double v[2] = {(double)s * 0.5, (double)x - (double)s};
        GR_TRY(gr_results_run_series_row(w, 3 * s, v, err));
    }
    if (x == 2) return GR_ERROR(err, GR_EDOM, "failed after 600 rows");
    return GR_OK;
}

static const gr_protocol TEST_PROTOCOLS[] = {
    {"long", "600 rows", proto_long},
    {"ckpt", "checkpoints, then needs --resume", proto_ckpt},
    {"flaky", "fails, diverges or dies for some x", proto_flaky},
    {"slow", "0.3 s per run", proto_slow},
    {NULL, NULL, NULL},
};

static void test_failures_recorded(void) {
    fx_exp f;
    fx_xs(&f, "flaky", "flaky", 5);
    char out[600], file[700];
    path_in(out, sizeof out, "flaky");
    gr_runner_options o = quiet_opts(out, 2);
    o.protocols = TEST_PROTOCOLS;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.selected == 5 && rep.ok == 2 && rep.diverged == 1 && rep.failed == 2);
    snprintf(file, sizeof file, "%s/flaky.h5", out);
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, file, "flaky", &err), &err);
    if (!r) return;
    CHECK(gr_results_run_count(r) == 5);
    static const int want[5] = {GR_RUN_OK, GR_RUN_FAILED, GR_RUN_DIVERGED, GR_RUN_FAILED,
                                GR_RUN_OK};
    for (size_t i = 0; i < 5; i++) {
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, i, &info, &err), &err);
        CHECK(info.status == want[i]);
        if (i == 1) CHECK_STR_CONTAINS(info.reason, "x = 2 is refused by the test protocol");
        if (i == 2) {
            CHECK_STR_CONTAINS(info.reason, "loss is NaN at step 2");
            CHECK(info.step_reached == 2);
            double *v = NULL;
            size_t n = 0;
            CHECK_OK(gr_results_series_read(r, i, "value", &v, &n, &err), &err);
            CHECK(n == 3 && v && v[2] == 6.0); /* the trajectory up to the divergence is kept */
            free(v);
        }
        if (i == 3) {
            CHECK_STR_CONTAINS(info.reason, "signal 9");
            CHECK(info.step_reached == -1);
        }
        if (want[i] == GR_RUN_OK) CHECK(info.reason[0] == '\0');
        if (i == 4) {
            hid_t g = H5Gopen2(gr_results_file(r), "/runs/x5/extra", H5P_DEFAULT);
            int32_t v = 0;
            CHECK(g >= 0 && gr_h5_attr_read_i32(g, "left_open", &v, NULL) == GR_OK && v == 1);
            if (g >= 0) H5Gclose(g);
        }
    }
    double col[5];
    CHECK_OK(gr_results_summary_read(r, "final", col, &err), &err);
    CHECK(col[0] == 1.0 && isnan(col[1]) && isnan(col[2]) && isnan(col[3]) && col[4] == 5.0);
    CHECK_OK(gr_results_summary_read(r, "param.x", col, &err), &err); /* numbers: float64 */
    CHECK(col[0] == 1.0 && col[4] == 5.0);
    CHECK_STATUS(gr_results_summary_read(r, "x", col, &err), GR_EFORMAT);
    gr_results_close(r);
    /* again: ok and diverged runs are kept, failed ones run again (and fail again) */
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.skipped == 3 && rep.failed == 2 && rep.ok == 2 && rep.diverged == 1);
}

/* 1 when the writer (the pid ending the name) of every "*.tmp.<host>.<pid>" in dir has
 * exited (absent or a zombie). */
static int temporaries_orphaned(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 1;
    int all = 1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".tmp.")) continue;
        const char *dot = strrchr(e->d_name, '.');
        char path[96], buf[256];
        snprintf(path, sizeof path, "/proc/%s/stat", dot + 1);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        const char *c = strrchr(buf, ')');
        if (!(c && c[1] == ' ' && c[2] == 'Z')) all = 0;
    }
    closedir(d);
    return all;
}

/* kill -9 of the runner and all its workers while runs are in flight; running again
 * completes the experiment with a valid file and leaves no temporaries. */
static void test_kill9_then_rerun(void) {
    fx_exp f;
    fx_xs(&f, "slow", "slow", 8);
    char out[600], dir[700], file[700];
    path_in(out, sizeof out, "kill");
    snprintf(dir, sizeof dir, "%s/slow.d", out);
    snprintf(file, sizeof file, "%s/slow.h5", out);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        gr_runner_options o = quiet_opts(out, 2);
        o.protocols = TEST_PROTOCOLS;
        gr_runner_report rep;
        gr_runner_execute(&f.exp, &o, &rep, NULL);
        _exit(0);
    }
    CHECK(pid > 0);
    if (pid <= 0) return;
    setpgid(pid, pid);
    /* wait for the first complete per-run file (0.3 s per run, 2 at a time) */
    int seen = 0;
    for (int t = 0; t < 2000 && !seen; t++) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
        seen = access(file, F_OK) != 0 && fx_count_names(dir, ".h5") > fx_count_names(dir, ".tmp.");
    }
    struct timespec ts = {0, 40 * 1000 * 1000};
    nanosleep(&ts, NULL); /* the next runs are in flight */
    CHECK(seen);
    kill(-pid, SIGKILL);
    int ws;
    waitpid(pid, &ws, 0);
    CHECK(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
    /* SIGKILL to the group is delivered, not yet acted on: wait until every worker that
     * left a temporary is gone or a zombie, as it is by the time a user runs again */
    for (int t = 0; t < 500 && !temporaries_orphaned(dir); t++) {
        struct timespec w = {0, 10 * 1000 * 1000};
        nanosleep(&w, NULL);
    }
    size_t complete = fx_count_names(dir, ".h5") - fx_count_names(dir, ".tmp.");
    CHECK(complete >= 1 && complete < 8);
    CHECK(access(file, F_OK) != 0); /* never a half results file */
    /* every complete per-run file left behind is valid */
    gr_runner_options o = quiet_opts(out, 2);
    o.protocols = TEST_PROTOCOLS;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.ok == 8 && rep.failed == 0 && rep.skipped == complete);
    CHECK(fx_count_names(dir, ".tmp.") == 0);
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, file, "slow", &err), &err);
    CHECK(gr_results_run_count(r) == 8);
    for (size_t i = 0; r && i < 8; i++) {
        double *v = NULL;
        size_t n = 0;
        CHECK_OK(gr_results_series_read(r, i, "value", &v, &n, &err), &err);
        CHECK(n == 10 && v && v[9] == (double)(i + 1) + 9.0);
        free(v);
    }
    gr_results_close(r);
}

static void set_root_attr_str(const char *path, const char *name, const char *value) {
    hid_t fh = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(fh >= 0);
    if (fh < 0) return;
    CHECK(H5Adelete(fh, name) >= 0);
    CHECK_OK(gr_h5_attr_write_str(fh, name, value, NULL), NULL);
    H5Fclose(fh);
}

/* three shards merged equal the unsharded run, dataset for dataset; different
 * declarations or commits are refused. */
static void test_shards_merge(void) {
    fx_exp f;
    fx_lines(&f, "lines", "sha256:aaaa");
    char sd[600], ud[600], merged[700], unsharded[700], shard[3][700];
    path_in(sd, sizeof sd, "shards");
    path_in(ud, sizeof ud, "unsharded");
    gr_runner_report rep;
    gr_error err;
    for (size_t i = 0; i < 3; i++) {
        gr_runner_options o = quiet_opts(sd, 1);
        o.shard_index = i;
        o.shard_count = 3;
        CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
        CHECK(rep.selected == (i == 0 ? 2u : 1u) && rep.ok == rep.selected);
        snprintf(shard[i], sizeof shard[i], "%s/lines.shard-%zu-of-3.h5", sd, i);
        CHECK(!strcmp(rep.results_path, shard[i]));
    }
    /* a shard with no run in it (index 4 of 5 over 4 runs) is a valid file of 0 runs
     * (UBSan once caught qsort given the NULL run list of such a file) */
    {
        char ed[600], empty[700];
        path_in(ed, sizeof ed, "emptyshard");
        gr_runner_options eo = quiet_opts(ed, 1);
        eo.shard_index = 4;
        eo.shard_count = 5;
        CHECK_OK(gr_runner_execute(&f.exp, &eo, &rep, &err), &err);
        CHECK(rep.selected == 0);
        snprintf(empty, sizeof empty, "%s/lines.shard-4-of-5.h5", ed);
        gr_results *e = NULL;
        CHECK_OK(gr_results_open(&e, empty, "lines", &err), &err);
        CHECK(e && gr_results_run_count(e) == 0);
        gr_results_close(e);
    }
    gr_runner_options o = quiet_opts(ud, 2);
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    snprintf(merged, sizeof merged, "%s/merged.h5", sd);
    snprintf(unsharded, sizeof unsharded, "%s/lines.h5", ud);
    const char *in[3] = {shard[2], shard[0], shard[1]}; /* any order */
    size_t n = 0;
    CHECK_OK(gr_results_merge(merged, in, 3, NULL, &n, &err), &err);
    CHECK(n == 4);
    CHECK(fx_same_datasets(merged, unsharded, NULL));
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, merged, "lines", &err), &err);
    char *s = NULL;
    if (r) CHECK_OK(gr_results_attr_str(r, "shard", &s, &err), &err);
    CHECK(s && !strcmp(s, "all"));
    free(s);
    gr_results_close(r);
    /* a shard of another declaration */
    fx_exp g;
    fx_lines(&g, "lines", "sha256:bbbb");
    char od[600], other[700];
    path_in(od, sizeof od, "othershard");
    o = quiet_opts(od, 1);
    o.shard_index = 1;
    o.shard_count = 3;
    CHECK_OK(gr_runner_execute(&g.exp, &o, &rep, &err), &err);
    snprintf(other, sizeof other, "%s/lines.shard-1-of-3.h5", od);
    const char *bad[2] = {shard[0], other};
    char out2[700];
    snprintf(out2, sizeof out2, "%s/bad.h5", sd);
    CHECK_STATUS(gr_results_merge(out2, bad, 2, NULL, NULL, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "different declaration hash");
    CHECK(access(out2, F_OK) != 0);
    /* a shard of another code version */
    char moved[700];
    snprintf(moved, sizeof moved, "%s/othercommit.h5", od);
    CHECK(fx_copy_file(shard[1], moved));
    set_root_attr_str(moved, "git_commit", "0123abc");
    const char *bad2[2] = {shard[0], moved};
    CHECK_STATUS(gr_results_merge(out2, bad2, 2, NULL, NULL, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "code version");
    CHECK(access(out2, F_OK) != 0);
}

static void test_reader_strict(void) {
    fx_exp f;
    fx_xs(&f, "strict", "slow", 1);
    char out[600], file[700], copy[700];
    path_in(out, sizeof out, "strict");
    gr_runner_options o = quiet_opts(out, 1);
    o.protocols = TEST_PROTOCOLS;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    snprintf(file, sizeof file, "%s/strict.h5", out);
    snprintf(copy, sizeof copy, "%s/v2.h5", out);
    gr_results *r = NULL;
    CHECK_STATUS(gr_results_open(&r, file, "another", &err), GR_EFORMAT);
    CHECK(r == NULL);
    CHECK_STR_CONTAINS(err.msg, "results of experiment 'strict', expected 'another'");
    CHECK(fx_copy_file(file, copy));
    hid_t fh = H5Fopen(copy, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(fh >= 0 && H5Adelete(fh, "format_version") >= 0);
    CHECK_OK(gr_h5_attr_write_i32(fh, "format_version", 2, &err), &err);
    H5Fclose(fh);
    CHECK_STATUS(gr_results_open(&r, copy, NULL, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "results format version 2, this build reads version 1");
    CHECK(fx_copy_file(file, copy));
    set_root_attr_str(copy, "format", "ganrepro-checkpoint");
    CHECK_STATUS(gr_results_open(&r, copy, NULL, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "not a ganrepro results file");
    CHECK(gr_test_write_file(copy, "not hdf5\n", 9));
    CHECK_STATUS(gr_results_open(&r, copy, NULL, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "not an HDF5 file");
    /* a per-run file of another commit is not reused: the run is computed again */
    char runfile[800];
    snprintf(runfile, sizeof runfile, "%s/strict.d/x1.h5", out);
    set_root_attr_str(runfile, "git_commit", "0123abc");
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.skipped == 0 && rep.ok == 1);
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.skipped == 1);
}

/* rows buffered across chunk boundaries reach the file, also when the run fails */
static void test_long_series(void) {
    fx_exp f;
    fx_xs(&f, "long", "long", 2);
    char out[600], file[700];
    path_in(out, sizeof out, "long");
    gr_runner_options o = quiet_opts(out, 2);
    o.protocols = TEST_PROTOCOLS;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.ok == 1 && rep.failed == 1);
    snprintf(file, sizeof file, "%s/long.h5", out);
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, file, "long", &err), &err);
    for (size_t i = 0; r && i < 2; i++) {
        double *a = NULL, *b = NULL, *st = NULL;
        size_t na = 0, nb = 0, ns = 0;
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, i, &info, &err), &err);
        CHECK(info.step_reached == 3 * 599);
        CHECK_OK(gr_results_series_read(r, i, "a", &a, &na, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "b", &b, &nb, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "step", &st, &ns, &err), &err);
        CHECK(na == 600 && nb == 600 && ns == 600);
        int good = a && b && st;
        for (size_t k = 0; good && k < 600; k++)
            good = a[k] == (double)k * 0.5 && b[k] == (double)(i + 1) - (double)k &&
                   st[k] == 3.0 * (double)k;
        CHECK(good);
        free(a);
        free(b);
        free(st);
    }
    gr_results_close(r);
}

static void test_resume_hook(void) {
    fx_exp f;
    fx_xs(&f, "ck", "ckpt", 1);
    char out[600], ck[800];
    path_in(out, sizeof out, "resume");
    snprintf(ck, sizeof ck, "%s/ck.d/x1.ckpt.h5", out);
    gr_runner_options o = quiet_opts(out, 1);
    o.protocols = TEST_PROTOCOLS;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.failed == 1 && access(ck, F_OK) == 0);           /* failed: checkpoint kept */
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err); /* no --resume: from scratch */
    CHECK(rep.failed == 1);
    o.resume = 1;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    CHECK(rep.ok == 1 && rep.failed == 0);
    CHECK(access(ck, F_OK) != 0); /* removed once the run ended ok */
    char file[700];
    snprintf(file, sizeof file, "%s/ck.h5", out);
    gr_results *r = NULL;
    CHECK_OK(gr_results_open(&r, file, "ck", &err), &err);
    double v = -1;
    if (r) CHECK_OK(gr_results_metric(r, 0, "resumed", &v, &err), &err);
    CHECK(v == 1.0);
    gr_results_close(r);
}

static void test_bad_descriptions(void) {
    fx_exp f;
    fx_xs(&f, "bad", "nope", 2);
    char out[600];
    path_in(out, sizeof out, "bad");
    gr_runner_options o = quiet_opts(out, 1);
    gr_runner_report rep;
    gr_error err;
    CHECK_STATUS(gr_runner_execute(&f.exp, &o, &rep, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "unknown protocol 'nope'");
    fx_xs(&f, "bad", "slow", 2);
    f.runs[1].id = "x1";
    CHECK_STATUS(gr_runner_execute(&f.exp, &o, &rep, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "same id x1");
    fx_xs(&f, "bad", "slow", 2);
    f.runs[0].id = "Bad/Id";
    CHECK_STATUS(gr_runner_execute(&f.exp, &o, &rep, &err), GR_EINVAL);
    fx_xs(&f, "bad", "slow", 2);
    o.shard_count = 2;
    o.shard_index = 2;
    CHECK_STATUS(gr_runner_execute(&f.exp, &o, &rep, &err), GR_EINVAL);
    /* the distance_curve protocol refuses what it does not have, as a failed run */
    fx_exp l;
    fx_lines(&l, "lines_bad", "sha256:c");
    l.settings[0][0].value = "gauss1d";
    l.exp.n_runs = 1;
    gr_runner_options ol = quiet_opts(out, 1);
    CHECK_OK(gr_runner_execute(&l.exp, &ol, &rep, &err), &err);
    CHECK(rep.failed == 1);
}

int main(void) {
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_results_") != 0) return 1;
    RUN(test_distance_curve_values);
    RUN(test_run_twice_identical);
    RUN(test_failures_recorded);
    RUN(test_kill9_then_rerun);
    RUN(test_shards_merge);
    RUN(test_reader_strict);
    RUN(test_long_series);
    RUN(test_resume_hook);
    RUN(test_bad_descriptions);
    fx_rm_rf(g_tmp);
    return TEST_MAIN_END();
}
