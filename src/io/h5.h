/* io/h5.h — shared HDF5 plumbing for the io/ room: silence HDF5's automatic error
 * printing and turn its error stack into a gr_error message.
 *
 * Every io/ function that touches HDF5 calls gr_h5_quiet() first and, on any negative
 * HDF5 return, GR_H5_ERROR(err, "reading %s", path) — the message then ends with HDF5's
 * own innermost description ("... : unable to open file"). Files are written with object
 * time tracking off (gr_h5_dcpl / gr_h5_gcpl) so identical runs give identical bytes.
 * Typed, strictly checked attributes and datasets are built on this in io/h5io.h.
 */
#ifndef GR_IO_H5_H
#define GR_IO_H5_H

#include <hdf5.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Turn off HDF5's printing of its error stack for the calling thread. Cannot fail. */
void gr_h5_quiet(void);

/* Record `code` with a printf-style message followed by ": " and the innermost message of
 * the current HDF5 error stack (if any); clears that stack. Returns `code`. */
int gr_h5_error_set(gr_error *err, int code, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define GR_H5_ERROR(err, ...) gr_h5_error_set((err), GR_EIO, __FILE__, __LINE__, __VA_ARGS__)

/* Property lists with object time tracking disabled (deterministic bytes): a dataset
 * creation list and a group/object creation list. Close them with H5Pclose. Negative on
 * failure. */
hid_t gr_h5_dcpl(void);
hid_t gr_h5_gcpl(void);

/* Split "file.h5:/path/to/dataset" at the last ':' that is followed by '/'.
 * On success *file_len is the length of the file part and *dset points into spec at the
 * dataset path. Returns 1 if spec has that form, 0 otherwise (a plain file name). */
int gr_h5_spec_split(const char *spec, size_t *file_len, const char **dset);

/* 1 if the first `path_len` bytes of `path` name a regular file that carries the HDF5
 * signature "\211HDF\r\n\032\n" where the format puts it (byte 0, 512, 1024, 2048, ...:
 * after a user block of any allowed size); 0 otherwise (missing, not a regular file, not
 * readable, no signature). Reads at most a few 8-byte blocks and never opens the file
 * through HDF5, so it is safe on any file; non-regular files (FIFOs) are never read. */
int gr_h5_has_signature(const char *path, size_t path_len);

#ifdef __cplusplus
}
#endif

#endif
