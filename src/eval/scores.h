/* eval/scores.h — MNIST image scores from the project's classifier (issue 13 item 5,
 * CLAIMS.md's MNIST paragraph): class coverage, the classifier score, and the Frechet
 * distance in the classifier's penultimate-layer features; each is also computed on
 * held-out real images, the reference a generator's score is read against.
 *
 * On class-probability arrays (n rows of k >= 2 classes, row-major, double; each row is
 * divided by its sum, so rows need only be non-negative with a positive finite sum):
 *
 *   class coverage   the predicted class of row i is its argmax (the first on ties);
 *                    counts[c] = rows predicted c; classes_covered = #{c : counts[c] > 0};
 *                    kl_uniform = KL(q || uniform) = sum_c q_c log(k q_c), q = counts / n,
 *                    0 log 0 = 0: 0 when every class is predicted equally often, log k
 *                    when all rows are one class.
 *   classifier score exp(E_x KL(p(y|x) || p(y))), p(y) = (1/n) sum_i p(y|x_i) (Salimans et
 *                    al. 2016, Sec. 4, the Inception score, with the MNIST classifier in
 *                    place of Inception; one split, no averaging over splits). In [1, k]:
 *                    1 when every row is the same distribution, k when every row is one-hot
 *                    and the classes are balanced. Also reported as its log, the mean KL.
 *
 * On images (gr_image_eval): the classifier's probabilities and features of n images,
 * the two scores above, and the Frechet distance (eval/frechet.h) between the features of
 * the images and those of a fixed reference set of real images given once at allocation.
 * "Real-data reference": score a second set of held-out real images, disjoint from the
 * reference set and of the generator's sample size n, with the same call (the FD has an
 * O(d / n) bias, so compare at equal n).
 */
#ifndef GR_EVAL_SCORES_H
#define GR_EVAL_SCORES_H

#include <stddef.h>

#include "core/error.h"
#include "eval/classifier.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_EVAL_MAX_CLASSES 256

typedef struct gr_class_coverage {
    size_t n, k;
    size_t classes_covered;             /* 0..k */
    double kl_uniform;                  /* in [0, log k] */
    size_t counts[GR_EVAL_MAX_CLASSES]; /* counts[0..k) */
} gr_class_coverage;

/* Class coverage of n >= 1 rows of k classes (2 <= k <= GR_EVAL_MAX_CLASSES). GR_EINVAL
 * (NULL, sizes), GR_EDOM (a negative or non-finite entry or a row summing to 0, naming the
 * row). Allocates nothing. */
int gr_eval_class_coverage(gr_class_coverage *out, const double *probs, size_t n, size_t k,
                           gr_error *err);

/* Classifier score and its log (mean_kl, may be NULL) of n >= 1 rows; errors as
 * gr_eval_class_coverage. Two passes (the marginal, then the KLs), in double. */
int gr_eval_classifier_score(double *score, double *mean_kl, const double *probs, size_t n,
                             size_t k, gr_error *err);

/* ---- on images ------------------------------------------------------------------------ */

typedef struct gr_image_scores {
    size_t n;
    gr_class_coverage coverage;
    double classifier_score;
    double frechet; /* against the reference set of gr_image_eval_alloc */
} gr_image_scores;

typedef struct gr_image_eval gr_image_eval;

/* An evaluator for up to n_max images at a time, with the classifier c (trained; borrowed,
 * it must outlive the evaluator, and is used for its forward passes) and the reference
 * real images ref (n_ref >= 2 rows of c's in_dim), whose feature statistics are computed
 * here once (ref is not kept). Buffers: n_max x (k doubles + feature_dim floats), the
 * Frechet workspace for feature_dim. *out = NULL on error. */
int gr_image_eval_alloc(gr_image_eval **out, gr_classifier *c, const float *ref, size_t n_ref,
                        size_t n_max, gr_error *err);
void gr_image_eval_free(gr_image_eval *w); /* NULL is a no-op */

/* Scores of n images (2 <= n <= n_max rows of in_dim floats). Allocates nothing. */
int gr_image_eval_score(gr_image_eval *w, gr_image_scores *out, const float *images, size_t n,
                        gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
