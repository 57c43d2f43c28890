/* tests/data/test_idx.c — the IDX reader (data/idx.h) on files this test writes: valid plain and
 * gzip files of every element type, and every refusal (truncated, trailing bytes, wrong magic,
 * unknown type, bad dimension count, zero or huge dimensions, size limit, corrupt gzip), each
 * with its message; MD5 against RFC 1321's vectors; truncation at every offset and random
 * headers never crash (the ASan build runs this too). */
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "core/rng.h"
#include "data/idx.h"
#include "idx_fixture.h"
#include "test.h"

static char dir[512];
static char path[1024];

static const char *P(const char *name) { return fx_path(path, sizeof path, dir, name); }

static void md5_check(const void *data, size_t n, const char *want) {
    unsigned char d[GR_IDX_MD5_BYTES];
    char hex[33];
    gr_md5(data, n, d);
    gr_md5_hex(d, hex);
    CHECK_STR_CONTAINS(hex, want);
}

/* RFC 1321 appendix A.5, and the million-'a' vector. */
static void test_md5_vectors(void) {
    md5_check("", 0, "d41d8cd98f00b204e9800998ecf8427e");
    md5_check("a", 1, "0cc175b9c0f1b6a831c399e269772661");
    md5_check("abc", 3, "900150983cd24fb0d6963f7d28e17f72");
    md5_check("message digest", 14, "f96b697d7cb7938d525a2f31aaf161d0");
    md5_check("abcdefghijklmnopqrstuvwxyz", 26, "c3fcd3d76192e4007dfb496cca67e13b");
    const char *s62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    md5_check(s62, strlen(s62), "d174ab98d277d9f5a5611c2c9f419d9f");
    const char *s80 =
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
    md5_check(s80, strlen(s80), "57edf4a22be3c955ac49da2e2107b67a");
    char *m = malloc(1000000);
    CHECK(m != NULL);
    if (!m) return;
    memset(m, 'a', 1000000);
    md5_check(m, 1000000, "7707d6ae4e027c70eea2a935c2296f21");
    free(m);
}

/* Read path and expect status st with a message containing every given piece and the path. */
static void expect_refusal(const char *file, int st, const char *piece1, const char *piece2) {
    gr_idx *idx = (gr_idx *)1;
    gr_error err = {0};
    CHECK_STATUS(gr_idx_read(&idx, file, 0, &err), st);
    CHECK(idx == NULL);
    CHECK_STR_CONTAINS(err.msg, file);
    if (piece1) CHECK_STR_CONTAINS(err.msg, piece1);
    if (piece2) CHECK_STR_CONTAINS(err.msg, piece2);
}

static void test_valid_u8(void) {
    for (int gz = 0; gz < 2; gz++) {
        const char *f = P(gz ? "u8.gz" : "u8");
        uint32_t dims[3] = {2, 3, 4};
        unsigned char payload[24];
        for (int i = 0; i < 24; i++)
            payload[i] = (unsigned char)(i * 11);
        CHECK(fx_write(f, gz, 0x00000803, dims, 3, payload, 24));
        gr_idx *idx = NULL;
        gr_error err = {0};
        CHECK_OK(gr_idx_read(&idx, f, 0, &err), &err);
        if (!idx) continue;
        CHECK(idx->type == GR_IDX_U8 && idx->elem_size == 1 && idx->ndims == 3);
        CHECK(idx->dims[0] == 2 && idx->dims[1] == 3 && idx->dims[2] == 4 && idx->count == 24);
        CHECK(memcmp(idx->data, payload, 24) == 0);
        CHECK(idx->file_bytes == 16 + 24);
        CHECK(idx->gzipped == gz);
        /* The MD5 is of the (decompressed) bytes: the same for both files. */
        unsigned char whole[40], want[16];
        fx_header(whole, 0x00000803, dims, 3);
        memcpy(whole + 16, payload, 24);
        gr_md5(whole, 40, want);
        CHECK(memcmp(idx->md5, want, 16) == 0);
        gr_idx_free(idx);
    }
    gr_idx_free(NULL);
    CHECK_STR_CONTAINS(gr_idx_type_name(GR_IDX_F64), "f64");
    CHECK_STR_CONTAINS(gr_idx_type_name(0x42), "?");
}

/* Multi-byte types are big-endian in the file, host order in data. */
static void test_valid_types(void) {
    uint32_t dims[1] = {2};
    /* i8: -3, 127 */
    unsigned char i8[2] = {0xfd, 0x7f};
    CHECK(fx_write(P("i8"), 1, 0x00000901, dims, 1, i8, 2));
    /* i16: -2, 300 */
    unsigned char i16[4] = {0xff, 0xfe, 0x01, 0x2c};
    CHECK(fx_write(P("i16"), 0, 0x00000B01, dims, 1, i16, 4));
    /* i32: -70000, 123456789 */
    unsigned char i32[8] = {0xff, 0xfe, 0xee, 0x90, 0x07, 0x5b, 0xcd, 0x15};
    CHECK(fx_write(P("i32"), 1, 0x00000C01, dims, 1, i32, 8));
    /* f32: 2.385 (0x4018a3d7), -1.5 (0xbfc00000) */
    unsigned char f32[8] = {0x40, 0x18, 0xa3, 0xd7, 0xbf, 0xc0, 0x00, 0x00};
    CHECK(fx_write(P("f32"), 0, 0x00000D01, dims, 1, f32, 8));
    /* f64: 2.385 (0x4003147ae147ae14), -0.125 (0xbfc0000000000000) */
    unsigned char f64[16] = {0x40, 0x03, 0x14, 0x7a, 0xe1, 0x47, 0xae, 0x14,
                             0xbf, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    CHECK(fx_write(P("f64"), 1, 0x00000E01, dims, 1, f64, 16));
    gr_error err = {0};
    gr_idx *a = NULL;
    CHECK_OK(gr_idx_read(&a, P("i8"), 0, &err), &err);
    if (a) {
        const int8_t *v = a->data;
        CHECK(a->type == GR_IDX_I8 && a->elem_size == 1 && v[0] == -3 && v[1] == 127);
    }
    gr_idx_free(a);
    a = NULL;
    CHECK_OK(gr_idx_read(&a, P("i16"), 0, &err), &err);
    if (a) {
        const int16_t *v = a->data;
        CHECK(a->type == GR_IDX_I16 && a->elem_size == 2 && v[0] == -2 && v[1] == 300);
    }
    gr_idx_free(a);
    a = NULL;
    CHECK_OK(gr_idx_read(&a, P("i32"), 0, &err), &err);
    if (a) {
        const int32_t *v = a->data;
        CHECK(a->type == GR_IDX_I32 && a->elem_size == 4 && v[0] == -70000 && v[1] == 123456789);
    }
    gr_idx_free(a);
    a = NULL;
    CHECK_OK(gr_idx_read(&a, P("f32"), 0, &err), &err);
    if (a) {
        const float *v = a->data;
        CHECK(a->type == GR_IDX_F32 && v[0] == 2.385f && v[1] == -1.5f);
    }
    gr_idx_free(a);
    a = NULL;
    CHECK_OK(gr_idx_read(&a, P("f64"), 0, &err), &err);
    if (a) {
        const double *v = a->data;
        CHECK(a->type == GR_IDX_F64 && a->elem_size == 8 && v[0] == 2.385 && v[1] == -0.125);
    }
    gr_idx_free(a);
}

/* A 3 MiB file crosses the gzip reader's buffer growth (1 MiB, then doubling). */
static void test_large_gzip(void) {
    size_t n = 3 * 1024 * 1024 + 17;
    unsigned char *p = malloc(n);
    CHECK(p != NULL);
    if (!p) return;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 2385, GR_STREAM_TEST, NULL), NULL);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)gsl_rng_uniform_int(r, 256);
    gr_rng_free(r);
    uint32_t dims[1] = {(uint32_t)n};
    for (int gz = 0; gz < 2; gz++) {
        const char *f = P(gz ? "big.gz" : "big");
        CHECK(fx_write(f, gz, 0x00000801, dims, 1, p, n));
        gr_idx *idx = NULL;
        gr_error err = {0};
        CHECK_OK(gr_idx_read(&idx, f, 0, &err), &err);
        if (idx) {
            CHECK(idx->count == n && memcmp(idx->data, p, n) == 0);
            CHECK(idx->gzipped == gz);
        }
        gr_idx_free(idx);
    }
    free(p);
}

static void test_truncated_and_trailing(void) {
    uint32_t dims[1] = {10};
    unsigned char payload[16] = {0};
    char want[160];
    /* plain: one byte short, one byte over */
    CHECK(fx_write(P("short"), 0, 0x00000801, dims, 1, payload, 9));
    expect_refusal(
        P("short"), GR_EFORMAT, "truncated",
        "the header declares 10 u8 elements (18 bytes with the header), the file holds 17");
    CHECK(fx_write(P("long"), 0, 0x00000801, dims, 1, payload, 11));
    expect_refusal(P("long"), GR_EFORMAT, "trailing bytes", "the file holds 19");
    /* gzip streams that are complete but hold too little or too much */
    CHECK(fx_write(P("short.gz"), 1, 0x00000801, dims, 1, payload, 9));
    expect_refusal(P("short.gz"), GR_EFORMAT, "truncated", "the file holds 17");
    CHECK(fx_write(P("long.gz"), 1, 0x00000801, dims, 1, payload, 16));
    snprintf(want, sizeof want, "the file holds %d", 8 + 16);
    expect_refusal(P("long.gz"), GR_EFORMAT, "trailing bytes", want);
    /* a header cut short: 3 dimensions declared, one present */
    uint32_t d1[1] = {60000};
    CHECK(fx_write(P("hdr"), 0, 0x00000803, d1, 1, NULL, 0));
    expect_refusal(P("hdr"), GR_EFORMAT, "truncated header",
                   "3 dimensions need 16 header bytes, the file holds 8");
    /* shorter than the magic: empty, 3 bytes */
    CHECK(gr_test_write_file(P("empty"), "", 0));
    expect_refusal(P("empty"), GR_EFORMAT, "not an IDX file", "0 bytes");
    CHECK(gr_test_write_file(P("three"), "\0\0\x08", 3));
    expect_refusal(P("three"), GR_EFORMAT, "not an IDX file", "3 bytes");
}

static void test_header_refusals(void) {
    uint32_t dims[2] = {2, 2};
    unsigned char payload[4] = {1, 2, 3, 4};
    CHECK(fx_write(P("magic"), 0, 0x01000802, dims, 2, payload, 4));
    expect_refusal(P("magic"), GR_EFORMAT, "not an IDX file: magic 0x01000802",
                   "expected 0x0000TTNN");
    CHECK(fx_write(P("type"), 0, 0x00000A02, dims, 2, payload, 4));
    expect_refusal(P("type"), GR_EFORMAT, "unknown element type 0x0a", "0x08 (u8)");
    CHECK(fx_write(P("nd0"), 0, 0x00000800, dims, 0, payload, 4));
    expect_refusal(P("nd0"), GR_EFORMAT, "0 dimensions", "expected 1 to 8");
    uint32_t d9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    CHECK(fx_write(P("nd9"), 0, 0x00000809, d9, 9, payload, 1));
    expect_refusal(P("nd9"), GR_EFORMAT, "9 dimensions", "expected 1 to 8");
    uint32_t dz[2] = {3, 0};
    CHECK(fx_write(P("zero"), 0, 0x00000802, dz, 2, payload, 0));
    expect_refusal(P("zero"), GR_EFORMAT, "dimension 1 is 0", "expected >= 1");
    /* a size limit */
    uint32_t d100[1] = {100};
    unsigned char hundred[100] = {0};
    CHECK(fx_write(P("limit"), 0, 0x00000801, d100, 1, hundred, 100));
    gr_idx *idx = NULL;
    gr_error err = {0};
    CHECK_STATUS(gr_idx_read(&idx, P("limit"), 50, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "100 u8 elements (100 bytes), above the limit of 50 bytes");
    CHECK_OK(gr_idx_read(&idx, P("limit"), 100, &err), &err);
    gr_idx_free(idx);
}

/* Dimensions whose product overflows size_t, and huge ones that fit but that the file does not
 * hold: refused without allocating what the header claims. */
static void test_huge_dims(void) {
    uint32_t big4[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
    unsigned char payload[64] = {0};
    CHECK(fx_write(P("over"), 0, 0x00000804, big4, 4, payload, 64));
    expect_refusal(P("over"), GR_EFORMAT, "dimensions overflow", NULL);
    CHECK(fx_write(P("over.gz"), 1, 0x00000804, big4, 4, payload, 64));
    expect_refusal(P("over.gz"), GR_EFORMAT, "dimensions overflow", NULL);
    uint32_t big2[2] = {0xffffffffu, 0xffffffffu};
    CHECK(fx_write(P("over8"), 0, 0x00000E02, big2, 2, payload, 64)); /* x 8 bytes overflows */
    expect_refusal(P("over8"), GR_EFORMAT, "dimensions overflow", NULL);
    /* (2^32 - 1)^2 bytes fit in size_t: the plain file's length refuses it before any allocation,
     * the gzip stream once its 64 bytes have been read into a 1 MiB buffer. */
    CHECK(fx_write(P("huge"), 0, 0x00000802, big2, 2, payload, 64));
    expect_refusal(P("huge"), GR_EFORMAT, "truncated",
                   "4294967295 x 4294967295 u8 elements (18446744065119617037 bytes with the "
                   "header), the file holds 76");
    CHECK(fx_write(P("huge.gz"), 1, 0x00000802, big2, 2, payload, 64));
    expect_refusal(P("huge.gz"), GR_EFORMAT, "truncated", "the file holds 76");
}

static void test_corrupt_gzip(void) {
    /* A gzip magic followed by garbage. */
    unsigned char junk[64] = {0x1f, 0x8b, 0x08, 0x00};
    for (int i = 4; i < 64; i++)
        junk[i] = (unsigned char)(i * 37 + 11);
    CHECK(gr_test_write_file(P("junk.gz"), junk, sizeof junk));
    expect_refusal(P("junk.gz"), GR_EFORMAT, "gzip", "zlib:");
    /* A valid stream with one flipped byte in the middle: a CRC or data error. */
    uint32_t dims[1] = {4000};
    unsigned char payload[4000];
    for (int i = 0; i < 4000; i++)
        payload[i] = (unsigned char)((i * i) % 251);
    CHECK(fx_write(P("flip.gz"), 1, 0x00000801, dims, 1, payload, 4000));
    size_t len = 0;
    unsigned char *b = gr_test_read_file(P("flip.gz"), &len);
    CHECK(b != NULL && len > 40);
    if (!b) return;
    b[len / 2] ^= 0x55;
    CHECK(gr_test_write_file(P("flip.gz"), b, len));
    gr_idx *idx = NULL;
    gr_error err = {0};
    CHECK_STATUS(gr_idx_read(&idx, P("flip.gz"), 0, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, P("flip.gz"));
    CHECK(idx == NULL);
    /* A gzip stream cut short: zlib's "unexpected end of file". */
    CHECK(gr_test_write_file(P("cut.gz"), b, len / 2));
    free(b);
    CHECK(fx_write(P("cut.gz"), 1, 0x00000801, dims, 1, payload, 4000));
    b = gr_test_read_file(P("cut.gz"), &len);
    if (!b) return;
    CHECK(gr_test_write_file(P("cut.gz"), b, len - 9)); /* the 8-byte trailer and one more */
    free(b);
    expect_refusal(P("cut.gz"), GR_EFORMAT, "truncated or corrupt gzip stream", "zlib:");
}

/* After a gzip stream: a second gzip member is data (refused as trailing bytes); other bytes
 * are ignored by zlib, as the header documents. */
static void test_after_gzip_stream(void) {
    uint32_t dims[1] = {3};
    unsigned char payload[3] = {1, 2, 3};
    CHECK(fx_write(P("one.gz"), 1, 0x00000801, dims, 1, payload, 3));
    size_t len = 0;
    unsigned char *b = gr_test_read_file(P("one.gz"), &len);
    CHECK(b != NULL);
    if (!b) return;
    unsigned char *two = malloc(2 * len + 16);
    CHECK(two != NULL);
    if (two) {
        memcpy(two, b, len);
        memcpy(two + len, b, len);
        CHECK(gr_test_write_file(P("two.gz"), two, 2 * len));
        expect_refusal(P("two.gz"), GR_EFORMAT, "trailing bytes", "the file holds 22");
        memcpy(two + len, "trailing junk", 13);
        CHECK(gr_test_write_file(P("junk.gz"), two, len + 13));
        gr_idx *idx = NULL;
        gr_error err = {0};
        CHECK_OK(gr_idx_read(&idx, P("junk.gz"), 0, &err), &err);
        if (idx) CHECK(idx->count == 3 && idx->file_bytes == 11);
        gr_idx_free(idx);
    }
    free(two);
    free(b);
}

/* Every proper prefix of a valid file (plain and gzip) is refused, never read as valid. */
static void test_every_truncation(void) {
    uint32_t dims[2] = {3, 5};
    unsigned char payload[15];
    for (int i = 0; i < 15; i++)
        payload[i] = (unsigned char)(200 - i);
    for (int gz = 0; gz < 2; gz++) {
        CHECK(fx_write(P("whole"), gz, 0x00000802, dims, 2, payload, 15));
        size_t len = 0;
        unsigned char *b = gr_test_read_file(P("whole"), &len);
        CHECK(b != NULL);
        if (!b) return;
        int refused = 0;
        for (size_t cut = 0; cut < len; cut++) {
            CHECK(gr_test_write_file(P("part"), b, cut));
            gr_idx *idx = NULL;
            int st = gr_idx_read(&idx, P("part"), 0, NULL);
            refused += st == GR_EFORMAT && idx == NULL;
            gr_idx_free(idx);
        }
        CHECK(refused == (int)len);
        gr_idx *idx = NULL;
        CHECK_OK(gr_idx_read(&idx, P("whole"), 0, NULL), NULL);
        gr_idx_free(idx);
        free(b);
    }
}

/* Random headers (valid-looking magic, random dims) and random gzip bytes: every read ends with
 * a status, and a success only when the size is consistent. Under ASan this is the no-crash
 * check on crafted files. */
static void test_random_files(void) {
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 77, GR_STREAM_TEST, NULL), NULL);
    if (!r) return;
    int bad = 0;
    for (int t = 0; t < 400; t++) {
        unsigned char b[96];
        size_t len = 4 + gsl_rng_uniform_int(r, 92);
        for (size_t i = 0; i < len; i++)
            b[i] = (unsigned char)gsl_rng_uniform_int(r, 256);
        if (t % 2 == 0) { /* an IDX-looking header with small dims */
            b[0] = b[1] = 0;
            b[2] = (unsigned char)(t % 4 == 0 ? 0x08 : 0x0C);
            b[3] = (unsigned char)(1 + gsl_rng_uniform_int(r, 3));
            for (size_t i = 4; i < 4 + 4 * (size_t)b[3] && i < len; i++)
                b[i] = (i % 4 == 3) ? (unsigned char)gsl_rng_uniform_int(r, 4) : 0;
        } else if (t % 4 == 1) { /* a gzip magic and garbage */
            b[0] = 0x1f;
            b[1] = 0x8b;
            b[2] = 0x08;
        }
        CHECK(gr_test_write_file(P("rand"), b, len));
        gr_idx *idx = NULL;
        gr_error err = {0};
        int st = gr_idx_read(&idx, P("rand"), 0, &err);
        if (st == GR_OK) {
            if (!idx || idx->file_bytes != len) bad++;
        } else if (idx != NULL || st != GR_EFORMAT || !strstr(err.msg, P("rand"))) {
            bad++;
        }
        gr_idx_free(idx);
    }
    CHECK(bad == 0);
    gr_rng_free(r);
}

static void test_io_errors(void) {
    expect_refusal(P("does-not-exist"), GR_EIO, "cannot open", NULL);
    expect_refusal(dir, GR_EIO, "not a regular file", NULL);
    gr_idx *idx = (gr_idx *)1;
    CHECK_STATUS(gr_idx_read(&idx, NULL, 0, NULL), GR_EINVAL);
    CHECK(idx == NULL);
    CHECK_STATUS(gr_idx_read(NULL, P("u8"), 0, NULL), GR_EINVAL);
}

int main(void) {
    if (gr_test_tmpdir(dir, sizeof dir, "gr_idx_") != 0) return 1;
    RUN(test_md5_vectors);
    RUN(test_valid_u8);
    RUN(test_valid_types);
    RUN(test_large_gzip);
    RUN(test_truncated_and_trailing);
    RUN(test_header_refusals);
    RUN(test_huge_dims);
    RUN(test_corrupt_gzip);
    RUN(test_after_gzip_stream);
    RUN(test_every_truncation);
    RUN(test_random_files);
    RUN(test_io_errors);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
