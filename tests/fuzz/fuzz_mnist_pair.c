/* tests/fuzz/fuzz_mnist_pair.c — data/mnist.h's gr_mnist_load_files on an arbitrary IDX pair.
 *
 * Input layout: byte 0 chooses the call (bits 0-1: first row 0..3; bits 2-3: count, 0 =
 * GR_MNIST_REST, else 1..3; bit 4: the pixel scale), bytes 1-2 (little-endian) the length L
 * of the images file, then L bytes of images file and the rest is the labels file (both plain
 * or gzip). On success: n rows starting at `first`, 784 pixels each inside the scale's range,
 * labels 0..9, rows in file order, official 0 (no fuzz input is the real MNIST), a source
 * line. */
#include <math.h>

#include "data/mnist.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    unsigned mode = data[0];
    size_t first = mode & 3u, count = (mode >> 2) & 3u;
    if (count == 0) count = GR_MNIST_REST;
    gr_mnist_scale scale = (mode >> 4) & 1u ? GR_MNIST_SYMMETRIC : GR_MNIST_UNIT;
    size_t len = (size_t)data[1] | (size_t)data[2] << 8;
    if (len > size - 3) len = size - 3;
    const char *img = gr_fuzz_file_slot(0, "images-idx3", data + 3, len);
    const char *lab = gr_fuzz_file_slot(1, "labels-idx1", data + 3 + len, size - 3 - len);

    gr_mnist *m = (gr_mnist *)&m; /* must be overwritten */
    gr_error err;
    memset(&err, 0, sizeof err);
    int s = gr_mnist_load_files(&m, img, lab, first, count, scale, &err);
    if (s == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(m != NULL && m->n >= 1 && m->d == GR_MNIST_D, "shape %zu x %zu", m ? m->n : 0,
                      m ? m->d : 0);
        GR_FUZZ_CHECK(count == GR_MNIST_REST || m->n == count, "n %zu, asked %zu", m->n, count);
        GR_FUZZ_CHECK(m->scale == scale, "scale %d", (int)m->scale);
        float lo = scale == GR_MNIST_UNIT ? 0.0f : -1.0f;
        for (size_t i = 0; i < m->n * m->d; i++)
            GR_FUZZ_CHECK(m->x[i] >= lo && m->x[i] <= 1.0f, "pixel %zu = %g", i, (double)m->x[i]);
        for (size_t i = 0; i < m->n; i++) {
            GR_FUZZ_CHECK(m->y[i] < GR_MNIST_CLASSES, "label %zu = %u", i, (unsigned)m->y[i]);
            GR_FUZZ_CHECK(m->row[i] == first + i, "row[%zu] = %zu", i, m->row[i]);
        }
        GR_FUZZ_CHECK(m->official == 0, "a fuzz input passed as official MNIST");
        GR_FUZZ_CHECK(memchr(m->source, '\0', sizeof m->source) && m->source[0], "source");
        GR_FUZZ_CHECK(strlen(m->images_md5) == 32 && strlen(m->labels_md5) == 32, "md5 hex");
    } else {
        gr_fuzz_check_failure(s, &err);
        GR_FUZZ_CHECK(m == NULL, "failure left a result");
        GR_FUZZ_CHECK(s == GR_EIO || s == GR_EFORMAT || s == GR_ENOMEM || s == GR_EINVAL,
                      "status %d not documented", s);
    }
    gr_mnist_free(m);
    gr_fuzz_unlink(img);
    gr_fuzz_unlink(lab);
    return 0;
}
