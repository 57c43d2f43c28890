/* tests/io/test_gan_checkpoint.c — a GAN trainer saved to an HDF5 checkpoint at step k and
 * restored into a trainer built from the same config but another seed ends bit-identical to
 * the uninterrupted run (nets, optimizer moments, last stats, streams, the sampler's cursor);
 * a damaged state, a trainer of another architecture and a file without a trainer state are
 * refused with the trainer unchanged; the checkpoint also lives in a group of a results file. */
#include <string.h>

#include "gan/gan_test_util.h"
#include "io/checkpoint.h"
#include "io/gan_checkpoint.h"
#include "io/h5io.h"
#include "test.h"

static gr_gan_config config(void) {
    gr_gan_config c = gt_small_config(GR_WGAN_GP, 2, 16);
    c.real_mode = GR_GAN_REAL_EPOCH;
    c.n_iters = 9;
    return c;
}

static void test_resume_through_file(void) {
    char dir[512], path[600];
    CHECK(gr_test_tmpdir(dir, sizeof dir, "gan_ck") == 0);
    snprintf(path, sizeof path, "%s/ck.h5", dir);
    gr_gan_config c = config();
    gr_sampler *d1 = gt_pool_alloc(40, 2), *d2 = gt_pool_alloc(40, 2);
    gr_gan_trainer *a = NULL, *b = NULL;
    gr_error err;
    memset(&err, 0, sizeof err);
    CHECK_OK(gr_gan_trainer_alloc(&a, &c, d1, 3, &err), &err);
    CHECK_OK(gr_gan_trainer_alloc(&b, &c, d2, 4, &err), &err);
    if (!a || !b) return;
    for (int s = 0; s < 4; s++)
        CHECK_OK(gr_gan_trainer_step(a, &err), &err);
    CHECK_OK(gr_gan_checkpoint_save(path, a, &err), &err);
    while (!gr_gan_trainer_done(a))
        CHECK_OK(gr_gan_trainer_step(a, &err), &err);
    uint64_t h_before = gt_trainer_hash(b);
    CHECK_OK(gr_gan_checkpoint_load(path, b, &err), &err);
    CHECK(gr_gan_trainer_iter(b) == 4);
    while (!gr_gan_trainer_done(b))
        CHECK_OK(gr_gan_trainer_step(b, &err), &err);
    CHECK(gt_trainer_hash(a) == gt_trainer_hash(b));
    CHECK(h_before != gt_trainer_hash(b));
    /* a plain io/checkpoint reader sees the nets and streams as usual */
    uint64_t step = 0;
    gr_mlp *dn = gr_gan_trainer_d(a);
    char arch[256];
    gr_mlp_describe(dn, arch, sizeof arch);
    size_t nd = gr_mlp_n_params(dn);
    float *pd = malloc(nd * sizeof(float));
    gr_checkpoint_net only_d = {"d", arch, pd, nd, NULL};
    CHECK_OK(gr_checkpoint_load(path, &step, &only_d, 1, NULL, 0, &err), &err);
    CHECK(step == 4);
    free(pd);

    /* another architecture: refused, trainer unchanged */
    gr_gan_config c2 = c;
    c2.d_spec.hidden[1] = 17;
    gr_sampler *d3 = gt_pool_alloc(40, 2);
    gr_gan_trainer *x = NULL;
    CHECK_OK(gr_gan_trainer_alloc(&x, &c2, d3, 5, &err), &err);
    uint64_t hx = gt_trainer_hash(x);
    CHECK_STATUS(gr_gan_checkpoint_load(path, x, &err), GR_EMISMATCH);
    CHECK(gt_trainer_hash(x) == hx && gr_gan_trainer_iter(x) == 0);
    /* another sampler (pool of another size: another cursor state size): refused */
    gr_sampler *d4 = gt_pool_alloc(41, 2);
    gr_gan_trainer *y = NULL;
    CHECK_OK(gr_gan_trainer_alloc(&y, &c, d4, 5, &err), &err);
    CHECK_STATUS(gr_gan_checkpoint_load(path, y, &err), GR_EMISMATCH);
    CHECK(gr_gan_trainer_iter(y) == 0);

    /* damaged state bytes: flip one byte of the dataset in place */
    hid_t f = gr_h5_file_open(path, 1, &err);
    CHECK(f >= 0);
    size_t n = gr_gan_trainer_state_size(b);
    unsigned char *buf = malloc(n);
    CHECK_OK(gr_h5_dset_read(f, "gan_trainer_state", GR_H5_U8, 1, &n, buf, &err), &err);
    buf[9] ^= 0x10;
    hid_t ds = H5Dopen2(f, "gan_trainer_state", H5P_DEFAULT);
    CHECK(H5Dwrite(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(ds);
    H5Fclose(f);
    uint64_t hb = gt_trainer_hash(b);
    CHECK_STATUS(gr_gan_checkpoint_load(path, b, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "checksum");
    CHECK(gt_trainer_hash(b) == hb && gr_gan_trainer_iter(b) == 9);
    free(buf);

    /* in a group of a results file */
    snprintf(path, sizeof path, "%s/results.h5", dir);
    f = gr_h5_file_create(path, &err);
    hid_t g = gr_h5_group_create(f, "checkpoint", &err);
    CHECK_OK(gr_gan_checkpoint_write_group(g, a, &err), &err);
    H5Gclose(g);
    H5Fclose(f);
    f = gr_h5_file_open(path, 0, &err);
    g = gr_h5_group_open(f, "checkpoint", &err);
    gr_sampler *d5 = gt_pool_alloc(40, 2);
    gr_gan_trainer *z = NULL;
    CHECK_OK(gr_gan_trainer_alloc(&z, &c, d5, 6, &err), &err);
    CHECK_OK(gr_gan_checkpoint_read_group(g, z, &err), &err);
    CHECK(gt_trainer_hash(z) == gt_trainer_hash(a));
    /* a root without a trainer state */
    CHECK_STATUS(gr_gan_checkpoint_read_group(f, z, &err), GR_EFORMAT);
    H5Gclose(g);
    H5Fclose(f);

    gr_gan_trainer_free(a);
    gr_gan_trainer_free(b);
    gr_gan_trainer_free(x);
    gr_gan_trainer_free(y);
    gr_gan_trainer_free(z);
    gr_sampler_free(d1);
    gr_sampler_free(d2);
    gr_sampler_free(d3);
    gr_sampler_free(d4);
    gr_sampler_free(d5);
    gr_test_tmpdir_remove(dir);
}

int main(void) {
    RUN(test_resume_through_file);
    return TEST_MAIN_END();
}
