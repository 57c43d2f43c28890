/* io/h5io.c — typed attributes, strict fixed-shape datasets, extendible series (see
 * h5io.h). Every helper closes what it opens, so no error path leaks an HDF5 id. */
#include "io/h5io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "io/h5.h"

/* HDF5 failure meaning "this object is not what our writer makes" (not an I/O failure). */
#define FORMAT_ERROR(err, ...) gr_h5_error_set((err), GR_EFORMAT, __FILE__, __LINE__, __VA_ARGS__)

typedef struct type_info {
    hid_t file, mem;
    size_t size;
    const char *name;
} type_info;

static int type_get(gr_h5_type t, type_info *ti) {
    switch (t) {
    case GR_H5_U8: *ti = (type_info){H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, "uint8"}; return 1;
    case GR_H5_I32:
        *ti = (type_info){H5T_STD_I32LE, H5T_NATIVE_INT32, 4, "little-endian int32"};
        return 1;
    case GR_H5_I64:
        *ti = (type_info){H5T_STD_I64LE, H5T_NATIVE_INT64, 8, "little-endian int64"};
        return 1;
    case GR_H5_U64:
        *ti = (type_info){H5T_STD_U64LE, H5T_NATIVE_UINT64, 8, "little-endian uint64"};
        return 1;
    case GR_H5_F32:
        *ti = (type_info){H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 4, "little-endian float32"};
        return 1;
    case GR_H5_F64:
        *ti = (type_info){H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 8, "little-endian float64"};
        return 1;
    }
    return 0;
}

size_t gr_h5_type_size(gr_h5_type t) {
    type_info ti;
    return type_get(t, &ti) ? ti.size : 0;
}

const char *gr_h5_type_name(gr_h5_type t) {
    type_info ti;
    return type_get(t, &ti) ? ti.name : "unknown";
}

/* ---- files, groups, names ---------------------------------------------------------------- */

void gr_h5_describe(hid_t obj, char *buf, size_t size) {
    if (!buf || size == 0) return;
    char file[1024] = "", path[1024] = "";
    if (H5Fget_name(obj, file, sizeof file) < 0) file[0] = '\0';
    if (H5Iget_name(obj, path, sizeof path) <= 0) snprintf(path, sizeof path, "(anonymous)");
    H5Eclear2(H5E_DEFAULT);
    snprintf(buf, size, "%s:%s", file, path);
}

/* "<file>:<loc path>/<name>" for messages about a child of loc. */
static void describe_child(hid_t loc, const char *name, char *buf, size_t size) {
    char parent[512];
    gr_h5_describe(loc, parent, sizeof parent);
    size_t pl = strlen(parent);
    snprintf(buf, size, "%s%s%s", parent, pl && parent[pl - 1] == '/' ? "" : "/", name);
}

static hid_t file_create(const char *path, size_t buffer, gr_error *err) {
    gr_h5_quiet();
    if (!path || !path[0]) return GR_ERROR(err, GR_EINVAL, "gr_h5_file_create: empty path");
    /* Probe the folder first: an H5Fcreate that fails on a full disk or in a read-only
     * folder leaks libhdf5 1.10.8's file structure (and the core driver's buffer); failing
     * here, before HDF5 runs, says why without that. The probe reserves a byte, or the
     * buffered file's first increment; H5Fcreate then truncates the file. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return GR_ERROR(err, GR_EIO, "cannot create HDF5 file %s (%s)", path, strerror(errno));
    int pe = posix_fallocate(fd, 0, (off_t)(buffer ? buffer : 1));
    if (pe == EINVAL || pe == EOPNOTSUPP) pe = 0; /* a file system without it: no probe */
    close(fd);
    if (pe) {
        unlink(path);
        return GR_ERROR(err, GR_EIO, "cannot create HDF5 file %s (%s)", path, strerror(pe));
    }
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = -1;
    /* HDF5 1.8 object formats: superblock v2 and object headers v2 carry checksums, so
     * damaged metadata is refused by HDF5 itself before it is interpreted (the 1.6 formats
     * that HDF5 writes by default have none). Root group: no time stamps (best effort). */
    if (fcpl >= 0 && fapl >= 0 && H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0 &&
        (!buffer || H5Pset_fapl_core(fapl, buffer, 1) >= 0)) {
        H5Pset_obj_track_times(fcpl, 0);
        errno = 0;
        f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    }
    int e = errno; /* the system's reason (a full disk, a read-only folder), when there is one */
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (f < 0 && e) return GR_H5_ERROR(err, "cannot create HDF5 file %s (%s)", path, strerror(e));
    if (f < 0) return GR_H5_ERROR(err, "cannot create HDF5 file %s", path);
    return f;
}

hid_t gr_h5_file_create(const char *path, gr_error *err) { return file_create(path, 0, err); }

hid_t gr_h5_file_create_buffered(const char *path, size_t increment, gr_error *err) {
    return file_create(path, increment ? increment : (size_t)1 << 20, err);
}

hid_t gr_h5_file_open(const char *path, int writable, gr_error *err) {
    gr_h5_quiet();
    if (!path || !path[0]) return GR_ERROR(err, GR_EINVAL, "gr_h5_file_open: empty path");
    FILE *probe = fopen(path, writable ? "r+b" : "rb");
    if (!probe) return GR_ERROR(err, GR_EIO, "%s: %s", path, strerror(errno));
    fclose(probe);
    hid_t f = -1, fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0 && H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0)
        f = H5Fopen(path, writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    if (f < 0)
        return FORMAT_ERROR(err, "%s is not a readable HDF5 file (corrupt or truncated?)", path);
    return f;
}

int gr_h5_link_kind(hid_t loc, const char *name) {
    gr_h5_quiet();
    if (!name || H5Lexists(loc, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    H5L_info_t li;
    if (H5Lget_info(loc, name, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) {
        H5Eclear2(H5E_DEFAULT);
        return -1;
    }
    return 1;
}

hid_t gr_h5_group_create(hid_t loc, const char *name, gr_error *err) {
    gr_h5_quiet();
    hid_t gcpl = gr_h5_gcpl(), g = -1;
    if (gcpl >= 0) g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (gcpl >= 0) H5Pclose(gcpl);
    if (g < 0) {
        char where[512];
        gr_h5_describe(loc, where, sizeof where);
        return GR_H5_ERROR(err, "%s: cannot create group \"%s\"", where, name);
    }
    return g;
}

/* A hard link `name` in loc, or an error naming what kind of object was expected. */
static int need_hard_link(hid_t loc, const char *name, const char *kind, gr_error *err) {
    int k = gr_h5_link_kind(loc, name);
    if (k == 1) return GR_OK;
    char where[1024];
    if (k == 0) {
        gr_h5_describe(loc, where, sizeof where);
        return GR_ERROR(err, GR_EFORMAT, "%s has no %s \"%s\"", where, kind, name);
    }
    describe_child(loc, name, where, sizeof where);
    return GR_ERROR(err, GR_EFORMAT, "%s is not a plain (hard) link", where);
}

hid_t gr_h5_group_open(hid_t loc, const char *name, gr_error *err) {
    gr_h5_quiet();
    GR_TRY(need_hard_link(loc, name, "group", err));
    H5O_info_t oi;
    char where[1024];
    describe_child(loc, name, where, sizeof where);
    if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_GROUP)
        return FORMAT_ERROR(err, "%s is not a group", where);
    hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
    if (g < 0) return FORMAT_ERROR(err, "%s: opening the group", where);
    return g;
}

/* ---- attributes ---------------------------------------------------------------------------- */

/* rank 0: scalar; rank 1: n elements */
static int attr_write(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, int rank,
                      size_t n, const void *value, gr_error *err) {
    gr_h5_quiet();
    if (!name || !value || (rank == 1 && n == 0))
        return GR_ERROR(err, GR_EINVAL, "attribute %s: %s", name ? name : "(null)",
                        !name    ? "NULL name"
                        : !value ? "NULL value"
                                 : "an array needs n >= 1");
    hsize_t dim = (hsize_t)n;
    hid_t sp = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    hid_t a = sp < 0 ? -1 : H5Acreate2(loc, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, mem_type, value);
    if (a >= 0 && H5Aclose(a) < 0) st = -1;
    if (sp >= 0) H5Sclose(sp);
    if (st < 0) {
        char where[512];
        gr_h5_describe(loc, where, sizeof where);
        return GR_H5_ERROR(err, "%s: writing attribute \"%s\"", where, name);
    }
    return GR_OK;
}

int gr_h5_attr_write_str(hid_t loc, const char *name, const char *value, gr_error *err) {
    gr_h5_quiet();
    if (!value) return GR_ERROR(err, GR_EINVAL, "attribute %s: NULL string", name);
    size_t len = strlen(value);
    if (len >= GR_H5_STR_MAX)
        return GR_ERROR(err, GR_EINVAL, "attribute %s: %zu characters (at most %d)", name, len,
                        GR_H5_STR_MAX - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)value[i] > 127)
            return GR_ERROR(err, GR_EINVAL, "attribute %s: byte %zu is not ASCII", name, i);
    /* Fixed-length, NUL-terminated ASCII: the plainest string type (h5py gives bytes). */
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return GR_H5_ERROR(err, "attribute %s: creating a string type", name);
    int st;
    if (H5Tset_size(t, len + 1) >= 0 && H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0 &&
        H5Tset_cset(t, H5T_CSET_ASCII) >= 0)
        st = attr_write(loc, name, t, t, 0, 1, value, err);
    else
        st = GR_H5_ERROR(err, "attribute %s: creating a string type", name);
    H5Tclose(t);
    return st;
}

int gr_h5_attr_write_i32(hid_t loc, const char *name, int32_t v, gr_error *err) {
    return attr_write(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, 1, &v, err);
}
int gr_h5_attr_write_i64(hid_t loc, const char *name, int64_t v, gr_error *err) {
    return attr_write(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 0, 1, &v, err);
}
int gr_h5_attr_write_u64(hid_t loc, const char *name, uint64_t v, gr_error *err) {
    return attr_write(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, 1, &v, err);
}
int gr_h5_attr_write_f64(hid_t loc, const char *name, double v, gr_error *err) {
    return attr_write(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, 1, &v, err);
}
int gr_h5_attr_write_f64s(hid_t loc, const char *name, const double *x, size_t n, gr_error *err) {
    return attr_write(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, n, x, err);
}
int gr_h5_attr_write_f32s(hid_t loc, const char *name, const float *x, size_t n, gr_error *err) {
    return attr_write(loc, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, n, x, err);
}

/* Open attribute `name` of loc; *where receives loc's description for messages. */
static hid_t attr_open(hid_t loc, const char *name, char *where, size_t wsize, gr_error *err) {
    gr_h5_quiet();
    gr_h5_describe(loc, where, wsize);
    if (!name) return GR_ERROR(err, GR_EINVAL, "%s: NULL attribute name", where);
    if (H5Aexists(loc, name) <= 0)
        return FORMAT_ERROR(err, "%s has no attribute \"%s\"", where, name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return FORMAT_ERROR(err, "%s: opening attribute \"%s\"", where, name);
    return a;
}

/* A scalar (rank 0) or 1-D array of exactly n elements (rank 1) of the given type. When
 * n_out is set (rank 1 only), only the length is wanted: *n_out receives it and nothing is
 * read. */
static int attr_read(hid_t loc, const char *name, gr_h5_type type, int rank, size_t n, void *out,
                     size_t *n_out, gr_error *err) {
    type_info ti;
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "attribute %s: unknown type", name);
    char where[512];
    hid_t a = attr_open(loc, name, where, sizeof where, err);
    if (a < 0) return (int)a;
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    int st = GR_OK;
    hsize_t dim = 0;
    if (t < 0 || sp < 0 || H5Tequal(t, ti.file) <= 0) {
        st = FORMAT_ERROR(err, "%s: attribute \"%s\" is not %s %s", where, name,
                          rank == 0 ? "a single" : "an array of", ti.name);
    } else if (rank == 0 && H5Sget_simple_extent_type(sp) != H5S_SCALAR) {
        st = FORMAT_ERROR(err, "%s: attribute \"%s\" is not a single %s", where, name, ti.name);
    } else if (rank == 1 && (H5Sget_simple_extent_type(sp) != H5S_SIMPLE ||
                             H5Sget_simple_extent_ndims(sp) != 1 ||
                             H5Sget_simple_extent_dims(sp, &dim, NULL) != 1 || dim == 0)) {
        st = FORMAT_ERROR(err, "%s: attribute \"%s\" is not a 1-D array of %s", where, name,
                          ti.name);
    } else if (n_out) {
        if (dim > (hsize_t)(SIZE_MAX / ti.size))
            st = GR_ERROR(err, GR_EFORMAT, "%s: attribute \"%s\" has %llu elements (too many)",
                          where, name, (unsigned long long)dim);
        else
            *n_out = (size_t)dim;
    } else if (rank == 1 && dim != (hsize_t)n) {
        st = GR_ERROR(err, GR_EMISMATCH, "%s: attribute \"%s\" has %llu elements, %zu expected",
                      where, name, (unsigned long long)dim, n);
    } else if (H5Aread(a, ti.mem, out) < 0) {
        st = FORMAT_ERROR(err, "%s: reading attribute \"%s\"", where, name);
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

int gr_h5_attr_read_i32(hid_t loc, const char *name, int32_t *out, gr_error *err) {
    return attr_read(loc, name, GR_H5_I32, 0, 1, out, NULL, err);
}
int gr_h5_attr_read_i64(hid_t loc, const char *name, int64_t *out, gr_error *err) {
    return attr_read(loc, name, GR_H5_I64, 0, 1, out, NULL, err);
}
int gr_h5_attr_read_u64(hid_t loc, const char *name, uint64_t *out, gr_error *err) {
    return attr_read(loc, name, GR_H5_U64, 0, 1, out, NULL, err);
}
int gr_h5_attr_read_f64(hid_t loc, const char *name, double *out, gr_error *err) {
    return attr_read(loc, name, GR_H5_F64, 0, 1, out, NULL, err);
}
int gr_h5_attr_read_f64s(hid_t loc, const char *name, double *out, size_t n, gr_error *err) {
    return attr_read(loc, name, GR_H5_F64, 1, n, out, NULL, err);
}
int gr_h5_attr_read_f32s(hid_t loc, const char *name, float *out, size_t n, gr_error *err) {
    return attr_read(loc, name, GR_H5_F32, 1, n, out, NULL, err);
}
int gr_h5_attr_len(hid_t loc, const char *name, gr_h5_type type, size_t *n, gr_error *err) {
    if (!n) return GR_ERROR(err, GR_EINVAL, "gr_h5_attr_len: NULL n");
    return attr_read(loc, name, type, 1, 0, NULL, n, err);
}

int gr_h5_attr_read_str(hid_t loc, const char *name, char **out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "attribute %s: NULL out", name ? name : "(null)");
    *out = NULL;
    char where[512];
    hid_t a = attr_open(loc, name, where, sizeof where, err);
    if (a < 0) return (int)a;
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    size_t sz = t < 0 ? 0 : H5Tget_size(t);
    int st = GR_OK;
    char *v = NULL;
    if (t < 0 || sp < 0 || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) != 0 ||
        H5Tget_cset(t) != H5T_CSET_ASCII || H5Tget_strpad(t) != H5T_STR_NULLTERM || sz == 0 ||
        sz > GR_H5_STR_MAX || H5Sget_simple_extent_type(sp) != H5S_SCALAR) {
        st = FORMAT_ERROR(err,
                          "%s: attribute \"%s\" is not a single NUL-terminated ASCII string of at "
                          "most %d bytes",
                          where, name, GR_H5_STR_MAX);
    } else if (!(v = calloc(sz, 1))) {
        st = GR_ERROR(err, GR_ENOMEM, "%s: attribute \"%s\": out of memory", where, name);
    } else if (H5Aread(a, t, v) < 0) {
        st = FORMAT_ERROR(err, "%s: reading attribute \"%s\"", where, name);
    } else if (v[sz - 1] != '\0' || strlen(v) != sz - 1) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: attribute \"%s\" is not a NUL-terminated string", where,
                      name);
    }
    if (st == GR_OK)
        *out = v;
    else
        free(v);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

/* ---- fixed-shape datasets -------------------------------------------------------------------- */

/* Elements and bytes of a rank-1/2 shape with every extent >= 1; GR_EINVAL otherwise. */
static int shape_bytes(const char *name, int rank, const size_t *dims, size_t esize, size_t *elems,
                       size_t *bytes, gr_error *err) {
    if (rank != 1 && rank != 2)
        return GR_ERROR(err, GR_EINVAL, "dataset %s: rank %d (1 or 2 supported)", name, rank);
    if (!dims) return GR_ERROR(err, GR_EINVAL, "dataset %s: NULL dims", name);
    size_t e = 1;
    for (int k = 0; k < rank; k++) {
        if (dims[k] == 0)
            return GR_ERROR(err, GR_EINVAL, "dataset %s: extent %d is 0 (at least 1 element)", name,
                            k);
        if (gr_size_mul(e, dims[k], &e))
            return GR_ERROR(err, GR_EINVAL, "dataset %s: the shape overflows", name);
    }
    if (gr_size_mul(e, esize, bytes))
        return GR_ERROR(err, GR_EINVAL, "dataset %s: %zu elements overflow", name, e);
    *elems = e;
    return GR_OK;
}

hid_t gr_h5_dset_create_write(hid_t loc, const char *name, gr_h5_type type, int rank,
                              const size_t *dims, const void *data, gr_error *err) {
    gr_h5_quiet();
    type_info ti;
    size_t elems, bytes;
    if (!name) return GR_ERROR(err, GR_EINVAL, "gr_h5_dset_write: NULL name");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "dataset %s: unknown type", name);
    GR_TRY(shape_bytes(name, rank, dims, ti.size, &elems, &bytes, err));
    if (!data) return GR_ERROR(err, GR_EINVAL, "dataset %s: NULL data", name);
    hsize_t hd[2] = {(hsize_t)dims[0], rank == 2 ? (hsize_t)dims[1] : 1};
    hid_t dcpl = gr_h5_dcpl(), sp = -1, d = -1;
    int ok = 0;
    /* Contiguous (HDF5's default: no chunk index, no filters); no time stamps. */
    if (dcpl < 0 || H5Pset_layout(dcpl, H5D_CONTIGUOUS) < 0) goto done;
    if ((sp = H5Screate_simple(rank, hd, NULL)) < 0) goto done;
    if ((d = H5Dcreate2(loc, name, ti.file, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0) goto done;
    if (H5Dwrite(d, ti.mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) goto done;
    ok = 1;
done:
    if (!ok) {
        char where[512];
        gr_h5_describe(loc, where, sizeof where);
        int code = GR_H5_ERROR(err, "%s: writing dataset \"%s\"", where, name);
        if (d >= 0) H5Dclose(d);
        d = code;
    }
    if (sp >= 0) H5Sclose(sp);
    if (dcpl >= 0) H5Pclose(dcpl);
    return d;
}

int gr_h5_dset_write(hid_t loc, const char *name, gr_h5_type type, int rank, const size_t *dims,
                     const void *data, gr_error *err) {
    hid_t d = gr_h5_dset_create_write(loc, name, type, rank, dims, data, err);
    if (d < 0) return (int)d;
    if (H5Dclose(d) < 0) return GR_H5_ERROR(err, "closing dataset %s", name);
    return GR_OK;
}

/* Open `name` (hard link) and check its type and rank; *dims_out (rank entries) and
 * *maxdims_out receive the extents. where: the dataset's description. */
static hid_t dset_open_typed(hid_t loc, const char *name, const type_info *ti, int rank,
                             hsize_t *dims_out, hsize_t *maxdims_out, char *where, size_t wsize,
                             gr_error *err) {
    gr_h5_quiet();
    describe_child(loc, name, where, wsize);
    GR_TRY(need_hard_link(loc, name, "dataset", err));
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return FORMAT_ERROR(err, "%s: opening the dataset", where);
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    int st = GR_OK;
    if (t < 0 || H5Tequal(t, ti->file) <= 0)
        st = FORMAT_ERROR(err, "%s is not an array of %s", where, ti->name);
    else if (sp < 0 || H5Sget_simple_extent_type(sp) != H5S_SIMPLE ||
             H5Sget_simple_extent_ndims(sp) != rank ||
             H5Sget_simple_extent_dims(sp, dims_out, maxdims_out) != rank)
        st = FORMAT_ERROR(err, "%s is not a %d-D array", where, rank);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    if (st != GR_OK) {
        H5Dclose(d);
        return st;
    }
    return d;
}

static int file_size_of(hid_t obj, hsize_t *size) {
    hid_t f = H5Iget_file_id(obj);
    if (f < 0) return -1;
    herr_t st = H5Fget_filesize(f, size);
    H5Fclose(f);
    return st < 0 ? -1 : 0;
}

int gr_h5_dset_read(hid_t loc, const char *name, gr_h5_type type, int rank, const size_t *dims,
                    void *out, gr_error *err) {
    type_info ti;
    size_t elems, bytes;
    if (!name) return GR_ERROR(err, GR_EINVAL, "gr_h5_dset_read: NULL name");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "dataset %s: unknown type", name);
    GR_TRY(shape_bytes(name, rank, dims, ti.size, &elems, &bytes, err));
    if (!out) return GR_ERROR(err, GR_EINVAL, "dataset %s: NULL out", name);
    char where[1024];
    hsize_t hd[2] = {0, 0}, hm[2] = {0, 0};
    hid_t d = dset_open_typed(loc, name, &ti, rank, hd, hm, where, sizeof where, err);
    if (d < 0) return (int)d;
    int st = GR_OK, same = 1;
    for (int k = 0; k < rank; k++)
        same = same && hd[k] == (hsize_t)dims[k];
    hid_t dcpl = H5Dget_create_plist(d);
    H5D_space_status_t status = H5D_SPACE_STATUS_ERROR;
    hsize_t file_size = 0;
    if (!same) {
        if (rank == 1)
            st = GR_ERROR(err, GR_EMISMATCH, "%s has %llu elements, %zu expected", where,
                          (unsigned long long)hd[0], dims[0]);
        else
            st = GR_ERROR(err, GR_EMISMATCH, "%s has shape %llu x %llu, %zu x %zu expected", where,
                          (unsigned long long)hd[0], (unsigned long long)hd[1], dims[0], dims[1]);
    } else if (hm[0] != hd[0] || (rank == 2 && hm[1] != hd[1])) {
        st = GR_ERROR(err, GR_EFORMAT, "%s is extendible", where);
    } else if (dcpl < 0 || H5Pget_layout(dcpl) != H5D_CONTIGUOUS || H5Pget_nfilters(dcpl) != 0 ||
               H5Pget_external_count(dcpl) != 0) {
        st = FORMAT_ERROR(err, "%s is not stored contiguously in the file without filters", where);
    } else if (H5Dget_space_status(d, &status) < 0 || status != H5D_SPACE_STATUS_ALLOCATED) {
        st = FORMAT_ERROR(err, "%s has no data in the file", where);
    } else if (H5Dget_storage_size(d) != (hsize_t)bytes) {
        st = FORMAT_ERROR(err, "%s stores %llu bytes, %zu expected", where,
                          (unsigned long long)H5Dget_storage_size(d), bytes);
    } else if (file_size_of(d, &file_size) < 0) {
        st = FORMAT_ERROR(err, "%s: reading the file's size", where);
    } else {
        haddr_t off = H5Dget_offset(d);
        if (off == HADDR_UNDEF || off > file_size || file_size - off < (hsize_t)bytes)
            st = FORMAT_ERROR(err, "%s points outside the file", where);
        else if (H5Dread(d, ti.mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
            st = FORMAT_ERROR(err, "%s: reading the data", where);
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    H5Dclose(d);
    return st;
}

int gr_h5_dset_dims(hid_t loc, const char *name, gr_h5_type type, int rank, size_t *dims,
                    size_t max_elems, gr_error *err) {
    type_info ti;
    if (!name || !dims || (rank != 1 && rank != 2))
        return GR_ERROR(err, GR_EINVAL, "gr_h5_dset_dims: NULL name/dims or rank %d", rank);
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "dataset %s: unknown type", name);
    char where[1024];
    hsize_t hd[2] = {0, 0}, hm[2] = {0, 0};
    hid_t d = dset_open_typed(loc, name, &ti, rank, hd, hm, where, sizeof where, err);
    if (d < 0) return (int)d;
    H5Dclose(d);
    size_t e = 1;
    for (int k = 0; k < rank; k++) {
        if (hd[k] == 0 || hd[k] > (hsize_t)SIZE_MAX || gr_size_mul(e, (size_t)hd[k], &e) ||
            e > max_elems)
            return GR_ERROR(err, GR_EFORMAT, "%s: shape outside 1..%zu elements", where, max_elems);
        dims[k] = (size_t)hd[k];
    }
    return GR_OK;
}

/* ---- extendible series ------------------------------------------------------------------------
 */

int gr_h5_series_create(hid_t loc, const char *name, gr_h5_type type, size_t row_len,
                        const gr_h5_chunking *c, gr_error *err) {
    gr_h5_quiet();
    type_info ti;
    if (!name || !c) return GR_ERROR(err, GR_EINVAL, "gr_h5_series_create: NULL name or chunking");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "series %s: unknown type", name);
    if (c->chunk_rows == 0 || c->deflate < 0 || c->deflate > 9)
        return GR_ERROR(err, GR_EINVAL, "series %s: chunk_rows %zu (>= 1), deflate %d (0..9)", name,
                        c->chunk_rows, c->deflate);
    size_t chunk_bytes;
    if (gr_size_mul(c->chunk_rows, row_len ? row_len : 1, &chunk_bytes) ||
        gr_size_mul(chunk_bytes, ti.size, &chunk_bytes) || chunk_bytes > ((size_t)1 << 32) - 1)
        return GR_ERROR(err, GR_EINVAL, "series %s: a chunk of %zu rows of %zu is over 4 GiB", name,
                        c->chunk_rows, row_len);
    if (c->deflate && H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
        return GR_ERROR(err, GR_EINVAL, "series %s: this HDF5 has no deflate filter", name);
    int rank = row_len ? 2 : 1;
    hsize_t dims[2] = {0, row_len}, maxd[2] = {H5S_UNLIMITED, row_len};
    hsize_t chunk[2] = {c->chunk_rows, row_len};
    hid_t dcpl = gr_h5_dcpl(), sp = -1, d = -1;
    int ok = 0;
    if (dcpl < 0 || H5Pset_chunk(dcpl, rank, chunk) < 0) goto done;
    /* pipeline order on write: shuffle, deflate, then the checksum of the stored bytes */
    if (c->shuffle && H5Pset_shuffle(dcpl) < 0) goto done;
    if (c->deflate && H5Pset_deflate(dcpl, (unsigned)c->deflate) < 0) goto done;
    if (c->fletcher32 && H5Pset_fletcher32(dcpl) < 0) goto done;
    if ((sp = H5Screate_simple(rank, dims, maxd)) < 0) goto done;
    if ((d = H5Dcreate2(loc, name, ti.file, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0) goto done;
    ok = H5Dclose(d) >= 0;
done:
    if (sp >= 0) H5Sclose(sp);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (!ok) {
        char where[512];
        gr_h5_describe(loc, where, sizeof where);
        return GR_H5_ERROR(err, "%s: creating series \"%s\"", where, name);
    }
    return GR_OK;
}

/* Open a series and check what the writer makes, except the chunks (checked by the reader):
 * type, rank, row length, unlimited first dimension, chunked, only known filters, no
 * external storage. *n_rows receives the rows stored. */
static hid_t series_open(hid_t loc, const char *name, const type_info *ti, size_t row_len,
                         size_t *n_rows, hsize_t *chunk_rows, char *where, size_t wsize,
                         gr_error *err) {
    int rank = row_len ? 2 : 1;
    hsize_t hd[2] = {0, 0}, hm[2] = {0, 0};
    hid_t d = dset_open_typed(loc, name, ti, rank, hd, hm, where, wsize, err);
    if (d < 0) return d;
    hid_t dcpl = H5Dget_create_plist(d);
    int st = GR_OK;
    hsize_t cd[2] = {0, 0};
    if (rank == 2 && hd[1] != (hsize_t)row_len) {
        st = GR_ERROR(err, GR_EMISMATCH, "%s has rows of %llu elements, %zu expected", where,
                      (unsigned long long)hd[1], row_len);
    } else if (hm[0] != H5S_UNLIMITED || (rank == 2 && hm[1] != hd[1])) {
        st = GR_ERROR(err, GR_EFORMAT, "%s is not a series (first dimension unlimited)", where);
    } else if (dcpl < 0 || H5Pget_layout(dcpl) != H5D_CHUNKED ||
               H5Pget_chunk(dcpl, rank, cd) != rank || cd[0] == 0 ||
               (rank == 2 && cd[1] != hd[1])) {
        st = FORMAT_ERROR(err, "%s is not chunked by whole rows", where);
    } else if (H5Pget_external_count(dcpl) != 0) {
        st = GR_ERROR(err, GR_EFORMAT, "%s has external storage", where);
    } else if (hd[0] > (hsize_t)SIZE_MAX) {
        st = GR_ERROR(err, GR_EFORMAT, "%s has %llu rows (too many)", where,
                      (unsigned long long)hd[0]);
    } else {
        int nf = H5Pget_nfilters(dcpl);
        if (nf < 0) st = FORMAT_ERROR(err, "%s: reading its filters", where);
        for (int i = 0; i < nf && st == GR_OK; i++) {
            unsigned flags = 0, cv[8];
            size_t ncv = 8;
            H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncv, cv, 0, NULL, NULL);
            if (f != H5Z_FILTER_DEFLATE && f != H5Z_FILTER_SHUFFLE && f != H5Z_FILTER_FLETCHER32)
                st = GR_ERROR(err, GR_EFORMAT,
                              "%s uses filter %d (only deflate, shuffle and fletcher32 are read)",
                              where, (int)f);
        }
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    if (st != GR_OK) {
        H5Dclose(d);
        return st;
    }
    *n_rows = (size_t)hd[0];
    if (chunk_rows) *chunk_rows = cd[0];
    return d;
}

int gr_h5_series_append(hid_t loc, const char *name, gr_h5_type type, size_t row_len,
                        const void *rows, size_t n_rows, gr_error *err) {
    type_info ti;
    if (!name || (!rows && n_rows > 0))
        return GR_ERROR(err, GR_EINVAL, "gr_h5_series_append: NULL name or rows");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "series %s: unknown type", name);
    if (n_rows == 0) return GR_OK;
    char where[1024];
    size_t have = 0, total;
    hid_t d = series_open(loc, name, &ti, row_len, &have, NULL, where, sizeof where, err);
    if (d < 0) return (int)d;
    if (gr_size_add(have, n_rows, &total)) {
        H5Dclose(d);
        return GR_ERROR(err, GR_EINVAL, "%s: %zu + %zu rows overflow", where, have, n_rows);
    }
    int rank = row_len ? 2 : 1;
    hsize_t ext[2] = {total, row_len}, start[2] = {have, 0}, count[2] = {n_rows, row_len};
    hid_t fs = -1, ms = -1;
    int ok = 0;
    if (H5Dset_extent(d, ext) < 0) goto done;
    if ((fs = H5Dget_space(d)) < 0) goto done;
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0) goto done;
    if ((ms = H5Screate_simple(rank, count, NULL)) < 0) goto done;
    ok = H5Dwrite(d, ti.mem, ms, fs, H5P_DEFAULT, rows) >= 0;
done:
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    int st = ok ? GR_OK : GR_H5_ERROR(err, "%s: appending %zu rows", where, n_rows);
    if (H5Dclose(d) < 0 && st == GR_OK) st = GR_H5_ERROR(err, "%s: closing", where);
    return st;
}

/* The full check of a series for reading: series_open, the byte count, every chunk present. */
static hid_t series_check(hid_t loc, const char *name, const type_info *ti, size_t row_len,
                          size_t *n_rows, char *where, size_t wsize, gr_error *err) {
    hsize_t cr = 0;
    hid_t d = series_open(loc, name, ti, row_len, n_rows, &cr, where, wsize, err);
    if (d < 0) return d;
    size_t bytes;
    int st = GR_OK;
    if (gr_size_mul(*n_rows, row_len ? row_len : 1, &bytes) ||
        gr_size_mul(bytes, ti->size, &bytes) || bytes > gr_mem_physical_bytes()) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: %zu rows of %zu do not fit in memory", where, *n_rows,
                      row_len);
    } else {
        hsize_t want = ((hsize_t)*n_rows + cr - 1) / cr, have = 0;
        hid_t sp = H5Dget_space(d);
        herr_t got = sp >= 0 ? H5Dget_num_chunks(d, sp, &have) : -1;
        if (sp >= 0) H5Sclose(sp);
        if (got < 0)
            st = FORMAT_ERROR(err, "%s: counting the written chunks", where);
        else if (have != want)
            st = GR_ERROR(err, GR_EFORMAT,
                          "%s: %llu of %llu chunks are written (the others would read as fill "
                          "values)",
                          where, (unsigned long long)have, (unsigned long long)want);
    }
    if (st != GR_OK) {
        H5Dclose(d);
        return st;
    }
    return d;
}

int gr_h5_series_rows(hid_t loc, const char *name, gr_h5_type type, size_t row_len, size_t *n_rows,
                      gr_error *err) {
    type_info ti;
    if (!name || !n_rows) return GR_ERROR(err, GR_EINVAL, "gr_h5_series_rows: NULL argument");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "series %s: unknown type", name);
    char where[1024];
    hid_t d = series_check(loc, name, &ti, row_len, n_rows, where, sizeof where, err);
    if (d < 0) return (int)d;
    H5Dclose(d);
    return GR_OK;
}

int gr_h5_series_read(hid_t loc, const char *name, gr_h5_type type, size_t row_len, size_t n_rows,
                      void *out, gr_error *err) {
    type_info ti;
    if (!name || (!out && n_rows > 0))
        return GR_ERROR(err, GR_EINVAL, "gr_h5_series_read: NULL argument");
    if (!type_get(type, &ti)) return GR_ERROR(err, GR_EINVAL, "series %s: unknown type", name);
    char where[1024];
    size_t have = 0;
    hid_t d = series_check(loc, name, &ti, row_len, &have, where, sizeof where, err);
    if (d < 0) return (int)d;
    int st = GR_OK;
    if (have != n_rows)
        st = GR_ERROR(err, GR_EMISMATCH, "%s has %zu rows, %zu expected", where, have, n_rows);
    else if (n_rows > 0 && H5Dread(d, ti.mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
        st = FORMAT_ERROR(err, "%s: reading the rows (a chunk's checksum or compression failed?)",
                          where);
    H5Dclose(d);
    return st;
}
