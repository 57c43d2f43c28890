/* tests/harness/test_schema_doc.c — docs/EXPERIMENTS.md's key reference is the schema table
 * (harness/schema.h), so the page and the reader cannot drift: the text between the
 * markers "<!-- schema:begin -->" and "<!-- schema:end -->" must equal what this program
 * generates from the table. With GR_WRITE_DOCS=1 in the environment it rewrites that part
 * of the page instead (run it from the tests folder after changing the table).
 * Also checked: every section's keys are contiguous in the table (the canonical writer
 * relies on it), every default is valid for its key, every method's defaults load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "doc_block.h"
#include "harness/plan.h"
#include "harness/schema.h"
#include "test.h"

#define DOC   "../docs/EXPERIMENTS.md"
#define BEGIN "<!-- schema:begin -->\n"
#define END   "<!-- schema:end -->\n"

static void section_of(const char *path, char *out, size_t size) {
    const char *dot = strchr(path, '.');
    if (dot)
        snprintf(out, size, "%.*s", (int)(dot - path), path);
    else
        snprintf(out, size, "top level");
}

/* The names of a choice list ("a|b|c") whose bits are set, ", "-separated. */
static void names_of(unsigned bits, const char *choices, doc_buf *b) {
    const char *p = choices;
    int first = 1;
    for (unsigned i = 0; *p; i++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (bits & (1u << i)) {
            char w[64];
            snprintf(w, sizeof w, "%s%.*s", first ? "" : ", ", (int)n, p);
            doc_add(b, w);
            first = 0;
        }
        p += n + (bar ? 1 : 0);
    }
}

/* The optimizer a preset gives method m's net (the net of PATH), as a GR_SCHEMA_* bit. */
static unsigned optim_of(unsigned preset, unsigned m, const char *path) {
    const char *name = strstr(path, "optim_g.") ? "method.optim_g.name" : "method.optim_d.name";
    const char *v = gr_schema_method_default(preset, m, 0, name);
    char buf[32];
    if (!v || sscanf(v, "\"%31[a-z_]\"", buf) != 1) return 0;
    int i = gr_schema_choice_index(GR_OPTIMS, buf);
    return i < 0 ? 0u : 1u << i;
}

/* "; paper: gan_mm X, ...; gan_toy: ...": the defaults that differ by preset and method
 * (each method with its own default optimizer), and by optimizer kind. */
static void add_method_defaults(doc_buf *b, const gr_schema_key *k) {
    static const char *const presets[] = {"paper", "gan_toy", "wgan_code"};
    for (unsigned p = 0; p < 3; p++) {
        int first = 1;
        for (unsigned m = 0; m < 5; m++) {
            unsigned pb = 1u << p, mb = 1u << m;
            const char *v = gr_schema_method_default(pb, mb, optim_of(pb, mb, k->path), k->path);
            const char *base =
                p == 0 ? k->def
                       : gr_schema_method_default(1u, mb, optim_of(1u, mb, k->path), k->path);
            if (p > 0 && !base) base = k->def;
            if (!v || (base && !strcmp(v, base))) continue;
            if (k->methods && !(k->methods & mb)) continue;
            if (first) {
                doc_add(b, "; ");
                doc_add(b, presets[p]);
                doc_add(b, ": ");
            } else {
                doc_add(b, ", ");
            }
            names_of(mb, GR_METHODS, b);
            doc_add(b, " `");
            doc_add_cell(b, v);
            doc_add(b, "`");
            first = 0;
        }
    }
    for (unsigned o = 0; o < 5; o++) {
        const char *v = gr_schema_method_default(1u, 0, 1u << o, k->path);
        if (!v || (k->def && !strcmp(v, k->def))) continue;
        doc_add(b, "; with ");
        names_of(1u << o, GR_OPTIMS, b);
        doc_add(b, " `");
        doc_add_cell(b, v);
        doc_add(b, "`");
    }
}

static char *generate(void) {
    doc_buf b = {0};
    char last[64] = "";
    for (size_t i = 0; i < gr_schema_n_keys(); i++) {
        const gr_schema_key *k = gr_schema_key_at(i);
        char sec[64];
        section_of(k->path, sec, sizeof sec);
        if (strcmp(sec, last)) {
            char h[256];
            snprintf(h, sizeof h,
                     "%s#### %s%s%s\n\n| key | accepts | default | notes | what it does "
                     "|\n|---|---|---|---|---|\n",
                     *last ? "\n" : "", strchr(k->path, '.') ? "`" : "", sec,
                     strchr(k->path, '.') ? "`" : "");
            doc_add(&b, h);
            snprintf(last, sizeof last, "%s", sec);
        }
        doc_add(&b, "| `");
        doc_add(&b, k->path);
        doc_add(&b, "` | ");
        char acc[256];
        gr_schema_accepts(k, acc, sizeof acc);
        doc_add_cell(&b, acc);
        doc_add(&b, " | ");
        if (k->required == GR_PROTO_ALL)
            doc_add(&b, "required");
        else if (k->required) {
            doc_add(&b, "required for ");
            names_of(k->required, GR_PROTOCOLS, &b);
            if (k->def) {
                doc_add(&b, "; else `");
                doc_add_cell(&b, k->def);
                doc_add(&b, "`");
            }
        } else if (k->def) {
            doc_add(&b, "`");
            doc_add_cell(&b, k->def);
            doc_add(&b, "`");
        } else
            doc_add(&b, "none");
        int any = 0;
        add_method_defaults(&b, k);
        doc_add(&b, " | ");
        if (k->flags & GR_KEY_SWEEP) {
            doc_add(&b, "sweep");
            any = 1;
        }
        if (k->flags & GR_KEY_SIZE) {
            doc_add(&b, any ? ", size" : "size");
            any = 1;
        }
        if (k->flags & GR_KEY_META) {
            doc_add(&b, any ? ", not in run id" : "not in run id");
            any = 1;
        }
        if (k->methods) {
            doc_add(&b, any ? "; " : "");
            names_of(k->methods, GR_METHODS, &b);
            doc_add(&b, " only");
            any = 1;
        }
        if (k->optims) {
            doc_add(&b, any ? "; " : "");
            names_of(k->optims, GR_OPTIMS, &b);
            doc_add(&b, " only");
            any = 1;
        }
        doc_add(&b, " | ");
        doc_add_cell(&b, k->doc);
        doc_add(&b, " |\n");
    }
    return b.s;
}

static void test_doc_is_the_schema(void) {
    doc_page page;
    doc_page_read(&page, DOC, BEGIN, END);
    if (!page.text) return;
    char *gen = generate();
    if (page.from) {
        int same = doc_page_block_is(&page, gen);
        const char *w = getenv("GR_WRITE_DOCS");
        if (!same && w && !strcmp(w, "1")) {
            if (doc_page_write(&page, DOC, gen))
                fprintf(stderr, "rewrote the key reference of %s; run again to check it\n", DOC);
            free(gen);
            free(page.text);
            return;
        } else {
            CHECK(same);
            if (!same)
                fprintf(stderr,
                        "%s's key reference is not the schema table's: rerun this test "
                        "with GR_WRITE_DOCS=1 from tests/ and review the diff\n",
                        DOC);
        }
    }
    /* and every key is named in the page (the generated part or the prose) */
    for (size_t i = 0; i < gr_schema_n_keys(); i++) {
        char q[160];
        snprintf(q, sizeof q, "`%s`", gr_schema_key_at(i)->path);
        CHECK(strstr(page.text, q) != NULL);
    }
    free(gen);
    free(page.text);
}

static void test_sections_contiguous(void) {
    /* a section (every dotted prefix) must not reappear after another one started */
    size_t n = gr_schema_n_keys();
    for (size_t i = 0; i < n; i++) {
        const char *p = gr_schema_key_at(i)->path;
        for (const char *dot = strchr(p, '.'); dot; dot = strchr(dot + 1, '.')) {
            size_t len = (size_t)(dot - p) + 1;
            int left = 0;
            for (size_t j = i + 1; j < n; j++) {
                int in = !strncmp(gr_schema_key_at(j)->path, p, len);
                if (!in)
                    left = 1;
                else if (left) {
                    CHECK(0);
                    fprintf(stderr, "  section %.*s of %s reappears at %s\n", (int)len - 1, p, p,
                            gr_schema_key_at(j)->path);
                    break;
                }
            }
        }
        /* unique paths */
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(gr_schema_key_at(j)->path, p) != 0);
        const gr_schema_key *k = gr_schema_key_at(i);
        CHECK(k->doc && strlen(k->doc) > 10);
        CHECK(gr_schema_find(p, NULL) == k);
    }
    CHECK(gr_schema_find("nope", NULL) == NULL);
}

/* Each method with nothing but its name loads: its defaults are valid values. */
static void test_method_defaults_load(void) {
    const char *methods[] = {"gan_mm", "gan_ns", "gan_in", "wgan_clip", "wgan_gp"};
    for (size_t m = 0; m < 5; m++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "experiment = { name = \"m\"; claims = [\"C24\"]; protocol = \"train\"; };\n"
                 "seeds = [1];\ndata = { set = \"8gaussians\"; };\n"
                 "nets = { g = \"2-8relu-2linear\"; d = \"2-8relu-1linear\"; };\n"
                 "method = { name = \"%s\"; };\nschedule = { steps = 1; };\neval = { n = 2; };\n",
                 methods[m]);
        gr_plan *p = NULL;
        gr_error err;
        CHECK_OK(gr_plan_load_text(&p, text, "m.cfg", NULL, NULL, &err), &err);
        if (p) {
            const gr_run *r = gr_plan_run(p, 0);
            double lr = 0;
            CHECK_OK(gr_run_get_double(r, "method.optim_d.lr", &lr, &err), &err);
            CHECK(lr > 0);
            CHECK(gr_run_has(r, "method.sigma0") == (m == 2));
            CHECK(gr_run_has(r, "method.clip") == (m == 3));
            CHECK(gr_run_has(r, "method.lambda") == (m == 4));
        }
        gr_plan_free(p);
    }
}

int main(void) {
    RUN(test_doc_is_the_schema);
    RUN(test_sections_contiguous);
    RUN(test_method_defaults_load);
    return TEST_MAIN_END();
}
