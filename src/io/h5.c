/* io/h5.c — HDF5 error conversion and deterministic property lists (see h5.h). */
#include "io/h5.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void gr_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

struct walk_state {
    char desc[256];
};

/* H5E_WALK_UPWARD visits the innermost (most specific) record first: keep that one. */
static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data) {
    struct walk_state *ws = data;
    if (n == 0 && e->desc) snprintf(ws->desc, sizeof ws->desc, "%s", e->desc);
    return 0;
}

int gr_h5_error_set(gr_error *err, int code, const char *file, int line, const char *fmt, ...) {
    struct walk_state ws = {{0}};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &ws);
    H5Eclear2(H5E_DEFAULT);
    if (!err) return code;
    char head[GR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (ws.desc[0]) return gr_error_set(err, code, file, line, "%s: %s", head, ws.desc);
    return gr_error_set(err, code, file, line, "%s", head);
}

hid_t gr_h5_dcpl(void) {
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    if (p < 0) return p;
    if (H5Pset_obj_track_times(p, 0) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

hid_t gr_h5_gcpl(void) {
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p < 0) return p;
    if (H5Pset_obj_track_times(p, 0) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

int gr_h5_spec_split(const char *spec, size_t *file_len, const char **dset) {
    if (!spec) return 0;
    const char *best = NULL;
    for (const char *p = strchr(spec, ':'); p; p = strchr(p + 1, ':'))
        if (p[1] == '/' && p != spec) best = p;
    if (!best) return 0;
    if (file_len) *file_len = (size_t)(best - spec);
    if (dset) *dset = best + 1;
    return 1;
}

int gr_h5_has_signature(const char *path, size_t path_len) {
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    char *p = malloc(path_len + 1);
    if (!p) return 0;
    memcpy(p, path, path_len);
    p[path_len] = '\0';
    struct stat sb;
    int found = 0;
    FILE *f = NULL;
    if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (f = fopen(p, "rb")) != NULL) {
        unsigned char got[8];
        for (long off = 0; !found && off >= 0 && (off_t)off + 8 <= sb.st_size;
             off = off ? 2 * off : 512) {
            if (fseek(f, off, SEEK_SET) != 0 || fread(got, 1, 8, f) != 8) break;
            found = memcmp(got, sig, 8) == 0;
        }
        fclose(f);
    }
    free(p);
    return found;
}
