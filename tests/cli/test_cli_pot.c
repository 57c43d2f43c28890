/* tests/cli/test_cli_pot.c — what `ganrepro distance w1|w2 A B` prints, against POT, on the
 * point cases of tests/reference/ot_fixtures (see make_ot_fixtures.py; test_ot_pot.c checks
 * the same cases through the library): 1-D (the sort formula), 2-D, 3-D, 15-D (on the fly),
 * 16-D and 784-D (the cost cache the CLI's default settings use), with ties, duplicates and
 * n != m, and few points on one side (n or m = 3..5). The CLI reads no weights (uniform only), so
 * only the uniform values are compared. Also `sinkhorn` with its default epsilon against POT's
 * entropic cost. stdout must be the value alone; 1e-9 relative, as for the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli_run.h"
#include "distance/pot_fixture.h"
#include "test.h"

static const char *cli;

/* Run `$GR_CLI distance KIND x y`; the value from stdout (NaN if it is not one number
 * alone on one line or the exit status is not 0). */
static double cli_value(const char *kind, const pot_case *c, const char *extra) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' distance %s " POT_DIR "%s_x.txt " POT_DIR "%s_y.txt %s", cli,
             kind, c->name, c->name, extra);
    FILE *p = popen(cmd, "r");
    if (!p) return NAN;
    char out[256];
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    char *end;
    double v = strtod(out, &end);
    int alone = end != out && end[0] == '\n' && end[1] == '\0';
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(alone);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) || !alone) {
        fprintf(stderr, "  %s: exit status %d, stdout '%s'\n", cmd, st, out);
        return NAN;
    }
    return v;
}

static void test_cli_pot(void) {
    pot_case cases[POT_MAX_CASES];
    size_t k = pot_cases_read(cases, POT_MAX_CASES), npoints = 0;
    CHECK(k == 14);
    int has784 = 0, has16 = 0, has1 = 0;
    for (size_t t = 0; t < k; t++) {
        const pot_case *c = &cases[t];
        if (strcmp(c->kind, "points") != 0) continue;
        npoints++;
        has1 |= c->d == 1;
        has16 |= c->d == 16;
        has784 |= c->d == 784;
        double w1 = cli_value("w1", c, ""), w2 = cli_value("w2", c, "");
        CHECK_CLOSE(w1, c->v[0], 1e-9, 0);
        CHECK_CLOSE(w2, c->v[1], 1e-9, 0);
        if (!gr_test_close_(w1, c->v[0], 1e-9, 0) || !gr_test_close_(w2, c->v[1], 1e-9, 0))
            fprintf(stderr, "  case %s (d = %zu): CLI w1 %.17g w2 %.17g, POT %.17g %.17g\n",
                    c->name, c->d, w1, w2, c->v[0], c->v[1]);
    }
    CHECK(npoints == 13 && has1 && has16 && has784);
}

/* `ganrepro distance sinkhorn A B` with its default epsilon (0.05 x the mean distance,
 * the fixture's "cli-default" rows) and a tight --tol: the printed <P, C> against POT's
 * log-domain Sinkhorn at that epsilon. */
static void test_cli_sinkhorn_pot(void) {
    pot_case cases[POT_MAX_CASES];
    pot_sinkhorn rows[16];
    size_t k = pot_cases_read(cases, POT_MAX_CASES), ns = pot_sinkhorn_read(rows, 16), used = 0;
    for (size_t t = 0; t < ns; t++) {
        const pot_sinkhorn *r = &rows[t];
        const pot_case *c = pot_case_find(cases, k, r->name);
        if (strcmp(r->eps_kind, "cli-default") != 0 || !c) continue;
        used++;
        double v = cli_value("sinkhorn", c, "--tol 1e-13 --max-iter 1000000");
        CHECK_CLOSE(v, r->cost, 1e-9, 0);
    }
    CHECK(used == 2);
}

int main(void) {
    if (!(cli = gr_test_cli())) return 1;
    RUN(test_cli_pot);
    RUN(test_cli_sinkhorn_pot);
    return TEST_MAIN_END();
}
