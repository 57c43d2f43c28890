/* cli/results_args.c — the arguments and inputs the results commands share
 * (cli/results_args.h). */
#include "cli/results_args.h"

#include <string.h>

#include "cli/commands.h"
#include "cli/guard.h"

int gr_cli_results_arg(const char *cmd, const char *a, void (*usage)(FILE *out), const char **files,
                       size_t *nf) {
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
        usage(stdout);
        return GR_EXIT_OK;
    }
    if (a[0] == '-' && a[1]) {
        fprintf(stderr, "ganrepro %s: unknown option '%s' (see --help)\n", cmd, a);
        return GR_EXIT_USAGE;
    }
    files[(*nf)++] = a;
    return -1;
}

int gr_cli_results_open(gr_resview **out, const char *path, gr_error *err) {
    gr_cli_guard_begin(path);
    int st = gr_resview_open(out, path, err);
    gr_cli_guard_end();
    return st;
}
