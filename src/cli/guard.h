/* cli/guard.h — a last line of defence around reads of outside files that libhdf5 parses.
 *
 * The readers validate what they can before HDF5 walks a file (io/points.h,
 * io/checkpoint.h), but HDF5 1.10 can still crash on damage in metadata it parses while
 * opening a file (a corrupt symbol table or chunk index: SIGSEGV, SIGFPE), before any check
 * of ours runs. Around such a read the CLI installs handlers for SIGSEGV, SIGBUS, SIGFPE and
 * SIGILL that print one line naming the file and what it means, and exit with status 2
 * (bad input), instead of dying with a bare "Segmentation fault". Nothing is written by
 * the command before its inputs are read, so no output file can be left half-written.
 *
 * Only the CLI exits, so this lives in cli/. Not thread-safe (one guarded read at a time).
 */
#ifndef GR_CLI_GUARD_H
#define GR_CLI_GUARD_H

/* Guard what follows as "reading PATH". Nests only by replacement (the newer PATH names
 * the read). Cannot fail: if the handlers cannot be installed, the read runs unguarded. */
void gr_cli_guard_begin(const char *path);

/* Put the previous handlers back. */
void gr_cli_guard_end(void);

/* TEST HOOK: when the environment has GR_CLI_TEST_FAULT=SEGV (or FPE), raise that signal
 * here, inside the guarded region, so tests can check the message and the exit status
 * without a file that crashes HDF5. Not for production use. */
void gr_cli_guard_test_fault(void);

#endif
