/* docs/examples/w1.c — exact W1 between two point sets with libganrepro: the points of
 * the README's a.txt and b.txt, so it prints what `ganrepro distance w1 a.txt b.txt`
 * prints, 1.1380711874576983 = (2 + sqrt 2) / 3 (the rows pair up: 1, 1 and sqrt 2).
 *     cc w1.c $(pkg-config --cflags --libs --static ganrepro) -o w1 && ./w1 */
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "distance/ot.h"

int main(void) {
    const double x[] = {0, 0, 1, 1, 2, 2}; /* n x d, row-major: one point per row */
    const double y[] = {0, 1, 1, 2, 3, 3}; /* m x d */
    const size_t n = 3, m = 3, d = 2;

    gr_core_init(); /* the library's process-wide settings (core/error.h); idempotent */

    gr_error err;
    double w1;
    /* NULL weights: uniform; p = 1; NULL settings: the defaults (distance/ot.h). w1 is set
     * only when the optimum is certified; any other status comes with a message. */
    if (gr_ot_wasserstein(x, NULL, n, y, NULL, m, d, 1, NULL, &w1, &err) != GR_OK) {
        fprintf(stderr, "w1: %s\n", err.msg);
        return 1;
    }
    printf("%.17g\n", w1);
    return 0;
}
