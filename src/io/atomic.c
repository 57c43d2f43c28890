/* io/atomic.c — atomic file replacement: temporary, fsync, rename, directory fsync (see
 * atomic.h). */
#include "io/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gr_atomic_host_tag(char out[GR_ATOMIC_HOST_MAX + 1]) {
    char h[256];
    if (gethostname(h, sizeof h) != 0 || !h[0]) snprintf(h, sizeof h, "localhost");
    h[sizeof h - 1] = '\0';
    size_t i = 0;
    for (; h[i] && i < GR_ATOMIC_HOST_MAX; i++) {
        char c = h[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

/* The directory part of path ("." for a bare name, "/" for "/name"); malloc'd or NULL. */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* 1 if pid is a zombie (it has exited and can write nothing more, but its parent, or an
 * init that does not reap orphans as in some containers, has not collected it yet): its
 * temporaries are as stale as those of a vanished process. */
static int pid_is_zombie(long pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close = strrchr(buf, ')'); /* the command name may contain spaces or ')' */
    return close && close[1] == ' ' && close[2] == 'Z';
}

void gr_atomic_remove_stale(const char *path) {
    if (!path || !path[0]) return;
    char host[GR_ATOMIC_HOST_MAX + 1];
    gr_atomic_host_tag(host);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir = dir_of(path);
    size_t plen = strlen(base) + strlen(host) + 6; /* "<base>.tmp.<host>." */
    char *prefix = malloc(plen + 1);
    DIR *dh = NULL;
    if (!dir || !prefix) goto done;
    snprintf(prefix, plen + 1, "%s.tmp.%s.", base, host);
    if (!(dh = opendir(dir))) goto done;
    for (struct dirent *e; (e = readdir(dh)) != NULL;) {
        if (strncmp(e->d_name, prefix, plen) != 0) continue;
        const char *digits = e->d_name + plen;
        size_t nd = strspn(digits, "0123456789");
        if (nd == 0 || nd > 9 || digits[nd] != '\0') continue;
        long pid = strtol(digits, NULL, 10);
        if (pid <= 0 || pid == (long)getpid()) continue;
        if ((kill((pid_t)pid, 0) == 0 || errno != ESRCH) && !pid_is_zombie(pid))
            continue; /* alive, or not ours */
        size_t flen = strlen(dir) + strlen(e->d_name) + 2;
        char *full = malloc(flen);
        if (!full) continue;
        snprintf(full, flen, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(full, &sb) == 0 && S_ISREG(sb.st_mode)) (void)unlink(full);
        free(full);
    }
done:
    if (dh) closedir(dh);
    free(prefix);
    free(dir);
}

/* Make the rename durable (POSIX: fsync the directory). Best effort, see atomic.h. */
static void sync_parent_dir(const char *path) {
    char *dir = dir_of(path);
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int gr_atomic_write(const char *path, gr_atomic_writer write, void *ctx, gr_error *err) {
    if (!path || !path[0]) return GR_ERROR(err, GR_EINVAL, "gr_atomic_write: empty or NULL path");
    if (!write) return GR_ERROR(err, GR_EINVAL, "gr_atomic_write %s: NULL writer", path);
    char host[GR_ATOMIC_HOST_MAX + 1];
    gr_atomic_host_tag(host);
    gr_atomic_remove_stale(path);
    size_t len = strlen(path) + strlen(host) + 32;
    char *tmp = malloc(len);
    if (!tmp) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    snprintf(tmp, len, "%s.tmp.%s.%ld", path, host, (long)getpid());
    (void)unlink(tmp); /* our own leftover (a pid reused after a crash): never write into it */
    int st = write(tmp, ctx, err);
    if (st == GR_OK) {
        /* Data on disk before the rename makes them visible: a crash after the rename must
         * not expose a file whose blocks were never written. */
        int fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            st = GR_ERROR(err, GR_EIO, "%s: syncing %s: %s", path, tmp, strerror(errno));
        if (fd >= 0) close(fd);
    }
    if (st == GR_OK && rename(tmp, path) != 0)
        st = GR_ERROR(err, GR_EIO, "%s: renaming %s: %s", path, tmp, strerror(errno));
    if (st != GR_OK) (void)remove(tmp);
    if (st == GR_OK) sync_parent_dir(path);
    free(tmp);
    return st;
}
