/* tests/data/test_mnist.c — MNIST on files this test writes (data/mnist.h): the pair checks and
 * their messages (wrong type or shape, labels out of range, files that do not pair, wrong row
 * count for the official names, a missing file), the pixel scales, the four splits on a
 * full-size synthetic pair (60 000 + 10 000 images whose rows can be read back from their
 * pixels; the test pair gzipped), the seeded subset, and the epoch-order sampler with its
 * cursor state. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/rng.h"
#include "data/mnist.h"
#include "data/sampler.h"
#include "idx_fixture.h"
#include "test.h"

static char dir[512];
static char path[1024], path2[1024];

static const char *P(const char *name) { return fx_path(path, sizeof path, dir, name); }
static const char *P2(const char *name) { return fx_path(path2, sizeof path2, dir, name); }

/* A pair of n synthetic images and labels (label i = (i * 7 + 3) % 10) at dir/base-{images,labels}.
 */
static int write_pair(const char *images, const char *labels, size_t n, int gz) {
    unsigned char *px = fx_images(n), *y = malloc(n);
    int ok = px && y;
    for (size_t i = 0; ok && i < n; i++)
        y[i] = (unsigned char)((i * 7 + 3) % 10);
    uint32_t di[3] = {(uint32_t)n, 28, 28}, dl[1] = {(uint32_t)n};
    ok = ok && fx_write(images, gz, 0x00000803, di, 3, px, n * 784) &&
         fx_write(labels, gz, 0x00000801, dl, 1, y, n);
    free(px);
    free(y);
    return ok;
}

static void expect_load_refusal(const char *img, const char *lab, int st, const char *piece1,
                                const char *piece2) {
    gr_mnist *m = (gr_mnist *)1;
    gr_error err = {0};
    CHECK_STATUS(gr_mnist_load_files(&m, img, lab, 0, GR_MNIST_REST, GR_MNIST_UNIT, &err), st);
    CHECK(m == NULL);
    if (piece1) CHECK_STR_CONTAINS(err.msg, piece1);
    if (piece2) CHECK_STR_CONTAINS(err.msg, piece2);
}

static void test_load_files_and_scales(void) {
    CHECK(write_pair(P("a-img"), P2("a-lab"), 12, 0));
    for (int sc = 0; sc < 2; sc++) {
        gr_mnist *m = NULL;
        gr_error err = {0};
        CHECK_OK(gr_mnist_load_files(&m, P("a-img"), P2("a-lab"), 2, 7, (gr_mnist_scale)sc, &err),
                 &err);
        if (!m) continue;
        CHECK(m->n == 7 && m->d == 784 && m->scale == (gr_mnist_scale)sc && m->official == 0);
        unsigned char *px = fx_images(12);
        int all = 1, rows = 1, labels = 1;
        for (size_t i = 0; i < 7 && px; i++) {
            for (size_t j = 0; j < 784; j++) {
                double p = px[(i + 2) * 784 + j];
                /* the declared scales, rounded once to float */
                float want = sc == 0 ? (float)(p / 255.0) : (float)(2.0 * p / 255.0 - 1.0);
                all &= m->x[i * 784 + j] == want;
            }
            rows &= m->row[i] == i + 2 && fx_row(m->x + i * 784, sc) == i + 2;
            labels &= m->y[i] == (uint8_t)(((i + 2) * 7 + 3) % 10);
        }
        free(px);
        CHECK(all && rows && labels);
        CHECK_STR_CONTAINS(m->source, "rows 2..8 of 12; images a-img md5 ");
        CHECK_STR_CONTAINS(m->source, ", labels a-lab md5 ");
        CHECK(strstr(m->source, dir) == NULL); /* names without the directory */
        CHECK_STR_CONTAINS(m->source, "NOT the official MNIST files");
        CHECK_STR_CONTAINS(m->source, m->images_md5);
        CHECK(strlen(m->images_md5) == 32 && strlen(m->labels_md5) == 32);
        size_t counts[10];
        gr_mnist_class_counts(m, counts);
        size_t tot = 0;
        for (int c = 0; c < 10; c++)
            tot += counts[c];
        CHECK(tot == 7 && counts[(2 * 7 + 3) % 10] == 1);
        gr_mnist_free(m);
    }
    /* The byte ends of both scales are exact. */
    unsigned char ends[784] = {0};
    ends[1] = 255;
    uint32_t di[3] = {1, 28, 28}, dl[1] = {1};
    unsigned char lab[1] = {9};
    CHECK(fx_write(P("e-img"), 0, 0x00000803, di, 3, ends, 784));
    CHECK(fx_write(P2("e-lab"), 0, 0x00000801, dl, 1, lab, 1));
    gr_mnist *u = NULL, *s = NULL;
    CHECK_OK(gr_mnist_load_files(&u, P("e-img"), P2("e-lab"), 0, 1, GR_MNIST_UNIT, NULL), NULL);
    CHECK_OK(gr_mnist_load_files(&s, P("e-img"), P2("e-lab"), 0, 1, GR_MNIST_SYMMETRIC, NULL),
             NULL);
    if (u && s) {
        CHECK(u->x[0] == 0.0f && u->x[1] == 1.0f && s->x[0] == -1.0f && s->x[1] == 1.0f);
        CHECK(u->y[0] == 9);
    }
    gr_mnist_free(u);
    gr_mnist_free(s);
    gr_mnist_free(NULL);
    /* Row ranges outside the file, unknown scale, NULL. */
    gr_mnist *m = (gr_mnist *)1;
    gr_error err = {0};
    CHECK_STATUS(gr_mnist_load_files(&m, P("a-img"), P2("a-lab"), 12, 1, GR_MNIST_UNIT, &err),
                 GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "row 12 requested, the file holds 12 images");
    CHECK(m == NULL);
    CHECK_STATUS(gr_mnist_load_files(&m, P("a-img"), P2("a-lab"), 5, 8, GR_MNIST_UNIT, &err),
                 GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "rows 5 .. 5 + 8 requested, the file holds 12 images");
    CHECK_STATUS(gr_mnist_load_files(&m, P("a-img"), P2("a-lab"), 0, 0, GR_MNIST_UNIT, &err),
                 GR_EINVAL);
    CHECK_STATUS(gr_mnist_load_files(&m, P("a-img"), P2("a-lab"), 0, 1, (gr_mnist_scale)2, &err),
                 GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "unknown pixel scale 2");
    CHECK_STATUS(gr_mnist_load_files(&m, NULL, P2("a-lab"), 0, 1, GR_MNIST_UNIT, &err), GR_EINVAL);
}

static void test_pair_refusals(void) {
    CHECK(write_pair(P("b-img"), P2("b-lab"), 5, 0));
    uint32_t d5[1] = {5}, d6[1] = {6}, di[3] = {5, 28, 28}, dbad[3] = {5, 28, 27};
    unsigned char *px = fx_images(5);
    CHECK(px != NULL);
    if (!px) return;
    /* labels out of range: the fourth is 10 */
    unsigned char y[6] = {0, 9, 3, 10, 1, 2};
    CHECK(fx_write(P2("range-lab"), 0, 0x00000801, d5, 1, y, 5));
    expect_load_refusal(P("b-img"), P2("range-lab"), GR_EFORMAT, "range-lab: label 3 is 10",
                        "expected 0 to 9");
    /* labels that do not pair with the images: 6 against 5 */
    unsigned char y6[6] = {0, 1, 2, 3, 4, 5};
    CHECK(fx_write(P2("six-lab"), 0, 0x00000801, d6, 1, y6, 6));
    expect_load_refusal(P("b-img"), P2("six-lab"), GR_EMISMATCH, "six-lab holds 6 labels but",
                        "b-img holds 5 images: the files do not pair");
    /* images of the wrong type and shape; labels in two dimensions */
    CHECK(fx_write(P("i8-img"), 0, 0x00000903, di, 3, px, 5 * 784));
    expect_load_refusal(P("i8-img"), P2("b-lab"), GR_EFORMAT, "not MNIST images: i8 elements",
                        "expected u8 of shape N x 28 x 28 (magic 0x00000803)");
    CHECK(fx_write(P("shape-img"), 0, 0x00000803, dbad, 3, px, 5 * 28 * 27));
    expect_load_refusal(P("shape-img"), P2("b-lab"), GR_EFORMAT, "of shape 5 x 28 x 27", NULL);
    uint32_t dl2[2] = {5, 1};
    CHECK(fx_write(P2("2d-lab"), 0, 0x00000802, dl2, 2, y, 5));
    expect_load_refusal(P("b-img"), P2("2d-lab"), GR_EFORMAT,
                        "not MNIST labels: u8 elements in 2 dimensions",
                        "expected u8 in 1 dimension (magic 0x00000801)");
    /* the reader's own refusals come through with the file name: a truncated images file */
    CHECK(fx_write(P("cut-img"), 0, 0x00000803, di, 3, px, 5 * 784 - 1));
    expect_load_refusal(P("cut-img"), P2("b-lab"), GR_EFORMAT, "cut-img: truncated", NULL);
    /* images and labels swapped */
    expect_load_refusal(P2("b-lab"), P("b-img"), GR_EFORMAT, "not MNIST images: u8 elements",
                        "of shape 5");
    free(px);
}

/* The official names in a directory: 60 000 training rows (plain) and 10 000 test rows
 * (gzipped: the NAME.gz fallback), and the four splits read back from the pixels. */
static void test_splits(void) {
    char d[1024];
    snprintf(d, sizeof d, "%s", dir);
    CHECK(write_pair(P("train-images-idx3-ubyte"), P2("train-labels-idx1-ubyte"), 60000, 0));
    CHECK(write_pair(P("t10k-images-idx3-ubyte.gz"), P2("t10k-labels-idx1-ubyte.gz"), 10000, 1));
    struct {
        gr_mnist_split split;
        size_t n, first;
        const char *name;
    } cases[4] = {{GR_MNIST_TRAIN, 50000, 0, "mnist train: rows 0..49999 of 60000"},
                  {GR_MNIST_VALID, 10000, 50000, "mnist valid: rows 50000..59999 of 60000"},
                  {GR_MNIST_TEST, 10000, 0, "mnist test: rows 0..9999 of 10000"},
                  {GR_MNIST_TRAIN_ALL, 60000, 0, "mnist train_all: rows 0..59999 of 60000"}};
    for (int c = 0; c < 4; c++) {
        gr_mnist *m = NULL;
        gr_error err = {0};
        CHECK_OK(gr_mnist_load(&m, d, cases[c].split, GR_MNIST_SYMMETRIC, &err), &err);
        if (!m) continue;
        CHECK(m->n == cases[c].n);
        int ok = 1;
        for (size_t i = 0; i < m->n; i++)
            ok &= m->row[i] == cases[c].first + i &&
                  fx_row(m->x + i * 784, 1) == cases[c].first + i &&
                  m->y[i] == (uint8_t)(((cases[c].first + i) * 7 + 3) % 10);
        CHECK(ok);
        CHECK_STR_CONTAINS(m->source, cases[c].name);
        CHECK_STR_CONTAINS(m->source, cases[c].split == GR_MNIST_TEST ? "t10k-images-idx3-ubyte.gz"
                                                                      : "train-images-idx3-ubyte");
        CHECK(m->official == 0);
        gr_mnist_free(m);
    }
    /* unknown split */
    gr_mnist *m = (gr_mnist *)1;
    gr_error err = {0};
    CHECK_STATUS(gr_mnist_load(&m, d, (gr_mnist_split)4, GR_MNIST_UNIT, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "unknown split 4");
    CHECK(m == NULL);
    /* the official names with the wrong row count */
    CHECK(write_pair(P("t10k-images-idx3-ubyte"), P2("t10k-labels-idx1-ubyte"), 30, 0));
    CHECK_STATUS(gr_mnist_load(&m, d, GR_MNIST_TEST, GR_MNIST_UNIT, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg,
                       "t10k-images-idx3-ubyte: 30 images, expected 10000 (the MNIST test file)");
    /* a header declaring more rows than the official file: refused before the data is read */
    uint32_t d70k[3] = {70000, 28, 28};
    unsigned char few[784] = {0};
    CHECK(fx_write(P("t10k-images-idx3-ubyte"), 0, 0x00000803, d70k, 3, few, 784));
    CHECK_STATUS(gr_mnist_load(&m, d, GR_MNIST_TEST, GR_MNIST_UNIT, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "70000 x 28 x 28 u8 elements (54880000 bytes), above the limit of "
                                "7840000 bytes");
    unlink(P("t10k-images-idx3-ubyte"));
    unlink(P2("t10k-labels-idx1-ubyte"));
    unlink(P("train-images-idx3-ubyte"));
    unlink(P("t10k-images-idx3-ubyte.gz"));
    unlink(P("t10k-labels-idx1-ubyte.gz"));
    /* a missing file: the message says where it looked and what to run */
    CHECK_STATUS(gr_mnist_load(&m, d, GR_MNIST_TRAIN, GR_MNIST_UNIT, &err), GR_EIO);
    CHECK_STR_CONTAINS(err.msg,
                       "train-images-idx3-ubyte: not found (nor train-images-idx3-ubyte.gz)");
    CHECK_STR_CONTAINS(err.msg, "datasets/mnist/fetch");
    unlink(P2("train-labels-idx1-ubyte"));
}

static gr_mnist *small_set(size_t n) {
    CHECK(write_pair(P("s-img"), P2("s-lab"), n, 0));
    gr_mnist *m = NULL;
    gr_error err = {0};
    CHECK_OK(
        gr_mnist_load_files(&m, P("s-img"), P2("s-lab"), 0, GR_MNIST_REST, GR_MNIST_UNIT, &err),
        &err);
    return m;
}

static void test_subset(void) {
    gr_mnist *m = small_set(300);
    if (!m) return;
    gr_mnist *a = NULL, *b = NULL, *c = NULL;
    gr_error err = {0};
    CHECK_OK(gr_mnist_subset(&a, m, 40, 1234, &err), &err);
    CHECK_OK(gr_mnist_subset(&b, m, 40, 1234, &err), &err);
    CHECK_OK(gr_mnist_subset(&c, m, 40, 1235, &err), &err);
    if (a && b && c) {
        CHECK(a->n == 40 && memcmp(a->row, b->row, 40 * sizeof(size_t)) == 0);
        CHECK(memcmp(a->x, b->x, 40 * 784 * sizeof(float)) == 0);
        CHECK(memcmp(a->row, c->row, 40 * sizeof(size_t)) != 0);
        /* distinct rows, in the source order, with their own pixels and labels */
        int ok = 1;
        for (size_t i = 0; i < 40; i++) {
            ok &= i == 0 || a->row[i] > a->row[i - 1];
            ok &= fx_row(a->x + i * 784, 0) == a->row[i];
            ok &= a->y[i] == m->y[a->row[i]];
        }
        CHECK(ok);
        CHECK_STR_CONTAINS(a->source, "subset n=40 of 300 seed=1234 stream=10");
        /* the documented draw: gsl_ran_choose on (seed, GR_STREAM_SUBSET) */
        gsl_rng *r = NULL;
        CHECK_OK(gr_rng_alloc(&r, 1234, GR_STREAM_SUBSET, NULL), NULL);
        size_t all[300], pick[40];
        for (size_t i = 0; i < 300; i++)
            all[i] = i;
        gsl_ran_choose(r, pick, 40, all, 300, sizeof(size_t));
        gr_rng_free(r);
        CHECK(memcmp(pick, a->row, sizeof pick) == 0);
    }
    gr_mnist_free(a);
    gr_mnist_free(b);
    gr_mnist_free(c);
    /* the whole set, and the errors */
    CHECK_OK(gr_mnist_subset(&a, m, 300, 9, &err), &err);
    if (a) CHECK(a->row[0] == 0 && a->row[299] == 299);
    gr_mnist_free(a);
    a = (gr_mnist *)1;
    CHECK_STATUS(gr_mnist_subset(&a, m, 301, 9, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "301 items requested of a set of 300");
    CHECK(a == NULL);
    CHECK_STATUS(gr_mnist_subset(&a, m, 0, 9, &err), GR_EINVAL);
    /* Inclusion frequencies: over 2000 seeds each of 20 items is in a 5-subset with p = 1/4;
     * its count is Binomial(2000, 1/4) (mean 500, SD 19.4). The 5-SD band fails by chance
     * with probability < 20 x 5.8e-7 = 1.2e-5 (fixed seeds: the outcome is deterministic). */
    gr_mnist *t = NULL;
    CHECK_OK(gr_mnist_subset(&t, m, 20, 5, &err), &err);
    if (t) {
        size_t count[20] = {0};
        for (uint64_t s = 0; s < 2000; s++) {
            gr_mnist *u = NULL;
            if (gr_mnist_subset(&u, t, 5, s, NULL) != GR_OK) break;
            for (size_t i = 0; i < 5; i++)
                for (size_t k = 0; k < 20; k++)
                    count[k] += u->row[i] == t->row[k];
            gr_mnist_free(u);
        }
        int in_band = 1;
        for (size_t k = 0; k < 20; k++)
            in_band &= fabs((double)count[k] - 500.0) <= 5 * 19.365;
        CHECK(in_band);
    }
    gr_mnist_free(t);
    gr_mnist_free(m);
}

/* The documented epoch order, replayed with gsl_ran_shuffle on a twin generator. */
static void test_sampler_order(void) {
    size_t n = 7;
    gr_mnist *m = small_set(n);
    if (!m) return;
    gr_sampler *s = NULL;
    gr_error err = {0};
    CHECK_OK(gr_data_mnist_sampler_alloc(&s, m, &err), &err);
    if (!s) {
        gr_mnist_free(m);
        return;
    }
    CHECK(gr_sampler_dim(s) == 784);
    CHECK_STR_CONTAINS(gr_sampler_name(s), "mnist");
    CHECK(gr_sampler_modes(s) == NULL);
    gr_density dens;
    CHECK_STATUS(gr_sampler_density(s, &dens, &err), GR_EINVAL);
    static double lo[784], hi[784];
    CHECK_OK(gr_sampler_box(s, lo, hi, &err), &err);
    CHECK(lo[0] == 0.0 && hi[783] == 1.0);
    CHECK(gr_sampler_state_size(s) == 40 + 4 * n);

    gsl_rng *r = NULL, *twin = NULL;
    CHECK_OK(gr_rng_alloc(&r, 42, GR_STREAM_DATA, NULL), NULL);
    CHECK_OK(gr_rng_alloc(&twin, 42, GR_STREAM_DATA, NULL), NULL);
    /* 3 epochs in batches of 3 (batches straddle epochs): 21 rows */
    static double x[21 * 784];
    for (int b = 0; b < 7; b++)
        CHECK_OK(gr_sampler_sample(s, r, 3, x + (size_t)b * 3 * 784, &err), &err);
    int ok = 1;
    for (int e = 0; e < 3; e++) {
        uint32_t perm[7];
        for (uint32_t i = 0; i < 7; i++)
            perm[i] = i;
        gsl_ran_shuffle(twin, perm, 7, sizeof(uint32_t));
        for (size_t i = 0; i < 7; i++) {
            const double *row = x + ((size_t)e * 7 + i) * 784;
            for (size_t j = 0; j < 784; j++)
                ok &= row[j] == (double)m->x[perm[i] * 784 + j];
        }
    }
    CHECK(ok);
    /* the rng was used only by the three shuffles */
    CHECK(gsl_rng_get(r) == gsl_rng_get(twin));
    /* sample_f gives back set->x's floats exactly */
    static float xf[2 * 784];
    static double scratch[2 * 784];
    CHECK_OK(gr_sampler_sample_f(s, r, 2, xf, scratch, &err), &err);
    int exact = 1;
    for (size_t k = 0; k < 2; k++) {
        size_t rr = fx_row(xf + k * 784, 0);
        exact &= rr < n && memcmp(xf + k * 784, m->x + rr * 784, 784 * sizeof(float)) == 0;
    }
    CHECK(exact);
    gr_rng_free(r);
    gr_rng_free(twin);
    gr_sampler_free(s);
    gr_mnist_free(m);
}

/* Save mid-epoch, draw on; a fresh sampler loaded with the state (and the rng restored) draws the
 * same rows. Loading refuses another set's state and damaged ones. */
static void test_sampler_state(void) {
    size_t n = 11;
    gr_mnist *m = small_set(n);
    if (!m) return;
    gr_sampler *s = NULL, *s2 = NULL;
    gr_error err = {0};
    CHECK_OK(gr_data_mnist_sampler_alloc(&s, m, &err), &err);
    CHECK_OK(gr_data_mnist_sampler_alloc(&s2, m, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_DATA, NULL), NULL);
    if (!s || !s2 || !r) return;
    static double x[40 * 784], y[40 * 784];
    CHECK_OK(gr_sampler_sample(s, r, 15, x, &err), &err); /* epoch 2, cursor 4 */
    size_t sz = gr_sampler_state_size(s);
    unsigned char *st = malloc(sz), *bad = malloc(sz);
    size_t rsz = gr_rng_state_size(r);
    unsigned char *rst = malloc(rsz);
    CHECK(st && bad && rst);
    if (!st || !bad || !rst) return;
    CHECK_OK(gr_sampler_state_save(s, st, sz, &err), &err);
    CHECK_OK(gr_rng_state_save(r, rst, rsz, &err), &err);
    CHECK_OK(gr_sampler_sample(s, r, 30, x, &err), &err); /* crosses two more epochs */
    CHECK_OK(gr_sampler_state_load(s2, st, sz, &err), &err);
    CHECK_OK(gr_rng_state_load(r, rst, rsz, &err), &err);
    CHECK_OK(gr_sampler_sample(s2, r, 30, y, &err), &err);
    CHECK(memcmp(x, y, 30 * 784 * sizeof(double)) == 0);
    /* state of the freshly allocated sampler (no epoch yet) loads too */
    gr_sampler *s3 = NULL;
    CHECK_OK(gr_data_mnist_sampler_alloc(&s3, m, &err), &err);
    unsigned char *fresh = malloc(sz);
    if (s3 && fresh) {
        CHECK_OK(gr_sampler_state_save(s3, fresh, sz, &err), &err);
        CHECK_OK(gr_sampler_state_load(s2, fresh, sz, &err), &err);
    }
    free(fresh);
    gr_sampler_free(s3);

    /* wrong size (the gr_sampler layer), bad tag, damaged order, cursor beyond n */
    CHECK_STATUS(gr_sampler_state_load(s2, st, sz - 1, &err), GR_EFORMAT);
    memcpy(bad, st, sz);
    bad[0] ^= 1;
    CHECK_STATUS(gr_sampler_state_load(s2, bad, sz, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "bad tag");
    memcpy(bad, st, sz);
    memcpy(bad + 40, bad + 44, 4); /* entry 0 = entry 1: not a permutation */
    CHECK_STATUS(gr_sampler_state_load(s2, bad, sz, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "not a permutation of 0..10");
    memcpy(bad, st, sz);
    bad[32] = 12; /* cursor 12 > n = 11 */
    CHECK_STATUS(gr_sampler_state_load(s2, bad, sz, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "cursor 12 in epoch 2, expected <= 11");
    /* a failed load leaves the sampler as it was: it still continues like s */
    CHECK_OK(gr_sampler_state_load(s2, st, sz, &err), &err);
    CHECK_STATUS(gr_sampler_state_load(s2, bad, sz, &err), GR_EFORMAT);
    CHECK_OK(gr_rng_state_load(r, rst, rsz, &err), &err);
    CHECK_OK(gr_sampler_sample(s2, r, 30, y, &err), &err);
    CHECK(memcmp(x, y, 30 * 784 * sizeof(double)) == 0);

    /* another set of the same size (other rows): EMISMATCH */
    CHECK(write_pair(P("o-img"), P2("o-lab"), 20, 0));
    gr_mnist *other = NULL;
    CHECK_OK(gr_mnist_load_files(&other, P("o-img"), P2("o-lab"), 9, 11, GR_MNIST_UNIT, &err),
             &err);
    gr_sampler *so = NULL;
    if (other) CHECK_OK(gr_data_mnist_sampler_take(&so, other, &err), &err); /* owns other */
    if (so) {
        CHECK_STATUS(gr_sampler_state_load(so, st, sz, &err), GR_EMISMATCH);
        CHECK_STR_CONTAINS(err.msg, "saved for another data set");
    }
    gr_sampler_free(so);
    free(st);
    free(bad);
    free(rst);
    gr_rng_free(r);
    gr_sampler_free(s);
    gr_sampler_free(s2);
    gr_mnist_free(m);
}

static void test_sampler_errors(void) {
    gr_sampler *s = (gr_sampler *)1;
    gr_error err = {0};
    CHECK_STATUS(gr_data_mnist_sampler_alloc(&s, NULL, &err), GR_EINVAL);
    CHECK(s == NULL);
    gr_mnist empty = {0};
    CHECK_STATUS(gr_data_mnist_sampler_alloc(&s, &empty, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "empty");
    /* take frees the set also when it fails (ASan's leak check sees the rest) */
    gr_mnist *m = small_set(3);
    if (m) {
        m->d = 5; /* malformed */
        CHECK_STATUS(gr_data_mnist_sampler_take(&s, m, &err), GR_EINVAL);
        CHECK(s == NULL);
    }
    /* a symmetric set's box is [-1, 1] */
    gr_mnist *sym = NULL;
    CHECK_OK(gr_mnist_load_files(&sym, P("s-img"), P2("s-lab"), 0, 2, GR_MNIST_SYMMETRIC, &err),
             &err);
    if (sym && gr_data_mnist_sampler_take(&s, sym, &err) == GR_OK) {
        static double lo[784], hi[784];
        CHECK_OK(gr_sampler_box(s, lo, hi, &err), &err);
        CHECK(lo[100] == -1.0 && hi[100] == 1.0);
        gr_sampler_free(s);
    }
}

int main(void) {
    if (gr_test_tmpdir(dir, sizeof dir, "gr_mnist_") != 0) return 1;
    RUN(test_load_files_and_scales);
    RUN(test_pair_refusals);
    RUN(test_splits);
    RUN(test_subset);
    RUN(test_sampler_order);
    RUN(test_sampler_state);
    RUN(test_sampler_errors);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
