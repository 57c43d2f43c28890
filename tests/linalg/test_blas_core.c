/* tests/linalg/test_blas_core.c — the OpenBLAS core check (linalg/blas_core.h): the decision
 * table, the list of fallback cores against every core name OpenBLAS 0.3.21 can report
 * on x86-64 (corename[] of its driver/others/dynamic.c), the CPU detection against the
 * kernel's own flags in /proc/cpuinfo, the failure path of the re-run, the BLAS
 * description, and that this very test program runs on kernels the rule accepts.
 * The re-run itself is tested end to end through the CLI in tests/cli/test_cli_blas.c. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linalg/blas_core.h"
#include "test.h"

static const gr_blas_cpu CPU_AVX512 = {1, 1, 1, 1, 1, 1, 1};
static const gr_blas_cpu CPU_AVX2 = {1, 1, 1, 0, 0, 0, 0};
static const gr_blas_cpu CPU_AVX2_NOFMA = {1, 1, 0, 0, 0, 0, 0};
static const gr_blas_cpu CPU_SSE = {1, 0, 0, 0, 0, 0, 0};
/* Knights Landing: AVX-512F but not BW/DQ/VL, which the SkylakeX kernels need */
static const gr_blas_cpu CPU_AVX512F_ONLY = {1, 1, 1, 1, 0, 0, 0};
/* a non-x86 build reports nothing, even if a caller filled the flags in */
static const gr_blas_cpu CPU_OTHER_ARCH = {0, 1, 1, 1, 1, 1, 1};

static int same(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static void test_decision_table(void) {
    static const struct {
        const char *chosen;
        const gr_blas_cpu *cpu;
        int set, dynamic;
        const char *want;
    } T[] = {
        {"Prescott", &CPU_AVX512, 0, 1, "SkylakeX"}, /* issue 8: Xeon family 6 model 207 */
        {"Prescott", &CPU_AVX2, 0, 1, "Haswell"},
        {"prescott", &CPU_AVX512, 0, 1, "SkylakeX"}, /* OpenBLAS compares names ignoring case */
        {"Core2", &CPU_AVX512, 0, 1, "SkylakeX"},
        {"Nehalem", &CPU_AVX2, 0, 1, "Haswell"},
        {"Sandybridge", &CPU_AVX512, 0, 1, "SkylakeX"},
        {"Barcelona", &CPU_AVX512, 0, 1, "SkylakeX"}, /* unknown AMD family */
        {"Atom", &CPU_AVX2, 0, 1, "Haswell"},
        {"Unknown", &CPU_AVX2, 0, 1, "Haswell"},
        {"Prescott", &CPU_AVX512F_ONLY, 0, 1, "Haswell"},
        /* AVX2 sets on full AVX-512 are upgraded; other named cores are kept */
        {"Haswell", &CPU_AVX512, 0, 1, "SkylakeX"}, /* Zen 5 on 0.3.21 */
        {"Haswell", &CPU_AVX512, 1, 1, NULL},
        {"Haswell", &CPU_AVX512F_ONLY, 0, 1, NULL},
        {"Haswell", &CPU_AVX2, 0, 1, NULL},
        {"Zen", &CPU_AVX512, 0, 1, "SkylakeX"},
        {"SkylakeX", &CPU_AVX512, 0, 1, NULL},
        {"Cooperlake", &CPU_AVX512, 0, 1, NULL},
        {"Excavator", &CPU_AVX2, 0, 1, NULL},
        {"Piledriver", &CPU_AVX2, 0, 1, NULL},
        {"SapphireRapids", &CPU_AVX512, 0, 1, NULL}, /* a name this table does not know */
        {NULL, &CPU_AVX512, 0, 1, NULL},
        {"", &CPU_AVX512, 0, 1, NULL},
        /* the CPU has nothing better */
        {"Prescott", &CPU_SSE, 0, 1, NULL},
        {"Prescott", &CPU_AVX2_NOFMA, 0, 1, NULL},
        {"Nehalem", &CPU_SSE, 0, 1, NULL},
        /* the user's choice, even an empty one, is never overridden */
        {"Prescott", &CPU_AVX512, 1, 1, NULL},
        {"Core2", &CPU_AVX2, 1, 1, NULL},
        /* not DYNAMIC_ARCH: OPENBLAS_CORETYPE would be ignored */
        {"Prescott", &CPU_AVX512, 0, 0, NULL},
        /* other architectures: never */
        {"Prescott", &CPU_OTHER_ARCH, 0, 1, NULL},
        {"Prescott", NULL, 0, 1, NULL},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        const char *got = gr_blas_core_decide(T[i].chosen, T[i].cpu, T[i].set, T[i].dynamic);
        if (!same(got, T[i].want))
            fprintf(stderr, "  case %zu: chosen %s set %d dynamic %d -> %s, expected %s\n", i,
                    T[i].chosen ? T[i].chosen : "(null)", T[i].set, T[i].dynamic,
                    got ? got : "(none)", T[i].want ? T[i].want : "(none)");
        CHECK(same(got, T[i].want));
    }
}

/* Every name OpenBLAS 0.3.21 can report on x86-64, and whether it is a fallback. */
static void test_fallback_list(void) {
    static const struct {
        const char *name;
        int fallback;
    } N[] = {
        {"Unknown", 1},     {"Katmai", 1},       {"Coppermine", 1}, {"Northwood", 1},
        {"Prescott", 1},    {"Banias", 1},       {"Atom", 1},       {"Core2", 1},
        {"Penryn", 1},      {"Dunnington", 1},   {"Nehalem", 1},    {"Athlon", 1},
        {"Opteron", 1},     {"Opteron_SSE3", 1}, {"Barcelona", 1},  {"Nano", 1},
        {"Sandybridge", 1}, {"Bobcat", 1},       {"Bulldozer", 0},  {"Piledriver", 0},
        {"Haswell", 0},     {"Steamroller", 0},  {"Excavator", 0},  {"Zen", 0},
        {"SkylakeX", 0},    {"Cooperlake", 0},
    };
    for (size_t i = 0; i < sizeof N / sizeof N[0]; i++) {
        int got = gr_blas_core_is_fallback(N[i].name);
        if (got != N[i].fallback) fprintf(stderr, "  %s: %d\n", N[i].name, got);
        CHECK(got == N[i].fallback);
    }
    CHECK(gr_blas_core_is_fallback(NULL) == 0);
    CHECK(gr_blas_core_is_fallback("Prescott2") == 0);
}

/* Does the "flags" line of /proc/cpuinfo (the kernel's view) list `flag`? -1 if unreadable. */
static int cpuinfo_has(const char *flag) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return -1;
    static char line[1 << 16];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags", 5) != 0) continue;
        found = 0;
        for (char *t = strtok(strchr(line, ':') + 1, " \t\n"); t; t = strtok(NULL, " \t\n"))
            if (strcmp(t, flag) == 0) found = 1;
        break;
    }
    fclose(f);
    return found;
}

static void test_cpu_detect(void) {
    gr_blas_cpu c;
    gr_blas_cpu_detect(&c);
#if defined(__x86_64__)
    CHECK(c.x86_64 == 1);
    static const char *flags[] = {"avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"};
    const int got[] = {c.avx2, c.fma, c.avx512f, c.avx512bw, c.avx512dq, c.avx512vl};
    for (size_t i = 0; i < 6; i++) {
        int want = cpuinfo_has(flags[i]);
        CHECK(want >= 0);
        if (got[i] != want)
            fprintf(stderr, "  %s: detected %d, /proc/cpuinfo %d\n", flags[i], got[i], want);
        CHECK(got[i] == want);
    }
#else
    CHECK(c.x86_64 == 0 && c.avx2 == 0 && c.avx512f == 0);
#endif
}

/* Save / restore one environment variable around a test. */
typedef struct {
    const char *name;
    int set;
    char value[256];
} saved_env;

static void env_save(saved_env *s, const char *name) {
    const char *v = getenv(name);
    s->name = name;
    s->set = v != NULL;
    snprintf(s->value, sizeof s->value, "%s", v ? v : "");
}

static void env_restore(const saved_env *s) {
    if (s->set)
        setenv(s->name, s->value, 1);
    else
        unsetenv(s->name);
}

static void test_reexec_failure(void) {
    saved_env ct, mk;
    env_save(&ct, "OPENBLAS_CORETYPE");
    env_save(&mk, GR_BLAS_REEXEC_ENV);
    unsetenv("OPENBLAS_CORETYPE");
    unsetenv(GR_BLAS_REEXEC_ENV);
    char a0[] = "ganrepro", a1[] = "--version";
    char *argv[] = {a0, a1, NULL};
    gr_error err;
    gr_error_clear(&err);
    int st = gr_blas_core_reexec("/nonexistent/dir/ganrepro", argv, "Prescott", "SkylakeX", &err);
    CHECK_STATUS(st, GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/dir/ganrepro");
    CHECK_STR_CONTAINS(err.msg, "OPENBLAS_CORETYPE=SkylakeX");
    /* the process goes on as before: neither variable left behind */
    CHECK(getenv("OPENBLAS_CORETYPE") == NULL);
    CHECK(getenv(GR_BLAS_REEXEC_ENV) == NULL);
    CHECK_STATUS(gr_blas_core_reexec(NULL, argv, "Prescott", "SkylakeX", &err), GR_EINVAL);
    CHECK_STATUS(gr_blas_core_reexec("/proc/self/exe", NULL, "Prescott", "SkylakeX", NULL),
                 GR_EINVAL);
    CHECK_STATUS(gr_blas_core_reexec("/proc/self/exe", argv, "Prescott", NULL, NULL), GR_EINVAL);
    env_restore(&ct);
    env_restore(&mk);
}

static void test_info(void) {
    saved_env ct, mk, hk;
    env_save(&ct, "OPENBLAS_CORETYPE");
    env_save(&mk, GR_BLAS_REEXEC_ENV);
    env_save(&hk, GR_BLAS_ASSUME_ENV);
    unsetenv(GR_BLAS_ASSUME_ENV);
    gr_blas_info b;
    char line[512];

    gr_blas_info_get(&b);
    CHECK(strcmp(b.core, openblas_get_corename()) == 0);
    CHECK(strcmp(b.config, openblas_get_config()) == 0);
    CHECK(b.threads == openblas_get_num_threads());
    CHECK(b.threads == 1); /* ctest pins OPENBLAS_NUM_THREADS=1 */
    CHECK_STR_CONTAINS(b.config, "OpenBLAS");

    unsetenv("OPENBLAS_CORETYPE");
    unsetenv(GR_BLAS_REEXEC_ENV);
    gr_blas_info_get(&b);
    CHECK(strcmp(b.selected_by, "openblas") == 0 && !b.coretype_set);
    gr_blas_info_describe(&b, line, sizeof line);
    CHECK_STR_CONTAINS(line, "(chosen by OpenBLAS)");
    CHECK(strncmp(line, b.core, strlen(b.core)) == 0);

    setenv("OPENBLAS_CORETYPE", "Haswell", 1);
    gr_blas_info_get(&b);
    CHECK(strcmp(b.selected_by, "user") == 0 && b.coretype_set);
    CHECK(strcmp(b.coretype, "Haswell") == 0 && b.openblas_choice[0] == '\0');
    gr_blas_info_describe(&b, line, sizeof line);
    CHECK_STR_CONTAINS(line, "OPENBLAS_CORETYPE=\"Haswell\" set by the user");

    setenv("OPENBLAS_CORETYPE", "", 1);
    gr_blas_info_get(&b);
    CHECK(strcmp(b.selected_by, "user") == 0 && b.coretype_set && b.coretype[0] == '\0');

    /* set by ganrepro only while the variable still holds the value ganrepro set */
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
    setenv(GR_BLAS_REEXEC_ENV, "Prescott>SkylakeX", 1);
    gr_blas_info_get(&b);
    CHECK(strcmp(b.selected_by, "ganrepro") == 0);
    CHECK(strcmp(b.openblas_choice, "Prescott") == 0);
    gr_blas_info_describe(&b, line, sizeof line);
    CHECK_STR_CONTAINS(line,
                       "OPENBLAS_CORETYPE=SkylakeX set by ganrepro: OpenBLAS chose Prescott)");
    setenv("OPENBLAS_CORETYPE", "Haswell", 1); /* a child's user changed it */
    gr_blas_info_get(&b);
    CHECK(strcmp(b.selected_by, "user") == 0 && b.openblas_choice[0] == '\0');

    /* truncation is safe */
    char tiny[8];
    int n = gr_blas_info_describe(&b, tiny, sizeof tiny);
    CHECK(n > (int)sizeof tiny && strlen(tiny) == sizeof tiny - 1);

    env_restore(&ct);
    env_restore(&mk);
    env_restore(&hk);
}

/* The constructor in test.h ran gr_blas_ensure_core before main: this program must run on
 * kernels the rule accepts, or on the user's explicit choice. */
static void test_this_process(void) {
    gr_blas_cpu c;
    gr_blas_cpu_detect(&c);
    gr_blas_info b;
    gr_blas_info_get(&b);
    char line[512];
    gr_blas_info_describe(&b, line, sizeof line);
    printf("BLAS core of this test: %s, %d thread(s)\n", line, b.threads);
    CHECK(b.core[0] != '\0');
    if (strcmp(b.selected_by, "user") == 0) {
        /* a fallback the user asked for is what runs (any other name OpenBLAS may not know,
         * and then it picks its own) */
        if (gr_blas_core_is_fallback(b.coretype)) CHECK(strcasecmp(b.core, b.coretype) == 0);
    } else {
        CHECK(gr_blas_core_decide(b.core, &c, 0, strstr(b.config, "DYNAMIC_ARCH") != NULL) == NULL);
    }
}

int main(void) {
    gr_core_init();
    RUN(test_decision_table);
    RUN(test_fallback_list);
    RUN(test_cpu_detect);
    RUN(test_reexec_failure);
    RUN(test_info);
    RUN(test_this_process);
    return TEST_MAIN_END();
}
