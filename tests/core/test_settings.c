/* tests/core/test_settings.c — core/settings.h: (name, value) entries and their key=value
 * text. Expected texts are written out by hand from printf's documented conversions
 * (%zu, %.17g, %d); a double must read back to the same bits. */
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "test.h"

static void test_entries(void) {
    gr_setting a = gr_setting_size("max_iter", 123456789);
    gr_setting b = gr_setting_double("tol", 2.385e-11);
    gr_setting c = gr_setting_int("flag", -3);
    CHECK(a.type == GR_SETTING_SIZE && a.value.size == 123456789 && !strcmp(a.name, "max_iter"));
    CHECK(b.type == GR_SETTING_DOUBLE && b.value.real == 2.385e-11 && !strcmp(b.name, "tol"));
    CHECK(c.type == GR_SETTING_INT && c.value.integer == -3 && !strcmp(c.name, "flag"));
}

static void test_format(void) {
    const gr_setting v[3] = {gr_setting_size("max_iter", 10000), gr_setting_double("tol", 0.1),
                             gr_setting_int("p", 2)};
    char buf[256];
    size_t len = gr_settings_format(v, 3, "sinkhorn.", buf, sizeof buf);
    const char *want = "sinkhorn.max_iter=10000\nsinkhorn.tol=0.10000000000000001\nsinkhorn.p=2\n";
    CHECK(!strcmp(buf, want));
    CHECK(len == strlen(want));
    /* the double reads back exactly */
    const char *t = strstr(buf, "tol=");
    CHECK(t && strtod(t + 4, NULL) == 0.1);
    /* no prefix */
    len = gr_settings_format(v + 2, 1, NULL, buf, sizeof buf);
    CHECK(!strcmp(buf, "p=2\n") && len == 4);
    /* the length needed without a buffer, and a cut text that stays terminated */
    CHECK(gr_settings_format(v, 3, "sinkhorn.", NULL, 0) == strlen(want));
    char small[10];
    memset(small, 'x', sizeof small);
    len = gr_settings_format(v, 3, "sinkhorn.", small, sizeof small);
    CHECK(len == strlen(want));
    CHECK(!strcmp(small, "sinkhorn.")); /* 9 characters and the NUL */
    /* nothing to write: an empty string */
    buf[0] = 'x';
    CHECK(gr_settings_format(v, 0, "a.", buf, sizeof buf) == 0 && buf[0] == '\0');
}

int main(void) {
    RUN(test_entries);
    RUN(test_format);
    return TEST_MAIN_END();
}
