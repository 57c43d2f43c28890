/* gan/bilinear.h — the bilinear game v(x, y) = x y (CLAIMS C47, oracle O16): x minimises,
 * y maximises, both by plain gradient steps of size eta (dv/dx = y, dv/dy = x).
 *
 *   alternating:  x' = x - eta y,  then  y' = y + eta x'   (y sees the new x)
 *                 the map [[1, -eta], [eta, 1 - eta^2]] has det 1 and trace 2 - eta^2, and
 *                 conserves H(x, y) = x^2 + y^2 - eta x y exactly (in exact arithmetic);
 *                 for 0 < eta < 2 the orbits are ellipses around (0, 0) with eigen-angle
 *                 acos(1 - eta^2/2): period 6 at eta = 1, 4 at sqrt 2, 3 at sqrt 3.
 *   simultaneous: x' = x - eta y,  y' = y + eta x          (both see the old point)
 *                 x'^2 + y'^2 = (1 + eta^2)(x^2 + y^2): an outward spiral.
 *
 * The double versions round once per multiply-add as written above (no FMA contraction is
 * relied on), so H drifts only by rounding: measured |H_t - H_0| <= 1e-12 * H_0 over 1000
 * steps for eta in {0.1, 0.5, 1, 1.9} from (2, 3) (tests/gan/test_games_bilinear.c). The exact
 * version runs the same maps in 64-bit integers for an integer eta (eta = 1 is the one
 * integer inside the stable range), so e.g. the 6-cycle from (2, 3) is reproduced exactly;
 * it refuses (GR_EDOM) any step whose result would overflow int64.
 *
 * Trajectories go into caller buffers of n + 1 entries: index 0 is the start, index t the
 * point after t updates. Nothing allocates.
 */
#ifndef GR_GAN_BILINEAR_H
#define GR_GAN_BILINEAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GR_BILINEAR_ALTERNATING = 0, /* x first, then y with the new x */
    GR_BILINEAR_SIMULTANEOUS = 1 /* both from the old point */
} gr_bilinear_mode;

/* H(x, y) = x^2 + y^2 - eta x y, the alternating map's invariant. */
double gr_bilinear_energy(double x, double y, double eta);

/* n updates of the game from (x0, y0) with step eta, into x[0..n], y[0..n].
 * Errors: GR_EINVAL (NULL x or y, unknown mode), GR_EDOM (x0, y0 or eta not finite). A
 * trajectory that overflows to +-inf (eta > 2, or simultaneous play for long enough) is
 * returned as computed: the infinities are the answer, not an error. */
int gr_bilinear_run(gr_bilinear_mode mode, double x0, double y0, double eta, size_t n, double *x,
                    double *y, gr_error *err);

/* The same maps in exact int64 arithmetic for an integer step eta.
 * Errors: GR_EINVAL (NULL x or y, unknown mode), GR_EDOM (a product or sum would overflow
 * int64; x[0..t], y[0..t] hold the exact points before the failing step t + 1, and the
 * message names the step). */
int gr_bilinear_run_exact(gr_bilinear_mode mode, int64_t x0, int64_t y0, int64_t eta, size_t n,
                          int64_t *x, int64_t *y, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
