/* harness/runner.c — select, skip, fork workers, record outcomes, assemble (runner.h). */
#include "harness/runner.h"

#include <cblas.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/progress.h"
#include "core/timer.h"

#define PATH_MAX_ 1024

gr_runner_options gr_runner_options_default(void) {
    gr_runner_options o;
    memset(&o, 0, sizeof o);
    o.out_dir = "results";
    o.progress_mode = GR_PROGRESS_AUTO;
    return o;
}

int gr_runner_run_dir(char *buf, size_t size, const char *out_dir, const char *name,
                      gr_error *err) {
    int n = snprintf(buf, size, "%s/%s.d", out_dir ? out_dir : "results", name);
    if (n < 0 || (size_t)n >= size) return GR_ERROR(err, GR_EINVAL, "path of %s.d too long", name);
    return GR_OK;
}

int gr_runner_results_path(char *buf, size_t size, const char *out_dir, const char *name,
                           size_t shard_index, size_t shard_count, gr_error *err) {
    const char *d = out_dir ? out_dir : "results";
    int n = shard_count > 1 ? snprintf(buf, size, "%s/%s.shard-%zu-of-%zu.h5", d, name, shard_index,
                                       shard_count)
                            : snprintf(buf, size, "%s/%s.h5", d, name);
    if (n < 0 || (size_t)n >= size) return GR_ERROR(err, GR_EINVAL, "results path too long");
    return GR_OK;
}

static int mkdir_p(const char *path, gr_error *err) {
    char tmp[PATH_MAX_];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return GR_ERROR(err, GR_EINVAL, "path too long: %s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return GR_ERROR(err, GR_EIO, "cannot create folder %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return GR_ERROR(err, GR_EIO, "cannot create folder %s: %s", tmp, strerror(errno));
    struct stat s;
    if (stat(tmp, &s) != 0 || !S_ISDIR(s.st_mode))
        return GR_ERROR(err, GR_EIO, "%s is not a folder", tmp);
    return GR_OK;
}

typedef struct slot {
    pid_t pid;
    int fd;
    size_t run; /* index into exp->runs */
    double t0;
    char msg[GR_ERROR_MSG_MAX];
    size_t msg_len;
} slot;

typedef struct runner {
    const gr_exp_desc *exp;
    const gr_runner_options *opt;
    gr_results_context ctx;
    gr_protocol_fn proto;
    char dir[PATH_MAX_];
    gr_progress prog;
    size_t to_run, done;
} runner;

static int run_path(const runner *r, size_t i, const char *suffix, char *buf, size_t size,
                    gr_error *err) {
    int n = snprintf(buf, size, "%s/%s%s", r->dir, r->exp->runs[i].id, suffix);
    if (n < 0 || (size_t)n >= size) return GR_ERROR(err, GR_EINVAL, "run path too long");
    return GR_OK;
}

/* "seed=1 theta=0.5" */
static void run_label(const gr_run_desc *run, char *buf, size_t size) {
    size_t k = (size_t)snprintf(buf, size, "seed=%llu", (unsigned long long)run->seed);
    for (size_t j = 0; j < run->n_swept && k < size; j++)
        k += (size_t)snprintf(buf + k, size - k, " %s=%s", run->swept[j].key, run->swept[j].value);
}

static void say_run(runner *r, size_t i, const char *outcome, double wall) {
    FILE *out = r->opt->progress;
    if (!out || r->prog.mode == GR_PROGRESS_OFF) return;
    char label[256], dur[32];
    run_label(&r->exp->runs[i], label, sizeof label);
    gr_progress_format_duration(wall, dur, sizeof dur);
    if (r->prog.mode == GR_PROGRESS_BAR && r->prog.drawn) fprintf(out, "\r\033[K");
    fprintf(out, "%s: run %zu/%zu %s %s: %s (%s)\n", r->exp->name, r->done, r->to_run,
            r->exp->runs[i].id, label, outcome, dur);
    fflush(out);
    r->prog.drawn = 0; /* the bar is redrawn below the line */
}

static int spawn(runner *r, slot *s, size_t i, gr_error *err) {
    char path[PATH_MAX_], ckpt[PATH_MAX_];
    GR_TRY(run_path(r, i, ".h5", path, sizeof path, err));
    GR_TRY(run_path(r, i, ".ckpt.h5", ckpt, sizeof ckpt, err));
    int fds[2];
    if (pipe(fds) != 0) return GR_ERROR(err, GR_EIO, "pipe: %s", strerror(errno));
    if (r->opt->progress) fflush(r->opt->progress);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return GR_ERROR(err, GR_EIO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* the worker: one BLAS thread, write the per-run file, report a write error */
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        openblas_set_num_threads(1);
        gr_error e;
        gr_error_clear(&e);
        int status;
        int st = gr_results_write_run_file(path, r->exp, &r->exp->runs[i], &r->ctx, r->proto, ckpt,
                                           r->opt->resume, &status, &e);
        if (st != GR_OK) {
            size_t len = strlen(e.msg);
            ssize_t wr = write(fds[1], e.msg, len);
            (void)wr;
        }
        close(fds[1]);
        _exit(st == GR_OK ? 0 : 3);
    }
    close(fds[1]);
    s->pid = pid;
    s->fd = fds[0];
    s->run = i;
    s->t0 = gr_time_wall();
    s->msg_len = 0;
    s->msg[0] = '\0';
    return GR_OK;
}

/* The worker of s has closed its pipe: reap it and record its outcome. */
static int finish(runner *r, slot *s, gr_runner_report *rep, gr_error *err) {
    int ws = 0;
    while (waitpid(s->pid, &ws, 0) < 0)
        if (errno != EINTR) return GR_ERROR(err, GR_EINTERNAL, "waitpid: %s", strerror(errno));
    close(s->fd);
    s->fd = -1;
    double wall = gr_time_wall() - s->t0;
    char path[PATH_MAX_];
    GR_TRY(run_path(r, s->run, ".h5", path, sizeof path, err));
    const gr_run_desc *run = &r->exp->runs[s->run];
    int status = GR_RUN_FAILED;
    char reason[GR_ERROR_MSG_MAX + 64] = "";
    gr_results *res = NULL;
    gr_error e;
    gr_error_clear(&e);
    if (access(path, F_OK) == 0 && gr_results_open(&res, path, r->exp->name, &e) == GR_OK &&
        gr_results_run_count(res) == 1) {
        gr_results_run_info info;
        if (gr_results_run_get(res, 0, &info, &e) == GR_OK) {
            status = info.status;
            snprintf(reason, sizeof reason, "%s", info.reason);
        }
        gr_results_close(res);
    } else {
        gr_results_close(res);
        s->msg[s->msg_len] = '\0';
        if (WIFSIGNALED(ws))
            snprintf(reason, sizeof reason, "worker killed by signal %d (%s)", WTERMSIG(ws),
                     strsignal(WTERMSIG(ws)));
        else if (s->msg_len)
            snprintf(reason, sizeof reason, "writing the run's file: %s", s->msg);
        else
            snprintf(reason, sizeof reason, "worker exited with status %d without a file",
                     WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        reason[GR_ERROR_MSG_MAX - 1] = '\0';
        GR_TRY(gr_results_write_failed_run_file(path, r->exp, run, &r->ctx, reason, wall, err));
    }
    if (status == GR_RUN_OK)
        rep->ok++;
    else if (status == GR_RUN_DIVERGED)
        rep->diverged++;
    else
        rep->failed++;
    r->done++;
    char outcome[GR_ERROR_MSG_MAX + 96];
    if (status == GR_RUN_OK)
        snprintf(outcome, sizeof outcome, "ok");
    else
        snprintf(outcome, sizeof outcome, "%s: %s", gr_run_status_name(status), reason);
    say_run(r, s->run, outcome, wall);
    gr_progress_update(&r->prog, r->done);
    return GR_OK;
}

/* The checkpoints of the queued runs, checked by the protocol's checker (protocol.h); see
 * gr_runner_execute. */
static int check_checkpoints(runner *r, const gr_protocol *p, const size_t *queue, size_t nq,
                             gr_error *err) {
    gr_protocol_check_fn check = gr_protocol_checkpoint_check(p);
    if (!check) return GR_OK;
    for (size_t q = 0; q < nq; q++) {
        const gr_run_desc *run = &r->exp->runs[queue[q]];
        char ck[PATH_MAX_];
        GR_TRY(run_path(r, queue[q], ".ckpt.h5", ck, sizeof ck, err));
        if (access(ck, F_OK) != 0) continue;
        gr_error e;
        gr_error_clear(&e);
        if (check(run, ck, &e) == GR_OK) continue;
        /* the reader's message names the file, or gets it here */
        char what[GR_ERROR_MSG_MAX + PATH_MAX_ + 4];
        if (strstr(e.msg, ck))
            snprintf(what, sizeof what, "%s", e.msg);
        else
            snprintf(what, sizeof what, "%s: %s", ck, e.msg);
        if (r->opt->restart_corrupt) {
            if (unlink(ck) != 0 && errno != ENOENT)
                return GR_ERROR(err, GR_EIO, "cannot remove the unusable checkpoint %s: %s", ck,
                                strerror(errno));
            if (r->opt->progress) {
                fprintf(r->opt->progress,
                        "%s: run %s: unusable checkpoint removed, the run starts from step 0 "
                        "(--restart-corrupt): %s\n",
                        r->exp->name, run->id, what);
                fflush(r->opt->progress);
            }
            continue;
        }
        return GR_ERROR(err, GR_EFORMAT,
                        "%s; the checkpoint of run %s cannot be resumed: delete it, or pass "
                        "--restart-corrupt to start that run afresh (nothing was run or written)",
                        what, run->id);
    }
    return GR_OK;
}

static size_t online_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

int gr_runner_execute(const gr_exp_desc *exp, const gr_runner_options *opt_in,
                      gr_runner_report *rep, gr_error *err) {
    if (!rep) return GR_ERROR(err, GR_EINVAL, "runner: NULL report");
    memset(rep, 0, sizeof *rep);
    GR_TRY(gr_exp_desc_check(exp, err));
    gr_runner_options opt = opt_in ? *opt_in : gr_runner_options_default();
    if (!opt.out_dir) opt.out_dir = "results";
    if (opt.restart_corrupt) opt.resume = 1;
    if (opt.shard_count > 1 && opt.shard_index >= opt.shard_count)
        return GR_ERROR(err, GR_EINVAL, "shard %zu/%zu: the index must be below the count",
                        opt.shard_index, opt.shard_count);
    const gr_protocol *p = gr_protocol_find(opt.protocols, exp->protocol);
    if (!p)
        return GR_ERROR(err, GR_EINVAL, "experiment %s: unknown protocol '%s'", exp->name,
                        exp->protocol);
    runner r;
    memset(&r, 0, sizeof r);
    r.exp = exp;
    r.opt = &opt;
    r.proto = p->run;
    double t0 = gr_time_wall();
    GR_TRY(gr_runner_run_dir(r.dir, sizeof r.dir, opt.out_dir, exp->name, err));
    GR_TRY(gr_runner_results_path(rep->results_path, sizeof rep->results_path, opt.out_dir,
                                  exp->name, opt.shard_index, opt.shard_count, err));
    GR_TRY(mkdir_p(opt.out_dir, err));
    GR_TRY(mkdir_p(r.dir, err));
    size_t jobs = opt.jobs ? opt.jobs : online_cores();
    r.ctx.jobs = (int)(jobs > 4096 ? 4096 : jobs);
    r.ctx.shard_index = opt.shard_index;
    r.ctx.shard_count = opt.shard_count;
    gr_time_iso8601(r.ctx.start_time, sizeof r.ctx.start_time);

    size_t n = exp->n_runs;
    size_t *queue = malloc((n ? n : 1) * sizeof *queue);
    const char **files = malloc((n ? n : 1) * sizeof *files);
    char(*paths)[PATH_MAX_] = malloc((n ? n : 1) * sizeof *paths);
    slot *slots = calloc(jobs, sizeof *slots);
    struct pollfd *pfd = calloc(jobs, sizeof *pfd);
    int st = (queue && files && paths && slots && pfd) ? GR_OK
                                                       : GR_ERROR(err, GR_ENOMEM, "runner: memory");
    size_t nq = 0, nsel = 0;
    for (size_t i = 0; st == GR_OK && i < n; i++) {
        if (opt.shard_count > 1 && i % opt.shard_count != opt.shard_index) continue;
        st = run_path(&r, i, ".h5", paths[nsel], sizeof paths[nsel], err);
        if (st != GR_OK) break;
        files[nsel] = paths[nsel];
        nsel++;
        int status;
        char why[GR_ERROR_MSG_MAX + 128];
        if (gr_results_run_file_reusable(files[nsel - 1], exp, &exp->runs[i], &status, why,
                                         sizeof why)) {
            rep->skipped++;
            if (status == GR_RUN_OK)
                rep->ok++;
            else
                rep->diverged++;
        } else {
            queue[nq++] = i;
        }
    }
    /* --resume: every checkpoint a run would continue from is checked before anything
     * runs or is removed; an unusable one stops here (or, --restart-corrupt, is removed
     * and its run starts afresh, said on the progress stream) */
    if (st == GR_OK && (opt.resume || opt.restart_corrupt))
        st = check_checkpoints(&r, p, queue, nq, err);
    for (size_t q = 0; st == GR_OK && q < nq; q++) {
        char rp[PATH_MAX_];
        if (run_path(&r, queue[q], ".h5", rp, sizeof rp, NULL) == GR_OK)
            unlink(rp); /* failed or stale: its replacement is written atomically */
    }
    rep->selected = nsel;
    r.to_run = nq;
    rep->jobs = nq < jobs ? nq : jobs;
    if (st == GR_OK && opt.progress && opt.progress_mode != GR_PROGRESS_OFF) {
        fprintf(opt.progress, "%s: %zu run%s%s, %zu complete (skipped), %zu to run on %zu job%s\n",
                exp->name, nsel, nsel == 1 ? "" : "s", opt.shard_count > 1 ? " in this shard" : "",
                rep->skipped, nq, rep->jobs, rep->jobs == 1 ? "" : "s");
        fflush(opt.progress);
    }
    int started = st == GR_OK; /* a refused checkpoint: no progress lines at all */
    gr_progress_init(&r.prog, opt.progress, exp->name, nq, nq >= 10 ? nq / 10 : 1,
                     opt.progress ? opt.progress_mode : GR_PROGRESS_OFF);
    for (size_t j = 0; j < jobs && slots; j++)
        slots[j].fd = -1;
    size_t next = 0, running = 0;
    while (st == GR_OK && (next < nq || running > 0)) {
        for (size_t j = 0; st == GR_OK && j < jobs && next < nq; j++)
            if (slots[j].fd < 0) {
                st = spawn(&r, &slots[j], queue[next], err);
                if (st == GR_OK) {
                    next++;
                    running++;
                }
            }
        if (st != GR_OK) break;
        size_t np = 0;
        for (size_t j = 0; j < jobs; j++)
            if (slots[j].fd >= 0) {
                pfd[np].fd = slots[j].fd;
                pfd[np].events = POLLIN;
                pfd[np].revents = 0;
                np++;
            }
        int pr = poll(pfd, (nfds_t)np, 1000);
        if (pr < 0 && errno != EINTR) {
            st = GR_ERROR(err, GR_EIO, "poll: %s", strerror(errno));
            break;
        }
        for (size_t j = 0, q = 0; st == GR_OK && j < jobs; j++) {
            if (slots[j].fd < 0) continue;
            struct pollfd *f = &pfd[q++];
            if (!(f->revents & (POLLIN | POLLHUP | POLLERR))) continue;
            slot *s = &slots[j];
            char buf[256];
            ssize_t k = read(s->fd, buf, sizeof buf);
            if (k > 0) {
                size_t room = sizeof s->msg - 1 - s->msg_len,
                       take = (size_t)k < room ? (size_t)k : room;
                memcpy(s->msg + s->msg_len, buf, take);
                s->msg_len += take;
                continue;
            }
            if (k < 0 && errno == EINTR) continue;
            st = finish(&r, s, rep, err);
            running--;
        }
    }
    /* on an error of the runner itself, let the workers finish (their files are atomic) */
    for (size_t j = 0; slots && j < jobs; j++)
        if (slots[j].fd >= 0) {
            int ws;
            close(slots[j].fd);
            while (waitpid(slots[j].pid, &ws, 0) < 0 && errno == EINTR) {
            }
        }
    if (nq && started) gr_progress_finish(&r.prog);
    if (st == GR_OK) {
        size_t written = 0;
        st = gr_results_assemble(rep->results_path, exp, &r.ctx, files, nsel, &written, err);
        if (st == GR_OK && written != nsel)
            st = GR_ERROR(err, GR_EINTERNAL, "assembled %zu of %zu runs", written, nsel);
    }
    if (st == GR_OK) {
        for (size_t i = 0; i < n; i++) {
            if (opt.shard_count > 1 && i % opt.shard_count != opt.shard_index) continue;
            char ck[PATH_MAX_];
            int status;
            char rp[PATH_MAX_];
            if (run_path(&r, i, ".ckpt.h5", ck, sizeof ck, NULL) == GR_OK &&
                access(ck, F_OK) == 0 && run_path(&r, i, ".h5", rp, sizeof rp, NULL) == GR_OK &&
                gr_results_run_file_reusable(rp, exp, &exp->runs[i], &status, NULL, 0) &&
                status == GR_RUN_OK)
                unlink(ck);
        }
    }
    rep->wall_s = gr_time_wall() - t0;
    free(queue);
    free(files);
    free(paths);
    free(slots);
    free(pfd);
    return st;
}
