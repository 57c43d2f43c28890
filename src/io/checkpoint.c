/* io/checkpoint.c — HDF5 checkpoints: written into a group (of its own file, atomically, or
 * of a results file), loaded all-or-nothing and verified (see checkpoint.h for the layout,
 * the checksums and the contract).
 *
 * Structure: the canonical serialisations that the SHA-256 checksums hash (io/digest.h; one
 * function per kind of object, used by both save and load, so the two cannot drift); a
 * writer of the whole layout into one group on top of io/h5io.h; the file-level save as
 * that writer run by io/atomic.h on the root group of a new file; and a reader in two
 * phases: read + check + verify into temporaries, then commit.
 */
#include "io/checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "core/version.h"
#include "io/atomic.h"
#include "io/digest.h"
#include "io/h5.h"
#include "io/h5io.h"
#include "linalg/blas_core.h"

#define NAME_MAX_LEN 63
#define STR_MAX      GR_H5_STR_MAX /* bytes, NUL included: the longest string attribute */

/* HDF5 failure that means "this file is damaged or not ours", not "cannot do I/O". */
#define H5_FORMAT_ERROR(err, ...)                                                                  \
    gr_h5_error_set((err), GR_EFORMAT, __FILE__, __LINE__, __VA_ARGS__)

/* ---- canonical serialisation (what the checksums cover) -----------------------------------
 * io/digest.h's field encoding. Every digest starts with the fields format, format_version
 * and object (the kind of object), so a digest of one kind can never verify another. */

static void ck_digest_begin(gr_digest *h, const char *object) {
    gr_digest_init(h);
    gr_digest_str(h, "format", GR_CHECKPOINT_FORMAT);
    gr_digest_u64(h, "format_version", GR_CHECKPOINT_VERSION);
    gr_digest_str(h, "object", object);
}

/* What the root records about the build that saved: strings as core/version.h and
 * linalg/blas_core.h give them. has_blas = 0 only for files saved before the BLAS settings
 * were recorded (they carry none of the blas_* attributes, and their digest has no such
 * fields). */
typedef struct provenance {
    const char *code_version, *git_commit, *build_type;
    int has_blas;
    const char *blas_config, *blas_core, *blas_core_chosen_by;
    int32_t blas_threads;
} provenance;

static void root_digest(uint64_t step, const provenance *pv, char out[GR_DIGEST_LEN + 1]) {
    gr_digest h;
    ck_digest_begin(&h, "root");
    gr_digest_u64(&h, "step", step);
    gr_digest_str(&h, "code_version", pv->code_version);
    gr_digest_str(&h, "git_commit", pv->git_commit);
    gr_digest_str(&h, "build_type", pv->build_type);
    if (pv->has_blas) {
        gr_digest_str(&h, "blas_config", pv->blas_config);
        gr_digest_str(&h, "blas_core", pv->blas_core);
        gr_digest_str(&h, "blas_core_chosen_by", pv->blas_core_chosen_by);
        gr_digest_i64(&h, "blas_threads", pv->blas_threads);
    }
    gr_digest_end(&h, out);
}

static void net_digest(const char *name, const char *arch, const float *params, size_t n,
                       char out[GR_DIGEST_LEN + 1]) {
    gr_digest h;
    ck_digest_begin(&h, "net");
    gr_digest_str(&h, "name", name);
    gr_digest_str(&h, "arch", arch);
    gr_digest_u64(&h, "n_params", (uint64_t)n);
    gr_digest_f32s(&h, "params", params, n);
    gr_digest_end(&h, out);
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
                         const float *state, size_t n, char out[GR_DIGEST_LEN + 1]) {
    gr_optim_config cc = *c;
    gr_digest h;
    ck_digest_begin(&h, "optim");
    gr_digest_str(&h, "net", net_name);
    gr_digest_str(&h, "kind", gr_optim_kind_name(c->kind));
    for (size_t i = 0; i < N_OPT_F64; i++)
        gr_digest_f64(&h, OPT_F64_NAMES[i], *opt_f64(&cc, i));
    for (size_t i = 0; i < N_OPT_I32; i++)
        gr_digest_i64(&h, OPT_I32_NAMES[i], *opt_i32(&cc, i));
    gr_digest_u64(&h, "step", step);
    for (size_t s = 0; s < gr_optim_config_n_slots(c); s++)
        gr_digest_f32s(&h, gr_optim_config_slot_name(c, s), state + s * n, n);
    gr_digest_end(&h, out);
}

static void rng_digest(const char *name, const char *type, const unsigned char *state, size_t sz,
                       char out[GR_DIGEST_LEN + 1]) {
    gr_digest h;
    ck_digest_begin(&h, "rng");
    gr_digest_str(&h, "name", name);
    gr_digest_str(&h, "type", type);
    gr_digest_bytes(&h, "state", state, sz);
    gr_digest_end(&h, out);
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
        if (gr_size_mul(t->n_params, 4 * sizeof(float), &bytes))
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

/* ---- writing ----------------------------------------------------------------------------- */

/* The build's provenance; blas holds the strings blas_* point into. */
static provenance this_build(gr_blas_info *blas) {
    gr_blas_info_get(blas);
    provenance pv = {gr_version(), gr_git_commit(), gr_build_type(),   1,
                     blas->config, blas->core,      blas->selected_by, (int32_t)blas->threads};
    return pv;
}

static int write_optim(hid_t net_group, const char *net_name, const gr_optim *opt, gr_error *err) {
    gr_optim_config c = *gr_optim_config_get(opt);
    size_t n = gr_optim_n_params(opt);
    uint64_t step = gr_optim_step_count(opt);
    const float *state = gr_optim_state_const(opt);
    char sum[GR_DIGEST_LEN + 1];
    optim_digest(net_name, &c, step, state, n, sum);
    hid_t g = gr_h5_group_create(net_group, "optim", err);
    if (g < 0) return (int)g;
    int st = gr_h5_attr_write_str(g, "kind", gr_optim_kind_name(c.kind), err);
    for (size_t i = 0; i < N_OPT_F64 && st == GR_OK; i++)
        st = gr_h5_attr_write_f64(g, OPT_F64_NAMES[i], *opt_f64(&c, i), err);
    for (size_t i = 0; i < N_OPT_I32 && st == GR_OK; i++)
        st = gr_h5_attr_write_i32(g, OPT_I32_NAMES[i], *opt_i32(&c, i), err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(g, "step", step, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(g, "checksum", sum, err);
    for (size_t s = 0; s < gr_optim_n_slots(opt) && st == GR_OK; s++)
        st = gr_h5_dset_write(g, gr_optim_slot_name(opt, s), GR_H5_F32, 1, &n, state + s * n, err);
    H5Gclose(g);
    return st;
}

/* One RNG stream as /rng/<name>. Never writes a state the loader would refuse. */
static int write_rng(hid_t rng_g, const gr_checkpoint_rng *r, gr_error *err) {
    size_t sz = gr_rng_state_size(r->rng);
    unsigned char *buf = malloc(sz);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "rng \"%s\": out of memory", r->name);
    int st = gr_rng_state_save(r->rng, buf, sz, err);
    if (st == GR_OK) {
        gr_gsl_quiet_enter(); /* gsl_rng_clone calls GSL's handler when out of memory */
        gsl_rng *probe = gsl_rng_clone(r->rng);
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
        return gr_error_prefix(err, st, "rng \"%s\": ", r->name);
    }
    char sum[GR_DIGEST_LEN + 1];
    rng_digest(r->name, gsl_rng_name(r->rng), buf, sz, sum);
    hid_t d = gr_h5_dset_create_write(rng_g, r->name, GR_H5_U8, 1, &sz, buf, err);
    free(buf);
    if (d < 0) return (int)d;
    st = gr_h5_attr_write_str(d, "type", gsl_rng_name(r->rng), err);
    if (st == GR_OK) st = gr_h5_attr_write_str(d, "checksum", sum, err);
    H5Dclose(d);
    return st;
}

/* The whole layout into `group` (arguments already checked). */
static int write_all(hid_t group, uint64_t step, const gr_checkpoint_net *nets, size_t n_nets,
                     const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    gr_blas_info blas;
    provenance pv = this_build(&blas);
    char sum[GR_DIGEST_LEN + 1];
    root_digest(step, &pv, sum);
    int st = gr_h5_attr_write_str(group, "format", GR_CHECKPOINT_FORMAT, err);
    if (st == GR_OK) st = gr_h5_attr_write_i32(group, "format_version", GR_CHECKPOINT_VERSION, err);
    if (st == GR_OK) st = gr_h5_attr_write_u64(group, "step", step, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "code_version", pv.code_version, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "git_commit", pv.git_commit, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "build_type", pv.build_type, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "blas_config", pv.blas_config, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "blas_core", pv.blas_core, err);
    if (st == GR_OK)
        st = gr_h5_attr_write_str(group, "blas_core_chosen_by", pv.blas_core_chosen_by, err);
    if (st == GR_OK) st = gr_h5_attr_write_i32(group, "blas_threads", pv.blas_threads, err);
    if (st == GR_OK) st = gr_h5_attr_write_str(group, "checksum", sum, err);
    if (st != GR_OK) return st;

    hid_t nets_g = gr_h5_group_create(group, "nets", err);
    if (nets_g < 0) return (int)nets_g;
    for (size_t i = 0; i < n_nets && st == GR_OK; i++) {
        const gr_checkpoint_net *t = &nets[i];
        net_digest(t->name, t->arch, t->params, t->n_params, sum);
        hid_t g = gr_h5_group_create(nets_g, t->name, err);
        if (g < 0) {
            st = (int)g;
            break;
        }
        st = gr_h5_attr_write_str(g, "arch", t->arch, err);
        if (st == GR_OK) st = gr_h5_attr_write_u64(g, "n_params", (uint64_t)t->n_params, err);
        if (st == GR_OK) st = gr_h5_attr_write_str(g, "checksum", sum, err);
        if (st == GR_OK)
            st = gr_h5_dset_write(g, "params", GR_H5_F32, 1, &t->n_params, t->params, err);
        if (st == GR_OK && t->optim) st = write_optim(g, t->name, t->optim, err);
        H5Gclose(g);
    }
    H5Gclose(nets_g);
    if (st != GR_OK || n_rngs == 0) return st;
    hid_t rng_g = gr_h5_group_create(group, "rng", err);
    if (rng_g < 0) return (int)rng_g;
    for (size_t i = 0; i < n_rngs && st == GR_OK; i++)
        st = write_rng(rng_g, &rngs[i], err);
    H5Gclose(rng_g);
    return st;
}

/* Shared opening of the group-level write and read: HDF5 quiet, `label` names the group
 * for messages, `group` must be an open group or file, the arguments are checked. */
static int group_prologue(const char *fn, hid_t group, char *label, size_t label_len,
                          const gr_checkpoint_net *nets, size_t n_nets,
                          const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    gr_h5_quiet();
    gr_h5_describe(group, label, label_len);
    if (H5Iget_type(group) != H5I_GROUP && H5Iget_type(group) != H5I_FILE)
        return GR_ERROR(err, GR_EINVAL, "%s: not an open group or file", fn);
    return check_args(fn, label, nets, n_nets, rngs, n_rngs, err);
}

int gr_checkpoint_write_group(hid_t group, uint64_t step, const gr_checkpoint_net *nets,
                              size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs,
                              gr_error *err) {
    char label[512];
    GR_TRY(group_prologue("gr_checkpoint_write_group", group, label, sizeof label, nets, n_nets,
                          rngs, n_rngs, err));
    if (H5Aexists(group, "format") > 0 || gr_h5_link_kind(group, "nets") != 0)
        return GR_ERROR(err, GR_EINVAL, "checkpoint %s: the group already holds a checkpoint",
                        label);
    int st = write_all(group, step, nets, n_nets, rngs, n_rngs, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "checkpoint %s: ", label);
    return GR_OK;
}

typedef struct save_ctx {
    const char *path;
    uint64_t step;
    const gr_checkpoint_net *nets;
    size_t n_nets;
    const gr_checkpoint_rng *rngs;
    size_t n_rngs;
} save_ctx;

/* gr_atomic_writer: the whole checkpoint in the root group of a new file at tmp. */
static int save_writer(const char *tmp, void *ctx, gr_error *err) {
    const save_ctx *c = ctx;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return gr_error_prefix(err, (int)f, "checkpoint %s: ", c->path);
    int st = write_all(f, c->step, c->nets, c->n_nets, c->rngs, c->n_rngs, err);
    if (st != GR_OK) {
        H5Fclose(f);
        return gr_error_prefix(err, st, "checkpoint %s: writing %s: ", c->path, tmp);
    }
    if (H5Fclose(f) < 0) return GR_H5_ERROR(err, "checkpoint %s: closing %s", c->path, tmp);
    return GR_OK;
}

int gr_checkpoint_save(const char *path, uint64_t step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    GR_TRY(check_args("gr_checkpoint_save", path, nets, n_nets, rngs, n_rngs, err));
    gr_h5_quiet();
    save_ctx c = {path, step, nets, n_nets, rngs, n_rngs};
    return gr_atomic_write(path, save_writer, &c, err);
}

/* ---- reading: exact types, exact shapes, exact storage (io/h5io.h), then checksums ------- */

typedef struct rd {
    const char *label; /* the file's path, or "<file>:<group>" for a checkpoint in a group */
    gr_error *err;
} rd;

static hid_t group_open(const rd *r, hid_t loc, const char *name, const char *obj, int absent,
                        int *st) {
    int k = gr_h5_link_kind(loc, name);
    if (k == 0) {
        *st = GR_ERROR(r->err, absent, "%s: no %s in the checkpoint", r->label, obj);
        return -1;
    }
    if (k < 0) {
        *st = H5_FORMAT_ERROR(r->err, "%s: %s is not a plain (hard) link", r->label, obj);
        return -1;
    }
    hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
    if (g < 0) *st = H5_FORMAT_ERROR(r->err, "%s: opening %s", r->label, obj);
    return g;
}

/* A 1-D dataset of n elements, checked by gr_h5_dset_read; another length is reported with
 * count_status (GR_EFORMAT where the length was already checked against an attribute, so a
 * difference is damage). */
static int ck_dset_read(const rd *r, hid_t loc, const char *name, gr_h5_type type, size_t n,
                        int count_status, void *out) {
    int st = gr_h5_dset_read(loc, name, type, 1, &n, out, r->err);
    if (st == GR_EMISMATCH && count_status != GR_EMISMATCH)
        return gr_error_prefix(r->err, count_status, "%s", "");
    return st;
}

static int checksum_mismatch(const rd *r, const char *obj) {
    return GR_ERROR(r->err, GR_EFORMAT,
                    "%s: %s: the checksum does not match the contents (the file is damaged)",
                    r->label, obj);
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
    if (gr_h5_link_kind(g, "optim") == 0)
        return GR_ERROR(r->err, GR_EMISMATCH, "%s: net \"%s\" has no optimizer state", r->label,
                        t->name);
    hid_t og = group_open(r, g, "optim", obj, GR_EFORMAT, &st);
    if (og < 0) return st;
    char *kind_s = NULL, *sum = NULL;
    gr_optim_config c;
    memset(&c, 0, sizeof c);
    uint64_t step = 0;
    if ((st = gr_h5_attr_read_str(og, "kind", &kind_s, r->err)) != GR_OK) goto done;
    if (gr_optim_kind_parse(&c.kind, kind_s, NULL) != GR_OK) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: %s: unknown optimizer kind \"%s\"", r->label, obj,
                      kind_s);
        goto done;
    }
    for (size_t i = 0; i < N_OPT_F64 && st == GR_OK; i++)
        st = gr_h5_attr_read_f64(og, OPT_F64_NAMES[i], opt_f64(&c, i), r->err);
    for (size_t i = 0; i < N_OPT_I32 && st == GR_OK; i++)
        st = gr_h5_attr_read_i32(og, OPT_I32_NAMES[i], opt_i32(&c, i), r->err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(og, "step", &step, r->err);
    if (st == GR_OK) st = gr_h5_attr_read_str(og, "checksum", &sum, r->err);
    if (st != GR_OK) goto done;
    gr_error verr;
    if (gr_optim_config_validate(&c, &verr) != GR_OK) {
        st = GR_ERROR(r->err, GR_EFORMAT, "%s: %s: invalid settings in the file: %s", r->label, obj,
                      verr.msg);
        goto done;
    }
    size_t n = t->n_params, ns = gr_optim_config_n_slots(&c), bytes = 0;
    if (ns > 0) {
        if (gr_size_mul(ns, n, &bytes) || gr_size_mul(bytes, sizeof(float), &bytes)) {
            st = GR_ERROR(r->err, GR_EINVAL, "%s: %s: %zu slots of %zu floats overflow", r->label,
                          obj, ns, n);
            goto done;
        }
        if (!(tmp->slots = malloc(bytes))) {
            st = GR_ERROR(r->err, GR_ENOMEM, "%s: %s: out of memory for %zu bytes", r->label, obj,
                          bytes);
            goto done;
        }
    }
    for (size_t s = 0; s < ns && st == GR_OK; s++)
        st = ck_dset_read(r, og, gr_optim_config_slot_name(&c, s), GR_H5_F32, n, GR_EFORMAT,
                          tmp->slots + s * n);
    if (st != GR_OK) goto done;
    char want_sum[GR_DIGEST_LEN + 1];
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
                      r->label, obj, kind_s, gr_optim_kind_name(want.kind));
        goto done;
    }
    for (size_t i = 0; i < N_OPT_F64; i++)
        if (!(*opt_f64(&c, i) == *opt_f64(&want, i))) {
            st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %s = %.17g in the file, %.17g expected",
                          r->label, obj, OPT_F64_NAMES[i], *opt_f64(&c, i), *opt_f64(&want, i));
            goto done;
        }
    for (size_t i = 0; i < N_OPT_I32; i++)
        if (*opt_i32(&c, i) != *opt_i32(&want, i)) {
            st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %s = %d in the file, %d expected",
                          r->label, obj, OPT_I32_NAMES[i], *opt_i32(&c, i), *opt_i32(&want, i));
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
    st = gr_h5_attr_read_str(g, "arch", &arch, r->err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "n_params", &np, r->err);
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "checksum", &sum, r->err);
    /* Another size cannot be read into the caller's buffer, so it is refused unverified;
     * the architecture, if it differs too, says more than the count. */
    if (st == GR_OK && np != (uint64_t)t->n_params && strcmp(arch, t->arch) == 0)
        st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: %llu parameters in the file, %zu expected",
                      r->label, obj, (unsigned long long)np, t->n_params);
    if (st == GR_OK && np != (uint64_t)t->n_params)
        st = GR_ERROR(r->err, GR_EMISMATCH,
                      "%s: %s: architecture \"%s\" in the file, \"%s\" expected", r->label, obj,
                      arch, t->arch);
    if (st == GR_OK)
        st = ck_dset_read(r, g, "params", GR_H5_F32, t->n_params, GR_EFORMAT, tmp->params);
    if (st == GR_OK) {
        char want_sum[GR_DIGEST_LEN + 1];
        net_digest(t->name, arch, tmp->params, t->n_params, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, obj);
    }
    if (st == GR_OK && strcmp(arch, t->arch) != 0)
        st = GR_ERROR(r->err, GR_EMISMATCH,
                      "%s: %s: architecture \"%s\" in the file, \"%s\" expected", r->label, obj,
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
    int k = rng_g < 0 ? 0 : gr_h5_link_kind(rng_g, g->name);
    if (k == 0)
        return GR_ERROR(r->err, GR_EMISMATCH, "%s: no rng \"%s\" in the checkpoint", r->label,
                        g->name);
    if (k < 0)
        return GR_ERROR(r->err, GR_EFORMAT, "%s: %s is not a plain (hard) link", r->label, obj);
    size_t sz = gr_rng_state_size(g->rng);
    hid_t d = H5Dopen2(rng_g, g->name, H5P_DEFAULT);
    if (d < 0) return H5_FORMAT_ERROR(r->err, "%s: opening %s", r->label, obj);
    char *type = NULL, *sum = NULL;
    int st = gr_h5_attr_read_str(d, "type", &type, r->err);
    if (st == GR_OK) st = gr_h5_attr_read_str(d, "checksum", &sum, r->err);
    H5Dclose(d);
    if (st == GR_OK && strcmp(type, gsl_rng_name(g->rng)) != 0)
        st = GR_ERROR(r->err, GR_EMISMATCH, "%s: %s: generator \"%s\" in the file, \"%s\" expected",
                      r->label, obj, type, gsl_rng_name(g->rng));
    if (st == GR_OK) st = ck_dset_read(r, rng_g, g->name, GR_H5_U8, sz, GR_EMISMATCH, scratch);
    if (st == GR_OK) {
        char want_sum[GR_DIGEST_LEN + 1];
        rng_digest(g->name, type, scratch, sz, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, obj);
    }
    free(type);
    free(sum);
    if (st != GR_OK) return st;
    gr_gsl_quiet_enter(); /* gsl_rng_clone calls GSL's handler when out of memory */
    gsl_rng *probe = gsl_rng_clone(g->rng);
    gr_gsl_quiet_leave();
    if (!probe) return GR_ERROR(r->err, GR_ENOMEM, "%s: out of memory", r->label);
    st = gr_rng_state_load(probe, scratch, sz, r->err);
    gsl_rng_free(probe);
    if (st != GR_OK) return gr_error_prefix(r->err, GR_EFORMAT, "%s: %s: ", r->label, obj);
    return GR_OK;
}

/* The root attributes: format, version, step, provenance (read and verified, never compared
 * with this build: a checkpoint of another build loads), checksum. */
static int check_header(const rd *r, hid_t f, uint64_t *step) {
    char *fmt = NULL, *sum = NULL;
    if (H5Aexists(f, "format") <= 0) {
        char where[512];
        gr_h5_describe(f, where, sizeof where);
        return GR_ERROR(r->err, GR_EFORMAT,
                        "%s is not a ganrepro checkpoint (no \"format\" attribute on %s)", r->label,
                        where);
    }
    GR_TRY(gr_h5_attr_read_str(f, "format", &fmt, r->err));
    if (strcmp(fmt, GR_CHECKPOINT_FORMAT) != 0) {
        int st = GR_ERROR(r->err, GR_EFORMAT, "%s: format \"%s\", expected \"%s\"", r->label, fmt,
                          GR_CHECKPOINT_FORMAT);
        free(fmt);
        return st;
    }
    free(fmt);
    int32_t version = 0;
    GR_TRY(gr_h5_attr_read_i32(f, "format_version", &version, r->err));
    if (version != GR_CHECKPOINT_VERSION)
        return GR_ERROR(r->err, GR_EFORMAT,
                        "%s: format_version %d is not supported (this build reads version %d%s)",
                        r->label, (int)version, GR_CHECKPOINT_VERSION,
                        version == 1 ? "; version 1 files carry no checksum" : "");
    GR_TRY(gr_h5_attr_read_u64(f, "step", step, r->err));
    enum { N_PV = 6 };
    static const char *const pv_names[N_PV] = {"code_version", "git_commit", "build_type",
                                               "blas_config",  "blas_core",  "blas_core_chosen_by"};
    char *pv_s[N_PV] = {NULL, NULL, NULL, NULL, NULL, NULL};
    provenance pv;
    memset(&pv, 0, sizeof pv);
    /* Files saved before the BLAS settings were recorded have no blas_* attribute: their
     * digest has no blas fields. One present means all must be (and all are hashed). */
    pv.has_blas = H5Aexists(f, "blas_config") > 0;
    size_t n_pv = pv.has_blas ? N_PV : 3;
    int st = GR_OK;
    for (size_t i = 0; i < n_pv && st == GR_OK; i++)
        st = gr_h5_attr_read_str(f, pv_names[i], &pv_s[i], r->err);
    if (st == GR_OK && pv.has_blas)
        st = gr_h5_attr_read_i32(f, "blas_threads", &pv.blas_threads, r->err);
    if (st == GR_OK) st = gr_h5_attr_read_str(f, "checksum", &sum, r->err);
    if (st == GR_OK) {
        char want_sum[GR_DIGEST_LEN + 1];
        pv.code_version = pv_s[0];
        pv.git_commit = pv_s[1];
        pv.build_type = pv_s[2];
        pv.blas_config = pv_s[3];
        pv.blas_core = pv_s[4];
        pv.blas_core_chosen_by = pv_s[5];
        root_digest(*step, &pv, want_sum);
        if (strcmp(sum, want_sum) != 0) st = checksum_mismatch(r, "root");
    }
    for (size_t i = 0; i < N_PV; i++)
        free(pv_s[i]);
    free(sum);
    return st;
}

/* Everything of a load after the arguments: `group` holds the layout; file (>= 0 for a
 * file-level load) is checked to have the 1.8 superblock gr_checkpoint_save writes. */
static int read_all(const rd *r, hid_t file, hid_t group, uint64_t *step,
                    const gr_checkpoint_net *nets, size_t n_nets, const gr_checkpoint_rng *rngs,
                    size_t n_rngs) {
    gr_error *err = r->err;
    /* Temporaries, sized by the caller (never by the file): per net its params (optimizer
     * slots are allocated once the file's optimizer is known), all RNG states in one block. */
    int st = GR_OK;
    size_t n_bytes = 0;
    for (size_t i = 0; i < n_rngs; i++)
        if (gr_size_add(n_bytes, gr_rng_state_size(rngs[i].rng), &n_bytes))
            return GR_ERROR(err, GR_EINVAL, "checkpoint %s: RNG states overflow", r->label);
    net_tmp *nt = calloc(n_nets, sizeof *nt);
    unsigned char *sb = n_bytes ? malloc(n_bytes) : NULL;
    hid_t nets_g = -1, rng_g = -1;
    uint64_t file_step = 0;
    if (!nt || (n_bytes && !sb)) {
        st = GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory", r->label);
        goto done;
    }
    for (size_t i = 0; i < n_nets; i++)
        if (!(nt[i].params = malloc(nets[i].n_params * sizeof(float)))) { /* checked in args */
            st = GR_ERROR(err, GR_ENOMEM, "checkpoint %s: out of memory for %zu floats", r->label,
                          nets[i].n_params);
            goto done;
        }
    if ((st = check_header(r, group, &file_step)) != GR_OK) goto done;
    if (file >= 0) {
        H5F_info2_t info;
        if (H5Fget_info2(file, &info) < 0) {
            st = H5_FORMAT_ERROR(err, "%s: reading the file's superblock", r->label);
            goto done;
        }
        if (info.super.version != 2) { /* what H5F_LIBVER_V18 writes; it carries a checksum */
            st = GR_ERROR(err, GR_EFORMAT,
                          "%s: HDF5 superblock version %u, expected 2 (not written by "
                          "gr_checkpoint_save)",
                          r->label, info.super.version);
            goto done;
        }
    }
    if ((nets_g = group_open(r, group, "nets", "/nets group", GR_EFORMAT, &st)) < 0) goto done;
    if (n_rngs > 0 && gr_h5_link_kind(group, "rng") != 0 &&
        (rng_g = group_open(r, group, "rng", "/rng group", GR_EFORMAT, &st)) < 0)
        goto done;
    for (size_t i = 0; i < n_nets && st == GR_OK; i++)
        st = read_net(r, nets_g, &nets[i], &nt[i]);
    size_t ob = 0;
    for (size_t i = 0; i < n_rngs && st == GR_OK; i++) {
        st = read_rng(r, rng_g, &rngs[i], sb + ob);
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
    if (nt)
        for (size_t i = 0; i < n_nets; i++) {
            free(nt[i].params);
            free(nt[i].slots);
        }
    free(nt);
    free(sb);
    return st;
}

int gr_checkpoint_read_group(hid_t group, uint64_t *step, const gr_checkpoint_net *nets,
                             size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs,
                             gr_error *err) {
    char label[512];
    GR_TRY(group_prologue("gr_checkpoint_read_group", group, label, sizeof label, nets, n_nets,
                          rngs, n_rngs, err));
    rd r = {label, err};
    return read_all(&r, -1, group, step, nets, n_nets, rngs, n_rngs);
}

int gr_checkpoint_load(const char *path, uint64_t *step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err) {
    GR_TRY(check_args("gr_checkpoint_load", path, nets, n_nets, rngs, n_rngs, err));
    gr_h5_quiet();
    hid_t f = gr_h5_file_open(path, 0, err);
    if (f < 0) return gr_error_prefix(err, (int)f, "checkpoint ");
    rd r = {path, err};
    int st = read_all(&r, f, f, step, nets, n_nets, rngs, n_rngs);
    H5Fclose(f); /* H5F_CLOSE_STRONG: closes anything an error path left open in it */
    return st;
}
