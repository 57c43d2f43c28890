/* data/embed.h — a k-dimensional data set placed in R^D (CLAIMS C46; A&B's low-dimensional
 * supports made concrete): x = b + A u (linear, isometric) or x = b + A phi(u) (curved), u
 * from an inner sampler of dimension k, plus optional off-manifold noise N(0, tau^2 I_D).
 *
 * The matrix and offset are drawn once, at allocation, from the stream
 * (embed_seed, GR_STREAM_EMBED), in this order: a D x m Gaussian matrix G (row-major, D m
 * gsl_ran_gaussian_ziggurat), then the offset b (D more, so b ~ N(0, I_D): a generic offset,
 * not 0, so code that forgets b fails). A is the Q factor of G = QR (GSL
 * gsl_linalg_QR_decomp + gsl_linalg_QR_unpack), its columns' signs set so that diag(R) > 0:
 * the unique such factor, i.e. A = G R^-1 with orthonormal columns (Haar-distributed).
 * m = k for the linear embedding and k + 1 for the curved one.
 *
 * Linear ("embed:<inner>"): x = b + A u. Distances are preserved exactly (up to rounding:
 * |A^T A - I| ~ 1e-16), so W1, JS, KL between two embedded sets equal those of the inner
 * sets.
 * Curved ("curved:<inner>"): the first intrinsic coordinate is rolled onto a circle of radius
 * R (a cylinder), phi(u) = (R sin(u_1/R), R (1 - cos(u_1/R)), u_2, ..., u_k) in R^(k+1), then
 * x = b + A phi(u). phi is a local isometry (lengths along the manifold are preserved, the
 * manifold is flat), but Euclidean distances in R^D are NOT: two points at intrinsic
 * separation s along u_1 are 2 R sin(s/(2R)) apart; phi is injective only for |u_1| < pi R
 * (choose R with the inner data's |u_1| well below pi R; C37's toys have |u_1| < 2.3).
 *
 * Draw order of a call for n points: the n inner points in ONE call of gr_sampler_sample on
 * the same rng (the inner's own order; so the 25-Gaussian pool reads a whole batch, with its
 * epoch rule, exactly as it would alone, and draws nothing), then, when tau > 0, n x D
 * gsl_ran_gaussian_ziggurat, row-major (the off-manifold noise, added to every coordinate).
 * With tau > 0 the points therefore depend on the batching (as for any inner + noise); with
 * tau = 0 they do whenever the inner's do. Sampling allocates nothing: the inner points are
 * drawn into the tail of the caller's n x D buffer and mapped in place.
 * State (gr_sampler_state_*): the inner sampler's (e.g. the 25-Gaussian cursor).
 *
 * Ownership: the embedding TAKES the inner sampler: it is freed with the embedded sampler,
 * also when the allocation fails (as gr_sampler_wrap does with its impl). So one sampler
 * (and one cursor) is never read by two consumers; embed a fresh inner for each use.
 *
 * Modes (when the inner has modes): the embedded centres b + A mu_k (curved: b + A phi(mu_k)),
 * D-dimensional, with SD sqrt(sd_k^2 + tau^2) (the per-coordinate SD of the projection of a
 * point of mode k, linear case) and the inner weights. Mode counting must not use D-dim
 * distances when tau > 0 (the off-manifold noise adds ~ tau sqrt(D - k) to every distance):
 * eval should project generated points with gr_data_embed_project and count them against the
 * inner sampler's modes (gr_data_embed_inner) in k dimensions, and report the residual
 * beside. Density: none (singular for tau = 0; for tau > 0 it exists but is D-dimensional and
 * not provided). Box: when the inner has one, the bounding box of the image of the inner's
 * box (curved: of its cylinder piece) widened by 12 tau. Not thread-safe (a per-sampler
 * scratch row is used while drawing and projecting).
 */
#ifndef GR_DATA_EMBED_H
#define GR_DATA_EMBED_H

#include <stdint.h>

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linear isometric embedding of inner (taken, see above; k = its dimension) in R^D, k <= D.
 * Errors: GR_EINVAL (NULL out or inner, D < k), GR_EDOM (tau not finite and >= 0; a
 * singular Gaussian matrix, probability 0), GR_ENOMEM, GR_ELIB (the QR failed). */
int gr_data_embed_alloc(gr_sampler **out, gr_sampler *inner, size_t D, uint64_t embed_seed,
                        double tau, gr_error *err);

/* Curved embedding (cylinder of radius R > 0), k + 1 <= D. Errors as above, and GR_EDOM for
 * R not finite and > 0. */
int gr_data_embed_curved_alloc(gr_sampler **out, gr_sampler *inner, size_t D, uint64_t embed_seed,
                               double radius, double tau, gr_error *err);

/* Accessors (NULL / 0 for a sampler not made by this file). A is D x m row-major
 * (m = k linear, k + 1 curved; *m receives it when m is non-NULL); b has D values. */
const double *gr_data_embed_matrix(const gr_sampler *s, size_t *m);
const double *gr_data_embed_offset(const gr_sampler *s);
const gr_sampler *gr_data_embed_inner(const gr_sampler *s);

/* Intrinsic coordinates of n points x (n x D) into u (n x k):
 *   linear: u = A^T (x - b) (the orthogonal projection's coordinates);
 *   curved: y = A^T (x - b), u_1 = R atan2(y_1, R - y_2), u_j = y_(j+1) for j >= 2 (the
 *           exact inverse of phi on the manifold; off it, the angle around the cylinder's
 *           axis).
 * Errors: GR_EINVAL (NULL, not an embedded sampler, n == 0). */
int gr_data_embed_project(const gr_sampler *s, const double *x, size_t n, double *u, gr_error *err);

/* Off-manifold residual of n points x (n x D) into r (n):
 *   linear: r = |(I - A A^T)(x - b)| (the distance to the affine k-plane);
 *   curved: the distance to the whole embedded cylinder (circle of radius R x R^(k-1)),
 *           sqrt(|(I - A A^T)(x - b)|^2 + (|(y_1, y_2 - R)| - R)^2): the distance to the
 *           data's manifold wherever the nearest cylinder point lies on the data's piece.
 * Errors as gr_data_embed_project. */
int gr_data_embed_residual(const gr_sampler *s, const double *x, size_t n, double *r,
                           gr_error *err);

/* The linear embedding's arithmetic for one point, on a caller's A (D x k, row-major,
 * orthonormal columns) and b (D): u = A^T (x - b) into u (k values); returns the SQUARED
 * residual |(x - b) - A u|^2. Shared by the linear sampler above and eval/embed.h, so the
 * projection a metric uses is the one the data was made with. Cannot fail. */
double gr_data_embed_coords(const double *A, const double *b, size_t D, size_t k, const double *x,
                            double *u);

#ifdef __cplusplus
}
#endif

#endif
