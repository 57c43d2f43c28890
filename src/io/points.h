/* io/points.h — point sets for the command line: text files or HDF5 datasets.
 *
 * A point file is either
 *  - text: one point per line, coordinates separated by spaces or tabs; '#' starts a
 *    comment (to the end of the line); blank lines are ignored; every point has the same
 *    number of coordinates; NaN and Inf are refused. A line ends at "\n", "\r\n" or a
 *    lone "\r" (Unix, Windows and classic-Mac files, also mixed in one file); each of them
 *    counts as one line in messages, so line numbers match what an editor shows. A file
 *    that starts with a byte-order mark (UTF-8 EF BB BF, or UTF-16) is refused with a
 *    message that names the mark; or
 *  - "FILE:/path/to/dataset": a 2-D n x d dataset (a 1-D dataset is n x 1) of a standard
 *    type — IEEE float32 or float64, or a signed or unsigned 8-, 16-, 32- or 64-bit
 *    integer, either byte order — read as double.
 *
 * Which of the two a SPEC is: SPEC is a dataset only when it contains ":/" and the part
 * before a ":/" (tried from the last one to the first) is a regular file that carries the
 * HDF5 signature ("\211HDF\r\n\032\n" at byte 0, 512, 1024, 2048, ...). Anything else is a
 * text file path, whatever it contains: "runs:/a.txt" is the text file a.txt in the
 * directory "runs:" unless a file "runs" exists and is an HDF5 file. When both readings
 * name existing files, the reader refuses SPEC as ambiguous (GR_EINVAL) rather than guess:
 * rename one, or reach the text file by a path without ":/" (a symlink, or cd into it).
 *
 * Size limit: at most GR_POINTS_MAX_COORDS coordinates (n x d) in one point set, and never
 * more bytes (8 per coordinate) than the machine's physical memory; a larger text file or
 * dataset is refused with a message giving its size and the limit, before anything of
 * that size is allocated or read.
 *
 * HDF5 datasets are checked before reading: the exact datatype (above), rank 1 or 2, the
 * size limit, the layout (compact, contiguous or chunked; virtual datasets and external
 * raw-data files are refused) and the storage HDF5 reports against what the shape needs
 * (compact and contiguous: exactly n x d x the type size; chunked: every chunk written,
 * and without filters at least n x d x the type size). A dataset never written, partly
 * written, or whose storage does not match its shape is refused. These checks catch the
 * corrupt and crafted files whose reading crashed HDF5 (a compact dataset whose storage
 * is 0 bytes, a shape of 2^62 rows that wrapped the allocation); damage that HDF5 walks
 * into while opening the file or its chunk index cannot be checked from outside it, see
 * docs/DESIGN.md ("As built", HDF5 input) for what is and is not guaranteed.
 *
 * Errors name the file, the line and field (text) or the dataset, and what was expected:
 *     "a.txt:7: field 2: expected a number, found 'x1'"
 *     "a.txt:9: expected 2 coordinates (as on line 3), found 3"
 */
#ifndef GR_IO_POINTS_H
#define GR_IO_POINTS_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most coordinates (n x d) one point set may hold: 2^32, i.e. 32 GiB of doubles. */
#define GR_POINTS_MAX_COORDS ((size_t)1 << 32)

typedef struct gr_points {
    double *data; /* n x d row-major, owned (free with gr_points_free) */
    size_t n, d;
} gr_points;

/* Read `spec` (see above) into *pts (overwritten; data allocated here). On error *pts is
 * empty and the status is GR_EIO (unreadable file or dataset), GR_EFORMAT (parse error,
 * ragged rows, byte-order mark, wrong rank, type, layout or storage, no points), GR_EDOM
 * (NaN or Inf), GR_ENOMEM (larger than the limit above or than memory, or an allocation
 * failed) or GR_EINVAL (NULL argument, or a SPEC that names both a text file and an HDF5
 * dataset). */
int gr_points_read(const char *spec, gr_points *pts, gr_error *err);

/* Free the data and zero the struct. NULL is a no-op. */
void gr_points_free(gr_points *pts);

#ifdef __cplusplus
}
#endif

#endif
