/* tests/fuzz/points_common.h — the contract of gr_points_read (io/points.h), checked on
 * whatever it returned; shared by fuzz_points_text.c and fuzz_points_h5.c. */
#ifndef GR_TESTS_FUZZ_POINTS_COMMON_H
#define GR_TESTS_FUZZ_POINTS_COMMON_H

#include <math.h>

#include "fuzz.h"
#include "io/points.h"

static inline void gr_fuzz_points(const char *spec) {
    gr_points p;
    memset(&p, 0xA5, sizeof p); /* the reader must overwrite it either way */
    gr_error err;
    memset(&err, 0, sizeof err);
    int s = gr_points_read(spec, &p, &err);
    if (s == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(p.n >= 1 && p.d >= 1 && p.data != NULL, "empty point set %zu x %zu", p.n,
                      p.d);
        GR_FUZZ_CHECK(p.n <= GR_POINTS_MAX_COORDS / p.d, "%zu x %zu above the limit", p.n, p.d);
        for (size_t i = 0; i < p.n * p.d; i++)
            GR_FUZZ_CHECK(isfinite(p.data[i]), "coordinate %zu is %g", i, p.data[i]);
    } else {
        gr_fuzz_check_failure(s, &err);
        GR_FUZZ_CHECK(s == GR_EIO || s == GR_EFORMAT || s == GR_EDOM || s == GR_ENOMEM ||
                          s == GR_EINVAL,
                      "status %d not documented", s);
        GR_FUZZ_CHECK(p.data == NULL && p.n == 0 && p.d == 0, "failure left points behind");
    }
    gr_points_free(&p);
}

#endif
