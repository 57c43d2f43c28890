/* cli/guard.c — the crash guard of cli/guard.h: signal handlers that report the file being
 * read and exit 2. The handler uses only async-signal-safe calls (write, _exit) and runs on
 * its own stack (sigaltstack), so it works even when the fault is a stack overflow. */
#include "cli/guard.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

static const int GUARDED[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define N_GUARDED (sizeof GUARDED / sizeof GUARDED[0])

static struct sigaction saved[N_GUARDED];
static int active = 0;
static char msg_head[1024]; /* "ganrepro: reading PATH: libhdf5 crashed (" */
static size_t msg_head_len = 0;
static char alt_stack[1 << 16]; /* 64 KiB, above MINSIGSTKSZ on every Linux */

static void say(const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_fault(int sig) {
    static const char tail[] =
        "): the file is damaged or is not a valid HDF5 file. ganrepro verifies the files it "
        "writes; any other HDF5 file is read at HDF5's own risk, so give untrusted point "
        "data as text (docs/DESIGN.md).\n";
    const char *name = sig == SIGSEGV  ? "SIGSEGV"
                       : sig == SIGBUS ? "SIGBUS"
                       : sig == SIGFPE ? "SIGFPE"
                                       : "SIGILL";
    say(msg_head, msg_head_len);
    say(name, strlen(name));
    say(tail, sizeof tail - 1);
    _exit(GR_EXIT_USAGE);
}

void gr_cli_guard_begin(const char *path) {
    int n = snprintf(msg_head, sizeof msg_head, "ganrepro: reading %s: the reader crashed (",
                     path ? path : "(input)");
    msg_head_len = n < 0 ? 0 : (size_t)n < sizeof msg_head ? (size_t)n : sizeof msg_head - 1;
    if (active) return;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    int alt = sigaltstack(&ss, NULL) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = alt ? SA_ONSTACK : 0;
    for (size_t i = 0; i < N_GUARDED; i++)
        if (sigaction(GUARDED[i], &sa, &saved[i]) != 0) saved[i].sa_handler = SIG_DFL;
    active = 1;
}

void gr_cli_guard_end(void) {
    if (!active) return;
    for (size_t i = 0; i < N_GUARDED; i++)
        sigaction(GUARDED[i], &saved[i], NULL);
    active = 0;
}

void gr_cli_guard_test_fault(void) {
    const char *f = getenv("GR_CLI_TEST_FAULT");
    if (!f || !*f) return;
    if (!strcmp(f, "SEGV")) raise(SIGSEGV);
    if (!strcmp(f, "FPE")) raise(SIGFPE);
}
