/* tests/distance/glpk_oracle.h — the independent LP oracle for the transport tests: the
 * transport LP  min sum c_ij P_ij, P 1 = a, P^T 1 = b, P >= 0  written out densely and
 * solved by GLPK's primal simplex (glp_simplex, exact-arithmetic-free but independent of
 * our code). Tests only; header-only so each test program includes it once. */
#ifndef GR_TESTS_OT_GLPK_ORACLE_H
#define GR_TESTS_OT_GLPK_ORACLE_H

#include <glpk.h>
#include <stdlib.h>

/* Optimal cost of the transport LP with cost matrix c (n x m, row-major) and weights a, b
 * (sum a = sum b). Returns NAN if GLPK does not report an optimum. */
static double glpk_transport(const double *c, const double *a, size_t n, const double *b,
                             size_t m) {
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, (int)(n + m));
    for (size_t i = 0; i < n; i++)
        glp_set_row_bnds(lp, (int)i + 1, GLP_FX, a[i], a[i]);
    for (size_t j = 0; j < m; j++)
        glp_set_row_bnds(lp, (int)(n + j) + 1, GLP_FX, b[j], b[j]);
    glp_add_cols(lp, (int)(n * m));
    size_t nz = 2 * n * m;
    int *ia = malloc((nz + 1) * sizeof(int)), *ja = malloc((nz + 1) * sizeof(int));
    double *ar = malloc((nz + 1) * sizeof(double));
    size_t k = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            int col = (int)(i * m + j) + 1;
            glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
            glp_set_obj_coef(lp, col, c[i * m + j]);
            ia[k] = (int)i + 1;
            ja[k] = col;
            ar[k++] = 1.0;
            ia[k] = (int)(n + j) + 1;
            ja[k] = col;
            ar[k++] = 1.0;
        }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    double val = NAN;
    if (glp_simplex(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT) val = glp_get_obj_val(lp);
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    return val;
}

#endif
