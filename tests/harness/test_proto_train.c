/* tests/harness/test_proto_train.c — the `train` protocol through `ganrepro run`, as a user
 * runs it: a ci-size run of each of the five methods on 8 Gaussians writes the documented
 * series, metrics and snapshots; a second run skips every run and leaves the same numeric
 * datasets; a run forced to diverge (SGD at lr 10 by --set) is recorded "diverged" with its
 * step while the other completes; `ganrepro run` killed by SIGKILL in the middle of a
 * training run, then `run --resume`, gives a complete file whose datasets equal an
 * uninterrupted run's, the resumed run having started from its checkpoint; h5py reads the
 * file (skipped, visibly, without h5py). */
#define _GNU_SOURCE /* nftw in fixture_results.h, setsid */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../cli/cli_run.h"
#include "fixture_results.h"
#include "harness/results.h"
#include "io/h5io.h"

static char g_tmp[256];

/* A training experiment: methods is the body of the method list, extra more groups. */
static void write_cfg_data(const char *dir, const char *file, const char *name, const char *data,
                           const char *methods, const char *nets, const char *schedule,
                           const char *extra) {
    char text[4096];
    snprintf(text, sizeof text,
             "experiment = { name = \"%s\"; claims = [\"C37\"]; protocol = \"train\"; };\n"
             "seeds = [7];\n"
             "data = { %s };\n"
             "nets = { %s };\n"
             "method = ( %s );\n"
             "schedule = { %s };\n"
             "%s\n",
             name, data, nets, methods, schedule, extra);
    gr_test_write_in(dir, file, text);
}

static void write_cfg(const char *dir, const char *file, const char *name, const char *methods,
                      const char *nets, const char *schedule, const char *extra) {
    write_cfg_data(dir, file, name, "set = \"8gaussians\";", methods, nets, schedule, extra);
}

static const char *TINY = "g = \"2-16relu-16relu-2linear\"; d = \"2-16relu-16relu-1linear\";";
static const char *FIVE = "{ name = \"gan_mm\"; }, { name = \"gan_ns\"; }, "
                          "{ name = \"gan_in\"; sigma_end = 40; }, { name = \"wgan_clip\"; }, "
                          "{ name = \"wgan_gp\"; }";
static const char *PROBES =
    "eval = { n = 200; every = 25; modes = true; n_modes = 500; };\n"
    "probes = { losses = 5; gen_grad = 10; layer_grads = 10; weights = 25; cosine = 10;\n"
    "           samples = 25; n_samples = 64; surface = 50; grid = 8; };";

static int has_series(const gr_results *r, size_t i, const char *name, size_t want_n) {
    double *v = NULL;
    size_t n = 0;
    gr_error err;
    int ok = gr_results_series_read(r, i, name, &v, &n, &err) == GR_OK && n == want_n;
    if (!ok) fprintf(stderr, "  run %zu: series %s: %zu values, want %zu\n", i, name, n, want_n);
    free(v);
    return ok;
}

/* A uint64 attribute of run `id`'s group, read through the open results file. */
static int run_attr_u64(const gr_results *r, const char *id, const char *attr, uint64_t *v) {
    char path[128];
    snprintf(path, sizeof path, "runs/%s", id);
    hid_t g = H5Gopen2(gr_results_file(r), path, H5P_DEFAULT);
    gr_error err;
    int ok = g >= 0 && gr_h5_attr_read_u64(g, attr, v, &err) == GR_OK;
    if (g >= 0) H5Gclose(g);
    return ok;
}

static void test_five_methods(const char *cli) {
    char dir[400], cmd[2048], out[4096], errb[16384], file[600], copy[600];
    snprintf(dir, sizeof dir, "%s/five", g_tmp);
    CHECK(mkdir(dir, 0700) == 0);
    write_cfg(dir, "five.cfg", "five", FIVE, TINY, "steps = 50;", PROBES);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run five.cfg --jobs 1", dir, cli);
    CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "5 runs: 5 ok, 0 diverged, 0 failed");
    snprintf(file, sizeof file, "%s/results/five.h5", dir);
    gr_results *r = NULL;
    gr_error err;
    CHECK_OK(gr_results_open(&r, file, "five", &err), &err);
    if (!r) return;
    CHECK(gr_results_run_count(r) == 5);
    for (size_t i = 0; i < gr_results_run_count(r); i++) {
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, i, &info, &err), &err);
        CHECK(info.status == GR_RUN_OK);
        CHECK(info.step_reached == 50);
        /* rows at 0 (evaluation), 5, 10, ..., 50: the union of the due steps */
        const size_t rows = 11;
        CHECK(has_series(r, i, "step", rows));
        static const char *const common[] = {
            "d_loss",
            "g_loss",
            "w_estimate",
            "penalty",
            "d_acc",
            "sigma",
            "w1",
            "w1_floor",
            "modes_captured",
            "hq_fraction",
            "cos_d",
            "cos_g",
            "d_layer_grad_norm_1",
            "d_frac_at_clip",
            "reverse_kl",
        };
        for (size_t k = 0; k < sizeof common / sizeof common[0]; k++)
            CHECK(has_series(r, i, common[k], rows));
        double *w1 = NULL, *dl = NULL, *step = NULL;
        size_t n = 0;
        CHECK_OK(gr_results_series_read(r, i, "w1", &w1, &n, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "d_loss", &dl, &n, &err), &err);
        CHECK_OK(gr_results_series_read(r, i, "step", &step, &n, &err), &err);
        if (w1 && dl && step && n == rows) {
            for (size_t k = 0; k < rows; k++) {
                CHECK(step[k] == 5.0 * (double)k);
                /* W1 at 0, 25, 50 (eval.every) only; losses at every 5th step but 0 */
                int ev = k % 5 == 0;
                CHECK(ev ? isfinite(w1[k]) && w1[k] > 0 : isnan(w1[k]));
                CHECK(k == 0 ? isnan(dl[k]) : isfinite(dl[k]));
            }
        }
        free(w1);
        free(dl);
        free(step);
        double v;
        CHECK_OK(gr_results_metric(r, i, "final_w1", &v, &err), &err);
        CHECK(isfinite(v) && v > 0);
        CHECK_OK(gr_results_metric(r, i, "final_w1_floor", &v, &err), &err);
        CHECK(isfinite(v) && v > 0);
        CHECK_OK(gr_results_metric(r, i, "final_modes_captured", &v, &err), &err);
        CHECK(v >= 0 && v <= 8);
        CHECK_OK(gr_results_metric(r, i, "diverged", &v, &err), &err);
        CHECK(v == 0);
        uint64_t evals = 0;
        CHECK(run_attr_u64(r, info.id, "evaluations", &evals));
        CHECK(evals == 3);
    }
    /* the WGAN methods report the critic's W estimate and one generator gradient, the GAN
     * family both generator-loss gradients */
    CHECK(has_series(r, 0, "g_grad_norm_mm", 11) && has_series(r, 0, "g_grad_norm_ns", 11));
    CHECK(has_series(r, 4, "g_grad_norm_w", 11));
    gr_results_close(r);
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0) {
        CHECK(H5Lexists(f, "summary/final_w1", H5P_DEFAULT) > 0);
        hid_t runs = H5Gopen2(f, "runs", H5P_DEFAULT);
        char id[80];
        CHECK(H5Lget_name_by_idx(runs, ".", H5_INDEX_NAME, H5_ITER_INC, 0, id, sizeof id,
                                 H5P_DEFAULT) > 0);
        char p[200];
        static const char *const dsets[] = {"samples/step_25", "samples/step_50",
                                            "probes/d_weight_hist_step_25",
                                            "probes/d_surface_step_50"};
        for (size_t k = 0; k < 4; k++) {
            snprintf(p, sizeof p, "%s/%s", id, dsets[k]);
            CHECK(H5Lexists(runs, p, H5P_DEFAULT) > 0);
        }
        H5Gclose(runs);
        H5Fclose(f);
    }
    /* the same again: every run skipped, the same numeric content */
    snprintf(copy, sizeof copy, "%s/first.h5", dir);
    CHECK(fx_copy_file(file, copy));
    CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "(5 skipped as complete)");
    CHECK(fx_same_datasets(file, copy, NULL));
    /* and run from scratch elsewhere: identical numeric datasets (determinism) */
    char dir2[500], file2[600];
    snprintf(dir2, sizeof dir2, "%s/again", dir);
    CHECK(mkdir(dir2, 0700) == 0);
    write_cfg(dir2, "five.cfg", "five", FIVE, TINY, "steps = 50;", PROBES);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run five.cfg --jobs 1", dir2, cli);
    CHECK(gr_test_shell(dir2, cmd, out, sizeof out, errb, sizeof errb) == 0);
    snprintf(file2, sizeof file2, "%s/results/five.h5", dir2);
    CHECK(fx_same_datasets(file, file2, NULL));

    /* h5py reads it, with the documented series */
    if (gr_test_shell(dir, "/usr/bin/python3 -c 'import h5py'", out, sizeof out, errb,
                      sizeof errb) != 0) {
        fprintf(stderr, "SKIP (h5py check): /usr/bin/python3 cannot import h5py\n");
    } else {
        snprintf(cmd, sizeof cmd,
                 "/usr/bin/python3 -c \"import h5py, math\n"
                 "f = h5py.File('%s', 'r')\n"
                 "rs = list(f['runs'])\n"
                 "assert len(rs) == 5 and len(f['summary/final_w1']) == 5\n"
                 "for r in rs:\n"
                 "    g = f['runs'][r]\n"
                 "    assert g.attrs['status'] in (b'ok', 'ok'), g.attrs['status']\n"
                 "    assert g['series/w1'].shape == g['series/step'].shape == (11,)\n"
                 "    assert g['samples/step_50'].shape == (64, 2)\n"
                 "    assert math.isfinite(g['metrics'].attrs['final_w1'])\n"
                 "print('h5py ok')\"",
                 file);
        CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
        CHECK_STR_CONTAINS(out, "h5py ok");
        if (errb[0]) fprintf(stderr, "%s", errb);
    }
}

static void test_diverged(const char *cli) {
    char dir[400], cmd[2048], out[4096], errb[16384], file[600];
    snprintf(dir, sizeof dir, "%s/div", g_tmp);
    CHECK(mkdir(dir, 0700) == 0);
    write_cfg(dir, "div.cfg", "div", "{ name = \"wgan_gp\"; }, { name = \"wgan_clip\"; }", TINY,
              "steps = 50;", "eval = { n = 100; };\nprobes = { losses = 1; };");
    /* plain SGD at lr 10 on both nets: WGAN-GP's unbounded critic blows up in its first
     * iteration, clipping keeps the WGAN critic bounded (measured on seeds 1..10: wgan_gp
     * diverges at generator iteration 1, critic step 3 or 4, every time; wgan_clip completes) */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' run div.cfg --jobs 1 --set 'method.optim_d.name=\"sgd\"' "
             "--set 'method.optim_g.name=\"sgd\"' --set method.optim_d.lr=10 "
             "--set method.optim_g.lr=10",
             dir, cli);
    /* exit 0: a diverged run is a measured outcome, every run completed */
    int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    if (rc != 0) fprintf(stderr, "  exit %d: %s\n", rc, errb);
    CHECK_STR_CONTAINS(errb, "2 runs: 1 ok, 1 diverged, 0 failed");
    snprintf(file, sizeof file, "%s/results/div.h5", dir);
    gr_results *r = NULL;
    gr_error err;
    CHECK_OK(gr_results_open(&r, file, "div", &err), &err);
    if (!r) return;
    gr_results_run_info a, b;
    CHECK_OK(gr_results_run_get(r, 0, &a, &err), &err);
    CHECK_OK(gr_results_run_get(r, 1, &b, &err), &err);
    CHECK(a.status == GR_RUN_DIVERGED);
    CHECK_STR_CONTAINS(a.reason, "diverged at generator iteration");
    CHECK(a.step_reached == 1);
    CHECK_STR_CONTAINS(a.reason, "non-finite");
    double at = 0, dv = 0;
    CHECK_OK(gr_results_metric(r, 0, "diverged_at", &at, &err), &err);
    CHECK_OK(gr_results_metric(r, 0, "diverged", &dv, &err), &err);
    CHECK(dv == 1 && at == (double)a.step_reached);
    /* no row of the diverged iteration; no final W1 (G is not evaluated after divergence) */
    double *dl = NULL;
    size_t n = 99;
    if (gr_results_series_read(r, 0, "d_loss", &dl, &n, &err) == GR_OK) CHECK(n == 0);
    free(dl);
    double fw = 0;
    CHECK_OK(gr_results_metric(r, 0, "final_w1", &fw, &err), &err);
    CHECK(isnan(fw));
    CHECK(b.status == GR_RUN_OK && b.step_reached == 50);
    gr_results_close(r);
    /* a second run keeps the diverged run (a measured outcome), reruns nothing */
    rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    CHECK_STR_CONTAINS(errb, "(2 skipped as complete)");
}

/* Entries of dir whose name ends in suffix (a checkpoint, not its temporary). */
static size_t count_suffix(const char *dir, const char *suffix) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0, ls = strlen(suffix);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        n += l >= ls && !strcmp(e->d_name + l - ls, suffix);
    }
    closedir(d);
    return n;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Kill `ganrepro run` (its process group) once the checkpoint exists, then --resume: the
 * file equals an uninterrupted run's. steps / every: the schedule (for the checks). */
static void kill_resume(const char *cli, const char *tag, const char *data, const char *methods,
                        size_t steps, size_t every) {
    char ref[400], dir[400], cmd[2048], out[4096], errb[16384];
    snprintf(ref, sizeof ref, "%s/ref_%s", g_tmp, tag);
    snprintf(dir, sizeof dir, "%s/kill_%s", g_tmp, tag);
    CHECK(mkdir(ref, 0700) == 0);
    CHECK(mkdir(dir, 0700) == 0);
    const char *nets = "g = \"2-64relu-64relu-2linear\"; d = \"2-64relu-64relu-1linear\";";
    /* estimate_window: 2000 critic updates span more than an evaluation interval (400
     * iterations of wgan_gp, 2000 of gan_ns), so the loss_estimate series is bit-identical
     * only if the checkpoint restores the ring */
    const char *extra = "eval = { n = 200; every = 250; modes = true; n_modes = 500;\n"
                        "         estimate_window = 2000; w1_target = 0.5; };\n"
                        "probes = { losses = 10; gen_grad = 50; layer_grads = 50; weights = 500;\n"
                        "           samples = 1000; n_samples = 32; };";
    char sched[128];
    snprintf(sched, sizeof sched, "steps = %zu; checkpoint_every = %zu;", steps, every);
    write_cfg_data(ref, "k.cfg", "kill", data, methods, nets, sched, extra);
    write_cfg_data(dir, "k.cfg", "kill", data, methods, nets, sched, extra);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run k.cfg --jobs 1", ref, cli);
    CHECK(gr_test_shell(ref, cmd, out, sizeof out, errb, sizeof errb) == 0);

    /* the same, killed (the whole process group) once its checkpoint exists */
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (chdir(dir) != 0) _exit(127);
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(cli, cli, "run", "k.cfg", "--jobs", "1", (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    if (pid <= 0) return;
    char rdir[600];
    snprintf(rdir, sizeof rdir, "%s/results/kill.d", dir);
    double t0 = now();
    int seen = 0;
    while (now() - t0 < 60 && !seen) {
        seen = count_suffix(rdir, ".ckpt.h5") > 0; /* complete: renamed from its temporary */
        if (!seen) usleep(5000);
    }
    CHECK(seen);
    usleep(20000); /* mid-run, past the first checkpoint */
    kill(-pid, SIGKILL);
    int wst = 0;
    waitpid(pid, &wst, 0);
    CHECK(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL);
    /* killed before the end: no results file, no complete per-run file, a checkpoint */
    char file[700];
    snprintf(file, sizeof file, "%s/results/kill.h5", dir);
    CHECK(access(file, F_OK) != 0);
    CHECK(count_suffix(rdir, ".ckpt.h5") == 1);

    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run k.cfg --jobs 1 --resume", dir, cli);
    CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "1 run: 1 ok, 0 diverged, 0 failed");
    gr_results *r = NULL;
    gr_error err;
    CHECK_OK(gr_results_open(&r, file, "kill", &err), &err);
    if (r) {
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, 0, &info, &err), &err);
        CHECK(info.status == GR_RUN_OK && info.step_reached == (int64_t)steps);
        uint64_t from = 0;
        CHECK(run_attr_u64(r, info.id, "resumed_from_step", &from));
        CHECK(from >= every && from < steps && from % every == 0);
        fprintf(stderr, "  %s: resumed from step %llu of %zu\n", tag, (unsigned long long)from,
                steps);
        gr_results_close(r);
    }
    CHECK(fx_count_names(rdir, ".ckpt.h5") == 0); /* removed once the run completed */
    char rfile[700];
    snprintf(rfile, sizeof rfile, "%s/results/kill.h5", ref);
    size_t nd = 0;
    CHECK(fx_same_datasets(file, rfile, &nd));
    CHECK(nd > 20);
    /* the claim metric from the restored ring and the replayed rows: the same number */
    gr_results *a = NULL, *b = NULL;
    double va = NAN, vb = NAN;
    CHECK_OK(gr_results_open(&a, file, "kill", &err), &err);
    CHECK_OK(gr_results_open(&b, rfile, "kill", &err), &err);
    if (a && b) {
        CHECK_OK(gr_results_metric(a, 0, "estimate_w1_spearman", &va, &err), &err);
        CHECK_OK(gr_results_metric(b, 0, "estimate_w1_spearman", &vb, &err), &err);
        CHECK(isfinite(va) && va == vb);
    }
    gr_results_close(a);
    gr_results_close(b);
}

static void test_kill_resume(const char *cli) {
    /* ~1.5 s of WGAN-GP training, a checkpoint every 100 of 3000 steps */
    kill_resume(cli, "8g", "set = \"8gaussians\";", "{ name = \"wgan_gp\"; }", 3000, 100);
    /* the 25-Gaussian pool read in epoch order: the data's cursor is part of the state
     * (~3 s of gan_ns, a checkpoint every 500 of 12000 steps) */
    kill_resume(cli, "25g", "set = \"25gaussians\";", "{ name = \"gan_ns\"; real = \"epoch\"; }",
                12000, 500);
}

/* The other data sets through the protocol: 25 Gaussians (epoch order), the Swiss roll,
 * 8 Gaussians embedded in R^16 (evaluated on the projection). */
static void test_other_sets(const char *cli) {
    static const struct {
        const char *name, *data, *g, *d, *method;
        double n_modes;
    } sets[] = {
        {"g25", "set = \"25gaussians\";", "2-16relu-2linear", "2-16relu-1linear",
         "{ name = \"wgan_gp\"; real = \"epoch\"; }", 25},
        {"roll", "set = \"swissroll\";", "2-16relu-2linear", "2-16relu-1linear",
         "{ name = \"gan_ns\"; }", NAN},
        {"emb", "set = \"embedded\"; embed_base = \"8gaussians\"; dim = 16;", "2-16relu-16linear",
         "16-16relu-1linear", "{ name = \"wgan_clip\"; }", 8},
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        char dir[400], cmd[2048], out[4096], errb[16384], file[600], nets[256];
        snprintf(dir, sizeof dir, "%s/%s", g_tmp, sets[i].name);
        CHECK(mkdir(dir, 0700) == 0);
        snprintf(nets, sizeof nets, "g = \"%s\"; d = \"%s\";", sets[i].g, sets[i].d);
        int modes = !isnan(sets[i].n_modes);
        write_cfg_data(dir, "s.cfg", sets[i].name, sets[i].data, sets[i].method, nets,
                       "steps = 30;",
                       modes ? "eval = { n = 100; every = 10; modes = true; n_modes = 300; };"
                             : "eval = { n = 100; every = 10; };");
        snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run s.cfg --jobs 1", dir, cli);
        int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
        CHECK(rc == 0);
        if (rc) fprintf(stderr, "  %s: %s\n", sets[i].name, errb);
        snprintf(file, sizeof file, "%s/results/%s.h5", dir, sets[i].name);
        gr_results *r = NULL;
        gr_error err;
        CHECK_OK(gr_results_open(&r, file, sets[i].name, &err), &err);
        if (!r) continue;
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, 0, &info, &err), &err);
        CHECK(info.status == GR_RUN_OK && info.step_reached == 30);
        CHECK(has_series(r, 0, "w1", 4) && has_series(r, 0, "w1_floor", 4));
        double v = NAN, fl = NAN;
        CHECK_OK(gr_results_metric(r, 0, "final_w1", &v, &err), &err);
        CHECK_OK(gr_results_metric(r, 0, "final_w1_floor", &fl, &err), &err);
        CHECK(isfinite(v) && v > 0 && isfinite(fl) && fl > 0);
        CHECK_OK(gr_results_metric(r, 0, "n_modes", &v, &err), &err);
        CHECK(modes ? v == sets[i].n_modes : isnan(v));
        if (!strcmp(sets[i].name, "emb")) {
            /* an untrained generator is off the plane: residual > 0, and it bounds W1 on
             * the projection from below only for the full W1, so just finite here */
            CHECK(has_series(r, 0, "resid_mean", 4));
            CHECK_OK(gr_results_metric(r, 0, "final_resid_mean", &v, &err), &err);
            CHECK(isfinite(v) && v > 0);
        }
        gr_results_close(r);
    }
}

/* MNIST, when the files are in datasets/mnist (sh datasets/mnist/fetch; skipped visibly
 * otherwise): a tiny WGAN-GP on a 500-image subset, pixel-space W1 and its floor; the
 * classifier scores when its cache exists (training it takes minutes: `make experiments`
 * or the first MNIST run does), with the real-data references. */
static void test_mnist(const char *cli) {
    const char *src = getenv("GR_SOURCE_DIR");
    char mdir[600], probe[700], clf[700];
    snprintf(mdir, sizeof mdir, "%s/datasets/mnist", src ? src : "..");
    snprintf(probe, sizeof probe, "%s/train-images-idx3-ubyte", mdir);
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "SKIP (mnist): %s absent (run sh datasets/mnist/fetch)\n", probe);
        return;
    }
    snprintf(clf, sizeof clf, "%s/classifier_unit.h5", mdir);
    int with_clf = access(clf, R_OK) == 0;
    if (!with_clf)
        fprintf(stderr, "SKIP (mnist classifier scores): no cached classifier at %s\n", clf);
    char dir[400], cmd[2048], out[4096], errb[16384], file[600];
    snprintf(dir, sizeof dir, "%s/mnist", g_tmp);
    CHECK(mkdir(dir, 0700) == 0);
    char extra[256];
    snprintf(extra, sizeof extra,
             "eval = { n = 200; every = 10; classifier = %s; };\n"
             "probes = { losses = 5; samples = 20; n_samples = 4; };",
             with_clf ? "true" : "false");
    write_cfg_data(dir, "m.cfg", "mn", "set = \"mnist\"; subset = 500;", "{ name = \"wgan_gp\"; }",
                   "g = \"16-32relu-784sigmoid\"; d = \"784-32relu-1linear\";", "steps = 20;",
                   extra);
    snprintf(cmd, sizeof cmd, "cd '%s' && GR_MNIST_DIR='%s' '%s' run m.cfg --jobs 1", dir, mdir,
             cli);
    int rc = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    if (rc) fprintf(stderr, "  mnist: %s\n", errb);
    snprintf(file, sizeof file, "%s/results/mn.h5", dir);
    gr_results *r = NULL;
    gr_error err;
    CHECK_OK(gr_results_open(&r, file, "mn", &err), &err);
    if (!r) return;
    gr_results_run_info info;
    CHECK_OK(gr_results_run_get(r, 0, &info, &err), &err);
    CHECK(info.status == GR_RUN_OK && info.step_reached == 20);
    CHECK(has_series(r, 0, "w1", 5) && has_series(r, 0, "w1_floor", 5));
    double w1 = NAN, fl = NAN, v = NAN;
    CHECK_OK(gr_results_metric(r, 0, "final_w1", &w1, &err), &err);
    CHECK_OK(gr_results_metric(r, 0, "final_w1_floor", &fl, &err), &err);
    /* 20 steps of a 32-wide generator are far from the digits: above the floor between two
     * sets of real digits, which is itself well above 0 in 784 dimensions */
    CHECK(isfinite(fl) && fl > 1 && isfinite(w1) && w1 > fl);
    /* C38's pair: D's value on training (subset) vs held-out images, each eval; the final
     * metrics are the last evaluation's, the gap their difference; a WGAN's value is
     * mean f(real) - mean f(fake), so the gap is mean f(train) - mean f(valid) */
    CHECK(has_series(r, 0, "d_value_train", 5) && has_series(r, 0, "d_value_valid", 5));
    double dvt = NAN, dvv = NAN, gap = NAN, rel = NAN;
    CHECK_OK(gr_results_metric(r, 0, "final_d_value_train", &dvt, &err), &err);
    CHECK_OK(gr_results_metric(r, 0, "final_d_value_valid", &dvv, &err), &err);
    CHECK_OK(gr_results_metric(r, 0, "final_d_value_gap", &gap, &err), &err);
    CHECK_OK(gr_results_metric(r, 0, "final_d_value_gap_rel", &rel, &err), &err);
    CHECK(isfinite(dvt) && isfinite(dvv) && gap == dvt - dvv && rel == gap / fabs(dvt));
    double *sv = NULL;
    size_t ns = 0;
    CHECK_OK(gr_results_series_read(r, 0, "d_value_valid", &sv, &ns, &err), &err);
    CHECK(ns == 5 && sv && sv[4] == dvv);
    free(sv);
    CHECK_OK(gr_results_metric(r, 0, "classifier_test_accuracy", &v, &err), &err);
    CHECK(with_clf ? v >= 0.98 : isnan(v));
    if (with_clf) {
        CHECK(has_series(r, 0, "classifier_score", 5) && has_series(r, 0, "frechet", 5));
        /* held-out digits through a >= 98 % classifier: all ten classes, a score near 10
         * (measured 9.52 at n = 200) and a Frechet distance far below the generator's */
        CHECK_OK(gr_results_metric(r, 0, "real_classes_covered", &v, &err), &err);
        CHECK(v == 10);
        CHECK_OK(gr_results_metric(r, 0, "real_classifier_score", &v, &err), &err);
        CHECK(v > 8.5 && v <= 10);
        double rf = NAN, gf = NAN;
        CHECK_OK(gr_results_metric(r, 0, "real_frechet", &rf, &err), &err);
        CHECK_OK(gr_results_metric(r, 0, "final_frechet", &gf, &err), &err);
        CHECK(isfinite(rf) && rf > 0 && isfinite(gf) && gf > 5 * rf);
        CHECK_OK(gr_results_metric(r, 0, "final_classifier_score", &v, &err), &err);
        CHECK(v >= 1 && v <= 10);
    }
    gr_results_close(r);
}

int main(void) {
    const char *cli = gr_test_cli();
    if (!cli) return 1;
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_proto_train_") != 0) return 1;
    test_five_methods(cli);
    test_diverged(cli);
    test_other_sets(cli);
    test_mnist(cli);
    test_kill_resume(cli);
    fx_rm_rf(g_tmp);
    return TEST_MAIN_END();
}
