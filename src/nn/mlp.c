/* nn/mlp.c — what both precisions share: activation names, spec validation, the flat
 * parameter layout, and the canonical architecture string (describe / parse) that
 * checkpoints use to refuse a mismatched network. The passes live in nn/mlp_impl.h.
 */
#include "nn/mlp.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const act_names[GR_ACT_COUNT] = {"linear",  "relu",     "lrelu", "tanh",
                                                    "sigmoid", "softplus", "elu"};

const char *gr_act_name(gr_act act) {
    return ((unsigned)act < GR_ACT_COUNT) ? act_names[act] : "?";
}

static int act_has_alpha(gr_act act) { return act == GR_ACT_LEAKY_RELU || act == GR_ACT_ELU; }

static int check_act(gr_act act, double alpha, const char *which, gr_error *err) {
    if ((unsigned)act >= GR_ACT_COUNT)
        return GR_ERROR(err, GR_EINVAL, "mlp spec: %s activation %d is not a gr_act", which,
                        (int)act);
    if (act_has_alpha(act) && !(isfinite(alpha) && alpha > 0.0))
        return GR_ERROR(err, GR_EINVAL,
                        "mlp spec: %s activation %s needs a finite alpha > 0, got %g", which,
                        act_names[act], alpha);
    return GR_OK;
}

int gr_mlp_spec_validate(const gr_mlp_spec *spec, gr_error *err) {
    if (!spec) return GR_ERROR(err, GR_EINVAL, "mlp spec: NULL");
    if (spec->n_hidden > GR_MLP_MAX_HIDDEN)
        return GR_ERROR(err, GR_EINVAL, "mlp spec: n_hidden = %zu exceeds GR_MLP_MAX_HIDDEN = %d",
                        spec->n_hidden, GR_MLP_MAX_HIDDEN);
    if (spec->in_dim == 0 || spec->in_dim > INT_MAX)
        return GR_ERROR(err, GR_EINVAL, "mlp spec: in_dim = %zu must be in 1..%d", spec->in_dim,
                        INT_MAX);
    if (spec->out_dim == 0 || spec->out_dim > INT_MAX)
        return GR_ERROR(err, GR_EINVAL, "mlp spec: out_dim = %zu must be in 1..%d", spec->out_dim,
                        INT_MAX);
    for (size_t i = 0; i < spec->n_hidden; i++)
        if (spec->hidden[i] == 0 || spec->hidden[i] > INT_MAX)
            return GR_ERROR(err, GR_EINVAL, "mlp spec: hidden[%zu] = %zu must be in 1..%d", i,
                            spec->hidden[i], INT_MAX);
    if (spec->n_hidden > 0) GR_TRY(check_act(spec->hidden_act, spec->hidden_alpha, "hidden", err));
    GR_TRY(check_act(spec->out_act, spec->out_alpha, "output", err));
    /* the parameter count must not overflow size_t (nor a BLAS int per matrix) */
    size_t total = 0, prev = spec->in_dim;
    for (size_t l = 0; l <= spec->n_hidden; l++) {
        size_t out = l < spec->n_hidden ? spec->hidden[l] : spec->out_dim;
        if (out > (size_t)INT_MAX / prev)
            return GR_ERROR(err, GR_EINVAL, "mlp spec: layer %zu has %zu x %zu weights, too many",
                            l, out, prev);
        size_t np = out * (prev + 1);
        if (total > SIZE_MAX - np)
            return GR_ERROR(err, GR_EINVAL, "mlp spec: parameter count overflows");
        total += np;
        prev = out;
    }
    return GR_OK;
}

size_t gr_mlp_spec_n_layers(const gr_mlp_spec *spec) { return spec->n_hidden + 1; }

static size_t width(const gr_mlp_spec *spec, size_t i) { /* n_i, i = 0..L */
    if (i == 0) return spec->in_dim;
    return i <= spec->n_hidden ? spec->hidden[i - 1] : spec->out_dim;
}

gr_mlp_layer gr_mlp_spec_layer(const gr_mlp_spec *spec, size_t l) {
    gr_mlp_layer r;
    memset(&r, 0, sizeof r);
    if (l > spec->n_hidden) return r;
    size_t off = 0;
    for (size_t i = 0; i < l; i++)
        off += width(spec, i + 1) * (width(spec, i) + 1);
    r.in_dim = width(spec, l);
    r.out_dim = width(spec, l + 1);
    r.w_offset = off;
    r.b_offset = off + r.in_dim * r.out_dim;
    int last = l == spec->n_hidden;
    r.act = last ? spec->out_act : spec->hidden_act;
    r.alpha = last ? spec->out_alpha : spec->hidden_alpha;
    return r;
}

size_t gr_mlp_spec_n_params(const gr_mlp_spec *spec) {
    size_t total = 0;
    for (size_t i = 0; i <= spec->n_hidden; i++)
        total += width(spec, i + 1) * (width(spec, i) + 1);
    return total;
}

/* Shortest %.*g rendering of alpha that reads back to the same double. */
static void format_alpha(char *out, size_t size, double alpha) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, alpha);
        if (strtod(out, NULL) == alpha) return;
    }
}

size_t gr_mlp_spec_describe(const gr_mlp_spec *spec, char *buf, size_t size) {
    size_t len = 0;
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%zu", spec->in_dim);
    if (size > 0) buf[0] = '\0';
#define APPEND(s)                                                                                  \
    do {                                                                                           \
        size_t sl_ = strlen(s);                                                                    \
        if (size > 0 && len < size - 1) {                                                          \
            size_t room_ = size - 1 - len;                                                         \
            size_t c_ = sl_ < room_ ? sl_ : room_;                                                 \
            memcpy(buf + len, s, c_);                                                              \
            buf[len + c_] = '\0';                                                                  \
        }                                                                                          \
        len += sl_;                                                                                \
    } while (0)
    APPEND(tmp);
    for (size_t l = 0; l <= spec->n_hidden; l++) {
        gr_mlp_layer ly = gr_mlp_spec_layer(spec, l);
        char a[40] = "";
        if (act_has_alpha(ly.act)) format_alpha(a, sizeof a, ly.alpha);
        snprintf(tmp, sizeof tmp, "-%zu%s%s", ly.out_dim, gr_act_name(ly.act), a);
        APPEND(tmp);
    }
#undef APPEND
    return len;
}

/* Parse "<width><act>[alpha]" starting at s; *next receives the position after it. Returns
 * GR_OK or GR_EFORMAT (the status itself, so that it survives err == NULL). */
static int parse_layer(const char *s, const char **next, size_t *w, gr_act *act, double *alpha,
                       size_t index, gr_error *err) {
    char *end;
    if (*s < '0' || *s > '9') {
        return GR_ERROR(err, GR_EFORMAT, "architecture: layer %zu: expected a width at \"%s\"",
                        index, s);
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (v == 0 || v > INT_MAX) {
        return GR_ERROR(err, GR_EFORMAT, "architecture: layer %zu: width %llu out of range", index,
                        v);
    }
    *w = (size_t)v;
    s = end;
    /* longest activation name that matches ("softplus" before "s...", "lrelu" vs "relu") */
    int best = -1;
    size_t best_len = 0;
    for (int a = 0; a < GR_ACT_COUNT; a++) {
        size_t nl = strlen(act_names[a]);
        if (strncmp(s, act_names[a], nl) == 0 && nl > best_len) {
            best = a;
            best_len = nl;
        }
    }
    if (best < 0) {
        return GR_ERROR(err, GR_EFORMAT, "architecture: layer %zu: unknown activation at \"%s\"",
                        index, s);
    }
    *act = (gr_act)best;
    s += best_len;
    *alpha = 0.0;
    if (act_has_alpha(*act)) {
        double x = strtod(s, &end);
        if (end == s) {
            return GR_ERROR(err, GR_EFORMAT,
                            "architecture: layer %zu: %s needs an alpha (e.g. %s0.2)", index,
                            act_names[best], act_names[best]);
        }
        *alpha = x;
        s = end;
    }
    if (*s != '\0' && *s != '-') {
        return GR_ERROR(err, GR_EFORMAT, "architecture: layer %zu: unexpected \"%s\"", index, s);
    }
    *next = s;
    return GR_OK;
}

int gr_mlp_spec_parse(gr_mlp_spec *spec, const char *arch, gr_error *err) {
    if (!spec || !arch) return GR_ERROR(err, GR_EINVAL, "architecture: NULL argument");
    gr_mlp_spec sp;
    memset(&sp, 0, sizeof sp);
    char *end;
    if (*arch < '0' || *arch > '9')
        return GR_ERROR(err, GR_EFORMAT, "architecture \"%s\": expected the input width first",
                        arch);
    unsigned long long in = strtoull(arch, &end, 10);
    if (*end != '-' || in == 0 || in > INT_MAX)
        return GR_ERROR(err, GR_EFORMAT, "architecture \"%s\": expected \"<in>-<width><act>-...\"",
                        arch);
    sp.in_dim = (size_t)in;
    size_t widths[GR_MLP_MAX_HIDDEN + 1];
    gr_act acts[GR_MLP_MAX_HIDDEN + 1];
    double alphas[GR_MLP_MAX_HIDDEN + 1];
    size_t n = 0;
    const char *s = end;
    while (*s == '-') {
        if (n == GR_MLP_MAX_HIDDEN + 1)
            return GR_ERROR(err, GR_EFORMAT, "architecture \"%s\": more than %d hidden layers",
                            arch, GR_MLP_MAX_HIDDEN);
        int st = parse_layer(s + 1, &s, &widths[n], &acts[n], &alphas[n], n, err);
        if (st != GR_OK) return gr_error_prefix(err, st, "\"%s\": ", arch);
        n++;
    }
    if (n == 0 || *s != '\0')
        return GR_ERROR(err, GR_EFORMAT, "architecture \"%s\": no layers", arch);
    sp.n_hidden = n - 1;
    for (size_t i = 0; i + 1 < n; i++) {
        sp.hidden[i] = widths[i];
        if (acts[i] != acts[0] || alphas[i] != alphas[0])
            return GR_ERROR(err, GR_EINVAL,
                            "architecture \"%s\": hidden layers must share one activation", arch);
    }
    if (n > 1) {
        sp.hidden_act = acts[0];
        sp.hidden_alpha = alphas[0];
    }
    sp.out_dim = widths[n - 1];
    sp.out_act = acts[n - 1];
    sp.out_alpha = alphas[n - 1];
    GR_TRY(gr_mlp_spec_validate(&sp, err));
    *spec = sp;
    return GR_OK;
}
