/* io/points.c — reading point sets (text or HDF5) with errors that name file, line, field.
 *
 * Text is read line by line by our own reader (not getline), because a line may end in
 * "\n", "\r\n" or a lone "\r": splitting on "\n" alone turned a CR-only file into one long
 * line of coordinates. A dataset's shape is multiplied with gr_size_mul and, like the
 * growing number of values of a text file, checked against the limit of points.h before
 * anything of that size is allocated or read. */
#include "io/points.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/check.h"
#include "core/mem.h"
#include "io/h5.h"

_Static_assert(sizeof(hsize_t) <= sizeof(size_t), "HDF5 sizes must fit in size_t");

void gr_points_free(gr_points *pts) {
    if (!pts) return;
    free(pts->data);
    pts->data = NULL;
    pts->n = pts->d = 0;
}

/* The most coordinates this machine may hold: GR_POINTS_MAX_COORDS, and no more doubles
 * than physical memory. */
/* The first 40 bytes of a token for a message, bytes outside printable ASCII written as
 * \xHH (a binary file must not put control bytes or a broken encoding into the one-line
 * message). out needs 4 x 40 + 4 bytes. */
static void show_token(const char *tok, char *out, size_t size) {
    size_t k = 0;
    for (size_t i = 0; tok[i] && i < 40 && k + 5 < size; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (c >= 0x20 && c < 0x7f)
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, size - k, "\\x%02X", c);
    }
    out[k] = '\0';
}

static size_t max_coords(void) {
    size_t by_memory = gr_mem_physical_bytes() / sizeof(double);
    return by_memory < GR_POINTS_MAX_COORDS ? by_memory : GR_POINTS_MAX_COORDS;
}

/* Why `count` coordinates (count_ok = 0: the product overflowed size_t) are too many,
 * into buf: the limit that refuses them, with its value. */
static const char *too_large(char *buf, size_t size, int count_ok, size_t count) {
    size_t phys = gr_mem_physical_bytes();
    if (!count_ok || count > GR_POINTS_MAX_COORDS)
        snprintf(buf, size, "more than the reader's limit of 2^32 = %zu coordinates",
                 GR_POINTS_MAX_COORDS);
    else
        snprintf(
            buf, size, "%.1f GiB as doubles, more than this machine's %.1f GiB of physical memory",
            (double)count * (double)sizeof(double) / 1073741824.0, (double)phys / 1073741824.0);
    return buf;
}

/* Append one value, growing the buffer geometrically up to the limit. 0 on success,
 * 1 when the limit is reached, 2 when out of memory. */
static int push(double **buf, size_t *len, size_t *cap, double v) {
    if (*len == *cap) {
        size_t lim = max_coords();
        if (*cap >= lim) return 1;
        size_t nc = *cap ? (*cap > lim / 2 ? lim : 2 * *cap) : 1024;
        double *nb = realloc(*buf, nc * sizeof(double)); /* nc <= 2^32: cannot overflow */
        if (!nb) return 2;
        *buf = nb;
        *cap = nc;
    }
    (*buf)[(*len)++] = v;
    return 0;
}

/* A line reader over fread blocks. A line ends at '\n', at "\r\n" (one end, not two) or at
 * a lone '\r'; after a '\r' the reader remembers to drop a '\n' that follows, even when it
 * starts the next block. */
typedef struct line_reader {
    FILE *f;
    char *line; /* the current line, NUL-terminated, without its end */
    size_t cap; /* bytes allocated for line */
    size_t pos, end;
    int skip_lf; /* the previous line ended in '\r' */
    char blk[1 << 16];
} line_reader;

/* Read the next line into r->line. Returns its length, -1 at end of file with nothing
 * read (or on a read error: check ferror), -2 if out of memory. */
static long read_line(line_reader *r) {
    size_t len = 0;
    int ended = 0, any = 0;
    while (!ended) {
        if (r->pos == r->end) {
            r->pos = 0;
            r->end = fread(r->blk, 1, sizeof r->blk, r->f);
            if (r->end == 0) break;
        }
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (r->blk[r->pos] == '\n') {
                r->pos++;
                continue;
            }
        }
        any = 1;
        size_t k = r->pos;
        while (k < r->end && r->blk[k] != '\n' && r->blk[k] != '\r')
            k++;
        size_t take = k - r->pos;
        if (len + take + 1 > r->cap) {
            size_t nc = r->cap ? r->cap : 256;
            while (nc < len + take + 1)
                nc *= 2;
            char *nl = realloc(r->line, nc);
            if (!nl) return -2;
            r->line = nl;
            r->cap = nc;
        }
        memcpy(r->line + len, r->blk + r->pos, take);
        len += take;
        r->pos = k;
        if (k < r->end) {
            ended = 1;
            r->skip_lf = r->blk[k] == '\r';
            r->pos++;
        }
    }
    if (!any) return -1;
    r->line[len] = '\0';
    return (long)len;
}

/* The message for a file that starts with a byte-order mark, or NULL. */
static const char *bad_start(const unsigned char *s, size_t len) {
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return "starts with a UTF-8 byte-order mark (bytes EF BB BF); expected a number: save "
               "the file without the BOM (plain UTF-8 or ASCII)";
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return "starts with a UTF-16 byte-order mark (bytes FF FE or FE FF); expected a plain "
               "ASCII or UTF-8 text file";
    return NULL;
}

/* `hint` is appended to a "cannot open" message (why the spec was read as text). */
static int read_text(const char *path, const char *hint, gr_points *pts, gr_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) return GR_ERROR(err, GR_EIO, "%s: cannot open: %s%s", path, strerror(errno), hint);
    line_reader *r = calloc(1, sizeof *r);
    if (!r) {
        fclose(f);
        return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    }
    r->f = f;
    size_t lineno = 0, first_line = 0, d = 0, n = 0, len = 0, cap = 0;
    double *buf = NULL;
    int st = GR_OK;
    long got;
    while ((got = read_line(r)) >= 0) {
        char *line = r->line;
        lineno++;
        const char *why = lineno == 1 ? bad_start((const unsigned char *)line, (size_t)got) : NULL;
        if (why) { /* before the NUL check: UTF-16 text is full of NUL bytes */
            st = GR_ERROR(err, GR_EFORMAT, "%s:1: %s", path, why);
            break;
        }
        if (memchr(line, '\0', (size_t)got)) {
            st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: expected text, found a NUL byte", path, lineno);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        size_t k = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\v\f", &save); tok;
             tok = strtok_r(NULL, " \t\v\f", &save)) {
            k++;
            char *end;
            errno = 0;
            double v = strtod(tok, &end);
            if (end == tok || *end != '\0') {
                char shown[170];
                show_token(tok, shown, sizeof shown);
                st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: field %zu: expected a number, found '%s'",
                              path, lineno, k, shown);
                break;
            }
            if (!isfinite(v)) {
                st = GR_ERROR(err, GR_EDOM,
                              "%s:%zu: field %zu: expected a finite number, found '%.40s'", path,
                              lineno, k, tok);
                break;
            }
            int full = push(&buf, &len, &cap, v);
            if (full == 1) {
                char limit[160];
                st = GR_ERROR(err, GR_ENOMEM, "%s:%zu: too many coordinates: %s", path, lineno,
                              too_large(limit, sizeof limit, 1, len + 1));
                break;
            }
            if (full) {
                st = GR_ERROR(err, GR_ENOMEM, "%s:%zu: out of memory", path, lineno);
                break;
            }
        }
        if (st) break;
        if (k == 0) continue; /* blank or comment */
        if (d == 0) {
            d = k;
            first_line = lineno;
        } else if (k != d) {
            st = GR_ERROR(err, GR_EFORMAT,
                          "%s:%zu: expected %zu coordinate%s (as on line %zu), found %zu", path,
                          lineno, d, d == 1 ? "" : "s", first_line, k);
            break;
        }
        n++;
    }
    if (!st && got == -2) st = GR_ERROR(err, GR_ENOMEM, "%s:%zu: out of memory", path, lineno + 1);
    if (!st && ferror(f)) st = GR_ERROR(err, GR_EIO, "%s: read error: %s", path, strerror(errno));
    free(r->line);
    free(r);
    fclose(f);
    if (!st && n == 0)
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s: expected at least one point (one per line), found none (empty file "
                      "or only comments)",
                      path);
    if (st) {
        free(buf);
        return st;
    }
    pts->data = buf;
    pts->n = n;
    pts->d = d;
    return GR_OK;
}

/* 1 if `type` is one of the standard numeric types points.h accepts. */
static int type_accepted(hid_t type) {
    const hid_t ok[] = {H5T_IEEE_F32LE, H5T_IEEE_F32BE, H5T_IEEE_F64LE, H5T_IEEE_F64BE,
                        H5T_STD_I8LE,   H5T_STD_I8BE,   H5T_STD_U8LE,   H5T_STD_U8BE,
                        H5T_STD_I16LE,  H5T_STD_I16BE,  H5T_STD_U16LE,  H5T_STD_U16BE,
                        H5T_STD_I32LE,  H5T_STD_I32BE,  H5T_STD_U32LE,  H5T_STD_U32BE,
                        H5T_STD_I64LE,  H5T_STD_I64BE,  H5T_STD_U64LE,  H5T_STD_U64BE};
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
        if (H5Tequal(type, ok[k]) > 0) return 1;
    return 0;
}

static const char *class_name(H5T_class_t c) {
    switch (c) {
    case H5T_INTEGER: return "integer";
    case H5T_FLOAT: return "floating-point";
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    case H5T_ARRAY: return "array";
    default: return "other";
    }
}

/* Layout and storage checks of points.h, before any raw data is read: `bytes` is what
 * the shape `dims` (rank 1 or 2) needs (n x d x the type size). Chunks are counted with
 * H5Dget_num_chunks: H5Dget_space_status compares bytes, so it calls a compressed (or
 * edge-padded) dataset "partly allocated" and cannot tell which chunks exist. */
static int check_storage(hid_t ds, const char *path, const char *dset, int rank,
                         const hsize_t *dims, size_t bytes, gr_error *err) {
    hid_t dcpl = H5Dget_create_plist(ds);
    if (dcpl < 0) return GR_H5_ERROR(err, "%s:%s: cannot read the dataset's layout", path, dset);
    H5D_layout_t layout = H5Pget_layout(dcpl);
    int nfilters = H5Pget_nfilters(dcpl);
    int nexternal = H5Pget_external_count(dcpl);
    hsize_t cdims[2] = {0, 0};
    int crank = layout == H5D_CHUNKED ? H5Pget_chunk(dcpl, 2, cdims) : 0;
    H5Pclose(dcpl);
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s:%s: expected a compact, contiguous or chunked dataset, found %s "
                        "layout",
                        path, dset, layout == H5D_VIRTUAL ? "a virtual" : "an unknown");
    if (nfilters < 0 || nexternal < 0)
        return GR_H5_ERROR(err, "%s:%s: cannot read the dataset's filters", path, dset);
    if (nexternal > 0)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s:%s: expected the data inside the file, found it in %d external "
                        "file%s (not read)",
                        path, dset, nexternal, nexternal == 1 ? "" : "s");
    hsize_t stored = H5Dget_storage_size(ds), fsize = 0;
    /* Stored bytes live in the file, so they cannot exceed it. A damaged chunk index can
     * claim a 4 GiB chunk in a 9 KB file, and H5Dread then allocates the claimed size
     * (found by tests/fuzz: regress/points_h5/storage-beyond-file-9e60c6eb). */
    hid_t fid = H5Iget_file_id(ds);
    herr_t fs = fid >= 0 ? H5Fget_filesize(fid, &fsize) : -1;
    if (fid >= 0) H5Fclose(fid);
    if (fs < 0) return GR_H5_ERROR(err, "%s:%s: cannot read the file's size", path, dset);
    if (stored > fsize)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s:%s: the dataset's storage claims %llu bytes, more than the whole "
                        "file (%llu bytes) (corrupt file)",
                        path, dset, (unsigned long long)stored, (unsigned long long)fsize);
    if (layout == H5D_CHUNKED) {
        if (crank != rank || cdims[0] == 0 || (rank == 2 && cdims[1] == 0))
            return GR_ERROR(err, GR_EFORMAT,
                            "%s:%s: expected chunk dimensions of rank %d, found rank %d (corrupt "
                            "file)",
                            path, dset, rank, crank);
        hsize_t want = 1, have = 0; /* chunks: at most n x d <= 2^32, no overflow */
        for (int k = 0; k < rank; k++)
            want *= (dims[k] + cdims[k] - 1) / cdims[k];
        hid_t space = H5Dget_space(ds);
        herr_t got = space >= 0 ? H5Dget_num_chunks(ds, space, &have) : -1;
        if (space >= 0) H5Sclose(space);
        if (got < 0) return GR_H5_ERROR(err, "%s:%s: cannot count the written chunks", path, dset);
        if (have != want)
            return GR_ERROR(err, GR_EFORMAT,
                            "%s:%s: expected every chunk written, found %llu of %llu: %s", path,
                            dset, (unsigned long long)have, (unsigned long long)want,
                            have == 0     ? "no chunk written, the dataset holds no data"
                            : have < want ? "only some chunks written"
                                          : "more chunks than the shape has (corrupt file)");
        if ((nfilters == 0 && stored < bytes) || stored == 0)
            return GR_ERROR(err, GR_EFORMAT,
                            "%s:%s: the chunks hold %llu bytes for a shape of %zu bytes%s "
                            "(corrupt file)",
                            path, dset, (unsigned long long)stored, bytes,
                            nfilters ? "" : " without compression");
        return GR_OK;
    }
    if (stored != bytes)
        return GR_ERROR(
            err, GR_EFORMAT, "%s:%s: the %s storage holds %llu bytes, the shape needs %zu (%s)",
            path, dset, layout == H5D_COMPACT ? "compact" : "contiguous",
            (unsigned long long)stored, bytes,
            stored == 0 ? "the dataset was never written, or the file is corrupt" : "corrupt file");
    return GR_OK;
}

static int read_h5(const char *spec, size_t flen, const char *dset, gr_points *pts, gr_error *err) {
    char *path = malloc(flen + 1);
    if (!path) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", spec);
    memcpy(path, spec, flen);
    path[flen] = '\0';
    gr_h5_quiet();
    int st = GR_OK;
    hid_t file = -1, ds = -1, space = -1, type = -1;
    double *buf = NULL;
    file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        st = GR_H5_ERROR(err, "%s: cannot open HDF5 file", path);
        goto done;
    }
    ds = H5Dopen2(file, dset, H5P_DEFAULT);
    if (ds < 0) {
        st = GR_H5_ERROR(err, "%s: no dataset '%s'", path, dset);
        goto done;
    }
    type = H5Dget_type(ds);
    H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    size_t tsize = type >= 0 ? H5Tget_size(type) : 0;
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s:%s: expected an integer or floating-point dataset, found a %s type", path,
                      dset, class_name(cls));
        goto done;
    }
    if (!type_accepted(type)) {
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s:%s: expected IEEE float32/float64 or an 8/16/32/64-bit integer, "
                      "found a nonstandard %zu-byte %s type",
                      path, dset, tsize, class_name(cls));
        goto done;
    }
    space = H5Dget_space(ds);
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank != 1 && rank != 2) {
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s:%s: expected a 2-D (n x d) or 1-D (n) dataset, found rank %d", path, dset,
                      rank);
        goto done;
    }
    hsize_t dims[2] = {0, 1};
    if (H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
        st = GR_H5_ERROR(err, "%s:%s: cannot read the dataset's shape", path, dset);
        goto done;
    }
    size_t n = (size_t)dims[0], d = (size_t)dims[1];
    if (n == 0 || d == 0) {
        st = GR_ERROR(err, GR_EFORMAT, "%s:%s: expected at least one point, dataset is %zu x %zu",
                      path, dset, n, d);
        goto done;
    }
    size_t total, bytes, lim = max_coords();
    int overflow = gr_size_mul(n, d, &total);
    if (overflow || total > lim) {
        char why[160];
        st = GR_ERROR(err, GR_ENOMEM, "%s:%s: dataset is %zu x %zu, too large: %s", path, dset, n,
                      d, too_large(why, sizeof why, !overflow, total));
        goto done;
    }
    if (gr_size_mul(total, tsize, &bytes)) { /* cannot happen: total <= 2^32, tsize <= 8 */
        st = GR_ERROR(err, GR_EINTERNAL, "%s:%s: size overflow", path, dset);
        goto done;
    }
    st = check_storage(ds, path, dset, rank, dims, bytes, err);
    if (st) goto done;
    buf = malloc(total * sizeof(double)); /* total <= 2^32: cannot overflow */
    if (!buf) {
        st = GR_ERROR(err, GR_ENOMEM, "%s:%s: no memory for %zu x %zu", path, dset, n, d);
        goto done;
    }
    if (H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        st = GR_H5_ERROR(err, "%s:%s: cannot read", path, dset);
        goto done;
    }
    size_t k = gr_first_nonfinite(buf, total);
    if (k < total) {
        st = GR_ERROR(err, GR_EDOM,
                      "%s:%s: row %zu, column %zu: expected a finite number, "
                      "found %g",
                      path, dset, k / d + 1, k % d + 1, buf[k]);
        goto done;
    }
    pts->data = buf;
    pts->n = n;
    pts->d = d;
    buf = NULL;
done:
    free(buf);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    if (ds >= 0) H5Dclose(ds);
    if (file >= 0) H5Fclose(file);
    free(path);
    return st;
}

/* Find the ":/" at which spec splits into an HDF5 file and a dataset (points.h): the
 * last one whose file part carries the HDF5 signature. Returns 1 and the split, or 0. */
static int find_h5_split(const char *spec, size_t *flen, const char **dset) {
    for (size_t k = strlen(spec); k-- > 1;)
        if (spec[k] == ':' && spec[k + 1] == '/' && gr_h5_has_signature(spec, k)) {
            *flen = k;
            *dset = spec + k + 1;
            return 1;
        }
    return 0;
}

int gr_points_read(const char *spec, gr_points *pts, gr_error *err) {
    if (!spec || !pts) return GR_ERROR(err, GR_EINVAL, "points: NULL argument");
    pts->data = NULL;
    pts->n = pts->d = 0;
    size_t flen;
    const char *dset;
    struct stat sb;
    int is_file = stat(spec, &sb) == 0 && !S_ISDIR(sb.st_mode);
    if (find_h5_split(spec, &flen, &dset)) {
        if (is_file)
            return GR_ERROR(err, GR_EINVAL,
                            "%s: ambiguous: names a file, and also dataset '%s' of the HDF5 file "
                            "'%.*s'; rename one, or give the text file by a path without ':/' "
                            "(a symlink)",
                            spec, dset, (int)flen, spec);
        return read_h5(spec, flen, dset, pts, err);
    }
    if (gr_h5_has_signature(spec, strlen(spec)))
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: is an HDF5 file, not a text file: name a dataset in it as "
                        "%s:/path/to/dataset",
                        spec, spec);
    /* A text path. If it looks like FILE:/dataset, say why it was not read as one. */
    char hint[320] = "";
    if (!is_file && gr_h5_spec_split(spec, &flen, &dset)) {
        char *fpart = malloc(flen + 1);
        if (!fpart) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", spec);
        memcpy(fpart, spec, flen);
        fpart[flen] = '\0';
        int exists = stat(fpart, &sb) == 0;
        snprintf(hint, sizeof hint, " (read as a text file path: %s '%.200s'%s)",
                 exists ? "there is a file" : "there is no file", fpart,
                 exists ? ", but it is not an HDF5 file" : " either");
        free(fpart);
    }
    return read_text(spec, hint, pts, err);
}
