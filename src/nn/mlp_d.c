/* nn/mlp_d.c — the double twin gr_mlpd_* (cblas_dgemm) of the float network: the template
 * nn/mlp_impl.h instantiated for double, used by finite-difference gradient checks. */
#include <gsl/gsl_randist.h>
#include <limits.h>

#include "linalg/linalg.h"
#include "linalg/vec.h"
#include "nn/mlp.h"

#define R          double
#define MLP        gr_mlpd
#define FN(x)      gr_mlpd_##x
#define SFX(x)     x
#define GEMM_NT    gr_linalg_dgemm_nt
#define GEMM_NN    gr_linalg_dgemm_nn
#define GEMM_TN    gr_linalg_dgemm_tn
#define COLSUM_ADD gr_linalg_dcolsum_add
#define SUMSQ      gr_linalg_dsumsq

#include "nn/mlp_impl.h"
