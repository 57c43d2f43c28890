/* io/gan_checkpoint.c — a GAN trainer's state in an HDF5 checkpoint (io/gan_checkpoint.h):
 * nets, optimizers and streams through io/checkpoint.h, the rest as one checksummed byte
 * dataset. */
#include "io/gan_checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include "io/atomic.h"
#include "io/checkpoint.h"
#include "io/digest.h"
#include "io/h5.h"
#include "io/h5io.h"

#define STATE_DSET "gan_trainer_state"
#define ARCH_MAX   1024

typedef struct {
    gr_checkpoint_net nets[2];
    size_t n_nets;
    gr_checkpoint_rng rngs[GR_GAN_N_STREAMS];
    char arch[2][ARCH_MAX];
} ck_lists;

static int make_lists(gr_gan_trainer *t, ck_lists *l, gr_error *err) {
    memset(l, 0, sizeof *l);
    gr_mlp *nets[2] = {gr_gan_trainer_g(t), gr_gan_trainer_d(t)};
    gr_optim *opts[2] = {gr_gan_trainer_g_optim(t), gr_gan_trainer_d_optim(t)};
    static const char *const names[2] = {"g", "d"};
    for (int i = 0; i < 2; i++) {
        if (!nets[i]) continue;
        gr_checkpoint_net *n = &l->nets[l->n_nets];
        if (gr_mlp_describe(nets[i], l->arch[i], ARCH_MAX) >= ARCH_MAX)
            return GR_ERROR(err, GR_EINTERNAL, "gan checkpoint: architecture string too long");
        n->name = names[i];
        n->arch = l->arch[i];
        n->params = gr_mlp_params(nets[i]);
        n->n_params = gr_mlp_n_params(nets[i]);
        n->optim = opts[i];
        l->n_nets++;
    }
    for (size_t i = 0; i < GR_GAN_N_STREAMS; i++) {
        l->rngs[i].name = gr_gan_trainer_stream_name(i);
        l->rngs[i].rng = gr_gan_trainer_stream(t, i);
    }
    return GR_OK;
}

static void state_digest(const unsigned char *b, size_t n, char out[GR_DIGEST_LEN + 1]) {
    gr_digest d;
    gr_digest_init(&d);
    gr_digest_str(&d, "format", GR_GAN_STATE_FORMAT);
    gr_digest_u64(&d, "format_version", GR_GAN_STATE_VERSION);
    gr_digest_bytes(&d, "state", b, n);
    gr_digest_end(&d, out);
}

int gr_gan_checkpoint_write_group(hid_t group, gr_gan_trainer *t, gr_error *err) {
    if (!t) return GR_ERROR(err, GR_EINVAL, "gan checkpoint: NULL trainer");
    ck_lists l;
    GR_TRY(make_lists(t, &l, err));
    size_t n = gr_gan_trainer_state_size(t);
    unsigned char *buf = malloc(n);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "gan checkpoint: out of memory");
    int st = gr_gan_trainer_state_save(t, buf, n, err);
    if (st == GR_OK)
        st = gr_checkpoint_write_group(group, gr_gan_trainer_iter(t), l.nets, l.n_nets, l.rngs,
                                       GR_GAN_N_STREAMS, err);
    if (st == GR_OK) {
        char sum[GR_DIGEST_LEN + 1];
        state_digest(buf, n, sum);
        hid_t ds = gr_h5_dset_create_write(group, STATE_DSET, GR_H5_U8, 1, &n, buf, err);
        if (ds < 0) {
            st = (int)ds;
        } else {
            st = gr_h5_attr_write_str(ds, "format", GR_GAN_STATE_FORMAT, err);
            if (st == GR_OK)
                st = gr_h5_attr_write_i32(ds, "format_version", GR_GAN_STATE_VERSION, err);
            if (st == GR_OK) st = gr_h5_attr_write_str(ds, "checksum", sum, err);
            if (H5Dclose(ds) < 0 && st == GR_OK)
                st = GR_ERROR(err, GR_EIO, "gan checkpoint: closing the state dataset");
        }
    }
    free(buf);
    return st;
}

/* the state bytes of `group`, checked (shape, type, attributes, checksum) into buf (n) */
static int read_state(hid_t group, unsigned char *buf, size_t n, gr_error *err) {
    size_t dims = 0;
    if (gr_h5_link_kind(group, STATE_DSET) != 1)
        return GR_ERROR(err, GR_EFORMAT, "gan checkpoint: no dataset \"%s\"", STATE_DSET);
    GR_TRY(gr_h5_dset_dims(group, STATE_DSET, GR_H5_U8, 1, &dims, (size_t)1 << 40, err));
    if (dims != n)
        return GR_ERROR(err, GR_EMISMATCH,
                        "gan checkpoint: trainer state of %zu bytes in the file, %zu for this "
                        "trainer (another sampler or a fixed generator?)",
                        dims, n);
    GR_TRY(gr_h5_dset_read(group, STATE_DSET, GR_H5_U8, 1, &dims, buf, err));
    hid_t ds = H5Dopen2(group, STATE_DSET, H5P_DEFAULT);
    if (ds < 0) return GR_ERROR(err, GR_EFORMAT, "gan checkpoint: cannot open \"%s\"", STATE_DSET);
    char *fmt = NULL, *sum = NULL;
    int32_t ver = 0;
    int st = gr_h5_attr_read_str(ds, "format", &fmt, err);
    if (st == GR_OK) st = gr_h5_attr_read_i32(ds, "format_version", &ver, err);
    if (st == GR_OK) st = gr_h5_attr_read_str(ds, "checksum", &sum, err);
    H5Dclose(ds);
    if (st == GR_OK && (strcmp(fmt, GR_GAN_STATE_FORMAT) != 0 || ver != GR_GAN_STATE_VERSION))
        st = GR_ERROR(err, GR_EFORMAT,
                      "gan checkpoint: state format \"%s\" version %d (%s %d expected)", fmt,
                      (int)ver, GR_GAN_STATE_FORMAT, GR_GAN_STATE_VERSION);
    if (st == GR_OK) {
        char want[GR_DIGEST_LEN + 1];
        state_digest(buf, n, want);
        if (strcmp(want, sum) != 0)
            st = GR_ERROR(err, GR_EFORMAT,
                          "gan checkpoint: trainer state checksum mismatch (damaged)");
    }
    free(fmt);
    free(sum);
    return st;
}

int gr_gan_checkpoint_read_group(hid_t group, gr_gan_trainer *t, gr_error *err) {
    if (!t) return GR_ERROR(err, GR_EINVAL, "gan checkpoint: NULL trainer");
    gr_h5_quiet();
    ck_lists l;
    GR_TRY(make_lists(t, &l, err));
    size_t n = gr_gan_trainer_state_size(t);
    unsigned char *buf = malloc(n), *old = malloc(n);
    int st = buf && old ? GR_OK : GR_ERROR(err, GR_ENOMEM, "gan checkpoint: out of memory");
    if (st == GR_OK) st = read_state(group, buf, n, err);
    if (st == GR_OK) st = gr_gan_trainer_state_save(t, old, n, err);
    /* the trainer's own load checks the bytes and changes nothing on a refusal */
    if (st == GR_OK) st = gr_gan_trainer_state_load(t, buf, n, err);
    if (st == GR_OK) {
        uint64_t step = 0;
        st = gr_h5_attr_read_u64(group, "step", &step, err);
        if (st == GR_OK && step != gr_gan_trainer_iter(t))
            st = GR_ERROR(err, GR_EMISMATCH,
                          "gan checkpoint: step %llu but the trainer state says %llu iterations",
                          (unsigned long long)step, (unsigned long long)gr_gan_trainer_iter(t));
        uint64_t got = 0;
        if (st == GR_OK)
            st = gr_checkpoint_read_group(group, &got, l.nets, l.n_nets, l.rngs, GR_GAN_N_STREAMS,
                                          err);
        if (st != GR_OK) (void)gr_gan_trainer_state_load(t, old, n, NULL); /* undo */
    }
    free(buf);
    free(old);
    return st;
}

typedef struct {
    const char *path;
    gr_gan_trainer *t;
} save_ctx;

static int save_writer(const char *tmp, void *ctx, gr_error *err) {
    const save_ctx *c = ctx;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return gr_error_prefix(err, (int)f, "gan checkpoint %s: ", c->path);
    int st = gr_gan_checkpoint_write_group(f, c->t, err);
    if (H5Fclose(f) < 0 && st == GR_OK)
        st = GR_ERROR(err, GR_EIO, "gan checkpoint %s: closing %s", c->path, tmp);
    if (st != GR_OK) return gr_error_prefix(err, st, "gan checkpoint %s: ", c->path);
    return GR_OK;
}

int gr_gan_checkpoint_save(const char *path, gr_gan_trainer *t, gr_error *err) {
    if (!path || !t) return GR_ERROR(err, GR_EINVAL, "gan checkpoint: NULL argument");
    gr_h5_quiet();
    save_ctx c = {path, t};
    return gr_atomic_write(path, save_writer, &c, err);
}

int gr_gan_checkpoint_load(const char *path, gr_gan_trainer *t, gr_error *err) {
    if (!path || !t) return GR_ERROR(err, GR_EINVAL, "gan checkpoint: NULL argument");
    gr_h5_quiet();
    hid_t f = gr_h5_file_open(path, 0, err);
    if (f < 0) return (int)f;
    int st = gr_gan_checkpoint_read_group(f, t, err);
    H5Fclose(f);
    if (st != GR_OK) return gr_error_prefix(err, st, "%s: ", path);
    return GR_OK;
}
