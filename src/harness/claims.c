/* harness/claims.c — the claims catalogue read strictly (claims.h). */
#include "harness/claims.h"

#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness/resview.h"

struct gr_claims {
    char *path;
    size_t n;
    gr_claim_entry *e;
};

/* The non-ASCII characters a catalogue may hold, and their LaTeX. */
static const struct {
    const char *utf8, *tex;
} SYM[] = {
    {"§", "\\S{}"},      {"±", "$\\pm$"},     {"×", "$\\times$"},
    {"≥", "$\\geq$"},    {"≤", "$\\leq$"},    {"≠", "$\\neq$"},
    {"−", "$-$"},        {"≈", "$\\approx$"}, {"→", "$\\to$"},
    {"∞", "$\\infty$"},  {"∇", "$\\nabla$"},  {"‖", "$\\|$"},
    {"²", "$^2$"},       {"½", "$\\frac12$"}, {"θ", "$\\theta$"},
    {"λ", "$\\lambda$"}, {"σ", "$\\sigma$"},  {"ε", "$\\varepsilon$"},
    {"δ", "$\\delta$"},  {"π", "$\\pi$"},     {"τ", "$\\tau$"},
    {"—", "---"},        {"η", "$\\eta$"},
};
#define N_SYM (sizeof SYM / sizeof SYM[0])

/* Length of the catalogue symbol at s, 0 if none. */
static size_t sym_at(const char *s, size_t *which) {
    for (size_t k = 0; k < N_SYM; k++) {
        size_t n = strlen(SYM[k].utf8);
        if (!strncmp(s, SYM[k].utf8, n)) {
            if (which) *which = k;
            return n;
        }
    }
    return 0;
}

static int fail(gr_error *err, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(gr_error *err, const char *file, int line, const char *fmt, ...) {
    char msg[GR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) return GR_ERROR(err, GR_EFORMAT, "%s:%d: %s", file, line, msg);
    return GR_ERROR(err, GR_EFORMAT, "%s: %s", file, msg);
}

void gr_claims_free(gr_claims *c) {
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free((char *)c->e[i].id);
        free((char *)c->e[i].source);
        free((char *)c->e[i].statement);
        free((char *)c->e[i].cited);
        free((char *)c->e[i].no_criterion);
    }
    free(c->e);
    free(c->path);
    free(c);
}

/* A one-line text field: non-empty, at most GR_CLAIM_TEXT_MAX bytes, printable ASCII or a
 * catalogue symbol. */
static int check_text(const char *s, const char *key, const char *file, int line, gr_error *err) {
    size_t len = strlen(s);
    if (!len) return fail(err, file, line, "%s is empty", key);
    if (len > GR_CLAIM_TEXT_MAX)
        return fail(err, file, line, "%s is %zu bytes; at most %d (one line of the claims table)",
                    key, len, GR_CLAIM_TEXT_MAX);
    for (const char *p = s; *p;) {
        unsigned char b = (unsigned char)*p;
        if (b == '\n' || b == '\r')
            return fail(err, file, line, "%s holds a line break; it is one line", key);
        if (b < 0x20 || b == 0x7f)
            return fail(err, file, line, "%s holds the control character 0x%02x", key, b);
        if (b < 0x80) {
            p++;
            continue;
        }
        size_t n = sym_at(p, NULL);
        if (!n) {
            char bytes[16] = "";
            for (int k = 0; k < 3 && p[k]; k++)
                snprintf(bytes + 4 * k, sizeof bytes - (size_t)(4 * k), "\\x%02x",
                         (unsigned char)p[k]);
            return fail(err, file, line,
                        "%s holds a character (%s...) the LaTeX writer does not map; use ASCII or "
                        "one of § ± × ≥ ≤ ≠ − — ≈ → ∞ ∇ ‖ ² ½ θ λ σ ε δ π τ η",
                        key, bytes);
        }
        p += n;
    }
    return GR_OK;
}

static int id_number(const char *id, long *num) {
    if (id[0] != 'C' || strlen(id) < 3 || strlen(id) > 6) return 0;
    for (const char *p = id + 1; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    *num = strtol(id + 1, NULL, 10);
    return 1;
}

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int walk(gr_claims *C, config_t *cf, const char *file, gr_error *err) {
    config_setting_t *root = config_root_setting(cf);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        if (strcmp(config_setting_name(s), "claims"))
            return fail(err, file, config_setting_source_line(s),
                        "unknown setting %s; a claims catalogue has only claims = ( ... )",
                        config_setting_name(s));
    }
    config_setting_t *list = config_lookup(cf, "claims");
    if (!list) return fail(err, file, 0, "no claims = ( { id = \"C01\"; ... }, ... ) list");
    if (config_setting_type(list) != CONFIG_TYPE_LIST)
        return fail(err, file, config_setting_source_line(list),
                    "claims is not a list ( { ... }, ... )");
    size_t n = (size_t)config_setting_length(list);
    C->e = calloc(n ? n : 1, sizeof *C->e);
    if (!C->e) return GR_ERROR(err, GR_ENOMEM, "out of memory reading %s", file);
    long prev = -1;
    int prev_line = 0;
    static const char *const KEYS[5] = {"id", "source", "statement", "cited", "no_criterion"};
    for (size_t i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        int line = config_setting_source_line(g);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return fail(err, file, line, "claims element %zu is not a group { id = ...; }", i + 1);
        const char *val[5] = {NULL, NULL, NULL, NULL, NULL};
        for (int j = 0; j < config_setting_length(g); j++) {
            config_setting_t *f = config_setting_get_elem(g, (unsigned)j);
            const char *nm = config_setting_name(f);
            int fl = config_setting_source_line(f);
            int k = 0;
            while (k < 5 && strcmp(nm, KEYS[k]))
                k++;
            if (k == 5)
                return fail(err, file, fl,
                            "unknown key %s; a claim has id, source, statement, cited and "
                            "no_criterion",
                            nm);
            if (config_setting_type(f) != CONFIG_TYPE_STRING)
                return fail(err, file, fl, "%s is not a string", nm);
            val[k] = config_setting_get_string(f);
            if (k > 0) GR_TRY(check_text(val[k], nm, file, fl, err));
        }
        for (int k = 0; k < 3; k++)
            if (!val[k])
                return fail(err, file, line, "claim %zu has no %s (it needs id, source, statement)",
                            i + 1, KEYS[k]);
        long num;
        if (!id_number(val[0], &num))
            return fail(err, file, line, "id \"%s\" is not a claim id such as \"C07\"", val[0]);
        if (num == prev)
            return fail(err, file, line, "id %s again (first at line %d)", val[0], prev_line);
        if (num < prev)
            return fail(err, file, line, "id %s after %s: claims are listed in id order", val[0],
                        C->e[i - 1].id);
        prev = num;
        prev_line = line;
        gr_claim_entry *e = &C->e[i];
        C->n = i + 1; /* so gr_claims_free frees what was copied */
        e->line = line;
        e->id = dup(val[0]);
        e->source = dup(val[1]);
        e->statement = dup(val[2]);
        e->cited = val[3] ? dup(val[3]) : NULL;
        e->no_criterion = val[4] ? dup(val[4]) : NULL;
        if (!e->id || !e->source || !e->statement || (val[3] && !e->cited) ||
            (val[4] && !e->no_criterion))
            return GR_ERROR(err, GR_ENOMEM, "out of memory reading %s", file);
    }
    return GR_OK;
}

int gr_claims_load_text(gr_claims **out, const char *text, const char *name, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_claims_load_text: out is NULL");
    *out = NULL;
    if (!text || !name) return GR_ERROR(err, GR_EINVAL, "gr_claims_load_text: no text or name");
    /* no @include: the catalogue is one file */
    int line = 1;
    for (const char *p = text; *p; line++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!strncmp(p, "@include", 8))
            return fail(err, name, line, "@include is not allowed in a claims catalogue");
        const char *e = strchr(p, '\n');
        if (!e) break;
        p = e + 1;
    }
    gr_claims *C = calloc(1, sizeof *C);
    if (!C || !(C->path = dup(name))) {
        free(C);
        return GR_ERROR(err, GR_ENOMEM, "out of memory reading %s", name);
    }
    config_t cf;
    config_init(&cf);
    int st;
    if (!config_read_string(&cf, text))
        st = fail(err, name, config_error_line(&cf), "%s (libconfig)", config_error_text(&cf));
    else
        st = walk(C, &cf, name, err);
    config_destroy(&cf);
    if (st != GR_OK) {
        gr_claims_free(C);
        return st;
    }
    *out = C;
    return GR_OK;
}

int gr_claims_load(gr_claims **out, const char *path, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_claims_load: out is NULL");
    *out = NULL;
    if (!path) return GR_ERROR(err, GR_EINVAL, "gr_claims_load: no path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return GR_ERROR(err, GR_EIO, "%s: cannot open the claims catalogue: %s", path,
                        strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int st = GR_OK;
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len < cap - 1) break;
        char *nb = cap < (1u << 24) ? realloc(buf, cap * 2) : NULL;
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (!buf)
        st = GR_ERROR(err, GR_ENOMEM, "%s: out of memory (or larger than 16 MiB)", path);
    else if (ferror(f))
        st = GR_ERROR(err, GR_EIO, "%s: read error", path);
    fclose(f);
    if (st == GR_OK) {
        buf[len] = '\0';
        if (memchr(buf, '\0', len))
            st = fail(err, path, 0, "holds a NUL byte: not a text file");
        else
            st = gr_claims_load_text(out, buf, path, err);
    }
    free(buf);
    return st;
}

const char *gr_claims_path(const gr_claims *c) { return c ? c->path : NULL; }
size_t gr_claims_count(const gr_claims *c) { return c ? c->n : 0; }
const gr_claim_entry *gr_claims_at(const gr_claims *c, size_t i) {
    return c && i < c->n ? &c->e[i] : NULL;
}
const gr_claim_entry *gr_claims_find(const gr_claims *c, const char *id) {
    for (size_t i = 0; c && id && i < c->n; i++)
        if (!strcmp(c->e[i].id, id)) return &c->e[i];
    return NULL;
}

void gr_claims_put_tex(FILE *f, const char *s) {
    char run[256];
    size_t n = 0;
    for (const char *p = s; p && *p;) {
        size_t k, len = (unsigned char)*p >= 0x80 ? sym_at(p, &k) : 0;
        if (len || n + 1 >= sizeof run) {
            run[n] = '\0';
            gr_report_put_tex(f, run);
            n = 0;
        }
        const char *asc = *p == '<'   ? "\\textless{}"
                          : *p == '>' ? "\\textgreater{}"
                          : *p == '|' ? "\\textbar{}"
                                      : NULL;
        if (len) {
            fputs(SYM[k].tex, f);
            p += len;
        } else if (asc) {
            run[n] = '\0';
            gr_report_put_tex(f, run);
            n = 0;
            fputs(asc, f);
            p++;
        } else {
            run[n++] = *p++;
        }
    }
    run[n] = '\0';
    gr_report_put_tex(f, run);
}
