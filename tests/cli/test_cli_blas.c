/* tests/cli/test_cli_blas.c — the OpenBLAS core check end to end, through $GR_CLI:
 * `ganrepro --version` names the BLAS library, the core and who chose it, and the thread
 * count; a core type the user set (even empty) is kept; with the variable unset the CLI
 * runs on the core the rule accepts; and when OpenBLAS falls back to generic kernels the
 * CLI really runs itself again with OPENBLAS_CORETYPE set, once, with the same arguments.
 * OpenBLAS on the test machine may know its CPU, so the fallback is simulated with the
 * documented test hook GR_BLAS_ASSUME_CORE (the decision takes the hook's name as the core
 * OpenBLAS chose); the re-run, the exec and the new OpenBLAS load are real. The expected
 * target comes from the CPU's flags (gr_blas_core_decide), so the test holds on AVX-512,
 * AVX2-only and other machines. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli_run.h"
#include "linalg/blas_core.h"
#include "test.h"

static char dir[64];
static gr_blas_cpu cpu;
static int dynamic_arch;

/* Run "env -u ... ENV $GR_CLI ARGS": the three core variables removed, then ENV (e.g.
 * "OPENBLAS_CORETYPE=Prescott") set. stdout into out, stderr into errb; exit status. */
static int run(const char *envs, const char *args, char *out, size_t outsz, char *errb,
               size_t errsz) {
    const char *cli = getenv("GR_CLI");
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "env -u OPENBLAS_CORETYPE -u " GR_BLAS_REEXEC_ENV " -u " GR_BLAS_ASSUME_ENV
             " %s '%s' %s",
             envs, cli ? cli : "ganrepro", args);
    return gr_test_shell(dir, cmd, out, outsz, errb, errsz);
}

/* The first word after "BLAS core: " in out, or "" */
static void core_of(const char *out, char *core, size_t size) {
    core[0] = '\0';
    const char *p = strstr(out, "BLAS core: ");
    if (p) sscanf(p + strlen("BLAS core: "), "%31s", core);
    (void)size;
}

static int count(const char *hay, const char *needle) {
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The core OpenBLAS picks by itself for a process of this machine, or NULL when this
 * test's own environment does not tell (the user set OPENBLAS_CORETYPE for the suite). */
static const char *natural_core(char *buf, size_t size) {
    gr_blas_info b;
    gr_blas_info_get(&b);
    if (strcmp(b.selected_by, "openblas") == 0)
        snprintf(buf, size, "%s", b.core);
    else if (strcmp(b.selected_by, "ganrepro") == 0 && !b.assumed)
        snprintf(buf, size, "%s", b.openblas_choice);
    else
        return NULL;
    return buf;
}

static void test_version_lines(void) {
    static char out[8192], errb[8192];
    CHECK(run("", "--version", out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "ganrepro 0.");
    CHECK_STR_CONTAINS(out, "BLAS library: OpenBLAS ");
    CHECK_STR_CONTAINS(out, "BLAS core: ");
    CHECK_STR_CONTAINS(out, "BLAS threads: 1\n"); /* ctest pins OPENBLAS_NUM_THREADS=1 */
    CHECK(run("OPENBLAS_NUM_THREADS=2", "--version", out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "BLAS threads: 2\n");
}

/* Unset: the CLI runs on the core the rule accepts; a re-run only if OpenBLAS fell back. */
static void test_unset(void) {
    static char out[8192], errb[8192];
    char core[32], nat[32];
    CHECK(run("", "--version", out, sizeof out, errb, sizeof errb) == 0);
    core_of(out, core, sizeof core);
    printf("unset: BLAS core %s\n", core);
    CHECK(core[0] != '\0');
    CHECK(gr_blas_core_decide(core, &cpu, 0, dynamic_arch) == NULL);
    if (natural_core(nat, sizeof nat)) {
        const char *t = gr_blas_core_decide(nat, &cpu, 0, dynamic_arch);
        CHECK(strcmp(core, t ? t : nat) == 0);
        CHECK(count(errb, "running again") == (t ? 1 : 0));
        CHECK_STR_CONTAINS(out, t ? "set by ganrepro" : "(chosen by OpenBLAS)");
    }
}

/* What the user set is kept: a fallback, a good core, and the empty string. */
static void test_user_set(void) {
    static char out[8192], errb[8192];
    char core[32];
    CHECK(run("OPENBLAS_CORETYPE=Prescott", "--version", out, sizeof out, errb, sizeof errb) == 0);
    core_of(out, core, sizeof core);
    CHECK(strcmp(core, "Prescott") == 0);
    CHECK_STR_CONTAINS(out, "OPENBLAS_CORETYPE=\"Prescott\" set by the user");
    CHECK_STR_CONTAINS(out, "BLAS library: OpenBLAS 0.");
    CHECK(count(errb, "running again") == 0);

    /* the hook does not override the user either */
    CHECK(run("OPENBLAS_CORETYPE=Prescott " GR_BLAS_ASSUME_ENV "=Prescott", "--version", out,
              sizeof out, errb, sizeof errb) == 0);
    core_of(out, core, sizeof core);
    CHECK(strcmp(core, "Prescott") == 0);
    CHECK(count(errb, "running again") == 0);

    CHECK(run("OPENBLAS_CORETYPE=Haswell", "--version", out, sizeof out, errb, sizeof errb) == 0);
    core_of(out, core, sizeof core);
    CHECK(strcmp(core, "Haswell") == 0);

    CHECK(run("OPENBLAS_CORETYPE= " GR_BLAS_ASSUME_ENV "=Prescott", "--version", out, sizeof out,
              errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "OPENBLAS_CORETYPE=\"\" set by the user");
    CHECK(count(errb, "running again") == 0);
}

/* A fallback core (simulated by the hook): the CLI runs itself again, once, on the target. */
static void test_fallback_reexec(void) {
    static char out[8192], errb[8192];
    char core[32], want[256];
    static const char *fallbacks[] = {"Prescott", "Core2", "Barcelona"};
    for (size_t i = 0; i < 3; i++) {
        const char *t = gr_blas_core_decide(fallbacks[i], &cpu, 0, dynamic_arch);
        char envs[128];
        snprintf(envs, sizeof envs, GR_BLAS_ASSUME_ENV "=%s", fallbacks[i]);
        CHECK(run(envs, "--version", out, sizeof out, errb, sizeof errb) == 0);
        core_of(out, core, sizeof core);
        printf("%s=%s: BLAS core %s\n", GR_BLAS_ASSUME_ENV, fallbacks[i], core);
        if (!t) { /* this machine has nothing better (or is not x86-64): no re-run */
            CHECK(count(errb, "running again") == 0);
            continue;
        }
        CHECK(strcmp(core, t) == 0);
        snprintf(want, sizeof want,
                 "BLAS core: %s (OPENBLAS_CORETYPE=%s set by ganrepro: OpenBLAS chose %s", t, t,
                 fallbacks[i]);
        CHECK_STR_CONTAINS(out, want);
        /* OpenBLAS's own config string names the core it loaded */
        const char *lib = strstr(out, "BLAS library: ");
        const char *eol = lib ? strchr(lib, '\n') : NULL;
        snprintf(want, sizeof want, " %s ", t);
        const char *hit = lib ? strstr(lib, want) : NULL;
        CHECK(hit != NULL && eol != NULL && hit < eol);
        snprintf(want, sizeof want, "running again with OPENBLAS_CORETYPE=%s", t);
        CHECK(count(errb, want) == 1); /* said once, at info level */
        CHECK_STR_CONTAINS(errb, "ganrepro: info: ");
        CHECK(count(errb, "warning") == 0);
    }
    /* a core OpenBLAS chose on purpose is kept */
    CHECK(run(GR_BLAS_ASSUME_ENV "=Cooperlake", "--version", out, sizeof out, errb, sizeof errb) ==
          0);
    CHECK(count(errb, "running again") == 0);
    CHECK_STR_CONTAINS(out, "(chosen by OpenBLAS)");
}

/* The re-run gets the same arguments (spaces, an empty one) and behaves exactly like a
 * direct run on the target core: same stdout, same exit status, same stderr apart from
 * the one info line. */
static void test_reexec_same_arguments(void) {
    static char out1[8192], err1[8192], out2[8192], err2[8192], envs[128];
    const char *t = gr_blas_core_decide("Prescott", &cpu, 0, dynamic_arch);
    const char *args = "distance w1 'no such dir/a b.txt' ''";
    if (!t) {
        /* no AVX2 (or not x86-64): test_fallback_reexec checked that nothing re-runs */
        printf("no better core than Prescott on this CPU: no re-run to compare\n");
        return;
    }
    int s1 = run(GR_BLAS_ASSUME_ENV "=Prescott", args, out1, sizeof out1, err1, sizeof err1);
    snprintf(envs, sizeof envs, "OPENBLAS_CORETYPE=%s", t);
    int s2 = run(envs, args, out2, sizeof out2, err2, sizeof err2);
    CHECK(s1 == 2 && s2 == 2);
    CHECK(strcmp(out1, out2) == 0);
    CHECK_STR_CONTAINS(err2, "no such dir/a b.txt");
    char *nl = strchr(err1, '\n'); /* the info line comes first */
    CHECK(nl != NULL && strstr(err1, "running again") < nl);
    if (nl) CHECK(strcmp(nl + 1, err2) == 0);
}

/* The constructor of tests/test.h has no argv: it reads /proc/self/cmdline. This program
 * runs itself under the hook with awkward arguments (spaces, an empty one, a quote, a
 * newline) in --print-args mode, which prints them back with the core it ended on. */
static char self[4096];

static void test_constructor_path_same_arguments(void) {
    static char out[8192], errb[8192], envs[128];
    const char *t = gr_blas_core_decide("Prescott", &cpu, 0, dynamic_arch);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "--print-args 'a b' '' \"it's\" 'x\ny' -z");
    /* run() executes $GR_CLI: point it at this program for the call */
    const char *cli = getenv("GR_CLI");
    char saved[4096];
    snprintf(saved, sizeof saved, "%s", cli ? cli : "");
    setenv("GR_CLI", self, 1);
    snprintf(envs, sizeof envs, GR_BLAS_ASSUME_ENV "=Prescott");
    int st = run(envs, cmd, out, sizeof out, errb, sizeof errb);
    setenv("GR_CLI", saved, 1);
    CHECK(st == 0);
    CHECK_STR_CONTAINS(out, "argc 6\n[--print-args]\n[a b]\n[]\n[it's]\n[x\ny]\n[-z]\n");
    if (t) {
        char want[128];
        snprintf(want, sizeof want, "core %s\n", t);
        CHECK_STR_CONTAINS(out, want);
        CHECK(count(errb, "running again") == 1);
    } else {
        CHECK(count(errb, "running again") == 0);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--print-args") == 0) {
        printf("argc %d\n", argc - 1);
        for (int i = 1; i < argc; i++)
            printf("[%s]\n", argv[i]);
        printf("core %s\n", openblas_get_corename());
        return 0;
    }
    gr_core_init();
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "FAIL: cannot read /proc/self/exe\n");
        return 1;
    }
    self[n] = '\0';
    if (!getenv("GR_CLI")) {
        fprintf(stderr, "FAIL: GR_CLI is not set (run through ctest)\n");
        return 1;
    }
    if (gr_test_tmpdir(dir, sizeof dir, "gr_cli_blas_") != 0) return 1;
    gr_blas_cpu_detect(&cpu);
    gr_blas_info b;
    gr_blas_info_get(&b);
    dynamic_arch = strstr(b.config, "DYNAMIC_ARCH") != NULL;
    RUN(test_version_lines);
    RUN(test_unset);
    RUN(test_user_set);
    RUN(test_fallback_reexec);
    RUN(test_reexec_same_arguments);
    RUN(test_constructor_path_same_arguments);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
