/* core/error.h — status codes and error records.
 *
 * Every public function of libganrepro that can fail returns an `int` status: 0 (GR_OK) on
 * success, a negative GR_E* code otherwise. When the caller passes a `gr_error *`, the
 * failing function fills it with the code, the source location that raised it and a
 * message meant for a user ("points.txt:12: expected 2 coordinates, found 3"). Passing
 * NULL is allowed: the status alone is returned, and it is the same status as with a record
 * (no function decides what to return by looking at, or into, `err`).
 *
 * There is no global error buffer (see STYLE.md, "Avoid"): each caller owns its record, so
 * two threads, or two jobs in one process, never overwrite each other's messages.
 */
#ifndef GR_CORE_ERROR_H
#define GR_CORE_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gr_status {
    GR_OK = 0,
    GR_EINVAL = -1,     /* invalid argument (a caller's mistake) */
    GR_ENOMEM = -2,     /* allocation failed */
    GR_EIO = -3,        /* file could not be opened, read or written */
    GR_EFORMAT = -4,    /* malformed input: parse error, corrupt file, unsupported version */
    GR_EDOM = -5,       /* input outside a function's domain (NaN, Inf, negative weight…) */
    GR_EMAXITER = -6,   /* iteration cap reached before convergence */
    GR_ENOTCONV = -7,   /* solver stopped without meeting its tolerance */
    GR_EINFEAS = -8,    /* problem infeasible (e.g. transport masses differ) */
    GR_EINF = -9,       /* the exact answer is +infinity (e.g. KL on disjoint supports) */
    GR_EDIVERGED = -10, /* training produced non-finite values */
    GR_EMISMATCH = -11, /* shapes, dimensions or architectures do not agree */
    GR_ELIB = -12,      /* a library (GSL, HDF5, GLPK, BLAS) reported an error */
    GR_EINTERNAL = -13  /* an invariant of ganrepro was broken: a bug, please report */
};

#define GR_ERROR_MSG_MAX 512

typedef struct gr_error {
    int status;                 /* the GR_E* code, GR_OK when nothing happened */
    const char *file;           /* source file that raised it (static string) */
    int line;                   /* source line that raised it */
    char msg[GR_ERROR_MSG_MAX]; /* message for the user, without trailing newline */
} gr_error;

/* Reset a record to "no error". Cannot fail; err may be NULL. */
void gr_error_clear(gr_error *err);

/* Fill `err` (if non-NULL) with code, location and a printf-style message; return `code`.
 * Use through GR_ERROR so the location is recorded. */
int gr_error_set(gr_error *err, int code, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Prefix an existing message with context ("reading results.h5: " + old message) and return
 * `status`, the failing status the caller propagates; with a record, its code becomes
 * `status` and its location is kept. The status is a parameter, not read from the record,
 * so it survives err == NULL:   if (st) return gr_error_prefix(err, st, "%s: ", path);  */
int gr_error_prefix(gr_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Short fixed description of a status code ("invalid argument"). Never NULL. */
const char *gr_strerror(int status);

/* Record an error with the current location and return its code from the caller:
 *     if (n == 0) return GR_ERROR(err, GR_EINVAL, "n must be positive");          */
#define GR_ERROR(err, code, ...) gr_error_set((err), (code), __FILE__, __LINE__, __VA_ARGS__)

/* Propagate a failing status: evaluate once, return it from the caller if non-zero. */
#define GR_TRY(expr)                                                                               \
    do {                                                                                           \
        int gr_try_status_ = (expr);                                                               \
        if (gr_try_status_ != GR_OK) return gr_try_status_;                                        \
    } while (0)

/* GSL and its error handler. GSL reports an error by calling one process-wide handler,
 * whose default prints to stderr and aborts. libganrepro never depends on the handler: every
 * GSL status is checked, and every library section that calls a GSL routine able to report
 * an error (quadrature, Cholesky, GSL workspace and generator allocations) runs between
 * gr_gsl_quiet_enter() and gr_gsl_quiet_leave(), which install a handler that does nothing
 * and afterwards put back the handler that was there. So no input aborts the process,
 * whether or not gr_core_init was called, and the caller's own handler (or GSL's default)
 * is in force again when the library returns. Not wrapped, because they never call the
 * handler: the special functions used (erf, log erfc, Gaussian CDF/pdf), sorting, random
 * draws, and gsl_blas calls whose sizes are consistent by construction.
 *
 * Threads: GSL keeps the handler in one unsynchronised global. The sections are reference
 * counted under a spin lock, so concurrent library calls in several threads switch the
 * handler once and only the last one out restores it. While any section is open, GSL
 * errors raised by other code in the process (another thread, or a caller's callback run
 * from inside the library, e.g. a quantile function or a log-density) also go to the
 * silent handler and are reported only by their GSL status. If the caller installs a
 * handler while a section is open, that handler is the one in force after the library
 * returns. A program that sets handlers from several threads races with GSL itself, with
 * or without libganrepro. Nesting is allowed. Cannot fail. */
void gr_gsl_quiet_enter(void);
void gr_gsl_quiet_leave(void);

/* Optional, for programs that call GSL themselves: turns GSL's abort-on-error handler off
 * for the whole process (gsl_set_error_handler_off), so their own GSL calls return
 * statuses too. The library does not need it (see gr_gsl_quiet_enter). Idempotent. The CLI
 * calls it first thing. */
void gr_core_init(void);

#ifdef __cplusplus
}
#endif

#endif
