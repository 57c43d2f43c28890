/* io/digest.h — SHA-256 over a canonical serialisation of named values: the checksum that
 * checkpoints (io/checkpoint.h) put on every object, reusable for any file the project
 * writes (results, caches) so that a reader can verify what it restores.
 *
 * Serialisation. A digest is SHA-256 (io/sha256.h) over a sequence of fields; each field is
 * its name, a NUL byte, the value's length in bytes as a little-endian uint64, then the
 * value: strings as their bytes (no NUL), integers as little-endian uint64 (signed ones as
 * two's complement of their int64 value), doubles and floats as their IEEE-754 bits in
 * little-endian order, arrays as the concatenation of their elements so encoded, raw bytes
 * as they are. The length prefixes make the sequence unambiguous: no two different field
 * sequences serialise to the same bytes. The result is written as "sha256:" followed by 64
 * lower-case hex digits (GR_DIGEST_LEN characters). The encoding does not depend on the
 * host's byte order.
 *
 * Usage: gr_digest_init, one call per field in a fixed order (writer and reader must call
 * the same sequence: put it in one function used by both), gr_digest_end. No allocation,
 * no failure. An integrity check against damage, not authentication.
 */
#ifndef GR_IO_DIGEST_H
#define GR_IO_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "io/sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_DIGEST_PREFIX "sha256:"
#define GR_DIGEST_LEN    (sizeof GR_DIGEST_PREFIX - 1 + 2 * GR_SHA256_BYTES) /* 71 */

typedef struct gr_digest {
    gr_sha256 sha;
} gr_digest;

/* Start an empty field sequence. */
void gr_digest_init(gr_digest *d);

/* One field each. name: a NUL-terminated field name; values as described above. */
void gr_digest_str(gr_digest *d, const char *name, const char *s);
void gr_digest_u64(gr_digest *d, const char *name, uint64_t v);
void gr_digest_i64(gr_digest *d, const char *name, int64_t v); /* = u64 of its two's complement */
void gr_digest_f64(gr_digest *d, const char *name, double v);
/* n elements; the caller holds them, so n * element size fits in size_t. */
void gr_digest_f32s(gr_digest *d, const char *name, const float *x, size_t n);
void gr_digest_f64s(gr_digest *d, const char *name, const double *x, size_t n);
void gr_digest_bytes(gr_digest *d, const char *name, const void *data, size_t n);

/* Finish: out receives "sha256:<64 hex digits>" and a NUL. d must be re-initialised before
 * reuse. */
void gr_digest_end(gr_digest *d, char out[GR_DIGEST_LEN + 1]);

#ifdef __cplusplus
}
#endif

#endif
