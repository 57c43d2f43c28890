/* tests/harness/test_plot_inputs.c — the inputs line of a figure of several experiments
 * (harness/plot.h: gr_plot_figure_inputs) and the inputs.gp it leads to
 * (gr_plot_write_inputs): names in order, every malformed line refused with the file and
 * line, the missing inputs named in inputs_note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plot.h"
#include "test.h"

static char dir[256];

static int parse(const char *text, gr_plot_input_name *in, size_t *n, gr_error *err) {
    char path[512];
    snprintf(path, sizeof path, "%s/fig.gp", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return GR_EIO;
    fputs(text, f);
    fclose(f);
    gr_error_clear(err);
    return gr_plot_figure_inputs(path, in, n, err);
}

static void test_inputs_line(void) {
    gr_plot_input_name in[GR_PLOT_MAX_INPUTS];
    size_t n = 99;
    gr_error err;
    CHECK_OK(parse("# plots/fig.gp\n# figure inputs: toy_train  toy_train_25g\ttoy_3\nplot x\n", in,
                   &n, &err),
             &err);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(!strcmp(in[0], "toy_train"));
        CHECK(!strcmp(in[1], "toy_train_25g"));
        CHECK(!strcmp(in[2], "toy_3"));
    }
    /* refused: no line, two lines, no name, a bad name, a name twice, too many */
    const char *bad[] = {"# figure: a b\nplot x\n",
                         "# figure inputs: a\n# figure inputs: b\n",
                         "# figure inputs:   \n",
                         "# figure inputs: toy-train\n",
                         "# figure inputs: Toy\n",
                         "# figure inputs: a b a\n",
                         "# figure inputs: a b c d e f g h i j k l m n o p q\n"};
    const char *why[] = {"has no '# figure inputs:",
                         "a second",
                         "names no experiment",
                         "'toy-train' is not an experiment name",
                         "'Toy' is not",
                         "input a named twice",
                         "more than 16 inputs"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        n = 99;
        CHECK_STATUS(parse(bad[k], in, &n, &err), GR_EFORMAT);
        CHECK(n == 0);
        CHECK_STR_CONTAINS(err.msg, why[k]);
        CHECK_STR_CONTAINS(err.msg, "fig.gp");
    }
    /* the line number is in the message */
    CHECK_STATUS(parse("#\n#\n# figure inputs: a\n# figure inputs: b\n", in, &n, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "fig.gp:4:");
    char path[512];
    snprintf(path, sizeof path, "%s/absent.gp", dir);
    CHECK_STATUS(gr_plot_figure_inputs(path, in, &n, &err), GR_EIO);
}

static void test_write_inputs(void) {
    gr_plot_input_name in[3] = {"toy_train", "toy_train_25g", "toy_train_swissroll"};
    int found[3] = {1, 0, 1};
    gr_error err;
    gr_error_clear(&err);
    CHECK_OK(gr_plot_write_inputs(dir, in, 3, found, &err), &err);
    char path[512];
    snprintf(path, sizeof path, "%s/inputs.gp", dir);
    size_t len = 0;
    char *b = (char *)gr_test_read_file(path, &len);
    char *z = b ? realloc(b, len + 1) : NULL;
    CHECK(z != NULL);
    if (!z) {
        free(b);
        return;
    }
    z[len] = '\0';
    char want[1024];
    CHECK_STR_CONTAINS(z, "n_inputs = 3\narray input_name[3]\narray input_found[3]\n");
    snprintf(want, sizeof want,
             "input_name[2] = \"toy_train_25g\"; input_found[2] = 0; "
             "input_dir[2] = \"%s/toy_train_25g\"\n",
             dir);
    CHECK_STR_CONTAINS(z, want);
    CHECK_STR_CONTAINS(z, "input_found[1] = 1;");
    CHECK_STR_CONTAINS(z, "input_found[3] = 1;");
    CHECK_STR_CONTAINS(z,
                       "inputs_note = \"\" . \"toy_train_25g\" . \": no results file given\\n\"\n");
    free(z);
    /* an unwritable folder */
    snprintf(path, sizeof path, "%s/no/such/folder", dir);
    CHECK_STATUS(gr_plot_write_inputs(path, in, 3, found, &err), GR_EIO);
}

int main(void) {
    if (gr_test_tmpdir(dir, sizeof dir, "gr_plotinputs_") != 0) return 1;
    RUN(test_inputs_line);
    RUN(test_write_inputs);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
