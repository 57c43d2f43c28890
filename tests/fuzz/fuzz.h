/* tests/fuzz/fuzz.h — what every fuzz target shares (header only).
 *
 * A target is one file tests/fuzz/fuzz_<name>.c defining LLVMFuzzerTestOneInput (libFuzzer's
 * entry point) and one line gr_fuzz_target(<name>) in tests/fuzz/CMakeLists.txt. The same file
 * is linked twice: with libFuzzer (-DGR_FUZZ=ON, clang, build-fuzz/) into fuzz_<name>, and in
 * every build with tests/fuzz/replay.c into test_fuzz_replay_<name>, a unit test that feeds it
 * every file of tests/fuzz/corpus/<name>/ and tests/fuzz/regress/<name>/.
 *
 * A target must not print or exit: it reads the input through the public reader, checks the
 * reader's contract on the result (GR_FUZZ_CHECK: success gives what the header promises, a
 * failure gives a known status, a message and untouched outputs), frees everything, and
 * returns 0. A broken contract aborts, which both libFuzzer and the replay test report.
 *
 * File-based readers get the input as a file: gr_fuzz_file writes it once per input to
 * /dev/shm (tmpfs: no disk traffic; $TMPDIR or /tmp when /dev/shm is not writable) under a name
 * unique to the process and the tag, and gr_fuzz_unlink removes it after the call, so nothing
 * accumulates over millions of inputs.
 */
#ifndef GR_TESTS_FUZZ_H
#define GR_TESTS_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs a reader accepted (GR_OK). Defined only by replay.c, which checks that every seed
 * corpus holds at least one valid input (so mutations start past the first checks); in the
 * libFuzzer build the weak reference is NULL and nothing is counted. */
extern long gr_fuzz_accepted __attribute__((weak));
static inline void gr_fuzz_note_accepted(void) {
    if (&gr_fuzz_accepted) gr_fuzz_accepted++;
}

/* A broken contract: say which and abort (libFuzzer saves the input as a crash). */
#define GR_FUZZ_CHECK(cond, ...)                                                                   \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: %s:%d: contract broken: %s: ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A failed read: a known negative status, recorded in err with a non-empty message. */
static inline void gr_fuzz_check_failure(int status, const gr_error *err) {
    GR_FUZZ_CHECK(status < 0 && status > GR_EINTERNAL, "status %d is not a reader's failure",
                  status);
    GR_FUZZ_CHECK(err->status == status, "err->status %d, returned %d", err->status, status);
    GR_FUZZ_CHECK(err->msg[0] != '\0', "status %d with an empty message", status);
    GR_FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL, "message not terminated");
}

static inline const char *gr_fuzz_dir_(void) {
    static char dir[256];
    if (dir[0]) return dir;
    const char *d = "/dev/shm";
    if (access(d, W_OK) != 0) {
        d = getenv("TMPDIR");
        if (!d || !*d) d = "/tmp";
    }
    snprintf(dir, sizeof dir, "%s", d);
    return dir;
}

/* Write size bytes to "<dir>/gr-fuzz-<pid>-<tag>" (replacing it) and return that path (a
 * static buffer per tag slot: slot 0..3, so a target may hold up to four files at once).
 * Failing to write is the test machine's problem, not the reader's: abort with the reason. */
static inline const char *gr_fuzz_file_slot(int slot, const char *tag, const void *data,
                                            size_t size) {
    static char paths[4][320];
    char *path = paths[slot & 3];
    snprintf(path, sizeof paths[0], "%s/gr-fuzz-%ld-%s", gr_fuzz_dir_(), (long)getpid(), tag);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    GR_FUZZ_CHECK(fd >= 0, "cannot create %s: %s", path, strerror(errno));
    const unsigned char *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        GR_FUZZ_CHECK(w > 0, "cannot write %s: %s", path, strerror(errno));
        p += w;
        left -= (size_t)w;
    }
    GR_FUZZ_CHECK(close(fd) == 0, "cannot close %s: %s", path, strerror(errno));
    return path;
}

static inline const char *gr_fuzz_file(const char *tag, const void *data, size_t size) {
    return gr_fuzz_file_slot(0, tag, data, size);
}

static inline void gr_fuzz_unlink(const char *path) { (void)unlink(path); }

#endif
