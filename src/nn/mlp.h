/* nn/mlp.h — multilayer perceptrons on one flat parameter buffer (float, and a double twin
 * for gradient checks): forward, backward, input gradient, and the WGAN-GP penalty's
 * parameter gradient by double backpropagation.
 *
 * Architecture. A spec declares in_dim, the hidden widths n_1..n_{L-1}, out_dim n_L, one
 * activation (+ parameter) for every hidden layer and one for the output layer:
 *     h_0 = x,   a_l = h_{l-1} W_l^T + b_l,   h_l = sigma_l(a_l),   l = 1..L,   f = h_L.
 * A discriminator has no output sigmoid: it ends in GR_ACT_IDENTITY (a logit) and its
 * sigmoid lives in the loss (nn/loss.h) as log-sigmoid, for stability.
 *
 * Memory layout (identical for float and double, and for gradients and for any optimizer
 * moment buffer of n_params elements). Layer l = 0..L-1 (0-based) with in = n_l, out = n_{l+1}:
 *     params[w_offset .. w_offset + out*in)   W_l, out x in, row-major (W[j*in + k] is the
 *                                             weight from input k to unit j), as torch's
 *                                             nn.Linear.weight
 *     params[b_offset .. b_offset + out)      b_l, b_offset = w_offset + out*in
 *     w_offset of layer l+1 = b_offset of layer l + out.
 * So the buffer is torch's state_dict() in order (0.weight, 0.bias, 2.weight, 2.bias, ...),
 * flattened: a checkpoint or a fixture maps 1:1. Layer offsets come from gr_mlp_spec_layer.
 *
 * Precision scheme. The float network (gr_mlp_*) computes with cblas_sgemm; the same source
 * (nn/mlp_impl.h, a template included once per precision by mlp_f.c and mlp_d.c) builds the
 * double network gr_mlpd_* on cblas_dgemm, used by the finite-difference gradient checks.
 * Both draw the same initial values from the same generator state (the float net stores
 * them rounded to float). Spec functions
 * (gr_mlp_spec_*) are shared. In the float network tanh and ELU come from nn/act.h
 * (evaluated in double and rounded once, branch-free so the epilogues vectorise; tested to
 * 0.5 ulp); the double twin uses libm.
 *
 * Workspaces. gr_mlp_alloc sizes every buffer for max_batch rows; each pass may use any
 * batch 1..max_batch; no pass allocates. A net is not thread-safe (its caches are shared by
 * its passes); use one net per thread.
 */
#ifndef GR_NN_MLP_H
#define GR_NN_MLP_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Activations. sigma(a):
 *   IDENTITY   a                                  (name "linear")
 *   RELU       max(a, 0)                          ("relu"; sigma'(0) taken as 0, as torch)
 *   LEAKY_RELU a > 0 ? a : alpha*a, alpha > 0     ("lrelu<alpha>", e.g. lrelu0.2)
 *   TANH       tanh(a)                            ("tanh")
 *   SIGMOID    1/(1+exp(-a))                      ("sigmoid")
 *   SOFTPLUS   log(1+exp(a)) (beta = 1)           ("softplus")
 *   ELU        a > 0 ? a : alpha*(exp(a)-1), alpha > 0   ("elu<alpha>", e.g. elu1)
 * Every derivative sigma', sigma'' is computed from the output h = sigma(a) (as torch does
 * for tanh and sigmoid), so the net keeps only post-activations. */
typedef enum gr_act {
    GR_ACT_IDENTITY = 0,
    GR_ACT_RELU = 1,
    GR_ACT_LEAKY_RELU = 2,
    GR_ACT_TANH = 3,
    GR_ACT_SIGMOID = 4,
    GR_ACT_SOFTPLUS = 5,
    GR_ACT_ELU = 6
} gr_act;

#define GR_ACT_COUNT 7

/* Name used in architecture strings ("linear", "relu", "lrelu", ...); "?" if invalid. */
const char *gr_act_name(gr_act act);

/* Initialisers (fan_in = in, fan_out = out of the layer):
 *   TORCH     PyTorch's nn.Linear default (kaiming_uniform_ with a = sqrt(5)):
 *             W ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 *   XAVIER    Glorot uniform: W ~ U(-r, r), r = sqrt(6/(fan_in+fan_out)); b = 0
 *   NORMAL    W ~ N(0, 0.02^2) (DCGAN); b = 0
 *   HE        He uniform (TF's he_uniform, gan_toy.py): W ~ U(-r, r), r = sqrt(6/fan_in); b = 0
 * Draw order: layer by layer, W row-major then b, one gsl draw per element. */
typedef enum gr_init {
    GR_INIT_TORCH = 0,
    GR_INIT_XAVIER = 1,
    GR_INIT_NORMAL = 2,
    GR_INIT_HE = 3
} gr_init;

#define GR_MLP_MAX_HIDDEN 16

/* A value type: copy it, keep it in configs. Unused hidden[] entries are ignored. */
typedef struct gr_mlp_spec {
    size_t in_dim;                    /* n_0 >= 1 */
    size_t n_hidden;                  /* number of hidden layers, 0..GR_MLP_MAX_HIDDEN */
    size_t hidden[GR_MLP_MAX_HIDDEN]; /* hidden widths n_1..n_{L-1}, each >= 1 */
    size_t out_dim;                   /* n_L >= 1 */
    gr_act hidden_act;                /* activation of every hidden layer */
    double hidden_alpha;              /* LeakyReLU slope / ELU alpha; ignored otherwise */
    gr_act out_act;                   /* activation of the output layer (IDENTITY for D) */
    double out_alpha;
} gr_mlp_spec;

/* One affine layer's place in the flat buffer (0-based l, L = n_hidden + 1 layers). */
typedef struct gr_mlp_layer {
    size_t in_dim, out_dim; /* W is out_dim x in_dim */
    size_t w_offset;        /* first element of W in params/grads */
    size_t b_offset;        /* first element of b (= w_offset + out_dim*in_dim) */
    gr_act act;             /* activation applied after this layer */
    double alpha;           /* its parameter */
} gr_mlp_layer;

/* Check a spec: dims >= 1, n_hidden <= GR_MLP_MAX_HIDDEN, valid activations, alpha > 0 and
 * finite where used, every size fits a BLAS int. GR_EINVAL with a message naming the field. */
int gr_mlp_spec_validate(const gr_mlp_spec *spec, gr_error *err);

/* Number of affine layers L = n_hidden + 1. Spec assumed valid. */
size_t gr_mlp_spec_n_layers(const gr_mlp_spec *spec);

/* Total parameter count sum_l out*(in+1). Spec assumed valid. */
size_t gr_mlp_spec_n_params(const gr_mlp_spec *spec);

/* Layer l (0-based, l < L) of a valid spec; a zeroed record if l is out of range. */
gr_mlp_layer gr_mlp_spec_layer(const gr_mlp_spec *spec, size_t l);

/* Canonical architecture string, e.g. "2-512relu-512relu-512relu-1linear" or
 * "784-512lrelu0.2-256lrelu0.2-1linear": widths with each layer's activation, alphas printed
 * with the fewest digits that read back exactly. Writes at most `size` bytes (always
 * NUL-terminated if size > 0); returns the length the full string needs (snprintf
 * convention), so a return >= size means it was truncated. */
size_t gr_mlp_spec_describe(const gr_mlp_spec *spec, char *buf, size_t size);

/* Parse a canonical architecture string back into a spec (hidden layers must share one
 * activation). GR_EINVAL / GR_EFORMAT with a message naming the offending token. */
int gr_mlp_spec_parse(gr_mlp_spec *spec, const char *arch, gr_error *err);

/* ---- float network ------------------------------------------------------------------ */

typedef struct gr_mlp gr_mlp;

/* Allocate a network for batches of up to max_batch rows; parameters and gradients zeroed
 * (call gr_mlp_init). On error *out = NULL and nothing leaks. */
int gr_mlp_alloc(gr_mlp **out, const gr_mlp_spec *spec, size_t max_batch, gr_error *err);
void gr_mlp_free(gr_mlp *net); /* NULL is a no-op */

const gr_mlp_spec *gr_mlp_get_spec(const gr_mlp *net);
size_t gr_mlp_max_batch(const gr_mlp *net);
size_t gr_mlp_n_layers(const gr_mlp *net);
size_t gr_mlp_n_params(const gr_mlp *net);
gr_mlp_layer gr_mlp_layer_info(const gr_mlp *net, size_t l); /* = gr_mlp_spec_layer */
size_t gr_mlp_describe(const gr_mlp *net, char *buf, size_t size);

/* The flat buffers (n_params elements each, layout above). Stable for the net's lifetime:
 * an optimizer, clipping or a checkpoint may read and write them in place. */
float *gr_mlp_params(gr_mlp *net);
float *gr_mlp_grads(gr_mlp *net);

/* Fill the parameters from `r` by scheme (see gr_init). GR_EINVAL on a bad scheme or r NULL. */
int gr_mlp_init(gr_mlp *net, gr_init scheme, gsl_rng *r, gr_error *err);

/* grads := 0. Cannot fail. */
void gr_mlp_zero_grad(gr_mlp *net);

/* Forward pass on x (batch x in_dim). Caches the activations for the next backward. If y is
 * not NULL, copies the output (batch x out_dim) there; it also stays readable through
 * gr_mlp_output until the next pass. GR_EINVAL if batch is 0 or > max_batch. */
int gr_mlp_forward(gr_mlp *net, float *y, const float *x, size_t batch, gr_error *err);

/* Output of the last forward / input_grad (batch x out_dim); invalidated by any pass. */
const float *gr_mlp_output(const gr_mlp *net);

/* Backward pass through the cached forward: given dy = dLoss/dy (batch x out_dim), ADDS
 * dLoss/dparams to grads and, if dx is not NULL, WRITES dLoss/dx (batch x in_dim) to dx.
 * batch must equal the last forward's batch (GR_EMISMATCH otherwise; GR_EINVAL if no
 * forward was made). The cache stays valid: backward may be called again. */
int gr_mlp_backward(gr_mlp *net, float *dx, const float *dy, size_t batch, gr_error *err);

/* As gr_mlp_backward, but grads are left untouched and only dx (required) is computed: for
 * pushing a generator's loss through a frozen discriminator. Skips the dW products. */
int gr_mlp_backward_input(gr_mlp *net, float *dx, const float *dy, size_t batch, gr_error *err);

/* Per-layer gradient norms of the last backward (gr_mlp_backward or _backward_input):
 * norms[l-1] = ||dLoss/da_l||_F over the batch, for l = 1..n_layers, where a_l = h_{l-1}
 * W_l^T + b_l is layer l's pre-activation (so norms[n_layers-1] is the output layer's). For
 * the exploding/vanishing-gradient probe of WGAN-GP Fig. 1b (CLAIMS C33); computed in double
 * with a scaled sum of squares. In float, gradients below ~1e-38 are already flushed by the
 * pass itself: use the double twin where they underflow. n_norms must equal n_layers
 * (GR_EMISMATCH); GR_EINVAL if no backward followed the last forward (gr_mlp_gp and
 * gr_mlp_input_grad do not count: they differentiate f, not a loss). */
int gr_mlp_layer_grad_norms(const gr_mlp *net, double *norms, size_t n_norms, gr_error *err);

/* Input gradient of a scalar-output network (out_dim must be 1, else GR_EMISMATCH):
 * gx[i,:] = grad_x f(x_i) (batch x in_dim). Runs a forward (so gr_mlp_output then holds
 * f(x_i)) and a backward without touching grads. */
int gr_mlp_input_grad(gr_mlp *net, float *gx, const float *x, size_t batch, gr_error *err);

/* WGAN-GP penalty (Gulrajani et al. 2017, Alg. 1) at fixed points xhat (batch x in_dim) of
 * a scalar-output network:
 *     P = lambda * (1/batch) * sum_i (||grad_x f(xhat_i)||_2 - 1)^2.
 * ADDS dP/dparams to grads (double backpropagation through the input-gradient pass, with
 * the sigma'' terms of every activation), writes P to *penalty (if not NULL) and
 * ||grad_x f(xhat_i)||_2 to gnorm[i] (if not NULL). Where ||g_i|| = 0 the direction g/||g||
 * is taken as 0 (as torch's norm backward). Overwrites the forward cache (gr_mlp_output
 * then holds f(xhat)). Cost: about four forward passes' worth of gemm (forward, backward to
 * the input, then two products per layer), plus two more per layer below the highest curved
 * activation (tanh/sigmoid/softplus/elu). GR_EMISMATCH if out_dim != 1. */
int gr_mlp_gp(gr_mlp *net, double *penalty, float *gnorm, const float *xhat, size_t batch,
              double lambda, gr_error *err);

/* One-sided WGAN-GP penalty (Gulrajani et al. 2017, §4 / App. D: "penalize only gradients
 * above 1"): P = lambda * (1/batch) * sum_i max(0, ||grad_x f(xhat_i)||_2 - 1)^2, otherwise
 * exactly as gr_mlp_gp (the two-sided arithmetic where ||g_i|| > 1). */
int gr_mlp_gp_one_sided(gr_mlp *net, double *penalty, float *gnorm, const float *xhat, size_t batch,
                        double lambda, gr_error *err);

/* ---- double twin: same contracts, double buffers (for gradient checks) --------------- */

typedef struct gr_mlpd gr_mlpd;

int gr_mlpd_alloc(gr_mlpd **out, const gr_mlp_spec *spec, size_t max_batch, gr_error *err);
void gr_mlpd_free(gr_mlpd *net);
const gr_mlp_spec *gr_mlpd_get_spec(const gr_mlpd *net);
size_t gr_mlpd_max_batch(const gr_mlpd *net);
size_t gr_mlpd_n_layers(const gr_mlpd *net);
size_t gr_mlpd_n_params(const gr_mlpd *net);
gr_mlp_layer gr_mlpd_layer_info(const gr_mlpd *net, size_t l);
size_t gr_mlpd_describe(const gr_mlpd *net, char *buf, size_t size);
double *gr_mlpd_params(gr_mlpd *net);
double *gr_mlpd_grads(gr_mlpd *net);
int gr_mlpd_init(gr_mlpd *net, gr_init scheme, gsl_rng *r, gr_error *err);
void gr_mlpd_zero_grad(gr_mlpd *net);
int gr_mlpd_forward(gr_mlpd *net, double *y, const double *x, size_t batch, gr_error *err);
const double *gr_mlpd_output(const gr_mlpd *net);
int gr_mlpd_backward(gr_mlpd *net, double *dx, const double *dy, size_t batch, gr_error *err);
int gr_mlpd_backward_input(gr_mlpd *net, double *dx, const double *dy, size_t batch, gr_error *err);
int gr_mlpd_layer_grad_norms(const gr_mlpd *net, double *norms, size_t n_norms, gr_error *err);
int gr_mlpd_input_grad(gr_mlpd *net, double *gx, const double *x, size_t batch, gr_error *err);
int gr_mlpd_gp(gr_mlpd *net, double *penalty, double *gnorm, const double *xhat, size_t batch,
               double lambda, gr_error *err);
int gr_mlpd_gp_one_sided(gr_mlpd *net, double *penalty, double *gnorm, const double *xhat,
                         size_t batch, double lambda, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
