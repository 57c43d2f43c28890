/* tests/fuzz/fuzz_checkpoint.c — io/checkpoint.h's gr_checkpoint_load on arbitrary bytes.
 * The seeds (make_seeds.c) are checkpoints of ck_state.h's state saved at step 77; each input
 * is loaded into a state built from another seed, asking for both nets (the critic with its
 * optimizer, the generator without) and both streams. Contract checked: a failure is a
 * documented status with a message and leaves every parameter, optimizer slot, step count and
 * generator state untouched (all-or-nothing); a success restores exactly the saved state and
 * step (every value is under a SHA-256, so no mutation of a seed can pass with other values). */
#include "ck_state.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static uint64_t want_ok, want_before;
    static int ready = 0;
    if (!ready) {
        fz_ck a, b;
        GR_FUZZ_CHECK(fz_ck_init(&a, FZ_SEED_OK, 3) == 0 && fz_ck_init(&b, 2, 1) == 0, "init");
        /* the generator's optimizer is not loaded: it keeps b's */
        gr_checkpoint_net na[2], nb[2];
        gr_checkpoint_rng ra[2], rb[2];
        fz_ck_desc(&a, na, ra);
        fz_ck_desc(&b, nb, rb);
        gr_optim *keep = a.og;
        a.og = b.og;
        want_ok = fz_ck_digest(&a);
        a.og = keep;
        want_before = fz_ck_digest(&b);
        fz_ck_free(&a);
        fz_ck_free(&b);
        ready = 1;
    }
    fz_ck s;
    GR_FUZZ_CHECK(fz_ck_init(&s, 2, 1) == 0, "init");
    gr_checkpoint_net nets[2];
    gr_checkpoint_rng rngs[2];
    fz_ck_desc(&s, nets, rngs);
    nets[1].optim = NULL;
    const char *path = gr_fuzz_file("ck.h5", data, size);
    uint64_t step = 12345;
    gr_error err;
    memset(&err, 0, sizeof err);
    int st = gr_checkpoint_load(path, &step, nets, 2, rngs, 2, &err);
    uint64_t got = fz_ck_digest(&s);
    if (st == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(step == FZ_STEP, "step %llu", (unsigned long long)step);
        GR_FUZZ_CHECK(got == want_ok, "GR_OK but the state is not the saved one");
    } else {
        gr_fuzz_check_failure(st, &err);
        GR_FUZZ_CHECK(st == GR_EIO || st == GR_EFORMAT || st == GR_EMISMATCH,
                      "status %d not documented", st);
        GR_FUZZ_CHECK(step == 12345, "failure wrote the step");
        GR_FUZZ_CHECK(got == want_before, "failure changed the caller's state");
    }
    fz_ck_free(&s);
    gr_fuzz_unlink(path);
    return 0;
}
