/* harness/claimtab.c — the claims table (claimtab.h). */
#include "harness/claimtab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    F_CLAIM,
    F_SOURCE,
    F_STATEMENT,
    F_EXPERIMENT,
    F_PROFILE,
    F_COMMIT,
    F_CRITERION,
    F_METRIC,
    F_OVER,
    F_K,
    F_CONDITION,
    F_WHERE,
    F_DOC,
    F_MEASURED,
    F_SE,
    F_N_RUNS,
    F_N_PASS,
    F_N_FAILED,
    F_N_DIVERGED,
    F_N_MISSING,
    F_VERDICT,
    F_PUBLISHED,
    F_AGAINST,
    F_N_PAIRS,
    NF
};
/* The columns before against and n_pairs (added with over = "paired"): a CSV with only
 * these is read too, the two new ones empty. */
#define NF_OLD F_AGAINST
static const char *const COLS[NF] = {
    "claim",      "source",    "statement", "experiment", "profile",   "commit",
    "criterion",  "metric",    "over",      "k",          "condition", "where",
    "doc",        "measured",  "se",        "n_runs",     "n_pass",    "n_failed",
    "n_diverged", "n_missing", "verdict",   "published",  "against",   "n_pairs"};

typedef struct trow {
    char *f[NF];
    size_t cat; /* index of its claim in the catalogue */
    size_t seq; /* insertion order */
} trow;

struct gr_claimtab {
    const gr_claims *cat;
    trow *rows;
    size_t n, cap;
};

int gr_claimtab_alloc(gr_claimtab **out, const gr_claims *cat, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_claimtab_alloc: out is NULL");
    *out = NULL;
    if (!cat) return GR_ERROR(err, GR_EINVAL, "gr_claimtab_alloc: no catalogue");
    gr_claimtab *t = calloc(1, sizeof *t);
    if (!t) return GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
    t->cat = cat;
    *out = t;
    return GR_OK;
}

static void row_free(trow *r) {
    for (int k = 0; k < NF; k++)
        free(r->f[k]);
}

void gr_claimtab_free(gr_claimtab *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n; i++)
        row_free(&t->rows[i]);
    free(t->rows);
    free(t);
}

size_t gr_claimtab_n_rows(const gr_claimtab *t) { return t ? t->n : 0; }

static size_t cat_index(const gr_claims *cat, const char *id) {
    for (size_t i = 0; i < gr_claims_count(cat); i++)
        if (!strcmp(gr_claims_at(cat, i)->id, id)) return i;
    return (size_t)-1;
}

/* Append a row whose fields are copies of f (NULL: ""). */
static int push(gr_claimtab *t, const char *const *f, size_t ci, gr_error *err) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        trow *nr = realloc(t->rows, cap * sizeof *nr);
        if (!nr) return GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
        t->rows = nr;
        t->cap = cap;
    }
    trow *r = &t->rows[t->n];
    memset(r, 0, sizeof *r);
    for (int k = 0; k < NF; k++) {
        const char *s = f[k] ? f[k] : "";
        size_t len = strlen(s) + 1;
        r->f[k] = malloc(len);
        if (!r->f[k]) {
            row_free(r);
            return GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
        }
        memcpy(r->f[k], s, len);
    }
    r->cat = ci;
    r->seq = t->n;
    t->n++;
    return GR_OK;
}

static int not_listed(const gr_claimtab *t, const gr_resview *v, const char *claim, gr_error *err) {
    return GR_ERROR(err, GR_EFORMAT,
                    "%s: experiment %s declares claim %s, which the claims catalogue %s does not "
                    "list (add it there, and its section to docs/CLAIMS.md)",
                    v->path, v->experiment, claim, gr_claims_path(t->cat));
}

int gr_claimtab_add_verdict(gr_claimtab *t, const gr_resview *v, const gr_verdict *d,
                            gr_error *err) {
    if (!t || !v || !d || !d->crit) return GR_ERROR(err, GR_EINVAL, "gr_claimtab_add_verdict");
    const gr_criterion *c = d->crit;
    size_t ci = cat_index(t->cat, c->claim);
    if (ci == (size_t)-1) return not_listed(t, v, c->claim, err);
    char crit[32], k[32], cond[128], meas[40], se[40], nr[32], np[32], nf[32], nd[32], nm[32],
        npairs[32] = "";
    snprintf(crit, sizeof crit, "%zu", d->criterion + 1);
    if (c->k)
        snprintf(k, sizeof k, "%zu", c->k);
    else
        k[0] = '\0';
    gr_verify_condition_text(c, cond, sizeof cond);
    gr_verify_number(d->measured, meas, sizeof meas);
    gr_verify_number(d->se, se, sizeof se);
    snprintf(nr, sizeof nr, "%zu", d->n_ok + d->n_diverged + d->n_failed);
    snprintf(np, sizeof np, "%zu", d->n_pass);
    snprintf(nf, sizeof nf, "%zu", d->n_failed);
    snprintf(nd, sizeof nd, "%zu", d->n_diverged);
    snprintf(nm, sizeof nm, "%zu", d->n_missing);
    if (!strcmp(c->over, "paired")) snprintf(npairs, sizeof npairs, "%zu", d->n_pairs);
    const char *f[NF] = {c->claim,
                         NULL,
                         NULL,
                         v->experiment,
                         v->profile,
                         v->git_commit,
                         crit,
                         c->metric,
                         c->over,
                         k,
                         cond,
                         c->where,
                         c->doc,
                         meas,
                         se,
                         nr,
                         np,
                         nf,
                         nd,
                         nm,
                         gr_verdict_name(d->kind),
                         NULL,
                         c->against,
                         npairs};
    return push(t, f, ci, err);
}

int gr_claimtab_add_unjudged(gr_claimtab *t, const gr_resview *v, const char *claim,
                             gr_error *err) {
    if (!t || !v || !claim) return GR_ERROR(err, GR_EINVAL, "gr_claimtab_add_unjudged");
    size_t ci = cat_index(t->cat, claim);
    if (ci == (size_t)-1) return not_listed(t, v, claim, err);
    const char *f[NF] = {claim, NULL, NULL, v->experiment, v->profile, v->git_commit};
    f[F_MEASURED] = "nan";
    f[F_SE] = "nan";
    f[F_N_RUNS] = f[F_N_PASS] = f[F_N_FAILED] = f[F_N_DIVERGED] = f[F_N_MISSING] = "0";
    f[F_VERDICT] = gr_verdict_name(GR_VERDICT_NOT_TESTED);
    return push(t, f, ci, err);
}

/* ---- CSV in ---------------------------------------------------------------------------- */

/* One RFC 4180 field at *p into buf (quoted or not); *p is left after it (on the ',', the
 * line end or the NUL). Returns 0 on a malformed quoted field. */
static int csv_field(const char **p, char *buf, size_t size) {
    const char *s = *p;
    size_t n = 0;
    if (*s == '"') {
        s++;
        for (;;) {
            if (!*s) return 0;
            if (*s == '"') {
                if (s[1] == '"') {
                    if (n + 1 < size) buf[n++] = '"';
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            if (n + 1 < size) buf[n++] = *s;
            s++;
        }
        if (*s && *s != ',' && *s != '\n' && *s != '\r') return 0;
    } else {
        while (*s && *s != ',' && *s != '\n' && *s != '\r') {
            if (n + 1 < size) buf[n++] = *s;
            s++;
        }
    }
    buf[n] = '\0';
    *p = s;
    return 1;
}

static int read_rows(gr_claimtab *t, const char *text, const char *name, char (*fld)[2048],
                     gr_error *err);

int gr_claimtab_read_csv(gr_claimtab *t, const char *text, const char *name, gr_error *err) {
    if (!t || !text || !name) return GR_ERROR(err, GR_EINVAL, "gr_claimtab_read_csv");
    char(*fld)[2048] = malloc(NF * sizeof *fld);
    if (!fld) return GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
    int st = read_rows(t, text, name, fld, err);
    free(fld);
    return st;
}

static int read_rows(gr_claimtab *t, const char *text, const char *name, char (*fld)[2048],
                     gr_error *err) {
    const char *p = text;
    int line = 1, ncol = NF;
    for (int first = 1; *p; line++, first = 0) {
        int nfld = 0;
        for (;;) {
            if (nfld == NF)
                return GR_ERROR(err, GR_EFORMAT, "%s:%d: more than %d columns", name, line, NF);
            if (!csv_field(&p, fld[nfld], sizeof fld[nfld]))
                return GR_ERROR(err, GR_EFORMAT, "%s:%d: a malformed quoted field", name, line);
            nfld++;
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        if (*p == '\r') p++;
        if (*p == '\n') p++;
        if (first && nfld == NF_OLD) ncol = NF_OLD; /* written before against, n_pairs */
        if (nfld != ncol)
            return GR_ERROR(err, GR_EFORMAT, "%s:%d: %d columns; a verdicts CSV has %d", name, line,
                            nfld, ncol);
        for (int k = ncol; k < NF; k++)
            fld[k][0] = '\0';
        if (first) {
            for (int k = 0; k < ncol; k++)
                if (strcmp(fld[k], COLS[k]))
                    return GR_ERROR(err, GR_EFORMAT,
                                    "%s:1: column %d is \"%s\", not \"%s\": not a verdicts CSV of "
                                    "this version (rerun ganrepro verify on the results)",
                                    name, k + 1, fld[k], COLS[k]);
            continue;
        }
        if (!strcmp(fld[F_VERDICT], "cited")) continue; /* regenerated from the catalogue */
        int known = 0;
        for (int k = 0; k < 4; k++)
            known |= !strcmp(fld[F_VERDICT], gr_verdict_name(k));
        if (!known)
            return GR_ERROR(err, GR_EFORMAT,
                            "%s:%d: verdict \"%s\" is not PASS, FAIL, NOT RUN, "
                            "NOT TESTED or cited",
                            name, line, fld[F_VERDICT]);
        size_t ci = cat_index(t->cat, fld[F_CLAIM]);
        if (ci == (size_t)-1)
            return GR_ERROR(err, GR_EFORMAT,
                            "%s:%d: claim %s (experiment %s) is not in the claims catalogue %s",
                            name, line, fld[F_CLAIM], fld[F_EXPERIMENT], gr_claims_path(t->cat));
        const char *f[NF];
        for (int k = 0; k < NF; k++)
            f[k] = fld[k];
        f[F_SOURCE] = f[F_STATEMENT] = f[F_PUBLISHED] = NULL;
        GR_TRY(push(t, f, ci, err));
    }
    return GR_OK;
}

/* ---- rendering ------------------------------------------------------------------------- */

static int cmp_row(const void *a, const void *b) {
    const trow *x = *(const trow *const *)a, *y = *(const trow *const *)b;
    if (x->cat != y->cat) return x->cat < y->cat ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* A number of the CSV for people: 6 significant digits ("nan", "inf" as they are). */
static void short_num(const char *s, char *buf, size_t size) {
    char *end;
    double x = strtod(s, &end);
    if (!*s || *end || !isfinite(x))
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "%.6g", x);
}

static size_t num(const char *s) { return (size_t)strtoul(s, NULL, 10); }

/* The measured cell (the same words in Markdown and LaTeX). */
static void measured_text(const trow *r, char *buf, size_t size) {
    const char *const *f = (const char *const *)r->f;
    const char *v = f[F_VERDICT];
    size_t n = num(f[F_N_RUNS]), nf = num(f[F_N_FAILED]), nd = num(f[F_N_DIVERGED]);
    if (!*f[F_METRIC]) {
        snprintf(buf, size, "—");
        return;
    }
    if (!strcmp(v, "NOT TESTED")) {
        snprintf(buf, size, "— (no run of this profile selected)");
        return;
    }
    if (!strcmp(v, "NOT RUN")) {
        snprintf(buf, size, "— (%zu of %zu runs missing)", num(f[F_N_MISSING]),
                 n + num(f[F_N_MISSING]));
        return;
    }
    char m[64], se[64], extra[96] = "";
    int w = 0;
    if (nf) w += snprintf(extra + w, sizeof extra - (size_t)w, ", %zu failed", nf);
    if (nd && w >= 0 && (size_t)w < sizeof extra)
        snprintf(extra + w, sizeof extra - (size_t)w, ", %zu diverged", nd);
    if (!strcmp(f[F_OVER], "count")) {
        snprintf(buf, size, "%zu of %zu runs%s", num(f[F_N_PASS]), n, extra);
        return;
    }
    if (!strcmp(f[F_OVER], "paired")) {
        size_t np = num(f[F_N_PAIRS]), un = n > 2 * np ? n - 2 * np : 0;
        if (un)
            snprintf(buf, size, "%zu of %zu pairs, %zu run%s unpaired%s", num(f[F_N_PASS]), np, un,
                     un == 1 ? "" : "s", extra);
        else
            snprintf(buf, size, "%zu of %zu pairs%s", num(f[F_N_PASS]), np, extra);
        return;
    }
    short_num(f[F_MEASURED], m, sizeof m);
    if (strcmp(f[F_SE], "nan") && *f[F_SE]) {
        short_num(f[F_SE], se, sizeof se);
        snprintf(buf, size, "%s ± %s s.e. (n = %zu%s)", m, se, n, extra);
    } else {
        snprintf(buf, size, "%s (n = %zu%s)", m, n, extra);
    }
}

/* "metric over cond where ..." as the criterion is declared. */
static void formal_text(const trow *r, char *buf, size_t size) {
    const char *const *f = (const char *const *)r->f;
    int w;
    int paired = !strcmp(f[F_OVER], "paired");
    if (!strcmp(f[F_OVER], "count"))
        w = snprintf(buf, size, "%s %s in >= %s runs", f[F_METRIC], f[F_CONDITION], f[F_K]);
    else if (paired) /* the condition column reads "< against" */
        w = snprintf(buf, size, "%s %s's in >= %s pairs", f[F_METRIC], f[F_CONDITION], f[F_K]);
    else
        w = snprintf(buf, size, "%s %s %s", f[F_METRIC], f[F_OVER], f[F_CONDITION]);
    if (*f[F_WHERE] && w >= 0 && (size_t)w < size)
        w += snprintf(buf + w, size - (size_t)w, " where %s", f[F_WHERE]);
    if (paired && *f[F_AGAINST] && w >= 0 && (size_t)w < size)
        snprintf(buf + w, size - (size_t)w, " against %s", f[F_AGAINST]);
}

static void put_md(FILE *f, const char *s) { gr_report_put_md(f, s); }

/* The claim's verdict over its rows (harness/verify.h's combination), as gr_verify_claim_kind
 * would give it; -1 when the claim has no judged row (only cited). */
static int claim_kind(const trow *const *rows, size_t n, size_t cat) {
    int kinds[512];
    size_t nk = 0, any = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i]->cat != cat) continue;
        any++;
        for (int k = 0; k < 4; k++)
            if (!strcmp(rows[i]->f[F_VERDICT], gr_verdict_name(k)) && nk < 512) kinds[nk++] = k;
    }
    return any ? gr_verify_claim_kind(kinds, nk) : -1;
}

/* Distinct values of field k over rows, joined by ", ". */
static void distinct(const trow *const *rows, size_t n, int k, char *buf, size_t size,
                     size_t *count) {
    size_t len = 0, c = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(rows[j]->f[k], rows[i]->f[k]);
        if (seen || !*rows[i]->f[k]) continue;
        c++;
        if (len < size) {
            int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", rows[i]->f[k]);
            if (w > 0) len += (size_t)w;
        }
    }
    if (count) *count = c;
}

char *gr_claimtab_render(const gr_claimtab *t, int fmt, gr_error *err) {
    if (!t || (fmt != 'c' && fmt != 'm' && fmt != 't')) {
        GR_ERROR(err, GR_EINVAL, "claims table: unknown format");
        return NULL;
    }
    const gr_claims *cat = t->cat;
    size_t ncat = gr_claims_count(cat);
    /* the rows in catalogue order, and the cited claims as their own rows */
    const trow **rows = malloc((t->n ? t->n : 1) * sizeof *rows);
    trow *cited = calloc(ncat ? ncat : 1, sizeof *cited);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = rows && cited ? open_memstream(&buf, &len) : NULL;
    if (!f) {
        free(rows);
        free(cited);
        GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++)
        rows[i] = &t->rows[i];
    qsort(rows, t->n, sizeof *rows, cmp_row);
    static char empty[1] = "";
    for (size_t c = 0; c < ncat; c++) {
        const gr_claim_entry *e = gr_claims_at(cat, c);
        for (int k = 0; k < NF; k++)
            cited[c].f[k] = empty;
        cited[c].f[F_CLAIM] = (char *)e->id;
        cited[c].f[F_VERDICT] = (char *)"cited";
        cited[c].f[F_PUBLISHED] = (char *)(e->cited ? e->cited : "");
        cited[c].cat = c;
    }
    char profiles[256], commits[512], missing[1024] = "";
    size_t n_exp = 0;
    distinct(rows, t->n, F_PROFILE, profiles, sizeof profiles, NULL);
    distinct(rows, t->n, F_COMMIT, commits, sizeof commits, NULL);
    distinct(rows, t->n, F_EXPERIMENT, (char[4096]){0}, 4096, &n_exp);
    {
        size_t ml = 0;
        for (size_t c = 0; c < ncat; c++) {
            const gr_claim_entry *e = gr_claims_at(cat, c);
            int has = e->cited != NULL;
            for (size_t i = 0; i < t->n && !has; i++)
                has = rows[i]->cat == c;
            if (has || ml >= sizeof missing) continue;
            int w = snprintf(missing + ml, sizeof missing - ml, "%s%s", ml ? ", " : "", e->id);
            if (w > 0) ml += (size_t)w;
        }
    }

    if (fmt == 'c') {
        for (int k = 0; k < NF; k++)
            fprintf(f, "%s%s", k ? "," : "", COLS[k]);
        fputc('\n', f);
    } else if (fmt == 'm') {
        fprintf(
            f,
            "Claims table of `ganrepro verify` over %zu experiment%s (profile %s; commit %s). "
            "Under each claim its verdict: PASS (its judged criteria pass), NOT REPRODUCED (one "
            "fails: the evidence disagrees), NOT RUN or NOT TESTED; each row is one criterion "
            "with its own PASS or FAIL.\n\n",
            n_exp, n_exp == 1 ? "" : "s", *profiles ? profiles : "none",
            *commits ? commits : "none");
        fputs("| Claim | Source | Statement | Measured | Criterion | Criterion verdict |\n"
              "|---|---|---|---|---|---|\n",
              f);
    } else {
        fputs("% ganrepro verify: the claims table (booktabs); profile ", f);
        fprintf(f, "%s, commit %s\n", *profiles ? profiles : "none", *commits ? commits : "none");
        fputs("\\begin{tabular}{@{}p{1.9cm} p{2.4cm} p{4.1cm} p{2.4cm} p{4.4cm} l@{}}\n\\toprule\n"
              "Claim & Source & Statement & Measured & Criterion & Criterion verdict \\\\\n"
              "\\midrule\n",
              f);
    }
    /* merge: walk the catalogue; a cited claim's row, then the claim's measured rows */
    size_t ri = 0;
    const char *prev = "";
    for (size_t c = 0; c <= ncat; c++) {
        const trow *list[2];
        size_t nl = 0;
        if (c < ncat && gr_claims_at(cat, c)->cited) list[nl++] = &cited[c];
        for (;;) {
            const trow *r;
            if (nl) {
                r = list[0];
                nl = 0;
            } else if (ri < t->n && (c == ncat || rows[ri]->cat == c)) {
                r = rows[ri++];
            } else {
                break;
            }
            const gr_claim_entry *e = gr_claims_at(cat, r->cat);
            int first = strcmp(prev, r->f[F_CLAIM]) != 0;
            int ck = first ? claim_kind(rows, t->n, r->cat) : -1;
            prev = r->f[F_CLAIM];
            int is_cited = !strcmp(r->f[F_VERDICT], "cited");
            char meas[256], formal[1024];
            if (is_cited)
                snprintf(meas, sizeof meas, "%s", r->f[F_PUBLISHED]);
            else
                measured_text(r, meas, sizeof meas);
            formal_text(r, formal, sizeof formal);
            if (fmt == 'c') {
                for (int k = 0; k < NF; k++) {
                    const char *s = r->f[k];
                    if (k == F_SOURCE) s = e->source;
                    if (k == F_STATEMENT) s = e->statement;
                    if (k) fputc(',', f);
                    gr_report_put_csv(f, s);
                }
                fputc('\n', f);
                continue;
            }
            if (fmt == 'm') {
                fputs("| ", f);
                if (first) {
                    fprintf(f, "%s", e->id);
                    if (ck >= 0) fprintf(f, "<br>**%s**", gr_verify_claim_name(ck));
                    fputs(" | ", f);
                    put_md(f, e->source);
                    fputs(" | ", f);
                    put_md(f, e->statement);
                } else {
                    fputs(" |  | ", f);
                }
                fputs(" | ", f);
                put_md(f, meas);
                fputs(" | ", f);
                if (is_cited) {
                    fputs("cited (reference only, not rerun)", f);
                } else if (!*r->f[F_METRIC]) {
                    put_md(f, r->f[F_EXPERIMENT]);
                    fprintf(f, " (%s) declares no criterion", r->f[F_PROFILE]);
                    if (e->no_criterion) {
                        fputs(": ", f);
                        put_md(f, e->no_criterion);
                    }
                } else {
                    put_md(f, r->f[F_EXPERIMENT]);
                    fprintf(f, " (%s): ", r->f[F_PROFILE]);
                    if (*r->f[F_DOC]) {
                        put_md(f, r->f[F_DOC]);
                        fputs(" — ", f);
                    }
                    fputc('`', f);
                    put_md(f, formal);
                    fputc('`', f);
                }
                fprintf(f, " | %s |\n", r->f[F_VERDICT]);
                continue;
            }
            /* LaTeX */
            if (first) {
                gr_claims_put_tex(f, e->id);
                if (ck >= 0) {
                    fputs("\\newline\\textbf{", f);
                    gr_claims_put_tex(f, gr_verify_claim_name(ck));
                    fputs("}", f);
                }
                fputs(" & ", f);
                gr_claims_put_tex(f, e->source);
                fputs(" & ", f);
                gr_claims_put_tex(f, e->statement);
            } else {
                fputs(" & & ", f);
            }
            fputs(" & ", f);
            gr_claims_put_tex(f, meas);
            fputs(" & ", f);
            if (is_cited) {
                fputs("cited (reference only, not rerun)", f);
            } else if (!*r->f[F_METRIC]) {
                gr_claims_put_tex(f, r->f[F_EXPERIMENT]);
                fputs(" declares no criterion", f);
                if (e->no_criterion) {
                    fputs(": ", f);
                    gr_claims_put_tex(f, e->no_criterion);
                }
            } else {
                gr_claims_put_tex(f, r->f[F_EXPERIMENT]);
                fputs(": ", f);
                gr_claims_put_tex(f, *r->f[F_DOC] ? r->f[F_DOC] : formal);
            }
            fputs(" & ", f);
            gr_claims_put_tex(f, r->f[F_VERDICT]);
            fputs(" \\\\\n", f);
        }
    }
    if (fmt == 'm' && *missing)
        fprintf(f, "\nClaims of the catalogue not in these results: %s.\n", missing);
    if (fmt == 't') {
        fputs("\\bottomrule\n\\end{tabular}\n", f);
        if (*missing) fprintf(f, "%% not in these results: %s\n", missing);
    }
    int bad = fclose(f) != 0;
    free(rows);
    free(cited);
    if (bad) {
        free(buf);
        GR_ERROR(err, GR_ENOMEM, "claims table: out of memory");
        return NULL;
    }
    return buf;
}
