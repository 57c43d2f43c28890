/* tests/fuzz/replay.c — the main of test_fuzz_replay_<target>: feeds every file of the
 * folders on the command line, in name order, to the target's LLVMFuzzerTestOneInput, as
 * libFuzzer would, so every build (no clang needed) replays the seed corpus and the
 * regression inputs of past crashes. A broken contract or a crash aborts the program (ctest
 * reports the failure; in the sanitizer build ASan/UBSan name the bad access).
 *
 *   test_fuzz_replay_<target> DIR... [--optional DIR...]
 *
 * A folder before --optional must exist and hold at least one file (a lost corpus fails the
 * test rather than passing it empty); those after may be missing or empty (no crash so far). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "test.h"

long gr_fuzz_accepted = 0;

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

/* Replays every regular file of dir; returns how many (or -1 if dir cannot be opened). */
static long replay_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (names[n]) n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_names);
    long done = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t size = 0;
        unsigned char *buf = slurp(path, &size);
        CHECK(buf != NULL);
        if (buf) {
            fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
            LLVMFuzzerTestOneInput(buf, size);
            free(buf);
            done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv) {
    int optional = 0;
    long total = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--optional") == 0) {
            optional = 1;
            continue;
        }
        gr_test_current_ = argv[i];
        long accepted_before = gr_fuzz_accepted;
        long n = replay_dir(argv[i]);
        if (!optional) {
            CHECK(n >= 1);                                  /* a required corpus is there */
            CHECK(gr_fuzz_accepted - accepted_before >= 1); /* and holds a valid input */
        }
        if (n > 0) total += n;
        if (n >= 0) CHECK(1); /* every input of this folder returned */
        fprintf(stderr, "%s: %ld inputs, %ld accepted\n", argv[i], n < 0 ? 0 : n,
                gr_fuzz_accepted - accepted_before);
    }
    CHECK(total >= 1);
    fprintf(stderr, "%ld inputs replayed\n", total);
    return TEST_MAIN_END();
}
