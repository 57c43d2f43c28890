/* nn/loss.c — GAN / WGAN losses on logits and critic outputs (see loss.h for the formulas
 * and their sources). Values accumulate in double; both precisions come from one macro
 * body so the float and double versions cannot drift apart.
 *
 * Derivatives used (per element, before the 1/n of the mean):
 *   d/dl softplus(l)  =  sigmoid(l)          d/dl softplus(-l) = -sigmoid(-l)
 */
#include "nn/loss.h"

#include <math.h>

#include "core/mathfn.h"

static int check_input(const char *fn, const char *what, size_t n, int has_data, gr_error *err) {
    if (n == 0) return GR_ERROR(err, GR_EINVAL, "%s: %s count is 0", fn, what);
    if (!has_data) return GR_ERROR(err, GR_EINVAL, "%s: %s is NULL", fn, what);
    return GR_OK;
}

/* sum over x of F(x), gradient G(x)/n written to g; sign folded into F and G. Non-finite
 * inputs are a caller's bug made visible, not a number. */
#define REDUCE(T, FN, NAME, x, n, g, F, G, OUT)                                                    \
    do {                                                                                           \
        GR_TRY(check_input(FN, NAME, n, (x) != NULL, err));                                        \
        double s_ = 0.0, inv_ = 1.0 / (double)(n);                                                 \
        for (size_t i_ = 0; i_ < (n); i_++) {                                                      \
            double u_ = (double)(x)[i_];                                                           \
            if (!isfinite(u_))                                                                     \
                return GR_ERROR(err, GR_EDOM, "%s: %s[%zu] = %g is not finite", FN, NAME, i_, u_); \
            s_ += (F);                                                                             \
            if (g) (g)[i_] = (T)((G)*inv_);                                                        \
        }                                                                                          \
        OUT = s_ * inv_;                                                                           \
    } while (0)

#define DEFINE_LOSSES(T, PFX)                                                                      \
    int PFX##_d_bce(double *loss, T *g_real, T *g_fake, const T *l_real, size_t n_real,            \
                    const T *l_fake, size_t n_fake, gr_error *err) {                               \
        double a, b;                                                                               \
        REDUCE(T, #PFX "_d_bce", "real logits", l_real, n_real, g_real, gr_softplus(-u_),          \
               -gr_sigmoid(-u_), a);                                                               \
        REDUCE(T, #PFX "_d_bce", "fake logits", l_fake, n_fake, g_fake, gr_softplus(u_),           \
               gr_sigmoid(u_), b);                                                                 \
        if (loss) *loss = a + b;                                                                   \
        return GR_OK;                                                                              \
    }                                                                                              \
    int PFX##_g_minimax(double *loss, T *g, const T *l, size_t n, gr_error *err) {                 \
        double a;                                                                                  \
        REDUCE(T, #PFX "_g_minimax", "logits", l, n, g, -gr_softplus(u_), -gr_sigmoid(u_), a);     \
        if (loss) *loss = a;                                                                       \
        return GR_OK;                                                                              \
    }                                                                                              \
    int PFX##_g_nonsat(double *loss, T *g, const T *l, size_t n, gr_error *err) {                  \
        double a;                                                                                  \
        REDUCE(T, #PFX "_g_nonsat", "logits", l, n, g, gr_softplus(-u_), -gr_sigmoid(-u_), a);     \
        if (loss) *loss = a;                                                                       \
        return GR_OK;                                                                              \
    }                                                                                              \
    int PFX##_wgan_critic(double *loss, T *g_real, T *g_fake, const T *f_real, size_t n_real,      \
                          const T *f_fake, size_t n_fake, gr_error *err) {                         \
        double a, b;                                                                               \
        REDUCE(T, #PFX "_wgan_critic", "real outputs", f_real, n_real, g_real, -u_, -1.0, a);      \
        REDUCE(T, #PFX "_wgan_critic", "fake outputs", f_fake, n_fake, g_fake, u_, 1.0, b);        \
        if (loss) *loss = a + b;                                                                   \
        return GR_OK;                                                                              \
    }                                                                                              \
    int PFX##_wgan_gen(double *loss, T *g, const T *f, size_t n, gr_error *err) {                  \
        double a;                                                                                  \
        REDUCE(T, #PFX "_wgan_gen", "outputs", f, n, g, -u_, -1.0, a);                             \
        if (loss) *loss = a;                                                                       \
        return GR_OK;                                                                              \
    }

/* Softmax cross-entropy: per row, m = max_j l_j, s = sum_j exp(l_j - m),
 * loss_i = m + log s - l_{y_i}, d loss_i / d l_j = exp(l_j - m) / s - [j == y_i]. */
#define DEFINE_SOFTMAX_CE(T, PFX)                                                                  \
    int PFX##_softmax_ce(double *loss, T *g, const T *logits, const unsigned char *labels,         \
                         size_t n, size_t k, gr_error *err) {                                      \
        const char *fn_ = #PFX "_softmax_ce";                                                      \
        GR_TRY(check_input(fn_, "rows", n, logits != NULL, err));                                  \
        if (!labels) return GR_ERROR(err, GR_EINVAL, "%s: labels is NULL", fn_);                   \
        if (k < 2 || k > 256)                                                                      \
            return GR_ERROR(err, GR_EINVAL, "%s: k = %zu classes, expected 2..256", fn_, k);       \
        double total_ = 0.0, inv_ = 1.0 / (double)n;                                               \
        for (size_t i_ = 0; i_ < n; i_++) {                                                        \
            const T *l_ = logits + i_ * k;                                                         \
            if (labels[i_] >= k)                                                                   \
                return GR_ERROR(err, GR_EINVAL, "%s: label[%zu] = %u, expected < %zu", fn_, i_,    \
                                (unsigned)labels[i_], k);                                          \
            double m_ = (double)l_[0];                                                             \
            for (size_t j_ = 0; j_ < k; j_++) {                                                    \
                double u_ = (double)l_[j_];                                                        \
                if (!isfinite(u_))                                                                 \
                    return GR_ERROR(err, GR_EDOM, "%s: logits[%zu][%zu] = %g is not finite", fn_,  \
                                    i_, j_, u_);                                                   \
                if (u_ > m_) m_ = u_;                                                              \
            }                                                                                      \
            double s_ = 0.0;                                                                       \
            for (size_t j_ = 0; j_ < k; j_++)                                                      \
                s_ += exp((double)l_[j_] - m_);                                                    \
            total_ += m_ + log(s_) - (double)l_[labels[i_]];                                       \
            if (g) {                                                                               \
                T *gi_ = g + i_ * k;                                                               \
                for (size_t j_ = 0; j_ < k; j_++) {                                                \
                    double p_ = exp((double)l_[j_] - m_) / s_;                                     \
                    gi_[j_] = (T)((p_ - (j_ == labels[i_] ? 1.0 : 0.0)) * inv_);                   \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        if (loss) *loss = total_ * inv_;                                                           \
        return GR_OK;                                                                              \
    }

DEFINE_LOSSES(float, gr_loss)
DEFINE_LOSSES(double, gr_lossd)
DEFINE_SOFTMAX_CE(float, gr_loss)
DEFINE_SOFTMAX_CE(double, gr_lossd)
