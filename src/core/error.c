/* core/error.c — error records and status descriptions (see error.h). */
#include "core/error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

void gr_error_clear(gr_error *err) {
    if (!err) return;
    err->status = GR_OK;
    err->file = NULL;
    err->line = 0;
    err->msg[0] = '\0';
}

int gr_error_set(gr_error *err, int code, const char *file, int line, const char *fmt, ...) {
    if (!err) return code;
    err->status = code;
    err->file = file;
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) >= (int)sizeof err->msg)
        memcpy(err->msg + sizeof err->msg - 4, "...", 4);
    va_end(ap);
    return code;
}

int gr_error_prefix(gr_error *err, int status, const char *fmt, ...) {
    if (!err) return status;
    char head[GR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    char old[GR_ERROR_MSG_MAX];
    memcpy(old, err->msg, sizeof old);
    /* A message too long for the record is cut, never overflowed; mark the cut. */
    if (snprintf(err->msg, sizeof err->msg, "%s%s", head, old) >= (int)sizeof err->msg)
        memcpy(err->msg + sizeof err->msg - 4, "...", 4);
    err->status = status;
    return status;
}

const char *gr_strerror(int status) {
    switch (status) {
    case GR_OK: return "success";
    case GR_EINVAL: return "invalid argument";
    case GR_ENOMEM: return "out of memory";
    case GR_EIO: return "input/output error";
    case GR_EFORMAT: return "malformed input";
    case GR_EDOM: return "value outside the domain";
    case GR_EMAXITER: return "iteration limit reached";
    case GR_ENOTCONV: return "did not converge";
    case GR_EINFEAS: return "infeasible problem";
    case GR_EINF: return "result is infinite";
    case GR_EDIVERGED: return "diverged (non-finite values)";
    case GR_EMISMATCH: return "shape or dimension mismatch";
    case GR_ELIB: return "library error";
    case GR_EINTERNAL: return "internal error";
    default: return "unknown status";
    }
}

/* ---- GSL's error handler (see error.h) -------------------------------------------------
 * Why a scoped, reference-counted switch rather than gsl_set_error_handler_off() once (from
 * a constructor or a pthread_once in the entry points): switching once changes the whole
 * process for good. A program that links libganrepro and relies on GSL's abort (or on a
 * handler of its own) for its own GSL calls would silently lose it after its first
 * distance call, and a later gsl_set_error_handler(NULL) anywhere would make the library
 * abort again. The scoped switch leaves the process as it found it and re-establishes
 * itself on every entry. Its cost is a spin-locked swap of one pointer per section; the
 * sections are coarse (a quadrature, a factorisation, a divergence), never per integrand
 * evaluation. The lock is a C11 atomic_flag: the critical section is a few instructions
 * and needs no thread library at link time. */

static void gr_gsl_silent(const char *reason, const char *file, int line, int gsl_errno) {
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
}

static atomic_flag gr_gsl_lock = ATOMIC_FLAG_INIT;
static long gr_gsl_depth = 0;                    /* sections open, guarded by gr_gsl_lock */
static gsl_error_handler_t *gr_gsl_saved = NULL; /* the handler to put back at depth 0 */

static void gsl_lock(void) {
    while (atomic_flag_test_and_set_explicit(&gr_gsl_lock, memory_order_acquire)) {
    }
}

static void gsl_unlock(void) { atomic_flag_clear_explicit(&gr_gsl_lock, memory_order_release); }

void gr_gsl_quiet_enter(void) {
    gsl_lock();
    /* re-installed on every entry: a handler set since the section opened (by a caller's
     * callback, say) becomes the one to restore, and the library's calls stay silent */
    gsl_error_handler_t *cur = gsl_set_error_handler(gr_gsl_silent);
    if (cur != gr_gsl_silent) gr_gsl_saved = cur;
    gr_gsl_depth++;
    gsl_unlock();
}

void gr_gsl_quiet_leave(void) {
    gsl_lock();
    if (gr_gsl_depth > 0 && --gr_gsl_depth == 0) {
        gsl_error_handler_t *cur = gsl_set_error_handler(gr_gsl_saved);
        if (cur != gr_gsl_silent) gsl_set_error_handler(cur); /* installed meanwhile: keep it */
        gr_gsl_saved = NULL;
    }
    gsl_unlock();
}

void gr_core_init(void) { gsl_set_error_handler_off(); }
