/* core/check.h — the input checks every numeric entry point repeats: finite values,
 * weight vectors (finite, >= 0), total mass, and whether two total masses balance.
 * They return what they found (an index, a sum, a flag), not a message: each caller
 * words its own error (which argument, which row and column), so these cannot fail.
 */
#ifndef GR_CORE_CHECK_H
#define GR_CORE_CHECK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Index of the first v[k] that is NaN or +-inf, or n when v[0..n) are all finite (also for
 * n = 0, where v may be NULL). */
size_t gr_first_nonfinite(const double *v, size_t n);

/* Index of the first w[k] that is not a valid weight (NaN, +-inf or < 0; -0.0 is valid),
 * or n when all are. */
size_t gr_first_bad_weight(const double *w, size_t n);

/* Total mass of a weight vector, summed in index order from 0.0: sum_k w[k], or when w is
 * NULL the uniform weights 1/n added n times (which need not round to exactly 1). */
double gr_mass_total(const double *w, size_t n);

/* 1 when the total masses sa and sb differ by more than tol relative to the larger,
 * |sa - sb| > tol max(sa, sb); 0 otherwise (callers check sa, sb > 0 first). */
int gr_masses_differ(double sa, double sb, double tol);

#ifdef __cplusplus
}
#endif

#endif
