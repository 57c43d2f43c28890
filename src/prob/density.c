/* prob/density.c — quantile by bracketed bisection (see density.h). */
#include "prob/density.h"

#include <math.h>

double gr_density_quantile_bisect(double (*cdf)(double x, const void *ctx),
                                  double (*sf)(double x, const void *ctx), const void *ctx,
                                  double u, double lo, double hi, double scale) {
    int upper = u > 0.5;
    double target = upper ? 1.0 - u : u; /* exact for u in (1/2, 1] (Sterbenz) */
    for (int it = 0; it < GR_DENSITY_QUANTILE_MAXIT; it++) {
        if (hi - lo <= GR_DENSITY_QUANTILE_RTOL * (fabs(lo) + fabs(hi) + scale)) break;
        double mid = lo + 0.5 * (hi - lo);
        /* below the quantile: cdf(mid) < u, i.e. sf(mid) > 1 - u */
        int below = upper ? sf(mid, ctx) > target : cdf(mid, ctx) < target;
        if (below)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 0.5 * (hi - lo);
}
