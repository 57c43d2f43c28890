/* linalg/blas_core.c — the OpenBLAS core check of linalg/blas_core.h: the fallback table,
 * the decision, the re-run with OPENBLAS_CORETYPE set, and the BLAS description used by
 * --version and provenance.
 *
 * The table is taken from the corename[] list of OpenBLAS 0.3.21's driver/others/dynamic.c
 * (the names openblas_get_corename() can return on x86-64 with DYNAMIC_ARCH): Unknown
 * Katmai Coppermine Northwood Prescott Banias Atom Core2 Penryn Dunnington Nehalem Athlon
 * Opteron Opteron_SSE3 Barcelona Nano Sandybridge Bobcat Bulldozer Piledriver Haswell
 * Steamroller Excavator Zen SkylakeX Cooperlake. Every name before Haswell except the AMD
 * family-15h cores (Bulldozer, Piledriver, Steamroller, Excavator: chosen only for those
 * exact CPUs, which have no or their own AVX2) is a kernel set without AVX2; OpenBLAS
 * itself never picks one of them for a CPU and OS with AVX2 and FMA unless it failed to
 * recognise the CPU (unknown Intel model -> Prescott; unknown AMD family -> Barcelona).
 */
#include "linalg/blas_core.h"

#include <cblas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/log.h"

#define CORETYPE_ENV "OPENBLAS_CORETYPE"

static const char *const FALLBACK_CORES[] = {
    "Unknown", "Katmai",       "Coppermine", "Northwood",  "Prescott", "Banias",
    "Atom",    "Core2",        "Penryn",     "Dunnington", "Nehalem",  "Athlon",
    "Opteron", "Opteron_SSE3", "Barcelona",  "Nano",       "Bobcat",   "Sandybridge",
};

void gr_blas_cpu_detect(gr_blas_cpu *cpu) {
    memset(cpu, 0, sizeof *cpu);
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init(); /* needed when called before libgcc's own constructor */
    cpu->x86_64 = 1;
    cpu->avx2 = __builtin_cpu_supports("avx2") != 0;
    cpu->fma = __builtin_cpu_supports("fma") != 0;
    cpu->avx512f = __builtin_cpu_supports("avx512f") != 0;
    cpu->avx512bw = __builtin_cpu_supports("avx512bw") != 0;
    cpu->avx512dq = __builtin_cpu_supports("avx512dq") != 0;
    cpu->avx512vl = __builtin_cpu_supports("avx512vl") != 0;
#endif
}

int gr_blas_core_is_fallback(const char *core) {
    if (!core) return 0;
    for (size_t i = 0; i < sizeof FALLBACK_CORES / sizeof FALLBACK_CORES[0]; i++)
        if (strcasecmp(core, FALLBACK_CORES[i]) == 0) return 1;
    return 0;
}

const char *gr_blas_core_decide(const char *chosen, const gr_blas_cpu *cpu, int coretype_set,
                                int dynamic_arch) {
    if (coretype_set || !dynamic_arch || !cpu || !cpu->x86_64) return NULL;
    if (!(cpu->avx2 && cpu->fma)) return NULL;
    int avx512 = cpu->avx512f && cpu->avx512bw && cpu->avx512dq && cpu->avx512vl;
    /* AVX2 kernel sets on an AVX-512 CPU: OpenBLAS 0.3.21 maps AMD family 26 (Zen 5) to
     * Haswell (sgemm ~115 GFLOP/s on one core against ~190 with SkylakeX, 2026-11-21) */
    if (avx512 && chosen && (!strcasecmp(chosen, "Haswell") || !strcasecmp(chosen, "Zen")))
        return "SkylakeX";
    if (!gr_blas_core_is_fallback(chosen)) return NULL;
    return avx512 ? "SkylakeX" : "Haswell";
}

int gr_blas_core_reexec(const char *exe, char *const argv[], const char *chosen, const char *target,
                        gr_error *err) {
    if (!exe || !argv || !argv[0] || !chosen || !target)
        return GR_ERROR(err, GR_EINVAL,
                        "gr_blas_core_reexec: exe, argv[0], chosen and target "
                        "must be given");
    char marker[96];
    snprintf(marker, sizeof marker, "%s>%s", chosen, target);
    if (setenv(CORETYPE_ENV, target, 1) != 0 || setenv(GR_BLAS_REEXEC_ENV, marker, 1) != 0) {
        int e = errno;
        unsetenv(CORETYPE_ENV);
        unsetenv(GR_BLAS_REEXEC_ENV);
        return GR_ERROR(err, GR_EIO, "cannot set %s=%s: %s", CORETYPE_ENV, target, strerror(e));
    }
    fflush(NULL); /* nothing buffered may be lost by the exec */
    execv(exe, argv);
    int e = errno;
    unsetenv(CORETYPE_ENV);
    unsetenv(GR_BLAS_REEXEC_ENV);
    return GR_ERROR(err, GR_EIO, "cannot run %s again with %s=%s: %s", exe, CORETYPE_ENV, target,
                    strerror(e));
}

/* argv from /proc/self/cmdline: NUL-terminated arguments one after another (an empty
 * argument is a lone NUL). Returns a malloc'd NULL-terminated vector whose strings live in
 * the same block, or NULL. */
static char **read_cmdline(void) {
    FILE *f = fopen("/proc/self/cmdline", "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        char *nb = realloc(buf, cap * 2);
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
    if (!buf || bad || len == 0 || buf[len - 1] != '\0') {
        free(buf);
        return NULL;
    }
    size_t argc = 0;
    for (size_t i = 0; i < len; i++)
        argc += buf[i] == '\0';
    /* one block: the pointer vector, then a copy of the strings */
    char **argv = malloc((argc + 1) * sizeof(char *) + len);
    if (!argv) {
        free(buf);
        return NULL;
    }
    char *s = (char *)(argv + argc + 1);
    memcpy(s, buf, len);
    free(buf);
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (i == 0 || s[i - 1] == '\0') argv[k++] = s + i;
    argv[argc] = NULL;
    return argv;
}

static int library_is_dynamic(void) {
    const char *cfg = openblas_get_config();
    return cfg && strstr(cfg, "DYNAMIC_ARCH") != NULL;
}

static int describe_cpu(const gr_blas_cpu *cpu, char *buf, size_t size) {
    if (cpu->avx512f && cpu->avx512bw && cpu->avx512dq && cpu->avx512vl)
        return snprintf(buf, size, "AVX-512");
    return snprintf(buf, size, "AVX2 and FMA");
}

void gr_blas_ensure_core(int argc, char **argv) {
    static int done = 0; /* a process-wide start-up step: only the first call acts */
    if (done) return;
    done = 1;

    const char *marker = getenv(GR_BLAS_REEXEC_ENV);
    if (marker) {
        /* Started (directly or as a descendant) by a ganrepro run that set the core. Never
         * again; only check that OpenBLAS took the name, if it is still the one we set. */
        const char *want = getenv(CORETYPE_ENV);
        const char *gt = strchr(marker, '>');
        const char *core = openblas_get_corename();
        if (want && gt && strcmp(gt + 1, want) == 0 && core && strcasecmp(core, want) != 0)
            gr_log(GR_LOG_WARN,
                   "OpenBLAS did not take %s=%s and runs its %s kernels (this library may "
                   "lack them); results are right but BLAS may be several times slower",
                   CORETYPE_ENV, want, core);
        return;
    }

    gr_blas_cpu cpu;
    gr_blas_cpu_detect(&cpu);
    const char *assumed = getenv(GR_BLAS_ASSUME_ENV);
    if (assumed && !*assumed) assumed = NULL;
    const char *chosen = assumed ? assumed : openblas_get_corename();
    const char *target =
        gr_blas_core_decide(chosen, &cpu, getenv(CORETYPE_ENV) != NULL, library_is_dynamic());
    if (!target) return;

    char isa[32];
    describe_cpu(&cpu, isa, sizeof isa);
    gr_log(GR_LOG_INFO,
           "%sOpenBLAS chose its %s kernels, which leave out this CPU's %s; running "
           "again with %s=%s (set %s yourself to choose the kernels)",
           assumed ? "[test hook " GR_BLAS_ASSUME_ENV "] " : "", chosen, isa, CORETYPE_ENV, target,
           CORETYPE_ENV);

    char **own = NULL;
    if (!argv || argc < 1 || !argv[0]) {
        own = read_cmdline();
        argv = own;
    }
    gr_error err;
    gr_error_clear(&err);
    if (!argv) {
        gr_log(GR_LOG_WARN,
               "cannot read /proc/self/cmdline to run again; continuing on the %s kernels "
               "(BLAS may be several times slower: set %s=%s)",
               chosen, CORETYPE_ENV, target);
        return;
    }
    gr_blas_core_reexec("/proc/self/exe", argv, chosen, target, &err);
    /* only reached when the exec failed */
    gr_log(GR_LOG_WARN, "%s; continuing on the %s kernels (BLAS may be several times slower)",
           err.msg, chosen);
    free(own);
}

static void copy_str(char *dst, size_t size, const char *src) {
    snprintf(dst, size, "%s", src ? src : "");
}

void gr_blas_info_get(gr_blas_info *info) {
    memset(info, 0, sizeof *info);
    copy_str(info->config, sizeof info->config, openblas_get_config());
    copy_str(info->core, sizeof info->core, openblas_get_corename());
    info->threads = openblas_get_num_threads();
    const char *ct = getenv(CORETYPE_ENV);
    info->coretype_set = ct != NULL;
    copy_str(info->coretype, sizeof info->coretype, ct);
    info->assumed = getenv(GR_BLAS_ASSUME_ENV) != NULL;
    info->selected_by = ct ? "user" : "openblas";
    /* "ganrepro" only while OPENBLAS_CORETYPE still holds the value ganrepro set */
    const char *marker = getenv(GR_BLAS_REEXEC_ENV);
    const char *gt = marker ? strchr(marker, '>') : NULL;
    if (ct && gt && strcmp(gt + 1, ct) == 0) {
        info->selected_by = "ganrepro";
        size_t n = (size_t)(gt - marker);
        if (n >= sizeof info->openblas_choice) n = sizeof info->openblas_choice - 1;
        memcpy(info->openblas_choice, marker, n);
        info->openblas_choice[n] = '\0';
    }
}

int gr_blas_info_describe(const gr_blas_info *info, char *buf, size_t size) {
    if (strcmp(info->selected_by, "ganrepro") == 0)
        return snprintf(buf, size, "%s (%s=%s set by ganrepro: OpenBLAS chose %s%s)", info->core,
                        CORETYPE_ENV, info->coretype, info->openblas_choice,
                        info->assumed ? ", as the " GR_BLAS_ASSUME_ENV " test hook pretends" : "");
    if (strcmp(info->selected_by, "user") == 0)
        return snprintf(buf, size, "%s (%s=\"%s\" set by the user)", info->core, CORETYPE_ENV,
                        info->coretype);
    return snprintf(buf, size, "%s (chosen by OpenBLAS)", info->core);
}
