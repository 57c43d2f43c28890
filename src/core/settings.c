/* core/settings.c — (name, value) entries of a settings struct and their key=value text. */
#include "core/settings.h"

#include <stdio.h>

gr_setting gr_setting_size(const char *name, size_t v) {
    gr_setting s;
    s.name = name;
    s.type = GR_SETTING_SIZE;
    s.value.size = v;
    return s;
}

gr_setting gr_setting_double(const char *name, double v) {
    gr_setting s;
    s.name = name;
    s.type = GR_SETTING_DOUBLE;
    s.value.real = v;
    return s;
}

gr_setting gr_setting_int(const char *name, int v) {
    gr_setting s;
    s.name = name;
    s.type = GR_SETTING_INT;
    s.value.integer = v;
    return s;
}

size_t gr_settings_copy(gr_setting *out, size_t cap, const gr_setting *all, size_t n) {
    for (size_t k = 0; k < cap && k < n; k++)
        out[k] = all[k];
    return n;
}

size_t gr_settings_format(const gr_setting *v, size_t n, const char *prefix, char *buf,
                          size_t len) {
    size_t total = 0;
    if (!prefix) prefix = "";
    if (buf && len > 0) buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        char *at = buf && total < len ? buf + total : NULL;
        size_t room = at ? len - total : 0;
        int w;
        switch (v[k].type) {
        case GR_SETTING_SIZE:
            w = snprintf(at, room, "%s%s=%zu\n", prefix, v[k].name, v[k].value.size);
            break;
        case GR_SETTING_DOUBLE:
            w = snprintf(at, room, "%s%s=%.17g\n", prefix, v[k].name, v[k].value.real);
            break;
        default: w = snprintf(at, room, "%s%s=%d\n", prefix, v[k].name, v[k].value.integer); break;
        }
        if (w > 0) total += (size_t)w;
    }
    return total;
}
