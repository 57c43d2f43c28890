/* cli/cmd_run.c — `ganrepro run EXPERIMENT.cfg [--dry-run] [--profile P] [--set K=V]...`:
 * read an experiment file strictly, resolve it and expand it into runs (harness/plan.h);
 * --dry-run prints the runs (id, seed, swept values) and the declaration hash, or, with
 * --declaration, the resolved declaration itself. Without --dry-run the plan goes to the
 * runner (gr_cli_run_execute, cli/cmd_run.h). A malformed file is one line on stderr,
 * "FILE:LINE: what is wrong; what is accepted", and exit status 2.
 */
#include "cli/cmd_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/error.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: ganrepro run EXPERIMENT.cfg [options]\n"
            "\n"
            "Read an experiment file (docs/EXPERIMENTS.md), resolve it (defaults, the\n"
            "profile's sizes, --set overrides) and expand its sweeps and seeds into runs.\n"
            "Each run's id is the first 16 hex digits of the SHA-256 of its own resolved\n"
            "settings, so reformatting or renaming reruns nothing.\n"
            "\n"
            "options:\n"
            "  --dry-run          print the runs (index, id, seed, swept values) and the\n"
            "                     declaration's hash; run nothing\n"
            "  --declaration      with --dry-run: print the resolved declaration (canonical\n"
            "                     libconfig, what the hash covers) instead\n"
            "  --profile P        sizes of profile P: ci, quick (default) or full\n"
            "  --set KEY=VALUE    override one key (typed by the schema; repeatable), e.g.\n"
            "                     --set schedule.steps=100 --set 'method.optim_d.name=\"adam\"'\n"
            "  --shard I/N        only runs with index %% N == I (0 <= I < N)\n"
            "  --jobs N           run N runs at once, each in its own process with one BLAS\n"
            "                     thread (default: the number of online cores)\n"
            "  --out DIR          results folder (default results): DIR/NAME.h5, per-run\n"
            "                     files under DIR/NAME.d/ until they are assembled\n"
            "  --resume           continue interrupted runs from their checkpoints\n"
            "                     (DIR/NAME.d/<id>.ckpt.h5). Every checkpoint is checked\n"
            "                     before anything runs (readable, this run's, every\n"
            "                     checksum); an unusable one stops the command: one line\n"
            "                     naming the file and what was expected, exit 2, nothing\n"
            "                     run or written. Delete that file, or:\n"
            "  --restart-corrupt  --resume, but a run whose checkpoint is unusable is\n"
            "                     started from step 0 (its checkpoint removed, one line\n"
            "                     says so) instead of stopping\n"
            "\n"
            "Runs whose per-run file is complete with the same id are skipped; a failed or\n"
            "diverged run is recorded with its status and reason and the others carry on.\n"
            "Without --resume, checkpoints are not read: interrupted runs start afresh.\n"
            "\n"
            "exit status: 0 every run completed (ok or diverged) or dry run printed; 1 some\n"
            "run failed; 2 usage error, malformed experiment file (one line: FILE:LINE:\n"
            "what is wrong; what is accepted) or other bad input (MNIST files, an unusable\n"
            "checkpoint with --resume: one line naming the file).\n");
}

static int parse_size(const char *opt, const char *s, size_t *v, FILE *errout) {
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || x > 1000000) {
        fprintf(errout, "ganrepro run: %s: '%s' is not a count (0 to 1000000)\n", opt, s);
        return 0;
    }
    *v = (size_t)x;
    return 1;
}

int gr_cli_run_parse(int argc, char **argv, gr_cli_run_args *a, FILE *errout) {
    memset(a, 0, sizeof *a);
    a->out = "results";
    a->sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->sets);
    if (!a->sets) {
        fprintf(errout, "ganrepro run: out of memory\n");
        return GR_EXIT_USAGE;
    }
    int seen_profile = 0, seen_jobs = 0, seen_out = 0, seen_shard = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            a->help = 1;
            return GR_EXIT_OK;
        }
        int takes = !strcmp(o, "--profile") || !strcmp(o, "--set") || !strcmp(o, "--jobs") ||
                    !strcmp(o, "--out") || !strcmp(o, "--shard");
        if (takes && i + 1 >= argc) {
            fprintf(errout, "ganrepro run: %s needs a value\n", o);
            return GR_EXIT_USAGE;
        }
        int *seen = !strcmp(o, "--profile") ? &seen_profile
                    : !strcmp(o, "--jobs")  ? &seen_jobs
                    : !strcmp(o, "--out")   ? &seen_out
                    : !strcmp(o, "--shard") ? &seen_shard
                                            : NULL;
        if (seen && (*seen)++) {
            fprintf(errout, "ganrepro run: %s given twice\n", o);
            return GR_EXIT_USAGE;
        }
        if (!strcmp(o, "--dry-run"))
            a->dry_run = 1;
        else if (!strcmp(o, "--declaration"))
            a->declaration = 1;
        else if (!strcmp(o, "--resume"))
            a->resume = 1;
        else if (!strcmp(o, "--restart-corrupt"))
            a->restart_corrupt = a->resume = 1;
        else if (!strcmp(o, "--profile")) {
            a->profile = argv[++i];
            if (strcmp(a->profile, "ci") && strcmp(a->profile, "quick") &&
                strcmp(a->profile, "full")) {
                fprintf(errout, "ganrepro run: unknown profile '%s': expected ci, quick or full\n",
                        a->profile);
                return GR_EXIT_USAGE;
            }
        } else if (!strcmp(o, "--set"))
            a->sets[a->n_sets++] = argv[++i];
        else if (!strcmp(o, "--out"))
            a->out = argv[++i];
        else if (!strcmp(o, "--jobs")) {
            if (!parse_size(o, argv[++i], &a->jobs, errout)) return GR_EXIT_USAGE;
            if (a->jobs == 0) {
                fprintf(errout, "ganrepro run: --jobs: at least 1\n");
                return GR_EXIT_USAGE;
            }
        } else if (!strcmp(o, "--shard")) {
            const char *s = argv[++i];
            const char *slash = strchr(s, '/');
            char ibuf[32];
            if (!slash || (size_t)(slash - s) >= sizeof ibuf) {
                fprintf(errout, "ganrepro run: --shard: '%s' is not I/N\n", s);
                return GR_EXIT_USAGE;
            }
            snprintf(ibuf, sizeof ibuf, "%.*s", (int)(slash - s), s);
            if (!parse_size(o, ibuf, &a->shard_i, errout) ||
                !parse_size(o, slash + 1, &a->shard_n, errout))
                return GR_EXIT_USAGE;
            if (a->shard_n == 0 || a->shard_i >= a->shard_n) {
                fprintf(errout, "ganrepro run: --shard %s: need 0 <= I < N\n", s);
                return GR_EXIT_USAGE;
            }
        } else if (o[0] == '-' && o[1]) {
            fprintf(errout, "ganrepro run: unknown option '%s' (see 'ganrepro run --help')\n", o);
            return GR_EXIT_USAGE;
        } else if (a->path) {
            fprintf(errout, "ganrepro run: one experiment file at a time ('%s' and '%s')\n",
                    a->path, o);
            return GR_EXIT_USAGE;
        } else
            a->path = o;
    }
    if (!a->path) {
        fprintf(errout, "ganrepro run: no experiment file (usage: ganrepro run EXPERIMENT.cfg "
                        "[options])\n");
        return GR_EXIT_USAGE;
    }
    if (a->declaration && !a->dry_run) {
        fprintf(errout, "ganrepro run: --declaration goes with --dry-run\n");
        return GR_EXIT_USAGE;
    }
    return GR_EXIT_OK;
}

void gr_cli_run_args_free(gr_cli_run_args *a) {
    free(a->sets);
    a->sets = NULL;
}

int gr_cli_run_in_shard(const gr_cli_run_args *a, size_t i) {
    return a->shard_n == 0 || i % a->shard_n == a->shard_i;
}

static void print_dry_run(const gr_plan *p, const gr_cli_run_args *a) {
    if (a->declaration) {
        fputs(gr_plan_text(p), stdout);
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < gr_plan_n_runs(p); i++)
        shown += (size_t)gr_cli_run_in_shard(a, i);
    printf("# experiment: %s\n# claims:", gr_plan_name(p));
    for (size_t i = 0; i < gr_plan_n_claims(p); i++)
        printf(" %s", gr_plan_claim(p, i));
    printf("\n# protocol: %s\n# profile: %s\n# declaration: %s\n", gr_plan_protocol(p),
           gr_plan_profile(p), gr_plan_hash(p));
    if (a->shard_n)
        printf("# runs: %zu of %zu (shard %zu/%zu)\n", shown, gr_plan_n_runs(p), a->shard_i,
               a->shard_n);
    else
        printf("# runs: %zu\n", gr_plan_n_runs(p));
    printf("run\tid\tseed");
    for (size_t j = 0; j < gr_plan_n_axes(p); j++)
        printf("\t%s", gr_plan_axis(p, j));
    printf("\n");
    for (size_t i = 0; i < gr_plan_n_runs(p); i++) {
        if (!gr_cli_run_in_shard(a, i)) continue;
        const gr_run *r = gr_plan_run(p, i);
        printf("%zu\t%s\t%llu", i, gr_run_id(r), (unsigned long long)gr_run_seed(r));
        for (size_t j = 0; j < gr_plan_n_axes(p); j++) {
            const char *v = gr_run_swept_value(r, j);
            printf("\t%s", v ? v : "-");
        }
        printf("\n");
    }
}

int gr_cmd_run(int argc, char **argv) {
    gr_cli_run_args a;
    int rc = gr_cli_run_parse(argc, argv, &a, stderr);
    if (rc != GR_EXIT_OK || a.help) {
        if (a.help) usage(stdout);
        gr_cli_run_args_free(&a);
        return rc;
    }
    gr_plan_options opt = gr_plan_options_default();
    opt.profile = a.profile;
    opt.sets = a.sets;
    opt.n_sets = a.n_sets;
    gr_plan *plan;
    gr_error err;
    int st = gr_plan_load(&plan, a.path, &opt, &err);
    if (st != GR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        gr_cli_run_args_free(&a);
        return GR_EXIT_USAGE;
    }
    if (a.dry_run) {
        print_dry_run(plan, &a);
        rc = GR_EXIT_OK;
    } else {
        rc = gr_cli_run_execute(plan, &a);
    }
    gr_plan_free(plan);
    gr_cli_run_args_free(&a);
    return rc;
}
