/* eval/scores.c — class coverage, classifier score, and the image evaluator (see
 * scores.h for the definitions). */
#include "eval/scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "eval/frechet.h"

static int check_probs(const char *fn, const double *p, size_t n, size_t k, gr_error *err) {
    if (!p) return GR_ERROR(err, GR_EINVAL, "%s: probs is NULL", fn);
    if (n < 1) return GR_ERROR(err, GR_EINVAL, "%s: n = 0 rows", fn);
    if (k < 2 || k > GR_EVAL_MAX_CLASSES)
        return GR_ERROR(err, GR_EINVAL, "%s: k = %zu classes, expected 2..%d", fn, k,
                        GR_EVAL_MAX_CLASSES);
    for (size_t i = 0; i < n; i++) {
        double s = 0.0;
        for (size_t j = 0; j < k; j++) {
            double v = p[i * k + j];
            if (!isfinite(v) || v < 0.0)
                return GR_ERROR(err, GR_EDOM, "%s: probs[%zu][%zu] = %g, expected finite >= 0", fn,
                                i, j, v);
            s += v;
        }
        if (!(s > 0.0) || !isfinite(s))
            return GR_ERROR(err, GR_EDOM, "%s: row %zu sums to %g", fn, i, s);
    }
    return GR_OK;
}

int gr_eval_class_coverage(gr_class_coverage *out, const double *probs, size_t n, size_t k,
                           gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_eval_class_coverage: out is NULL");
    GR_TRY(check_probs("gr_eval_class_coverage", probs, n, k, err));
    memset(out, 0, sizeof *out);
    out->n = n;
    out->k = k;
    for (size_t i = 0; i < n; i++) {
        const double *r = probs + i * k;
        size_t a = 0;
        for (size_t j = 1; j < k; j++)
            if (r[j] > r[a]) a = j;
        out->counts[a]++;
    }
    double kl = 0.0;
    for (size_t c = 0; c < k; c++) {
        if (out->counts[c] == 0) continue;
        out->classes_covered++;
        double q = (double)out->counts[c] / (double)n;
        kl += q * log((double)k * q);
    }
    out->kl_uniform = kl > 0.0 ? kl : 0.0; /* >= 0 exactly; rounding may give -1e-17 */
    return GR_OK;
}

int gr_eval_classifier_score(double *score, double *mean_kl, const double *probs, size_t n,
                             size_t k, gr_error *err) {
    if (!score) return GR_ERROR(err, GR_EINVAL, "gr_eval_classifier_score: score is NULL");
    GR_TRY(check_probs("gr_eval_classifier_score", probs, n, k, err));
    double marg[GR_EVAL_MAX_CLASSES];
    for (size_t j = 0; j < k; j++)
        marg[j] = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *r = probs + i * k;
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += r[j];
        for (size_t j = 0; j < k; j++)
            marg[j] += r[j] / s;
    }
    for (size_t j = 0; j < k; j++)
        marg[j] /= (double)n;
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *r = probs + i * k;
        double s = 0.0, kl = 0.0;
        for (size_t j = 0; j < k; j++)
            s += r[j];
        for (size_t j = 0; j < k; j++) {
            double p = r[j] / s;
            if (p > 0.0) kl += p * log(p / marg[j]); /* p > 0 implies marg[j] > 0 */
        }
        total += kl;
    }
    double m = total / (double)n;
    if (m < 0.0) m = 0.0; /* E KL >= 0; rounding only */
    *score = exp(m);
    if (mean_kl) *mean_kl = m;
    return GR_OK;
}

/* ---- image evaluator ---------------------------------------------------------------------- */

struct gr_image_eval {
    gr_classifier *c;
    size_t n_max, k, F;
    double *probs; /* n_max x k */
    float *feat;   /* n_max x F */
    double *m_ref, *S_ref, *m_x, *S_x;
    gr_frechet *fr;
};

void gr_image_eval_free(gr_image_eval *w) {
    if (!w) return;
    free(w->probs);
    free(w->feat);
    free(w->m_ref);
    free(w->S_ref);
    free(w->m_x);
    free(w->S_x);
    gr_frechet_free(w->fr);
    free(w);
}

int gr_image_eval_alloc(gr_image_eval **out, gr_classifier *c, const float *ref, size_t n_ref,
                        size_t n_max, gr_error *err) {
    const char *fn = "gr_image_eval_alloc";
    if (!out) return GR_ERROR(err, GR_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!c || !ref) return GR_ERROR(err, GR_EINVAL, "%s: NULL classifier or reference", fn);
    if (!gr_classifier_is_trained(c))
        return GR_ERROR(err, GR_EINVAL, "%s: the classifier is not trained", fn);
    if (n_ref < 2 || n_max < 2)
        return GR_ERROR(err, GR_EINVAL, "%s: n_ref = %zu, n_max = %zu, both must be >= 2", fn,
                        n_ref, n_max);
    size_t k = gr_classifier_n_classes(c), F = gr_classifier_feature_dim(c), bp, bf, bfr, bS;
    if (gr_size_mul(n_max, k * sizeof(double), &bp) || gr_size_mul(n_max, F * sizeof(float), &bf) ||
        gr_size_mul(n_ref, F * sizeof(float), &bfr) || gr_size_mul(F, F * sizeof(double), &bS))
        return GR_ERROR(err, GR_EINVAL, "%s: buffer sizes overflow", fn);
    gr_image_eval *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", fn);
    w->c = c;
    w->n_max = n_max;
    w->k = k;
    w->F = F;
    w->probs = malloc(bp);
    w->feat = malloc(bf);
    w->m_ref = malloc(F * sizeof(double));
    w->S_ref = malloc(bS);
    w->m_x = malloc(F * sizeof(double));
    w->S_x = malloc(bS);
    float *ref_feat = malloc(bfr); /* the reference's features, only while computing its stats */
    int st = GR_OK;
    if (!w->probs || !w->feat || !w->m_ref || !w->S_ref || !w->m_x || !w->S_x || !ref_feat)
        st = GR_ERROR(err, GR_ENOMEM, "%s: out of memory", fn);
    if (st == GR_OK) st = gr_frechet_alloc(&w->fr, F, err);
    if (st == GR_OK) st = gr_classifier_predict(c, NULL, ref_feat, NULL, ref, n_ref, err);
    if (st == GR_OK) st = gr_frechet_stats(w->fr, w->m_ref, w->S_ref, ref_feat, n_ref, F, err);
    free(ref_feat);
    if (st != GR_OK) {
        gr_image_eval_free(w);
        return gr_error_prefix(err, st, "%s: reference set: ", fn);
    }
    *out = w;
    return GR_OK;
}

int gr_image_eval_score(gr_image_eval *w, gr_image_scores *out, const float *images, size_t n,
                        gr_error *err) {
    const char *fn = "gr_image_eval_score";
    if (!w || !out || !images) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", fn);
    if (n < 2 || n > w->n_max)
        return GR_ERROR(err, GR_EINVAL, "%s: n = %zu images, expected 2..%zu", fn, n, w->n_max);
    GR_TRY(gr_classifier_predict(w->c, w->probs, w->feat, NULL, images, n, err));
    out->n = n;
    GR_TRY(gr_eval_class_coverage(&out->coverage, w->probs, n, w->k, err));
    GR_TRY(gr_eval_classifier_score(&out->classifier_score, NULL, w->probs, n, w->k, err));
    GR_TRY(gr_frechet_stats(w->fr, w->m_x, w->S_x, w->feat, n, w->F, err));
    return gr_frechet_from_stats(w->fr, &out->frechet, w->F, w->m_x, w->S_x, w->m_ref, w->S_ref,
                                 err);
}
