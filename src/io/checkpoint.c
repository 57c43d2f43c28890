/* io/checkpoint.c — HDF5 checkpoints: atomic save, all-or-nothing verified load (see
 * checkpoint.h for the file layout, the checksum and the contract).
 *
 * Structure: the canonical serialization that the SHA-256 checksums hash (one function per
 * kind of object, used by both save and load, so the two cannot drift); small helpers that
 * open, use and close their own HDF5 handles (so no error path leaks an id); a save that
 * removes stale temporaries, writes everything into its own temporary file and renames it;
 * and a load in two phases: read + check + verify into temporaries, then commit.
 */
#include "io/checkpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rng.h"
#include "core/version.h"
#include "io/h5.h"
#include "io/sha256.h"

#define NAME_MAX_LEN 63
#define STR_MAX      4096 /* bytes, NUL included: the longest string attribute read or written */
#define SUM_PREFIX   "sha256:"
#define SUM_LEN      (sizeof SUM_PREFIX - 1 + 2 * GR_SHA256_BYTES) /* 71 characters */
#define HOST_MAX     64

/* HDF5 failure that means "this file is damaged or not ours", not "cannot do I/O". */
#define H5_FORMAT_ERROR(err, ...)                                                                  \
    gr_h5_error_set((err), GR_EFORMAT, __FILE__, __LINE__, __VA_ARGS__)

/* a * b into *out; 0 if it overflows size_t. (Local until core/mem.h's gr_size_mul lands.) */
static int size_mul(size_t a, size_t b, size_t *out) { return !__builtin_mul_overflow(a, b, out); }
static int size_add(size_t a, size_t b, size_t *out) { return !__builtin_add_overflow(a, b, out); }

/* ---- canonical serialization (what the checksums cover) -----------------------------------
 * A digest is SHA-256 over a sequence of fields; each field is its name, a NUL byte, the
 * value's length in bytes as a little-endian uint64, then the value: strings as their bytes
 * (no NUL), integers as little-endian uint64 (signed ones two's complement), doubles and
 * floats as their IEEE-754 bits in little-endian order, RNG states as their bytes. The
 * length prefixes make the sequence unambiguous. Every digest starts with the fields
 * format, format_version and object (the kind of object), so a digest of one kind can never
 * verify another. */

static void put_u64le(unsigned char b[8], uint64_t v) {
    for (size_t i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static void dg_head(gr_sha256 *h, const char *name, uint64_t len) {
    unsigned char b[8];
    put_u64le(b, len);
    gr_sha256_update(h, name, strlen(name) + 1);
    gr_sha256_update(h, b, 8);
}

static void dg_str(gr_sha256 *h, const char *name, const char *s) {
    size_t n = strlen(s);
    dg_head(h, name, n);
    gr_sha256_update(h, s, n);
}

static void dg_u64(gr_sha256 *h, const char *name, uint64_t v) {
    unsigned char b[8];
    put_u64le(b, v);
    dg_head(h, name, 8);
    gr_sha256_update(h, b, 8);
}

static void dg_f64(gr_sha256 *h, const char *name, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    dg_u64(h, name, u);
}

/* n floats, n * 4 already known not to overflow (the caller allocated them). */
static void dg_f32s(gr_sha256 *h, const char *name, const float *x, size_t n) {
    unsigned char b[1024];
    dg_head(h, name, (uint64_t)n * 4u);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < sizeof b / 4 && i < n; k++, i++) {
            uint32_t u;
            memcpy(&u, &x[i], sizeof u);
            for (size_t j = 0; j < 4; j++)
                b[4 * k + j] = (unsigned char)(u >> (8 * j));
        }
        gr_sha256_update(h, b, 4 * k);
    }
}

static void dg_begin(gr_sha256 *h, const char *object) {
    gr_sha256_init(h);
    dg_str(h, "format", GR_CHECKPOINT_FORMAT);
    dg_u64(h, "format_version", GR_CHECKPOINT_VERSION);
    dg_str(h, "object", object);
}

/* "sha256:" and 64 lower-case hex digits, NUL-terminated. */
static void dg_end(gr_sha256 *h, char out[SUM_LEN + 1]) {
    unsigned char d[GR_SHA256_BYTES];
    gr_sha256_final(h, d);
    static const char hex[] = "0123456789abcdef";
    memcpy(out, SUM_PREFIX, sizeof SUM_PREFIX - 1);
    char *p = out + sizeof SUM_PREFIX - 1;
    for (size_t i = 0; i < GR_SHA256_BYTES; i++) {
        *p++ = hex[d[i] >> 4];
        *p++ = hex[d[i] & 15];
    }
    *p = '\0';
}

typedef struct provenance {
    const char *code_version, *git_commit, *build_type;
} provenance;

static void root_digest(uint64_t step, const provenance *pv, char out[SUM_LEN + 1]) {
    gr_sha256 h;
    dg_begin(&h, "root");
    dg_u64(&h, "step", step);
    dg_str(&h, "code_version", pv->code_version);
    dg_str(&h, "git_commit", pv->git_commit);
    dg_str(&h, "build_type", pv->build_type);
    dg_end(&h, out);
}

static void net_digest(const char *name, const char *arch, const float *params, size_t n,
                       char out[SUM_LEN + 1]) {
    gr_sha256 h;
    dg_begin(&h, "net");
    dg_str(&h, "name", name);
    dg_str(&h, "arch", arch);
    dg_u64(&h, "n_params", (uint64_t)n);
    dg_f32s(&h, "params", params, n);
    dg_end(&h, out);
}

/* The optimizer's stored attributes, in the order they are written and hashed. */
#define N_OPT_F64 8
static const char *const OPT_F64_NAMES[N_OPT_F64] = {
    "lr", "weight_decay", "momentum", "dampening", "alpha", "beta1", "beta2", "eps"};
static double *opt_f64(gr_optim_config *c, size_t i) {
    double *f[N_OPT_F64] = {&c->lr,    &c->weight_decay, &c->momentum, &c->dampening,
                            &c->alpha, &c->beta1,        &c->beta2,    &c->eps};
    return f[i];
}
#define N_OPT_I32 2
static const char *const OPT_I32_NAMES[N_OPT_I32] = {"nesterov", "centered"};
static int *opt_i32(gr_optim_config *c, size_t i) { return i == 0 ? &c->nesterov : &c->centered; }

/* state: gr_optim_config_n_slots(c) slots of n floats, in gr_optim_config_slot_name order. */
static void optim_digest(const char *net_name, const gr_optim_config *c, uint64_t step,
                         const float *state, size_t n, char out[SUM_LEN + 1]) {
    gr_optim_config cc = *c;
    gr_sha256 h;
    dg_begin(&h, "optim");
    dg_str(&h, "net", net_name);
    dg_str(&h, "kind", gr_optim_kind_name(c->kind));
    for (size_t i = 0; i < N_OPT_F64; i++)
        dg_f64(&h, OPT_F64_NAMES[i], *opt_f64(&cc, i));
    for (size_t i = 0; i < N_OPT_I32; i++)
        dg_u64(&h, OPT_I32_NAMES[i], (uint64_t)(int64_t)*opt_i32(&cc, i));
    dg_u64(&h, "step", step);
    for (size_t s = 0; s < gr_optim_config_n_slots(c); s++)
        dg_f32s(&h, gr_optim_config_slot_name(c, s), state + s * n, n);
    dg_end(&h, out);
}

static void rng_digest(const char *name, const char *type, const unsigned char *state, size_t sz,
                       char out[SUM_LEN + 1]) {
    gr_sha256 h;
    dg_begin(&h, "rng");
    dg_str(&h, "name", name);
    dg_str(&h, "type", type);
    dg_head(&h, "state", sz);
    gr_sha256_update(&h, state, sz);
    dg_end(&h, out);
}

/* ---- arguments ------------------------------------------------------------------------------- */

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
        size_t bytes;
        if (!name_ok(t->name))
            return GR_ERROR(err, GR_EINVAL,
                            "%s %s: net %zu name \"%s\" must be 1..%d characters of "
                            "[A-Za-z0-9_.-]",
                            fn, path, i, t->name ? t->name : "(null)", NAME_MAX_LEN);
        if (!t->arch || strlen(t->arch) >= STR_MAX)
            return GR_ERROR(err, GR_EINVAL,
                            "%s %s: net \"%s\": architecture string is %s (at most %d characters)",
                            fn, path, t->name, t->arch ? "too long" : "NULL", STR_MAX - 1);
        if (!t->params || t->n_params == 0)
            return GR_ERROR(err, GR_EINVAL, "%s %s: net \"%s\": %s", fn, path, t->name,
                            !t->params ? "params is NULL" : "n_params = 0");
        /* every buffer of n_params floats, times the most slots an optimizer has (3), must be
         * addressable: the loader allocates that much */
        if (!size_mul(t->n_params, 4 * sizeof(float), &bytes))
            return GR_ERROR(err, GR_EINVAL, "%s %s: net \"%s\": n_params = %zu is too large", fn,
                            path, t->name, t->n_params);
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
    if (H5Tset_size(t, strlen(value) + 1) >= 0 && H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0 &&
        H5Tset_cset(t, H5T_CSET_ASCII) >= 0)
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

/* 1-D contiguous dataset (HDF5's default layout: no chunk index, no filters), no time
 * stamps. The data are covered by the object's SHA-256 checksum, not by an HDF5 filter. */
static hid_t dset_write(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, size_t n,
                        const void *data) {
    hsize_t dim = (hsize_t)n;
    hid_t dcpl = gr_h5_dcpl();
    if (dcpl < 0) return -1;
    hid_t sp = -1, d = -1;
    int ok = 0;
    if (H5Pset_layout(dcpl, H5D_CONTIGUOUS) < 0) goto done;
    if ((sp = H5Screate_simple(1, &dim, NULL)) < 0) goto done;
    if ((d = H5Dcreate2(loc, name, file_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0) goto done;
    if (H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) goto done;
    ok = 1;
done:
    if (!ok && d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    if (sp >= 0) H5Sclose(sp);
    H5Pclose(dcpl);
    return d; /* open: the caller adds attributes, then closes it */
}

static int dset_write_closed(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, size_t n,
                             const void *data) {
    hid_t d = dset_write(loc, name, file_type, mem_type, n, data);
    if (d < 0) return -1;
    return H5Dclose(d) < 0 ? -1 : 0;
}

static hid_t group_create(hid_t loc, const char *name) {
    hid_t gcpl = gr_h5_gcpl();
    if (gcpl < 0) return -1;
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static int write_optim(hid_t net_group, const char *net_name, const gr_optim *opt) {
    gr_optim_config c = *gr_optim_config_get(opt);
    size_t n = gr_optim_n_params(opt);
    uint64_t step = gr_optim_step_count(opt);
    const float *state = gr_optim_state_const(opt);
    char sum[SUM_LEN + 1];
    optim_digest(net_name, &c, step, state, n, sum);
    hid_t g = group_create(net_group, "optim");
    if (g < 0) return -1;
    int st = -1;
    if (attr_write_str(g, "kind", gr_optim_kind_name(c.kind)) < 0) goto done;
    for (size_t i = 0; i < N_OPT_F64; i++)
        if (attr_write_f64(g, OPT_F64_NAMES[i], *opt_f64(&c, i)) < 0) goto done;
    for (size_t i = 0; i < N_OPT_I32; i++)
        if (attr_write_i32(g, OPT_I32_NAMES[i], *opt_i32(&c, i)) < 0) goto done;
    if (attr_write_u64(g, "step", step) < 0 || attr_write_str(g, "checksum", sum) < 0) goto done;
    for (size_t s = 0; s < gr_optim_n_slots(opt); s++)
        if (dset_write_closed(g, gr_optim_slot_name(opt, s), H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, n,
                              state + s * n) < 0)
            goto done;
    st = 0;
done:
    H5Gclose(g);
    return st;
}

static provenance this_build(void) {
    provenance pv = {gr_version(), gr_git_commit(), gr_build_type()};
    return pv;
}

/* Write the whole file at `tmp`. On failure the caller removes it. */
static int write_file(const char *tmp, const char *path, uint64_t step,
                      const gr_checkpoint_net *nets, size_t n_nets, const gr_checkpoint_rng *rngs,
                      size_t n_rngs, gr_error *err) {
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = -1;
    /* HDF5 1.8 object formats: superblock v2 and object headers v2 carry checksums, so
     * damaged metadata is refused by HDF5 itself before it is interpreted (the 1.6 formats
     * that HDF5 writes by default have none). Root group: no time stamps (best effort). */
    if (fcpl >= 0 && fapl >= 0 && H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0) {
        H5Pset_obj_track_times(fcpl, 0);
        f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
    }
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    if (f < 0) return GR_H5_ERROR(err, "checkpoint %s: cannot create temporary file %s", path, tmp);
    const char *what = "root attributes";
    hid_t nets_g = -1, rng_g = -1, g = -1;
    unsigned char *buf = NULL;
    char sum[SUM_LEN + 1];
    provenance pv = this_build();
    root_digest(step, &pv, sum);
    if (attr_write_str(f, "format", GR_CHECKPOINT_FORMAT) < 0 ||
        attr_write_i32(f, "format_version", GR_CHECKPOINT_VERSION) < 0 ||
        attr_write_u64(f, "step", step) < 0 ||
        attr_write_str(f, "code_version", pv.code_version) < 0 ||
        attr_write_str(f, "git_commit", pv.git_commit) < 0 ||
        attr_write_str(f, "build_type", pv.build_type) < 0 ||
        attr_write_str(f, "checksum", sum) < 0)
        goto fail;
    what = "/nets";
    if ((nets_g = group_create(f, "nets")) < 0) goto fail;
    for (size_t i = 0; i < n_nets; i++) {
        what = nets[i].name;
        net_digest(nets[i].name, nets[i].arch, nets[i].params, nets[i].n_params, sum);
        if ((g = group_create(nets_g, nets[i].name)) < 0) goto fail;
        if (attr_write_str(g, "arch", nets[i].arch) < 0 ||
            attr_write_u64(g, "n_params", (uint64_t)nets[i].n_params) < 0 ||
            attr_write_str(g, "checksum", sum) < 0 ||
            dset_write_closed(g, "params", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, nets[i].n_params,
                              nets[i].params) < 0)
            goto fail;
        if (nets[i].optim && write_optim(g, nets[i].name, nets[i].optim) < 0) goto fail;
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
            if (st == GR_OK) {        /* never write a state the loader would refuse */
                gr_gsl_quiet_enter(); /* gsl_rng_clone calls GSL's handler when out of memory */
                gsl_rng *probe = gsl_rng_clone(rngs[i].rng);
                gr_gsl_quiet_leave();
                st = probe ? gr_rng_state_load(probe, buf, sz, err)
                           : GR_ERROR(err, GR_ENOMEM, "out of memory");
                if (st == GR_EFORMAT) {
                    st = GR_EINVAL;
                    if (err) err->status = GR_EINVAL;
                }
                gsl_rng_free(probe);
            }
            if (st != GR_OK) {
                free(buf);
                H5Gclose(rng_g);
                H5Gclose(nets_g);
                H5Fclose(f);
                return gr_error_prefix(err, st, "checkpoint %s: rng \"%s\": ", path, rngs[i].name);
            }
            rng_digest(rngs[i].name, gsl_rng_name(rngs[i].rng), buf, sz, sum);
            hid_t d = dset_write(rng_g, rngs[i].name, H5T_STD_U8LE, H5T_NATIVE_UCHAR, sz, buf);
            free(buf);
            buf = NULL;
            int ast = d < 0 ? -1 : attr_write_str(d, "type", gsl_rng_name(rngs[i].rng));
            if (ast == 0) ast = attr_write_str(d, "checksum", sum);
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

/* ---- temporary files ---------------------------------------------------------------------- */

/* This machine's name as it appears in temporary names: [A-Za-z0-9-] (others become '_'),
 * at most HOST_MAX characters, "localhost" if unknown. */
static void host_tag(char out[HOST_MAX + 1]) {
    char h[256];
    if (gethostname(h, sizeof h) != 0 || !h[0]) snprintf(h, sizeof h, "localhost");
    h[sizeof h - 1] = '\0';
    size_t i = 0;
    for (; h[i] && i < HOST_MAX; i++) {
        char c = h[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

/* Remove "<path>.tmp.<this host>.<pid>" files whose process no longer exists (kill(pid, 0)
 * fails with ESRCH): what a save killed before its rename leaves. Files of live processes
 * (a concurrent save), of other hosts (a shared file system: their pids mean nothing here),
 * and anything that is not a regular file are left alone. Best effort: a directory that
 * cannot be read is skipped, the save goes on. */
static void remove_stale_tmps(const char *path, const char *host) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = slash ? (size_t)(slash - path) : 0;
    char *dir = slash ? strndup(path, dir_len == 0 ? 1 : dir_len) : strdup(".");
    size_t plen = strlen(base) + strlen(host) + 6;
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
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours */
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
    char host[HOST_MAX + 1];
    host_tag(host);
    remove_stale_tmps(path, host);
    size_t len = strlen(path) + strlen(host) + 32;
    char *tmp = malloc(len);
    if (!tmp) return GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory", path);
    snprintf(tmp, len, "%s.tmp.%s.%ld", path, host, (long)getpid());
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

/* ---- reading helpers: exact types, exact shapes, exact storage ------------------------------ */

typedef struct rd {
    const char *path;
    hsize_t file_size; /* bytes on disk: every dataset's data must lie inside */
    gr_error *err;
} rd;

/* 1: loc has a hard link `name`; 0: no such link; -1: a soft or external link (never written
 * by gr_checkpoint_save; an external link would open another file). */
static int link_kind(hid_t loc, const char *name) {
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return 0;
    H5L_info_t li;
    if (H5Lget_info(loc, name, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) return -1;
    return 1;
}

static hid_t group_open(const rd *r, hid_t loc, const char *name, const char *obj, int absent,
                        int *st) {
    int k = link_kind(loc, name);
    if (k == 0) {
        *st = GR_ERROR(r->err, absent, "%s: no %s in the checkpoint", r->path, obj);
        return -1;
    }
    if (k < 0) {
        *st = H5_FORMAT_ERROR(r->err, "%s: %s is not a plain (hard) link", r->path, obj);
        return -1;
    }
    hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
    if (g < 0) *st = H5_FORMAT_ERROR(r->err, "%s: opening %s", r->path, obj);
    return g;
}

/* One scalar attribute whose file type equals file_type exactly (H5Tequal), read as mem_type. */
static int attr_read(const rd *r, hid_t loc, const char *obj, const char *name, hid_t file_type,
                     hid_t mem_type, const char *what, void *out) {
    if (H5Aexists(loc, name) <= 0)
        return H5_FORMAT_ERROR(r->err, "%s: %s has no attribute \"%s\"", r->path, obj, name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return H5_FORMAT_ERROR(r->err, "%s: opening attribute %s of %s", r->path, name, obj);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    int st = GR_OK;
    if (t < 0 || sp < 0 || H5Tequal(t, file_type) <= 0 ||
        H5Sget_simple_extent_type(sp) != H5S_SCALAR)
        st = H5_FORMAT_ERROR(r->err, "%s: attribute %s of %s is not a single %s", r->path, name,
                             obj, what);
    else if (H5Aread(a, mem_type, out) < 0)
        st = H5_FORMAT_ERROR(r->err, "%s: reading attribute %s of %s", r->path, name, obj);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

/* A scalar fixed-length NUL-terminated ASCII string attribute of 1..STR_MAX bytes whose only
 * NUL is its last byte (exactly what attr_write_str writes), into a new malloc'd string. */
static int attr_read_str(const rd *r, hid_t loc, const char *obj, const char *name, char **out) {
    *out = NULL;
    if (H5Aexists(loc, name) <= 0)
        return H5_FORMAT_ERROR(r->err, "%s: %s has no attribute \"%s\"", r->path, obj, name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return H5_FORMAT_ERROR(r->err, "%s: opening attribute %s of %s", r->path, name, obj);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    size_t sz = t < 0 ? 0 : H5Tget_size(t);
    int st = GR_OK;
    char *v = NULL;
    if (t < 0 || sp < 0 || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) != 0 ||
        H5Tget_cset(t) != H5T_CSET_ASCII || H5Tget_strpad(t) != H5T_STR_NULLTERM || sz == 0 ||
        sz > STR_MAX || H5Sget_simple_extent_type(sp) != H5S_SCALAR) {
        st = H5_FORMAT_ERROR(r->err,
                             "%s: attribute %s of %s is not a single NUL-terminated ASCII "
                             "string of at most %d bytes",
                             r->path, name, obj, STR_MAX);
    } else if (!(v = calloc(sz, 1))) {
        st = GR_ERROR(r->err, GR_ENOMEM, "%s: out of memory", r->path);
    } else if (H5Aread(a, t, v) < 0) {
        st = H5_FORMAT_ERROR(r->err, "%s: reading attribute %s of %s", r->path, name, obj);
    } else if (v[sz - 1] != '\0' || strlen(v) != sz - 1) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: attribute %s of %s is not a NUL-terminated string",
                      r->path, name, obj);
    }
    if (st == GR_OK) {
        *out = v;
    } else {
        free(v);
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return st;
}

/* The dataset `name` of loc, exactly as dset_write makes it: file type equal to file_type,
 * 1-D, not extendible, n elements (count_status if not), contiguous, no filters, no external
 * storage, allocated, storage size n * esize, data inside the file; read into out. */
static int dset_read(const rd *r, hid_t loc, const char *name, const char *obj, hid_t file_type,
                     hid_t mem_type, size_t esize, const char *what, size_t n, int count_status,
                     void *out) {
    int k = link_kind(loc, name);
    if (k == 0)
        return GR_ERROR(r->err, GR_EFORMAT, "%s: %s has no dataset \"%s\"", r->path, obj, name);
    if (k < 0)
        return GR_ERROR(r->err, GR_EFORMAT, "%s: %s/%s is not a plain (hard) link", r->path, obj,
                        name);
    size_t bytes;
    if (!size_mul(n, esize, &bytes))
        return GR_ERROR(r->err, GR_EINVAL, "%s: %s/%s: %zu elements overflow", r->path, obj, name,
                        n);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return H5_FORMAT_ERROR(r->err, "%s: opening %s/%s", r->path, obj, name);
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d), dcpl = H5Dget_create_plist(d);
    hsize_t dim = 0, maxdim = 0;
    H5D_space_status_t status = H5D_SPACE_STATUS_ERROR;
    int st = GR_OK;
    if (t < 0 || H5Tequal(t, file_type) <= 0) {
        st = H5_FORMAT_ERROR(r->err, "%s: %s/%s is not an array of %s", r->path, obj, name, what);
    } else if (sp < 0 || H5Sget_simple_extent_type(sp) != H5S_SIMPLE ||
               H5Sget_simple_extent_ndims(sp) != 1 ||
               H5Sget_simple_extent_dims(sp, &dim, &maxdim) != 1) {
        st = H5_FORMAT_ERROR(r->err, "%s: %s/%s is not a 1-D array", r->path, obj, name);
    } else if (dim != (hsize_t)n) {
        st = GR_ERROR(r->err, count_status, "%s: %s/%s has %llu elements, %zu expected", r->path,
                      obj, name, (unsigned long long)dim, n);
    } else if (maxdim != dim) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: %s/%s is extendible", r->path, obj, name);
    } else if (dcpl < 0 || H5Pget_layout(dcpl) != H5D_CONTIGUOUS || H5Pget_nfilters(dcpl) != 0 ||
               H5Pget_external_count(dcpl) != 0) {
        st = H5_FORMAT_ERROR(r->err,
                             "%s: %s/%s is not stored contiguously in the file without filters "
                             "(as gr_checkpoint_save writes it)",
                             r->path, obj, name);
    } else if (H5Dget_space_status(d, &status) < 0 || status != H5D_SPACE_STATUS_ALLOCATED) {
        st = H5_FORMAT_ERROR(r->err, "%s: %s/%s has no data in the file", r->path, obj, name);
    } else if (H5Dget_storage_size(d) != (hsize_t)bytes) {
        st = H5_FORMAT_ERROR(r->err, "%s: %s/%s stores %llu bytes, %zu expected", r->path, obj,
                             name, (unsigned long long)H5Dget_storage_size(d), bytes);
    } else {
        haddr_t off = H5Dget_offset(d);
        if (off == HADDR_UNDEF || off > r->file_size || r->file_size - off < (hsize_t)bytes)
            st = H5_FORMAT_ERROR(r->err, "%s: %s/%s points outside the file", r->path, obj, name);
        else if (H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
            st = H5_FORMAT_ERROR(r->err, "%s: reading %s/%s", r->path, obj, name);
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    return st;
}

static int checksum_mismatch(const rd *r, const char *obj) {
    return GR_ERROR(r->err, GR_EFORMAT,
                    "%s: %s: the checksum does not match the contents (the file is damaged)",
                    r->path, obj);
}

/* Temporaries of one net: filled and verified in phase 1, copied to the caller in phase 2. */
typedef struct net_tmp {
    float *params; /* n_params */
    float *slots;  /* n_slots * n_params, or NULL */
    size_t n_slots;
    uint64_t opt_step;
} net_tmp;

/* Phase 1 for one optimizer: read the stored config, validate it, read its slots, verify the
 * checksum, and only then compare the config with the caller's. */
static int read_optim(const rd *r, hid_t g, const gr_checkpoint_net *t, net_tmp *tmp) {
    char obj[NAME_MAX_LEN + 48];
    snprintf(obj, sizeof obj, "net \"%s\" optimizer", t->name);
    int st = GR_OK;
    if (link_kind(g, "optim") == 0)
        return GR_ERROR(r->err, GR_EMISMATCH, "%s: net \"%s\" has no optimizer state", r->path,
                        t->name);
    hid_t og = group_open(r, g, "optim", obj, GR_EFORMAT, &st);
    if (og < 0) return st;
    char *kind_s = NULL, *sum = NULL;
    gr_optim_config c;
    memset(&c, 0, sizeof c);
    uint64_t step = 0;
    if ((st = attr_read_str(r, og, obj, "kind", &kind_s)) != GR_OK) goto done;
    if (gr_optim_kind_parse(&c.kind, kind_s, NULL) != GR_OK) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: %s: unknown optimizer kind \"%s\"", r->path, obj,
                      kind_s);
        goto done;
    }
    for (size_t i = 0; i < N_OPT_F64 && st == GR_OK; i++)
        st = attr_read(r, og, obj, OPT_F64_NAMES[i], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                       "little-endian float64", opt_f64(&c, i));
    for (size_t i = 0; i < N_OPT_I32 && st == GR_OK; i++)
        st = attr_read(r, og, obj, OPT_I32_NAMES[i], H5T_STD_I32LE, H5T_NATIVE_INT,
                       "little-endian int32", opt_i32(&c, i));
    if (st == GR_OK)
        st = attr_read(r, og, obj, "step", H5T_STD_U64LE, H5T_NATIVE_UINT64, "little-endian uint64",
                       &step);
    if (st == GR_OK) st = attr_read_str(r, og, obj, "checksum", &sum);
    if (st != GR_OK) goto done;
    gr_error verr;
    if (gr_optim_config_validate(&c, &verr) != GR_OK) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: %s: invalid settings in the file: %s", r->path, obj,
                      verr.msg);
        goto done;
    }
    size_t n = t->n_params, ns = gr_optim_config_n_slots(&c), bytes = 0;
    if (ns > 0) {
        if (!size_mul(ns, n, &bytes) || !size_mul(bytes, sizeof(float), &bytes)) {
            st = GR_ERROR(r->err, GR_EINVAL, "%s: %s: %zu slots of %zu floats overflow", r->path,
                          obj, ns, n);
            goto done;
        }
        if (!(tmp->slots = malloc(bytes))) {
            st = GR_ERROR(r->err, GR_ENOMEM, "%s: %s: out of memory for %zu bytes", r->path, obj,
                          bytes);
            goto done;
        }
    }
    for (size_t s = 0; s < ns && st == GR_OK; s++)
        st = dset_read(r, og, gr_optim_config_slot_name(&c, s), obj, H5T_IEEE_F32LE,
                       H5T_NATIVE_FLOAT, 4, "little-endian float32", n, GR_EFORMAT,
                       tmp->slots + s * n);
    if (st != GR_OK) goto done;
    char want_sum[SUM_LEN + 1];
    optim_digest(t->name, &c, step, tmp->slots, n, want_sum);
    if (strcmp(sum, want_sum) != 0) {
        st = checksum_mismatch(r, obj);
        goto done;
    }
    /* Verified: what differs now is a different run, not damage. Exact comparison: a resumed
     * run must continue with the very same update rule. */
    gr_optim_config want = *gr_optim_config_get(t->optim);
    if (c.kind != want.kind) {
        st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: optimizer \"%s\" in the file, \"%s\" expected",
                      r->path, obj, kind_s, gr_optim_kind_name(want.kind));
        goto done;
    }
    for (size_t i = 0; i < N_OPT_F64; i++)
        if (!(*opt_f64(&c, i) == *opt_f64(&want, i))) {
            st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %s = %.17g in the file, %.17g expected",
                          r->path, obj, OPT_F64_NAMES[i], *opt_f64(&c, i), *opt_f64(&want, i));
            goto done;
        }
    for (size_t i = 0; i < N_OPT_I32; i++)
        if (*opt_i32(&c, i) != *opt_i32(&want, i)) {
            st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %s = %d in the file, %d expected", r->path,
                          obj, OPT_I32_NAMES[i], *opt_i32(&c, i), *opt_i32(&want, i));
            goto done;
        }
    tmp->n_slots = ns;
    tmp->opt_step = step;
done:
    free(kind_s);
    free(sum);
    H5Gclose(og);
    return st;
}

/* Phase 1 for one net: params (+ optimizer) into tmp, checksum verified. */
static int read_net(const rd *r, hid_t nets_g, const gr_checkpoint_net *t, net_tmp *tmp) {
    char obj[NAME_MAX_LEN + 32];
    snprintf(obj, sizeof obj, "net \"%s\"", t->name);
    int st = GR_OK;
    hid_t g = group_open(r, nets_g, t->name, obj, GR_EMISMATCH, &st);
    if (g < 0) return st;
    char *arch = NULL, *sum = NULL;
    uint64_t np = 0;
    st = attr_read_str(r, g, obj, "arch", &arch);
    if (st == GR_OK)
        st = attr_read(r, g, obj, "n_params", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                       "little-endian uint64", &np);
    if (st == GR_OK) st = attr_read_str(r, g, obj, "checksum", &sum);
    /* Another size cannot be read into the caller's buffer, so it is refused unverified;
     * the architecture, if it differs too, says more than the count. */
    if (st == GR_OK && np != (uint64_t)t->n_params && strcmp(arch, t->arch) == 0)
        st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %llu parameters in the file, %zu expected",
                      r->path, obj, (unsigned long long)np, t->n_params);
    if (st == GR_OK && np != (uint64_t)t->n_params)
        st = GR_ERROR(r->err, GR_EMISMATCH,
                      "%s: %s: architecture \"%s\" in the file, \"%s\" expected", r->path, obj,
                      arch, t->arch);
    if (st == GR_OK)
        st = dset_read(r, g, "params", obj, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 4,
                       "little-endian float32", t->n_params, GR_EFORMAT, tmp->params);
    if (st == GR_OK) {
        char want_sum[SUM_LEN + 1];
        net_digest(t->name, arch, tmp->params, t->n_params, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, obj);
    }
    if (st == GR_OK && strcmp(arch, t->arch) != 0)
        st = GR_ERROR(r->err, GR_EMISMATCH,
                      "%s: %s: architecture \"%s\" in the file, \"%s\" expected", r->path, obj,
                      arch, t->arch);
    if (st == GR_OK && t->optim) st = read_optim(r, g, t, tmp);
    free(arch);
    free(sum);
    H5Gclose(g);
    return st;
}

/* Phase 1 for one RNG: read its bytes, verify the checksum, check the content by loading it
 * into a clone (which refuses impossible and degenerate states). */
static int read_rng(const rd *r, hid_t rng_g, const gr_checkpoint_rng *g, unsigned char *scratch) {
    char obj[NAME_MAX_LEN + 32];
    snprintf(obj, sizeof obj, "rng \"%s\"", g->name);
    int k = rng_g < 0 ? 0 : link_kind(rng_g, g->name);
    if (k == 0)
        return GR_ERROR(r->err, GR_EMISMATCH, "%s: no rng \"%s\" in the checkpoint", r->path,
                        g->name);
    if (k < 0)
        return GR_ERROR(r->err, GR_EFORMAT, "%s: %s is not a plain (hard) link", r->path, obj);
    size_t sz = gr_rng_state_size(g->rng);
    hid_t d = H5Dopen2(rng_g, g->name, H5P_DEFAULT);
    if (d < 0) return H5_FORMAT_ERROR(r->err, "%s: opening %s", r->path, obj);
    char *type = NULL, *sum = NULL;
    int st = attr_read_str(r, d, obj, "type", &type);
    if (st == GR_OK) st = attr_read_str(r, d, obj, "checksum", &sum);
    H5Dclose(d);
    if (st == GR_OK && strcmp(type, gsl_rng_name(g->rng)) != 0)
        st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: generator \"%s\" in the file, \"%s\" expected",
                      r->path, obj, type, gsl_rng_name(g->rng));
    if (st == GR_OK)
        st = dset_read(r, rng_g, g->name, "/rng", H5T_STD_U8LE, H5T_NATIVE_UCHAR, 1, "bytes", sz,
                       GR_EMISMATCH, scratch);
    if (st == GR_OK) {
        char want_sum[SUM_LEN + 1];
        rng_digest(g->name, type, scratch, sz, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, obj);
    }
    free(type);
    free(sum);
    if (st != GR_OK) return st;
    gr_gsl_quiet_enter(); /* gsl_rng_clone calls GSL's handler when out of memory */
    gsl_rng *probe = gsl_rng_clone(g->rng);
    gr_gsl_quiet_leave();
    if (!probe) return GR_ERROR(r->err, GR_ENOMEM, "%s: out of memory", r->path);
    st = gr_rng_state_load(probe, scratch, sz, r->err);
    gsl_rng_free(probe);
    if (st != GR_OK) return gr_error_prefix(r->err, GR_EFORMAT, "%s: %s: ", r->path, obj);
    return GR_OK;
}

static int check_header(const rd *r, hid_t f, uint64_t *step) {
    const char *root = "the root group";
    char *fmt = NULL, *sum = NULL;
    provenance pv = {NULL, NULL, NULL};
    char *pv_s[3] = {NULL, NULL, NULL};
    if (H5Aexists(f, "format") <= 0)
        return GR_ERROR(r->err, GR_EFORMAT,
                        "%s is not a ganrepro checkpoint (no \"format\" attribute on /)", r->path);
    GR_TRY(attr_read_str(r, f, root, "format", &fmt));
    if (strcmp(fmt, GR_CHECKPOINT_FORMAT) != 0) {
        int st = GR_ERROR(r->err, GR_EFORMAT, "%s: format \"%s\", expected \"%s\"", r->path, fmt,
                          GR_CHECKPOINT_FORMAT);
        free(fmt);
        return st;
    }
    free(fmt);
    int version = 0;
    GR_TRY(attr_read(r, f, root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT,
                     "little-endian int32", &version));
    if (version != GR_CHECKPOINT_VERSION)
        return GR_ERROR(r->err, GR_EFORMAT,
                        "%s: format_version %d is not supported (this build reads version %d%s)",
                        r->path, version, GR_CHECKPOINT_VERSION,
                        version == 1 ? "; version 1 files carry no checksum" : "");
    GR_TRY(attr_read(r, f, root, "step", H5T_STD_U64LE, H5T_NATIVE_UINT64, "little-endian uint64",
                     step));
    static const char *const pv_names[3] = {"code_version", "git_commit", "build_type"};
    int st = GR_OK;
    for (size_t i = 0; i < 3 && st == GR_OK; i++)
        st = attr_read_str(r, f, root, pv_names[i], &pv_s[i]);
    if (st == GR_OK) st = attr_read_str(r, f, root, "checksum", &sum);
    if (st == GR_OK) {
        char want_sum[SUM_LEN + 1];
        pv.code_version = pv_s[0];
        pv.git_commit = pv_s[1];
        pv.build_type = pv_s[2];
        root_digest(*step, &pv, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, root);
    }
    for (size_t i = 0; i < 3; i++)
        free(pv_s[i]);
    free(sum);
    return st;
}

int gr_checkpoint_load(const char *path, uint64_t *step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    GR_TRY(check_args("gr_checkpoint_load", path, nets, n_nets, rngs, n_rngs, err));
    gr_h5_quiet();
    FILE *probe = fopen(path, "rb");
    if (!probe) return GR_ERROR(err, GR_EIO, "checkpoint %s: %s", path, strerror(errno));
    fclose(probe);

    /* Temporaries, sized by the caller (never by the file): per net its params (optimizer
     * slots are allocated once the file's optimizer is known), all RNG states in one block. */
    int st = GR_OK;
    size_t n_bytes = 0;
    for (size_t i = 0; i < n_rngs; i++)
        if (!size_add(n_bytes, gr_rng_state_size(rngs[i].rng), &n_bytes))
            return GR_ERROR(err, GR_EINVAL, "checkpoint %s: RNG states overflow", path);
    net_tmp *nt = calloc(n_nets, sizeof *nt);
    unsigned char *sb = n_bytes ? malloc(n_bytes) : NULL;
    if (!nt || (n_bytes && !sb)) {
        st = GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory", path);
        goto done_mem;
    }
    for (size_t i = 0; i < n_nets; i++)
        if (!(nt[i].params = malloc(nets[i].n_params * sizeof(float)))) { /* checked in args */
            st = GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory for %zu floats", path,
                          nets[i].n_params);
            goto done_mem;
        }

    uint64_t file_step = 0;
    hid_t nets_g = -1, rng_g = -1, f = -1;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* Closing the file closes anything an error path might have left open in it. */
    if (fapl >= 0 && H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0)
        f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    rd r = {path, 0, err};
    H5F_info2_t info;
    if (f < 0) {
        st = H5_FORMAT_ERROR(err, "%s is not a readable HDF5 file (corrupt or truncated?)", path);
        goto done;
    }
    if (H5Fget_filesize(f, &r.file_size) < 0 || H5Fget_info2(f, &info) < 0) {
        st = H5_FORMAT_ERROR(err, "%s: reading the file's size and superblock", path);
        goto done;
    }
    if ((st = check_header(&r, f, &file_step)) != GR_OK) goto done;
    if (info.super.version != 2) { /* what H5F_LIBVER_V18 writes; it carries a checksum */
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s: HDF5 superblock version %u, expected 2 (not written by "
                      "gr_checkpoint_save)",
                      path, info.super.version);
        goto done;
    }
    if ((nets_g = group_open(&r, f, "nets", "/nets group", GR_EFORMAT, &st)) < 0) goto done;
    if (n_rngs > 0 && link_kind(f, "rng") != 0 &&
        (rng_g = group_open(&r, f, "rng", "/rng group", GR_EFORMAT, &st)) < 0)
        goto done;
    for (size_t i = 0; i < n_nets && st == GR_OK; i++)
        st = read_net(&r, nets_g, &nets[i], &nt[i]);
    size_t ob = 0;
    for (size_t i = 0; i < n_rngs && st == GR_OK; i++) {
        st = read_rng(&r, rng_g, &rngs[i], sb + ob);
        ob += gr_rng_state_size(rngs[i].rng);
    }
    if (st != GR_OK) goto done;

    /* Phase 2: everything read, checked and verified; commit. */
    for (size_t i = 0; i < n_nets; i++) {
        size_t n = nets[i].n_params;
        memcpy(nets[i].params, nt[i].params, n * sizeof(float));
        if (nets[i].optim) {
            if (nt[i].n_slots)
                memcpy(gr_optim_state(nets[i].optim), nt[i].slots,
                       nt[i].n_slots * n * sizeof(float));
            gr_optim_set_step_count(nets[i].optim, nt[i].opt_step);
        }
    }
    ob = 0;
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
done_mem:
    if (nt)
        for (size_t i = 0; i < n_nets; i++) {
            free(nt[i].params);
            free(nt[i].slots);
        }
    free(nt);
    free(sb);
    return st;
}
