/* distance/assign.c — the Hungarian method with potentials; contract in distance/assign.h.
 *
 * Rows are added one at a time (phase i); a Dijkstra-like scan over the columns with the
 * reduced costs C_ij - u_i - v_j (>= 0 by the invariant) finds the shortest augmenting path
 * from row i to a free column, the potentials are updated by the scanned distances and the
 * path is flipped. Arrays are 1-based with column 0 a sentinel holding the row of the
 * phase, as in the classical formulation. */
#include "distance/assign.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/mem.h"

struct gr_assign_workspace {
    size_t n_max;
    double *u, *v, *minv;  /* n_max + 1 each */
    size_t *p, *way;       /* n_max + 1 each: p[j] = row of column j (0 = free) */
    int *used;             /* n_max + 1 */
    double *u_out, *v_out; /* n_max: 0-based copies for the result */
};

int gr_assign_workspace_alloc(gr_assign_workspace **out, size_t n_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "assign: NULL workspace pointer");
    *out = NULL;
    size_t n1;
    if (n_max == 0 || gr_size_add(n_max, 1, &n1) != GR_OK || n1 > SIZE_MAX / sizeof(double))
        return GR_ERROR(err, GR_EINVAL, "assign: n_max = %zu (must be >= 1 and fit in memory)",
                        n_max);
    gr_assign_workspace *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "assign: memory for the workspace");
    w->n_max = n_max;
    w->u = malloc(n1 * sizeof *w->u);
    w->v = malloc(n1 * sizeof *w->v);
    w->minv = malloc(n1 * sizeof *w->minv);
    w->p = malloc(n1 * sizeof *w->p);
    w->way = malloc(n1 * sizeof *w->way);
    w->used = malloc(n1 * sizeof *w->used);
    w->u_out = malloc(n_max * sizeof *w->u_out);
    w->v_out = malloc(n_max * sizeof *w->v_out);
    if (!w->u || !w->v || !w->minv || !w->p || !w->way || !w->used || !w->u_out || !w->v_out) {
        gr_assign_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "assign: memory for n_max = %zu", n_max);
    }
    *out = w;
    return GR_OK;
}

void gr_assign_workspace_free(gr_assign_workspace *w) {
    if (!w) return;
    free(w->u);
    free(w->v);
    free(w->minv);
    free(w->p);
    free(w->way);
    free(w->used);
    free(w->u_out);
    free(w->v_out);
    free(w);
}

int gr_assign_solve(gr_assign_workspace *w, const double *cost, size_t n, size_t *perm,
                    gr_assign_result *res, gr_error *err) {
    if (!w || !cost || !perm) return GR_ERROR(err, GR_EINVAL, "assign: NULL argument");
    if (n == 0 || n > w->n_max)
        return GR_ERROR(err, GR_EINVAL, "assign: n = %zu (workspace holds 1 to %zu)", n, w->n_max);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (!isfinite(cost[i * n + j]))
                return GR_ERROR(err, GR_EDOM, "assign: cost[%zu][%zu] = %g is not finite", i, j,
                                cost[i * n + j]);
    double *u = w->u, *v = w->v, *minv = w->minv;
    size_t *p = w->p, *way = w->way;
    int *used = w->used;
    for (size_t j = 0; j <= n; j++)
        u[j] = v[j] = 0.0, p[j] = 0, way[j] = 0;
    for (size_t i = 1; i <= n; i++) {
        p[0] = i;
        size_t j0 = 0;
        for (size_t j = 0; j <= n; j++)
            minv[j] = INFINITY, used[j] = 0;
        do {
            used[j0] = 1;
            size_t i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (size_t j = 1; j <= n; j++) {
                if (used[j]) continue;
                double cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                if (minv[j] < delta) delta = minv[j], j1 = j;
            }
            for (size_t j = 0; j <= n; j++) {
                if (used[j])
                    u[p[j]] += delta, v[j] -= delta;
                else
                    minv[j] -= delta;
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (size_t j = 1; j <= n; j++)
        perm[p[j] - 1] = j - 1;
    double c = 0.0, dual = 0.0, viol = 0.0;
    for (size_t i = 0; i < n; i++) {
        c += cost[i * n + perm[i]];
        w->u_out[i] = u[i + 1];
        w->v_out[i] = v[i + 1];
        dual += u[i + 1] + v[i + 1];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double e = w->u_out[i] + w->v_out[j] - cost[i * n + j];
            if (e > viol) viol = e;
        }
    if (res) {
        res->cost = c;
        res->dual = dual;
        res->duality_gap = c - dual;
        res->max_violation = viol;
        res->u = w->u_out;
        res->v = w->v_out;
    }
    return GR_OK;
}
