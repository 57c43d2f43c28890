/* tests/fuzz/fuzz_points_h5.c — io/points.h's HDF5 reader: the input is the whole file, read
 * as "FILE:/points" and "FILE:/grp/p1" (the seeds, tests/fuzz/make_seeds.c, hold datasets
 * of every accepted type and layout at those paths, plus refused ones). Most mutations are
 * refused by libhdf5's own parser; the seeds make the rest reach our checks (type, rank,
 * layout, storage size, NaN/Inf). */
#include "points_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = gr_fuzz_file("points.h5", data, size);
    char spec[1400];
    snprintf(spec, sizeof spec, "%s:/points", path);
    gr_fuzz_points(spec);
    snprintf(spec, sizeof spec, "%s:/grp/p1", path);
    gr_fuzz_points(spec);
    gr_fuzz_unlink(path);
    return 0;
}
