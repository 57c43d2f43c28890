/* tests/io/test_checkpoint.c — HDF5 checkpoints (src/io/checkpoint.c): bit-exact round
 * trip of parameters, optimizer moments and step counts, training step and RNG states; a
 * resumed run continues bit-identically; two saves of the same state give identical bytes
 * (also from separately built objects, and a second apart); loading refuses a mismatched
 * architecture, size, optimizer, an unknown format version, a truncated, garbage or
 * bit-flipped file, and a missing file, with messages naming the file and the difference,
 * and leaves the caller's objects untouched when it refuses.
 *
 * Files go to a fresh mkdtemp directory under $TMPDIR (or /tmp), removed at the end. */
#include <dirent.h>
#include <gsl/gsl_rng.h>
#include <hdf5.h>
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
#include "io/checkpoint.h"
#include "nn/mlp.h"
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

/* A small "training state": two nets (critic with RMSProp centered+momentum, generator with
 * Adam), two RNG streams, advanced a few steps so nothing is zero or trivial. */
enum { NC = 1537, NG = 811 };
static const char ARCH_C[] = "2-32relu-32relu-1linear";
static const char ARCH_G[] = "2-16relu-2linear";

typedef struct state {
    float pc[NC], pg[NG];
    gr_optim *oc, *og;
    gsl_rng *r_data, *r_prior;
} state;

static void state_init(state *s, uint64_t seed, int steps) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, seed, GR_STREAM_TEST, &err), &err);
    for (int i = 0; i < NC; i++)
        s->pc[i] = (float)(gsl_rng_uniform(r) * 0.2 - 0.1);
    for (int i = 0; i < NG; i++)
        s->pg[i] = (float)(gsl_rng_uniform(r) * 2.385 - 1.2);
    gr_optim_config cc = gr_optim_config_default(GR_OPTIM_RMSPROP);
    cc.lr = 5e-5;
    cc.centered = 1;
    cc.momentum = 0.5;
    gr_optim_config cg = gr_optim_config_default(GR_OPTIM_ADAM);
    cg.lr = 1e-4;
    cg.beta1 = 0.0;
    cg.beta2 = 0.9;
    s->oc = s->og = NULL;
    CHECK_OK(gr_optim_alloc(&s->oc, &cc, NC, &err), &err);
    CHECK_OK(gr_optim_alloc(&s->og, &cg, NG, &err), &err);
    CHECK_OK(gr_rng_alloc(&s->r_data, seed, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&s->r_prior, seed, GR_STREAM_PRIOR, &err), &err);
    static float g[NC];
    for (int t = 0; t < steps; t++) {
        for (int i = 0; i < NC; i++)
            g[i] = (float)(gsl_rng_uniform(r) - 0.5);
        gr_optim_step(s->oc, s->pc, g, NC, NULL);
        gr_optim_step(s->og, s->pg, g, NG, NULL);
        gsl_rng_get(s->r_data);
        gsl_rng_get(s->r_prior);
        gsl_rng_get(s->r_prior);
    }
    gr_rng_free(r);
}

static void state_free(state *s) {
    gr_optim_free(s->oc);
    gr_optim_free(s->og);
    gr_rng_free(s->r_data);
    gr_rng_free(s->r_prior);
}

static void state_desc(state *s, gr_checkpoint_net nets[2], gr_checkpoint_rng rngs[2]) {
    nets[0] = (gr_checkpoint_net){"critic", ARCH_C, s->pc, NC, s->oc};
    nets[1] = (gr_checkpoint_net){"generator", ARCH_G, s->pg, NG, s->og};
    rngs[0] = (gr_checkpoint_rng){"data", s->r_data};
    rngs[1] = (gr_checkpoint_rng){"prior", s->r_prior};
}

static int same_state(state *a, state *b) {
    int ok = memcmp(a->pc, b->pc, sizeof a->pc) == 0 && memcmp(a->pg, b->pg, sizeof a->pg) == 0;
    ok &= gr_optim_step_count(a->oc) == gr_optim_step_count(b->oc);
    ok &= gr_optim_step_count(a->og) == gr_optim_step_count(b->og);
    ok &= memcmp(gr_optim_state(a->oc), gr_optim_state(b->oc), 3 * NC * sizeof(float)) == 0;
    ok &= memcmp(gr_optim_state(a->og), gr_optim_state(b->og), 2 * NG * sizeof(float)) == 0;
    ok &= memcmp(gsl_rng_state(a->r_data), gsl_rng_state(b->r_data), gsl_rng_size(a->r_data)) == 0;
    ok &=
        memcmp(gsl_rng_state(a->r_prior), gsl_rng_state(b->r_prior), gsl_rng_size(a->r_prior)) == 0;
    return ok;
}

static int files_equal(const char *a, const char *b) {
    size_t la = 0, lb = 0;
    unsigned char *x = gr_test_read_file(a, &la), *y = gr_test_read_file(b, &lb);
    int eq = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return eq;
}

/* Entries of the test directory named "<base>.tmp.*" (save's temporaries), and of those the
 * ones ending in ".<pid>" when pid > 0. */
static int count_tmps_of(const char *base, long pid) {
    char prefix[256], suffix[32];
    snprintf(prefix, sizeof prefix, "%s.tmp.", base);
    snprintf(suffix, sizeof suffix, ".%ld", pid);
    DIR *d = opendir(g_dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name), ls = strlen(suffix);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) continue;
        n += pid <= 0 || (len > ls && strcmp(e->d_name + len - ls, suffix) == 0);
    }
    closedir(d);
    return n;
}
static int count_tmps(const char *base) { return count_tmps_of(base, 0); }

/* ---- tests --------------------------------------------------------------------------------- */

static void test_round_trip(void) {
    gr_error err;
    state a, b;
    state_init(&a, 42, 7);
    state_init(&b, 9, 3); /* a different state of the same shapes */
    gr_checkpoint_net na[2], nb[2];
    gr_checkpoint_rng ra[2], rb[2];
    state_desc(&a, na, ra);
    state_desc(&b, nb, rb);
    const char *p = tpath("rt.h5");
    CHECK_OK(gr_checkpoint_save(p, 123456789012345ULL, na, 2, ra, 2, &err), &err);
    CHECK(!same_state(&a, &b));
    uint64_t step = 0;
    CHECK_OK(gr_checkpoint_load(p, &step, nb, 2, rb, 2, &err), &err);
    CHECK(step == 123456789012345ULL);
    CHECK(same_state(&a, &b)); /* bit-exact: params, moments, step counts, RNG states */
    CHECK(gr_optim_step_count(b.oc) == 7);

    /* resuming continues bit-identically: same gradients -> same params and draws */
    static float g[NC];
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < NC; i++)
            g[i] = (float)(gsl_rng_uniform(a.r_data) - 0.5);
        for (int i = 0; i < NC; i++)
            CHECK(g[i] == (float)(gsl_rng_uniform(b.r_data) - 0.5));
        gr_optim_step(a.oc, a.pc, g, NC, NULL);
        gr_optim_step(b.oc, b.pc, g, NC, NULL);
        gr_optim_step(a.og, a.pg, g, NG, NULL);
        gr_optim_step(b.og, b.pg, g, NG, NULL);
    }
    CHECK(same_state(&a, &b));
    CHECK(gsl_rng_get(a.r_prior) == gsl_rng_get(b.r_prior));

    /* a subset can be loaded: generator only, no optimizer, no RNG (evaluation) */
    state c;
    state_init(&c, 5, 1);
    gr_checkpoint_net gen_only = {"generator", ARCH_G, c.pg, NG, NULL};
    CHECK_OK(gr_checkpoint_load(tpath("rt.h5"), NULL, &gen_only, 1, NULL, 0, &err), &err);
    state a0;
    state_init(&a0, 42, 7);
    CHECK(memcmp(c.pg, a0.pg, sizeof c.pg) == 0);
    CHECK(gr_optim_step_count(c.og) == 1); /* not touched */

    /* a net saved without optimizer cannot restore one */
    gr_checkpoint_net bare = {"critic", ARCH_C, a0.pc, NC, NULL};
    CHECK_OK(gr_checkpoint_save(tpath("bare.h5"), 1, &bare, 1, NULL, 0, &err), &err);
    gr_checkpoint_net want_opt = {"critic", ARCH_C, c.pc, NC, c.oc};
    CHECK_STATUS(gr_checkpoint_load(tpath("bare.h5"), NULL, &want_opt, 1, NULL, 0, &err),
                 GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "net \"critic\" has no optimizer state");
    gr_checkpoint_rng want_rng = {"data", c.r_data};
    CHECK_STATUS(gr_checkpoint_load(tpath("bare.h5"), NULL, &bare, 1, &want_rng, 1, &err),
                 GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "no rng \"data\"");
    state_free(&a);
    state_free(&b);
    state_free(&c);
    state_free(&a0);
}

static void test_identical_bytes(void) {
    gr_error err;
    state a, b;
    state_init(&a, 77, 5);
    state_init(&b, 77, 5); /* built separately: same values, different memory */
    gr_checkpoint_net na[2], nb[2];
    gr_checkpoint_rng ra[2], rb[2];
    state_desc(&a, na, ra);
    state_desc(&b, nb, rb);
    CHECK_OK(gr_checkpoint_save(tpath("same1.h5"), 5, na, 2, ra, 2, &err), &err);
    sleep(1); /* HDF5 time stamps, if any were left on, would differ now */
    CHECK_OK(gr_checkpoint_save(tpath("same2.h5"), 5, nb, 2, rb, 2, &err), &err);
    CHECK(files_equal(tpath("same1.h5"), tpath("same2.h5")));
    /* saving over an existing file replaces it atomically and gives the same bytes */
    CHECK_OK(gr_checkpoint_save(tpath("same2.h5"), 5, na, 2, ra, 2, &err), &err);
    CHECK(files_equal(tpath("same1.h5"), tpath("same2.h5")));
    /* load then save reproduces the file */
    state c;
    state_init(&c, 1, 2);
    gr_checkpoint_net nc[2];
    gr_checkpoint_rng rc[2];
    state_desc(&c, nc, rc);
    CHECK_OK(gr_checkpoint_load(tpath("same1.h5"), NULL, nc, 2, rc, 2, &err), &err);
    CHECK_OK(gr_checkpoint_save(tpath("same3.h5"), 5, nc, 2, rc, 2, &err), &err);
    CHECK(files_equal(tpath("same1.h5"), tpath("same3.h5")));
    /* a different step changes the bytes (the comparison can fail) */
    CHECK_OK(gr_checkpoint_save(tpath("same4.h5"), 6, na, 2, ra, 2, &err), &err);
    CHECK(!files_equal(tpath("same1.h5"), tpath("same4.h5")));
    /* no temporary file left behind */
    CHECK(count_tmps("same1.h5") == 0);
    CHECK(count_tmps("same2.h5") == 0);
    state_free(&a);
    state_free(&b);
    state_free(&c);
}

/* Every refusal leaves the caller's objects untouched: compare with a copy afterwards. */
static void expect_refused(const char *path, gr_checkpoint_net *nets, size_t n_nets,
                           gr_checkpoint_rng *rngs, size_t n_rngs, int status, const char *needle1,
                           const char *needle2) {
    gr_error err;
    float *before = malloc(nets[0].n_params * sizeof(float));
    if (before) memcpy(before, nets[0].params, nets[0].n_params * sizeof(float));
    uint64_t step = 999;
    CHECK_STATUS(gr_checkpoint_load(path, &step, nets, n_nets, rngs, n_rngs, &err), status);
    CHECK_STR_CONTAINS(err.msg, path);
    printf("refused (%s): %s\n", gr_strerror(err.status), err.msg);
    if (needle1) CHECK_STR_CONTAINS(err.msg, needle1);
    if (needle2) CHECK_STR_CONTAINS(err.msg, needle2);
    CHECK(step == 999);
    CHECK(before && memcmp(before, nets[0].params, nets[0].n_params * sizeof(float)) == 0);
    free(before);
}

static void test_refusals(void) {
    gr_error err;
    state a, b;
    state_init(&a, 31, 4);
    state_init(&b, 32, 2);
    gr_checkpoint_net na[2], nb[2];
    gr_checkpoint_rng ra[2], rb[2];
    state_desc(&a, na, ra);
    state_desc(&b, nb, rb);
    const char *good = tpath("good.h5");
    CHECK_OK(gr_checkpoint_save(good, 4, na, 2, ra, 2, &err), &err);
    state b0;
    state_init(&b0, 32, 2);

    /* architecture string differs */
    gr_checkpoint_net w[2] = {nb[0], nb[1]};
    w[0].arch = "2-32relu-32tanh-1linear";
    expect_refused(good, w, 2, rb, 2, GR_EMISMATCH,
                   "architecture \"2-32relu-32relu-1linear\" in the file",
                   "\"2-32relu-32tanh-1linear\" expected");
    /* size differs */
    w[0] = nb[0];
    w[0].n_params = NC - 1;
    w[0].optim = NULL;
    expect_refused(good, w, 1, NULL, 0, GR_EMISMATCH, "1537 parameters in the file",
                   "1536 expected");
    /* optimizer hyperparameter differs (the resumed run would follow another rule) */
    gr_optim_config cc = *gr_optim_config_get(b.oc);
    cc.lr = 1e-4;
    gr_optim *other = NULL;
    CHECK_OK(gr_optim_alloc(&other, &cc, NC, &err), &err);
    w[0] = nb[0];
    w[0].optim = other;
    expect_refused(good, w, 1, NULL, 0, GR_EMISMATCH, "lr = 5.0000000000000002e-05 in the file",
                   "0.0001 expected");
    gr_optim_free(other);
    /* optimizer kind differs */
    gr_optim_config ca = gr_optim_config_default(GR_OPTIM_ADAM);
    CHECK_OK(gr_optim_alloc(&other, &ca, NC, &err), &err);
    w[0].optim = other;
    expect_refused(good, w, 1, NULL, 0, GR_EMISMATCH, "optimizer \"rmsprop\" in the file",
                   "\"adam\" expected");
    gr_optim_free(other);
    /* net or rng absent */
    w[0] = nb[0];
    w[0].name = "discriminator";
    expect_refused(good, w, 1, NULL, 0, GR_EMISMATCH, "no net \"discriminator\"", NULL);
    gr_checkpoint_rng rr = {"instance", b.r_data};
    expect_refused(good, nb, 2, &rr, 1, GR_EMISMATCH, "no rng \"instance\"", NULL);
    /* another generator type (same state size would be needed to get this far) */
    gsl_rng *taus = gsl_rng_alloc(gsl_rng_taus2);
    gr_checkpoint_rng rt = {"data", taus};
    expect_refused(good, nb, 2, &rt, 1, GR_EMISMATCH, "generator \"mt19937\" in the file",
                   "\"taus2\" expected");
    gsl_rng_free(taus);
    /* the caller's objects all survived every refusal: b is still its own initial state */
    CHECK(same_state(&b, &b0));

    /* unknown format version: edit the attribute with plain HDF5 */
    size_t len = 0;
    unsigned char *bytes = gr_test_read_file(good, &len);
    CHECK(bytes != NULL && len > 1000);
    const char *v2 = tpath("v2.h5");
    CHECK(bytes && gr_test_write_file(v2, bytes, len));
    hid_t f = H5Fopen(v2, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0) {
        hid_t at = H5Aopen(f, "format_version", H5P_DEFAULT);
        int three = GR_CHECKPOINT_VERSION + 1;
        CHECK(at >= 0 && H5Awrite(at, H5T_NATIVE_INT, &three) >= 0);
        if (at >= 0) H5Aclose(at);
        H5Fclose(f);
    }
    expect_refused(v2, nb, 2, rb, 2, GR_EFORMAT, "format_version 3 is not supported",
                   "reads version 2");

    /* an RNG state edited in place (MT position 9999): its checksum no longer matches (an
     * impossible state under a valid checksum: test_checkpoint_bitflip.c) */
    const char *badrng = tpath("badrng.h5");
    CHECK(bytes && gr_test_write_file(badrng, bytes, len));
    f = H5Fopen(badrng, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0) {
        hid_t d = H5Dopen2(f, "/rng/data", H5P_DEFAULT);
        size_t sz = gr_rng_state_size(b.r_data);
        unsigned char *st = malloc(sz);
        int mti = 9999;
        CHECK(d >= 0 && st && H5Dread(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, st) >= 0);
        if (st && sz >= 624 * sizeof(unsigned long) + sizeof(int)) {
            memcpy(st + 624 * sizeof(unsigned long), &mti, sizeof mti); /* GSL's mt_state_t */
            CHECK(H5Dwrite(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, st) >= 0);
        }
        free(st);
        if (d >= 0) H5Dclose(d);
        H5Fclose(f);
    }
    expect_refused(badrng, nb, 2, rb, 2, GR_EFORMAT, "rng \"data\"",
                   "checksum does not match the contents");

    /* a valid HDF5 file that is not a checkpoint */
    const char *other_h5 = tpath("other.h5");
    f = H5Fcreate(other_h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0) H5Fclose(f);
    expect_refused(other_h5, nb, 2, rb, 2, GR_EFORMAT, "is not a ganrepro checkpoint", "format");

    /* truncated file (a save killed by a full disk, a partial copy) */
    const char *trunc = tpath("trunc.h5");
    CHECK(bytes && gr_test_write_file(trunc, bytes, len / 2));
    expect_refused(trunc, nb, 2, rb, 2, GR_EFORMAT, "not a readable HDF5 file", NULL);

    /* garbage */
    const char *garbage = tpath("garbage.h5");
    const char text[] = "this is not an HDF5 file, only some text that claims to be one\n";
    CHECK(gr_test_write_file(garbage, text, sizeof text - 1));
    expect_refused(garbage, nb, 2, rb, 2, GR_EFORMAT, "not a readable HDF5 file", NULL);

    /* one flipped bit inside the critic's parameters: caught by the net's SHA-256 checksum */
    const char *flip = tpath("flip.h5");
    unsigned char *hit = NULL;
    if (bytes) {
        for (size_t i = 0; i + sizeof a.pc <= len && !hit; i++)
            if (memcmp(bytes + i, a.pc, 64) == 0) hit = bytes + i; /* params' raw bytes */
    }
    CHECK(hit != NULL);
    if (hit) {
        hit[4 * 700 + 1] ^= 0x10; /* element 700 */
        CHECK(gr_test_write_file(flip, bytes, len));
        expect_refused(flip, nb, 2, rb, 2, GR_EFORMAT,
                       "net \"critic\": the checksum does not match", NULL);
        /* the status never depends on whether a message is wanted */
        CHECK_STATUS(gr_checkpoint_load(flip, NULL, nb, 2, rb, 2, NULL), GR_EFORMAT);
        CHECK(same_state(&b, &b0));
        hit[4 * 700 + 1] ^= 0x10;
    }
    free(bytes);

    /* missing file: an I/O error with the path */
    const char *missing = tpath("does-not-exist.h5");
    expect_refused(missing, nb, 2, rb, 2, GR_EIO, "No such file", NULL);
    CHECK(same_state(&b, &b0));

    state_free(&a);
    state_free(&b);
    state_free(&b0);
}

static void test_save_failures_and_args(void) {
    gr_error err;
    state a;
    state_init(&a, 3, 1);
    gr_checkpoint_net n[2];
    gr_checkpoint_rng r[2];
    state_desc(&a, n, r);

    /* directory does not exist: GR_EIO naming the path */
    const char *nodir = tpath("no/such/dir/ck.h5");
    CHECK_STATUS(gr_checkpoint_save(nodir, 1, n, 2, r, 2, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, nodir);
    /* target is a directory: rename fails, the temporary file is removed */
    const char *isdir = tpath("adir");
    CHECK(mkdir(isdir, 0700) == 0);
    CHECK_STATUS(gr_checkpoint_save(isdir, 1, n, 2, r, 2, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg, "renaming");
    CHECK(count_tmps("adir") == 0);
    rmdir(isdir);

    const char *p = tpath("args.h5");
    CHECK_STATUS(gr_checkpoint_save(NULL, 1, n, 2, r, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_checkpoint_save("", 1, n, 2, r, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_checkpoint_save(p, 1, NULL, 2, r, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_checkpoint_save(p, 1, n, 0, r, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "at least one network");
    CHECK_STATUS(gr_checkpoint_save(p, 1, n, 2, NULL, 2, &err), GR_EINVAL);
    gr_checkpoint_net bad[2] = {n[0], n[1]};
    bad[1].name = "critic"; /* duplicate */
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "\"critic\" used twice");
    bad[1] = n[1];
    bad[0].name = "nets/critic";
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "\"nets/critic\"");
    bad[0].name = "";
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    bad[0].name = "..";
    CHECK_STATUS(gr_checkpoint_load(p, NULL, bad, 2, r, 2, &err), GR_EINVAL);
    bad[0] = n[0];
    bad[0].arch = NULL;
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    bad[0] = n[0];
    bad[0].params = NULL;
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    bad[0] = n[0];
    bad[0].n_params = 0;
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n_params = 0");
    bad[0] = n[0];
    bad[0].optim = a.og; /* sized for NG, not NC */
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "optimizer was sized for 811");
    CHECK_STATUS(gr_checkpoint_save(p, 1, bad, 2, r, 2, NULL), GR_EINVAL);
    CHECK_STATUS(gr_checkpoint_load(p, NULL, bad, 2, r, 2, NULL), GR_EINVAL);
    CHECK_STATUS(gr_checkpoint_load(tpath("missing.h5"), NULL, n, 2, r, 2, NULL), GR_EIO);
    gr_checkpoint_rng badr[2] = {r[0], r[1]};
    badr[1].name = "data";
    CHECK_STATUS(gr_checkpoint_save(p, 1, n, 2, badr, 2, &err), GR_EINVAL);
    badr[1] = r[1];
    badr[1].rng = NULL;
    CHECK_STATUS(gr_checkpoint_save(p, 1, n, 2, badr, 2, &err), GR_EINVAL);
    CHECK(access(p, F_OK) != 0); /* nothing was written by the refused saves */
    state_free(&a);
}

/* TF-style RMSProp (slots rms/mg/momentum, rms starting at 1) round-trips too; a file whose
 * "format" names another format is refused. */
static void test_tf_kind_and_foreign_format(void) {
    gr_error err;
    enum { N = 64 };
    float p[N], q[N], g[N];
    for (int i = 0; i < N; i++)
        p[i] = 0.01f * (float)(i - 31), g[i] = 0.3f - 0.02f * (float)i;
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
    c.centered = 1;
    c.momentum = 0.25;
    gr_optim *a = NULL, *b = NULL;
    CHECK_OK(gr_optim_alloc(&a, &c, N, &err), &err);
    CHECK_OK(gr_optim_alloc(&b, &c, N, &err), &err);
    if (!a || !b) return;
    for (int s = 0; s < 3; s++)
        gr_optim_step(a, p, g, N, NULL);
    const char *path = tpath("tf.h5");
    gr_checkpoint_net n = {"critic", "2-8relu-1linear", p, N, a};
    CHECK_OK(gr_checkpoint_save(path, 3, &n, 1, NULL, 0, &err), &err);
    gr_checkpoint_net m = {"critic", "2-8relu-1linear", q, N, b};
    CHECK_OK(gr_checkpoint_load(path, NULL, &m, 1, NULL, 0, &err), &err);
    CHECK(memcmp(p, q, sizeof p) == 0);
    CHECK(memcmp(gr_optim_state(a), gr_optim_state(b), 3 * N * sizeof(float)) == 0);
    CHECK(gr_optim_step_count(b) == 3);
    /* a torch RMSProp with the same numbers is another update rule: refused */
    gr_optim_config ct = gr_optim_config_default(GR_OPTIM_RMSPROP);
    gr_optim *t = NULL;
    CHECK_OK(gr_optim_alloc(&t, &ct, N, &err), &err);
    m.optim = t;
    expect_refused(path, &m, 1, NULL, 0, GR_EMISMATCH, "optimizer \"rmsprop_tf\" in the file",
                   "\"rmsprop\" expected");
    gr_optim_free(t);

    /* foreign format name */
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0) {
        H5Adelete(f, "format");
        hid_t ty = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
        H5Tset_size(ty, 21);
        hid_t at = H5Acreate2(f, "format", ty, sp, H5P_DEFAULT, H5P_DEFAULT);
        CHECK(at >= 0 && H5Awrite(at, ty, "someone-elses-format") >= 0);
        if (at >= 0) H5Aclose(at);
        H5Sclose(sp);
        H5Tclose(ty);
        H5Fclose(f);
    }
    m.optim = b;
    expect_refused(path, &m, 1, NULL, 0, GR_EFORMAT, "format \"someone-elses-format\"",
                   "expected \"ganrepro-checkpoint\"");
    gr_optim_free(a);
    gr_optim_free(b);
}

/* With real nn/mlp.h networks: the architecture string is gr_mlp_describe's. */
static void test_with_mlp(void) {
    gr_error err;
    gr_mlp_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.in_dim = 2;
    spec.n_hidden = 3;
    spec.hidden[0] = spec.hidden[1] = spec.hidden[2] = 64;
    spec.out_dim = 1;
    spec.hidden_act = GR_ACT_RELU;
    spec.out_act = GR_ACT_IDENTITY;
    gr_mlp *a = NULL, *b = NULL, *w = NULL;
    CHECK_OK(gr_mlp_alloc(&a, &spec, 8, &err), &err);
    CHECK_OK(gr_mlp_alloc(&b, &spec, 8, &err), &err);
    gr_mlp_spec wide = spec;
    wide.hidden[1] = 65;
    CHECK_OK(gr_mlp_alloc(&w, &wide, 8, &err), &err);
    if (!a || !b || !w) goto out;
    gsl_rng *r1 = NULL;
    CHECK_OK(gr_rng_alloc(&r1, 1, GR_STREAM_INIT, &err), &err);
    gsl_rng *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r2, 2, GR_STREAM_INIT, &err), &err);
    CHECK_OK(gr_mlp_init(a, GR_INIT_HE, r1, &err), &err);
    CHECK_OK(gr_mlp_init(b, GR_INIT_HE, r2, &err), &err);
    char arch_a[128], arch_w[128];
    gr_mlp_describe(a, arch_a, sizeof arch_a);
    gr_mlp_describe(w, arch_w, sizeof arch_w);
    size_t n = gr_mlp_n_params(a);
    CHECK(memcmp(gr_mlp_params(a), gr_mlp_params(b), n * sizeof(float)) != 0);
    gr_checkpoint_net na = {"critic", arch_a, gr_mlp_params(a), n, NULL};
    gr_checkpoint_net nb = {"critic", arch_a, gr_mlp_params(b), n, NULL};
    CHECK_OK(gr_checkpoint_save(tpath("mlp.h5"), 0, &na, 1, NULL, 0, &err), &err);
    CHECK_OK(gr_checkpoint_load(tpath("mlp.h5"), NULL, &nb, 1, NULL, 0, &err), &err);
    CHECK(memcmp(gr_mlp_params(a), gr_mlp_params(b), n * sizeof(float)) == 0);
    /* a net of another shape is refused by its architecture string first */
    gr_checkpoint_net nw = {"critic", arch_w, gr_mlp_params(w), gr_mlp_n_params(w), NULL};
    expect_refused(tpath("mlp.h5"), &nw, 1, NULL, 0, GR_EMISMATCH, arch_a, arch_w);
    gr_rng_free(r1);
    gr_rng_free(r2);
out:
    gr_mlp_free(a);
    gr_mlp_free(b);
    gr_mlp_free(w);
}

/* A save killed at a random point (SIGKILL to a child saving in a loop) never leaves a half
 * file at the path: whatever is there loads, and its step marker matches its parameters. The
 * temporary file a killed save leaves behind is removed by the next save (issue 9.5: 100
 * kills in a save loop used to leave 62 *.tmp.<pid> files). */
static void test_killed_save(void) {
    gr_error err;
    enum { N = 1 << 18, ROUNDS = 12 };
    float *p = malloc(N * sizeof(float));
    CHECK(p != NULL);
    if (!p) return;
    for (size_t i = 0; i < N; i++)
        p[i] = (float)i * 1e-6f;
    const char *path = tpath("killed.h5");
    gr_checkpoint_net n = {"critic", "big", p, N, NULL};
    p[0] = 1.0f;
    CHECK_OK(gr_checkpoint_save(path, 1, &n, 1, NULL, 0, &err), &err);
    int left = 0, max_seen = 0;
    for (int round = 0; round < ROUNDS; round++) {
        fflush(NULL);
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            for (uint64_t s = 2;; s++) { /* the marker p[0] = step ties data to header */
                p[0] = (float)s;
                gr_checkpoint_save(path, s, &n, 1, NULL, 0, NULL);
            }
        }
        if (pid < 0) break;
        usleep((useconds_t)(15000 + 7000 * (round % 5)));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int k = count_tmps("killed.h5"); /* this kill's, if it hit a save; older ones gone */
        left += count_tmps_of("killed.h5", (long)pid) > 0;
        if (k > max_seen) max_seen = k;
        uint64_t step = 0;
        CHECK_OK(gr_checkpoint_load(path, &step, &n, 1, NULL, 0, &err), &err);
        CHECK(step >= 1 && p[0] == (float)step);
    }
    printf("killed saves: %d of %d kills left a temporary file, at most %d at a time\n", left,
           ROUNDS, max_seen);
    CHECK(max_seen <= 1); /* each save removed the previous victim's file */
    CHECK_OK(gr_checkpoint_save(path, 1, &n, 1, NULL, 0, &err), &err);
    CHECK(count_tmps("killed.h5") == 0);
    free(p);
}

/* The host part of temporary names, by the rule of checkpoint.h / checkpoint.c. */
static void host_tag(char *out, size_t size) {
    char h[256];
    if (gethostname(h, sizeof h) != 0 || !h[0]) snprintf(h, sizeof h, "localhost");
    h[sizeof h - 1] = '\0';
    size_t i = 0;
    for (; h[i] && i < 64 && i + 1 < size; i++) {
        char c = h[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

static pid_t dead_pid(void) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(pid, NULL, 0);
    return pid;
}

static int exists(const char *name) { return access(tpath(name), F_OK) == 0; }

static void touch(const char *name) {
    FILE *f = fopen(tpath(name), "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("partial", f);
        fclose(f);
    }
}

/* A save removes the temporaries of dead processes for its own path on this host, and
 * nothing else: not a live process's (our parent, a running child), not another host's,
 * not another path's, not a directory. */
static void test_stale_tmps(void) {
    gr_error err;
    char host[80], name[8][256];
    host_tag(host, sizeof host);
    pid_t dead1 = dead_pid(), dead2 = dead_pid();
    fflush(NULL);
    pid_t live = fork();
    if (live == 0) {
        pause();
        _exit(0);
    }
    CHECK(dead1 > 0 && dead2 > 0 && live > 0);
    if (dead1 <= 0 || dead2 <= 0 || live <= 0) return;
    snprintf(name[0], sizeof name[0], "st.h5.tmp.%s.%ld", host, (long)dead1); /* removed */
    snprintf(name[1], sizeof name[1], "st.h5.tmp.%s.%ld", host, (long)dead2); /* removed */
    snprintf(name[2], sizeof name[2], "st.h5.tmp.%s.%ld", host, (long)getppid());
    snprintf(name[3], sizeof name[3], "st.h5.tmp.%s.%ld", host, (long)live);
    snprintf(name[4], sizeof name[4], "st.h5.tmp.other-host.%ld", (long)dead1);
    snprintf(name[5], sizeof name[5], "other.h5.tmp.%s.%ld", host, (long)dead1);
    snprintf(name[6], sizeof name[6], "st.h5.tmp.%s.%ldx", host, (long)dead1);
    snprintf(name[7], sizeof name[7], "st.h5.tmp.%s.%ld", host, (long)dead2 + 0);
    for (int i = 0; i < 7; i++)
        if (i != 1) touch(name[i]);
    CHECK(mkdir(tpath(name[1]), 0700) == 0); /* a directory under a stale name: not a file */
    float p[3] = {2.385f, -1.5f, 0.25f};
    gr_checkpoint_net n = {"critic", "3", p, 3, NULL};
    CHECK_OK(gr_checkpoint_save(tpath("st.h5"), 1, &n, 1, NULL, 0, &err), &err);
    CHECK(!exists(name[0]));
    CHECK(exists(name[1])); /* directory kept */
    for (int i = 2; i < 7; i++)
        CHECK(exists(name[i]));
    rmdir(tpath(name[1]));
    touch(name[7]); /* now a stale file: the next save removes it */
    CHECK_OK(gr_checkpoint_save(tpath("st.h5"), 2, &n, 1, NULL, 0, &err), &err);
    CHECK(!exists(name[7]));
    CHECK(exists(name[2]) && exists(name[3]));
    kill(live, SIGKILL);
    waitpid(live, NULL, 0);
    CHECK_OK(gr_checkpoint_save(tpath("st.h5"), 3, &n, 1, NULL, 0, &err), &err);
    CHECK(!exists(name[3])); /* its process is gone now */
    CHECK(exists(name[2]));  /* our parent: alive */
    for (int i = 2; i < 7; i++)
        remove(tpath(name[i]));
}

int main(void) {
    gr_core_init();
    if (gr_test_tmpdir(g_dir, sizeof g_dir, "gr_ckpt_") != 0) {
        CHECK(0 && "mkdtemp failed");
        return TEST_MAIN_END();
    }
    RUN(test_round_trip);
    RUN(test_identical_bytes);
    RUN(test_refusals);
    RUN(test_save_failures_and_args);
    RUN(test_tf_kind_and_foreign_format);
    RUN(test_with_mlp);
    RUN(test_killed_save);
    RUN(test_stale_tmps);
    gr_test_tmpdir_remove(g_dir);
    return TEST_MAIN_END();
}
