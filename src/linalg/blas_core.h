/* linalg/blas_core.h — which OpenBLAS kernels this process runs, and making them the right
 * ones before the first BLAS call.
 *
 * OpenBLAS built with DYNAMIC_ARCH (Debian's) picks a "core" (a kernel set) when the
 * library loads, from the CPU's family and model. A CPU newer than the library is not in
 * its table, and OpenBLAS 0.3.21 then silently runs its Prescott (SSE3) kernels: on an
 * AVX-512 Xeon of family 6, model 207, cblas_sgemm reaches 24.6 GFLOP/s on one core
 * instead of 105-113 with the SkylakeX kernels. OPENBLAS_CORETYPE overrides the choice but
 * is read only when the library loads, so the only remedy inside a running process is to
 * run the program again with the variable set. gr_blas_ensure_core() does that, once, at
 * the start of main; every ganrepro program (the CLI, each test through tests/test.h, each
 * benchmark) calls it.
 *
 * The rule (gr_blas_core_decide): when the user has not set OPENBLAS_CORETYPE (an empty
 * value counts as set), the library is a DYNAMIC_ARCH build, the CPU is x86-64, and the
 * core OpenBLAS chose is one of its generic or pre-AVX2 kernel sets (the table in
 * blas_core.c: Prescott, its fallback for unknown CPUs; Barcelona, its fallback for unknown
 * AMD families; Nehalem and Sandybridge, which it picks itself for CPUs without AVX2 or
 * when the OS lacks the AVX/AVX2 register state, both of which the CPU test below also
 * sees; and the older SSE cores), then
 *     AVX-512 F, BW, DQ and VL (with AVX2 and FMA), usable by the OS  -> "SkylakeX"
 *     AVX2 and FMA, usable by the OS                                 -> "Haswell"
 * Also, when OpenBLAS chose one of its AVX2 sets (Haswell, Zen) on a CPU and OS with full
 * AVX-512 F/BW/DQ/VL -> "SkylakeX": 0.3.21 maps AMD family 26 (Zen 5) to Haswell, which
 * leaves sgemm at ~115 GFLOP/s on one core against ~190 with SkylakeX. No change otherwise:
 * SkylakeX, Cooperlake, the AMD family-15h cores, Haswell/Zen without AVX-512, and any name
 * not in the table are kept.
 * On other architectures nothing is ever changed.
 *
 * Environment:
 *   OPENBLAS_CORETYPE     the user's choice; never overridden, even when empty.
 *   GR_BLAS_REEXEC        set by ganrepro on the run it starts again: "CHOSEN>TARGET",
 *                         e.g. "Prescott>SkylakeX". A process that sees it never starts
 *                         itself again (no loops), and reports the core as set by ganrepro.
 *   GR_BLAS_ASSUME_CORE   TEST HOOK: the decision takes this name as the core OpenBLAS
 *                         chose (e.g. "Prescott"), so the re-run path can be exercised on a
 *                         machine whose OpenBLAS knows its CPU. Not for production use.
 */
#ifndef GR_LINALG_BLAS_CORE_H
#define GR_LINALG_BLAS_CORE_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_BLAS_REEXEC_ENV "GR_BLAS_REEXEC"
#define GR_BLAS_ASSUME_ENV "GR_BLAS_ASSUME_CORE"

/* Instruction sets the CPU has and the OS has enabled (GCC's __builtin_cpu_supports, which
 * checks XCR0 for the AVX and AVX-512 register state). All zero off x86-64. */
typedef struct gr_blas_cpu {
    int x86_64;
    int avx2, fma;
    int avx512f, avx512bw, avx512dq, avx512vl;
} gr_blas_cpu;

/* Fill *cpu from this machine. Cannot fail; safe before main (calls __builtin_cpu_init). */
void gr_blas_cpu_detect(gr_blas_cpu *cpu);

/* 1 if `core` (as openblas_get_corename() spells it; compared ignoring case) is one of the
 * generic or pre-AVX2 kernel sets listed in blas_core.c, 0 otherwise (also for NULL). */
int gr_blas_core_is_fallback(const char *core);

/* The rule above, pure: the core to force ("SkylakeX" or "Haswell", a static string), or
 * NULL for "leave it". chosen: the core OpenBLAS picked (NULL = unknown -> NULL);
 * coretype_set: OPENBLAS_CORETYPE is in the environment (any value, even empty);
 * dynamic_arch: the library was built with DYNAMIC_ARCH (otherwise the variable is
 * ignored and running again would change nothing). */
const char *gr_blas_core_decide(const char *chosen, const gr_blas_cpu *cpu, int coretype_set,
                                int dynamic_arch);

/* Start the program `exe` again with argv (NULL-terminated) and OPENBLAS_CORETYPE=target,
 * GR_BLAS_REEXEC="chosen>target" added to the environment. Does not return on success. On
 * failure the environment is restored (both variables removed) and GR_EIO is returned with
 * a message naming exe and the reason. The building block of gr_blas_ensure_core; public
 * so the failure path can be tested. */
int gr_blas_core_reexec(const char *exe, char *const argv[], const char *chosen, const char *target,
                        gr_error *err);

/* Call first thing in main, before any BLAS call. If gr_blas_core_decide says so for the
 * core this process's OpenBLAS chose (or GR_BLAS_ASSUME_CORE, the test hook), logs one
 * info line (core/log.h) saying what it does and runs /proc/self/exe again with the same
 * arguments and OPENBLAS_CORETYPE set; that call does not return. argv may be NULL (the
 * arguments are then read from /proc/self/cmdline: tests/test.h calls it from a
 * constructor). If the program cannot be started again, or a run started by ganrepro
 * finds that OpenBLAS did not take the core it was given, it logs one warning and returns:
 * the process continues on the kernels it has. Only the first call in a process acts.
 * This is the one function of the library that writes to stderr (through gr_log): it runs
 * before the caller has any state to report to, and its whole job is a start-up step. */
void gr_blas_ensure_core(int argc, char **argv);

/* What BLAS this process runs, for --version and for the provenance of results files and
 * checkpoints (suggested attribute names: blas_config, blas_core, blas_threads,
 * blas_core_selected_by, blas_core_openblas_choice). */
typedef struct gr_blas_info {
    char config[192];         /* openblas_get_config(): version and build options */
    char core[32];            /* openblas_get_corename(): the kernels in use */
    int threads;              /* openblas_get_num_threads() */
    int coretype_set;         /* OPENBLAS_CORETYPE is in the environment */
    char coretype[32];        /* its value ("" when unset or empty) */
    const char *selected_by;  /* "openblas" (variable unset), "user" (set by the user) or
                                 "ganrepro" (set by gr_blas_ensure_core); static string */
    char openblas_choice[32]; /* selected_by == "ganrepro": the core OpenBLAS had chosen by
                                 itself (or the test hook's name); "" otherwise */
    int assumed;              /* the test hook GR_BLAS_ASSUME_CORE is set */
} gr_blas_info;

/* Fill *info for this process. Cannot fail (strings are truncated to fit). */
void gr_blas_info_get(gr_blas_info *info);

/* The core and who chose it, one line without newline, e.g. "SkylakeX
 * (OPENBLAS_CORETYPE=SkylakeX set by ganrepro: OpenBLAS chose Prescott)", "Cooperlake
 * (chosen by OpenBLAS)", "Prescott (OPENBLAS_CORETYPE="Prescott" set by the user)". Returns
 * the length snprintf would have written; the text is truncated to size. */
int gr_blas_info_describe(const gr_blas_info *info, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
