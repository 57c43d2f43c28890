/* data/mnist.c — MNIST splits, scaling, subsets and the epoch-order sampler (data/mnist.h). */
#include "data/mnist.h"

#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/idx.h"

/* ---- sets ----------------------------------------------------------------------------------- */

void gr_mnist_free(gr_mnist *m) {
    if (!m) return;
    gr_free(m->x);
    free(m->y);
    free(m->row);
    free(m);
}

/* An empty set of n items with its arrays. */
static gr_mnist *mnist_new(size_t n) {
    gr_mnist *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    size_t nx;
    if (gr_size_mul(n, (size_t)GR_MNIST_D * sizeof(float), &nx)) {
        free(m);
        return NULL;
    }
    m->n = n;
    m->d = GR_MNIST_D;
    m->x = gr_alloc_zeroed(nx);
    m->y = malloc(n ? n : 1);
    m->row = n <= SIZE_MAX / sizeof(size_t) ? malloc((n ? n : 1) * sizeof(size_t)) : NULL;
    if (!m->x || !m->y || !m->row) {
        gr_mnist_free(m);
        return NULL;
    }
    return m;
}

static void mnist_pixel_table(gr_mnist_scale scale, float table[256]) {
    for (int p = 0; p < 256; p++)
        table[p] = scale == GR_MNIST_UNIT ? (float)(p / 255.0) : (float)(2.0 * p / 255.0 - 1.0);
}

static int mnist_is_official(const char *img, const char *lab) {
    return (!strcmp(img, GR_MNIST_MD5_TRAIN_IMAGES) && !strcmp(lab, GR_MNIST_MD5_TRAIN_LABELS)) ||
           (!strcmp(img, GR_MNIST_MD5_TEST_IMAGES) && !strcmp(lab, GR_MNIST_MD5_TEST_LABELS));
}

/* Read and check a pair; *images and *labels on success (caller frees). */
static int mnist_read_pair(gr_idx **images, gr_idx **labels, const char *images_path,
                           const char *labels_path, size_t max_items, gr_error *err) {
    *images = *labels = NULL;
    size_t max_px = 0;
    if (max_items) gr_size_mul(max_items, GR_MNIST_D, &max_px);
    GR_TRY(gr_idx_read(images, images_path, max_px, err));
    gr_idx *im = *images;
    int st = GR_OK;
    if (im->type != GR_IDX_U8 || im->ndims != 3 || im->dims[1] != GR_MNIST_SIDE ||
        im->dims[2] != GR_MNIST_SIDE) {
        char shape[96] = "";
        size_t off = 0;
        for (size_t i = 0; i < im->ndims && off < sizeof shape; i++) {
            int w = snprintf(shape + off, sizeof shape - off, i ? " x %zu" : "%zu", im->dims[i]);
            if (w < 0) break;
            off += (size_t)w;
        }
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s: not MNIST images: %s elements of shape %s, expected u8 of shape N x 28 "
                      "x 28 (magic 0x00000803)",
                      images_path, gr_idx_type_name(im->type), shape);
    }
    if (st == GR_OK) st = gr_idx_read(labels, labels_path, max_items, err);
    gr_idx *lb = *labels;
    if (st == GR_OK && (lb->type != GR_IDX_U8 || lb->ndims != 1))
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s: not MNIST labels: %s elements in %zu dimensions, expected u8 in 1 "
                      "dimension (magic 0x00000801)",
                      labels_path, gr_idx_type_name(lb->type), lb->ndims);
    if (st == GR_OK && lb->dims[0] != im->dims[0])
        st = GR_ERROR(err, GR_EMISMATCH,
                      "%s holds %zu labels but %s holds %zu images: the files do not pair",
                      labels_path, lb->dims[0], images_path, im->dims[0]);
    if (st == GR_OK) {
        const uint8_t *y = lb->data;
        for (size_t i = 0; i < lb->count; i++)
            if (y[i] >= GR_MNIST_CLASSES) {
                st = GR_ERROR(err, GR_EFORMAT, "%s: label %zu is %u, expected 0 to 9", labels_path,
                              i, (unsigned)y[i]);
                break;
            }
    }
    if (st != GR_OK) {
        gr_idx_free(*images);
        gr_idx_free(*labels);
        *images = *labels = NULL;
    }
    return st;
}

/* The file name after the last '/': the source line names files by content (MD5), not by
 * where they happen to be, so it is the same on every machine. */
static const char *base_name(const char *path) {
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int mnist_from_pair(gr_mnist **out, const gr_idx *im, const gr_idx *lb,
                           const char *images_path, const char *labels_path, size_t first,
                           size_t count, gr_mnist_scale scale, const char *what, gr_error *err) {
    size_t n_file = im->dims[0];
    if (first >= n_file)
        return GR_ERROR(err, GR_EINVAL, "%s: row %zu requested, the file holds %zu images",
                        images_path, first, n_file);
    if (count == GR_MNIST_REST) count = n_file - first;
    if (count == 0 || count > n_file - first)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: rows %zu .. %zu + %zu requested, the file holds %zu images",
                        images_path, first, first, count, n_file);
    gr_mnist *m = mnist_new(count);
    if (!m) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory for %zu images", images_path, count);
    float table[256];
    mnist_pixel_table(scale, table);
    const uint8_t *px = im->data;
    const uint8_t *y = lb->data;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *src = px + (first + i) * GR_MNIST_D;
        float *dst = m->x + i * GR_MNIST_D;
        for (size_t j = 0; j < GR_MNIST_D; j++)
            dst[j] = table[src[j]];
        m->y[i] = y[first + i];
        m->row[i] = first + i;
    }
    m->scale = scale;
    gr_md5_hex(im->md5, m->images_md5);
    gr_md5_hex(lb->md5, m->labels_md5);
    m->official = mnist_is_official(m->images_md5, m->labels_md5);
    snprintf(m->source, sizeof m->source,
             "mnist %s: rows %zu..%zu of %zu; images %s md5 %s, labels %s md5 %s (%s); pixels %s",
             what, first, first + count - 1, n_file, base_name(images_path), m->images_md5,
             base_name(labels_path), m->labels_md5,
             m->official ? "the official files" : "NOT the official MNIST files",
             scale == GR_MNIST_UNIT ? "p/255" : "2p/255-1");
    *out = m;
    return GR_OK;
}

int gr_mnist_load_files(gr_mnist **out, const char *images_path, const char *labels_path,
                        size_t first, size_t count, gr_mnist_scale scale, gr_error *err) {
    if (out) *out = NULL;
    if (!out || !images_path || !labels_path)
        return GR_ERROR(err, GR_EINVAL, "gr_mnist_load_files: NULL argument");
    if (scale != GR_MNIST_UNIT && scale != GR_MNIST_SYMMETRIC)
        return GR_ERROR(err, GR_EINVAL, "gr_mnist_load_files: unknown pixel scale %d", (int)scale);
    gr_idx *im, *lb;
    GR_TRY(mnist_read_pair(&im, &lb, images_path, labels_path, 0, err));
    int st =
        mnist_from_pair(out, im, lb, images_path, labels_path, first, count, scale, "files", err);
    gr_idx_free(im);
    gr_idx_free(lb);
    return st;
}

/* dir/name, or dir/name.gz, into path; GR_EIO naming both when neither exists. */
static int mnist_find(const char *dir, const char *name, char *path, size_t cap, gr_error *err) {
    struct stat sb;
    int w = snprintf(path, cap, "%s/%s", dir, name);
    if (w < 0 || (size_t)w + 3 >= cap)
        return GR_ERROR(err, GR_EINVAL, "%s: directory name too long", dir);
    if (stat(path, &sb) == 0) return GR_OK;
    strcat(path, ".gz");
    if (stat(path, &sb) == 0) return GR_OK;
    return GR_ERROR(err, GR_EIO,
                    "%s/%s: not found (nor %s.gz): run datasets/mnist/fetch (make mnist), or put "
                    "the official %s.gz there",
                    dir, name, name, name);
}

int gr_mnist_load(gr_mnist **out, const char *dir, gr_mnist_split split, gr_mnist_scale scale,
                  gr_error *err) {
    if (out) *out = NULL;
    if (!out || !dir) return GR_ERROR(err, GR_EINVAL, "gr_mnist_load: NULL argument");
    if (scale != GR_MNIST_UNIT && scale != GR_MNIST_SYMMETRIC)
        return GR_ERROR(err, GR_EINVAL, "gr_mnist_load: unknown pixel scale %d", (int)scale);
    const char *img_name, *lab_name, *what;
    size_t n_expect, first, count;
    switch (split) {
    case GR_MNIST_TRAIN:
        what = "train";
        first = 0;
        count = GR_MNIST_N_TRAIN_FILE - GR_MNIST_N_VALID;
        break;
    case GR_MNIST_VALID:
        what = "valid";
        first = GR_MNIST_N_TRAIN_FILE - GR_MNIST_N_VALID;
        count = GR_MNIST_N_VALID;
        break;
    case GR_MNIST_TRAIN_ALL:
        what = "train_all";
        first = 0;
        count = GR_MNIST_N_TRAIN_FILE;
        break;
    case GR_MNIST_TEST:
        what = "test";
        first = 0;
        count = GR_MNIST_N_TEST_FILE;
        break;
    default: return GR_ERROR(err, GR_EINVAL, "gr_mnist_load: unknown split %d", (int)split);
    }
    if (split == GR_MNIST_TEST) {
        img_name = "t10k-images-idx3-ubyte";
        lab_name = "t10k-labels-idx1-ubyte";
        n_expect = GR_MNIST_N_TEST_FILE;
    } else {
        img_name = "train-images-idx3-ubyte";
        lab_name = "train-labels-idx1-ubyte";
        n_expect = GR_MNIST_N_TRAIN_FILE;
    }
    char img_path[4096], lab_path[4096];
    GR_TRY(mnist_find(dir, img_name, img_path, sizeof img_path, err));
    GR_TRY(mnist_find(dir, lab_name, lab_path, sizeof lab_path, err));
    gr_idx *im, *lb;
    /* The official names: a header declaring more rows than the official file is refused before
     * its data is read. */
    GR_TRY(mnist_read_pair(&im, &lb, img_path, lab_path, n_expect, err));
    int st = GR_OK;
    if (im->dims[0] != n_expect)
        st = GR_ERROR(err, GR_EFORMAT, "%s: %zu images, expected %zu (the MNIST %s file)", img_path,
                      im->dims[0], n_expect, split == GR_MNIST_TEST ? "test" : "training");
    if (st == GR_OK)
        st = mnist_from_pair(out, im, lb, img_path, lab_path, first, count, scale, what, err);
    gr_idx_free(im);
    gr_idx_free(lb);
    return st;
}

void gr_mnist_class_counts(const gr_mnist *m, size_t counts[GR_MNIST_CLASSES]) {
    for (int c = 0; c < GR_MNIST_CLASSES; c++)
        counts[c] = 0;
    if (!m) return;
    for (size_t i = 0; i < m->n; i++)
        if (m->y[i] < GR_MNIST_CLASSES) counts[m->y[i]]++;
}

int gr_mnist_subset(gr_mnist **out, const gr_mnist *src, size_t n, uint64_t seed, gr_error *err) {
    if (out) *out = NULL;
    if (!out || !src) return GR_ERROR(err, GR_EINVAL, "gr_mnist_subset: NULL argument");
    if (n == 0 || n > src->n)
        return GR_ERROR(err, GR_EINVAL, "gr_mnist_subset: %zu items requested of a set of %zu", n,
                        src->n);
    size_t *all = malloc(src->n * sizeof(size_t)), *pick = malloc(n * sizeof(size_t));
    gr_mnist *m = mnist_new(n);
    if (!all || !pick || !m) {
        free(all);
        free(pick);
        gr_mnist_free(m);
        return GR_ERROR(err, GR_ENOMEM, "gr_mnist_subset: out of memory");
    }
    gsl_rng *rng = NULL;
    int st = gr_rng_alloc(&rng, seed, GR_STREAM_SUBSET, err);
    if (st != GR_OK) {
        free(all);
        free(pick);
        gr_mnist_free(m);
        return st;
    }
    for (size_t i = 0; i < src->n; i++)
        all[i] = i;
    /* n <= src->n was checked, so gsl_ran_choose never reaches GSL's error handler. */
    gsl_ran_choose(rng, pick, n, all, src->n, sizeof(size_t));
    gr_rng_free(rng);
    for (size_t i = 0; i < n; i++) {
        memcpy(m->x + i * GR_MNIST_D, src->x + pick[i] * GR_MNIST_D, GR_MNIST_D * sizeof(float));
        m->y[i] = src->y[pick[i]];
        m->row[i] = src->row[pick[i]];
    }
    free(all);
    free(pick);
    m->scale = src->scale;
    m->official = src->official;
    memcpy(m->images_md5, src->images_md5, sizeof m->images_md5);
    memcpy(m->labels_md5, src->labels_md5, sizeof m->labels_md5);
    snprintf(m->source, sizeof m->source, "%.900s; subset n=%zu of %zu seed=%llu stream=%d",
             src->source, n, src->n, (unsigned long long)seed, (int)GR_STREAM_SUBSET);
    *out = m;
    return GR_OK;
}

/* ---- the sampler ---------------------------------------------------------------------------- */

#define MNIST_STATE_TAG  "GRMNIST1"
#define MNIST_STATE_HEAD 40

typedef struct mnist_sampler {
    const gr_mnist *set;
    gr_mnist *owned; /* == set when the sampler owns it, else NULL */
    uint32_t *perm;  /* n */
    size_t cursor;   /* next position in perm; n = epoch exhausted */
    uint64_t epoch;  /* epochs started */
    uint64_t fingerprint;
} mnist_sampler;

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t fnv1a_u64(uint64_t h, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return fnv1a(h, b, 8);
}

static uint64_t mnist_fingerprint(const gr_mnist *m) {
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, m->images_md5, strlen(m->images_md5));
    h = fnv1a(h, m->labels_md5, strlen(m->labels_md5));
    h = fnv1a_u64(h, (uint64_t)m->scale);
    h = fnv1a_u64(h, (uint64_t)m->n);
    for (size_t i = 0; i < m->n; i++)
        h = fnv1a_u64(h, (uint64_t)m->row[i]);
    return h;
}

static void mnist_sampler_free(void *impl) {
    mnist_sampler *s = impl;
    if (!s) return;
    gr_mnist_free(s->owned);
    free(s->perm);
    free(s);
}

static int mnist_sampler_sample(void *impl, gsl_rng *rng, size_t k, double *x, gr_error *err) {
    (void)err;
    mnist_sampler *s = impl;
    const gr_mnist *m = s->set;
    size_t n = m->n;
    for (size_t i = 0; i < k; i++) {
        if (s->cursor == n) {
            for (size_t j = 0; j < n; j++)
                s->perm[j] = (uint32_t)j;
            gsl_ran_shuffle(rng, s->perm, n, sizeof(uint32_t));
            s->epoch++;
            s->cursor = 0;
        }
        const float *src = m->x + (size_t)s->perm[s->cursor++] * GR_MNIST_D;
        double *dst = x + i * GR_MNIST_D;
        for (size_t j = 0; j < GR_MNIST_D; j++)
            dst[j] = (double)src[j];
    }
    return GR_OK;
}

static size_t mnist_sampler_state_size(const void *impl) {
    const mnist_sampler *s = impl;
    return MNIST_STATE_HEAD + 4 * s->set->n;
}

static void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static int mnist_sampler_state_save(const void *impl, void *buf, size_t size, gr_error *err) {
    (void)size;
    (void)err;
    const mnist_sampler *s = impl;
    unsigned char *p = buf;
    memcpy(p, MNIST_STATE_TAG, 8);
    put_u64(p + 8, (uint64_t)s->set->n);
    put_u64(p + 16, s->fingerprint);
    put_u64(p + 24, s->epoch);
    put_u64(p + 32, (uint64_t)s->cursor);
    p += MNIST_STATE_HEAD;
    for (size_t i = 0; i < s->set->n; i++)
        for (int b = 0; b < 4; b++)
            p[4 * i + (size_t)b] = (unsigned char)(s->perm[i] >> (8 * b));
    return GR_OK;
}

static int mnist_sampler_state_load(void *impl, const void *buf, size_t size, gr_error *err) {
    (void)size;
    mnist_sampler *s = impl;
    const unsigned char *p = buf;
    size_t n = s->set->n;
    if (memcmp(p, MNIST_STATE_TAG, 8) != 0)
        return GR_ERROR(err, GR_EFORMAT, "mnist sampler state: bad tag, expected %s",
                        MNIST_STATE_TAG);
    uint64_t sn = get_u64(p + 8), fp = get_u64(p + 16), epoch = get_u64(p + 24),
             cursor = get_u64(p + 32);
    if (sn != (uint64_t)n || fp != s->fingerprint)
        return GR_ERROR(err, GR_EMISMATCH,
                        "mnist sampler state: saved for another data set (n = %llu, fingerprint "
                        "%016llx; this set: n = %zu, fingerprint %016llx)",
                        (unsigned long long)sn, (unsigned long long)fp, n,
                        (unsigned long long)s->fingerprint);
    if (cursor > (uint64_t)n || (epoch == 0 && cursor != (uint64_t)n))
        return GR_ERROR(err, GR_EFORMAT,
                        "mnist sampler state: cursor %llu in epoch %llu, expected <= %zu (and %zu "
                        "before the first epoch)",
                        (unsigned long long)cursor, (unsigned long long)epoch, n, n);
    unsigned char *seen = calloc(n, 1);
    if (!seen) return GR_ERROR(err, GR_ENOMEM, "mnist sampler state: out of memory");
    const unsigned char *q = p + MNIST_STATE_HEAD;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)q[4 * i] | (uint32_t)q[4 * i + 1] << 8 |
                     (uint32_t)q[4 * i + 2] << 16 | (uint32_t)q[4 * i + 3] << 24;
        if (v >= n || seen[v]) {
            free(seen);
            return GR_ERROR(err, GR_EFORMAT,
                            "mnist sampler state: entry %zu of the order is %u, not a permutation "
                            "of 0..%zu",
                            i, (unsigned)v, n - 1);
        }
        seen[v] = 1;
    }
    free(seen);
    for (size_t i = 0; i < n; i++)
        s->perm[i] = (uint32_t)q[4 * i] | (uint32_t)q[4 * i + 1] << 8 |
                     (uint32_t)q[4 * i + 2] << 16 | (uint32_t)q[4 * i + 3] << 24;
    s->epoch = epoch;
    s->cursor = (size_t)cursor;
    return GR_OK;
}

static const gr_sampler_ops mnist_sampler_ops = {
    .sample = mnist_sampler_sample,
    .modes = NULL,
    .density = NULL,
    .state_size = mnist_sampler_state_size,
    .state_save = mnist_sampler_state_save,
    .state_load = mnist_sampler_state_load,
    .free = mnist_sampler_free,
};

static int mnist_sampler_make(gr_sampler **out, const gr_mnist *set, gr_mnist *owned,
                              gr_error *err) {
    if (out) *out = NULL;
    int st = GR_OK;
    if (!out || !set)
        st = GR_ERROR(err, GR_EINVAL, "gr_data_mnist_sampler_alloc: NULL argument");
    else if (set->n == 0 || set->d != GR_MNIST_D || !set->x)
        st = GR_ERROR(err, GR_EINVAL, "gr_data_mnist_sampler_alloc: empty or malformed set");
    else if ((uint64_t)set->n >= ((uint64_t)1 << 32))
        st = GR_ERROR(err, GR_EINVAL, "gr_data_mnist_sampler_alloc: %zu items, at most 2^32 - 1",
                      set->n);
    mnist_sampler *s = NULL;
    if (st == GR_OK) {
        s = calloc(1, sizeof *s);
        if (s) s->perm = malloc(set->n * sizeof(uint32_t));
        if (!s || !s->perm) {
            free(s ? s->perm : NULL);
            free(s);
            s = NULL;
            st = GR_ERROR(err, GR_ENOMEM, "gr_data_mnist_sampler_alloc: out of memory");
        }
    }
    if (st != GR_OK) {
        gr_mnist_free(owned);
        return st;
    }
    s->set = set;
    s->owned = owned;
    for (size_t i = 0; i < set->n; i++)
        s->perm[i] = (uint32_t)i;
    s->cursor = set->n;
    s->epoch = 0;
    s->fingerprint = mnist_fingerprint(set);
    double lo[GR_MNIST_D], hi[GR_MNIST_D];
    for (size_t j = 0; j < GR_MNIST_D; j++) {
        lo[j] = set->scale == GR_MNIST_UNIT ? 0.0 : -1.0;
        hi[j] = 1.0;
    }
    /* gr_sampler_wrap frees s (and with it an owned set) when it fails. */
    return gr_sampler_wrap(out, s, &mnist_sampler_ops, GR_MNIST_D, "mnist", lo, hi, err);
}

int gr_data_mnist_sampler_alloc(gr_sampler **out, const gr_mnist *set, gr_error *err) {
    return mnist_sampler_make(out, set, NULL, err);
}

int gr_data_mnist_sampler_take(gr_sampler **out, gr_mnist *set, gr_error *err) {
    return mnist_sampler_make(out, set, set, err);
}
