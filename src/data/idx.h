/* data/idx.h — a checked reader of IDX files (LeCun's MNIST format), plain or gzip.
 *
 * Format: a 4-byte magic 0x00 0x00 TYPE NDIMS, then NDIMS big-endian uint32 dimensions,
 * then prod(dims) elements of TYPE, big-endian, row-major, and nothing after them.
 * TYPE: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64. MNIST's
 * labels are 0x00000801 (uint8, 1 dimension), its images 0x00000803 (uint8, 3 dimensions).
 *
 * The file is opened through zlib (gzopen/gzread), which reads gzip files and, transparently,
 * plain ones, so `train-images-idx3-ubyte` and `train-images-idx3-ubyte.gz` read the same.
 * Every byte read is checked: the two zero bytes of the magic, a known type, 1 <= NDIMS <=
 * GR_IDX_MAX_DIMS, every dimension >= 1, the data size prod(dims) x element size computed with
 * gr_size_mul (a crafted header such as 2^32-1 x 2^32-1 x 2^32-1 is refused, never wrapped) and
 * at most `max_bytes`; a plain file's length must equal header + data exactly (checked from
 * its size before any allocation); a gzip stream must decompress to exactly that many bytes
 * (the buffer grows as data arrives, from 1 MiB by doubling, so a small file with a huge header
 * never makes the reader allocate more than 1 MiB or twice what the stream holds) and decode
 * without a zlib error. Bytes after the end of a gzip stream that do not start another gzip member
 * are ignored by zlib (gunzip too ignores them, with a warning); a second member is decompressed
 * and then refused as trailing data. Any failure is a status with a message naming the file
 * and what was expected, e.g. "t10k-labels-idx1-ubyte: truncated: the header declares 10000
 * u8 elements (10008 bytes with the header), the file holds 9008".
 */
#ifndef GR_DATA_IDX_H
#define GR_DATA_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_idx_type {
    GR_IDX_U8 = 0x08,
    GR_IDX_I8 = 0x09,
    GR_IDX_I16 = 0x0B,
    GR_IDX_I32 = 0x0C,
    GR_IDX_F32 = 0x0D,
    GR_IDX_F64 = 0x0E
} gr_idx_type;

#define GR_IDX_MAX_DIMS  8 /* the format allows 255; no IDX file in use has more than 4 */
#define GR_IDX_MD5_BYTES 16

/* A file's content. Read-only for users. */
typedef struct gr_idx {
    gr_idx_type type;
    size_t elem_size;                    /* bytes per element: 1, 2, 4 or 8 */
    size_t ndims;                        /* 1 .. GR_IDX_MAX_DIMS */
    size_t dims[GR_IDX_MAX_DIMS];        /* dims[0] is the item count (images, labels) */
    size_t count;                        /* prod(dims) elements */
    void *data;                          /* count elements in host byte order (converted) */
    size_t file_bytes;                   /* header + data bytes as stored (after decompression) */
    int gzipped;                         /* 1 when the file was a gzip stream, 0 when plain */
    unsigned char md5[GR_IDX_MD5_BYTES]; /* RFC 1321 MD5 of the file_bytes decompressed bytes */
} gr_idx;

/* Read the IDX file at `path` into *out. max_bytes caps the data size the header may declare
 * (0: no cap besides size_t). Errors (*out = NULL, message names path): GR_EINVAL (NULL
 * argument), GR_EIO (cannot open or read), GR_EFORMAT (bad magic, unknown type, bad NDIMS,
 * zero dimension, size overflow or above max_bytes, truncated, trailing bytes, corrupt gzip),
 * GR_ENOMEM. */
int gr_idx_read(gr_idx **out, const char *path, size_t max_bytes, gr_error *err);

void gr_idx_free(gr_idx *idx); /* NULL is a no-op */

/* "u8", "i8", "i16", "i32", "f32", "f64", or "?" for another value. */
const char *gr_idx_type_name(int type);

/* MD5 (RFC 1321) of n bytes, for comparing with published checksums. Cannot fail. */
void gr_md5(const void *data, size_t n, unsigned char out[GR_IDX_MD5_BYTES]);

/* 32 lower-case hex digits and a NUL into hex (33 bytes). Cannot fail. */
void gr_md5_hex(const unsigned char md5[GR_IDX_MD5_BYTES], char hex[2 * GR_IDX_MD5_BYTES + 1]);

#ifdef __cplusplus
}
#endif

#endif
