/* tests/data/idx_fixture.h — IDX files made by the tests themselves (plain or gzip), so no
 * test needs the MNIST download: a header from raw fields (any magic, any dimensions, even
 * ones that lie about the data that follows) and a payload. */
#ifndef GR_TESTS_IDX_FIXTURE_H
#define GR_TESTS_IDX_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The header bytes for magic (0x0000TTNN as a number, written big-endian) and nd dims. */
static inline size_t fx_header(unsigned char *h, uint32_t magic, const uint32_t *dims, size_t nd) {
    for (int i = 0; i < 4; i++)
        h[i] = (unsigned char)(magic >> (24 - 8 * i));
    for (size_t k = 0; k < nd; k++)
        for (int i = 0; i < 4; i++)
            h[4 + 4 * k + (size_t)i] = (unsigned char)(dims[k] >> (24 - 8 * i));
    return 4 + 4 * nd;
}

/* Write header + payload to path, gzipped (level 1) when gz != 0. 1 on success. */
static inline int fx_write(const char *path, int gz, uint32_t magic, const uint32_t *dims,
                           size_t nd, const void *payload, size_t len) {
    unsigned char h[4 + 4 * 255];
    size_t hl = fx_header(h, magic, dims, nd);
    if (!gz) {
        FILE *f = fopen(path, "wb");
        if (!f) return 0;
        int ok = fwrite(h, 1, hl, f) == hl && (len == 0 || fwrite(payload, 1, len, f) == len);
        return fclose(f) == 0 && ok;
    }
    gzFile f = gzopen(path, "wb1");
    if (!f) return 0;
    int ok = gzwrite(f, h, (unsigned)hl) == (int)hl;
    const unsigned char *p = payload;
    while (ok && len > 0) {
        unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
        ok = gzwrite(f, p, chunk) == (int)chunk;
        p += chunk;
        len -= chunk;
    }
    return gzclose(f) == Z_OK && ok;
}

/* dir/name into buf. */
static inline const char *fx_path(char *buf, size_t cap, const char *dir, const char *name) {
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

/* n synthetic 28 x 28 images: pixels 0, 1, 2 of image i hold i's bytes (little-endian), the
 * others (i * 31 + j * 7) % 256, so a row can be recognised from its pixels (fx_row). */
static inline unsigned char *fx_images(size_t n) {
    unsigned char *p = malloc(n * 784);
    if (!p) return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 784; j++)
            p[i * 784 + j] = (unsigned char)(j < 3 ? (i >> (8 * j)) & 255 : (i * 31 + j * 7) % 256);
    return p;
}

/* The row i of an fx_images image from its first three pixels as scaled floats (unit scale:
 * p/255; symmetric: 2p/255 - 1), rounding back to the byte. */
static inline size_t fx_row(const float *x, int symmetric) {
    size_t r = 0;
    for (int j = 2; j >= 0; j--) {
        double v = symmetric ? (x[j] + 1.0) * 255.0 / 2.0 : x[j] * 255.0;
        r = r << 8 | (size_t)(v + 0.5);
    }
    return r;
}

#endif
