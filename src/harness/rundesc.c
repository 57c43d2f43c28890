/* harness/rundesc.c — typed getters over a run's resolved settings and the checks of an
 * experiment description (harness/rundesc.h). */
#include "harness/rundesc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *get_text(const gr_run_desc *run, const char *key) {
    for (size_t i = 0; i < run->n_settings; i++)
        if (run->settings[i].key && !strcmp(run->settings[i].key, key))
            return run->settings[i].value;
    return NULL;
}

static int need(const gr_run_desc *run, const char *key, const char **v, gr_error *err) {
    *v = get_text(run, key);
    if (!*v)
        return GR_ERROR(err, GR_EINVAL, "run %s: setting '%s' is missing", run->id ? run->id : "?",
                        key);
    return GR_OK;
}

#define CHECK_ARGS(run, key, out)                                                                  \
    if (!(run) || !(key) || !(out)) return GR_ERROR(err, GR_EINVAL, "run setting: NULL argument")

int gr_rundesc_get_f64(const gr_run_desc *run, const char *key, double *out, gr_error *err) {
    CHECK_ARGS(run, key, out);
    if (run->get) return run->get->get_f64(run->get_ctx, key, out, err);
    const char *v;
    GR_TRY(need(run, key, &v, err));
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(x))
        return GR_ERROR(err, GR_EINVAL, "run %s: setting '%s' = '%s' is not a finite number",
                        run->id, key, v);
    *out = x;
    return GR_OK;
}

int gr_rundesc_get_size(const gr_run_desc *run, const char *key, size_t *out, gr_error *err) {
    CHECK_ARGS(run, key, out);
    if (run->get) return run->get->get_size(run->get_ctx, key, out, err);
    const char *v;
    GR_TRY(need(run, key, &v, err));
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE || v[0] == '-' || x > SIZE_MAX)
        return GR_ERROR(err, GR_EINVAL, "run %s: setting '%s' = '%s' is not a non-negative integer",
                        run->id, key, v);
    *out = (size_t)x;
    return GR_OK;
}

int gr_rundesc_get_bool(const gr_run_desc *run, const char *key, int *out, gr_error *err) {
    CHECK_ARGS(run, key, out);
    if (run->get) return run->get->get_bool(run->get_ctx, key, out, err);
    const char *v;
    GR_TRY(need(run, key, &v, err));
    if (!strcmp(v, "true")) {
        *out = 1;
        return GR_OK;
    }
    if (!strcmp(v, "false")) {
        *out = 0;
        return GR_OK;
    }
    return GR_ERROR(err, GR_EINVAL, "run %s: setting '%s' = '%s' is not true or false", run->id,
                    key, v);
}

int gr_rundesc_get_str(const gr_run_desc *run, const char *key, const char **out, gr_error *err) {
    CHECK_ARGS(run, key, out);
    if (run->get) return run->get->get_str(run->get_ctx, key, out, err);
    return need(run, key, out, err);
}

int gr_rundesc_id_valid(const char *id) {
    if (!id || !*id) return 0;
    size_t n = 0;
    for (const char *p = id; *p; p++, n++) {
        char c = *p;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c == '-')) return 0;
    }
    return n <= GR_RUN_ID_MAX;
}

static int name_valid(const char *s) {
    if (!s || !*s || strlen(s) > 128) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return s[0] != '.';
}

int gr_exp_desc_check(const gr_exp_desc *exp, gr_error *err) {
    if (!exp) return GR_ERROR(err, GR_EINVAL, "experiment description is NULL");
    if (!name_valid(exp->name))
        return GR_ERROR(err, GR_EINVAL,
                        "experiment name '%s' is not 1-128 characters of [A-Za-z0-9_.-]",
                        exp->name ? exp->name : "(null)");
    if (!exp->protocol || !exp->claims || !exp->profile || !exp->declaration ||
        !exp->declaration_hash)
        return GR_ERROR(err, GR_EINVAL,
                        "experiment %s: protocol, claims, profile, declaration and its hash are "
                        "required",
                        exp->name);
    if (exp->n_runs > 0 && !exp->runs)
        return GR_ERROR(err, GR_EINVAL, "experiment %s: runs is NULL", exp->name);
    for (size_t i = 0; i < exp->n_runs; i++) {
        const gr_run_desc *r = &exp->runs[i];
        if (!gr_rundesc_id_valid(r->id))
            return GR_ERROR(err, GR_EINVAL,
                            "experiment %s: run %zu: id '%s' is not [0-9a-z_-]{1,%d}", exp->name, i,
                            r->id ? r->id : "(null)", GR_RUN_ID_MAX);
        if (r->index != i)
            return GR_ERROR(err, GR_EINVAL, "experiment %s: run %s has index %zu, expected %zu",
                            exp->name, r->id, r->index, i);
        if (!r->resolved || (r->n_swept && !r->swept) || (r->n_settings && !r->settings))
            return GR_ERROR(err, GR_EINVAL, "experiment %s: run %s: missing settings", exp->name,
                            r->id);
        for (size_t k = 0; k < r->n_swept; k++)
            if (!name_valid(r->swept[k].key) || !r->swept[k].value)
                return GR_ERROR(err, GR_EINVAL, "experiment %s: run %s: swept key '%s' invalid",
                                exp->name, r->id, r->swept[k].key ? r->swept[k].key : "(null)");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(exp->runs[j].id, r->id))
                return GR_ERROR(err, GR_EINVAL,
                                "experiment %s: runs %zu and %zu have the same id %s (identical "
                                "settings)",
                                exp->name, j, i, r->id);
    }
    return GR_OK;
}
