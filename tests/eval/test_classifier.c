/* tests/eval/test_classifier.c — the classifier of eval/classifier.h on a synthetic fixture
 * that runs everywhere (no MNIST files): 10 Gaussian blobs in 784-D, pixel-like centres
 * c_k ~ U(0, 1)^784, points c_k + N(0, 0.35^2 I). Centres are ~11.4 apart (sqrt(784/6)),
 * the noise along any direction has SD 0.35, so the Bayes error is ~Phi(-16), i.e. 0: a
 * correct trainer must reach (and this test requires) >= 99 % on 500 fresh test points,
 * while an untrained net (all-zero parameters) scores the 10 % of one class.
 *
 * Also: training is deterministic from the seed (same seed: identical parameters, i.e.
 * identical predictions, and record; another seed: different); the progress callback sees
 * every epoch and can stop training; scores through the net (a balanced confident set
 * scores near 10, one image repeated scores exactly 1, gr_image_eval's FD of a set against
 * the reference it was built from is ~0); the cache: save, load (same predictions, same
 * record), and the mismatch path (another seed, another data checksum, another data size,
 * another architecture -> GR_EMISMATCH naming the field; a missing file -> GR_EIO; a
 * damaged record -> GR_EFORMAT; gr_classifier_obtain trains, loads, retrains as it should).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "eval/classifier.h"
#include "eval/scores.h"
#include "io/h5io.h"
#include "test.h"

enum { D = 784, K = 10, N_TRAIN = 1000, N_VALID = 300, N_TEST = 500, EPOCHS = 10, BATCH = 20 };

static float *centres;
static float *xtr, *xva, *xte;
static unsigned char ytr[N_TRAIN], yva[N_VALID], yte[N_TEST];
static char dir[512];

static void blobs(gsl_rng *r, float *x, unsigned char *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned k = (unsigned)(i % K);
        y[i] = (unsigned char)k;
        for (size_t j = 0; j < D; j++)
            x[i * D + j] = centres[k * D + j] + (float)gsl_ran_gaussian(r, 0.35);
    }
}

static int make_fixture(void) {
    gsl_rng *r = NULL;
    if (gr_rng_alloc(&r, 777, GR_STREAM_TEST, NULL) != GR_OK) return 0;
    centres = malloc(K * D * sizeof(float));
    xtr = malloc(N_TRAIN * D * sizeof(float));
    xva = malloc(N_VALID * D * sizeof(float));
    xte = malloc(N_TEST * D * sizeof(float));
    if (!centres || !xtr || !xva || !xte) return 0;
    for (size_t i = 0; i < K * D; i++)
        centres[i] = (float)gsl_rng_uniform(r);
    blobs(r, xtr, ytr, N_TRAIN);
    blobs(r, xva, yva, N_VALID);
    blobs(r, xte, yte, N_TEST);
    gr_rng_free(r);
    return 1;
}

static gr_classifier_settings tiny_settings(void) {
    gr_classifier_settings s = gr_classifier_settings_mnist();
    s.spec.n_hidden = 2;
    s.spec.hidden[0] = 32;
    s.spec.hidden[1] = 16;
    s.epochs = EPOCHS;
    s.batch = BATCH;
    s.lr_decay = 1.0; /* constant lr: confident outputs within a few epochs */
    s.seed = 20261201;
    return s;
}

static gr_classifier_data dtr, dva, dte;

static size_t n_epochs_seen;
static int count_epochs(const gr_classifier_epoch *e, void *ctx) {
    (void)ctx;
    n_epochs_seen++;
    CHECK(e->epoch == n_epochs_seen && e->epochs == EPOCHS);
    CHECK(e->train_loss > 0.0 && e->valid_accuracy >= 0.0 && e->valid_accuracy <= 1.0);
    return 0;
}
static int stop_after_one(const gr_classifier_epoch *e, void *ctx) {
    (void)e;
    (void)ctx;
    return GR_EINVAL;
}

static gr_classifier *trained; /* shared by the tests below */

static void test_train_fixture(void) {
    gr_error err;
    gr_classifier_settings s = tiny_settings();
    CHECK_OK(gr_classifier_alloc(&trained, &s, 64, &err), &err);
    if (!trained) return;
    CHECK(!gr_classifier_is_trained(trained));
    CHECK(strcmp(gr_classifier_arch(trained), "784-32relu-16relu-10linear") == 0);
    CHECK(gr_classifier_feature_dim(trained) == 16 && gr_classifier_n_classes(trained) == 10);
    double acc = -1.0;
    CHECK_STATUS(gr_classifier_accuracy(trained, &dte, &acc, &err), GR_EINVAL); /* untrained */
    n_epochs_seen = 0;
    CHECK_OK(gr_classifier_train(trained, &dtr, &dva, &dte, count_epochs, NULL, &err), &err);
    CHECK(n_epochs_seen == EPOCHS);
    const gr_classifier_record *r = gr_classifier_get_record(trained);
    CHECK(r->test_accuracy >= 0.99);
    CHECK(r->valid_accuracy >= 0.99);
    CHECK(r->best_epoch >= 1 && r->best_epoch <= EPOCHS);
    CHECK(r->steps == EPOCHS * (N_TRAIN / BATCH));
    CHECK(r->n_train == N_TRAIN && r->n_valid == N_VALID && r->n_test == N_TEST);
    CHECK(strcmp(r->train_checksum, "blobs-train") == 0);
    CHECK_OK(gr_classifier_accuracy(trained, &dte, &acc, &err), &err);
    CHECK(acc == r->test_accuracy);
    printf("fixture: test accuracy %.4f (best epoch %zu, %.2f s)\n", acc, r->best_epoch,
           r->train_seconds);
    /* predict: labels are the argmax of probs, rows sum to 1 */
    double probs[N_TEST * K];
    unsigned char lab[N_TEST];
    CHECK_OK(gr_classifier_predict(trained, probs, NULL, lab, xte, N_TEST, &err), &err);
    size_t right = 0;
    double worst = 0.0;
    for (size_t i = 0; i < N_TEST; i++) {
        right += lab[i] == yte[i];
        double sum = 0.0;
        size_t a = 0;
        for (size_t j = 0; j < K; j++) {
            sum += probs[i * K + j];
            if (probs[i * K + j] > probs[i * K + a]) a = j;
        }
        worst = fmax(worst, fabs(sum - 1.0));
        CHECK(a == lab[i]);
    }
    CHECK(worst <= 1e-15 * K);
    CHECK((double)right / N_TEST == acc);
}

static void test_deterministic(void) {
    gr_error err;
    gr_classifier_settings s = tiny_settings();
    gr_classifier *a = NULL, *b = NULL;
    CHECK_OK(gr_classifier_alloc(&a, &s, 500, &err), &err); /* another max_batch than `trained` */
    s.seed++;
    CHECK_OK(gr_classifier_alloc(&b, &s, 64, &err), &err);
    if (!a || !b || !trained) goto done;
    CHECK_OK(gr_classifier_train(a, &dtr, &dva, &dte, NULL, NULL, &err), &err);
    CHECK_OK(gr_classifier_train(b, &dtr, &dva, &dte, NULL, NULL, &err), &err);
    /* same seed: the same parameters, so the same bits at the same prediction batch size
     * (a was built with max_batch 500, `trained` with 64: training does not depend on it) */
    static float fa[64 * 16], ft[64 * 16], fb[64 * 16];
    CHECK_OK(gr_classifier_predict(a, NULL, fa, NULL, xte, 64, &err), &err);
    CHECK_OK(gr_classifier_predict(trained, NULL, ft, NULL, xte, 64, &err), &err);
    CHECK_OK(gr_classifier_predict(b, NULL, fb, NULL, xte, 64, &err), &err);
    CHECK(memcmp(fa, ft, sizeof fa) == 0);
    CHECK(memcmp(fa, fb, sizeof fa) != 0);
    double acc_a = 0.0, acc_t = 1.0;
    CHECK_OK(gr_classifier_accuracy(a, &dte, &acc_a, &err), &err);
    CHECK_OK(gr_classifier_accuracy(trained, &dte, &acc_t, &err), &err);
    CHECK(acc_a == acc_t);
    const gr_classifier_record *ra = gr_classifier_get_record(a),
                               *rt = gr_classifier_get_record(trained);
    CHECK(ra->valid_accuracy == rt->valid_accuracy && ra->train_loss == rt->train_loss &&
          ra->best_epoch == rt->best_epoch);
    /* stopping from the callback leaves it untrained, with the callback's status */
    CHECK_STATUS(gr_classifier_train(a, &dtr, &dva, NULL, stop_after_one, NULL, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "stopped by the progress callback after epoch 1");
    CHECK(!gr_classifier_is_trained(a));
done:
    gr_classifier_free(a);
    gr_classifier_free(b);
}

static void test_scores_through_net(void) {
    gr_error err;
    if (!trained) return;
    gr_image_eval *ev = NULL;
    CHECK_OK(gr_image_eval_alloc(&ev, trained, xte, N_TEST, N_TEST, &err), &err);
    if (!ev) return;
    gr_image_scores sc;
    /* the balanced test set: each class 50 times, classified confidently */
    CHECK_OK(gr_image_eval_score(ev, &sc, xte, N_TEST, &err), &err);
    CHECK(sc.coverage.classes_covered == 10);
    CHECK(sc.coverage.kl_uniform < 0.01);
    CHECK(sc.classifier_score > 9.0 && sc.classifier_score <= 10.0 + 1e-12);
    /* FD against its own reference: the same features, so 0 up to eigen rounding */
    CHECK(sc.frechet >= 0.0 && sc.frechet < 1e-9);
    printf("fixture scores: classifier score %.4f, KL from uniform %.3g, FD(ref, ref) %.3g\n",
           sc.classifier_score, sc.coverage.kl_uniform, sc.frechet);
    /* one image repeated: a constant classifier output, score exactly 1, coverage 1 */
    static float rep[100 * D];
    for (size_t i = 0; i < 100; i++)
        memcpy(rep + i * D, xte + 3 * D, D * sizeof(float));
    CHECK_OK(gr_image_eval_score(ev, &sc, rep, 100, &err), &err);
    CHECK_CLOSE(sc.classifier_score, 1.0, 0.0, 1e-13);
    CHECK(sc.coverage.classes_covered == 1 && sc.coverage.counts[yte[3]] == 100);
    CHECK_CLOSE(sc.coverage.kl_uniform, log(10.0), 1e-14, 0.0);
    CHECK(sc.frechet > 1.0); /* all mass at one point vs ten blobs */
    /* only class-0 images: coverage 1 */
    static float only0[50 * D];
    for (size_t i = 0; i < 50; i++)
        memcpy(only0 + i * D, xte + (i * K) * D, D * sizeof(float));
    CHECK_OK(gr_image_eval_score(ev, &sc, only0, 50, &err), &err);
    CHECK(sc.coverage.classes_covered == 1 && sc.coverage.counts[0] == 50);
    CHECK(sc.classifier_score < 1.1);
    CHECK_STATUS(gr_image_eval_score(ev, &sc, xte, N_TEST + 1, &err), GR_EINVAL);
    gr_image_eval_free(ev);
}

static void path_in(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", dir, name);
}

static void test_cache(void) {
    gr_error err;
    if (!trained) return;
    char path[600], missing[600];
    path_in(path, sizeof path, "clf.h5");
    path_in(missing, sizeof missing, "none.h5");
    CHECK_OK(gr_classifier_save(trained, path, &err), &err);
    gr_classifier_settings s = tiny_settings();
    gr_classifier *c = NULL;
    CHECK_OK(gr_classifier_alloc(&c, &s, 64, &err), &err); /* `trained`'s max_batch */
    if (!c) return;
    CHECK_STATUS(gr_classifier_save(c, path, &err), GR_EINVAL); /* untrained */
    CHECK_STATUS(gr_classifier_load(c, missing, &dtr, &dva, &dte, &err), GR_EIO);
    CHECK_OK(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), &err);
    CHECK(gr_classifier_is_trained(c));
    static float f1[N_TEST * 16], f2[N_TEST * 16];
    CHECK_OK(gr_classifier_predict(c, NULL, f1, NULL, xte, N_TEST, &err), &err);
    CHECK_OK(gr_classifier_predict(trained, NULL, f2, NULL, xte, N_TEST, &err), &err);
    CHECK(memcmp(f1, f2, sizeof f1) == 0);
    const gr_classifier_record *a = gr_classifier_get_record(c),
                               *b = gr_classifier_get_record(trained);
    CHECK(a->test_accuracy == b->test_accuracy && a->valid_accuracy == b->valid_accuracy &&
          a->best_epoch == b->best_epoch && a->steps == b->steps &&
          a->train_seconds == b->train_seconds && strcmp(a->test_checksum, "blobs-test") == 0);
    gr_classifier_free(c);

    /* another seed: mismatch, classifier left untrained */
    s.seed++;
    c = NULL;
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    CHECK_STATUS(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "seed 20261201 in the file, 20261202 asked");
    CHECK(!gr_classifier_is_trained(c));
    gr_classifier_free(c);
    /* another lr, bit for bit */
    s = tiny_settings();
    s.optim.lr = nextafter(s.optim.lr, 1.0);
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    CHECK_STATUS(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "lr ");
    gr_classifier_free(c);
    /* another architecture */
    s = tiny_settings();
    s.spec.hidden[1] = 17;
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    CHECK_STATUS(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "arch");
    gr_classifier_free(c);
    /* other data */
    s = tiny_settings();
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    gr_classifier_data other = dtr;
    other.checksum = "blobs-train-v2";
    CHECK_STATUS(gr_classifier_load(c, path, &other, &dva, &dte, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "training data checksum \"blobs-train\" in the file");
    other = dte;
    other.n = N_TEST - 1;
    CHECK_STATUS(gr_classifier_load(c, path, &dtr, &dva, &other, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "test data size");
    CHECK(!gr_classifier_is_trained(c));
    /* test set not asked: its record is not compared */
    CHECK_OK(gr_classifier_load(c, path, &dtr, &dva, NULL, &err), &err);

    /* damaged record: rewrite one attribute with another value -> refused, not used */
    hid_t f = gr_h5_file_open(path, 1, &err);
    CHECK(f >= 0);
    if (f >= 0) {
        CHECK(H5Adelete(f, "valid_accuracy") >= 0);
        CHECK_OK(gr_h5_attr_write_f64(f, "valid_accuracy", 0.5, &err), &err);
        H5Fclose(f);
    }
    gr_classifier_free(c);
    c = NULL;
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    CHECK_STATUS(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "record checksum");
    CHECK(!gr_classifier_is_trained(c));

    /* obtain: damaged -> retrain and replace; then load; new seed -> retrain */
    gr_classifier_source src = GR_CLASSIFIER_LOADED;
    gr_error why;
    CHECK_OK(gr_classifier_obtain(c, path, &dtr, &dva, &dte, NULL, NULL, &src, &why, &err), &err);
    CHECK(src == GR_CLASSIFIER_REPLACED_BAD);
    CHECK_STR_CONTAINS(why.msg, "record checksum");
    CHECK_OK(gr_classifier_obtain(c, path, &dtr, &dva, &dte, NULL, NULL, &src, &why, &err), &err);
    CHECK(src == GR_CLASSIFIER_LOADED);
    CHECK_OK(gr_classifier_obtain(c, missing, &dtr, &dva, &dte, NULL, NULL, &src, &why, &err),
             &err);
    CHECK(src == GR_CLASSIFIER_TRAINED_NEW);
    gr_classifier_free(c);
    s.seed += 5;
    c = NULL;
    CHECK_OK(gr_classifier_alloc(&c, &s, 100, &err), &err);
    CHECK_OK(gr_classifier_obtain(c, path, &dtr, &dva, &dte, NULL, NULL, &src, &why, &err), &err);
    CHECK(src == GR_CLASSIFIER_RETRAINED);
    CHECK_STR_CONTAINS(why.msg, "seed");
    CHECK_OK(gr_classifier_load(c, path, &dtr, &dva, &dte, &err), &err); /* the new one */
    CHECK(gr_classifier_get_record(c)->test_accuracy >= 0.99);
    gr_classifier_free(c);
}

static void test_errors(void) {
    gr_error err;
    gr_classifier_settings s = tiny_settings();
    gr_classifier *c = NULL;
    s.spec.out_act = GR_ACT_SIGMOID;
    CHECK_STATUS(gr_classifier_alloc(&c, &s, 10, &err), GR_EINVAL);
    CHECK(c == NULL);
    s = tiny_settings();
    s.spec.n_hidden = 0;
    CHECK_STATUS(gr_classifier_alloc(&c, &s, 10, &err), GR_EINVAL);
    s = tiny_settings();
    s.lr_decay = 0.0;
    CHECK_STATUS(gr_classifier_alloc(&c, &s, 10, &err), GR_EINVAL);
    s = tiny_settings();
    s.spec.out_dim = 1;
    CHECK_STATUS(gr_classifier_alloc(&c, &s, 10, &err), GR_EINVAL);
    s = tiny_settings();
    CHECK_STATUS(gr_classifier_alloc(&c, &s, 0, &err), GR_EINVAL);
    CHECK_OK(gr_classifier_alloc(&c, &s, 10, &err), &err);
    if (!c) return;
    unsigned char bad_y[N_VALID];
    memcpy(bad_y, yva, sizeof bad_y);
    bad_y[17] = 10;
    gr_classifier_data bad = {xva, bad_y, N_VALID, "bad"};
    CHECK_STATUS(gr_classifier_train(c, &dtr, &bad, NULL, NULL, NULL, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "validation label[17] = 10");
    gr_classifier_data nosum = {xva, yva, N_VALID, ""};
    CHECK_STATUS(gr_classifier_train(c, &dtr, &nosum, NULL, NULL, NULL, &err), GR_EINVAL);
    /* non-finite images are refused (a ReLU would silently map NaN to 0) */
    static float xn[100 * D];
    memcpy(xn, xtr, sizeof xn);
    xn[5 * D + 3] = NAN;
    gr_classifier_data dn = {xn, ytr, 100, "nan"};
    CHECK_STATUS(gr_classifier_train(c, &dn, &dva, NULL, NULL, NULL, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "training image[5][3]");
    CHECK(!gr_classifier_is_trained(c));
    double p[K];
    CHECK_STATUS(gr_classifier_predict(c, p, NULL, NULL, xte, 1, &err), GR_EINVAL);
    /* a huge learning rate: non-finite logits during training -> GR_EDIVERGED */
    gr_classifier_free(c);
    c = NULL;
    s.optim.lr = 1e30;
    s.optim.kind = GR_OPTIM_SGD;
    s.optim = gr_optim_config_default(GR_OPTIM_SGD);
    s.optim.lr = 1e30;
    CHECK_OK(gr_classifier_alloc(&c, &s, 10, &err), &err);
    if (!c) return;
    CHECK_STATUS(gr_classifier_train(c, &dtr, &dva, NULL, NULL, NULL, &err), GR_EDIVERGED);
    CHECK(!gr_classifier_is_trained(c));
    gr_classifier_free(c);
    gr_classifier_free(NULL);
}

int main(void) {
    if (!make_fixture() || gr_test_tmpdir(dir, sizeof dir, "gr_classifier_") != 0) {
        fprintf(stderr, "FAIL: fixture or temporary directory\n");
        return 1;
    }
    dtr = (gr_classifier_data){xtr, ytr, N_TRAIN, "blobs-train"};
    dva = (gr_classifier_data){xva, yva, N_VALID, "blobs-valid"};
    dte = (gr_classifier_data){xte, yte, N_TEST, "blobs-test"};
    RUN(test_train_fixture);
    RUN(test_deterministic);
    RUN(test_scores_through_net);
    RUN(test_cache);
    RUN(test_errors);
    gr_classifier_free(trained);
    gr_test_tmpdir_remove(dir);
    free(centres);
    free(xtr);
    free(xva);
    free(xte);
    return TEST_MAIN_END();
}
