/* cli/main.c — the ganrepro executable: dispatch to subcommands, --help, --version.
 * Only working subcommands are listed in the table below. Whatever ran, stdout is
 * flushed and closed before exiting, and a failed write (full disk, > /dev/full) makes
 * the exit status non-zero: a value that never reached its file must not look delivered.
 * Commands therefore return their status to main() rather than calling exit(). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/error.h"
#include "core/version.h"
#include "linalg/blas_core.h"

const gr_command gr_commands[] = {
    {"distance", "W1, W2, Sinkhorn, JS or KL between two point files", gr_cmd_distance},
    {"list", "the declared experiments: claims, runs and estimated time per profile", gr_cmd_list},
    {"run", "run an experiment file: every run of its sweep x seeds, into results/NAME.h5",
     gr_cmd_run},
    {"merge", "join the shard files of one experiment into its results file", gr_cmd_merge},
    {"verify", "evaluate the declared pass criteria on results files: PASS/FAIL per claim",
     gr_cmd_verify},
    {"table", "tables of the summary metrics, mean +- std over seeds (LaTeX, Markdown, CSV)",
     gr_cmd_table},
    {"plot", "export a results file's data and draw its figures with plots/NAME.gp", gr_cmd_plot},
    {"classifier", "obtain the MNIST classifier (load its cache or train it, with progress)",
     gr_cmd_classifier},
    {NULL, NULL, NULL},
};

/* Flush and close stdout; on a write error say so on stderr and turn a success status
 * into GR_EXIT_FAIL (an earlier failure status is kept). */
static int close_stdout(int rc) {
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad) return rc;
    fprintf(stderr, "ganrepro: error writing to standard output: %s\n",
            e ? strerror(e) : "write error");
    return rc == GR_EXIT_OK ? GR_EXIT_FAIL : rc;
}

static void print_help(FILE *out) {
    fprintf(out,
            "ganrepro %s — reproducibility suite for the theory of GAN training\n"
            "\n"
            "usage: ganrepro COMMAND [ARGS...]\n"
            "       ganrepro COMMAND --help\n"
            "       ganrepro --version\n"
            "\n"
            "commands:\n",
            gr_version());
    int any = 0;
    for (const gr_command *c = gr_commands; c->name; c++) {
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
        any = 1;
    }
    if (!any) fprintf(out, "  (none yet: this build has only --help and --version)\n");
    fprintf(out, "\n"
                 "exit status: 0 success; 1 no result delivered (a solver could not certify\n"
                 "one, or stdout could not be written); 2 usage or input error.\n"
                 "environment: OPENBLAS_NUM_THREADS sets the BLAS thread count;\n"
                 "  OPENBLAS_CORETYPE chooses OpenBLAS's kernels (unset: OpenBLAS picks, and\n"
                 "  ganrepro runs again on SkylakeX or Haswell kernels when that pick leaves out\n"
                 "  the CPU's AVX-512 or AVX2; --version says which kernels run).\n"
                 "See README.md for the tutorial, the tests and the C library.\n");
}

static void print_version(void) {
    printf("ganrepro %s (commit %s, %s build)\n", gr_version(), gr_git_commit(), gr_build_type());
    gr_blas_info b;
    gr_blas_info_get(&b);
    char core[256];
    gr_blas_info_describe(&b, core, sizeof core);
    printf("BLAS library: %s\nBLAS core: %s\nBLAS threads: %d\n", b.config, core, b.threads);
}

int main(int argc, char **argv) {
    gr_blas_ensure_core(argc, argv); /* first: may run the program again (linalg/blas_core.h) */
    gr_core_init();
    if (argc < 2) {
        print_help(stderr);
        return GR_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help(stdout);
        return close_stdout(GR_EXIT_OK);
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        print_version();
        return close_stdout(GR_EXIT_OK);
    }
    for (const gr_command *c = gr_commands; c->name; c++)
        if (!strcmp(cmd, c->name)) return close_stdout(c->run(argc - 1, argv + 1));
    fprintf(stderr, "ganrepro: unknown command '%s' (see 'ganrepro --help')\n", cmd);
    return GR_EXIT_USAGE;
}
