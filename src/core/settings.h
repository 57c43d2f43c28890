/* core/settings.h — a solver's settings as a list of (name, value) pairs, for the record.
 *
 * Every tolerance and constant a numerical routine uses is a field of its settings struct
 * (gr_ot_settings, gr_sinkhorn_settings, gr_div_options, ...), with the defaults in that
 * module's *_settings_default(). Each such module also has a describe function,
 *     size_t gr_<module>_settings_describe(const settings *s, gr_setting *out, size_t cap);
 * which writes the fields as gr_setting entries, in declaration order, into out[0..cap)
 * and returns how many fields there are (call with cap = 0 to learn the count). A results
 * writer loops over the entries and stores one attribute per entry with the entry's type
 * (unsigned 64-bit, double or int); gr_settings_format writes them as key=value text.
 */
#ifndef GR_CORE_SETTINGS_H
#define GR_CORE_SETTINGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_setting_type {
    GR_SETTING_SIZE = 0, /* value.size: a count or a size (size_t) */
    GR_SETTING_DOUBLE,   /* value.real: a tolerance or a constant */
    GR_SETTING_INT       /* value.integer: a flag or an enumeration value */
} gr_setting_type;

typedef struct gr_setting {
    const char *name; /* the field's name in its struct, e.g. "tol_rc" (a static string) */
    gr_setting_type type;
    union {
        size_t size;
        double real;
        int integer;
    } value;
} gr_setting;

/* Entry constructors (for the describe functions). Cannot fail. */
gr_setting gr_setting_size(const char *name, size_t v);
gr_setting gr_setting_double(const char *name, double v);
gr_setting gr_setting_int(const char *name, int v);

/* The tail of every describe function: copy the first min(n, cap) of the n entries `all`
 * into out (out may be NULL when cap is 0) and return n, the count the caller needs.
 * Cannot fail. */
size_t gr_settings_copy(gr_setting *out, size_t cap, const gr_setting *all, size_t n);

/* Write the n entries as lines "PREFIXname=value\n" into buf (at most len bytes including
 * the terminating NUL; the text is cut there and stays NUL-terminated when len > 0).
 * prefix may be NULL ("" then). Doubles are written with %.17g (they read back exactly),
 * sizes with %zu, ints with %d. Returns the length the whole text needs (without the NUL),
 * like snprintf: the text was cut when the return value is >= len. Cannot fail. */
size_t gr_settings_format(const gr_setting *v, size_t n, const char *prefix, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
