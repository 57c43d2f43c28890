/* tests/fuzz/fuzz_points_text.c — io/points.h's text reader on arbitrary bytes: the input is
 * the whole file (any bytes, any line ends, byte-order marks, numbers of every spelling). */
#include "points_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = gr_fuzz_file("points.txt", data, size);
    gr_fuzz_points(path);
    gr_fuzz_unlink(path);
    return 0;
}
