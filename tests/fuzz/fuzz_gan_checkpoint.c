/* tests/fuzz/fuzz_gan_checkpoint.c — io/gan_checkpoint.h's gr_gan_checkpoint_load on arbitrary
 * bytes. The seeds (make_seeds.c) are gan_state.h's trainer from seed 1 after 2 iterations;
 * each input is loaded into the same config's trainer built from seed 2 and not trained.
 * Contract checked: a failure is a documented status with a message and leaves the trainer
 * (nets, optimizers, streams, counters, sampler cursors) untouched; a success restores
 * exactly the saved trainer (every byte is under a SHA-256). */
#include "fuzz.h"
#include "gan_state.h"
#include "io/gan_checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static uint64_t want_ok, want_before;
    static gr_gan_trainer *t;
    static gr_sampler *d;
    static int ready = 0;
    if (!ready) {
        gr_sampler *da = NULL;
        gr_gan_trainer *a = fz_gan_alloc(FZ_GAN_SEED_OK, 2, &da);
        GR_FUZZ_CHECK(a != NULL, "trainer");
        want_ok = fz_gan_digest(a);
        gr_gan_trainer_free(a);
        gr_sampler_free(da);
        t = fz_gan_alloc(2, 0, &d);
        GR_FUZZ_CHECK(t != NULL, "trainer");
        want_before = fz_gan_digest(t);
        ready = 1;
    }
    const char *path = gr_fuzz_file("gan.h5", data, size);
    gr_error err;
    memset(&err, 0, sizeof err);
    int st = gr_gan_checkpoint_load(path, t, &err);
    uint64_t got = fz_gan_digest(t);
    if (st == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(got == want_ok, "GR_OK but the trainer is not the saved one");
        /* back to the untrained trainer, so every input starts from the same state */
        gr_gan_trainer_free(t);
        gr_sampler_free(d);
        t = fz_gan_alloc(2, 0, &d);
        GR_FUZZ_CHECK(t != NULL && fz_gan_digest(t) == want_before, "trainer rebuilt");
    } else {
        gr_fuzz_check_failure(st, &err);
        GR_FUZZ_CHECK(st == GR_EIO || st == GR_EFORMAT || st == GR_EMISMATCH,
                      "status %d not documented", st);
        GR_FUZZ_CHECK(got == want_before, "failure changed the trainer");
    }
    gr_fuzz_unlink(path);
    return 0;
}
