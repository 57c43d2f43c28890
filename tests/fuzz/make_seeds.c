/* tests/fuzz/make_seeds.c — writes the seed corpora of every fuzz target, so the committed
 * tests/fuzz/corpus/<target>/ files can be remade and checked (they are small: a few KB each):
 *
 *   cmake --build build --target fuzz_make_seeds && build/tests/fuzz/fuzz_make_seeds
 * tests/fuzz/corpus
 *
 * Valid inputs of every shape a reader accepts, and a few it refuses for a reason deep inside
 * (so mutations start near each check): points text and HDF5 (every layout: contiguous,
 * compact, chunked, deflated; old and 1.8 file formats), IDX (every type, plain and gzip),
 * MNIST pairs, checkpoints of ck_state.h's state, a GAN trainer's checkpoint (gan_state.h) and
 * the train protocol's checkpoint of train_state.h's run (toy_train ci, run 0). */
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ck_state.h"
#include "gan_state.h"
#include "harness/protocol.h"
#include "io/gan_checkpoint.h"
#include "train_state.h"

static const char *g_root;
static int g_fail = 0;

static const char *seed_path(const char *target, const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", g_root, target);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", g_root, target, name);
    return path;
}

static void need(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "make_seeds: failed: %s\n", what);
        g_fail = 1;
    }
}

static void write_bytes(const char *target, const char *name, const void *p, size_t n) {
    FILE *f = fopen(seed_path(target, name), "wb");
    need(f != NULL && fwrite(p, 1, n, f) == n && fclose(f) == 0, name);
}

static void write_gz(const char *target, const char *name, const void *p, size_t n) {
    gzFile f = gzopen(seed_path(target, name), "wb9");
    need(f != NULL && gzwrite(f, p, (unsigned)n) == (int)n && gzclose(f) == Z_OK, name);
}

/* ---- points, text ------------------------------------------------------------------------ */

static void seeds_points_text(void) {
    static const struct {
        const char *name, *text;
    } t[] = {
        {"plain.txt", "1 2\n3 4\n5.5 -6e-3\n"},
        {"comments.txt", "# x y z\n\n0.1\t0.2  0.3 # tail\n  -1 +2 3e+2\n\n# end\n"},
        {"crlf.txt", "1 2\r\n3 4\r\n"},
        {"cr.txt", "1 2\r3 4\r5 6"},
        {"mixed.txt", "1\n2\r\n3\r4\n"},
        {"column.txt", "2.385\n-1e308\n1e-320\n0x1.8p3\n"},
        {"ragged.txt", "1 2\n3 4 5\n"},
        {"nan.txt", "1 2\nnan 3\n"},
        {"inf.txt", "1 2\n3 1e999\n"},
        {"word.txt", "1 2\n3 x1\n"},
        {"bom.txt", "\xEF\xBB\xBF"
                    "1 2\n"},
        {"empty.txt", "# only a comment\n"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        write_bytes("points_text", t[i].name, t[i].text, strlen(t[i].text));
}

/* ---- points, HDF5 ---------------------------------------------------------------------------- */

static hid_t h5_create(const char *path, int new_format) {
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (new_format) H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    return f;
}

/* A dataset of `type` (file) written from doubles, rank 1 or 2, with a layout:
 * 0 contiguous, 1 compact, 2 chunked, 3 chunked + deflate. */
static void h5_put(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                   int layout, const double *v) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    if (layout == 1) H5Pset_layout(dcpl, H5D_COMPACT);
    if (layout >= 2) {
        hsize_t ch[2] = {dims[0] > 1 ? dims[0] / 2 : 1, rank == 2 ? dims[1] : 1};
        H5Pset_chunk(dcpl, rank, ch);
        if (layout == 3) H5Pset_deflate(dcpl, 6);
    }
    hid_t s = H5Screate_simple(rank, dims, NULL);
    hid_t ds = H5Dcreate2(loc, name, type, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    need(ds >= 0, name);
    if (v) need(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0, name);
    H5Dclose(ds);
    H5Sclose(s);
    H5Pclose(dcpl);
}

static void seeds_points_h5(void) {
    const double v[12] = {0.5, -1.25, 2.385, 3, 4, -5, 6, 7.75, 8, 9, -10, 11};
    const double vn[4] = {1, 2, 0.0 / 0.0, 4};
    struct {
        const char *name;
        int new_format;
        hid_t t1, t2;
        int rank1, layout1, layout2;
    } f[] = {
        {"f64_contig_v0.h5", 0, H5T_IEEE_F64LE, H5T_IEEE_F32LE, 2, 0, 0},
        {"f32be_compact_v18.h5", 1, H5T_IEEE_F32BE, H5T_STD_U8LE, 2, 1, 1},
        {"i16_chunked_v18.h5", 1, H5T_STD_I16BE, H5T_STD_I64LE, 2, 2, 2},
        {"u32_deflate_v0.h5", 0, H5T_STD_U32LE, H5T_IEEE_F64BE, 1, 3, 3},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        hid_t h = h5_create(seed_path("points_h5", f[i].name), f[i].new_format);
        need(h >= 0, f[i].name);
        hsize_t d2[2] = {6, 2}, d1[1] = {4};
        h5_put(h, "points", f[i].t1, f[i].rank1, f[i].rank1 == 2 ? d2 : (hsize_t[1]){12},
               f[i].layout1, v);
        hid_t g = H5Gcreate2(h, "grp", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        h5_put(g, "p1", f[i].t2, 1, d1, f[i].layout2, v);
        H5Gclose(g);
        H5Fclose(h);
    }
    /* refused deep inside: a 3-D /points, a NaN in /grp/p1, a never-written chunked dataset */
    hid_t h = h5_create(seed_path("points_h5", "refused_v18.h5"), 1);
    hsize_t d3[3] = {2, 3, 2}, d1[1] = {4};
    h5_put(h, "points", H5T_IEEE_F64LE, 3, d3, 0, v);
    hid_t g = H5Gcreate2(h, "grp", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    h5_put(g, "p1", H5T_IEEE_F64LE, 1, d1, 0, vn);
    h5_put(g, "unwritten", H5T_IEEE_F64LE, 1, d1, 2, NULL);
    H5Gclose(g);
    H5Fclose(h);
    h = h5_create(seed_path("points_h5", "unwritten_v0.h5"), 0);
    hsize_t d2[2] = {4, 2};
    h5_put(h, "points", H5T_IEEE_F64LE, 2, d2, 2, NULL);
    H5Fclose(h);
}

/* ---- IDX ------------------------------------------------------------------------------------- */

static size_t idx_make(unsigned char *buf, unsigned type, const uint32_t *dims, unsigned nd,
                       size_t esize, unsigned fill) {
    size_t n = 4;
    buf[0] = buf[1] = 0;
    buf[2] = (unsigned char)type;
    buf[3] = (unsigned char)nd;
    size_t count = 1;
    for (unsigned k = 0; k < nd; k++) {
        for (int i = 0; i < 4; i++)
            buf[n++] = (unsigned char)(dims[k] >> (24 - 8 * i));
        count *= dims[k];
    }
    for (size_t i = 0; i < count * esize; i++)
        buf[n++] = (unsigned char)((i * 37u + fill) % (fill ? 256u : 10u));
    return n;
}

static void seeds_idx(void) {
    static unsigned char b[8192];
    size_t n;
    n = idx_make(b, 0x08, (uint32_t[]){5}, 1, 1, 0);
    write_bytes("idx", "labels_u8_1d", b, n);
    write_gz("idx", "labels_u8_1d.gz", b, n);
    n = idx_make(b, 0x08, (uint32_t[]){2, 3, 3}, 3, 1, 7);
    write_bytes("idx", "images_u8_3d", b, n);
    write_gz("idx", "images_u8_3d.gz", b, n);
    n = idx_make(b, 0x09, (uint32_t[]){3, 2}, 2, 1, 5);
    write_bytes("idx", "i8_2d", b, n);
    n = idx_make(b, 0x0B, (uint32_t[]){2, 2}, 2, 2, 3);
    write_bytes("idx", "i16_2d", b, n);
    n = idx_make(b, 0x0C, (uint32_t[]){3}, 1, 4, 9);
    write_bytes("idx", "i32_1d", b, n);
    n = idx_make(b, 0x0D, (uint32_t[]){1, 1, 1, 2}, 4, 4, 1);
    write_bytes("idx", "f32_4d", b, n);
    n = idx_make(b, 0x0E, (uint32_t[]){2}, 1, 8, 2);
    write_gz("idx", "f64_1d.gz", b, n);
    n = idx_make(b, 0x08, (uint32_t[]){4}, 1, 1, 0);
    write_bytes("idx", "truncated", b, n - 1);
}

/* ---- MNIST pairs ------------------------------------------------------------------------------
 */

static void pair_seed(const char *name, unsigned mode, unsigned rows, int gz, int bad_label) {
    static unsigned char img[16 + 4 * 784], lab[8 + 4], out[3 + sizeof img + 64];
    size_t ni = idx_make(img, 0x08, (uint32_t[]){rows, 28, 28}, 3, 1, 11);
    size_t nl = idx_make(lab, 0x08, (uint32_t[]){rows}, 1, 1, 0);
    if (bad_label) lab[nl - 1] = 10;
    unsigned char *zi = img, *zl = lab;
    static unsigned char ci[sizeof img + 64], cl[64];
    if (gz) { /* gzip in memory: deflateInit2 with the gzip wrapper */
        uLongf li = sizeof ci, ll = sizeof cl;
        z_stream z;
        memset(&z, 0, sizeof z);
        deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        z.next_in = img, z.avail_in = (uInt)ni, z.next_out = ci, z.avail_out = (uInt)li;
        need(deflate(&z, Z_FINISH) == Z_STREAM_END, name);
        li = z.total_out;
        deflateEnd(&z);
        memset(&z, 0, sizeof z);
        deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        z.next_in = lab, z.avail_in = (uInt)nl, z.next_out = cl, z.avail_out = (uInt)ll;
        need(deflate(&z, Z_FINISH) == Z_STREAM_END, name);
        ll = z.total_out;
        deflateEnd(&z);
        zi = ci, zl = cl, ni = li, nl = ll;
    }
    out[0] = (unsigned char)mode;
    out[1] = (unsigned char)(ni & 0xff);
    out[2] = (unsigned char)(ni >> 8);
    memcpy(out + 3, zi, ni);
    memcpy(out + 3 + ni, zl, nl);
    write_bytes("mnist_pair", name, out, 3 + ni + nl);
}

static void seeds_mnist_pair(void) {
    pair_seed("all_rows_unit", 0x00, 3, 0, 0);
    pair_seed("row1_count2_symmetric", 0x19, 3, 0, 0);
    pair_seed("gzip_rest", 0x01, 2, 1, 0);
    pair_seed("label_10", 0x00, 2, 0, 1);
}

/* ---- checkpoints --------------------------------------------------------------------------------
 */

static void seeds_checkpoint(void) {
    fz_ck s;
    need(fz_ck_init(&s, FZ_SEED_OK, 3) == 0, "ck state");
    gr_checkpoint_net nets[2];
    gr_checkpoint_rng rngs[2];
    fz_ck_desc(&s, nets, rngs);
    gr_error err;
    need(gr_checkpoint_save(seed_path("checkpoint", "full.h5"), FZ_STEP, nets, 2, rngs, 2, &err) ==
             GR_OK,
         err.msg);
    /* the generator without its optimizer (loads: the target asks for none) */
    gr_checkpoint_net n2[2] = {nets[0], nets[1]};
    n2[1].optim = NULL;
    need(gr_checkpoint_save(seed_path("checkpoint", "gen_no_optim.h5"), FZ_STEP, n2, 2, rngs, 2,
                            &err) == GR_OK,
         err.msg);
    /* refused: the critic without its optimizer, only one stream */
    n2[0].optim = NULL;
    need(gr_checkpoint_save(seed_path("checkpoint", "no_optim_one_rng.h5"), FZ_STEP, n2, 2, rngs, 1,
                            &err) == GR_OK,
         err.msg);
    fz_ck_free(&s);
}

static void seeds_gan_checkpoint(void) {
    gr_sampler *d = NULL;
    gr_gan_trainer *t = fz_gan_alloc(FZ_GAN_SEED_OK, 2, &d);
    need(t != NULL, "gan trainer");
    gr_error err;
    if (t)
        need(gr_gan_checkpoint_save(seed_path("gan_checkpoint", "trainer.h5"), t, &err) == GR_OK,
             err.msg);
    gr_gan_trainer_free(t);
    gr_sampler_free(d);
}

/* The run as `ganrepro run` executes it (gr_results_write_run_file with the checkpoint hook):
 * the protocol leaves its last checkpoint (step 200 of 300; the runner, not the protocol,
 * removes it when the run completes), copied into the corpus. */
static void seeds_train_checkpoint(void) {
    fz_train tr;
    gr_error err;
    memset(&err, 0, sizeof err);
    if (fz_train_load(&tr, &err) != GR_OK) {
        need(0, err.msg);
        return;
    }
    char dir[] = "/tmp/gr-make-seeds-XXXXXX";
    need(mkdtemp(dir) != NULL, "temporary folder");
    char res[512], ck[512];
    snprintf(res, sizeof res, "%s/run.h5", dir);
    snprintf(ck, sizeof ck, "%s/run.ckpt.h5", dir);
    gr_results_context ctx = {.jobs = 1, .shard_index = 0, .shard_count = 0};
    snprintf(ctx.start_time, sizeof ctx.start_time, "2026-12-01T00:00:00Z");
    int status = 0;
    int st = gr_results_write_run_file(res, tr.exp, tr.run, &ctx, gr_protocol_train, ck, 0, &status,
                                       &err);
    need(st == GR_OK && status == GR_OK, st == GR_OK ? "the train run failed" : err.msg);
    FILE *f = fopen(ck, "rb");
    need(f != NULL, "no checkpoint left by the train run");
    if (f) {
        unsigned char *buf = malloc((size_t)1 << 22);
        size_t n = buf ? fread(buf, 1, (size_t)1 << 22, f) : 0;
        need(n > 0 && n < ((size_t)1 << 22), "reading the checkpoint");
        if (n) write_bytes("train_checkpoint", "gan_mm_step200.ckpt.h5", buf, n);
        free(buf);
        fclose(f);
    }
    remove(ck);
    remove(res);
    remove(dir);
    fz_train_free(&tr);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR (tests/fuzz/corpus)\n", argv[0]);
        return 2;
    }
    g_root = argv[1];
    mkdir(g_root, 0755);
    seeds_points_text();
    seeds_points_h5();
    seeds_idx();
    seeds_mnist_pair();
    seeds_checkpoint();
    seeds_gan_checkpoint();
    seeds_train_checkpoint();
    return g_fail;
}
