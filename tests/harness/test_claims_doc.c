/* tests/harness/test_claims_doc.c — docs/CLAIMS.md's index is generated from the claims
 * catalogue (docs/claims.cfg) and the criteria the experiment files declare, so the page
 * cannot drift from either: the text between "<!-- claims:begin -->" and
 * "<!-- claims:end -->" must equal what this program generates. With GR_WRITE_DOCS=1 in the
 * environment it rewrites that part instead (run it from the tests folder after changing
 * the catalogue or a criterion: cd tests && GR_WRITE_DOCS=1
 * ../build/tests/harness/test_claims_doc). Also checked: every claim an experiment
 * declares is in the catalogue (the message names both), and every catalogue claim has
 * its own section "### Cnn — ..." in the page, in id order, after the index. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_block.h"
#include "harness/claims.h"
#include "harness/plan.h"
#include "harness/verify.h"
#include "test.h"

#define DOC   "../docs/CLAIMS.md"
#define CAT   "../docs/claims.cfg"
#define EXP   "../experiments"
#define BEGIN "<!-- claims:begin -->\n"
#define END   "<!-- claims:end -->\n"

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define MAX_EXP 64

int main(void) {
    gr_error err;
    gr_error_clear(&err);
    gr_claims *cat = NULL;
    CHECK_OK(gr_claims_load(&cat, CAT, &err), &err);
    if (!cat) return TEST_MAIN_END();
    /* the experiments, by file name */
    char *names[MAX_EXP];
    size_t ne = 0;
    DIR *d = opendir(EXP);
    CHECK(d != NULL);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".cfg") || ne == MAX_EXP) continue;
        names[ne] = malloc(n + sizeof EXP + 2);
        if (!names[ne]) return 1;
        snprintf(names[ne], n + sizeof EXP + 2, "%s/%s", EXP, e->d_name);
        ne++;
    }
    if (d) closedir(d);
    qsort(names, ne, sizeof *names, cmp_str);
    gr_plan *plans[MAX_EXP];
    size_t np = 0;
    for (size_t i = 0; i < ne; i++) {
        gr_error_clear(&err);
        int is = gr_plan_file_is_experiment(names[i], &err);
        CHECK(is >= 0);
        if (is != 1) continue;
        gr_plan_options o = gr_plan_options_default();
        o.profile = "quick";
        gr_plan *p = NULL;
        CHECK_OK(gr_plan_load(&p, names[i], &o, &err), &err);
        if (!p) continue;
        plans[np++] = p;
        for (size_t c = 0; c < gr_plan_n_claims(p); c++)
            if (!gr_claims_find(cat, gr_plan_claim(p, c))) {
                fprintf(stderr, "  %s declares claim %s, which %s does not list\n", names[i],
                        gr_plan_claim(p, c), CAT);
                CHECK(0);
            }
    }
    CHECK(np >= 15);

    doc_buf b = {0};
    doc_add(&b, "| Claim | Source | Statement | Experiments | Criteria as declared |\n"
                "|---|---|---|---|---|\n");
    for (size_t i = 0; i < gr_claims_count(cat); i++) {
        const gr_claim_entry *e = gr_claims_at(cat, i);
        doc_add(&b, "| ");
        doc_add(&b, e->id);
        doc_add(&b, " | ");
        doc_add_cell(&b, e->source);
        doc_add(&b, " | ");
        doc_add_cell(&b, e->statement);
        doc_add(&b, " | ");
        doc_buf exps = {0}, crits = {0};
        doc_add(&exps, "");
        doc_add(&crits, "");
        for (size_t k = 0; k < np; k++) {
            const gr_plan *p = plans[k];
            int declares = 0;
            for (size_t c = 0; c < gr_plan_n_claims(p); c++)
                declares |= !strcmp(gr_plan_claim(p, c), e->id);
            if (!declares) continue;
            if (exps.len) doc_add(&exps, ", ");
            doc_add(&exps, "`");
            doc_add(&exps, gr_plan_name(p));
            doc_add(&exps, "`");
            size_t nj = 0;
            for (size_t c = 0; c < gr_plan_n_criteria(p); c++) {
                const gr_criterion *cr = gr_plan_criterion(p, c);
                if (strcmp(cr->claim, e->id)) continue;
                char text[512];
                gr_verify_criterion_text(cr, text, sizeof text);
                if (crits.len) doc_add(&crits, "<br>");
                doc_add(&crits, gr_plan_name(p));
                doc_add(&crits, ": `");
                doc_add_cell(&crits, text);
                if (*cr->where) {
                    doc_add(&crits, " where ");
                    doc_add_cell(&crits, cr->where);
                }
                if (*cr->against) {
                    doc_add(&crits, " against ");
                    doc_add_cell(&crits, cr->against);
                }
                doc_add(&crits, "`");
                nj++;
            }
            if (!nj) {
                if (crits.len) doc_add(&crits, "<br>");
                doc_add(&crits, gr_plan_name(p));
                doc_add(&crits, ": declared, no criterion (a figure or an observation)");
            }
        }
        if (e->cited) {
            doc_add(&b, exps.len ? exps.s : "—");
            doc_add(&b, " | cited: ");
            doc_add_cell(&b, e->cited);
        } else if (!exps.len) {
            doc_add(&b, "— | not yet declared");
        } else {
            doc_add(&b, exps.s);
            doc_add(&b, " | ");
            doc_add(&b, crits.s);
        }
        doc_add(&b, " |\n");
        free(exps.s);
        free(crits.s);
    }

    /* the page */
    doc_page page;
    doc_page_read(&page, DOC, BEGIN, END);
    if (page.from) {
        if (getenv("GR_WRITE_DOCS")) {
            if (doc_page_write(&page, DOC, b.s))
                printf("rewrote the index of %s; run again to check it\n", DOC);
        } else {
            int same = doc_page_block_is(&page, b.s);
            if (!same)
                fprintf(stderr,
                        "  %s's index differs from the catalogue and experiments/: "
                        "cd tests && GR_WRITE_DOCS=1 "
                        "../build/tests/harness/test_claims_doc\n",
                        DOC);
            CHECK(same);
        }
        /* a section per claim, in order, after the index */
        const char *at = page.to + strlen(END);
        for (size_t i = 0; i < gr_claims_count(cat); i++) {
            char h[32];
            snprintf(h, sizeof h, "\n### %s — ", gr_claims_at(cat, i)->id);
            const char *found = strstr(at, h);
            if (!found)
                fprintf(stderr, "  %s: no section \"### %s — ...\" (in id order)\n", DOC,
                        gr_claims_at(cat, i)->id);
            CHECK(found != NULL);
            if (found) at = found + 1;
        }
    }
    free(page.text);
    free(b.s);
    for (size_t k = 0; k < np; k++)
        gr_plan_free(plans[k]);
    for (size_t i = 0; i < ne; i++)
        free(names[i]);
    gr_claims_free(cat);
    return TEST_MAIN_END();
}
