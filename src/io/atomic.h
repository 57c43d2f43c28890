/* io/atomic.h — write a file so that readers see either the old file or the complete new
 * one, never a half-written one: the pattern checkpoints use, for any writer (results
 * files, caches).
 *
 * gr_atomic_write(path, write, ctx, err):
 *   1. removes this host's stale temporaries of `path` (gr_atomic_remove_stale);
 *   2. calls write(tmp, ctx, err) with tmp = "<path>.tmp.<host>.<pid>" (host as
 *      gr_atomic_host_tag gives it): the callback creates that file, writes it completely
 *      and closes it (for HDF5: H5Fcreate ... H5Fclose, or gr_h5_file_create);
 *   3. fsyncs the temporary (its data are on disk before the rename makes them visible);
 *   4. renames it over `path` (atomic on POSIX file systems);
 *   5. fsyncs the directory, so the rename itself survives a crash (best effort: some file
 *      systems refuse fsync on a directory, and the data are already synced).
 * If any step fails, the temporary is removed and `path` is left as it was (absent, or the
 * previous file, untouched). A process killed between 2 and 4 leaves its temporary behind;
 * the next gr_atomic_write to the same path on the same host removes it.
 */
#ifndef GR_IO_ATOMIC_H
#define GR_IO_ATOMIC_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_ATOMIC_HOST_MAX 64

/* Writes the complete file at tmp_path (which does not exist when called) and closes it.
 * Returns GR_OK or a negative status with a message in err. It may leave a partial file
 * at tmp_path on failure: gr_atomic_write removes it. */
typedef int (*gr_atomic_writer)(const char *tmp_path, void *ctx, gr_error *err);

/* Steps 1-5 above. Errors: GR_EINVAL (empty path or NULL writer), the writer's own status
 * (its message kept, prefixed with nothing), GR_EIO (cannot sync or rename; the message
 * names the path and ends with the system's reason), GR_ENOMEM. */
int gr_atomic_write(const char *path, gr_atomic_writer write, void *ctx, gr_error *err);

/* This machine's name as it appears in temporary names: gethostname() with every
 * character outside [A-Za-z0-9-] replaced by '_', at most GR_ATOMIC_HOST_MAX characters,
 * "localhost" if the system has no name. */
void gr_atomic_host_tag(char out[GR_ATOMIC_HOST_MAX + 1]);

/* Remove every "<path>.tmp.<this host>.<pid>" regular file whose process no longer exists
 * (kill(pid, 0) fails with ESRCH) or is a zombie (exited but not reaped: in containers
 * whose init never reaps orphans a killed writer stays one). Left alone: temporaries of
 * live processes (a concurrent write), of other hosts (a shared file system: their pids
 * mean nothing here), of other paths, names with anything after the pid, and anything
 * that is not a regular file. Best effort, cannot fail: an unreadable directory is
 * skipped. */
void gr_atomic_remove_stale(const char *path);

#ifdef __cplusplus
}
#endif

#endif
