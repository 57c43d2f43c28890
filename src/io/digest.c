/* io/digest.c — canonical-serialisation SHA-256 (see digest.h for the encoding). */
#include "io/digest.h"

#include <string.h>

static void put_u64le(unsigned char b[8], uint64_t v) {
    for (size_t i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

/* name, NUL, byte length as uint64 LE: what precedes every value */
static void head(gr_digest *d, const char *name, uint64_t len) {
    unsigned char b[8];
    put_u64le(b, len);
    gr_sha256_update(&d->sha, name, strlen(name) + 1);
    gr_sha256_update(&d->sha, b, 8);
}

void gr_digest_init(gr_digest *d) { gr_sha256_init(&d->sha); }

void gr_digest_str(gr_digest *d, const char *name, const char *s) {
    size_t n = strlen(s);
    head(d, name, n);
    gr_sha256_update(&d->sha, s, n);
}

void gr_digest_u64(gr_digest *d, const char *name, uint64_t v) {
    unsigned char b[8];
    put_u64le(b, v);
    head(d, name, 8);
    gr_sha256_update(&d->sha, b, 8);
}

void gr_digest_i64(gr_digest *d, const char *name, int64_t v) {
    gr_digest_u64(d, name, (uint64_t)v);
}

void gr_digest_f64(gr_digest *d, const char *name, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    gr_digest_u64(d, name, u);
}

void gr_digest_f32s(gr_digest *d, const char *name, const float *x, size_t n) {
    unsigned char b[1024];
    head(d, name, (uint64_t)n * 4u);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < sizeof b / 4 && i < n; k++, i++) {
            uint32_t u;
            memcpy(&u, &x[i], sizeof u);
            for (size_t j = 0; j < 4; j++)
                b[4 * k + j] = (unsigned char)(u >> (8 * j));
        }
        gr_sha256_update(&d->sha, b, 4 * k);
    }
}

void gr_digest_f64s(gr_digest *d, const char *name, const double *x, size_t n) {
    unsigned char b[1024];
    head(d, name, (uint64_t)n * 8u);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < sizeof b / 8 && i < n; k++, i++) {
            uint64_t u;
            memcpy(&u, &x[i], sizeof u);
            put_u64le(b + 8 * k, u);
        }
        gr_sha256_update(&d->sha, b, 8 * k);
    }
}

void gr_digest_bytes(gr_digest *d, const char *name, const void *data, size_t n) {
    head(d, name, n);
    gr_sha256_update(&d->sha, data, n);
}

void gr_digest_end(gr_digest *d, char out[GR_DIGEST_LEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    unsigned char h[GR_SHA256_BYTES];
    gr_sha256_final(&d->sha, h);
    memcpy(out, GR_DIGEST_PREFIX, sizeof GR_DIGEST_PREFIX - 1);
    char *p = out + sizeof GR_DIGEST_PREFIX - 1;
    for (size_t i = 0; i < GR_SHA256_BYTES; i++) {
        *p++ = hex[h[i] >> 4];
        *p++ = hex[h[i] & 15];
    }
    *p = '\0';
}
