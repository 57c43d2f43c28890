/* tests/io/test_h5io.c — the HDF5 primitives of src/io/: the canonical-serialisation digest
 * (io/digest.h) against a byte sequence built by hand from its documented encoding; typed
 * attributes and fixed-shape datasets (io/h5io.h) round-tripped bit-exactly for every type,
 * and refused when the type, rank, shape, layout or storage is not what the writer makes
 * (files crafted with plain HDF5 calls); extendible series appended across a close and
 * reopen, compressed and checksummed, refused when a chunk is missing or damaged; the atomic
 * write (io/atomic.h): a failing writer leaves no file and no temporary, an existing file is
 * untouched by a failed replacement, stale temporaries of dead processes are removed; a
 * checkpoint written into /runs/r0/checkpoint of a file that holds other data, read back
 * bit-exact, its damage refused, its BLAS provenance recorded (and a checkpoint saved before
 * that provenance existed still loading).
 *
 * Files go to a fresh mkdtemp directory, removed at the end. An h5py cross-check of a file
 * written like these is tests/reference/check_h5io_h5py.py (run by hand, not by the suite). */
#include <errno.h>
#include <gsl/gsl_rng.h>
#include <hdf5.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "io/atomic.h"
#include "io/checkpoint.h"
#include "io/digest.h"
#include "io/h5io.h"
#include "io/sha256.h"
#include "linalg/blas_core.h"
#include "nn/optim.h"
#include "test.h"

static char g_dir[512];

static const char *tpath(const char *name) {
    static char buf[4][768];
    static int k = 0;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Number of directory entries starting with prefix. */
static int count_prefixed(const char *prefix) {
    DIR *d = opendir(g_dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* ---- digest ------------------------------------------------------------------------------ */

/* The encoding of digest.h, spelled out byte by byte: name, NUL, length (uint64 LE), value. */
static size_t put_field(unsigned char *b, const char *name, const unsigned char *v, size_t n) {
    size_t k = strlen(name) + 1;
    memcpy(b, name, k);
    for (int i = 0; i < 8; i++)
        b[k + (size_t)i] = (unsigned char)((uint64_t)n >> (8 * i));
    if (n) memcpy(b + k + 8, v, n);
    return k + 8 + n;
}

static void test_digest_encoding(void) {
    /* Values with known IEEE bits: 2.385 = 0x4003147AE147AE14, -1.5f = 0xBFC00000,
     * 0.25f = 0x3E800000, -1 as int64 = 0xFFFFFFFFFFFFFFFF. */
    unsigned char buf[512], v[32];
    size_t n = 0;
    n += put_field(buf + n, "s", (const unsigned char *)"abc", 3);
    const unsigned char u[8] = {0x15, 0xcd, 0x5b, 0x07, 0, 0, 0, 0}; /* 123456789 */
    n += put_field(buf + n, "u", u, 8);
    memset(v, 0xff, 8);
    n += put_field(buf + n, "i", v, 8);
    const unsigned char d[8] = {0x14, 0xae, 0x47, 0xe1, 0x7a, 0x14, 0x03, 0x40};
    n += put_field(buf + n, "d", d, 8);
    const unsigned char f[8] = {0, 0, 0xc0, 0xbf, 0, 0, 0x80, 0x3e};
    n += put_field(buf + n, "f", f, 8);
    unsigned char dd[16];
    memcpy(dd, d, 8);
    memcpy(dd + 8, d, 8);
    n += put_field(buf + n, "ds", dd, 16);
    n += put_field(buf + n, "b", (const unsigned char *)"\x01\x02", 2);
    n += put_field(buf + n, "empty", NULL, 0);
    gr_sha256 h;
    unsigned char want[GR_SHA256_BYTES];
    gr_sha256_init(&h);
    gr_sha256_update(&h, buf, n);
    gr_sha256_final(&h, want);
    char want_s[GR_DIGEST_LEN + 1];
    memcpy(want_s, "sha256:", 7);
    for (size_t i = 0; i < GR_SHA256_BYTES; i++)
        snprintf(want_s + 7 + 2 * i, 3, "%02x", want[i]);

    gr_digest g;
    gr_digest_init(&g);
    gr_digest_str(&g, "s", "abc");
    gr_digest_u64(&g, "u", 123456789u);
    gr_digest_i64(&g, "i", -1);
    gr_digest_f64(&g, "d", 2.385);
    const float fx[2] = {-1.5f, 0.25f};
    gr_digest_f32s(&g, "f", fx, 2);
    const double dx[2] = {2.385, 2.385};
    gr_digest_f64s(&g, "ds", dx, 2);
    gr_digest_bytes(&g, "b", "\x01\x02", 2);
    gr_digest_str(&g, "empty", "");
    char got[GR_DIGEST_LEN + 1];
    gr_digest_end(&g, got);
    CHECK(strlen(got) == GR_DIGEST_LEN);
    CHECK(strcmp(got, want_s) == 0);

    /* long arrays cross the 1 KiB staging buffer: same as hashing their LE bytes directly */
    enum { N = 1000 };
    static float big[N];
    for (int i = 0; i < N; i++)
        big[i] = (float)i * 0.731f - 17.0f;
    gr_digest_init(&g);
    gr_digest_f32s(&g, "x", big, N);
    gr_digest_end(&g, got);
    static unsigned char raw[N * 4 + 16];
    unsigned char le[N * 4];
    for (int i = 0; i < N; i++) {
        uint32_t w;
        memcpy(&w, &big[i], 4);
        for (int j = 0; j < 4; j++)
            le[4 * i + j] = (unsigned char)(w >> (8 * j));
    }
    size_t rn = put_field(raw, "x", le, sizeof le);
    gr_sha256_init(&h);
    gr_sha256_update(&h, raw, rn);
    gr_sha256_final(&h, want);
    for (size_t i = 0; i < GR_SHA256_BYTES; i++)
        snprintf(want_s + 7 + 2 * i, 3, "%02x", want[i]);
    CHECK(strcmp(got, want_s) == 0);
    /* the field name is part of the digest: renaming a field changes it */
    char other[GR_DIGEST_LEN + 1];
    gr_digest_init(&g);
    gr_digest_f32s(&g, "y", big, N);
    gr_digest_end(&g, other);
    CHECK(strcmp(got, other) != 0);
}

/* ---- attributes ---------------------------------------------------------------------------- */

static void test_attr_round_trip(void) {
    gr_error err;
    const char *p = tpath("attrs.h5");
    hid_t f = gr_h5_file_create(p, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    const double dv[4] = {2.385, -0.0, 4.9406564584124654e-324, -1.7976931348623157e308};
    const float fv[3] = {-1.5f, 1.17549435e-38f, 3.4028235e38f};
    CHECK_OK(gr_h5_attr_write_str(f, "name", "critic-2.385", &err), &err);
    CHECK_OK(gr_h5_attr_write_str(f, "empty", "", &err), &err);
    CHECK_OK(gr_h5_attr_write_i32(f, "i32", INT32_MIN, &err), &err);
    CHECK_OK(gr_h5_attr_write_i64(f, "i64", INT64_MIN + 7, &err), &err);
    CHECK_OK(gr_h5_attr_write_u64(f, "u64", UINT64_MAX - 3, &err), &err);
    CHECK_OK(gr_h5_attr_write_f64(f, "f64", -2.385e-300, &err), &err);
    CHECK_OK(gr_h5_attr_write_f64s(f, "f64s", dv, 4, &err), &err);
    CHECK_OK(gr_h5_attr_write_f32s(f, "f32s", fv, 3, &err), &err);
    /* refused arguments: non-ASCII, too long, empty array, existing name */
    CHECK_STATUS(gr_h5_attr_write_str(f, "utf8", "caf\xc3\xa9", &err), GR_EINVAL);
    char *longs = malloc(GR_H5_STR_MAX + 1);
    if (longs) {
        memset(longs, 'a', GR_H5_STR_MAX);
        longs[GR_H5_STR_MAX] = '\0';
        CHECK_STATUS(gr_h5_attr_write_str(f, "long", longs, &err), GR_EINVAL);
        longs[GR_H5_STR_MAX - 1] = '\0'; /* the longest allowed */
        CHECK_OK(gr_h5_attr_write_str(f, "long", longs, &err), &err);
    }
    CHECK_STATUS(gr_h5_attr_write_f64s(f, "none", dv, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_h5_attr_write_i32(f, "i32", 5, &err), GR_EIO);
    CHECK(H5Fclose(f) >= 0);

    f = gr_h5_file_open(p, 0, &err);
    CHECK(f >= 0);
    if (f < 0) {
        free(longs);
        return;
    }
    char *s = NULL;
    CHECK_OK(gr_h5_attr_read_str(f, "name", &s, &err), &err);
    CHECK(s && strcmp(s, "critic-2.385") == 0);
    free(s);
    CHECK_OK(gr_h5_attr_read_str(f, "empty", &s, &err), &err);
    CHECK(s && s[0] == '\0');
    free(s);
    CHECK_OK(gr_h5_attr_read_str(f, "long", &s, &err), &err);
    CHECK(s && longs && strcmp(s, longs) == 0);
    free(s);
    free(longs);
    int32_t i32 = 0;
    int64_t i64 = 0;
    uint64_t u64 = 0;
    double f64 = 0, dr[4];
    float fr[3];
    CHECK_OK(gr_h5_attr_read_i32(f, "i32", &i32, &err), &err);
    CHECK(i32 == INT32_MIN);
    CHECK_OK(gr_h5_attr_read_i64(f, "i64", &i64, &err), &err);
    CHECK(i64 == INT64_MIN + 7);
    CHECK_OK(gr_h5_attr_read_u64(f, "u64", &u64, &err), &err);
    CHECK(u64 == UINT64_MAX - 3);
    CHECK_OK(gr_h5_attr_read_f64(f, "f64", &f64, &err), &err);
    CHECK(f64 == -2.385e-300);
    size_t len = 0;
    CHECK_OK(gr_h5_attr_len(f, "f64s", GR_H5_F64, &len, &err), &err);
    CHECK(len == 4);
    CHECK_OK(gr_h5_attr_read_f64s(f, "f64s", dr, 4, &err), &err);
    CHECK(memcmp(dr, dv, sizeof dv) == 0); /* bits: -0.0 and the subnormal survive */
    CHECK_OK(gr_h5_attr_read_f32s(f, "f32s", fr, 3, &err), &err);
    CHECK(memcmp(fr, fv, sizeof fv) == 0);

    /* refusals: another type, scalar vs array, another length, absent */
    CHECK_STATUS(gr_h5_attr_read_i64(f, "i32", &i64, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is not a single little-endian int64");
    CHECK_STR_CONTAINS(err.msg, p);
    CHECK_STATUS(gr_h5_attr_read_u64(f, "i64", &u64, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_attr_read_f32s(f, "f64s", fr, 3, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_attr_read_f64(f, "f64s", &f64, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_attr_read_f64s(f, "f64", dr, 1, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_attr_read_f64s(f, "f64s", dr, 3, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "has 4 elements, 3 expected");
    CHECK_STATUS(gr_h5_attr_read_str(f, "i32", &s, &err), GR_EFORMAT);
    CHECK(s == NULL);
    CHECK_STATUS(gr_h5_attr_read_i32(f, "missing", &i32, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "has no attribute \"missing\"");
    CHECK(i32 == INT32_MIN); /* untouched by refusals */
    H5Fclose(f);

    /* strings not as the writer makes them: variable-length, UTF-8, space-padded, big-endian
     * int32 */
    f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t vt = H5Tcopy(H5T_C_S1);
    H5Tset_size(vt, H5T_VARIABLE);
    const char *vs = "variable";
    hid_t a = H5Acreate2(f, "vlen", vt, sp, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(a >= 0 && H5Awrite(a, vt, &vs) >= 0);
    H5Aclose(a);
    hid_t ut = H5Tcopy(H5T_C_S1);
    H5Tset_size(ut, 4);
    H5Tset_cset(ut, H5T_CSET_UTF8);
    a = H5Acreate2(f, "utf8", ut, sp, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(a >= 0 && H5Awrite(a, ut, "abc") >= 0);
    H5Aclose(a);
    hid_t pt = H5Tcopy(H5T_C_S1);
    H5Tset_size(pt, 4);
    H5Tset_strpad(pt, H5T_STR_SPACEPAD);
    a = H5Acreate2(f, "spaced", pt, sp, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(a >= 0 && H5Awrite(a, pt, "ab  ") >= 0);
    H5Aclose(a);
    int32_t be = 7;
    a = H5Acreate2(f, "i32be", H5T_STD_I32BE, sp, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(a >= 0 && H5Awrite(a, H5T_NATIVE_INT32, &be) >= 0);
    H5Aclose(a);
    H5Tclose(vt);
    H5Tclose(ut);
    H5Tclose(pt);
    H5Sclose(sp);
    const char *bad[3] = {"vlen", "utf8", "spaced"};
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(gr_h5_attr_read_str(f, bad[i], &s, &err), GR_EFORMAT);
        CHECK_STR_CONTAINS(err.msg, "NUL-terminated ASCII string");
    }
    CHECK_STATUS(gr_h5_attr_read_i32(f, "i32be", &i32, &err), GR_EFORMAT);
    H5Fclose(f);
}

/* ---- fixed-shape datasets -------------------------------------------------------------------- */

static void test_dset_round_trip(void) {
    gr_error err;
    const char *p = tpath("dsets.h5");
    hid_t f = gr_h5_file_create(p, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    enum { R = 7, C = 3 };
    float f32[R * C];
    double f64[R * C];
    int32_t i32[R];
    uint8_t u8[R * C];
    int64_t i64[R];
    uint64_t u64[R];
    for (int i = 0; i < R * C; i++) {
        f32[i] = (float)i * -2.385f + 0.125f;
        f64[i] = (double)i * 2.385e-7 - 11.0;
        u8[i] = (uint8_t)(37 * i + 201);
    }
    for (int i = 0; i < R; i++) {
        i32[i] = (int32_t)(i * 1000003) - 2147483600;
        i64[i] = (int64_t)i * -922337203685477LL;
        u64[i] = UINT64_MAX - (uint64_t)i * 12345u;
    }
    size_t d1[1] = {R}, d2[2] = {R, C};
    hid_t g = gr_h5_group_create(f, "g", &err);
    CHECK(g >= 0);
    CHECK_OK(gr_h5_dset_write(g, "f32", GR_H5_F32, 2, d2, f32, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "f64", GR_H5_F64, 2, d2, f64, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "u8", GR_H5_U8, 2, d2, u8, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "i32", GR_H5_I32, 1, d1, i32, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "i64", GR_H5_I64, 1, d1, i64, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "u64", GR_H5_U64, 1, d1, u64, &err), &err);
    CHECK_OK(gr_h5_dset_write(g, "f32_1d", GR_H5_F32, 1, d1, f32, &err), &err);
    /* arguments refused: an empty shape, rank 3, an overflowing shape */
    size_t d0[1] = {0}, huge[2] = {SIZE_MAX / 2, 4};
    CHECK_STATUS(gr_h5_dset_write(g, "empty", GR_H5_F32, 1, d0, f32, &err), GR_EINVAL);
    CHECK_STATUS(gr_h5_dset_write(g, "r3", GR_H5_F32, 3, d2, f32, &err), GR_EINVAL);
    CHECK_STATUS(gr_h5_dset_write(g, "huge", GR_H5_F32, 2, huge, f32, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "overflow");
    H5Gclose(g);
    CHECK(H5Fclose(f) >= 0);

    f = gr_h5_file_open(p, 0, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    g = gr_h5_group_open(f, "g", &err);
    CHECK(g >= 0);
    float rf32[R * C];
    double rf64[R * C];
    int32_t ri32[R];
    uint8_t ru8[R * C];
    int64_t ri64[R];
    uint64_t ru64[R];
    CHECK_OK(gr_h5_dset_read(g, "f32", GR_H5_F32, 2, d2, rf32, &err), &err);
    CHECK(memcmp(rf32, f32, sizeof f32) == 0);
    CHECK_OK(gr_h5_dset_read(g, "f64", GR_H5_F64, 2, d2, rf64, &err), &err);
    CHECK(memcmp(rf64, f64, sizeof f64) == 0);
    CHECK_OK(gr_h5_dset_read(g, "u8", GR_H5_U8, 2, d2, ru8, &err), &err);
    CHECK(memcmp(ru8, u8, sizeof u8) == 0);
    CHECK_OK(gr_h5_dset_read(g, "i32", GR_H5_I32, 1, d1, ri32, &err), &err);
    CHECK(memcmp(ri32, i32, sizeof i32) == 0);
    CHECK_OK(gr_h5_dset_read(g, "i64", GR_H5_I64, 1, d1, ri64, &err), &err);
    CHECK(memcmp(ri64, i64, sizeof i64) == 0);
    CHECK_OK(gr_h5_dset_read(g, "u64", GR_H5_U64, 1, d1, ru64, &err), &err);
    CHECK(memcmp(ru64, u64, sizeof u64) == 0);
    size_t got[2] = {0, 0};
    CHECK_OK(gr_h5_dset_dims(g, "f64", GR_H5_F64, 2, got, 1000, &err), &err);
    CHECK(got[0] == R && got[1] == C);
    CHECK_STATUS(gr_h5_dset_dims(g, "f64", GR_H5_F64, 2, got, R * C - 1, &err), GR_EFORMAT);

    /* refusals of well-formed files that hold something else */
    float junk[R * C];
    memcpy(junk, rf32, sizeof junk);
    CHECK_STATUS(gr_h5_dset_read(g, "f64", GR_H5_F32, 2, d2, junk, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is not an array of little-endian float32");
    CHECK_STR_CONTAINS(err.msg, "/g/f64");
    CHECK_STATUS(gr_h5_dset_read(g, "i32", GR_H5_I64, 1, d1, junk, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_dset_read(g, "f32", GR_H5_F32, 1, d1, junk, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is not a 1-D array");
    size_t d2t[2] = {C, R};
    CHECK_STATUS(gr_h5_dset_read(g, "f32", GR_H5_F32, 2, d2t, junk, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "has shape 7 x 3, 3 x 7 expected");
    size_t d1s[1] = {R - 1};
    CHECK_STATUS(gr_h5_dset_read(g, "f32_1d", GR_H5_F32, 1, d1s, junk, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "has 7 elements, 6 expected");
    CHECK_STATUS(gr_h5_dset_read(g, "none", GR_H5_F32, 1, d1, junk, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "has no dataset \"none\"");
    CHECK(memcmp(junk, rf32, sizeof junk) == 0); /* nothing read on a refusal */
    CHECK_STATUS((int)gr_h5_group_open(f, "nope", &err), GR_EFORMAT);
    CHECK_STATUS((int)gr_h5_group_open(g, "f32", &err), GR_EFORMAT); /* a dataset, not a group */
    H5Gclose(g);
    H5Fclose(f);
}

/* Datasets crafted with plain HDF5 that a strict reader must refuse. */
static void test_dset_refusals(void) {
    gr_error err;
    const char *p = tpath("crafted.h5");
    hid_t f = H5Fcreate(p, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    const float x[8] = {1.5f, -2.385f, 3, 4, 5, 6, 7, 8};
    hsize_t n = 8, unl = H5S_UNLIMITED, chunk = 4;
    hid_t sp = H5Screate_simple(1, &n, NULL), spx = H5Screate_simple(1, &n, &unl);
    /* chunked (not extendible) */
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    hid_t d = H5Dcreate2(f, "chunked", H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(d);
    /* extendible */
    d = H5Dcreate2(f, "extendible", H5T_IEEE_F32LE, spx, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(d);
    H5Pclose(dcpl);
    /* compact */
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(dcpl, H5D_COMPACT);
    d = H5Dcreate2(f, "compact", H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(d);
    H5Pclose(dcpl);
    /* contiguous, never written (allocation late: no storage) */
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(dcpl, H5D_CONTIGUOUS);
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_LATE);
    d = H5Dcreate2(f, "unallocated", H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(d);
    H5Pclose(dcpl);
    /* big-endian float32, contiguous */
    d = H5Dcreate2(f, "f32be", H5T_IEEE_F32BE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(d);
    /* a good one, and a soft link to it */
    d = H5Dcreate2(f, "good", H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(d);
    H5Lcreate_soft("/good", f, "soft", H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    H5Sclose(spx);
    H5Fclose(f);

    f = gr_h5_file_open(p, 0, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    float y[8];
    size_t dims[1] = {8};
    CHECK_OK(gr_h5_dset_read(f, "good", GR_H5_F32, 1, dims, y, &err), &err);
    CHECK(memcmp(x, y, sizeof x) == 0);
    static const struct {
        const char *name, *needle;
    } cases[] = {
        {"chunked", "is not stored contiguously"},
        {"extendible", "is extendible"},
        {"compact", "is not stored contiguously"},
        {"unallocated", "has no data in the file"},
        {"f32be", "is not an array of little-endian float32"},
        {"soft", "is not a plain (hard) link"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(y, 0, sizeof y);
        CHECK_STATUS(gr_h5_dset_read(f, cases[i].name, GR_H5_F32, 1, dims, y, &err), GR_EFORMAT);
        CHECK_STR_CONTAINS(err.msg, cases[i].needle);
        CHECK_STR_CONTAINS(err.msg, p);
        float zero[8] = {0};
        CHECK(memcmp(y, zero, sizeof y) == 0);
    }
    /* a contiguous dataset is not a series, and a chunked extendible one is not a dataset */
    size_t rows = 0;
    CHECK_STATUS(gr_h5_series_rows(f, "good", GR_H5_F32, 0, &rows, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is not a series");
    CHECK_STATUS(gr_h5_series_rows(f, "chunked", GR_H5_F32, 0, &rows, &err), GR_EFORMAT);
    H5Fclose(f);
}

/* ---- series ---------------------------------------------------------------------------------- */

enum { ROW = 5 };

static void make_rows(double *out, size_t first, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ROW; j++)
            out[i * ROW + j] = (double)(first + i) * 0.5 + (double)j * 2.385; /* compressible */
}

static void test_series(void) {
    gr_error err;
    const char *p = tpath("series.h5");
    hid_t f = gr_h5_file_create(p, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    gr_h5_chunking z = {64, 6, 1, 1}; /* deflate 6, shuffle, fletcher32 */
    gr_h5_chunking plain = {3, 0, 0, 0};
    CHECK_OK(gr_h5_series_create(f, "loss", GR_H5_F64, ROW, &z, &err), &err);
    CHECK_OK(gr_h5_series_create(f, "step", GR_H5_I64, 0, &plain, &err), &err);
    gr_h5_chunking bad = {0, 0, 0, 0};
    CHECK_STATUS(gr_h5_series_create(f, "bad", GR_H5_F64, ROW, &bad, &err), GR_EINVAL);
    bad.chunk_rows = 4;
    bad.deflate = 10;
    CHECK_STATUS(gr_h5_series_create(f, "bad", GR_H5_F64, ROW, &bad, &err), GR_EINVAL);
    size_t rows = 99;
    CHECK_OK(gr_h5_series_rows(f, "loss", GR_H5_F64, ROW, &rows, &err), &err);
    CHECK(rows == 0);
    enum { N1 = 150, N2 = 333 };
    static double all[(N1 + N2) * ROW], back[(N1 + N2) * ROW];
    make_rows(all, 0, N1 + N2);
    /* in uneven pieces, so appends straddle chunks */
    CHECK_OK(gr_h5_series_append(f, "loss", GR_H5_F64, ROW, all, 1, &err), &err);
    CHECK_OK(gr_h5_series_append(f, "loss", GR_H5_F64, ROW, all + ROW, N1 - 1, &err), &err);
    int64_t steps[N1 + N2];
    for (int i = 0; i < N1 + N2; i++)
        steps[i] = (int64_t)i * 1000 - 7;
    CHECK_OK(gr_h5_series_append(f, "step", GR_H5_I64, 0, steps, N1, &err), &err);
    /* wrong type or row length for append */
    CHECK_STATUS(gr_h5_series_append(f, "loss", GR_H5_F32, ROW, all, 1, &err), GR_EFORMAT);
    CHECK_STATUS(gr_h5_series_append(f, "loss", GR_H5_F64, ROW + 1, all, 1, &err), GR_EMISMATCH);
    CHECK(H5Fclose(f) >= 0);

    /* reopen and append the rest */
    f = gr_h5_file_open(p, 1, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    CHECK_OK(gr_h5_series_append(f, "loss", GR_H5_F64, ROW, all + N1 * ROW, N2, &err), &err);
    CHECK_OK(gr_h5_series_append(f, "step", GR_H5_I64, 0, steps + N1, N2, &err), &err);
    CHECK(H5Fclose(f) >= 0);

    f = gr_h5_file_open(p, 0, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    CHECK_OK(gr_h5_series_rows(f, "loss", GR_H5_F64, ROW, &rows, &err), &err);
    CHECK(rows == N1 + N2);
    CHECK_OK(gr_h5_series_read(f, "loss", GR_H5_F64, ROW, rows, back, &err), &err);
    CHECK(memcmp(back, all, sizeof all) == 0);
    int64_t sback[N1 + N2];
    CHECK_OK(gr_h5_series_read(f, "step", GR_H5_I64, 0, N1 + N2, sback, &err), &err);
    CHECK(memcmp(sback, steps, sizeof steps) == 0);
    CHECK_STATUS(gr_h5_series_read(f, "loss", GR_H5_F64, ROW, rows - 1, back, &err), GR_EMISMATCH);
    CHECK_STATUS(gr_h5_series_read(f, "loss", GR_H5_F64, ROW - 1, rows, back, &err), GR_EMISMATCH);
    /* the compressed series takes less room than its raw bytes */
    hid_t d = H5Dopen2(f, "loss", H5P_DEFAULT);
    hsize_t stored = d >= 0 ? H5Dget_storage_size(d) : 0;
    printf("series: %zu rows of %d doubles, %zu bytes raw, %llu stored (deflate 6 + shuffle)\n",
           (size_t)(N1 + N2), ROW, sizeof all, (unsigned long long)stored);
    CHECK(stored > 0 && stored < sizeof all / 2);
    if (d >= 0) H5Dclose(d);
    /* a series is not a fixed-shape dataset */
    size_t dims[2] = {N1 + N2, ROW};
    CHECK_STATUS(gr_h5_dset_read(f, "loss", GR_H5_F64, 2, dims, back, &err), GR_EFORMAT);
    H5Fclose(f);

    /* damage: a series extended without writing (missing chunks), and one bit flipped inside
     * a Fletcher-32 checksummed chunk */
    f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    d = H5Dopen2(f, "step", H5P_DEFAULT);
    hsize_t ext = N1 + N2 + 10;
    CHECK(d >= 0 && H5Dset_extent(d, &ext) >= 0);
    if (d >= 0) H5Dclose(d);
    H5Fclose(f);
    f = gr_h5_file_open(p, 0, &err);
    CHECK_STATUS(gr_h5_series_rows(f, "step", GR_H5_I64, 0, &rows, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "chunks are written");
    haddr_t off = HADDR_UNDEF;
    d = H5Dopen2(f, "loss", H5P_DEFAULT);
    if (d >= 0) {
        hsize_t origin[2] = {0, 0}, csize = 0;
        unsigned mask = 0;
        if (H5Dget_chunk_info_by_coord(d, origin, &mask, &off, &csize) < 0) off = HADDR_UNDEF;
        H5Dclose(d);
    }
    H5Fclose(f);
    CHECK(off != HADDR_UNDEF);
    size_t len = 0;
    unsigned char *bytes = gr_test_read_file(p, &len);
    CHECK(bytes && off != HADDR_UNDEF && off + 20 < len);
    if (bytes && off != HADDR_UNDEF && off + 20 < len) {
        bytes[off + 20] ^= 0x04;
        CHECK(gr_test_write_file(tpath("series_flip.h5"), bytes, len));
        f = gr_h5_file_open(tpath("series_flip.h5"), 0, &err);
        CHECK(f >= 0);
        CHECK_STATUS(gr_h5_series_read(f, "loss", GR_H5_F64, ROW, N1 + N2, back, &err), GR_EFORMAT);
        printf("flipped chunk refused: %s\n", err.msg);
        if (f >= 0) H5Fclose(f);
    }
    free(bytes);
}

/* ---- atomic write -------------------------------------------------------------------------- */

typedef struct wctx {
    const char *text;
    int fail; /* 0: succeed; 1: fail before creating; 2: fail after a partial write */
    char seen[768];
} wctx;

static int text_writer(const char *tmp, void *ctx, gr_error *err) {
    wctx *c = ctx;
    snprintf(c->seen, sizeof c->seen, "%s", tmp);
    if (c->fail == 1) return GR_ERROR(err, GR_EINVAL, "writer refused before writing");
    FILE *f = fopen(tmp, "wx"); /* the temporary does not exist yet */
    if (!f) return GR_ERROR(err, GR_EIO, "%s: %s", tmp, strerror(errno));
    fputs(c->text, f);
    fclose(f);
    if (c->fail == 2) return GR_ERROR(err, GR_EIO, "writer failed after a partial write");
    return GR_OK;
}

static pid_t dead_pid(void) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(pid, NULL, 0);
    return pid;
}

static void test_atomic(void) {
    gr_error err;
    const char *p = tpath("atomic.txt");
    char host[GR_ATOMIC_HOST_MAX + 1];
    gr_atomic_host_tag(host);
    CHECK(host[0] != '\0' && strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_") == strlen(host));
    /* failing writers: no file, no temporary */
    wctx c = {"new contents\n", 1, ""};
    CHECK_STATUS(gr_atomic_write(p, text_writer, &c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "writer refused");
    CHECK(!exists(p));
    CHECK(count_prefixed("atomic.txt.tmp.") == 0);
    c.fail = 2;
    CHECK_STATUS(gr_atomic_write(p, text_writer, &c, &err), GR_EIO);
    CHECK(!exists(p));
    CHECK(count_prefixed("atomic.txt.tmp.") == 0);
    char want_tmp[900];
    snprintf(want_tmp, sizeof want_tmp, "%s.tmp.%s.%ld", p, host, (long)getpid());
    CHECK(strcmp(c.seen, want_tmp) == 0);
    /* success */
    c.fail = 0;
    c.text = "first\n";
    CHECK_OK(gr_atomic_write(p, text_writer, &c, &err), &err);
    size_t len = 0;
    unsigned char *b = gr_test_read_file(p, &len);
    CHECK(b && len == 6 && memcmp(b, "first\n", 6) == 0);
    free(b);
    /* a failed replacement leaves the existing file as it was */
    c.text = "second, never visible\n";
    c.fail = 2;
    CHECK_STATUS(gr_atomic_write(p, text_writer, &c, &err), GR_EIO);
    b = gr_test_read_file(p, &len);
    CHECK(b && len == 6 && memcmp(b, "first\n", 6) == 0);
    free(b);
    CHECK(count_prefixed("atomic.txt.tmp.") == 0);
    c.fail = 0;
    CHECK_OK(gr_atomic_write(p, text_writer, &c, &err), &err);
    b = gr_test_read_file(p, &len);
    CHECK(b && len == strlen(c.text) && memcmp(b, c.text, len) == 0);
    free(b);

    /* stale temporaries: a dead process's removed; a live one's, another host's, another
     * path's kept */
    pid_t dead = dead_pid();
    CHECK(dead > 0);
    char n_dead[600], n_live[600], n_host[600], n_other[600];
    snprintf(n_dead, sizeof n_dead, "%s.tmp.%s.%ld", p, host, (long)dead);
    snprintf(n_live, sizeof n_live, "%s.tmp.%s.%ld", p, host, (long)getppid());
    snprintf(n_host, sizeof n_host, "%s.tmp.other-host.%ld", p, (long)dead);
    snprintf(n_other, sizeof n_other, "%s.tmp.%s.%ld", tpath("other.txt"), host, (long)dead);
    const char *names[4] = {n_dead, n_live, n_host, n_other};
    for (int i = 0; i < 4; i++)
        CHECK(gr_test_write_file(names[i], "x", 1));
    gr_atomic_remove_stale(p);
    CHECK(!exists(n_dead));
    CHECK(exists(n_live) && exists(n_host) && exists(n_other));
    CHECK(gr_test_write_file(n_dead, "x", 1));
    CHECK_OK(gr_atomic_write(p, text_writer, &c, &err), &err); /* a write removes it too */
    CHECK(!exists(n_dead));
    for (int i = 1; i < 4; i++)
        remove(names[i]);

    /* an unwritable target: renaming over a directory fails, nothing is left behind */
    const char *dir = tpath("adir");
    CHECK(mkdir(dir, 0700) == 0);
    CHECK_STATUS(gr_atomic_write(dir, text_writer, &c, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "renaming");
    CHECK(count_prefixed("adir.tmp.") == 0);
    rmdir(dir);
    CHECK_STATUS(gr_atomic_write("", text_writer, &c, &err), GR_EINVAL);
    CHECK_STATUS(gr_atomic_write(p, NULL, &c, &err), GR_EINVAL);
}

/* ---- a checkpoint inside a results file ---------------------------------------------------- */

enum { NP = 203 };

typedef struct ck_state {
    float params[NP];
    gr_optim *adam;
    gsl_rng *rng;
} ck_state;

static void ck_init(ck_state *s, uint64_t seed, int steps) {
    gr_error err;
    CHECK_OK(gr_rng_alloc(&s->rng, seed, GR_STREAM_TEST, &err), &err);
    for (int i = 0; i < NP; i++)
        s->params[i] = (float)(gsl_rng_uniform(s->rng) * 2.385 - 1.0);
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.lr = 2e-4;
    s->adam = NULL;
    CHECK_OK(gr_optim_alloc(&s->adam, &c, NP, &err), &err);
    float g[NP];
    for (int k = 0; k < steps && s->adam; k++) {
        for (int i = 0; i < NP; i++)
            g[i] = (float)(gsl_rng_uniform(s->rng) - 0.5);
        CHECK_OK(gr_optim_step(s->adam, s->params, g, NP, &err), &err);
    }
}

static void ck_free(ck_state *s) {
    gr_optim_free(s->adam);
    gr_rng_free(s->rng);
}

static int ck_same(const ck_state *a, const ck_state *b) {
    size_t sz = gr_rng_state_size(a->rng);
    unsigned char *sa = malloc(sz), *sb = malloc(sz);
    int same = sa && sb && memcmp(a->params, b->params, sizeof a->params) == 0 &&
               gr_optim_step_count(a->adam) == gr_optim_step_count(b->adam) &&
               memcmp(gr_optim_state_const(a->adam), gr_optim_state_const(b->adam),
                      gr_optim_n_slots(a->adam) * NP * sizeof(float)) == 0 &&
               gr_rng_state_save(a->rng, sa, sz, NULL) == GR_OK &&
               gr_rng_state_save(b->rng, sb, sz, NULL) == GR_OK && memcmp(sa, sb, sz) == 0;
    free(sa);
    free(sb);
    return same;
}

static void test_checkpoint_in_group(void) {
    gr_error err;
    ck_state a, b, b0;
    ck_init(&a, 11, 5);
    ck_init(&b, 12, 2);
    ck_init(&b0, 12, 2);
    gr_checkpoint_net na = {"critic", "2-16relu-1linear", a.params, NP, a.adam};
    gr_checkpoint_net nb = {"critic", "2-16relu-1linear", b.params, NP, b.adam};
    gr_checkpoint_rng ra = {"prior", a.rng}, rb = {"prior", b.rng};
    const char *p = tpath("results.h5");
    hid_t f = gr_h5_file_create(p, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    /* other data around it: a dataset at the root, a series in the run */
    const double other[4] = {2.385, -1.0, 0.5, 1e-300};
    size_t d4[1] = {4};
    CHECK_OK(gr_h5_dset_write(f, "summary", GR_H5_F64, 1, d4, other, &err), &err);
    hid_t runs = gr_h5_group_create(f, "runs", &err);
    hid_t r0 = gr_h5_group_create(runs, "r0", &err);
    gr_h5_chunking ch = {16, 4, 1, 1};
    CHECK_OK(gr_h5_series_create(r0, "w_estimate", GR_H5_F64, 0, &ch, &err), &err);
    CHECK_OK(gr_h5_series_append(r0, "w_estimate", GR_H5_F64, 0, other, 4, &err), &err);
    hid_t cg = gr_h5_group_create(r0, "checkpoint", &err);
    CHECK(cg >= 0);
    CHECK_OK(gr_checkpoint_write_group(cg, 777, &na, 1, &ra, 1, &err), &err);
    /* a second checkpoint into the same group is refused */
    CHECK_STATUS(gr_checkpoint_write_group(cg, 778, &na, 1, &ra, 1, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "already holds a checkpoint");
    H5Gclose(cg);
    H5Gclose(r0);
    H5Gclose(runs);
    CHECK(H5Fclose(f) >= 0);

    f = gr_h5_file_open(p, 0, &err);
    CHECK(f >= 0);
    if (f < 0) return;
    cg = H5Gopen2(f, "/runs/r0/checkpoint", H5P_DEFAULT);
    CHECK(cg >= 0);
    uint64_t step = 0;
    CHECK(!ck_same(&a, &b));
    CHECK_OK(gr_checkpoint_read_group(cg, &step, &nb, 1, &rb, 1, &err), &err);
    CHECK(step == 777);
    CHECK(ck_same(&a, &b));
    /* the provenance: this build's BLAS settings, as attributes */
    gr_blas_info bi;
    gr_blas_info_get(&bi);
    char *s = NULL;
    CHECK_OK(gr_h5_attr_read_str(cg, "blas_core", &s, &err), &err);
    CHECK(s && strcmp(s, bi.core) == 0);
    free(s);
    CHECK_OK(gr_h5_attr_read_str(cg, "blas_core_chosen_by", &s, &err), &err);
    CHECK(s && strcmp(s, bi.selected_by) == 0);
    free(s);
    CHECK_OK(gr_h5_attr_read_str(cg, "blas_config", &s, &err), &err);
    CHECK(s && strcmp(s, bi.config) == 0);
    free(s);
    int32_t thr = -1;
    CHECK_OK(gr_h5_attr_read_i32(cg, "blas_threads", &thr, &err), &err);
    CHECK(thr == bi.threads);
    H5Gclose(cg);
    /* the other data are intact */
    double back[4];
    CHECK_OK(gr_h5_dset_read(f, "summary", GR_H5_F64, 1, d4, back, &err), &err);
    CHECK(memcmp(back, other, sizeof other) == 0);
    hid_t r = H5Gopen2(f, "/runs/r0", H5P_DEFAULT);
    CHECK_OK(gr_h5_series_read(r, "w_estimate", GR_H5_F64, 0, 4, back, &err), &err);
    CHECK(memcmp(back, other, sizeof other) == 0);
    H5Gclose(r);
    /* the file-level loader does not look inside groups: the root is not a checkpoint */
    H5Fclose(f);
    CHECK_STATUS(gr_checkpoint_load(p, NULL, &nb, 1, &rb, 1, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is not a ganrepro checkpoint");

    /* damage inside it: a flipped parameter bit, an edited provenance string */
    size_t len = 0;
    unsigned char *bytes = gr_test_read_file(p, &len);
    CHECK(bytes &&
          gr_test_write_file(tpath("results_intact.h5"), bytes, len)); /* for the h5py check */
    unsigned char *hit = NULL;
    for (size_t i = 0; bytes && i + 64 <= len && !hit; i++)
        if (memcmp(bytes + i, a.params, 64) == 0) hit = bytes + i;
    CHECK(hit != NULL);
    ck_state c;
    ck_init(&c, 13, 1);
    ck_state c0;
    ck_init(&c0, 13, 1);
    gr_checkpoint_net nc = {"critic", "2-16relu-1linear", c.params, NP, c.adam};
    gr_checkpoint_rng rc = {"prior", c.rng};
    if (hit) {
        hit[4 * 100 + 2] ^= 0x01;
        CHECK(gr_test_write_file(tpath("results_flip.h5"), bytes, len));
        f = gr_h5_file_open(tpath("results_flip.h5"), 0, &err);
        cg = f >= 0 ? H5Gopen2(f, "/runs/r0/checkpoint", H5P_DEFAULT) : -1;
        CHECK(cg >= 0);
        step = 5;
        CHECK_STATUS(gr_checkpoint_read_group(cg, &step, &nc, 1, &rc, 1, &err), GR_EFORMAT);
        CHECK_STR_CONTAINS(err.msg, "net \"critic\": the checksum does not match");
        CHECK_STR_CONTAINS(err.msg, "/runs/r0/checkpoint");
        CHECK(step == 5 && ck_same(&c, &c0));
        if (cg >= 0) H5Gclose(cg);
        if (f >= 0) H5Fclose(f);
    }
    free(bytes);
    f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    cg = f >= 0 ? H5Gopen2(f, "/runs/r0/checkpoint", H5P_DEFAULT) : -1;
    CHECK(cg >= 0 && H5Adelete(cg, "blas_core") >= 0);
    CHECK_OK(gr_h5_attr_write_str(cg, "blas_core", "Prescott-edited", &err), &err);
    if (cg >= 0) H5Gclose(cg);
    if (f >= 0) H5Fclose(f);
    f = gr_h5_file_open(p, 0, &err);
    cg = f >= 0 ? H5Gopen2(f, "/runs/r0/checkpoint", H5P_DEFAULT) : -1;
    CHECK_STATUS(gr_checkpoint_read_group(cg, &step, &nc, 1, &rc, 1, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "root: the checksum does not match");
    CHECK(ck_same(&c, &c0));
    if (cg >= 0) H5Gclose(cg);
    if (f >= 0) H5Fclose(f);
    CHECK_STATUS(gr_checkpoint_read_group(-1, &step, &nc, 1, &rc, 1, &err), GR_EINVAL);

    /* the file-level save records the same provenance at its root */
    const char *ck = tpath("ck.h5");
    CHECK_OK(gr_checkpoint_save(ck, 3, &na, 1, &ra, 1, &err), &err);
    f = gr_h5_file_open(ck, 0, &err);
    thr = -1;
    CHECK_OK(gr_h5_attr_read_i32(f, "blas_threads", &thr, &err), &err);
    CHECK(thr == bi.threads);
    if (f >= 0) H5Fclose(f);
    ck_free(&a);
    ck_free(&b);
    ck_free(&b0);
    ck_free(&c);
    ck_free(&c0);
}

/* A checkpoint saved before the BLAS settings were recorded (no blas_* attributes, a root
 * digest without those fields, as checkpoint.h documents) still loads; one with only some of
 * the blas attributes is refused. The old root digest is rebuilt here from the documented
 * fields with io/digest.h. */
static void test_checkpoint_without_blas(void) {
    gr_error err;
    ck_state a, b;
    ck_init(&a, 21, 3);
    ck_init(&b, 22, 1);
    gr_checkpoint_net na = {"critic", "3-7tanh-1linear", a.params, NP, a.adam};
    gr_checkpoint_net nb = {"critic", "3-7tanh-1linear", b.params, NP, b.adam};
    gr_checkpoint_rng ra = {"prior", a.rng}, rb = {"prior", b.rng};
    const char *p = tpath("old.h5");
    CHECK_OK(gr_checkpoint_save(p, 4242, &na, 1, &ra, 1, &err), &err);
    hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    char *pv[3] = {NULL, NULL, NULL};
    const char *names[3] = {"code_version", "git_commit", "build_type"};
    for (int i = 0; i < 3; i++)
        CHECK_OK(gr_h5_attr_read_str(f, names[i], &pv[i], &err), &err);
    gr_digest g;
    gr_digest_init(&g);
    gr_digest_str(&g, "format", "ganrepro-checkpoint");
    gr_digest_u64(&g, "format_version", 2);
    gr_digest_str(&g, "object", "root");
    gr_digest_u64(&g, "step", 4242);
    for (int i = 0; i < 3; i++)
        gr_digest_str(&g, names[i], pv[i] ? pv[i] : "");
    char old_sum[GR_DIGEST_LEN + 1];
    gr_digest_end(&g, old_sum);
    for (int i = 0; i < 3; i++)
        free(pv[i]);
    const char *blas[4] = {"blas_config", "blas_core", "blas_core_chosen_by", "blas_threads"};
    for (int i = 0; i < 4; i++)
        CHECK(H5Adelete(f, blas[i]) >= 0);
    CHECK(H5Adelete(f, "checksum") >= 0);
    CHECK_OK(gr_h5_attr_write_str(f, "checksum", old_sum, &err), &err);
    H5Fclose(f);
    uint64_t step = 0;
    CHECK_OK(gr_checkpoint_load(p, &step, &nb, 1, &rb, 1, &err), &err);
    CHECK(step == 4242 && ck_same(&a, &b));

    /* only blas_threads missing: refused, the caller's state untouched */
    ck_state c, c0;
    ck_init(&c, 23, 1);
    ck_init(&c0, 23, 1);
    gr_checkpoint_net nc = {"critic", "3-7tanh-1linear", c.params, NP, c.adam};
    gr_checkpoint_rng rc = {"prior", c.rng};
    const char *q = tpath("partial_blas.h5");
    CHECK_OK(gr_checkpoint_save(q, 1, &na, 1, &ra, 1, &err), &err);
    f = H5Fopen(q, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0 && H5Adelete(f, "blas_threads") >= 0);
    if (f >= 0) H5Fclose(f);
    CHECK_STATUS(gr_checkpoint_load(q, &step, &nc, 1, &rc, 1, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "blas_threads");
    CHECK(ck_same(&c, &c0));
    ck_free(&a);
    ck_free(&b);
    ck_free(&c);
    ck_free(&c0);
}

int main(void) {
    gr_core_init();
    if (gr_test_tmpdir(g_dir, sizeof g_dir, "gr_h5io_") != 0) {
        CHECK(0 && "mkdtemp failed");
        return TEST_MAIN_END();
    }
    RUN(test_digest_encoding);
    RUN(test_attr_round_trip);
    RUN(test_dset_round_trip);
    RUN(test_dset_refusals);
    RUN(test_series);
    RUN(test_atomic);
    RUN(test_checkpoint_in_group);
    RUN(test_checkpoint_without_blas);
    /* GR_TEST_KEEP=1 keeps the files for tests/reference/check_h5io_h5py.py */
    const char *keep = getenv("GR_TEST_KEEP");
    if (keep && strcmp(keep, "1") == 0)
        printf("kept: %s\n", g_dir);
    else
        gr_test_tmpdir_remove(g_dir);
    return TEST_MAIN_END();
}
