/* tests/io/test_points.c — io/points.h: text and HDF5 point files, and every error path
 * (the message must name the file, the line/field or dataset, and what was expected).
 *
 * Also the reproductions of issue 8 item 5 (CR-only, CRLF and mixed line ends; byte-order
 * marks; text paths containing ":/") and issue 9 items 1 and 3 (crafted HDF5 datasets:
 * shapes whose size wraps or exceeds memory, never-written and partly written chunked
 * datasets, a compact dataset whose storage was patched to 0 bytes, nonstandard types,
 * external raw data, a virtual dataset). Every crafted file is made here with the HDF5 C API (huge
 * shapes are chunked, allocated late and never written, so the files stay a few KB); the one
 * corruption HDF5 cannot write, the compact size, is patched into the bytes it wrote. */
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "io/points.h"
#include "test.h"

static char dir[64];

static const char *write_file(const char *name, const char *text) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

static void expect_error(const char *name, const char *text, int code, const char *needle1,
                         const char *needle2) {
    const char *path = write_file(name, text);
    CHECK(path != NULL);
    if (!path) return;
    gr_points p;
    gr_error err;
    gr_error_clear(&err);
    CHECK_STATUS(gr_points_read(path, &p, &err), code);
    CHECK(p.data == NULL && p.n == 0);
    CHECK_STR_CONTAINS(err.msg, name);
    CHECK_STR_CONTAINS(err.msg, needle1);
    if (needle2) CHECK_STR_CONTAINS(err.msg, needle2);
}

static void test_text(void) {
    const char *path = write_file("ok.txt", "# header\n\n1 2.5\n  -3e-1\t4 # trailing\r\n\n5 6\n");
    gr_points p;
    gr_error err;
    CHECK_OK(gr_points_read(path, &p, &err), &err);
    CHECK(p.n == 3 && p.d == 2);
    const double want[6] = {1, 2.5, -0.3, 4, 5, 6};
    if (p.n == 3 && p.d == 2) CHECK_ARRAY_CLOSE(p.data, want, 6, 0, 0);
    gr_points_free(&p);
    gr_points_free(&p); /* idempotent */
    gr_points_free(NULL);
    path = write_file("one.txt", "2.385\n-1\n");
    CHECK_OK(gr_points_read(path, &p, &err), &err);
    CHECK(p.n == 2 && p.d == 1);
    gr_points_free(&p);

    expect_error("empty.txt", "", GR_EFORMAT, "expected at least one point", NULL);
    expect_error("comments.txt", "# nothing\n\n   \n", GR_EFORMAT, "found none", NULL);
    expect_error("ragged.txt", "1 2\n3 4\n5\n", GR_EFORMAT, ":3:", "expected 2 coordinates");
    expect_error("word.txt", "1 2\n3 x4\n", GR_EFORMAT, ":2: field 2", "expected a number");
    expect_error("nan.txt", "1 2\n3 4\nnan 1\n", GR_EDOM, ":3: field 1", "finite");
    expect_error("inf.txt", "1 -inf\n", GR_EDOM, ":1: field 2", "finite");
    expect_error("comma.txt", "1,2\n", GR_EFORMAT, ":1: field 1", "'1,2'");
    gr_error_clear(&err);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/does-not-exist.txt", dir);
    CHECK_STATUS(gr_points_read(missing, &p, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "does-not-exist.txt");
    CHECK_STR_CONTAINS(err.msg, "cannot open");
    CHECK_STATUS(gr_points_read(dir, &p, &err), GR_EIO); /* a directory */
}

static void write_h5(const char *path) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t d2[2] = {3, 2}, d1[1] = {4}, d3[3] = {2, 2, 2}, d0[2] = {0, 2};
    int iv[6] = {1, 2, 3, 4, 5, 6};
    float fv[4] = {0.5f, -1.5f, 2.25f, 3.0f};
    double nv[6] = {1, 2, 3, NAN, 5, 6}, z[8] = {0};
    hid_t s = H5Screate_simple(2, d2, NULL);
    hid_t ds = H5Dcreate2(f, "ints", H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, iv);
    H5Dclose(ds);
    ds = H5Dcreate2(f, "withnan", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, nv);
    H5Dclose(ds);
    H5Sclose(s);
    s = H5Screate_simple(1, d1, NULL);
    hid_t g = H5Gcreate2(f, "grp", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ds = H5Dcreate2(g, "floats", H5T_IEEE_F32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, fv);
    H5Dclose(ds);
    H5Gclose(g);
    H5Sclose(s);
    s = H5Screate_simple(3, d3, NULL);
    ds = H5Dcreate2(f, "cube", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, z);
    H5Dclose(ds);
    H5Sclose(s);
    s = H5Screate_simple(2, d0, NULL);
    ds = H5Dcreate2(f, "empty", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(ds);
    H5Sclose(s);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, 4);
    s = H5Screate_simple(1, d1, NULL);
    ds = H5Dcreate2(f, "strings", st, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, "abcdefghijklmnop");
    H5Dclose(ds);
    H5Sclose(s);
    H5Tclose(st);
    H5Fclose(f);
}

static void test_h5(void) {
    char path[128], spec[192];
    snprintf(path, sizeof path, "%s/pts.h5", dir);
    write_h5(path);
    gr_points p;
    gr_error err;
    snprintf(spec, sizeof spec, "%s:/ints", path);
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 3 && p.d == 2);
    const double wi[6] = {1, 2, 3, 4, 5, 6};
    if (p.n == 3 && p.d == 2) CHECK_ARRAY_CLOSE(p.data, wi, 6, 0, 0);
    gr_points_free(&p);
    snprintf(spec, sizeof spec, "%s:/grp/floats", path);
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 4 && p.d == 1);
    const double wf[4] = {0.5, -1.5, 2.25, 3.0};
    if (p.n == 4) CHECK_ARRAY_CLOSE(p.data, wf, 4, 0, 0);
    gr_points_free(&p);
    struct {
        const char *dset;
        int code;
        const char *needle;
    } bad[] = {{"/nope", GR_EIO, "no dataset '/nope'"},
               {"/cube", GR_EFORMAT, "rank 3"},
               {"/empty", GR_EFORMAT, "at least one point"},
               {"/withnan", GR_EDOM, "row 2, column 2"},
               {"/strings", GR_EFORMAT, "integer or floating-point"}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(spec, sizeof spec, "%s:%s", path, bad[k].dset);
        gr_error_clear(&err);
        CHECK_STATUS(gr_points_read(spec, &p, &err), bad[k].code);
        CHECK_STR_CONTAINS(err.msg, "pts.h5");
        CHECK_STR_CONTAINS(err.msg, bad[k].needle);
    }
    snprintf(spec, sizeof spec, "%s/missing.h5:/x", dir);
    CHECK_STATUS(gr_points_read(spec, &p, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "missing.h5");
    snprintf(spec, sizeof spec, "%s/ok.txt:/x", dir); /* not an HDF5 file */
    CHECK_STATUS(gr_points_read(spec, &p, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "ok.txt");
}

/* Issue 8.5: a line ends at "\n", "\r\n" or a lone "\r"; the CR-only file of the issue
 * became one 6-D point. Expected values: the coordinates as written. */
static void test_line_ends(void) {
    const double want[6] = {0, 0, 1, 1, 2, 2};
    const char *files[][2] = {{"lf.txt", "0 0\n1 1\n2 2\n"},
                              {"cr.txt", "0 0\r1 1\r2 2\r"},
                              {"crlf.txt", "0 0\r\n1 1\r\n2 2\r\n"},
                              {"cr_noend.txt", "0 0\r1 1\r2 2"},
                              {"mixed.txt", "# c\r\n0 0\r1 1\n\r\n2 2 # two\r"}};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        const char *path = write_file(files[k][0], files[k][1]);
        gr_points p;
        gr_error err;
        gr_error_clear(&err);
        CHECK_OK(gr_points_read(path, &p, &err), &err);
        CHECK(p.n == 3 && p.d == 2);
        if (p.n == 3 && p.d == 2) CHECK_ARRAY_CLOSE(p.data, want, 6, 0, 0);
        if (p.n != 3 || p.d != 2) fprintf(stderr, "  %s: %zu x %zu\n", files[k][0], p.n, p.d);
        gr_points_free(&p);
    }
    /* line numbers in messages count each line end once, whatever the convention */
    expect_error("rag_lf.txt", "1 2\n\n3 4\n5\n", GR_EFORMAT, "rag_lf.txt:4:", "(as on line 1)");
    expect_error("rag_cr.txt", "1 2\r\r3 4\r5\r", GR_EFORMAT, "rag_cr.txt:4:", "(as on line 1)");
    expect_error("rag_crlf.txt", "1 2\r\n\r\n3 4\r\n5\r\n", GR_EFORMAT,
                 "rag_crlf.txt:4:", "(as on line 1)");
    /* "\n\r" is two line ends (LF, then a lone CR), as editors show it */
    expect_error("rag_lfcr.txt", "# x\n\r1 2\r\n3 4\n5 6 7\r", GR_EFORMAT,
                 "rag_lfcr.txt:5:", "expected 2 coordinates (as on line 3), found 3");
    /* a "\r\n" split across the reader's 64 KiB block (the '\r' is byte 65535) is one line
     * end; a lone '\r' there is one too. The comment line is longer than any buffer. */
    static char big[65536 + 64];
    for (int lone = 0; lone < 2; lone++) {
        memset(big, 'x', 65535);
        big[0] = '#';
        snprintf(big + 65535, sizeof big - 65535, "%s1 2\r\n3 4\r\n5\r\n", lone ? "\r" : "\r\n");
        expect_error(lone ? "block_cr.txt" : "block_crlf.txt", big, GR_EFORMAT,
                     ":4:", "expected 2 coordinates (as on line 2), found 1");
    }
    expect_error("word_cr.txt", "1 2\r3 4\r5 y\r", GR_EFORMAT, "word_cr.txt:3: field 2",
                 "expected a number, found 'y'");
    expect_error("nan_crlf.txt", "1 2\r\n3 4\r\nnan 1\r\n", GR_EDOM, "nan_crlf.txt:3: field 1",
                 "finite");
}

/* Issue 8.5: a byte-order mark is named in the message, not reported as a bad number. */
static void test_bom(void) {
    expect_error("bom8.txt",
                 "\xEF\xBB\xBF"
                 "1 2\n3 4\n",
                 GR_EFORMAT, "bom8.txt:1:", "UTF-8 byte-order mark (bytes EF BB BF)");
    /* UTF-16 LE "1 2\n": the mark, then NUL bytes; written with fwrite (fputs stops at NUL) */
    char path[256];
    snprintf(path, sizeof path, "%s/bom16.txt", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    const char u16[] = {'\xFF', '\xFE', '1', 0, ' ', 0, '2', 0, '\n', 0};
    fwrite(u16, 1, sizeof u16, f);
    fclose(f);
    gr_points p;
    gr_error err;
    gr_error_clear(&err);
    CHECK_STATUS(gr_points_read(path, &p, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "bom16.txt:1:");
    CHECK_STR_CONTAINS(err.msg, "UTF-16 byte-order mark");
}

/* Write `n` x 2 doubles 2.385 k + c as dataset `name` of a new file `path` with the given
 * file-creation list (a user block moves the HDF5 signature to byte 512). */
static void write_small_h5(const char *path, const char *name, hid_t fcpl) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    hsize_t dims[2] = {3, 2};
    double v[6];
    for (int k = 0; k < 6; k++)
        v[k] = 2.385 * k + 1;
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t ds = H5Dcreate2(f, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Sclose(s);
    H5Fclose(f);
}

/* Issue 8.5: a text path containing ":/" is a text path unless the part before a ":/" is
 * an HDF5 file (by its signature); both at once is refused as ambiguous. */
static void test_colon_slash(void) {
    char sub[128], spec[256], base[160];
    snprintf(sub, sizeof sub, "%s/runs:", dir);
    CHECK(mkdir(sub, 0700) == 0);
    snprintf(spec, sizeof spec, "%s/runs:/t.txt", dir);
    FILE *f = fopen(spec, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("0 0\n5 5\n", f);
    fclose(f);
    gr_points p;
    gr_error err;
    gr_error_clear(&err);
    CHECK_OK(gr_points_read(spec, &p, &err), &err); /* no file "runs": plain text */
    CHECK(p.n == 2 && p.d == 2);
    gr_points_free(&p);
    snprintf(base, sizeof base, "%s/runs", dir);
    f = fopen(base, "w"); /* a file "runs" that is not HDF5 changes nothing */
    CHECK(f != NULL);
    if (f) {
        fputs("not hdf5\n", f);
        fclose(f);
    }
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 2 && p.d == 2);
    gr_points_free(&p);
    /* "runs" an HDF5 file holding a dataset "/t.txt": both readings exist, refused */
    write_small_h5(base, "t.txt", H5P_DEFAULT);
    gr_error_clear(&err);
    CHECK_STATUS(gr_points_read(spec, &p, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "ambiguous");
    CHECK_STR_CONTAINS(err.msg, "runs:/t.txt");
    CHECK(p.data == NULL && p.n == 0);
    /* once the text file is gone, the dataset is read */
    CHECK(unlink(spec) == 0);
    CHECK(rmdir(sub) == 0);
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 3 && p.d == 2);
    if (p.n == 3) CHECK_CLOSE(p.data[5], 2.385 * 5 + 1, 0, 0);
    gr_points_free(&p);
    /* a dataset path that itself contains ":/" (group "g:"), and a 512-byte user block */
    snprintf(base, sizeof base, "%s/ub.h5", dir);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_userblock(fcpl, 512);
    hid_t fh = -1;
    write_small_h5(base, "plain", fcpl);
    H5Pclose(fcpl);
    fh = H5Fopen(base, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t g = H5Gcreate2(fh, "g:", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t d1[1] = {2};
    const double v[2] = {-4.5, 7.25};
    hid_t s = H5Screate_simple(1, d1, NULL);
    hid_t ds = H5Dcreate2(g, "x", H5T_IEEE_F64BE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Sclose(s);
    H5Gclose(g);
    H5Fclose(fh);
    snprintf(spec, sizeof spec, "%s:/plain", base);
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 3 && p.d == 2);
    gr_points_free(&p);
    snprintf(spec, sizeof spec, "%s:/g:/x", base);
    CHECK_OK(gr_points_read(spec, &p, &err), &err);
    CHECK(p.n == 2 && p.d == 1);
    if (p.n == 2) CHECK_ARRAY_CLOSE(p.data, v, 2, 0, 0);
    gr_points_free(&p);
    /* an HDF5 file given without a dataset is named as such */
    gr_error_clear(&err);
    CHECK_STATUS(gr_points_read(base, &p, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "is an HDF5 file");
    /* a missing FILE:/dataset says both readings failed */
    snprintf(spec, sizeof spec, "%s/nope.h5:/x", dir);
    gr_error_clear(&err);
    CHECK_STATUS(gr_points_read(spec, &p, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "nope.h5:/x: cannot open");
    CHECK_STR_CONTAINS(err.msg, "no file");
}

/* A chunked dataset of `type` with the given shape, allocated late and never written:
 * HDF5 stores only its header, whatever the shape. */
static void make_unwritten(hid_t f, const char *name, int rank, const hsize_t *dims) {
    hsize_t maxd[2] = {H5S_UNLIMITED, H5S_UNLIMITED}, chunk[2] = {1, 4};
    hid_t s = H5Screate_simple(rank, dims, maxd);
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(p, rank, chunk);
    H5Pset_alloc_time(p, H5D_ALLOC_TIME_LATE);
    hid_t ds = H5Dcreate2(f, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    CHECK(ds >= 0);
    H5Dclose(ds);
    H5Pclose(p);
    H5Sclose(s);
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Read spec; expect `code` quickly (< 2 s: nothing of the dataset's size may be touched),
 * an empty result and both needles in the message. */
static void expect_h5_refused(const char *file, const char *dset, int code, const char *n1,
                              const char *n2) {
    char spec[256];
    snprintf(spec, sizeof spec, "%s:%s", file, dset);
    gr_points p = {NULL, 7, 7};
    gr_error err;
    gr_error_clear(&err);
    double t0 = now_s();
    CHECK_STATUS(gr_points_read(spec, &p, &err), code);
    double dt = now_s() - t0;
    CHECK(dt < 2.0);
    CHECK(p.data == NULL && p.n == 0 && p.d == 0);
    CHECK_STR_CONTAINS(err.msg, dset);
    if (n1) CHECK_STR_CONTAINS(err.msg, n1);
    if (n2) CHECK_STR_CONTAINS(err.msg, n2);
    gr_points_free(&p);
}

/* Issue 9.1: shapes whose byte count wraps size_t or exceeds the limit and memory. The old
 * reader allocated (2^62 + 1) * 4 * 8 mod 2^64 = 32 bytes and returned n = 2^62 + 1. */
static void test_h5_huge(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/huge.h5", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t wrap32[2] = {((hsize_t)1 << 62) + 1, 4}; /* bytes wrap to 32 */
    const hsize_t wrap0[2] = {(hsize_t)1 << 61, 8};        /* n * d wraps to 0 */
    const hsize_t wide[2] = {200, 3400000000000000000ULL}; /* the "spins" shape */
    const hsize_t over[2] = {((hsize_t)1 << 30) + 1, 4};   /* 2^32 + 4 coordinates */
    const hsize_t rows1[1] = {(hsize_t)1 << 40};           /* 1-D, 8 TiB */
    make_unwritten(f, "samples", 2, wrap32);
    make_unwritten(f, "wrap0", 2, wrap0);
    make_unwritten(f, "wide", 2, wide);
    make_unwritten(f, "over", 2, over);
    make_unwritten(f, "rows", 1, rows1);
    /* within 2^32 but more than this machine's memory, when the machine has less than
     * 32 GiB; otherwise within both limits, refused as never written */
    const hsize_t mem[2] = {(hsize_t)1 << 29, 8};
    make_unwritten(f, "mem", 2, mem);
    H5Fclose(f);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size < 16384); /* the crafted file is tiny */
    expect_h5_refused(path, "/samples", GR_ENOMEM, "4611686018427387905 x 4", "too large");
    expect_h5_refused(path, "/wrap0", GR_ENOMEM, "2305843009213693952 x 8", "too large");
    expect_h5_refused(path, "/wide", GR_ENOMEM, "200 x 3400000000000000000", "limit of 2^32");
    expect_h5_refused(path, "/over", GR_ENOMEM, "1073741825 x 4", "limit of 2^32");
    expect_h5_refused(path, "/rows", GR_ENOMEM, "1099511627776 x 1", "too large");
    size_t phys = gr_mem_physical_bytes();
    if (phys < ((size_t)1 << 35))
        expect_h5_refused(path, "/mem", GR_ENOMEM, "536870912 x 8", "GiB of physical memory");
    else
        expect_h5_refused(path, "/mem", GR_EFORMAT, "no chunk written", "0 of");
}

/* Find the 48 bytes of `v` in the file and set the 2-byte size of the compact layout
 * message before them (version 3, class 0 = compact, size 48 little-endian) to 0.
 * Returns 1 when patched. */
static int patch_compact_size(const char *path, const double *v) {
    FILE *f = fopen(path, "r+b");
    if (!f) return 0;
    unsigned char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    int done = 0;
    for (size_t k = 4; !done && k + 48 <= n; k++)
        if (!memcmp(buf + k, v, 48) && buf[k - 4] == 3 && buf[k - 3] == 0 && buf[k - 2] == 48 &&
            buf[k - 1] == 0) {
            unsigned char zero[2] = {0, 0};
            done = fseek(f, (long)(k - 2), SEEK_SET) == 0 && fwrite(zero, 1, 2, f) == 2;
        }
    fclose(f);
    return done;
}

/* Issue 9.3: layouts and storage HDF5 must not be trusted with. Each dataset below is
 * refused before any raw data is read; the well-formed ones beside them still read. */
static void test_h5_storage(void) {
    char path[128], ext[160];
    snprintf(path, sizeof path, "%s/store.h5", dir);
    snprintf(ext, sizeof ext, "%s/raw.bin", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {3, 2}, big[2] = {4, 2}, chunk[2] = {2, 2};
    const double v[6] = {2.385, -7.25, 3.5, 1.125, 9.75, -0.0625};
    const double w[8] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5};
    hid_t s = H5Screate_simple(2, dims, NULL), s4 = H5Screate_simple(2, big, NULL);
    /* compact, written (reads), and a second compact whose size gets patched to 0 */
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(p, H5D_COMPACT);
    hid_t ds = H5Dcreate2(f, "compact", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w);
    H5Dclose(ds);
    ds = H5Dcreate2(f, "compact0", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Pclose(p);
    /* contiguous, never written (HDF5 would return its fill value, zeros) */
    p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_alloc_time(p, H5D_ALLOC_TIME_LATE);
    ds = H5Dcreate2(f, "contig_unwritten", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dclose(ds);
    H5Pclose(p);
    /* chunked 4 x 2 in 2 x 2 chunks: fully written with deflate (reads), never written,
     * and only the first chunk written */
    p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(p, 2, chunk);
    int have_deflate = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
    if (have_deflate) H5Pset_deflate(p, 6);
    ds = H5Dcreate2(f, "chunked", H5T_IEEE_F64LE, s4, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w);
    H5Dclose(ds);
    ds = H5Dcreate2(f, "chunked_unwritten", H5T_IEEE_F64LE, s4, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dclose(ds);
    ds = H5Dcreate2(f, "chunked_part", H5T_IEEE_F64LE, s4, H5P_DEFAULT, p, H5P_DEFAULT);
    hsize_t start[2] = {0, 0}, count[2] = {2, 2};
    hid_t fs = H5Dget_space(ds), ms = H5Screate_simple(2, count, NULL);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, w);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Dclose(ds);
    H5Pclose(p);
    /* raw data in an external file */
    p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_external(p, ext, 0, 6 * sizeof(double));
    ds = H5Dcreate2(f, "external", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Pclose(p);
    /* a virtual dataset mapping "/compact" of this same file ("." = the file itself) */
    p = H5Pcreate(H5P_DATASET_CREATE);
    hid_t src = H5Screate_simple(2, dims, NULL);
    CHECK(H5Pset_virtual(p, s, ".", "/compact", src) >= 0);
    ds = H5Dcreate2(f, "virtual", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    CHECK(ds >= 0);
    H5Dclose(ds);
    H5Sclose(src);
    H5Pclose(p);
    /* a 2-byte IEEE half float: a float class, but not a type the reader knows */
    hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_precision(half, 16);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    ds = H5Dcreate2(f, "half", half, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Tclose(half);
    /* unsigned bytes, big-endian doubles: standard, read */
    const unsigned char u8[6] = {0, 255, 7, 128, 3, 1};
    ds = H5Dcreate2(f, "u8", H5T_STD_U8LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, u8);
    H5Dclose(ds);
    ds = H5Dcreate2(f, "f64be", H5T_IEEE_F64BE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(ds);
    H5Sclose(s);
    H5Sclose(s4);
    H5Fclose(f);
    CHECK(patch_compact_size(path, v)); /* the test cannot run without the patch */

    gr_points pt;
    gr_error err;
    char spec[256];
    const double wu8[6] = {0, 255, 7, 128, 3, 1};
    struct {
        const char *dset;
        size_t n;
        const double *want;
    } good[] = {{"/compact", 3, w}, {"/chunked", 4, w}, {"/u8", 3, wu8}, {"/f64be", 3, v}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        snprintf(spec, sizeof spec, "%s:%s", path, good[k].dset);
        gr_error_clear(&err);
        CHECK_OK(gr_points_read(spec, &pt, &err), &err);
        CHECK(pt.n == good[k].n && pt.d == 2);
        if (pt.n == good[k].n && pt.d == 2)
            CHECK_ARRAY_CLOSE(pt.data, good[k].want, 2 * pt.n, 0, 0);
        gr_points_free(&pt);
    }
    CHECK(have_deflate); /* Debian's HDF5 has zlib: the chunked read above was filtered */
    expect_h5_refused(path, "/compact0", GR_EFORMAT, "compact storage holds 0 bytes", "needs 48");
    expect_h5_refused(path, "/contig_unwritten", GR_EFORMAT, "holds 0 bytes", "never written");
    expect_h5_refused(path, "/chunked_unwritten", GR_EFORMAT, "no chunk written", "0 of");
    expect_h5_refused(path, "/chunked_part", GR_EFORMAT, "only some chunks written", "1 of 2");
    expect_h5_refused(path, "/external", GR_EFORMAT, "external file", NULL);
    expect_h5_refused(path, "/virtual", GR_EFORMAT, "found a virtual layout", NULL);
    expect_h5_refused(path, "/half", GR_EFORMAT, "nonstandard 2-byte floating-point", NULL);
}

/* Found by tests/fuzz (points_h5): an 8944-byte file whose chunk index claims a 4 GiB
 * deflated chunk for a 4-element dataset; H5Dread allocated the claimed size. The reader now
 * refuses storage larger than the whole file before reading (nothing is allocated). The
 * file's /points, whose deflated chunk is damaged, is refused by zlib as before. */
static void test_h5_storage_beyond_file(void) {
    const char *f = "fuzz/regress/points_h5/storage-beyond-file-9e60c6eb";
    expect_h5_refused(f, "/grp/p1", GR_EFORMAT, "storage claims 4194304036 bytes",
                      "more than the whole file (8944 bytes)");
    expect_h5_refused(f, "/points", GR_EIO, "cannot read", "inflate() failed");
}

int main(void) {
    gr_core_init();
    if (gr_test_tmpdir(dir, sizeof dir, "gr_points_") != 0) return 1;
    RUN(test_text);
    RUN(test_h5);
    RUN(test_line_ends);
    RUN(test_bom);
    RUN(test_colon_slash);
    RUN(test_h5_huge);
    RUN(test_h5_storage);
    RUN(test_h5_storage_beyond_file);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
