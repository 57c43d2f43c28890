/* nn/loss.h — GAN and WGAN losses on discriminator logits / critic outputs: the value
 * (batch mean, accumulated in double) and its gradient with respect to each output, ready
 * to be fed as dy to gr_mlp_backward. Conventions of CLAIMS.md §0, all to be MINIMISED:
 *
 *   D(x) = sigmoid(l(x)),  log D = -softplus(-l),  log(1 - D) = -softplus(l)
 *   (softplus(u) = max(u,0) + log1p(exp(-|u|)), never overflows, never log(0): gr_softplus
 *   and gr_sigmoid of core/mathfn.h).
 *
 *   gr_loss_d_bce        D:  -(E_r log D + E_g log(1-D)) = mean softplus(-l_r) + mean softplus(l_g)
 *                            (= BCEWithLogits(l_r, 1) + BCEWithLogits(l_g, 0), Goodfellow et
 *                            al. 2014 Eq. 1 negated)
 *   gr_loss_g_minimax    G:  E log(1 - D(G(z))) = -mean softplus(l)      (GAN-MM, Eq. 1)
 *   gr_loss_g_nonsat     G:  -E log D(G(z))    =  mean softplus(-l)      (GAN-NS, §3)
 *   gr_loss_wgan_critic  f:  E_g f - E_r f  (so the W1 estimate is -loss; Arjovsky et al.
 *                            2017 Alg. 1, sign as minimised)
 *   gr_loss_wgan_gen     G:  -E f(G(z))
 *
 * Gradient outputs are WRITTEN (not added), one per input element, already divided by the
 * batch size; any of them may be NULL. Inputs must be finite (GR_EDOM otherwise, naming the
 * index), counts >= 1 (GR_EINVAL). The gr_lossd_* twins do the same in double.
 *
 * Classification (the MNIST classifier of eval/classifier.h):
 *   gr_loss_softmax_ce   mean over the n rows of the n x k logits l (row-major) of
 *                            logsumexp(l_i) - l_i[y_i]      (= torch's CrossEntropyLoss,
 *                                                             reduction "mean")
 *                        gradient (softmax(l_i) - onehot(y_i)) / n, written n x k;
 *                        labels y_i < k <= 256 (uint8, GR_EINVAL naming the row otherwise).
 *                        logsumexp is taken after subtracting the row's maximum, in double.
 */
#ifndef GR_NN_LOSS_H
#define GR_NN_LOSS_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

int gr_loss_d_bce(double *loss, float *g_real, float *g_fake, const float *l_real, size_t n_real,
                  const float *l_fake, size_t n_fake, gr_error *err);
int gr_loss_g_minimax(double *loss, float *g, const float *l, size_t n, gr_error *err);
int gr_loss_g_nonsat(double *loss, float *g, const float *l, size_t n, gr_error *err);
int gr_loss_wgan_critic(double *loss, float *g_real, float *g_fake, const float *f_real,
                        size_t n_real, const float *f_fake, size_t n_fake, gr_error *err);
int gr_loss_wgan_gen(double *loss, float *g, const float *f, size_t n, gr_error *err);
int gr_loss_softmax_ce(double *loss, float *g, const float *logits, const unsigned char *labels,
                       size_t n, size_t k, gr_error *err);

int gr_lossd_d_bce(double *loss, double *g_real, double *g_fake, const double *l_real,
                   size_t n_real, const double *l_fake, size_t n_fake, gr_error *err);
int gr_lossd_g_minimax(double *loss, double *g, const double *l, size_t n, gr_error *err);
int gr_lossd_g_nonsat(double *loss, double *g, const double *l, size_t n, gr_error *err);
int gr_lossd_wgan_critic(double *loss, double *g_real, double *g_fake, const double *f_real,
                         size_t n_real, const double *f_fake, size_t n_fake, gr_error *err);
int gr_lossd_wgan_gen(double *loss, double *g, const double *f, size_t n, gr_error *err);
int gr_lossd_softmax_ce(double *loss, double *g, const double *logits, const unsigned char *labels,
                        size_t n, size_t k, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
