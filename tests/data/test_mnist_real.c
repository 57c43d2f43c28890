/* tests/data/test_mnist_real.c — the real MNIST files, when datasets/mnist holds them (make
 * mnist): 60 000 + 10 000 images, the official MD5s, the published class counts, the first
 * labels, the pixel mean and SD every PyTorch MNIST example normalises with, the splits against
 * each other, and the same bytes read back through gzip.
 *
 * Where: $GR_MNIST_DIR if set, else $GR_SOURCE_DIR/datasets/mnist (ctest sets GR_SOURCE_DIR).
 * When none of the four files is there the test prints why and exits 77, which CMake declares
 * as this test's SKIP_RETURN_CODE: ctest lists it as skipped ("Not Run"), never as passed. */
#include <stdint.h>
#include <time.h>
#include <zlib.h>

#include "data/mnist.h"
#include "idx_fixture.h"
#include "test.h"

#define SKIP_CODE 77

static char mdir[1024];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int exists(const char *name) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", mdir, name);
    if (access(p, F_OK) == 0) return 1;
    snprintf(p, sizeof p, "%s/%s.gz", mdir, name);
    return access(p, F_OK) == 0;
}

/* Class counts of the official files (as published with the data set, e.g. in TensorFlow's and
 * torchvision's documentation). */
static const size_t train_counts[10] = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
static const size_t test_counts[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

static gr_mnist *load(gr_mnist_split split, gr_mnist_scale scale, const char *what) {
    gr_mnist *m = NULL;
    gr_error err = {0};
    double t0 = now();
    CHECK_OK(gr_mnist_load(&m, mdir, split, scale, &err), &err);
    printf("load %-9s %5zu images in %.3f s\n", what, m ? m->n : 0, now() - t0);
    return m;
}

static void test_train_and_test(void) {
    gr_mnist *all = load(GR_MNIST_TRAIN_ALL, GR_MNIST_UNIT, "train_all");
    gr_mnist *te = load(GR_MNIST_TEST, GR_MNIST_UNIT, "test");
    gr_mnist *tr = load(GR_MNIST_TRAIN, GR_MNIST_UNIT, "train");
    gr_mnist *va = load(GR_MNIST_VALID, GR_MNIST_SYMMETRIC, "valid");
    if (!all || !te || !tr || !va) goto done;
    CHECK(all->n == 60000 && te->n == 10000 && tr->n == 50000 && va->n == 10000);
    CHECK(all->official == 1 && te->official == 1 && tr->official == 1 && va->official == 1);
    CHECK_STR_CONTAINS(all->images_md5, GR_MNIST_MD5_TRAIN_IMAGES);
    CHECK_STR_CONTAINS(te->labels_md5, GR_MNIST_MD5_TEST_LABELS);
    CHECK_STR_CONTAINS(all->source, "the official files");
    printf("source: %s\n", tr->source);
    size_t c_all[10], c_te[10], c_tr[10], c_va[10];
    gr_mnist_class_counts(all, c_all);
    gr_mnist_class_counts(te, c_te);
    gr_mnist_class_counts(tr, c_tr);
    gr_mnist_class_counts(va, c_va);
    int same_train = 1, same_test = 1, split_sum = 1;
    for (int c = 0; c < 10; c++) {
        same_train &= c_all[c] == train_counts[c];
        same_test &= c_te[c] == test_counts[c];
        split_sum &= c_tr[c] + c_va[c] == c_all[c];
    }
    CHECK(same_train);
    CHECK(same_test);
    CHECK(split_sum);
    /* the first labels of each file (LeCun's files: 5 0 4 1 9 ..., 7 2 1 0 4 ...) */
    const uint8_t first_train[10] = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
    const uint8_t first_test[10] = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};
    CHECK(memcmp(all->y, first_train, 10) == 0);
    CHECK(memcmp(te->y, first_test, 10) == 0);
    /* The pixel mean and SD of the 60 000 training images in [0, 1]: 0.1307 and 0.3081, the
     * constants of torchvision's MNIST examples (transforms.Normalize((0.1307,), (0.3081,))). */
    double s = 0, s2 = 0, lo = 1, hi = 0;
    size_t nx = all->n * all->d;
    for (size_t i = 0; i < nx; i++) {
        double v = all->x[i];
        s += v;
        s2 += v * v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    double mean = s / (double)nx, sd = sqrt(s2 / (double)nx - mean * mean);
    printf("train pixels: mean %.6f, sd %.6f, range [%g, %g]\n", mean, sd, lo, hi);
    CHECK_CLOSE(mean, 0.1307, 0, 5e-5);
    CHECK_CLOSE(sd, 0.3081, 0, 5e-5);
    CHECK(lo == 0.0 && hi == 1.0);
    /* the splits are the documented rows: train = rows 0..49 999, valid = 50 000..59 999 */
    CHECK(memcmp(tr->x, all->x, 50000 * 784 * sizeof(float)) == 0);
    CHECK(memcmp(tr->y, all->y, 50000) == 0 && memcmp(va->y, all->y + 50000, 10000) == 0);
    int sym = 1;
    for (size_t i = 0; i < 10000 * 784; i++)
        sym &= fabsf(va->x[i] - (2.0f * all->x[50000 * 784 + i] - 1.0f)) <= 1.2e-7f;
    CHECK(sym);
    CHECK(va->row[0] == 50000 && va->row[9999] == 59999);
    /* a 1000-digit subset (C38) */
    gr_mnist *sub = NULL;
    double t0 = now();
    CHECK_OK(gr_mnist_subset(&sub, tr, 1000, 1, NULL), NULL);
    printf("subset of 1000 in %.3f s\n", now() - t0);
    if (sub) CHECK(sub->n == 1000 && sub->official == 1);
    gr_mnist_free(sub);
done:
    gr_mnist_free(all);
    gr_mnist_free(te);
    gr_mnist_free(tr);
    gr_mnist_free(va);
}

/* The test pair gzipped (zlib level 6, as the official .gz downloads) reads to the same set. */
static void test_gzip_copy(void) {
    char tmp[512], src[1200], dst[1200];
    if (gr_test_tmpdir(tmp, sizeof tmp, "gr_mnist_gz_") != 0) {
        CHECK(0);
        return;
    }
    const char *names[2] = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    double t0 = now();
    for (int k = 0; k < 2; k++) {
        snprintf(src, sizeof src, "%s/%s", mdir, names[k]);
        snprintf(dst, sizeof dst, "%s/%s.gz", tmp, names[k]);
        size_t len = 0;
        unsigned char *b = gr_test_read_file(src, &len);
        if (!b) { /* only NAME.gz here: test_train_and_test has read them through gzip already */
            printf("gzip copy: no plain %s (the .gz files were read above)\n", src);
            gr_test_tmpdir_remove(tmp);
            return;
        }
        gzFile f = gzopen(dst, "wb6");
        CHECK(f != NULL && gzwrite(f, b, (unsigned)len) == (int)len);
        if (f) CHECK(gzclose(f) == Z_OK);
        free(b);
    }
    printf("gzip the test pair: %.3f s\n", now() - t0);
    gr_mnist *plain = NULL, *gz = NULL;
    gr_error err = {0};
    CHECK_OK(gr_mnist_load(&plain, mdir, GR_MNIST_TEST, GR_MNIST_UNIT, &err), &err);
    t0 = now();
    CHECK_OK(gr_mnist_load(&gz, tmp, GR_MNIST_TEST, GR_MNIST_UNIT, &err), &err);
    printf("load test from .gz: %.3f s\n", now() - t0);
    if (plain && gz) {
        CHECK(gz->official == 1 && !strcmp(gz->images_md5, plain->images_md5));
        CHECK(memcmp(gz->x, plain->x, 10000 * 784 * sizeof(float)) == 0);
        CHECK(memcmp(gz->y, plain->y, 10000) == 0);
        CHECK_STR_CONTAINS(gz->source, "t10k-images-idx3-ubyte.gz");
    }
    gr_mnist_free(plain);
    gr_mnist_free(gz);
    gr_test_tmpdir_remove(tmp);
}

int main(void) {
    const char *d = getenv("GR_MNIST_DIR");
    const char *srcdir = getenv("GR_SOURCE_DIR");
    if (d && d[0])
        snprintf(mdir, sizeof mdir, "%s", d);
    else if (srcdir && srcdir[0])
        snprintf(mdir, sizeof mdir, "%s/datasets/mnist", srcdir);
    else {
        fprintf(stderr, "FAIL: neither GR_MNIST_DIR nor GR_SOURCE_DIR is set (ctest sets the "
                        "second): cannot find the MNIST files\n");
        return 1;
    }
    if (!exists("train-images-idx3-ubyte") && !exists("train-labels-idx1-ubyte") &&
        !exists("t10k-images-idx3-ubyte") && !exists("t10k-labels-idx1-ubyte")) {
        printf("SKIP: no MNIST files in %s (run `make mnist` to fetch them); this test did not "
               "run\n",
               mdir);
        return SKIP_CODE;
    }
    printf("MNIST files in %s\n", mdir);
    RUN(test_train_and_test);
    RUN(test_gzip_copy);
    return TEST_MAIN_END();
}
