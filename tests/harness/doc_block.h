/* tests/harness/doc_block.h — a docs page's generated block, for the tests that keep a page
 * in step with what the code declares (test_schema_doc, test_claims_doc): a growing string
 * to generate the block into, and the page read with its block found between two marker
 * lines, so that the test either compares the block with what it generated or (asked to,
 * with GR_WRITE_DOCS) writes the page back with the generated block in its place. */
#ifndef GR_TESTS_HARNESS_DOC_BLOCK_H
#define GR_TESTS_HARNESS_DOC_BLOCK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

typedef struct doc_buf {
    char *s; /* NUL-terminated once anything is added; free it */
    size_t len, cap;
} doc_buf;

static void doc_add(doc_buf *b, const char *t) {
    size_t n = strlen(t);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) exit(1);
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, t, n + 1);
    b->len += n;
}

/* Text for a Markdown table cell: a '|' inside it would end the cell. */
static void doc_add_cell(doc_buf *b, const char *t) {
    for (; *t; t++) {
        char c[2] = {*t, 0};
        doc_add(b, *t == '|' ? "\\|" : c);
    }
}

typedef struct doc_page {
    char *text;      /* the whole page, NUL-terminated; NULL if it cannot be read; free it */
    char *from, *to; /* the block: after the begin line, up to the end line (which `to`
                      * points at); both NULL if a marker is missing */
} doc_page;

/* Read path and find its block between the lines begin and end (each with its '\n').
 * CHECKs that the page reads and has both markers. */
static void doc_page_read(doc_page *p, const char *path, const char *begin, const char *end) {
    p->from = p->to = NULL;
    size_t len = 0;
    p->text = (char *)gr_test_read_file(path, &len);
    CHECK(p->text != NULL);
    if (!p->text) return;
    char *z = realloc(p->text, len + 1);
    if (!z) {
        free(p->text);
        p->text = NULL;
        CHECK(0);
        return;
    }
    p->text = z;
    p->text[len] = '\0';
    char *s = strstr(p->text, begin), *e = s ? strstr(s, end) : NULL;
    CHECK(s && e);
    if (s && e) {
        p->from = s + strlen(begin);
        p->to = e;
    }
}

/* 1 if the page's block (found) is gen to the letter. */
static int doc_page_block_is(const doc_page *p, const char *gen) {
    size_t have = (size_t)(p->to - p->from);
    return have == strlen(gen) && !memcmp(p->from, gen, have);
}

/* Write the page (its block found) back to path with gen as its block; CHECKs the file
 * opens and closes. 1 if it was written. */
static int doc_page_write(const doc_page *p, const char *path, const char *gen) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return 0;
    fwrite(p->text, 1, (size_t)(p->from - p->text), f);
    fputs(gen, f);
    fputs(p->to, f);
    CHECK(fclose(f) == 0);
    return 1;
}

#endif
