/* tests/fuzz/fuzz_train_checkpoint.c — the train protocol's checkpoint check
 * (harness/protocol.h's gr_protocol_checkpoint_check of "train", which `ganrepro run --resume`
 * calls on every checkpoint before any run starts) on arbitrary bytes. The run is
 * train_state.h's (toy_train, ci profile, run 0), built once per process; the seeds
 * (make_seeds.c) are that run's genuine checkpoint. A train checkpoint is the GAN trainer's
 * (io/gan_checkpoint.h, fuzzed by fuzz_gan_checkpoint.c) plus the /train group: series rows,
 * datasets, the evaluation stream and sampler, the estimate ring, under a SHA-256, format
 * version 2. Contract checked: no crash, no leak, and GR_OK or a status the checker documents
 * (GR_EFORMAT, GR_EMISMATCH, GR_EIO; GR_ENOMEM for a size it cannot allocate) with a
 * non-empty message. (A success is not compared with a state: the check restores nothing
 * the caller can see; the resume tests in tests/harness/test_proto_train.c do that.) */
#include "fuzz.h"
#include "harness/protocol.h"
#include "train_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static fz_train tr;
    static gr_protocol_check_fn check;
    static int ready = 0;
    if (!ready) {
        gr_error e;
        memset(&e, 0, sizeof e);
        GR_FUZZ_CHECK(fz_train_load(&tr, &e) == GR_OK, "toy_train ci: %s", e.msg);
        check = gr_protocol_checkpoint_check(gr_protocol_find(NULL, "train"));
        GR_FUZZ_CHECK(check != NULL, "the train protocol has no checkpoint check");
        ready = 1;
    }
    const char *path = gr_fuzz_file("train.ckpt.h5", data, size);
    gr_error err;
    memset(&err, 0, sizeof err);
    int st = check(tr.run, path, &err);
    if (st == GR_OK) {
        gr_fuzz_note_accepted();
    } else {
        gr_fuzz_check_failure(st, &err);
        GR_FUZZ_CHECK(st == GR_EIO || st == GR_EFORMAT || st == GR_EMISMATCH || st == GR_ENOMEM,
                      "status %d not documented: %s", st, err.msg);
    }
    gr_fuzz_unlink(path);
    return 0;
}
