/* io/checkpoint.c — HDF5 checkpoints: atomic save, all-or-nothing verified load (see
 * checkpoint.h for the file layout and the contract).
 *
 * Structure: small helpers that open, use and close their own HDF5 handles (so no error
 * path leaks an id), a save that writes everything into a temporary file and renames it, and
 * a load in two phases: read + check into one scratch block, then commit to the caller.
 */
#include "io/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rng.h"
#include "io/h5.h"

#define NAME_MAX_LEN 63
#define CHUNK_MAX    ((hsize_t)1 << 20) /* elements per chunk: 4 MiB of floats */

/* HDF5 failure that means "this file is damaged or not ours", not "cannot do I/O". */
#define H5_FORMAT_ERROR(err, ...)                                                                  \
    gr_h5_error_set((err), GR_EFORMAT, __FILE__, __LINE__, __VA_ARGS__)

static int name_ok(const char *s) {
    if (!s) return 0;
    size_t n = strlen(s);
    if (n == 0 || n > NAME_MAX_LEN || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.' || c == '-';
        if (!ok) return 0;
    }
    return 1;
}

static int check_args(const char *fn, const char *path, const gr_checkpoint_net *nets,
                      size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    if (!path || !path[0]) return GR_ERROR(err, GR_EINVAL, "%s: empty or NULL path", fn);
    if (!nets || n_nets == 0)
        return GR_ERROR(err, GR_EINVAL, "%s %s: at least one network is required", fn, path);
    if (n_rngs > 0 && !rngs)
        return GR_ERROR(err, GR_EINVAL, "%s %s: rngs is NULL but n_rngs = %zu", fn, path, n_rngs);
    for (size_t i = 0; i < n_nets; i++) {
        const gr_checkpoint_net *t = &nets[i];
        if (!name_ok(t->name))
            return GR_ERROR(err, GR_EINVAL,
                            "%s %s: net %zu name \"%s\" must be 1..%d characters of "
                            "[A-Za-z0-9_.-]",
                            fn, path, i, t->name ? t->name : "(null)", NAME_MAX_LEN);
        if (!t->arch)
            return GR_ERROR(err, GR_EINVAL, "%s %s: net \"%s\": architecture string is NULL", fn,
                            path, t->name);
        if (!t->params || t->n_params == 0)
            return GR_ERROR(err, GR_EINVAL, "%s %s: net \"%s\": %s", fn, path, t->name,
                            !t->params ? "params is NULL" : "n_params = 0");
        if (t->optim && gr_optim_n_params(t->optim) != t->n_params)
            return GR_ERROR(err, GR_EINVAL,
                            "%s %s: net \"%s\" has %zu parameters but its optimizer was sized "
                            "for %zu",
                            fn, path, t->name, t->n_params, gr_optim_n_params(t->optim));
        for (size_t j = 0; j < i; j++)
            if (strcmp(nets[j].name, t->name) == 0)
                return GR_ERROR(err, GR_EINVAL, "%s %s: net name \"%s\" used twice", fn, path,
                                t->name);
    }
    for (size_t i = 0; i < n_rngs; i++) {
        if (!name_ok(rngs[i].name))
            return GR_ERROR(err, GR_EINVAL,
                            "%s %s: rng %zu name \"%s\" must be 1..%d characters of "
                            "[A-Za-z0-9_.-]",
                            fn, path, i, rngs[i].name ? rngs[i].name : "(null)", NAME_MAX_LEN);
        if (!rngs[i].rng || gr_rng_state_size(rngs[i].rng) == 0)
            return GR_ERROR(err, GR_EINVAL, "%s %s: rng \"%s\" is NULL", fn, path, rngs[i].name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(rngs[j].name, rngs[i].name) == 0)
                return GR_ERROR(err, GR_EINVAL, "%s %s: rng name \"%s\" used twice", fn, path,
                                rngs[i].name);
    }
    return GR_OK;
}

/* ---- writing helpers (each closes what it opens) ------------------------------------------- */

static int attr_write(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                      const void *value) {
    hid_t sp = H5Screate(H5S_SCALAR);
    if (sp < 0) return -1;
    hid_t a = H5Acreate2(loc, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, mem_type, value);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return st < 0 ? -1 : 0;
}

/* Fixed-length, NUL-terminated ASCII string: the plainest string type (h5py gives bytes). */
static int attr_write_str(hid_t loc, const char *name, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    int st = -1;
    if (H5Tset_size(t, strlen(value) + 1) >= 0 && H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0)
        st = attr_write(loc, name, t, t, value);
    H5Tclose(t);
    return st;
}

static int attr_write_f64(hid_t loc, const char *name, double v) {
    return attr_write(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}
static int attr_write_i32(hid_t loc, const char *name, int v) {
    return attr_write(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT, &v);
}
static int attr_write_u64(hid_t loc, const char *name, uint64_t v) {
    return attr_write(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

/* 1-D chunked dataset with the Fletcher-32 checksum filter and no time stamps. */
static int dset_write(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, size_t n,
                      const void *data) {
    hsize_t dim = (hsize_t)n, chunk = dim < CHUNK_MAX ? dim : CHUNK_MAX;
    hid_t dcpl = gr_h5_dcpl();
    if (dcpl < 0) return -1;
    int st = -1;
    hid_t sp = -1, d = -1;
    if (H5Pset_chunk(dcpl, 1, &chunk) < 0 || H5Pset_fletcher32(dcpl) < 0) goto done;
    if ((sp = H5Screate_simple(1, &dim, NULL)) < 0) goto done;
    if ((d = H5Dcreate2(loc, name, file_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0) goto done;
    if (H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) goto done;
    st = 0;
done:
    if (d >= 0) H5Dclose(d);
    if (sp >= 0) H5Sclose(sp);
    H5Pclose(dcpl);
    return st;
}

static hid_t group_create(hid_t loc, const char *name) {
    hid_t gcpl = gr_h5_gcpl();
    if (gcpl < 0) return -1;
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static int write_optim(hid_t net_group, const gr_optim *opt) {
    const gr_optim_config *c = gr_optim_config_get(opt);
    hid_t g = group_create(net_group, "optim");
    if (g < 0) return -1;
    int st = -1;
    if (attr_write_str(g, "kind", gr_optim_kind_name(c->kind)) < 0 ||
        attr_write_f64(g, "lr", c->lr) < 0 ||
        attr_write_f64(g, "weight_decay", c->weight_decay) < 0 ||
        attr_write_f64(g, "momentum", c->momentum) < 0 ||
        attr_write_f64(g, "dampening", c->dampening) < 0 ||
        attr_write_i32(g, "nesterov", c->nesterov) < 0 ||
        attr_write_f64(g, "alpha", c->alpha) < 0 ||
        attr_write_i32(g, "centered", c->centered) < 0 ||
        attr_write_f64(g, "beta1", c->beta1) < 0 || attr_write_f64(g, "beta2", c->beta2) < 0 ||
        attr_write_f64(g, "eps", c->eps) < 0 ||
        attr_write_u64(g, "step", gr_optim_step_count(opt)) < 0)
        goto done;
    size_t n = gr_optim_n_params(opt);
    const float *state = gr_optim_state_const(opt);
    for (size_t s = 0; s < gr_optim_n_slots(opt); s++)
        if (dset_write(g, gr_optim_slot_name(opt, s), H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, n,
                       state + s * n) < 0)
            goto done;
    st = 0;
done:
    H5Gclose(g);
    return st;
}

/* Write the whole file at `tmp`. On failure the caller removes it. */
static int write_file(const char *tmp, const char *path, uint64_t step,
                      const gr_checkpoint_net *nets, size_t n_nets, const gr_checkpoint_rng *rngs,
                      size_t n_rngs, gr_error *err) {
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl < 0) return GR_H5_ERROR(err, "checkpoint %s: creating property list", path);
    H5Pset_obj_track_times(fcpl, 0); /* root group: no time stamps (best effort) */
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0) return GR_H5_ERROR(err, "checkpoint %s: cannot create temporary file %s", path, tmp);
    const char *what = "root attributes";
    hid_t nets_g = -1, rng_g = -1, g = -1;
    unsigned char *buf = NULL;
    if (attr_write_str(f, "format", GR_CHECKPOINT_FORMAT) < 0 ||
        attr_write_i32(f, "format_version", GR_CHECKPOINT_VERSION) < 0 ||
        attr_write_u64(f, "step", step) < 0)
        goto fail;
    what = "/nets";
    if ((nets_g = group_create(f, "nets")) < 0) goto fail;
    for (size_t i = 0; i < n_nets; i++) {
        what = nets[i].name;
        if ((g = group_create(nets_g, nets[i].name)) < 0) goto fail;
        if (attr_write_str(g, "arch", nets[i].arch) < 0 ||
            attr_write_u64(g, "n_params", (uint64_t)nets[i].n_params) < 0 ||
            dset_write(g, "params", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, nets[i].n_params,
                       nets[i].params) < 0)
            goto fail;
        if (nets[i].optim && write_optim(g, nets[i].optim) < 0) goto fail;
        H5Gclose(g);
        g = -1;
    }
    if (n_rngs > 0) {
        what = "/rng";
        if ((rng_g = group_create(f, "rng")) < 0) goto fail;
        for (size_t i = 0; i < n_rngs; i++) {
            what = rngs[i].name;
            size_t sz = gr_rng_state_size(rngs[i].rng);
            buf = malloc(sz);
            if (!buf) {
                H5Gclose(rng_g);
                H5Gclose(nets_g);
                H5Fclose(f);
                return GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory", path);
            }
            int st = gr_rng_state_save(rngs[i].rng, buf, sz, err);
            if (st != GR_OK) {
                free(buf);
                H5Gclose(rng_g);
                H5Gclose(nets_g);
                H5Fclose(f);
                return gr_error_prefix(err, st, "checkpoint %s: rng \"%s\": ", path, rngs[i].name);
            }
            if (dset_write(rng_g, rngs[i].name, H5T_STD_U8LE, H5T_NATIVE_UCHAR, sz, buf) < 0)
                goto fail;
            free(buf);
            buf = NULL;
            hid_t d = H5Dopen2(rng_g, rngs[i].name, H5P_DEFAULT);
            int ast = d < 0 ? -1 : attr_write_str(d, "type", gsl_rng_name(rngs[i].rng));
            if (d >= 0) H5Dclose(d);
            if (ast < 0) goto fail;
        }
        H5Gclose(rng_g);
        rng_g = -1;
    }
    H5Gclose(nets_g);
    nets_g = -1;
    if (H5Fclose(f) < 0) return GR_H5_ERROR(err, "checkpoint %s: closing %s", path, tmp);
    return GR_OK;
fail:
    free(buf);
    {
        int code = GR_H5_ERROR(err, "checkpoint %s: writing %s", path, what);
        if (g >= 0) H5Gclose(g);
        if (rng_g >= 0) H5Gclose(rng_g);
        if (nets_g >= 0) H5Gclose(nets_g);
        H5Fclose(f);
        return code;
    }
}

/* Make the rename itself durable (POSIX: fsync the directory). Best effort: some file
 * systems refuse fsync on directories, and the file's data are already synced. */
static void sync_parent_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int gr_checkpoint_save(const char *path, uint64_t step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    GR_TRY(check_args("gr_checkpoint_save", path, nets, n_nets, rngs, n_rngs, err));
    gr_h5_quiet();
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) return GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory", path);
    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
    int st = write_file(tmp, path, step, nets, n_nets, rngs, n_rngs, err);
    if (st == GR_OK) {
        /* Data on disk before the rename makes it visible: a crash after rename must not
         * expose a file whose blocks were never written. */
        int fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            st = GR_ERROR(err, GR_EIO, "checkpoint %s: syncing %s: %s", path, tmp, strerror(errno));
        if (fd >= 0) close(fd);
    }
    if (st == GR_OK && rename(tmp, path) != 0)
        st = GR_ERROR(err, GR_EIO, "checkpoint %s: renaming %s: %s", path, tmp, strerror(errno));
    if (st != GR_OK) remove(tmp);
    if (st == GR_OK) sync_parent_dir(path);
    free(tmp);
    return st;
}

/* ---- reading helpers ------------------------------------------------------------------------ */

/* Read a scalar attribute (one element) converted to mem_type, after checking its class. */
static int attr_read(hid_t loc, const char *obj, const char *name, H5T_class_t cls, hid_t mem_type,
                     void *out, const char *path, gr_error *err) {
    if (H5Aexists(loc, name) <= 0)
        return H5_FORMAT_ERROR(err, "%s: %s has no attribute \"%s\"", path, obj, name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return H5_FORMAT_ERROR(err, "%s: opening attribute %s of %s", path, name, obj);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    int st = GR_OK;
    if (t < 0 || sp < 0 || H5Tget_class(t) != cls || H5Sget_simple_extent_npoints(sp) != 1)
        st = H5_FORMAT_ERROR(err, "%s: attribute %s of %s is not a single %s", path, name, obj,
                             cls == H5T_INTEGER ? "integer" : "floating-point number");
    else if (H5Aread(a, mem_type, out) < 0)
        st = H5_FORMAT_ERROR(err, "%s: reading attribute %s of %s", path, name, obj);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

/* Read a string attribute (fixed or variable length) into a new malloc'd string. */
static int attr_read_str(hid_t loc, const char *obj, const char *name, char **out, const char *path,
                         gr_error *err) {
    *out = NULL;
    if (H5Aexists(loc, name) <= 0)
        return H5_FORMAT_ERROR(err, "%s: %s has no attribute \"%s\"", path, obj, name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return H5_FORMAT_ERROR(err, "%s: opening attribute %s of %s", path, name, obj);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    hid_t mt = -1;
    int st = GR_OK;
    if (t < 0 || sp < 0 || H5Tget_class(t) != H5T_STRING || H5Sget_simple_extent_npoints(sp) != 1) {
        st = H5_FORMAT_ERROR(err, "%s: attribute %s of %s is not a single string", path, name, obj);
    } else if (H5Tis_variable_str(t) > 0) {
        char *v = NULL;
        mt = H5Tcopy(H5T_C_S1);
        if (mt < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Aread(a, mt, &v) < 0 || !v) {
            st = H5_FORMAT_ERROR(err, "%s: reading attribute %s of %s", path, name, obj);
        } else {
            *out = strdup(v);
            H5free_memory(v);
            if (!*out) st = GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
        }
    } else {
        size_t sz = H5Tget_size(t);
        char *v = calloc(sz + 1, 1);
        mt = H5Tcopy(t);
        if (!v) {
            st = GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
        } else if (mt < 0 || H5Aread(a, mt, v) < 0) {
            st = H5_FORMAT_ERROR(err, "%s: reading attribute %s of %s", path, name, obj);
            free(v);
        } else {
            *out = v; /* calloc'd one byte longer: NUL-terminated even if space-padded */
        }
    }
    if (mt >= 0) H5Tclose(mt);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

/* Does loc have a link `name`? (Absent is GR_EMISMATCH for the caller to word.) */
static int has_link(hid_t loc, const char *name) { return H5Lexists(loc, name, H5P_DEFAULT) > 0; }

/* Read a 1-D dataset of exactly n elements of class cls and element size esize into out. */
static int dset_read(hid_t loc, const char *name, const char *obj, H5T_class_t cls, size_t esize,
                     hid_t mem_type, size_t n, void *out, const char *path, gr_error *err) {
    if (!has_link(loc, name))
        return GR_ERROR(err, GR_EFORMAT, "%s: %s is missing dataset \"%s\"", path, obj, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return H5_FORMAT_ERROR(err, "%s: opening %s/%s", path, obj, name);
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    int st = GR_OK;
    hssize_t np = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (t < 0 || sp < 0 || H5Tget_class(t) != cls || H5Tget_size(t) != esize ||
        H5Sget_simple_extent_ndims(sp) != 1) {
        st = H5_FORMAT_ERROR(err, "%s: %s/%s is not a 1-D array of %zu-byte %s", path, obj, name,
                             esize, cls == H5T_INTEGER ? "integers" : "floats");
    } else if (np < 0 || (size_t)np != n) {
        st = GR_ERROR(err, GR_EMISMATCH, "%s: %s/%s has %lld elements, %zu expected", path, obj,
                      name, (long long)np, n);
    } else if (H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
        st = H5_FORMAT_ERROR(err, "%s: %s/%s is corrupt (checksum or read error)", path, obj, name);
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    return st;
}

/* Compare a stored optimizer config to the caller's, field by field (exact: a resumed run
 * must continue with the very same update rule). */
static int compare_optim(hid_t og, const char *obj, const gr_optim_config *want, uint64_t *step,
                         const char *path, gr_error *err) {
    char *kind_s = NULL;
    GR_TRY(attr_read_str(og, obj, "kind", &kind_s, path, err));
    gr_optim_kind kind;
    int st = gr_optim_kind_parse(&kind, kind_s, NULL);
    if (st != GR_OK) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: %s: unknown optimizer kind \"%s\"", path, obj, kind_s);
    } else if (kind != want->kind) {
        st = GR_ERROR(err, GR_EMISMATCH, "%s: %s: optimizer \"%s\" in the file, \"%s\" expected",
                      path, obj, kind_s, gr_optim_kind_name(want->kind));
    }
    free(kind_s);
    if (st != GR_OK) return st;
    struct {
        const char *name;
        double want;
    } f64[] = {{"lr", want->lr},
               {"weight_decay", want->weight_decay},
               {"momentum", want->momentum},
               {"dampening", want->dampening},
               {"alpha", want->alpha},
               {"beta1", want->beta1},
               {"beta2", want->beta2},
               {"eps", want->eps}};
    for (size_t i = 0; i < sizeof f64 / sizeof f64[0]; i++) {
        double v;
        GR_TRY(attr_read(og, obj, f64[i].name, H5T_FLOAT, H5T_NATIVE_DOUBLE, &v, path, err));
        if (!(v == f64[i].want))
            return GR_ERROR(err, GR_EMISMATCH, "%s: %s: %s = %.17g in the file, %.17g expected",
                            path, obj, f64[i].name, v, f64[i].want);
    }
    struct {
        const char *name;
        int want;
    } i32[] = {{"nesterov", want->nesterov}, {"centered", want->centered}};
    for (size_t i = 0; i < 2; i++) {
        int v;
        GR_TRY(attr_read(og, obj, i32[i].name, H5T_INTEGER, H5T_NATIVE_INT, &v, path, err));
        if (v != i32[i].want)
            return GR_ERROR(err, GR_EMISMATCH, "%s: %s: %s = %d in the file, %d expected", path,
                            obj, i32[i].name, v, i32[i].want);
    }
    return attr_read(og, obj, "step", H5T_INTEGER, H5T_NATIVE_UINT64, step, path, err);
}

/* Phase 1 for one net: check and read params (+ optimizer slots) into scratch. */
static int read_net(hid_t nets_g, const gr_checkpoint_net *t, float *scratch, uint64_t *opt_step,
                    const char *path, gr_error *err) {
    char obj[NAME_MAX_LEN + 32];
    snprintf(obj, sizeof obj, "net \"%s\"", t->name);
    if (!has_link(nets_g, t->name))
        return GR_ERROR(err, GR_EMISMATCH, "%s: no net \"%s\" in the checkpoint", path, t->name);
    hid_t g = H5Gopen2(nets_g, t->name, H5P_DEFAULT);
    if (g < 0) return H5_FORMAT_ERROR(err, "%s: opening %s", path, obj);
    char *arch = NULL;
    uint64_t np = 0;
    int st = attr_read_str(g, obj, "arch", &arch, path, err);
    if (st == GR_OK && strcmp(arch, t->arch) != 0)
        st = GR_ERROR(err, GR_EMISMATCH, "%s: %s: architecture \"%s\" in the file, \"%s\" expected",
                      path, obj, arch, t->arch);
    free(arch);
    if (st == GR_OK)
        st = attr_read(g, obj, "n_params", H5T_INTEGER, H5T_NATIVE_UINT64, &np, path, err);
    if (st == GR_OK && np != (uint64_t)t->n_params)
        st = GR_ERROR(err, GR_EMISMATCH, "%s: %s: %llu parameters in the file, %zu expected", path,
                      obj, (unsigned long long)np, t->n_params);
    if (st == GR_OK)
        st = dset_read(g, "params", obj, H5T_FLOAT, 4, H5T_NATIVE_FLOAT, t->n_params, scratch, path,
                       err);
    if (st == GR_OK && t->optim) {
        if (!has_link(g, "optim")) {
            st = GR_ERROR(err, GR_EMISMATCH, "%s: %s has no optimizer state", path, obj);
        } else {
            hid_t og = H5Gopen2(g, "optim", H5P_DEFAULT);
            char oobj[NAME_MAX_LEN + 48];
            snprintf(oobj, sizeof oobj, "net \"%s\" optimizer", t->name);
            if (og < 0) {
                st = H5_FORMAT_ERROR(err, "%s: opening %s", path, oobj);
            } else {
                st = compare_optim(og, oobj, gr_optim_config_get(t->optim), opt_step, path, err);
                size_t n = t->n_params;
                for (size_t s = 0; st == GR_OK && s < gr_optim_n_slots(t->optim); s++)
                    st = dset_read(og, gr_optim_slot_name(t->optim, s), oobj, H5T_FLOAT, 4,
                                   H5T_NATIVE_FLOAT, n, scratch + (s + 1) * n, path, err);
                H5Gclose(og);
            }
        }
    }
    H5Gclose(g);
    return st;
}

/* Phase 1 for one RNG: read its bytes and check them by loading into a clone. */
static int read_rng(hid_t rng_g, const gr_checkpoint_rng *r, unsigned char *scratch,
                    const char *path, gr_error *err) {
    char obj[NAME_MAX_LEN + 32];
    snprintf(obj, sizeof obj, "rng \"%s\"", r->name);
    if (rng_g < 0 || !has_link(rng_g, r->name))
        return GR_ERROR(err, GR_EMISMATCH, "%s: no rng \"%s\" in the checkpoint", path, r->name);
    size_t sz = gr_rng_state_size(r->rng);
    hid_t d = H5Dopen2(rng_g, r->name, H5P_DEFAULT);
    if (d < 0) return H5_FORMAT_ERROR(err, "%s: opening %s", path, obj);
    char *type = NULL;
    int st = attr_read_str(d, obj, "type", &type, path, err);
    H5Dclose(d);
    if (st != GR_OK) return st;
    if (strcmp(type, gsl_rng_name(r->rng)) != 0) {
        st = GR_ERROR(err, GR_EMISMATCH, "%s: %s: generator \"%s\" in the file, \"%s\" expected",
                      path, obj, type, gsl_rng_name(r->rng));
        free(type);
        return st;
    }
    free(type);
    GR_TRY(dset_read(rng_g, r->name, "/rng", H5T_INTEGER, 1, H5T_NATIVE_UCHAR, sz, scratch, path,
                     err));
    gr_gsl_quiet_enter(); /* gsl_rng_clone calls GSL's handler when out of memory */
    gsl_rng *probe = gsl_rng_clone(r->rng);
    gr_gsl_quiet_leave();
    if (!probe) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    st = gr_rng_state_load(probe, scratch, sz, err);
    gsl_rng_free(probe);
    if (st != GR_OK) return gr_error_prefix(err, GR_EFORMAT, "%s: %s: ", path, obj);
    return GR_OK;
}

static int check_header(hid_t f, uint64_t *step, const char *path, gr_error *err) {
    char *fmt = NULL;
    if (H5Aexists(f, "format") <= 0)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s is not a ganrepro checkpoint (no \"format\" attribute on /)", path);
    GR_TRY(attr_read_str(f, "the root group", "format", &fmt, path, err));
    if (strcmp(fmt, GR_CHECKPOINT_FORMAT) != 0) {
        int st = GR_ERROR(err, GR_EFORMAT, "%s: format \"%s\", expected \"%s\"", path, fmt,
                          GR_CHECKPOINT_FORMAT);
        free(fmt);
        return st;
    }
    free(fmt);
    int version = 0;
    GR_TRY(attr_read(f, "the root group", "format_version", H5T_INTEGER, H5T_NATIVE_INT, &version,
                     path, err));
    if (version != GR_CHECKPOINT_VERSION)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: format_version %d is not supported (this build reads version %d)",
                        path, version, GR_CHECKPOINT_VERSION);
    return attr_read(f, "the root group", "step", H5T_INTEGER, H5T_NATIVE_UINT64, step, path, err);
}

int gr_checkpoint_load(const char *path, uint64_t *step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    GR_TRY(check_args("gr_checkpoint_load", path, nets, n_nets, rngs, n_rngs, err));
    gr_h5_quiet();
    FILE *probe = fopen(path, "rb");
    if (!probe) return GR_ERROR(err, GR_EIO, "checkpoint %s: %s", path, strerror(errno));
    fclose(probe);

    /* Scratch: per net params + slots, per rng its bytes; offsets in the same order. */
    size_t n_floats = 0, n_bytes = 0;
    for (size_t i = 0; i < n_nets; i++)
        n_floats += nets[i].n_params * (1 + gr_optim_n_slots(nets[i].optim));
    for (size_t i = 0; i < n_rngs; i++)
        n_bytes += gr_rng_state_size(rngs[i].rng);
    float *sf = malloc(n_floats * sizeof(float));
    unsigned char *sb = n_bytes ? malloc(n_bytes) : NULL;
    uint64_t *opt_steps = calloc(n_nets, sizeof *opt_steps);
    if (!sf || (n_bytes && !sb) || !opt_steps) {
        free(sf);
        free(sb);
        free(opt_steps);
        return GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory for %zu floats", path,
                        n_floats);
    }

    int st = GR_OK;
    uint64_t file_step = 0;
    hid_t nets_g = -1, rng_g = -1;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        st = H5_FORMAT_ERROR(err, "%s is not a readable HDF5 file (corrupt or truncated?)", path);
        goto done;
    }
    if ((st = check_header(f, &file_step, path, err)) != GR_OK) goto done;
    if (!has_link(f, "nets")) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: no /nets group", path);
        goto done;
    }
    if ((nets_g = H5Gopen2(f, "nets", H5P_DEFAULT)) < 0) {
        st = H5_FORMAT_ERROR(err, "%s: opening /nets", path);
        goto done;
    }
    if (has_link(f, "rng") && (rng_g = H5Gopen2(f, "rng", H5P_DEFAULT)) < 0) {
        st = H5_FORMAT_ERROR(err, "%s: opening /rng", path);
        goto done;
    }
    size_t of = 0, ob = 0;
    for (size_t i = 0; i < n_nets && st == GR_OK; i++) {
        st = read_net(nets_g, &nets[i], sf + of, &opt_steps[i], path, err);
        of += nets[i].n_params * (1 + gr_optim_n_slots(nets[i].optim));
    }
    for (size_t i = 0; i < n_rngs && st == GR_OK; i++) {
        st = read_rng(rng_g, &rngs[i], sb + ob, path, err);
        ob += gr_rng_state_size(rngs[i].rng);
    }
    if (st != GR_OK) goto done;

    /* Phase 2: everything checked; commit. */
    of = ob = 0;
    for (size_t i = 0; i < n_nets; i++) {
        size_t n = nets[i].n_params, slots = gr_optim_n_slots(nets[i].optim);
        memcpy(nets[i].params, sf + of, n * sizeof(float));
        if (nets[i].optim) {
            if (slots)
                memcpy(gr_optim_state(nets[i].optim), sf + of + n, slots * n * sizeof(float));
            gr_optim_set_step_count(nets[i].optim, opt_steps[i]);
        }
        of += n * (1 + slots);
    }
    for (size_t i = 0; i < n_rngs && st == GR_OK; i++) {
        size_t sz = gr_rng_state_size(rngs[i].rng);
        st = gr_rng_state_load(rngs[i].rng, sb + ob, sz, err); /* validated above */
        ob += sz;
    }
    if (st == GR_OK && step) *step = file_step;
done:
    if (rng_g >= 0) H5Gclose(rng_g);
    if (nets_g >= 0) H5Gclose(nets_g);
    if (f >= 0) H5Fclose(f);
    free(sf);
    free(sb);
    free(opt_steps);
    return st;
}
