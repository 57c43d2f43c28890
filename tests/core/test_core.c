/* tests/core/test_core.c — unit tests for src/core: error records, RNG streams (seeding
 * against the Mersenne-Twister reference output, independence, state save/restore),
 * timers, progress reporting and logging levels. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/progress.h"
#include "core/rng.h"
#include "core/timer.h"
#include "core/version.h"
#include "test.h"

static int raise_inval(gr_error *err, int n) {
    if (n <= 0) return GR_ERROR(err, GR_EINVAL, "n must be positive, got %d", n);
    return GR_OK;
}

static int propagate(gr_error *err, int n) {
    GR_TRY(raise_inval(err, n));
    return GR_OK;
}

static void test_error_records(void) {
    gr_error err;
    gr_error_clear(&err);
    CHECK(err.status == GR_OK && err.msg[0] == '\0' && err.file == NULL);
    CHECK_STATUS(propagate(&err, -3), GR_EINVAL);
    CHECK(err.status == GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n must be positive, got -3");
    CHECK_STR_CONTAINS(err.file, "test_core.c");
    CHECK(err.line > 0);
    CHECK_STATUS(propagate(&err, 4), GR_OK);
    /* NULL record: status only, no crash */
    CHECK_STATUS(propagate(NULL, 0), GR_EINVAL);
    /* the propagated status survives a NULL record (issue 8: it used to become GR_OK) */
    CHECK_STATUS(gr_error_prefix(NULL, GR_EFORMAT, "x"), GR_EFORMAT);

    raise_inval(&err, 0);
    int line = err.line;
    CHECK_STATUS(gr_error_prefix(&err, GR_EINVAL, "reading %s: ", "points.txt"), GR_EINVAL);
    CHECK(strcmp(err.msg, "reading points.txt: n must be positive, got 0") == 0);
    /* a caller may re-classify the failure: the record's code follows, the location stays */
    CHECK_STATUS(gr_error_prefix(&err, GR_EFORMAT, "ctx: "), GR_EFORMAT);
    CHECK(err.status == GR_EFORMAT && err.line == line);
    CHECK(strcmp(err.msg, "ctx: reading points.txt: n must be positive, got 0") == 0);

    /* an over-long message is cut with a visible mark, never overflowed */
    char big[2 * GR_ERROR_MSG_MAX];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    GR_ERROR(&err, GR_EIO, "%s", big);
    CHECK(strlen(err.msg) == GR_ERROR_MSG_MAX - 1);
    CHECK(strcmp(err.msg + GR_ERROR_MSG_MAX - 4, "...") == 0);
    gr_error_prefix(&err, GR_EIO, "%s", "ctx: ");
    CHECK(strncmp(err.msg, "ctx: aaa", 8) == 0);
    CHECK(strlen(err.msg) == GR_ERROR_MSG_MAX - 1);
}

static void test_strerror(void) {
    /* every code has its own description; unknown codes are named as such */
    const char *seen[16];
    int n = 0;
    for (int code = GR_OK; code >= GR_EINTERNAL; code--) {
        const char *s = gr_strerror(code);
        CHECK(s != NULL && strcmp(s, "unknown status") != 0);
        for (int i = 0; i < n; i++)
            CHECK(strcmp(seen[i], s) != 0);
        seen[n++] = s;
    }
    CHECK(strcmp(gr_strerror(-999), "unknown status") == 0);
    CHECK(strcmp(gr_strerror(1), "unknown status") == 0);
}

/* Reference: mt19937ar.c (Matsumoto & Nishimura, 2002) seeded with
 * init_by_array({0x123, 0x234, 0x345, 0x456}, 4); its published mt19937ar.out begins
 * 1067595299 955945823 477289528 4107218783 4228976476. gr_rng keys init_by_array with
 * (seed lo, seed hi, stream lo, stream hi). */
static void test_rng_reference_output(void) {
    uint64_t seed = ((uint64_t)0x234 << 32) | 0x123;
    uint64_t stream = ((uint64_t)0x456 << 32) | 0x345;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, seed, stream, NULL), NULL);
    CHECK(r != NULL);
    if (!r) return;
    const unsigned long want[5] = {1067595299UL, 955945823UL, 477289528UL, 4107218783UL,
                                   4228976476UL};
    for (int i = 0; i < 5; i++)
        CHECK(gsl_rng_get(r) == want[i]);
    gr_rng_free(r);
}

static void test_rng_reproducible_and_distinct(void) {
    gsl_rng *a = NULL;
    CHECK_OK(gr_rng_alloc(&a, 2017, GR_STREAM_PRIOR, NULL), NULL);
    gsl_rng *b = NULL;
    CHECK_OK(gr_rng_alloc(&b, 2017, GR_STREAM_PRIOR, NULL), NULL);
    gsl_rng *c = NULL;
    CHECK_OK(gr_rng_alloc(&c, 2017, GR_STREAM_DATA, NULL), NULL);
    gsl_rng *d = NULL;
    CHECK_OK(gr_rng_alloc(&d, 2017 + ((uint64_t)1 << 32), GR_STREAM_PRIOR, NULL),
             NULL); /* high bits */
    CHECK(a && b && c && d);
    if (!(a && b && c && d)) return;
    int same_ab = 1, same_ac = 0, same_ad = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned long xa = gsl_rng_get(a), xb = gsl_rng_get(b), xc = gsl_rng_get(c),
                      xd = gsl_rng_get(d);
        same_ab &= xa == xb;
        same_ac += xa == xc;
        same_ad += xa == xd;
    }
    CHECK(same_ab);
    CHECK(same_ac == 0); /* P(any 32-bit collision in 1000 draws) ~ 2e-7 */
    CHECK(same_ad == 0); /* seeds differing only above bit 32 are different streams */

    /* re-seeding reproduces the start of the stream */
    gr_error err;
    CHECK_OK(gr_rng_seed(b, 2017, GR_STREAM_DATA, &err), &err);
    gsl_rng *c2 = NULL;
    CHECK_OK(gr_rng_alloc(&c2, 2017, GR_STREAM_DATA, &err), &err);
    int same = 1;
    for (int i = 0; i < 100; i++)
        same &= gsl_rng_get(b) == gsl_rng_get(c2);
    CHECK(same);
    gr_rng_free(a);
    gr_rng_free(b);
    gr_rng_free(c);
    gr_rng_free(c2);
    gr_rng_free(d);
    gr_rng_free(NULL); /* no-op */
}

/* Streams of consecutive ids must look independent: correlation of 10^5 paired
 * uniforms is N(0, 1/n) under independence, so |r| < 5/sqrt(n) = 0.0158 fails with
 * probability ~6e-7 per pair; checked for 8 neighbouring stream pairs. */
static void test_rng_streams_uncorrelated(void) {
    enum { N = 100000, S = 9 };
    static double u[S][N];
    for (int s = 0; s < S; s++) {
        gsl_rng *r = NULL;
        CHECK_OK(gr_rng_alloc(&r, 42, (uint64_t)s, NULL), NULL);
        CHECK(r != NULL);
        if (!r) return;
        for (int i = 0; i < N; i++)
            u[s][i] = gsl_rng_uniform(r);
        gr_rng_free(r);
    }
    for (int s = 0; s + 1 < S; s++) {
        double rho = gsl_stats_correlation(u[s], 1, u[s + 1], 1, N);
        CHECK(fabs(rho) < 5.0 / sqrt((double)N));
        /* each stream is uniform: mean 1/2 with s.e. sqrt(1/12/N) */
        CHECK_CLOSE(gsl_stats_mean(u[s], 1, N), 0.5, 0, 5.0 * sqrt(1.0 / 12.0 / N));
    }
}

static void test_rng_state_round_trip(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_TEST, &err), &err);
    CHECK(r != NULL);
    if (!r) return;
    for (int i = 0; i < 777; i++)
        gsl_rng_get(r); /* mid-block position */
    size_t size = gr_rng_state_size(r);
    CHECK(size > 624 * 4);
    unsigned char *buf = malloc(size);
    CHECK_OK(gr_rng_state_save(r, buf, size, &err), &err);
    double before[50], after[50];
    for (int i = 0; i < 50; i++)
        before[i] = gsl_ran_gaussian(r, 1.0);
    gsl_rng *q = NULL;
    CHECK_OK(gr_rng_alloc(&q, 99, 1, &err), &err); /* a different stream, restored into */
    CHECK_OK(gr_rng_state_load(q, buf, size, &err), &err);
    for (int i = 0; i < 50; i++)
        after[i] = gsl_ran_gaussian(q, 1.0);
    CHECK(memcmp(before, after, sizeof before) == 0);

    /* error paths: wrong sizes, corrupt position, non-32-bit word, NULLs, wrong type */
    CHECK_STATUS(gr_rng_state_save(r, buf, size - 1, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "bytes");
    CHECK_STATUS(gr_rng_state_load(q, buf, size + 1, &err), GR_EINVAL);
    int bad_pos = 1000;
    memcpy(buf + 624 * sizeof(unsigned long), &bad_pos, sizeof bad_pos);
    CHECK_STATUS(gr_rng_state_load(q, buf, size, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "position 1000");
    gr_rng_state_save(r, buf, size, &err);
    unsigned long wide = 0x1ffffffffUL;
    memcpy(buf, &wide, sizeof wide);
    CHECK_STATUS(gr_rng_state_load(q, buf, size, &err), GR_EFORMAT);
    CHECK_STATUS(gr_rng_state_load(NULL, buf, size, &err), GR_EINVAL);
    CHECK_STATUS(gr_rng_state_save(r, NULL, size, &err), GR_EINVAL);
    gsl_rng *taus = gsl_rng_alloc(gsl_rng_taus2);
    CHECK_STATUS(gr_rng_seed(taus, 1, 1, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "mt19937");
    gsl_rng_free(taus);
    free(buf);
    gr_rng_free(r);
    gr_rng_free(q);
}

/* gr_rng_uniform_fill must be n calls of gsl_rng_uniform, value for value and state for
 * state: from a fresh stream, mid-block, across many block boundaries, interleaved with
 * single draws, with other intervals, and for a non-mt19937 generator (fallback path). */
static void test_rng_uniform_fill(void) {
    enum { MAXN = 3000 };
    static float bulk[MAXN];
    const size_t sizes[] = {0, 1, 5, 623, 624, 625, 1248, 1900, MAXN};
    const double iv[][2] = {{-1.0, 1.0}, {0.0, 1.0}, {-3.5, 0.25}};
    size_t mismatches = 0, state_diffs = 0, checked = 0;
    for (size_t iv_i = 0; iv_i < 3; iv_i++) {
        double lo = iv[iv_i][0], hi = iv[iv_i][1];
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            for (int skip = 0; skip < 700;
                 skip += 233) { /* start at block offsets 0, 233, 466, 699 */
                gsl_rng *a = NULL;
                CHECK_OK(gr_rng_alloc(&a, 11, GR_STREAM_TEST, NULL), NULL);
                gsl_rng *b = NULL;
                CHECK_OK(gr_rng_alloc(&b, 11, GR_STREAM_TEST, NULL), NULL);
                if (!a || !b) {
                    CHECK(0);
                    return;
                }
                for (int i = 0; i < skip; i++) {
                    gsl_rng_get(a);
                    gsl_rng_get(b);
                }
                size_t n = sizes[si];
                gr_rng_uniform_fill(a, bulk, n, lo, hi);
                for (size_t i = 0; i < n; i++) {
                    volatile double t = (hi - lo) * gsl_rng_uniform(b); /* no fma */
                    float one = (float)(lo + t);
                    if (memcmp(&one, &bulk[i], sizeof one) != 0) mismatches++;
                    checked++;
                }
                for (int i = 0; i < 700; i++) /* same state: the next draws agree */
                    if (gsl_rng_get(a) != gsl_rng_get(b)) state_diffs++;
                gr_rng_free(a);
                gr_rng_free(b);
            }
        }
    }
    CHECK(checked == 3 * 4 * 8026); /* every size, interval and offset above */
    CHECK(mismatches == 0);
    CHECK(state_diffs == 0);

    /* values land in [lo, hi) and look uniform */
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 5, GR_STREAM_TEST, NULL), NULL);
    gr_rng_uniform_fill(r, bulk, MAXN, -1.0, 1.0);
    double mean = 0.0, lo_seen = 1.0, hi_seen = -1.0;
    for (size_t i = 0; i < MAXN; i++) {
        mean += bulk[i] / MAXN;
        if (bulk[i] < lo_seen) lo_seen = bulk[i];
        if (bulk[i] > hi_seen) hi_seen = bulk[i];
    }
    CHECK(lo_seen >= -1.0 && hi_seen <= 1.0);
    CHECK(lo_seen < -0.99 && hi_seen > 0.99);
    CHECK(fabs(mean) < 5.0 * sqrt(1.0 / 3.0 / MAXN));
    gr_rng_free(r);

    /* another generator type: the fallback gives gsl_rng_uniform's values too */
    gsl_rng *t1 = gsl_rng_alloc(gsl_rng_taus2), *t2 = gsl_rng_alloc(gsl_rng_taus2);
    gr_rng_uniform_fill(t1, bulk, 100, 0.0, 1.0);
    size_t taus_diffs = 0;
    for (size_t i = 0; i < 100; i++)
        if (bulk[i] != (float)gsl_rng_uniform(t2)) taus_diffs++;
    CHECK(taus_diffs == 0);
    CHECK(gsl_rng_get(t1) == gsl_rng_get(t2));
    gsl_rng_free(t1);
    gsl_rng_free(t2);
}

/* gr_alloc_zeroed: zeroed, 64-byte aligned; 2 MiB-aligned from 2 MiB up; refuses sizes
 * that overflow; gr_free(NULL) is a no-op. */
static void test_alloc_zeroed(void) {
    const size_t sizes[] = {
        0, 1, 63, 64, 4097, ((size_t)2 << 20) - 1, (size_t)2 << 20, ((size_t)5 << 20) + 3};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = gr_alloc_zeroed(sizes[i]);
        CHECK(p != NULL);
        if (!p) continue;
        size_t align = sizes[i] >= ((size_t)2 << 20) ? ((size_t)2 << 20) : 64;
        CHECK((uintptr_t)p % align == 0);
        size_t nonzero = 0;
        for (size_t k = 0; k < sizes[i]; k++)
            nonzero += p[k] != 0;
        CHECK(nonzero == 0);
        if (sizes[i] > 0) p[sizes[i] - 1] = 1; /* the whole size is writable (ASan checks) */
        gr_free(p);
    }
    CHECK(gr_alloc_zeroed(SIZE_MAX) == NULL);
    CHECK(gr_alloc_zeroed(SIZE_MAX - 100) == NULL);
    gr_free(NULL);
}

static void test_timer(void) {
    gr_timer t;
    gr_timer_start(&t);
    double w0 = gr_time_wall();
    volatile double x = 0;
    for (int i = 0; i < 3000000; i++)
        x += sqrt((double)i);
    CHECK(gr_time_wall() >= w0);
    CHECK(gr_timer_wall(&t) > 0);
    CHECK(gr_timer_cpu(&t) > 0);
    char iso[32];
    gr_time_iso8601(iso, sizeof iso);
    CHECK(strlen(iso) == 20 && iso[4] == '-' && iso[10] == 'T' && iso[19] == 'Z');
}

static char *slurp(FILE *f) {
    long n = ftell(f);
    rewind(f);
    char *s = calloc((size_t)n + 1, 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = '\0';
    return s;
}

static size_t count_char(const char *s, char c) {
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == c;
    return n;
}

static void test_progress_lines(void) {
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f) return;
    gr_progress p;
    gr_progress_init(&p, f, "train", 1000, 250, GR_PROGRESS_AUTO); /* a file: LINES */
    CHECK(p.mode == GR_PROGRESS_LINES);
    for (size_t i = 1; i <= 1000; i++)
        gr_progress_update(&p, i);
    gr_progress_update(&p, 10); /* going backwards is ignored */
    gr_progress_finish(&p);
    gr_progress_update(&p, 1000); /* after finish: silent */
    char *s = slurp(f);
    /* lines at 250, 500, 750, 1000, plus the closing line; no carriage returns */
    CHECK(count_char(s, '\n') == 5);
    CHECK(count_char(s, '\r') == 0);
    CHECK_STR_CONTAINS(s, "train: 250/1000 (25.0%)");
    CHECK_STR_CONTAINS(s, "train: 1000/1000 (100.0%)");
    CHECK_STR_CONTAINS(s, "train: done, 1000 in ");
    free(s);
    fclose(f);
}

static void test_progress_bar_and_off(void) {
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f) return;
    gr_progress p;
    gr_progress_init(&p, f, "solve", 100, 0, GR_PROGRESS_BAR);
    for (size_t i = 1; i <= 100; i++)
        gr_progress_update(&p, i);
    gr_progress_finish(&p);
    char *s = slurp(f);
    CHECK(count_char(s, '\r') >= 2); /* first draw, the final 100% draw, the clear */
    CHECK_STR_CONTAINS(s, "solve [############################] 100/100");
    CHECK(count_char(s, '\n') == 1);
    free(s);
    fclose(f);

    f = tmpfile();
    gr_progress_init(&p, f, "quiet", 10, 1, GR_PROGRESS_OFF);
    for (size_t i = 1; i <= 10; i++)
        gr_progress_update(&p, i);
    gr_progress_finish(&p);
    CHECK(ftell(f) == 0);
    fclose(f);

    char buf[32];
    CHECK(strcmp(gr_progress_format_duration(3723.0, buf, sizeof buf), "1h02m03s") == 0);
    CHECK(strcmp(gr_progress_format_duration(245.0, buf, sizeof buf), "4m05s") == 0);
    CHECK(strcmp(gr_progress_format_duration(6.14, buf, sizeof buf), "6.1s") == 0);
    CHECK(strcmp(gr_progress_format_duration(NAN, buf, sizeof buf), "?") == 0);
}

static void test_log_levels_and_version(void) {
    gr_log_set_level(99);
    CHECK(gr_log_get_level() == GR_LOG_DEBUG);
    gr_log_set_level(-5);
    CHECK(gr_log_get_level() == GR_LOG_ERROR);
    gr_log_set_level(GR_LOG_INFO);
    CHECK(gr_log_get_level() == GR_LOG_INFO);
    CHECK(strlen(gr_version()) >= 5 && gr_version()[1] == '.');
    CHECK(strlen(gr_git_commit()) > 0);
    CHECK(strlen(gr_build_type()) > 0);
}

int main(void) {
    gr_core_init();
    RUN(test_error_records);
    RUN(test_strerror);
    RUN(test_rng_reference_output);
    RUN(test_rng_reproducible_and_distinct);
    RUN(test_rng_streams_uncorrelated);
    RUN(test_rng_state_round_trip);
    RUN(test_rng_uniform_fill);
    RUN(test_alloc_zeroed);
    RUN(test_timer);
    RUN(test_progress_lines);
    RUN(test_progress_bar_and_off);
    RUN(test_log_levels_and_version);
    return TEST_MAIN_END();
}
