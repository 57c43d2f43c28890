/* tests/distance/pot_fixture.h — the POT fixture of tests/reference/make_ot_fixtures.py, read for
 * test_ot_pot.c (library) and test_cli_pot.c (CLI). Header only.
 *
 * reference/ot_fixtures/cases.txt (relative to the tests folder, ctest's working directory)
 * has one case a line:
 *     points NAME d n m W1 W2 W1_weighted W2_weighted
 *     matrix NAME 0 n m COST COST_weighted
 * and NAME_x.txt / NAME_y.txt (points, the CLI's text format), NAME_a.txt / NAME_b.txt
 * (weights), NAME_c.txt (an n x m cost matrix) beside it; sinkhorn.txt has the entropic
 * OT references (NAME p weighted eps_kind epsilon cost objective mean) on some of them. Files are
 * read with gr_points_read, the reader the CLI uses, so both tests see the same doubles.
 */
#ifndef GR_TESTS_OT_POT_FIXTURE_H
#define GR_TESTS_OT_POT_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "io/points.h"

#define POT_DIR       "reference/ot_fixtures/"
#define POT_MAX_CASES 32

typedef struct {
    char kind[16], name[64];
    size_t d, n, m;
    double v[4]; /* points: W1, W2, W1 weighted, W2 weighted; matrix: COST, COST weighted */
} pot_case;

/* Read cases.txt into cases[]; returns the count, or 0 if the file is missing or a line is
 * malformed (the message on stderr: the caller's check then fails). */
static inline size_t pot_cases_read(pot_case *cases, size_t cap) {
    FILE *f = fopen(POT_DIR "cases.txt", "r");
    if (!f) {
        fprintf(stderr, "cannot open " POT_DIR "cases.txt (run from tests/, as ctest does)\n");
        return 0;
    }
    char line[1024];
    size_t k = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (k == cap) break;
        pot_case *c = &cases[k];
        memset(c, 0, sizeof *c);
        int got = sscanf(line, "%15s %63s %zu %zu %zu %lf %lf %lf %lf", c->kind, c->name, &c->d,
                         &c->n, &c->m, &c->v[0], &c->v[1], &c->v[2], &c->v[3]);
        int want = strcmp(c->kind, "matrix") == 0 ? 7 : 9;
        if (got != want) {
            fprintf(stderr, POT_DIR "cases.txt:%zu: expected %d fields, read %d\n", lineno, want,
                    got);
            fclose(f);
            return 0;
        }
        k++;
    }
    fclose(f);
    return k;
}

/* Read NAME_SUFFIX.txt with gr_points_read; checks the shape (rows x cols). 0 on success. */
static inline int pot_read(const pot_case *c, const char *suffix, size_t rows, size_t cols,
                           gr_points *pts) {
    char path[256];
    snprintf(path, sizeof path, POT_DIR "%s_%s.txt", c->name, suffix);
    gr_error err;
    gr_error_clear(&err);
    if (gr_points_read(path, pts, &err) != GR_OK) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return -1;
    }
    if (pts->n != rows || pts->d != cols) {
        fprintf(stderr, "%s: %zu x %zu values, cases.txt says %zu x %zu\n", path, pts->n, pts->d,
                rows, cols);
        gr_points_free(pts);
        return -1;
    }
    return 0;
}

/* One line of reference/ot_fixtures/sinkhorn.txt: entropic OT on the points of case NAME. */
typedef struct {
    char name[64], eps_kind[32];
    int p, weighted;
    double epsilon, cost, objective, mean;
} pot_sinkhorn;

/* Read sinkhorn.txt; the count, 0 on a missing file or a malformed line. */
static inline size_t pot_sinkhorn_read(pot_sinkhorn *rows, size_t cap) {
    FILE *f = fopen(POT_DIR "sinkhorn.txt", "r");
    if (!f) {
        fprintf(stderr, "cannot open " POT_DIR "sinkhorn.txt (run from tests/)\n");
        return 0;
    }
    char line[1024];
    size_t k = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (k == cap) break;
        pot_sinkhorn *r = &rows[k];
        if (sscanf(line, "%63s %d %d %31s %lf %lf %lf %lf", r->name, &r->p, &r->weighted,
                   r->eps_kind, &r->epsilon, &r->cost, &r->objective, &r->mean) != 8) {
            fprintf(stderr, POT_DIR "sinkhorn.txt:%zu: expected 8 fields\n", lineno);
            fclose(f);
            return 0;
        }
        k++;
    }
    fclose(f);
    return k;
}

/* The case called `name` in cases[0..k), or NULL. */
static inline const pot_case *pot_case_find(const pot_case *cases, size_t k, const char *name) {
    for (size_t t = 0; t < k; t++)
        if (!strcmp(cases[t].name, name)) return &cases[t];
    return NULL;
}

#endif
