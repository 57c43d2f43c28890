/* harness/plan.c — experiment files: strict reading (libconfig), resolution, canonical
 * text, sweep expansion, run ids, typed getters (contract: harness/plan.h; keys:
 * harness/schema.h).
 *
 * Reading. @include lines are taken out of the text before libconfig sees it (replaced by
 * blanks, so libconfig's line numbers stay the file's) and read first, as separate files:
 * libconfig 1.5 would paste them in place, and then a key of base.cfg could not be
 * overridden (a "duplicate setting name"). So an included file gives defaults and the
 * including file wins, key by key. Each file is parsed by config_read_string and walked
 * against the schema; every value is checked when it is read, where its line is known.
 *
 * State. A slot per schema key holds its alternatives (1: a fixed value; more: a sweep
 * axis) and where it was set. Method keys live in one slot table per method alternative
 * (a list of method groups is a sweep over methods); everything else in one shared table.
 * Everything a plan hands out lives in its arena, freed at once by gr_plan_free.
 */
#include "harness/plan.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "harness/schema.h"
#include "io/sha256.h"
#include "nn/mlp.h"

#define MAX_KEYS          160
#define MAX_INCLUDE_DEPTH 16
#define GR_PLAN_MAX_RUNS  100000 /* each run keeps its settings text (a few kB) */
#define N_PROFILES        3
static const char *const profile_names[N_PROFILES] = {"ci", "quick", "full"};

/* ---- arena ------------------------------------------------------------------------------ */

typedef struct block {
    struct block *next;
    max_align_t data[];
} block;

typedef struct arena {
    block *head;
} arena;

static void *arena_alloc(arena *a, size_t n) {
    if (n > SIZE_MAX - sizeof(block) - 16) return NULL;
    block *b = calloc(1, sizeof(block) + n + 1);
    if (!b) return NULL;
    b->next = a->head;
    a->head = b;
    return b->data;
}

static char *arena_strdup(arena *a, const char *s) {
    size_t n = strlen(s);
    char *p = arena_alloc(a, n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

static void arena_free(arena *a) {
    for (block *b = a->head; b;) {
        block *nx = b->next;
        free(b);
        b = nx;
    }
    a->head = NULL;
}

/* A growable string (malloc'd; copied into the arena when done). */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...) {
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* ---- values ----------------------------------------------------------------------------- */

/* One value: n elements of the key's base type (scalars have n = 1). */
typedef struct val {
    size_t n;
    int64_t *i; /* BOOL, INT, INTS */
    double *d;  /* DOUBLE, DOUBLES */
    char **s;   /* STRING, ENUM, ARCH, IDENT, CLAIM, CLAIMS */
} val;

typedef struct origin {
    const char *file; /* file name, or "--set KEY=VALUE" (line 0) */
    int line;
} origin;

typedef struct slot {
    int set; /* 0: no value yet */
    origin at;
    size_t n_alt; /* 1 fixed, > 1 sweep axis */
    val *alt;
} slot;

#define MAX_WHERE 8

/* The criteria.* rows of the schema, in its order. */
enum {
    CF_CLAIM,
    CF_METRIC,
    CF_CONDITION,
    CF_THRESHOLD,
    CF_THRESHOLD_HI,
    CF_OVER,
    CF_K,
    CF_DOC,
    CF_WHERE,
    CF_AGAINST,
    GR_CRIT_FIELDS
};

typedef struct criterion_rec {
    slot f[GR_CRIT_FIELDS]; /* indexed by the criteria.* rows' order (CF_*) */
    origin at;
    size_t n_where; /* conditions of `where` */
    const char *where_key[MAX_WHERE];
    const char *where_val[MAX_WHERE]; /* canonical value text */
    size_t n_against;                 /* conditions of `against` (over = "paired") */
    const char *against_key[MAX_WHERE];
    const char *against_val[MAX_WHERE];
    /* over = "paired", after the expansion: pairs (run indices, where's and against's) in
     * where's run order, and the selected runs without a partner with their side */
    size_t n_pairs, n_unpaired;
    size_t *pair_a, *pair_b, *unpaired;
    int *unpaired_side;
} criterion_rec;

typedef struct group_seen {
    const char *path;
    origin at;
} group_seen;

struct gr_run {
    const gr_plan *plan;
    size_t index, variant;
    uint64_t seed;
    size_t *choice; /* per schema key: alternative index */
    char id[GR_RUN_ID_LEN + 1];
    char *text;
    const char **swept; /* per plan axis */
};

struct gr_plan {
    arena a;
    const char *path, *name, *title, *protocol, *profile;
    unsigned proto_bit;
    slot top[MAX_KEYS];
    size_t n_var;
    slot (*var)[MAX_KEYS]; /* method alternatives */
    origin method_at;
    int method_is_list;
    slot prof[N_PROFILES][MAX_KEYS];
    int prof_present[N_PROFILES];
    origin prof_at[N_PROFILES];
    int have_profiles;
    origin profiles_at;
    size_t n_crit;
    criterion_rec *crit;
    gr_criterion *crit_pub;
    group_seen groups[64];
    size_t n_groups;
    const char *top_file;
    /* results */
    size_t n_claims;
    const char **claims;
    size_t n_seeds;
    uint64_t *seeds;
    size_t n_axes;
    size_t *axis_key; /* schema index; SIZE_MAX for the "method" axis */
    const char **axis_name;
    size_t n_runs;
    gr_run *runs;
    char *text;
    char hash[8 + 64 + 1];
    /* include stack */
    const char *stack[MAX_INCLUDE_DEPTH + 1];
    char *stack_real[MAX_INCLUDE_DEPTH + 1];
    size_t depth;
};

/* ---- messages --------------------------------------------------------------------------- */

static int fail(gr_error *err, int code, origin at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(gr_error *err, int code, origin at, const char *fmt, ...) {
    char msg[GR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at.line > 0) return GR_ERROR(err, code, "%s:%d: %s", at.file, at.line, msg);
    return GR_ERROR(err, code, "%s: %s", at.file, msg);
}

static int oom(gr_error *err) {
    return GR_ERROR(err, GR_ENOMEM, "out of memory reading an experiment");
}

static const char *accepts(const gr_schema_key *k, char buf[256]) {
    gr_schema_accepts(k, buf, 256);
    return buf;
}

/* How a setting looks, for "got ..." in messages. */
static const char *describe_setting(const config_setting_t *s, char buf[96]) {
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: snprintf(buf, 96, "the int %d", config_setting_get_int(s)); break;
    case CONFIG_TYPE_INT64:
        snprintf(buf, 96, "the int %lld", (long long)config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, 96, "the number %.17g", config_setting_get_float(s));
        break;
    case CONFIG_TYPE_STRING:
        snprintf(buf, 96, "the string \"%.60s\"", config_setting_get_string(s));
        break;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, 96, "%s", config_setting_get_bool(s) ? "true" : "false");
        break;
    case CONFIG_TYPE_GROUP: snprintf(buf, 96, "a group { }"); break;
    case CONFIG_TYPE_ARRAY: snprintf(buf, 96, "an array [ ]"); break;
    case CONFIG_TYPE_LIST: snprintf(buf, 96, "a list ( )"); break;
    default: snprintf(buf, 96, "a value of unknown type"); break;
    }
    return buf;
}

/* ---- schema helpers --------------------------------------------------------------------- */

static int is_method_key(const gr_schema_key *k) { return !strncmp(k->path, "method.", 7); }
static int is_crit_key(const gr_schema_key *k) { return !strncmp(k->path, "criteria.", 9); }
static int is_array_type(gr_key_type t) {
    return t == GR_KEY_INTS || t == GR_KEY_DOUBLES || t == GR_KEY_CLAIMS;
}
static gr_key_type base_type(gr_key_type t) {
    return t == GR_KEY_INTS      ? GR_KEY_INT
           : t == GR_KEY_DOUBLES ? GR_KEY_DOUBLE
           : t == GR_KEY_CLAIMS  ? GR_KEY_CLAIM
                                 : t;
}
static int uses_int(gr_key_type t) { return t == GR_KEY_BOOL || t == GR_KEY_INT; }
static int uses_double(gr_key_type t) { return t == GR_KEY_DOUBLE; }

/* Is `path` a section (some key starts with path + ".")? Criteria rows excluded. */
static int is_section(const char *path) {
    size_t n = strlen(path);
    for (size_t i = 0; i < gr_schema_n_keys(); i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        if (is_crit_key(k)) continue;
        if (!strncmp(k->path, path, n) && k->path[n] == '.') return 1;
    }
    return 0;
}

/* The names a section accepts, "a, b, c", for unknown-key messages. */
static void section_names(const char *section, char *buf, size_t size) {
    size_t n = section ? strlen(section) : 0, len = 0;
    buf[0] = '\0';
    const char *last = NULL;
    size_t last_n = 0;
    for (size_t i = 0; i < gr_schema_n_keys(); i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        if (is_crit_key(k) && !(section && !strcmp(section, "criteria"))) continue;
        const char *rest;
        if (section) {
            if (strncmp(k->path, section, n) || k->path[n] != '.') continue;
            rest = k->path + n + 1;
        } else {
            rest = k->path;
        }
        const char *dot = strchr(rest, '.');
        size_t m = dot ? (size_t)(dot - rest) : strlen(rest);
        if (last && last_n == m && !strncmp(last, rest, m)) continue;
        last = rest;
        last_n = m;
        int w = snprintf(buf + len, len < size ? size - len : 0, "%s%.*s", len ? ", " : "", (int)m,
                         rest);
        if (w > 0) len += (size_t)w;
        if (len >= size) break;
    }
    if (!section) {
        int w = snprintf(buf + len, len < size ? size - len : 0, ", criteria, profiles");
        (void)w;
    }
}

static unsigned method_bit(const char *name) {
    int i = gr_schema_choice_index(GR_METHODS, name);
    return i < 0 ? 0u : 1u << i;
}
static unsigned optim_bit(const char *name) {
    int i = gr_schema_choice_index(GR_OPTIMS, name);
    return i < 0 ? 0u : 1u << i;
}

/* ---- reading one element ---------------------------------------------------------------- */

static int valid_ident(const char *s) {
    if (!(*s >= 'a' && *s <= 'z')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}
static int valid_claim(const char *s) {
    return s[0] == 'C' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' && !s[3];
}

/* Check element `s` against base type t of key k; store it as element j of v. */
static int read_elem(gr_plan *P, const gr_schema_key *k, const config_setting_t *s, origin at,
                     val *v, size_t j, gr_error *err) {
    char acc[256], got[96];
    gr_key_type t = base_type(k->type);
    int st = config_setting_type(s);
    switch (t) {
    case GR_KEY_BOOL:
        if (st != CONFIG_TYPE_BOOL) break;
        v->i[j] = config_setting_get_bool(s) ? 1 : 0;
        return GR_OK;
    case GR_KEY_INT: {
        if (st != CONFIG_TYPE_INT && st != CONFIG_TYPE_INT64) break;
        long long x = config_setting_get_int64(s);
        if ((double)x < k->lo || (double)x > k->hi ||
            ((k->open & GR_OPEN_LO) && (double)x == k->lo))
            return fail(err, GR_EFORMAT, at, "%s = %lld is out of range; %s accepts %s", k->path, x,
                        k->path, accepts(k, acc));
        v->i[j] = (int64_t)x;
        return GR_OK;
    }
    case GR_KEY_DOUBLE: {
        double x;
        if (st == CONFIG_TYPE_FLOAT)
            x = config_setting_get_float(s);
        else if (st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64) {
            long long ix = config_setting_get_int64(s);
            if (ix > (1LL << 53) || ix < -(1LL << 53))
                return fail(err, GR_EFORMAT, at,
                            "%s = %lld is not exact as a double; %s accepts %s", k->path, ix,
                            k->path, accepts(k, acc));
            x = (double)ix;
        } else
            break;
        if (!isfinite(x) || x < k->lo || x > k->hi || ((k->open & GR_OPEN_LO) && x == k->lo) ||
            ((k->open & GR_OPEN_HI) && x == k->hi))
            return fail(err, GR_EFORMAT, at, "%s = %.17g is out of range; %s accepts %s", k->path,
                        x, k->path, accepts(k, acc));
        v->d[j] = x;
        return GR_OK;
    }
    default: {
        if (st != CONFIG_TYPE_STRING) break;
        const char *x = config_setting_get_string(s);
        if (t == GR_KEY_ENUM && gr_schema_choice_index(k->choices, x) < 0)
            return fail(err, GR_EFORMAT, at, "%s = \"%.60s\" is not accepted; %s accepts %s",
                        k->path, x, k->path, accepts(k, acc));
        if (t == GR_KEY_IDENT && !valid_ident(x))
            return fail(err, GR_EFORMAT, at, "%s = \"%.60s\" is not a name; %s accepts %s", k->path,
                        x, k->path, accepts(k, acc));
        if (t == GR_KEY_CLAIM && !valid_claim(x))
            return fail(err, GR_EFORMAT, at, "%s: \"%.60s\" is not a claim id; %s accepts %s",
                        k->path, x, k->path, accepts(k, acc));
        if (t == GR_KEY_ARCH) {
            gr_mlp_spec spec;
            gr_error e2;
            if (gr_mlp_spec_parse(&spec, x, &e2) != GR_OK ||
                gr_mlp_spec_validate(&spec, &e2) != GR_OK)
                return fail(err, GR_EFORMAT, at, "%s = \"%.60s\": %s; %s accepts %s", k->path, x,
                            e2.msg, k->path, accepts(k, acc));
        }
        v->s[j] = arena_strdup(&P->a, x);
        if (!v->s[j]) return oom(err);
        return GR_OK;
    }
    }
    return fail(err, GR_EFORMAT, at, "%s: wrong type, got %s; %s accepts %s", k->path,
                describe_setting(s, got), k->path, accepts(k, acc));
}

static int val_init(gr_plan *P, const gr_schema_key *k, val *v, size_t n, gr_error *err) {
    memset(v, 0, sizeof *v);
    v->n = n;
    size_t m = n ? n : 1;
    gr_key_type t = base_type(k->type);
    if (uses_int(t))
        v->i = arena_alloc(&P->a, m * sizeof *v->i);
    else if (uses_double(t))
        v->d = arena_alloc(&P->a, m * sizeof *v->d);
    else
        v->s = arena_alloc(&P->a, m * sizeof *v->s);
    if (!v->i && !v->d && !v->s) return oom(err);
    return GR_OK;
}

/* One whole value (an array for array keys). */
static int read_value(gr_plan *P, const gr_schema_key *k, const config_setting_t *s, origin at,
                      val *v, gr_error *err) {
    char acc[256], got[96];
    if (is_array_type(k->type)) {
        if (config_setting_type(s) != CONFIG_TYPE_ARRAY)
            return fail(err, GR_EFORMAT, at, "%s: wrong type, got %s; %s accepts %s", k->path,
                        describe_setting(s, got), k->path, accepts(k, acc));
        size_t n = (size_t)config_setting_length(s);
        if (n < k->min_len || n > k->max_len)
            return fail(err, GR_EFORMAT, at, "%s has %zu elements; %s accepts %s", k->path, n,
                        k->path, accepts(k, acc));
        GR_TRY(val_init(P, k, v, n, err));
        for (size_t j = 0; j < n; j++)
            GR_TRY(read_elem(P, k, config_setting_get_elem(s, (unsigned)j), at, v, j, err));
        return GR_OK;
    }
    GR_TRY(val_init(P, k, v, 1, err));
    return read_elem(P, k, s, at, v, 0, err);
}

/* ---- canonical text of values ------------------------------------------------------------ */

/* The shortest %g form that reads back exactly, without an exponent for integers up to
 * 1e17 (10.0, not 1e+01), always with a '.' or an exponent so libconfig reads a float. */
static void fmt_double(double x, char out[40]) {
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(out, 40, "%.*g", prec, x);
        if (strtod(out, NULL) == x) break;
    }
    double ax = fabs(x);
    if (ax >= 1 && ax < 1e17) {
        int int_digits = (int)floor(log10(ax)) + 1;
        if (int_digits > prec) snprintf(out, 40, "%.*g", int_digits, x);
    }
    if (!strpbrk(out, ".e")) strcat(out, ".0");
}

static void sb_string(sbuf *b, const char *s) {
    sb_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_add(b, "\\%c", *p);
        else if (*p == '\n')
            sb_add(b, "\\n");
        else if (*p == '\t')
            sb_add(b, "\\t");
        else if (*p == '\r')
            sb_add(b, "\\r");
        else if (*p == '\f')
            sb_add(b, "\\f");
        else if (*p < 0x20)
            sb_add(b, "\\x%02x", *p);
        else
            sb_add(b, "%c", *p);
    }
    sb_add(b, "\"");
}

static void sb_elem(sbuf *b, const gr_schema_key *k, const val *v, size_t j) {
    gr_key_type t = base_type(k->type);
    if (t == GR_KEY_BOOL)
        sb_add(b, "%s", v->i[j] ? "true" : "false");
    else if (t == GR_KEY_INT) {
        if (v->i[j] > INT_MAX || v->i[j] < INT_MIN)
            sb_add(b, "%lldL", (long long)v->i[j]);
        else
            sb_add(b, "%lld", (long long)v->i[j]);
    } else if (t == GR_KEY_DOUBLE) {
        char d[40];
        fmt_double(v->d[j], d);
        sb_add(b, "%s", d);
    } else
        sb_string(b, v->s[j]);
}

static void sb_value(sbuf *b, const gr_schema_key *k, const val *v) {
    if (!is_array_type(k->type)) {
        sb_elem(b, k, v, 0);
        return;
    }
    sb_add(b, "[");
    for (size_t j = 0; j < v->n; j++) {
        if (j) sb_add(b, ", ");
        sb_elem(b, k, v, j);
    }
    sb_add(b, "]");
}

static void sb_slot(sbuf *b, const gr_schema_key *k, const slot *sl) {
    if (sl->n_alt == 1) {
        sb_value(b, k, &sl->alt[0]);
        return;
    }
    int arr = is_array_type(k->type);
    sb_add(b, arr ? "( " : "[");
    for (size_t a = 0; a < sl->n_alt; a++) {
        if (a) sb_add(b, ", ");
        sb_value(b, k, &sl->alt[a]);
    }
    sb_add(b, arr ? " )" : "]");
}

static int vals_equal(const gr_schema_key *k, const val *x, const val *y) {
    if (x->n != y->n) return 0;
    for (size_t j = 0; j < x->n; j++) {
        gr_key_type t = base_type(k->type);
        if (uses_int(t)      ? x->i[j] != y->i[j]
            : uses_double(t) ? memcmp(&x->d[j], &y->d[j], sizeof(double)) != 0
                             : strcmp(x->s[j], y->s[j]) != 0)
            return 0;
    }
    return 1;
}

/* ---- applying settings ------------------------------------------------------------------ */

/* Read setting s (a value, an array of values or a list of arrays) into slot sl. */
static int read_slot(gr_plan *P, const gr_schema_key *k, const config_setting_t *s, origin at,
                     slot *sl, gr_error *err) {
    char acc[256];
    int st = config_setting_type(s);
    int arr = is_array_type(k->type);
    int sweep_form = arr ? st == CONFIG_TYPE_LIST : st == CONFIG_TYPE_ARRAY;
    if (!arr && st == CONFIG_TYPE_LIST)
        return fail(err, GR_EFORMAT, at,
                    "%s: a list ( ) is not a value here; a sweep is an array [a, b, ...]; %s "
                    "accepts %s",
                    k->path, k->path, accepts(k, acc));
    if (sweep_form) {
        size_t n = (size_t)config_setting_length(s);
        if (!(k->flags & GR_KEY_SWEEP))
            return fail(err, GR_EFORMAT, at,
                        "%s takes one value, not %s (it is not a sweep axis); %s accepts %s",
                        k->path, arr ? "a list of arrays" : "an array", k->path, accepts(k, acc));
        if (n == 0)
            return fail(err, GR_EFORMAT, at,
                        "%s: a sweep with no values (zero runs); give at least one value: %s",
                        k->path, accepts(k, acc));
        val *alt = arena_alloc(&P->a, n * sizeof *alt);
        if (!alt) return oom(err);
        for (size_t a = 0; a < n; a++) {
            GR_TRY(read_value(P, k, config_setting_get_elem(s, (unsigned)a), at, &alt[a], err));
            for (size_t b = 0; b < a; b++)
                if (vals_equal(k, &alt[a], &alt[b]))
                    return fail(err, GR_EFORMAT, at,
                                "%s: the sweep repeats value %zu as value %zu (two runs with the "
                                "same settings)",
                                k->path, b + 1, a + 1);
        }
        sl->alt = alt;
        sl->n_alt = n;
    } else {
        val *alt = arena_alloc(&P->a, sizeof *alt);
        if (!alt) return oom(err);
        GR_TRY(read_value(P, k, s, at, alt, err));
        sl->alt = alt;
        sl->n_alt = 1;
    }
    sl->set = 1;
    sl->at = at;
    return GR_OK;
}

static void note_group(gr_plan *P, const char *path, origin at) {
    for (size_t i = 0; i < P->n_groups; i++)
        if (!strcmp(P->groups[i].path, path)) {
            P->groups[i].at = at;
            return;
        }
    if (P->n_groups < sizeof P->groups / sizeof P->groups[0]) {
        P->groups[P->n_groups].path = arena_strdup(&P->a, path);
        P->groups[P->n_groups].at = at;
        if (P->groups[P->n_groups].path) P->n_groups++;
    }
}

static origin group_origin(const gr_plan *P, const char *path) {
    for (size_t i = 0; i < P->n_groups; i++)
        if (!strcmp(P->groups[i].path, path)) return P->groups[i].at;
    origin o = {P->top_file, 1};
    return o;
}

typedef enum { TARGET_TOP, TARGET_VARIANTS, TARGET_PROFILE } target_kind;

static int walk_group(gr_plan *P, const config_setting_t *g, const char *prefix, const char *file,
                      target_kind tk, size_t prof, slot *var, gr_error *err);

/* A list of method groups: each element starts from the method settings defined so far
 * (a single group, e.g. from base.cfg) and is a sweep alternative. */
static int apply_method_list(gr_plan *P, const config_setting_t *s, const char *file,
                             gr_error *err) {
    origin at = {file, config_setting_source_line(s)};
    size_t n = (size_t)config_setting_length(s);
    if (n == 0)
        return fail(err, GR_EFORMAT, at,
                    "method: a sweep with no methods (zero runs); give at least one group "
                    "{ name = \"...\"; }");
    slot(*nv)[MAX_KEYS] = arena_alloc(&P->a, n * sizeof *nv);
    if (!nv) return oom(err);
    for (size_t a = 0; a < n; a++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)a);
        origin eat = {file, config_setting_source_line(e)};
        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
            char got[96];
            return fail(err, GR_EFORMAT, eat,
                        "method: element %zu of the list is %s; a method sweep is a list of "
                        "groups ( { name = \"gan_ns\"; }, { name = \"wgan_gp\"; } )",
                        a + 1, describe_setting(e, got));
        }
        if (P->n_var == 1 && !P->method_is_list)
            memcpy(nv[a], P->var[0], sizeof nv[a]);
        else
            memset(nv[a], 0, sizeof nv[a]);
        GR_TRY(walk_group(P, e, "method", file, TARGET_VARIANTS, 0, nv[a], err));
    }
    P->var = nv;
    P->n_var = n;
    P->method_is_list = 1;
    P->method_at = at;
    return GR_OK;
}

static int apply_criteria(gr_plan *P, const config_setting_t *s, const char *file, gr_error *err) {
    origin at = {file, config_setting_source_line(s)};
    char got[96];
    if (config_setting_type(s) != CONFIG_TYPE_LIST)
        return fail(err, GR_EFORMAT, at,
                    "criteria: wrong type, got %s; criteria is a list of groups ( { claim = "
                    "\"C19\"; metric = \"...\"; condition = \"<\"; threshold = 0.01; }, ... )",
                    describe_setting(s, got));
    size_t n = (size_t)config_setting_length(s);
    criterion_rec *c = n ? arena_alloc(&P->a, n * sizeof *c) : NULL;
    if (n && !c) return oom(err);
    size_t first;
    gr_schema_find("criteria.claim", &first);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        origin eat = {file, config_setting_source_line(e)};
        memset(&c[i], 0, sizeof c[i]);
        c[i].at = eat;
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return fail(err, GR_EFORMAT, eat, "criteria: element %zu is %s, not a group { }", i + 1,
                        describe_setting(e, got));
        for (unsigned j = 0; j < (unsigned)config_setting_length(e); j++) {
            const config_setting_t *f = config_setting_get_elem(e, j);
            char path[128];
            snprintf(path, sizeof path, "criteria.%s", config_setting_name(f));
            size_t ki;
            const gr_schema_key *k = gr_schema_find(path, &ki);
            origin fat = {file, config_setting_source_line(f)};
            if (!k) {
                char names[512];
                section_names("criteria", names, sizeof names);
                return fail(err, GR_EFORMAT, fat, "unknown key %s; a criterion has: %s", path,
                            names);
            }
            GR_TRY(read_slot(P, k, f, fat, &c[i].f[ki - first], err));
        }
    }
    P->crit = c;
    P->n_crit = n;
    return GR_OK;
}

static int apply_profiles(gr_plan *P, const config_setting_t *s, const char *file, gr_error *err) {
    origin at = {file, config_setting_source_line(s)};
    char got[96];
    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return fail(err, GR_EFORMAT, at,
                    "profiles: wrong type, got %s; profiles is a group "
                    "{ ci { ... }; quick { ... }; full { ... }; }",
                    describe_setting(s, got));
    P->have_profiles = 1;
    P->profiles_at = at;
    for (unsigned j = 0; j < (unsigned)config_setting_length(s); j++) {
        const config_setting_t *p = config_setting_get_elem(s, j);
        origin pat = {file, config_setting_source_line(p)};
        const char *nm = config_setting_name(p);
        int pi = gr_schema_choice_index("ci|quick|full", nm);
        if (pi < 0)
            return fail(err, GR_EFORMAT, pat,
                        "unknown profile profiles.%s; the profiles are ci, quick and full", nm);
        if (config_setting_type(p) != CONFIG_TYPE_GROUP)
            return fail(err, GR_EFORMAT, pat,
                        "profiles.%s: wrong type, got %s; a profile is a "
                        "group of sizes { schedule = { steps = 1000; }; }",
                        nm, describe_setting(p, got));
        P->prof_present[pi] = 1;
        P->prof_at[pi] = pat;
        GR_TRY(walk_group(P, p, NULL, file, TARGET_PROFILE, (size_t)pi, NULL, err));
    }
    return GR_OK;
}

/* Walk the settings of group g (whose path is prefix; NULL = the root). */
static int walk_group(gr_plan *P, const config_setting_t *g, const char *prefix, const char *file,
                      target_kind tk, size_t prof, slot *var, gr_error *err) {
    unsigned n = (unsigned)config_setting_length(g);
    for (unsigned j = 0; j < n; j++) {
        const config_setting_t *s = config_setting_get_elem(g, j);
        const char *nm = config_setting_name(s);
        origin at = {file, config_setting_source_line(s)};
        char path[256], got[96];
        if (prefix)
            snprintf(path, sizeof path, "%s.%s", prefix, nm);
        else
            snprintf(path, sizeof path, "%s", nm);
        if (tk == TARGET_TOP && !prefix) {
            if (!strcmp(nm, "criteria")) {
                GR_TRY(apply_criteria(P, s, file, err));
                continue;
            }
            if (!strcmp(nm, "profiles")) {
                GR_TRY(apply_profiles(P, s, file, err));
                continue;
            }
        }
        if (!strcmp(path, "method") && tk == TARGET_TOP &&
            config_setting_type(s) == CONFIG_TYPE_LIST) {
            GR_TRY(apply_method_list(P, s, file, err));
            continue;
        }
        size_t ki;
        const gr_schema_key *k = is_section(path) ? NULL : gr_schema_find(path, &ki);
        if (k && is_crit_key(k)) k = NULL;
        if (!k && is_section(path)) {
            if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
                char names[512];
                section_names(path, names, sizeof names);
                return fail(err, GR_EFORMAT, at, "%s: wrong type, got %s; %s is a group { } of: %s",
                            path, describe_setting(s, got), path, names);
            }
            if (tk == TARGET_TOP) note_group(P, path, at);
            if (!strcmp(path, "method") && tk == TARGET_TOP) {
                if (P->method_is_list) {
                    /* a single group after a list (an included sweep): applies to each */
                    for (size_t v = 0; v < P->n_var; v++)
                        GR_TRY(walk_group(P, s, path, file, TARGET_VARIANTS, 0, P->var[v], err));
                } else {
                    GR_TRY(walk_group(P, s, path, file, TARGET_VARIANTS, 0, P->var[0], err));
                }
                P->method_at = at;
                continue;
            }
            GR_TRY(walk_group(P, s, path, file, tk, prof, var, err));
            continue;
        }
        if (!k) {
            char names[700];
            const char *dot = strrchr(path, '.');
            char section[256] = "";
            if (dot) snprintf(section, sizeof section, "%.*s", (int)(dot - path), path);
            section_names(dot ? section : NULL, names, sizeof names);
            if (tk == TARGET_PROFILE)
                return fail(err, GR_EFORMAT, at, "unknown key %s in profiles.%s; %s has: %s", path,
                            profile_names[prof], dot ? section : "the top level", names);
            return fail(err, GR_EFORMAT, at, "unknown key %s; %s has: %s", path,
                        dot ? section : "the top level", names);
        }
        if (tk == TARGET_PROFILE && !(k->flags & GR_KEY_SIZE))
            return fail(err, GR_EFORMAT, at,
                        "%s is not a size: a profile sets only sizes (schedule.steps, eval.n, "
                        "n_seeds, probes.*, ...; see docs/EXPERIMENTS.md); set %s outside "
                        "profiles",
                        path, path);
        slot *target;
        if (tk == TARGET_PROFILE)
            target = &P->prof[prof][ki];
        else if (is_method_key(k)) {
            if (tk == TARGET_VARIANTS)
                target = &var[ki];
            else
                return fail(err, GR_EINTERNAL, at, "%s outside the method group (a bug)", path);
        } else
            target = &P->top[ki];
        GR_TRY(read_slot(P, k, s, at, target, err));
    }
    return GR_OK;
}

/* ---- files and includes ----------------------------------------------------------------- */

static char *read_whole(const char *path, gr_error *err, origin at) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        if (at.file) {
            fail(err, GR_EIO, at, "cannot open include file %s: %s", path, strerror(e));
        } else {
            GR_ERROR(err, GR_EIO, "%s: cannot open: %s", path, strerror(e));
        }
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len < cap - 1) break;
        char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f), bad_errno = errno;
    fclose(f);
    if (!buf) {
        oom(err);
        return NULL;
    }
    if (bad) {
        free(buf);
        GR_ERROR(err, GR_EIO, "%s: cannot read: %s", path, strerror(bad_errno));
        return NULL;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        free(buf);
        GR_ERROR(err, GR_EFORMAT, "%s: contains a NUL byte: not a text file", path);
        return NULL;
    }
    return buf;
}

typedef struct include_ref {
    char path[1024];
    int line;
} include_ref;

/* Take @include lines out of text (blanked in place); check integer literals libconfig
 * would wrap. Collects up to cap includes. */
static int prescan(char *text, const char *file, include_ref *inc, size_t cap, size_t *n_inc,
                   gr_error *err) {
    *n_inc = 0;
    int line = 1, bol = 1;
    for (char *p = text; *p;) {
        if (bol) {
            char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (!strncmp(q, "@include", 8)) {
                origin at = {file, line};
                char *r = q + 8;
                while (*r == ' ' || *r == '\t')
                    r++;
                char *close = *r == '"' ? strchr(r + 1, '"') : NULL;
                char *eol = strchr(r, '\n');
                if (!close || (eol && close > eol))
                    return fail(err, GR_EFORMAT, at, "expected @include \"FILE\"");
                char *t = close + 1;
                while (*t == ' ' || *t == '\t' || *t == '\r')
                    t++;
                if (*t && *t != '\n' && *t != '#' && strncmp(t, "//", 2))
                    return fail(err, GR_EFORMAT, at,
                                "expected @include \"FILE\" alone on its line");
                if (*n_inc >= cap)
                    return fail(err, GR_EFORMAT, at, "more than %zu @include lines", cap);
                size_t len = (size_t)(close - r - 1);
                if (len == 0 || len >= sizeof inc[0].path)
                    return fail(err, GR_EFORMAT, at, "@include: empty or too long file name");
                memcpy(inc[*n_inc].path, r + 1, len);
                inc[*n_inc].path[len] = '\0';
                inc[*n_inc].line = line;
                (*n_inc)++;
                for (; *p && *p != '\n'; p++)
                    *p = ' ';
                continue;
            }
        }
        bol = 0;
        char c = *p;
        if (c == '\n') {
            line++;
            bol = 1;
            p++;
        } else if (c == '"') { /* skip a string */
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                if (*p == '\n') line++;
            }
            if (*p) p++;
        } else if (c == '#' || (c == '/' && p[1] == '/')) {
            while (*p && *p != '\n')
                p++;
        } else if (c == '/' && p[1] == '*') {
            for (p += 2; *p && !(*p == '*' && p[1] == '/'); p++)
                if (*p == '\n') line++;
            if (*p) p += 2;
        } else if (c >= '0' && c <= '9') {
            char prev = p > text ? p[-1] : ' ';
            char prev2 = p > text + 1 ? p[-2] : ' ';
            char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            int ident_prev = (prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
                             prev == '_' || prev == '.' ||
                             ((prev == '-' || prev == '+') && (prev2 == 'e' || prev2 == 'E'));
            int float_next = *q == '.' || *q == 'e' || *q == 'E' || *q == 'x' || *q == 'X' ||
                             *q == 'L' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z');
            if (!ident_prev && !float_next) {
                errno = 0;
                unsigned long long v = strtoull(p, NULL, 10);
                int neg = prev == '-';
                if (errno || (!neg && v > (unsigned long long)INT_MAX) ||
                    (neg && v > (unsigned long long)INT_MAX + 1)) {
                    origin at = {file, line};
                    return fail(err, GR_EFORMAT, at,
                                "the integer %.*s does not fit 32 bits: write it with an L "
                                "suffix (%.*sL), which libconfig reads as 64-bit",
                                (int)(q - p), p, (int)(q - p), p);
                }
            }
            p = q;
        } else {
            p++;
        }
    }
    return GR_OK;
}

static int load_text(gr_plan *P, char *text, const char *file, const char *dir, gr_error *err);

static int load_include(gr_plan *P, const include_ref *inc, const char *file, const char *dir,
                        gr_error *err) {
    origin at = {file, inc->line};
    char path[2048];
    int w = inc->path[0] == '/' || !dir || !*dir
                ? snprintf(path, sizeof path, "%s", inc->path)
                : snprintf(path, sizeof path, "%s/%.1023s", dir, inc->path);
    if (w < 0 || (size_t)w >= sizeof path)
        return fail(err, GR_EFORMAT, at, "@include: the path is too long");
    char *real = realpath(path, NULL);
    if (!real) {
        int e = errno;
        if (!strcmp(path, inc->path))
            return fail(err, GR_EIO, at, "cannot open include file \"%s\": %s", inc->path,
                        strerror(e));
        return fail(err, GR_EIO, at, "cannot open include file \"%s\" (%s): %s", inc->path, path,
                    strerror(e));
    }
    for (size_t i = 0; i < P->depth; i++)
        if (P->stack_real[i] && !strcmp(P->stack_real[i], real)) {
            char chain[400] = "";
            size_t len = 0;
            for (size_t j = i; j < P->depth; j++) {
                int wc = snprintf(chain + len, len < sizeof chain ? sizeof chain - len : 0,
                                  "%s -> ", P->stack[j]);
                if (wc > 0) len += (size_t)wc;
            }
            free(real);
            return fail(err, GR_EFORMAT, at, "include cycle: %s%s", chain, path);
        }
    if (P->depth >= MAX_INCLUDE_DEPTH) {
        free(real);
        return fail(err, GR_EFORMAT, at, "@include nested deeper than %d files", MAX_INCLUDE_DEPTH);
    }
    char *text = read_whole(path, err, at);
    if (!text) {
        free(real);
        return err ? err->status : GR_EIO;
    }
    const char *fname = arena_strdup(&P->a, path);
    char idir[2048];
    memcpy(idir, path, sizeof idir);
    char *slash = strrchr(idir, '/');
    if (slash)
        *slash = '\0';
    else
        idir[0] = '\0'; /* the current directory: names stay as written */
    P->stack[P->depth] = fname;
    P->stack_real[P->depth] = real;
    P->depth++;
    int st = fname ? load_text(P, text, fname, idir, err) : oom(err);
    P->depth--;
    free(P->stack_real[P->depth]);
    P->stack_real[P->depth] = NULL;
    free(text);
    return st;
}

static int load_text(gr_plan *P, char *text, const char *file, const char *dir, gr_error *err) {
    include_ref incs[16];
    size_t n_inc;
    GR_TRY(prescan(text, file, incs, 16, &n_inc, err));
    for (size_t i = 0; i < n_inc; i++)
        GR_TRY(load_include(P, &incs[i], file, dir, err));
    config_t cf;
    config_init(&cf);
    if (!config_read_string(&cf, text)) {
        origin at = {file, config_error_line(&cf)};
        const char *why = config_error_text(&cf);
        int st;
        if (why && strstr(why, "duplicate"))
            st = fail(err, GR_EFORMAT, at,
                      "duplicate key: a key may appear once per group in a file (to override a "
                      "default of an @include'd file, set the key once here)");
        else
            st = fail(err, GR_EFORMAT, at,
                      "%s (libconfig): expected KEY = VALUE; with groups in { }, arrays in [ ], "
                      "lists in ( ), strings in \"\"",
                      why ? why : "syntax error");
        config_destroy(&cf);
        return st;
    }
    int st = walk_group(P, config_root_setting(&cf), NULL, file, TARGET_TOP, 0, NULL, err);
    config_destroy(&cf);
    return st;
}

/* ---- resolution ------------------------------------------------------------------------- */

static const val *slot_val(const slot *s, size_t a) { return s->set ? &s->alt[a] : NULL; }

/* Fill a slot from default text (libconfig syntax). */
static int set_from_text(gr_plan *P, const gr_schema_key *k, const char *text, origin at, slot *sl,
                         gr_error *err) {
    config_t cf;
    config_init(&cf);
    char buf[512];
    snprintf(buf, sizeof buf, "v = %s;", text);
    if (!config_read_string(&cf, buf)) {
        config_destroy(&cf);
        return fail(err, GR_EFORMAT, at, "%s is not a libconfig value; %s accepts %s", text,
                    k->path, accepts(k, (char[256]){0}));
    }
    int st = read_slot(P, k, config_lookup(&cf, "v"), at, sl, err);
    config_destroy(&cf);
    return st;
}

static const char *slot_string(const slot *s) { return s->set ? s->alt[0].s[0] : NULL; }

/* Does key k apply in variant v (method and optimizer membership)? */
static int key_applies(const gr_plan *P, const gr_schema_key *k, const slot *var) {
    (void)P;
    if (!is_method_key(k)) return 1;
    size_t ni;
    gr_schema_find("method.name", &ni);
    const char *m = slot_string(&var[ni]);
    if (!m) return 0;
    if (k->methods && !(k->methods & method_bit(m))) return 0;
    if (k->optims) {
        const char *opt =
            strstr(k->path, "optim_d.") ? "method.optim_d.name" : "method.optim_g.name";
        size_t oi;
        gr_schema_find(opt, &oi);
        const char *o = slot_string(&var[oi]);
        if (!o || !(k->optims & optim_bit(o))) return 0;
    }
    return 1;
}

static int apply_sets(gr_plan *P, const gr_plan_options *opt, gr_error *err) {
    for (size_t i = 0; opt && i < opt->n_sets; i++) {
        const char *kv = opt->sets[i];
        char *label = arena_alloc(&P->a, strlen(kv) + 8);
        if (!label) return oom(err);
        sprintf(label, "--set %s", kv);
        origin at = {label, 0};
        const char *eq = strchr(kv, '=');
        if (!eq || eq == kv)
            return fail(err, GR_EFORMAT, at,
                        "expected --set KEY=VALUE (e.g. --set method.batch=128)");
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        size_t ki;
        const gr_schema_key *k = gr_schema_find(key, &ki);
        if (!k || is_crit_key(k)) {
            char names[700];
            const char *dot = strrchr(key, '.');
            char section[256] = "";
            if (dot) snprintf(section, sizeof section, "%.*s", (int)(dot - key), key);
            section_names(dot && is_section(section) ? section : NULL, names, sizeof names);
            return fail(err, GR_EFORMAT, at, "unknown key %s; %s has: %s", key,
                        dot && is_section(section) ? section : "the top level", names);
        }
        config_t cf;
        config_init(&cf);
        size_t n = strlen(eq + 1) + 8;
        char *buf = malloc(n);
        if (!buf) {
            config_destroy(&cf);
            return oom(err);
        }
        snprintf(buf, n, "v = %s;", eq + 1);
        char acc[256];
        if (!*(eq + 1) || !config_read_string(&cf, buf) || !config_lookup(&cf, "v")) {
            free(buf);
            config_destroy(&cf);
            return fail(err, GR_EFORMAT, at,
                        "the value is not libconfig syntax (strings need quotes: "
                        "key='\"text\"'); %s accepts %s",
                        key, accepts(k, acc));
        }
        free(buf);
        int st = GR_OK;
        if (is_method_key(k)) {
            for (size_t v = 0; v < P->n_var && st == GR_OK; v++)
                st = read_slot(P, k, config_lookup(&cf, "v"), at, &P->var[v][ki], err);
        } else {
            st = read_slot(P, k, config_lookup(&cf, "v"), at, &P->top[ki], err);
        }
        config_destroy(&cf);
        GR_TRY(st);
    }
    return GR_OK;
}

static void overlay(slot *dst, const slot *src, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (src[i].set) dst[i] = src[i];
}

static int parse_where(gr_plan *P, const char *what, const char *text, origin at, const char **keys,
                       const char **vals, size_t *n_out, const char **canon, gr_error *err);

/* Required keys, method membership, defaults. */
static int resolve(gr_plan *P, const gr_plan_options *opt, gr_error *err) {
    size_t nk = gr_schema_n_keys();
    char acc[256];
    /* the profile */
    const char *prof = opt && opt->profile ? opt->profile : NULL;
    size_t pki;
    gr_schema_find("profile", &pki);
    if (!prof) prof = !P->have_profiles && P->top[pki].set ? slot_string(&P->top[pki]) : "quick";
    int pi = gr_schema_choice_index("ci|quick|full", prof);
    if (pi < 0)
        return GR_ERROR(err, GR_EINVAL, "unknown profile '%s': expected ci, quick or full", prof);
    P->profile = profile_names[pi];

    /* the protocol: needed first, it decides what is required */
    size_t proto_i;
    gr_schema_find("experiment.protocol", &proto_i);
    origin exp_at = group_origin(P, "experiment");
    if (!P->top[proto_i].set)
        return fail(err, GR_EFORMAT, exp_at, "experiment.protocol is missing; it accepts %s",
                    accepts(gr_schema_key_at(proto_i), acc));
    P->protocol = slot_string(&P->top[proto_i]);
    P->proto_bit = 1u << gr_schema_choice_index(GR_PROTOCOLS, P->protocol);
    origin proto_at = P->top[proto_i].at;

    /* every profile must be complete, whichever is applied */
    if (P->have_profiles) {
        for (int q = 0; q < N_PROFILES; q++)
            if (!P->prof_present[q])
                return fail(err, GR_EFORMAT, P->profiles_at,
                            "profiles has no %s group; an experiment declares its sizes for ci, "
                            "quick and full",
                            profile_names[q]);
        for (int q = 0; q < N_PROFILES; q++)
            for (size_t i = 0; i < nk; i++) {
                const gr_schema_key *k = gr_schema_key_at(i);
                if (!(k->flags & GR_KEY_SIZE) || !(k->required & P->proto_bit)) continue;
                int have = P->prof[q][i].set || P->top[i].set;
                for (size_t v = 0; !have && v < P->n_var; v++)
                    have = P->var[v][i].set;
                if (!have)
                    return fail(err, GR_EFORMAT, P->prof_at[q],
                                "profile %s does not set %s, which protocol %s needs (%s)",
                                profile_names[q], k->path, P->protocol, accepts(k, acc));
            }
        overlay(P->top, P->prof[pi], nk);
        for (size_t v = 0; v < P->n_var; v++)
            for (size_t i = 0; i < nk; i++)
                if (P->prof[pi][i].set && is_method_key(gr_schema_key_at(i)))
                    P->var[v][i] = P->prof[pi][i];
    }
    GR_TRY(apply_sets(P, opt, err));
    /* record the applied profile */
    origin none = {"(resolved)", 0};
    GR_TRY(set_from_text(P, gr_schema_key_at(pki),
                         pi == 0   ? "\"ci\""
                         : pi == 1 ? "\"quick\""
                                   : "\"full\"",
                         none, &P->top[pki], err));

    /* shared keys: required, defaults */
    for (size_t i = 0; i < nk; i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        if (is_method_key(k) || is_crit_key(k)) continue;
        slot *sl = &P->top[i];
        if (sl->set) continue;
        if (k->required & P->proto_bit) {
            const char *dot = strchr(k->path, '.');
            char sec[64] = "";
            if (dot) snprintf(sec, sizeof sec, "%.*s", (int)(dot - k->path), k->path);
            origin at = k->required == GR_PROTO_ALL
                            ? (dot ? group_origin(P, sec) : group_origin(P, "experiment"))
                            : proto_at;
            if (k->required == GR_PROTO_ALL)
                return fail(err, GR_EFORMAT, at,
                            "%s is missing (every experiment needs it); it accepts %s", k->path,
                            accepts(k, acc));
            return fail(err, GR_EFORMAT, at, "%s is missing; protocol %s needs it (%s)", k->path,
                        P->protocol, accepts(k, acc));
        }
        if (k->def) GR_TRY(set_from_text(P, k, k->def, none, sl, err));
    }

    /* method alternatives */
    size_t ni, li;
    gr_schema_find("method.name", &ni);
    gr_schema_find("method.label", &li);
    for (size_t v = 0; v < P->n_var; v++) {
        slot *var = P->var[v];
        if (!var[ni].set) {
            if (gr_schema_key_at(ni)->required & P->proto_bit)
                return fail(err, GR_EFORMAT,
                            P->method_is_list || P->n_var > 1 ? P->method_at : proto_at,
                            "method.name is missing; protocol %s needs it (%s)", P->protocol,
                            accepts(gr_schema_key_at(ni), acc));
            /* no method: any other method key set is an error */
            for (size_t i = 0; i < nk; i++)
                if (is_method_key(gr_schema_key_at(i)) && var[i].set)
                    return fail(err, GR_EFORMAT, var[i].at,
                                "%s is set but method.name is not: name the method",
                                gr_schema_key_at(i)->path);
            continue;
        }
        const char *mname = slot_string(&var[ni]);
        unsigned mb = method_bit(mname);
        /* defaults: the preset first, then the optimizer names (they decide which
         * optimizer keys apply and their defaults), then the rest */
        size_t pri;
        gr_schema_find("method.preset", &pri);
        unsigned pb = 0;
        for (int pass = 0; pass < 3; pass++)
            for (size_t i = 0; i < nk; i++) {
                const gr_schema_key *k = gr_schema_key_at(i);
                if (!is_method_key(k)) continue;
                int is_optim_name = strstr(k->path, ".optim_") && strstr(k->path, ".name");
                int want = i == pri ? 0 : is_optim_name ? 1 : 2;
                if (pass != want) continue;
                if (pass == 1 && !pb) {
                    int q = gr_schema_choice_index(GR_PRESETS, slot_string(&var[pri]));
                    pb = q < 0 ? 0u : 1u << q;
                }
                if (var[i].set) {
                    if (!key_applies(P, k, var))
                        return fail(err, GR_EFORMAT, var[i].at,
                                    "%s does not apply to %s; remove it (see docs/EXPERIMENTS.md "
                                    "for each method's settings)",
                                    k->path, k->optims ? "this optimizer" : mname);
                    continue;
                }
                if (!key_applies(P, k, var)) continue;
                unsigned ob = 0;
                if (k->optims) {
                    size_t oi;
                    gr_schema_find(strstr(k->path, "optim_d.") ? "method.optim_d.name"
                                                               : "method.optim_g.name",
                                   &oi);
                    ob = optim_bit(slot_string(&var[oi]));
                }
                const char *d = gr_schema_method_default(pb, mb, ob, k->path);
                if (!d) d = k->def;
                if (i == li) d = NULL;
                if (d)
                    GR_TRY(set_from_text(P, k, d, none, &var[i], err));
                else if (k->required & P->proto_bit)
                    return fail(err, GR_EFORMAT, P->method_at,
                                "%s is missing; protocol %s needs it", k->path, P->protocol);
            }
        if (!var[li].set) {
            char q[80];
            snprintf(q, sizeof q, "\"%s\"", mname);
            GR_TRY(set_from_text(P, gr_schema_key_at(li), q, none, &var[li], err));
        }
        for (size_t w = 0; w < v; w++)
            if (!strcmp(slot_string(&P->var[w][li]), slot_string(&var[li])))
                return fail(err, GR_EFORMAT,
                            var[li].set && var[li].at.line ? var[li].at : P->method_at,
                            "two method alternatives are labelled %s; give each a distinct label "
                            "= \"...\"",
                            slot_string(&var[li]));
    }

    /* seeds */
    size_t si, nsi;
    gr_schema_find("seeds", &si);
    gr_schema_find("n_seeds", &nsi);
    const val *seeds = slot_val(&P->top[si], 0);
    size_t ns = seeds->n;
    if (P->top[nsi].set) {
        int64_t want = P->top[nsi].alt[0].i[0];
        if ((size_t)want > ns)
            return fail(err, GR_EFORMAT, P->top[nsi].at,
                        "n_seeds = %lld but seeds lists only %zu; list more seeds or use fewer",
                        (long long)want, ns);
        ns = (size_t)want;
    }
    for (size_t a = 0; a < ns; a++)
        for (size_t b = 0; b < a; b++)
            if (seeds->i[a] == seeds->i[b])
                return fail(err, GR_EFORMAT, P->top[si].at,
                            "seeds repeats %lld (two runs with the same settings)",
                            (long long)seeds->i[a]);
    P->top[si].alt[0].n = ns;
    char nsbuf[32];
    snprintf(nsbuf, sizeof nsbuf, "%zu", ns);
    GR_TRY(set_from_text(P, gr_schema_key_at(nsi), nsbuf, none, &P->top[nsi], err));
    P->n_seeds = ns;
    P->seeds = arena_alloc(&P->a, ns * sizeof *P->seeds);
    if (!P->seeds) return oom(err);
    for (size_t a = 0; a < ns; a++)
        P->seeds[a] = (uint64_t)seeds->i[a];

    /* claims, name, title */
    size_t ci, nmi, ti;
    gr_schema_find("experiment.claims", &ci);
    gr_schema_find("experiment.name", &nmi);
    gr_schema_find("experiment.title", &ti);
    const val *cl = slot_val(&P->top[ci], 0);
    P->n_claims = cl->n;
    P->claims = (const char **)cl->s;
    for (size_t a = 0; a < cl->n; a++)
        for (size_t b = 0; b < a; b++)
            if (!strcmp(cl->s[a], cl->s[b]))
                return fail(err, GR_EFORMAT, P->top[ci].at, "experiment.claims lists %s twice",
                            cl->s[a]);
    if (P->top[ci].n_alt > 1 || P->top[nmi].n_alt > 1)
        return fail(err, GR_EFORMAT, P->top[ci].at, "experiment keys cannot be swept");
    P->name = slot_string(&P->top[nmi]);
    P->title = slot_string(&P->top[ti]);

    /* criteria */
    size_t c0;
    gr_schema_find("criteria.claim", &c0);
    P->crit_pub = P->n_crit ? arena_alloc(&P->a, P->n_crit * sizeof *P->crit_pub) : NULL;
    if (P->n_crit && !P->crit_pub) return oom(err);
    const gr_schema_key *last = gr_schema_key_at(c0 + CF_AGAINST);
    if (!last || strcmp(last->path, "criteria.against"))
        return GR_ERROR(err, GR_EINVAL,
                        "plan: the criteria.* rows of the schema are not in "
                        "the order plan.c's CF_* expects");
    for (size_t c = 0; c < P->n_crit; c++) {
        criterion_rec *r = &P->crit[c];
        for (size_t f = 0; f < GR_CRIT_FIELDS && c0 + f < nk; f++) {
            const gr_schema_key *k = gr_schema_key_at(c0 + f);
            if (!k || !is_crit_key(k)) break;
            if (r->f[f].set) continue;
            if (k->required)
                return fail(err, GR_EFORMAT, r->at, "criterion %zu has no %s; it accepts %s", c + 1,
                            k->path + 9, accepts(k, acc));
            if (k->def) GR_TRY(set_from_text(P, k, k->def, none, &r->f[f], err));
        }
        gr_criterion *g = &P->crit_pub[c];
        g->claim = r->f[CF_CLAIM].alt[0].s[0];
        g->metric = r->f[CF_METRIC].alt[0].s[0];
        g->condition = r->f[CF_CONDITION].alt[0].s[0];
        g->over = r->f[CF_OVER].alt[0].s[0];
        int is_count = !strcmp(g->over, "count"), is_paired = !strcmp(g->over, "paired");
        origin over_at = r->f[CF_OVER].set ? r->f[CF_OVER].at : r->at;
        if (!is_paired && !r->f[CF_THRESHOLD].set) {
            const gr_schema_key *tk = gr_schema_key_at(c0 + CF_THRESHOLD);
            return fail(err, GR_EFORMAT, r->at, "criterion %zu has no threshold; it accepts %s",
                        c + 1, accepts(tk, acc));
        }
        if (is_paired && r->f[CF_THRESHOLD].set)
            return fail(err, GR_EFORMAT, r->f[CF_THRESHOLD].at,
                        "threshold does not apply to over = \"paired\": its condition compares "
                        "each where run's value with its against partner's");
        if (is_paired && !strcmp(g->condition, "in"))
            return fail(err, GR_EFORMAT, r->f[CF_CONDITION].at,
                        "condition \"in\" does not apply to over = \"paired\" (it compares two "
                        "values: <, <=, > or >=)");
        g->threshold = is_paired ? NAN : r->f[CF_THRESHOLD].alt[0].d[0];
        g->threshold_hi = r->f[CF_THRESHOLD_HI].set ? r->f[CF_THRESHOLD_HI].alt[0].d[0] : NAN;
        g->k = r->f[CF_K].set ? (size_t)r->f[CF_K].alt[0].i[0] : 0;
        g->doc = r->f[CF_DOC].alt[0].s[0];
        slot *ws = &r->f[CF_WHERE];
        GR_TRY(parse_where(P, "criteria.where", ws->alt[0].s[0],
                           ws->set && ws->at.line ? ws->at : r->at, r->where_key, r->where_val,
                           &r->n_where, &g->where, err));
        if (strcmp(g->where, ws->alt[0].s[0])) {
            /* keep the canonical form, so the resolved text reads back to itself */
            ws->alt[0].s[0] = (char *)g->where;
        }
        slot *as = &r->f[CF_AGAINST];
        if (is_paired && !as->set)
            return fail(
                err, GR_EFORMAT, over_at,
                "over = \"paired\" needs against, the runs each run of where is compared "
                "with (where's syntax, e.g. against = \"method.name = \\\"wgan_clip\\\"\")");
        if (!is_paired && as->set)
            return fail(err, GR_EFORMAT, as->at,
                        "against applies to over = \"paired\" only (this criterion has over = "
                        "\"%s\")",
                        g->over);
        g->against = "";
        if (is_paired) {
            GR_TRY(parse_where(P, "criteria.against", as->alt[0].s[0], as->at.line ? as->at : r->at,
                               r->against_key, r->against_val, &r->n_against, &g->against, err));
            if (!*g->against)
                return fail(err, GR_EFORMAT, as->at.line ? as->at : r->at,
                            "criteria.against is empty: name the runs where's runs are compared "
                            "with (KEY = VALUE and ...)");
            if (strcmp(g->against, as->alt[0].s[0])) as->alt[0].s[0] = (char *)g->against;
        }
        if ((is_count || is_paired) && !r->f[CF_K].set)
            return fail(err, GR_EFORMAT, over_at,
                        "over = \"%s\" needs k, the number of %s that must satisfy the "
                        "condition (an int >= 1)",
                        g->over, is_paired ? "pairs" : "runs");
        if (!is_count && !is_paired && r->f[CF_K].set)
            return fail(err, GR_EFORMAT, r->f[CF_K].at,
                        "k applies to over = \"count\" and \"paired\" only (this criterion has "
                        "over = \"%s\")",
                        g->over);
        int listed = 0;
        for (size_t a = 0; a < P->n_claims; a++)
            listed |= !strcmp(P->claims[a], g->claim);
        if (!listed)
            return fail(err, GR_EFORMAT, r->f[CF_CLAIM].at,
                        "criteria.claim = \"%s\" is not one of experiment.claims", g->claim);
        int is_in = !strcmp(g->condition, "in");
        if (is_in && !r->f[CF_THRESHOLD_HI].set)
            return fail(err, GR_EFORMAT, r->at,
                        "condition \"in\" needs threshold_hi (the upper bound)");
        if (!is_in && r->f[CF_THRESHOLD_HI].set)
            return fail(err, GR_EFORMAT, r->f[CF_THRESHOLD_HI].at,
                        "threshold_hi applies to condition \"in\" only");
        if (is_in && g->threshold_hi < g->threshold)
            return fail(err, GR_EFORMAT, r->f[CF_THRESHOLD_HI].at,
                        "threshold_hi %g is below threshold %g", g->threshold_hi, g->threshold);
    }
    return GR_OK;
}

/* ---- criteria.where ----------------------------------------------------------------- */

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A selector (`where`, `against`): "KEY = VALUE and ..." into keys/vals (at most MAX_WHERE,
 * canonical value text) and its canonical form; `what` names it in messages. */
static int parse_where(gr_plan *P, const char *what, const char *text, origin at, const char **keys,
                       const char **vals, size_t *n_out, const char **canon, gr_error *err) {
    size_t nw = 0;
    *n_out = 0;
    char *copy = arena_strdup(&P->a, text);
    if (!copy) return oom(err);
    sbuf out = {0};
    char *p = copy;
    while (*trim(p)) {
        char *and = strstr(p, " and ");
        if (and) *and = '\0';
        char *eq = strchr(p, '=');
        if (!eq) {
            free(out.s);
            return fail(err, GR_EFORMAT, at,
                        "%s: \"%s\" is not KEY = VALUE (conditions are joined by "
                        "\" and \")",
                        what, trim(p));
        }
        *eq = '\0';
        char *key = trim(p), *value = trim(eq + 1);
        size_t ki;
        const gr_schema_key *k = gr_schema_find(key, &ki);
        if (!k || is_crit_key(k)) {
            free(out.s);
            return fail(err, GR_EFORMAT, at, "%s: unknown key %s", what, key);
        }
        if (nw >= MAX_WHERE) {
            free(out.s);
            return fail(err, GR_EFORMAT, at, "%s: more than %d conditions", what, MAX_WHERE);
        }
        config_t cf;
        config_init(&cf);
        size_t n = strlen(value) + 8;
        char *buf = malloc(n);
        if (!buf) {
            config_destroy(&cf);
            free(out.s);
            return oom(err);
        }
        snprintf(buf, n, "v = %s;", value);
        char acc[256];
        int ok = *value && config_read_string(&cf, buf) && config_lookup(&cf, "v");
        free(buf);
        val v;
        int st = ok ? read_value(P, k, config_lookup(&cf, "v"), at, &v, err)
                    : fail(err, GR_EFORMAT, at, "%s: %s = %s: not a libconfig value; %s accepts %s",
                           what, key, value, key, accepts(k, acc));
        config_destroy(&cf);
        if (st != GR_OK) {
            free(out.s);
            return st;
        }
        sbuf vt = {0};
        sb_value(&vt, k, &v);
        keys[nw] = k->path;
        vals[nw] = vt.s && !vt.oom ? arena_strdup(&P->a, vt.s) : NULL;
        if (out.len) sb_add(&out, " and ");
        sb_add(&out, "%s = %s", k->path, vt.s ? vt.s : "");
        free(vt.s);
        if (!vals[nw]) {
            free(out.s);
            return oom(err);
        }
        nw++;
        *n_out = nw;
        if (!and) break;
        p = and+5;
    }
    *canon = arena_strdup(&P->a, out.s ? out.s : "");
    free(out.s);
    if (!*canon || out.oom) return oom(err);
    return GR_OK;
}

/* ---- canonical text --------------------------------------------------------------------- */

/* Emit keys in schema order with nested groups. choice: per key alternative index, or NULL
 * for the plan text (sweeps as arrays). run_mode leaves META keys out and writes `seed`. */
static void emit(const gr_plan *P, sbuf *b, const size_t *choice, size_t variant, int run_mode,
                 uint64_t seed) {
    size_t nk = gr_schema_n_keys();
    char open[4][64];
    size_t depth = 0;
    int method_done = 0;
    for (size_t i = 0; i < nk; i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        if (is_crit_key(k)) continue;
        if (run_mode && (k->flags & GR_KEY_META)) {
            if (!strcmp(k->path, "seeds")) {
                while (depth) {
                    depth--;
                    sb_add(b, "%*s};\n", (int)(2 * depth), "");
                }
                sb_add(b, "seed = %llu%s;\n", (unsigned long long)seed, seed > INT_MAX ? "L" : "");
            }
            continue;
        }
        int mk = is_method_key(k);
        if (mk && method_done) continue;
        /* the group path of this key */
        char comps[4][64];
        size_t nc = 0;
        const char *p = k->path;
        for (const char *dot; (dot = strchr(p, '.')) && nc < 4; p = dot + 1)
            snprintf(comps[nc++], 64, "%.*s", (int)(dot - p), p);
        size_t common = 0;
        while (common < depth && common < nc && !strcmp(open[common], comps[common]))
            common++;
        while (depth > common) {
            depth--;
            sb_add(b, "%*s};\n", (int)(2 * depth), "");
        }
        if (mk) {
            /* the whole method block at once */
            method_done = 1;
            size_t lo = i, hi = i;
            while (hi < nk && is_method_key(gr_schema_key_at(hi)))
                hi++;
            size_t v0 = choice ? variant : 0, v1 = choice ? variant + 1 : P->n_var;
            int any = 0;
            for (size_t v = v0; v < v1; v++) {
                size_t ni;
                gr_schema_find("method.name", &ni);
                any |= P->var[v][ni].set;
            }
            if (!any) continue;
            int list = v1 - v0 > 1;
            sb_add(b, "%*smethod = %s", (int)(2 * depth), "", list ? "(\n" : "{\n");
            for (size_t v = v0; v < v1; v++) {
                int ind = (int)(2 * depth) + (list ? 2 : 0);
                if (list) sb_add(b, "%*s{\n", ind, "");
                char sub[64] = "";
                for (size_t j = lo; j < hi; j++) {
                    const gr_schema_key *mk2 = gr_schema_key_at(j);
                    const slot *sl = &P->var[v][j];
                    if (!sl->set || !key_applies(P, mk2, P->var[v])) continue;
                    if (run_mode && (mk2->flags & GR_KEY_META)) continue;
                    const char *rest = mk2->path + 7;
                    const char *dot = strchr(rest, '.');
                    char want[64] = "";
                    if (dot) snprintf(want, sizeof want, "%.*s", (int)(dot - rest), rest);
                    if (strcmp(sub, want)) {
                        if (*sub) sb_add(b, "%*s};\n", ind + 2, "");
                        if (*want) sb_add(b, "%*s%s = {\n", ind + 2, "", want);
                        snprintf(sub, sizeof sub, "%s", want);
                    }
                    int ind2 = ind + 2 + (*sub ? 2 : 0);
                    sb_add(b, "%*s%s = ", ind2, "", dot ? dot + 1 : rest);
                    if (choice)
                        sb_value(b, mk2, &sl->alt[choice[j]]);
                    else
                        sb_slot(b, mk2, sl);
                    sb_add(b, ";\n");
                }
                if (*sub) sb_add(b, "%*s};\n", ind + 2, "");
                if (list) sb_add(b, "%*s}%s\n", ind, "", v + 1 < v1 ? "," : "");
            }
            sb_add(b, "%*s%s\n", (int)(2 * depth), "", list ? ");" : "};");
            continue;
        }
        const slot *sl = &P->top[i];
        if (!sl->set) continue;
        while (depth < nc) {
            sb_add(b, "%*s%s = {\n", (int)(2 * depth), "", comps[depth]);
            snprintf(open[depth], 64, "%s", comps[depth]);
            depth++;
        }
        sb_add(b, "%*s%s = ", (int)(2 * depth), "", p);
        if (choice)
            sb_value(b, k, &sl->alt[choice[i]]);
        else
            sb_slot(b, k, sl);
        sb_add(b, ";\n");
    }
    while (depth) {
        depth--;
        sb_add(b, "%*s};\n", (int)(2 * depth), "");
    }
    if (!run_mode && P->n_crit) {
        size_t c0;
        gr_schema_find("criteria.claim", &c0);
        sb_add(b, "criteria = (\n");
        for (size_t c = 0; c < P->n_crit; c++) {
            sb_add(b, "  {\n");
            for (size_t f = 0; f < GR_CRIT_FIELDS && c0 + f < nk; f++) {
                const gr_schema_key *k = gr_schema_key_at(c0 + f);
                if (!k || !is_crit_key(k)) break;
                const slot *sl = &P->crit[c].f[f];
                if (!sl->set) continue;
                sb_add(b, "    %s = ", k->path + 9);
                sb_slot(b, k, sl);
                sb_add(b, ";\n");
            }
            sb_add(b, "  }%s\n", c + 1 < P->n_crit ? "," : "");
        }
        sb_add(b, ");\n");
    }
}

static void hex(const unsigned char *d, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha_hex(const char *text, char out[65]) {
    gr_sha256 c;
    unsigned char d[GR_SHA256_BYTES];
    gr_sha256_init(&c);
    gr_sha256_update(&c, text, strlen(text));
    gr_sha256_final(&c, d);
    hex(d, GR_SHA256_BYTES, out);
}

/* Sweep values and seeds are distinct by construction, so two runs with the same settings
 * come only from method alternatives that overlap (differing in labels, or one's sweep
 * containing the other's value). Sort the ids and compare neighbours: O(n log n). */
static int cmp_run_id(const void *a, const void *b) {
    const gr_run *x = *(const gr_run *const *)a, *y = *(const gr_run *const *)b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int check_duplicates(gr_plan *P, gr_error *err) {
    if (P->n_runs < 2) return GR_OK;
    const gr_run **ord = malloc(P->n_runs * sizeof *ord);
    if (!ord) return oom(err);
    for (size_t i = 0; i < P->n_runs; i++)
        ord[i] = &P->runs[i];
    qsort(ord, P->n_runs, sizeof *ord, cmp_run_id);
    /* report the duplicate pair whose first run comes first in the plan */
    const gr_run *da = NULL, *db = NULL;
    for (size_t i = 1; i < P->n_runs; i++) {
        const gr_run *a = ord[i - 1], *b = ord[i];
        if (strcmp(a->id, b->id) || strcmp(a->text, b->text)) continue;
        if (!da || a->index < da->index) {
            da = a;
            db = b;
        }
    }
    int st = GR_OK;
    if (da)
        st = fail(err, GR_EFORMAT, P->method_at.file ? P->method_at : (origin){P->top_file, 0},
                  "runs %zu and %zu have the same settings (method alternatives that differ "
                  "only in their label, or one sweeping over another's value)",
                  da->index + 1, db->index + 1);
    free(ord);
    return st;
}

/* ---- expansion -------------------------------------------------------------------------- */

static int expand(gr_plan *P, gr_error *err) {
    size_t nk = gr_schema_n_keys();
    /* axes: the union over variants, in schema order */
    size_t ni;
    gr_schema_find("method.name", &ni);
    size_t *axes = arena_alloc(&P->a, (nk + 1) * sizeof *axes);
    const char **names = arena_alloc(&P->a, (nk + 1) * sizeof *names);
    if (!axes || !names) return oom(err);
    size_t na = 0;
    for (size_t i = 0; i < nk; i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        if (is_crit_key(k)) continue;
        if (i == ni && P->n_var > 1) {
            axes[na] = SIZE_MAX;
            names[na++] = "method";
        }
        int swept = 0;
        if (is_method_key(k)) {
            for (size_t v = 0; v < P->n_var; v++)
                swept |= P->var[v][i].set && P->var[v][i].n_alt > 1 && key_applies(P, k, P->var[v]);
        } else
            swept = P->top[i].set && P->top[i].n_alt > 1;
        if (swept) {
            axes[na] = i;
            names[na++] = k->path;
        }
    }
    P->n_axes = na;
    P->axis_key = axes;
    P->axis_name = names;

    /* count runs */
    size_t total = 0;
    for (size_t v = 0; v < P->n_var; v++) {
        size_t n = P->n_seeds;
        for (size_t i = 0; i < nk; i++) {
            const gr_schema_key *k = gr_schema_key_at(i);
            if (is_crit_key(k)) continue;
            const slot *sl = is_method_key(k) ? &P->var[v][i] : &P->top[i];
            if (sl->set && sl->n_alt > 1 && (!is_method_key(k) || key_applies(P, k, P->var[v])))
                if (gr_size_mul(n, sl->n_alt, &n))
                    return GR_ERROR(err, GR_EFORMAT, "%s: too many runs", P->top_file);
        }
        if (n > GR_PLAN_MAX_RUNS || total + n > GR_PLAN_MAX_RUNS)
            return fail(err, GR_EFORMAT, (origin){P->top_file, 0},
                        "the sweeps expand to more than %d runs; split the experiment",
                        GR_PLAN_MAX_RUNS);
        total += n;
    }
    P->n_runs = total;
    P->runs = arena_alloc(&P->a, (total ? total : 1) * sizeof *P->runs);
    if (!P->runs) return oom(err);
    size_t r = 0;
    for (size_t v = 0; v < P->n_var; v++) {
        size_t *idx = calloc(nk, sizeof *idx);
        if (!idx) return oom(err);
        for (;;) {
            for (size_t s = 0; s < P->n_seeds; s++) {
                gr_run *run = &P->runs[r];
                run->plan = P;
                run->index = r;
                run->variant = v;
                run->seed = P->seeds[s];
                run->choice = arena_alloc(&P->a, nk * sizeof *run->choice);
                run->swept = arena_alloc(&P->a, (na ? na : 1) * sizeof *run->swept);
                if (!run->choice || !run->swept) {
                    free(idx);
                    return oom(err);
                }
                memcpy(run->choice, idx, nk * sizeof *idx);
                sbuf b = {0};
                emit(P, &b, run->choice, v, 1, run->seed);
                for (size_t a = 0; a < na; a++) {
                    sbuf t = {0};
                    size_t ki = axes[a];
                    if (ki == SIZE_MAX) {
                        size_t li;
                        gr_schema_find("method.label", &li);
                        sb_string(&t, P->var[v][li].alt[0].s[0]);
                    } else {
                        const gr_schema_key *k = gr_schema_key_at(ki);
                        const slot *sl = is_method_key(k) ? &P->var[v][ki] : &P->top[ki];
                        if (sl->set && (!is_method_key(k) || key_applies(P, k, P->var[v])))
                            sb_value(&t, k, &sl->alt[idx[ki]]);
                    }
                    run->swept[a] = t.s && !t.oom ? arena_strdup(&P->a, t.s) : NULL;
                    if (t.oom) b.oom = 1;
                    free(t.s);
                }
                if (b.oom || !b.s) {
                    free(b.s);
                    free(idx);
                    return oom(err);
                }
                run->text = arena_strdup(&P->a, b.s);
                free(b.s);
                if (!run->text) {
                    free(idx);
                    return oom(err);
                }
                char h[65];
                sha_hex(run->text, h);
                memcpy(run->id, h, GR_RUN_ID_LEN);
                run->id[GR_RUN_ID_LEN] = '\0';
                r++;
            }
            /* next combination: last axis fastest */
            size_t i = nk;
            int carried = 1;
            while (carried && i-- > 0) {
                const gr_schema_key *k = gr_schema_key_at(i);
                if (is_crit_key(k)) continue;
                const slot *sl = is_method_key(k) ? &P->var[v][i] : &P->top[i];
                if (!sl->set || sl->n_alt < 2 ||
                    (is_method_key(k) && !key_applies(P, k, P->var[v])))
                    continue;
                if (++idx[i] < sl->n_alt)
                    carried = 0;
                else
                    idx[i] = 0;
            }
            if (carried) break;
        }
        free(idx);
    }
    return check_duplicates(P, err);
}

/* ---- public ----------------------------------------------------------------------------- */

gr_plan_options gr_plan_options_default(void) {
    gr_plan_options o = {NULL, NULL, 0};
    return o;
}

static int pair_criteria(gr_plan *P, gr_error *err);

static int load_common(gr_plan **out, char *text, const char *name, const char *dir,
                       const gr_plan_options *opt, gr_error *err) {
    *out = NULL;
    if (gr_schema_n_keys() > MAX_KEYS)
        return GR_ERROR(err, GR_EINTERNAL, "schema larger than MAX_KEYS");
    gr_plan *P = calloc(1, sizeof *P);
    if (!P) return oom(err);
    P->path = arena_strdup(&P->a, name);
    P->top_file = P->path;
    P->var = arena_alloc(&P->a, sizeof *P->var);
    if (!P->path || !P->var) {
        gr_plan_free(P);
        return oom(err);
    }
    memset(P->var[0], 0, sizeof P->var[0]);
    P->n_var = 1;
    P->method_at.file = P->path;
    P->method_at.line = 0;
    char *real = realpath(name, NULL); /* NULL for text not from a file: no cycle through it */
    P->stack[0] = P->path;
    P->stack_real[0] = real;
    P->depth = 1;
    int st = load_text(P, text, P->path, dir, err);
    P->depth = 0;
    free(real);
    P->stack_real[0] = NULL;
    if (st == GR_OK) st = resolve(P, opt, err);
    if (st == GR_OK) {
        sbuf b = {0};
        emit(P, &b, NULL, 0, 0, 0);
        if (b.oom || !b.s)
            st = oom(err);
        else {
            P->text = arena_strdup(&P->a, b.s);
            if (!P->text) st = oom(err);
        }
        free(b.s);
    }
    if (st == GR_OK) {
        char h[65];
        sha_hex(P->text, h);
        snprintf(P->hash, sizeof P->hash, "sha256:%s", h);
        st = expand(P, err);
    }
    if (st == GR_OK) st = pair_criteria(P, err);
    if (st != GR_OK) {
        gr_plan_free(P);
        return st;
    }
    *out = P;
    return GR_OK;
}

/* plan.h promises one-line messages; a value or a path quoted from the file may hold a
 * newline or another control byte: rewrite them as \n, \r, \t or \xHH (truncating at
 * the message size). */
static void msg_one_line(gr_error *err) {
    if (!err) return;
    char out[GR_ERROR_MSG_MAX];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)err->msg; *p && o + 5 < sizeof out; p++) {
        if (*p >= 0x20 && *p != 0x7f) {
            out[o++] = (char)*p;
            continue;
        }
        const char *e = *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : *p == '\t' ? "\\t" : NULL;
        if (e)
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", e);
        else
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", *p);
    }
    out[o] = '\0';
    memcpy(err->msg, out, o + 1);
}

int gr_plan_load(gr_plan **out, const char *path, const gr_plan_options *opt, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_plan_load: out is NULL");
    *out = NULL;
    if (!path) return GR_ERROR(err, GR_EINVAL, "gr_plan_load: path is NULL");
    origin none = {NULL, 0};
    char *text = read_whole(path, err, none);
    if (!text) {
        msg_one_line(err);
        return err ? err->status : GR_EIO;
    }
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    int st = load_common(out, text, path, dir, opt, err);
    free(text);
    if (st != GR_OK) msg_one_line(err);
    return st;
}

int gr_plan_load_text(gr_plan **out, const char *text, const char *name, const char *include_dir,
                      const gr_plan_options *opt, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_plan_load_text: out is NULL");
    *out = NULL;
    if (!text || !name) return GR_ERROR(err, GR_EINVAL, "gr_plan_load_text: text or name is NULL");
    char *copy = strdup(text);
    if (!copy) return oom(err);
    int st = load_common(out, copy, name, include_dir ? include_dir : "", opt, err);
    free(copy);
    if (st != GR_OK) msg_one_line(err);
    return st;
}

void gr_plan_free(gr_plan *plan) {
    if (!plan) return;
    arena_free(&plan->a);
    free(plan);
}

const char *gr_plan_path(const gr_plan *p) { return p->path; }
const char *gr_plan_name(const gr_plan *p) { return p->name; }
const char *gr_plan_title(const gr_plan *p) { return p->title ? p->title : ""; }
const char *gr_plan_protocol(const gr_plan *p) { return p->protocol; }
const char *gr_plan_profile(const gr_plan *p) { return p->profile; }
size_t gr_plan_n_claims(const gr_plan *p) { return p->n_claims; }
const char *gr_plan_claim(const gr_plan *p, size_t i) {
    return i < p->n_claims ? p->claims[i] : NULL;
}
const char *gr_plan_text(const gr_plan *p) { return p->text; }
const char *gr_plan_hash(const gr_plan *p) { return p->hash; }
size_t gr_plan_n_axes(const gr_plan *p) { return p->n_axes; }
const char *gr_plan_axis(const gr_plan *p, size_t i) {
    return i < p->n_axes ? p->axis_name[i] : NULL;
}
size_t gr_plan_n_seeds(const gr_plan *p) { return p->n_seeds; }
uint64_t gr_plan_seed(const gr_plan *p, size_t i) { return i < p->n_seeds ? p->seeds[i] : 0; }
size_t gr_plan_n_criteria(const gr_plan *p) { return p->n_crit; }
const gr_criterion *gr_plan_criterion(const gr_plan *p, size_t i) {
    return i < p->n_crit ? &p->crit_pub[i] : NULL;
}
size_t gr_plan_n_runs(const gr_plan *p) { return p->n_runs; }
const gr_run *gr_plan_run(const gr_plan *p, size_t i) { return i < p->n_runs ? &p->runs[i] : NULL; }
const gr_run *gr_plan_find_run(const gr_plan *p, const char *id) {
    for (size_t i = 0; id && i < p->n_runs; i++)
        if (!strcmp(p->runs[i].id, id)) return &p->runs[i];
    return NULL;
}

const char *gr_run_id(const gr_run *r) { return r->id; }
size_t gr_run_index(const gr_run *r) { return r->index; }
uint64_t gr_run_seed(const gr_run *r) { return r->seed; }
const char *gr_run_text(const gr_run *r) { return r->text; }
const char *gr_run_swept_value(const gr_run *r, size_t i) {
    return i < r->plan->n_axes ? r->swept[i] : NULL;
}

/* The value of KEY in run r, or NULL with a message. */
static const val *run_val(const gr_run *r, const char *key, const gr_schema_key **kout,
                          gr_error *err) {
    size_t ki;
    const gr_schema_key *k = key ? gr_schema_find(key, &ki) : NULL;
    if (!k || is_crit_key(k)) {
        GR_ERROR(err, GR_EINVAL, "%s is not an experiment-file key", key ? key : "(null)");
        return NULL;
    }
    const gr_plan *P = r->plan;
    const slot *sl = is_method_key(k) ? &P->var[r->variant][ki] : &P->top[ki];
    if (!sl->set || (is_method_key(k) && !key_applies(P, k, P->var[r->variant]))) {
        GR_ERROR(err, GR_EINVAL, "%s has no value in run %s of %s", key, r->id, P->path);
        return NULL;
    }
    *kout = k;
    if (!strcmp(key, "seeds")) return &sl->alt[0];
    return &sl->alt[r->choice[ki]];
}

static int type_err(const gr_schema_key *k, const char *want, gr_error *err) {
    return GR_ERROR(err, GR_EINVAL, "%s is a %s, not %s", k->path, gr_key_type_name(k->type), want);
}

int gr_run_get_double(const gr_run *r, const char *key, double *v, gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type == GR_KEY_DOUBLE)
        *v = x->d[0];
    else if (k->type == GR_KEY_INT)
        *v = (double)x->i[0];
    else
        return type_err(k, "a double", err);
    return GR_OK;
}

int gr_run_get_int(const gr_run *r, const char *key, int64_t *v, gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type != GR_KEY_INT) return type_err(k, "an int", err);
    *v = x->i[0];
    return GR_OK;
}

int gr_run_get_size(const gr_run *r, const char *key, size_t *v, gr_error *err) {
    int64_t i;
    GR_TRY(gr_run_get_int(r, key, &i, err));
    if (i < 0)
        return GR_ERROR(err, GR_EINVAL, "%s = %lld is negative, not a size", key, (long long)i);
    *v = (size_t)i;
    return GR_OK;
}

int gr_run_get_bool(const gr_run *r, const char *key, int *v, gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type != GR_KEY_BOOL) return type_err(k, "a bool", err);
    *v = (int)x->i[0];
    return GR_OK;
}

int gr_run_get_string(const gr_run *r, const char *key, const char **v, gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (!x->s || is_array_type(k->type)) return type_err(k, "a string", err);
    *v = x->s[0];
    return GR_OK;
}

int gr_run_get_doubles(const gr_run *r, const char *key, const double **v, size_t *n,
                       gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type != GR_KEY_DOUBLES) return type_err(k, "an array of doubles", err);
    *v = x->d;
    *n = x->n;
    return GR_OK;
}

int gr_run_get_ints(const gr_run *r, const char *key, const int64_t **v, size_t *n, gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type != GR_KEY_INTS) return type_err(k, "an array of ints", err);
    *v = x->i;
    *n = x->n;
    return GR_OK;
}

int gr_run_get_strings(const gr_run *r, const char *key, const char *const **v, size_t *n,
                       gr_error *err) {
    const gr_schema_key *k;
    const val *x = run_val(r, key, &k, err);
    if (!x) return GR_EINVAL;
    if (k->type != GR_KEY_CLAIMS) return type_err(k, "an array of strings", err);
    *v = (const char *const *)x->s;
    *n = x->n;
    return GR_OK;
}

int gr_run_has(const gr_run *r, const char *key) {
    const gr_schema_key *k;
    return run_val(r, key, &k, NULL) != NULL;
}

/* 1 when every condition (keys[c] = vals[c]) holds for the run. */
static int sel_holds(const gr_run *run, const char *const *keys, const char *const *vals,
                     size_t n) {
    for (size_t c = 0; c < n; c++) {
        const gr_schema_key *k;
        const val *v = run_val(run, keys[c], &k, NULL);
        if (!v) return 0;
        sbuf t = {0};
        sb_value(&t, k, v);
        int same = t.s && !t.oom && !strcmp(t.s, vals[c]);
        free(t.s);
        if (!same) return 0;
    }
    return 1;
}

int gr_plan_criterion_selects(const gr_plan *plan, size_t i, const gr_run *run) {
    if (i >= plan->n_crit || !run || run->plan != plan) return 0;
    const criterion_rec *r = &plan->crit[i];
    return sel_holds(run, r->where_key, r->where_val, r->n_where);
}

int gr_plan_criterion_selects_against(const gr_plan *plan, size_t i, const gr_run *run) {
    if (i >= plan->n_crit || !run || run->plan != plan) return 0;
    const criterion_rec *r = &plan->crit[i];
    if (!r->n_against) return 0;
    return sel_holds(run, r->against_key, r->against_val, r->n_against);
}

/* 1 when one of the selector's keys lies on axis a (the method axis: any method.* key). */
static int sel_sets_axis(const gr_plan *P, size_t a, const char *const *keys, size_t n) {
    for (size_t c = 0; c < n; c++) {
        if (P->axis_key[a] == SIZE_MAX ? !strncmp(keys[c], "method.", 7)
                                       : !strcmp(keys[c], P->axis_name[a]))
            return 1;
    }
    return 0;
}

/* "seed 3, method = \"gp\"" of a run, for messages. */
static void run_words(const gr_plan *P, const gr_run *r, char *buf, size_t size) {
    int w = snprintf(buf, size, "run %s (seed %llu", r->id, (unsigned long long)r->seed);
    for (size_t a = 0; a < P->n_axes && w > 0 && (size_t)w < size; a++)
        if (r->swept[a])
            w += snprintf(buf + w, size - (size_t)w, ", %s = %s", P->axis_name[a], r->swept[a]);
    if (w > 0 && (size_t)w < size) snprintf(buf + w, size - (size_t)w, ")");
}

/* 1 when runs a and b pair for criterion r: the same seed and, on every axis that where
 * and against do not both set, the same value. A method setting's axis (method.lambda) is
 * compared only between runs of the same method alternative: two methods' settings differ
 * by what they are (and an axis without a value in one of the runs is not compared). */
static int pairs_with(const gr_plan *P, const criterion_rec *r, const gr_run *a, const gr_run *b) {
    if (a->seed != b->seed) return 0;
    for (size_t x = 0; x < P->n_axes; x++) {
        if (sel_sets_axis(P, x, r->where_key, r->n_where) &&
            sel_sets_axis(P, x, r->against_key, r->n_against))
            continue;
        if (P->axis_key[x] != SIZE_MAX && is_method_key(gr_schema_key_at(P->axis_key[x])) &&
            a->variant != b->variant)
            continue;
        if (a->swept[x] && b->swept[x] && strcmp(a->swept[x], b->swept[x])) return 0;
    }
    return 1;
}

/* The declaration error of a paired criterion whose run x (of side `side`) pairs with two
 * runs y and z of the other side. */
static int two_partners(const gr_plan *P, const criterion_rec *r, size_t c, const char *side,
                        const gr_run *x, const gr_run *y, const gr_run *z, gr_error *err) {
    char wx[512], wy[512], wz[512];
    run_words(P, x, wx, sizeof wx);
    run_words(P, y, wy, sizeof wy);
    run_words(P, z, wz, sizeof wz);
    return fail(err, GR_EFORMAT, r->at,
                "criterion %zu (over = \"paired\"): %s of %s pairs with two runs of %s, %s and "
                "%s; each run needs exactly one partner (name the setting they differ in in "
                "where or against)",
                c + 1, wx, side, strcmp(side, "where") ? "where" : "against", wy, wz);
}

/* over = "paired": pair every criterion's where runs with its against runs once the runs
 * exist. A run on both sides, or one with two partners, is an error of the declaration (no
 * results could ever judge it); runs without a partner are kept for verify's FAIL. */
static int pair_criteria(gr_plan *P, gr_error *err) {
    size_t n = P->n_runs;
    for (size_t c = 0; c < P->n_crit; c++) {
        criterion_rec *r = &P->crit[c];
        if (strcmp(P->crit_pub[c].over, "paired")) continue;
        size_t *pa = arena_alloc(&P->a, (n ? n : 1) * sizeof *pa);
        size_t *pb = arena_alloc(&P->a, (n ? n : 1) * sizeof *pb);
        size_t *un = arena_alloc(&P->a, (n ? n : 1) * sizeof *un);
        int *us = arena_alloc(&P->a, (n ? n : 1) * sizeof *us);
        size_t *partner_of_b = calloc(n ? n : 1, sizeof *partner_of_b); /* 0: none, else a+1 */
        if (!pa || !pb || !un || !us || !partner_of_b) {
            free(partner_of_b);
            return oom(err);
        }
        char wa[512];
        int st = GR_OK;
        size_t np = 0, nu = 0;
        for (size_t i = 0; i < n && st == GR_OK; i++) {
            const gr_run *a = &P->runs[i];
            int in_a = sel_holds(a, r->where_key, r->where_val, r->n_where);
            int in_b = sel_holds(a, r->against_key, r->against_val, r->n_against);
            if (in_a && in_b) {
                run_words(P, a, wa, sizeof wa);
                st = fail(err, GR_EFORMAT, r->at,
                          "criterion %zu (over = \"paired\"): %s is selected by both where and "
                          "against; the two sides must be disjoint",
                          c + 1, wa);
                break;
            }
            if (!in_a) continue;
            size_t found = SIZE_MAX;
            for (size_t j = 0; j < n && st == GR_OK; j++) {
                const gr_run *b = &P->runs[j];
                if (j == i || !sel_holds(b, r->against_key, r->against_val, r->n_against) ||
                    !pairs_with(P, r, a, b))
                    continue;
                if (found != SIZE_MAX) {
                    st = two_partners(P, r, c, "where", a, &P->runs[found], b, err);
                    break;
                }
                if (partner_of_b[j]) {
                    st = two_partners(P, r, c, "against", b, &P->runs[partner_of_b[j] - 1], a, err);
                    break;
                }
                found = j;
            }
            if (st != GR_OK) break;
            if (found == SIZE_MAX) {
                un[nu] = i;
                us[nu++] = 0;
            } else {
                partner_of_b[found] = i + 1;
                pa[np] = i;
                pb[np++] = found;
            }
        }
        for (size_t j = 0; j < n && st == GR_OK; j++)
            if (!partner_of_b[j] &&
                sel_holds(&P->runs[j], r->against_key, r->against_val, r->n_against)) {
                un[nu] = j;
                us[nu++] = 1;
            }
        free(partner_of_b);
        if (st != GR_OK) return st;
        r->pair_a = pa;
        r->pair_b = pb;
        r->n_pairs = np;
        r->unpaired = un;
        r->unpaired_side = us;
        r->n_unpaired = nu;
    }
    return GR_OK;
}

size_t gr_plan_criterion_n_pairs(const gr_plan *plan, size_t i) {
    return plan && i < plan->n_crit ? plan->crit[i].n_pairs : 0;
}

const gr_run *gr_plan_criterion_pair(const gr_plan *plan, size_t i, size_t j, int side) {
    if (!plan || i >= plan->n_crit || j >= plan->crit[i].n_pairs) return NULL;
    return &plan->runs[side ? plan->crit[i].pair_b[j] : plan->crit[i].pair_a[j]];
}

size_t gr_plan_criterion_n_unpaired(const gr_plan *plan, size_t i) {
    return plan && i < plan->n_crit ? plan->crit[i].n_unpaired : 0;
}

const gr_run *gr_plan_criterion_unpaired(const gr_plan *plan, size_t i, size_t j, int *side) {
    if (!plan || i >= plan->n_crit || j >= plan->crit[i].n_unpaired) return NULL;
    if (side) *side = plan->crit[i].unpaired_side[j];
    return &plan->runs[plan->crit[i].unpaired[j]];
}

double gr_plan_estimate_seconds(const gr_plan *p) {
    size_t pu, pr;
    gr_schema_find("estimate.per_unit", &pu);
    gr_schema_find("estimate.per_run", &pr);
    if (!p->top[pu].set) return -1;
    double per_unit = p->top[pu].alt[0].d[0], per_run = p->top[pr].alt[0].d[0];
    int by_steps =
        p->proto_bit & (GR_PROTO_TRAIN | GR_PROTO_FROZEN_D | GR_PROTO_FIXED_CRITIC | GR_PROTO_GAME);
    const char *unit_key = by_steps ? "schedule.steps" : "curve.points";
    double total = 0;
    for (size_t i = 0; i < p->n_runs; i++) {
        int64_t u = 0;
        if (gr_run_get_int(&p->runs[i], unit_key, &u, NULL) != GR_OK) u = 0;
        total += per_run + per_unit * (double)u;
    }
    return total;
}

int gr_plan_file_is_experiment(const char *path, gr_error *err) {
    origin none = {NULL, 0};
    char *text = read_whole(path, err, none);
    if (!text) {
        msg_one_line(err);
        return err ? err->status : GR_EIO;
    }
    include_ref incs[16];
    size_t n_inc;
    int st = prescan(text, path, incs, 16, &n_inc, err);
    if (st == GR_OK) {
        config_t cf;
        config_init(&cf);
        if (!config_read_string(&cf, text)) {
            origin at = {path, config_error_line(&cf)};
            st = fail(err, GR_EFORMAT, at, "%s (libconfig)", config_error_text(&cf));
        } else {
            st = config_lookup(&cf, "experiment") != NULL;
        }
        config_destroy(&cf);
    }
    free(text);
    return st;
}
