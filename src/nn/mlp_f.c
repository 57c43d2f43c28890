/* nn/mlp_f.c — the float network gr_mlp_* (cblas_sgemm): the template nn/mlp_impl.h
 * instantiated for float. This is the precision every training run uses. */
#include <gsl/gsl_randist.h>
#include <limits.h>

#include "linalg/linalg.h"
#include "linalg/vec.h"
#include "nn/act.h"
#include "nn/mlp.h"

#define R                 float
#define MLP               gr_mlp
#define FN(x)             gr_mlp_##x
#define SFX(x)            x##f
#define GEMM_NT           gr_linalg_sgemm_nt
#define GEMM_NN           gr_linalg_sgemm_nn
#define GEMM_TN           gr_linalg_sgemm_tn
#define COLSUM_ADD        gr_linalg_scolsum_add
#define SUMSQ             gr_linalg_ssumsq
#define ACT_TANH          gr_act_tanhf /* vectorisable, see nn/act.h */
#define ACT_ELU(alpha, a) gr_act_eluf(a, alpha)

#include "nn/mlp_impl.h"
