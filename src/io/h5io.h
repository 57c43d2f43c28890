/* io/h5io.h — typed HDF5 reading and writing for files the project writes (checkpoints,
 * results): scalar and array attributes, fixed-shape datasets, extendible (chunked,
 * optionally compressed) time series. Writers make plain HDF5 that h5py and h5dump read
 * without help; readers are strict, so a reader that returns GR_OK read exactly what the
 * matching writer wrote.
 *
 * Types (gr_h5_type): stored as little-endian IEEE float32/float64 and little-endian
 * uint8/int32/int64/uint64, whatever the host; strings as scalar fixed-length
 * NUL-terminated ASCII (h5py reads them as bytes). Readers compare the stored type with
 * H5Tequal: a float64 where a float32 is expected, a big-endian float32, an int64 where an
 * int32 is expected are refused, never converted.
 *
 * Fixed-shape datasets (gr_h5_dset_*): rank 1 or 2, at least one element, contiguous
 * layout (no chunk index, no filters), no time stamps. The reader takes the expected shape
 * from the caller (never from the file, so a file cannot make it allocate) and checks,
 * before reading raw data: a hard link (no soft or external link), the exact type, the rank,
 * the shape, not extendible, contiguous, no filters, no external storage, storage allocated,
 * exactly shape x element-size bytes stored, and that storage inside the file's size.
 * Products of sizes are checked (core/mem.h gr_size_mul).
 *
 * Series (gr_h5_series_*): a dataset of rows (row_len values each; row_len 0: a 1-D dataset
 * of scalars) whose first dimension is unlimited, chunked by chunk_rows rows, optionally
 * filtered by shuffle, deflate and Fletcher-32 (HDF5 then verifies each chunk's checksum on
 * read). Rows are appended, also after the file is closed and reopened. The reader checks
 * the type, rank, row length, unlimited first dimension, chunked layout, that every filter
 * is one of those three, no external storage, and that every chunk the shape needs is
 * present (a never-written chunk would read as fill values).
 *
 * Errors. Every function silences HDF5's error printing (gr_h5_quiet) and returns GR_OK or:
 * GR_EINVAL (bad argument), GR_EIO (a write failed: the message ends with HDF5's reason),
 * GR_EFORMAT (the object is absent, not a hard link, or not what the writer makes: type,
 * rank, layout, filters, storage), GR_EMISMATCH (a well-formed object whose shape or length
 * differs from what the caller expects), GR_ENOMEM. Messages name the file and the object's
 * path in it ("run.h5:/nets/critic: attribute \"arch\" is not a single NUL-terminated ASCII
 * string of at most 4096 bytes").
 *
 * Files: gr_h5_file_create writes HDF5 1.8 object formats (superblock v2, object headers
 * v2: HDF5 checks its own metadata checksums when reading them) with time tracking off, so
 * the same content written by the same build gives byte-identical files.
 */
#ifndef GR_IO_H5IO_H
#define GR_IO_H5IO_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_H5_STR_MAX 4096 /* bytes, NUL included: the longest string attribute */

typedef enum gr_h5_type {
    GR_H5_U8,  /* uint8_t  <-> H5T_STD_U8LE */
    GR_H5_I32, /* int32_t  <-> H5T_STD_I32LE */
    GR_H5_I64, /* int64_t  <-> H5T_STD_I64LE */
    GR_H5_U64, /* uint64_t <-> H5T_STD_U64LE */
    GR_H5_F32, /* float    <-> H5T_IEEE_F32LE */
    GR_H5_F64  /* double   <-> H5T_IEEE_F64LE */
} gr_h5_type;

/* Bytes per element in memory (1, 4, 8, 8, 4, 8); 0 for an unknown value. */
size_t gr_h5_type_size(gr_h5_type t);
/* "uint8", "little-endian int32", ..., as messages name it; "unknown" otherwise. */
const char *gr_h5_type_name(gr_h5_type t);

/* ---- files and groups ---- */

/* Create (truncate) `path` with the 1.8 object formats and no time stamps; the file id, or
 * a negative value with GR_EIO in err. Close with H5Fclose. */
hid_t gr_h5_file_create(const char *path, gr_error *err);

/* The same file, built in memory and written to `path` when it is closed (HDF5's core
 * driver with a backing store; memory grows by `increment` bytes at a time, 0: 1 MiB, so
 * pass about the file's expected size). For writers whose HDF5 calls must not meet a
 * failing write: libhdf5 1.10.8 crashes (SIGSEGV in H5Ocopy) when the disk fills up in the
 * middle of an object copy, whereas here a full disk makes H5Fclose fail with an error.
 * The file holds the same objects as gr_h5_file_create's would. */
hid_t gr_h5_file_create_buffered(const char *path, size_t increment, gr_error *err);
/* Open `path` read-only (writable = 0) or read-write; closing the file id closes every
 * object still open in it (H5F_CLOSE_STRONG). Negative with GR_EIO (missing or unreadable:
 * the system's reason) or GR_EFORMAT (not a readable HDF5 file). */
hid_t gr_h5_file_open(const char *path, int writable, gr_error *err);

/* 1: loc has a hard link `name`; 0: no link of that name; -1: a soft, external or
 * user-defined link (never followed by these readers). Cannot fail. */
int gr_h5_link_kind(hid_t loc, const char *name);
/* A new group without time stamps (negative, GR_EIO on failure: e.g. it exists). */
hid_t gr_h5_group_create(hid_t loc, const char *name, gr_error *err);
/* Open the group behind hard link `name` (negative, GR_EFORMAT if absent, not a hard link
 * or not a group). */
hid_t gr_h5_group_open(hid_t loc, const char *name, gr_error *err);

/* "<file>:<object path>" of an open object, for messages (truncated to size). */
void gr_h5_describe(hid_t obj, char *buf, size_t size);

/* ---- attributes (on a group or dataset; name must not exist yet when writing) ---- */

int gr_h5_attr_write_str(hid_t loc, const char *name, const char *value, gr_error *err);
int gr_h5_attr_write_i32(hid_t loc, const char *name, int32_t v, gr_error *err);
int gr_h5_attr_write_i64(hid_t loc, const char *name, int64_t v, gr_error *err);
int gr_h5_attr_write_u64(hid_t loc, const char *name, uint64_t v, gr_error *err);
int gr_h5_attr_write_f64(hid_t loc, const char *name, double v, gr_error *err);
/* 1-D arrays of n >= 1 elements. */
int gr_h5_attr_write_f64s(hid_t loc, const char *name, const double *x, size_t n, gr_error *err);
int gr_h5_attr_write_f32s(hid_t loc, const char *name, const float *x, size_t n, gr_error *err);

/* A scalar string of 1..GR_H5_STR_MAX bytes whose only NUL is its last (what
 * gr_h5_attr_write_str writes) into a new malloc'd string *out (free it); *out = NULL on
 * failure. Length 0 strings are allowed (one NUL byte). */
int gr_h5_attr_read_str(hid_t loc, const char *name, char **out, gr_error *err);
/* Scalars of exactly the stored type. */
int gr_h5_attr_read_i32(hid_t loc, const char *name, int32_t *out, gr_error *err);
int gr_h5_attr_read_i64(hid_t loc, const char *name, int64_t *out, gr_error *err);
int gr_h5_attr_read_u64(hid_t loc, const char *name, uint64_t *out, gr_error *err);
int gr_h5_attr_read_f64(hid_t loc, const char *name, double *out, gr_error *err);
/* 1-D arrays of exactly n elements (GR_EMISMATCH for another length). */
int gr_h5_attr_read_f64s(hid_t loc, const char *name, double *out, size_t n, gr_error *err);
int gr_h5_attr_read_f32s(hid_t loc, const char *name, float *out, size_t n, gr_error *err);
/* The length of a 1-D array attribute of the given type, to size the buffer. */
int gr_h5_attr_len(hid_t loc, const char *name, gr_h5_type type, size_t *n, gr_error *err);

/* ---- fixed-shape datasets ---- */

/* Create dataset `name` of rank 1 or 2 and shape dims (every dims[k] >= 1) and write data
 * (dims[0] x dims[1] elements, row-major). _create_write returns the open dataset (the
 * caller adds attributes and closes it with H5Dclose), negative on failure. */
hid_t gr_h5_dset_create_write(hid_t loc, const char *name, gr_h5_type type, int rank,
                              const size_t *dims, const void *data, gr_error *err);
int gr_h5_dset_write(hid_t loc, const char *name, gr_h5_type type, int rank, const size_t *dims,
                     const void *data, gr_error *err);

/* Read dataset `name`, checked as described at the top, into out (the caller's buffer of
 * the product of dims elements). Shape differs: GR_EMISMATCH; anything else not as
 * gr_h5_dset_write makes it: GR_EFORMAT. */
int gr_h5_dset_read(hid_t loc, const char *name, gr_h5_type type, int rank, const size_t *dims,
                    void *out, gr_error *err);

/* The shape of dataset `name` (hard link, exact type, the given rank) into dims[0..rank-1],
 * refused (GR_EFORMAT) when the product of dims is 0 or exceeds max_elems. Then read it with
 * gr_h5_dset_read, which checks everything else. */
int gr_h5_dset_dims(hid_t loc, const char *name, gr_h5_type type, int rank, size_t *dims,
                    size_t max_elems, gr_error *err);

/* ---- extendible series ---- */

typedef struct gr_h5_chunking {
    size_t chunk_rows; /* rows per chunk, >= 1 */
    int deflate;       /* 0: none; 1..9: gzip level */
    int shuffle;       /* byte shuffle before deflate (helps floats compress) */
    int fletcher32;    /* per-chunk checksum, verified by HDF5 on every read */
} gr_h5_chunking;

/* Create an empty series `name` of rows of row_len elements (row_len 0: scalars, a 1-D
 * dataset), first dimension unlimited. GR_EINVAL for chunk_rows 0, a deflate level outside
 * 0..9, or deflate requested from an HDF5 built without zlib. */
int gr_h5_series_create(hid_t loc, const char *name, gr_h5_type type, size_t row_len,
                        const gr_h5_chunking *chunking, gr_error *err);
/* Append n_rows rows (n_rows x max(row_len, 1) elements, row-major). The series must be one
 * gr_h5_series_create made with the same type and row_len (GR_EFORMAT / GR_EMISMATCH). */
int gr_h5_series_append(hid_t loc, const char *name, gr_h5_type type, size_t row_len,
                        const void *rows, size_t n_rows, gr_error *err);
/* Rows stored, after every check of the reader (see the top); the data's byte size must
 * fit in memory (GR_EFORMAT otherwise). */
int gr_h5_series_rows(hid_t loc, const char *name, gr_h5_type type, size_t row_len, size_t *n_rows,
                      gr_error *err);
/* Read all n_rows rows (GR_EMISMATCH if the series holds another number) into out. */
int gr_h5_series_read(hid_t loc, const char *name, gr_h5_type type, size_t row_len, size_t n_rows,
                      void *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
