/* cli/cmd_classifier.c — `ganrepro classifier [--pixels unit|symmetric]`: obtain the
 * project's MNIST classifier (issue 13 item 5) before the experiments need it, with its
 * training shown: load the cache when its record matches the data and the settings, else
 * train it (one line per epoch on stderr) and save it. `make experiments`
 * (experiments/run_all.sh) calls it when an experiment of the profile scores MNIST images,
 * so the classifier's training is visible and timed instead of hidden inside the first run.
 *
 * stdout: one line, the cache path, how it was obtained, test and validation accuracy, its
 * best epoch and its training time (as recorded when it was trained). Exit 0: the
 * classifier is there; 1: it could not be obtained (MNIST files missing: the message names
 * the file and `make mnist`; training or saving failed); 2: usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/progress.h"
#include "core/timer.h"
#include "data/mnist.h"
#include "eval/classifier.h"
#include "harness/proto_gan.h"

static void usage(FILE *out) {
    fprintf(out, "usage: ganrepro classifier [--pixels unit|symmetric]\n"
                 "\n"
                 "Obtain the project's MNIST classifier (784-512relu-512relu-10linear, Adam, 12\n"
                 "epochs, seed 1; >= 98 %% test accuracy): loaded from its cache when the cache's\n"
                 "record matches the data's checksums and the settings, else trained on the\n"
                 "50 000-image training split (the epoch chosen on the 10 000 validation images,\n"
                 "accuracy measured on the 10 000 test images; 30-90 s on one core, one line per\n"
                 "epoch on stderr) and saved. The cache is $GR_MNIST_CLASSIFIER, else\n"
                 "<MNIST dir>/classifier_<pixels>.h5; the MNIST dir is $GR_MNIST_DIR, else\n"
                 "datasets/mnist (make mnist fetches the files). --pixels: the scale the images\n"
                 "are scored in (default unit, [0, 1]; symmetric is [-1, 1]).\n"
                 "\n"
                 "exit status: 0 the classifier is cached; 1 it could not be obtained; 2 usage.\n");
}

static int progress(const gr_classifier_epoch *e, void *ctx) {
    (void)ctx;
    char dur[32];
    gr_progress_format_duration(e->seconds, dur, sizeof dur);
    fprintf(stderr,
            "classifier: epoch %2zu/%zu  lr %.3g  train loss %.4f  train acc %.4f  valid acc "
            "%.4f  (%s)\n",
            e->epoch, e->epochs, e->lr, e->train_loss, e->train_accuracy, e->valid_accuracy, dur);
    fflush(stderr);
    return 0;
}

int gr_cmd_classifier(int argc, char **argv) {
    gr_mnist_scale scale = GR_MNIST_UNIT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return GR_EXIT_OK;
        }
        if (!strcmp(argv[i], "--pixels") && i + 1 < argc) {
            const char *p = argv[++i];
            if (!strcmp(p, "unit"))
                scale = GR_MNIST_UNIT;
            else if (!strcmp(p, "symmetric"))
                scale = GR_MNIST_SYMMETRIC;
            else {
                fprintf(stderr, "ganrepro classifier: --pixels %s: expected unit or symmetric\n",
                        p);
                return GR_EXIT_USAGE;
            }
            continue;
        }
        fprintf(stderr, "ganrepro classifier: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        return GR_EXIT_USAGE;
    }
    gr_error err;
    gr_error_clear(&err);
    char path[1024];
    gr_proto_mnist_classifier_path(scale, path, sizeof path);
    gr_mnist *tr = NULL, *va = NULL, *te = NULL;
    int st = gr_proto_mnist_load_scale(scale, &tr, &va, &te, &err);
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro classifier: %s\n", err.msg);
        return GR_EXIT_FAIL;
    }
    fprintf(stderr, "classifier: %s: loading, or training when missing or out of date\n", path);
    fflush(stderr);
    gr_classifier *c = NULL;
    gr_classifier_source src = GR_CLASSIFIER_LOADED;
    double t0 = gr_time_wall();
    st = gr_proto_mnist_classifier(&c, tr, va, te, 1000, progress, NULL, &src, &err);
    double wall = gr_time_wall() - t0;
    gr_mnist_free(tr);
    gr_mnist_free(va);
    gr_mnist_free(te);
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro classifier: %s\n", err.msg);
        return GR_EXIT_FAIL;
    }
    static const char *const how[] = {"loaded from its cache", "trained (no cache file)",
                                      "retrained (the cache's record did not match)",
                                      "retrained (the cache file was damaged)"};
    const gr_classifier_record *rec = gr_classifier_get_record(c);
    char tdur[32], wdur[32];
    gr_progress_format_duration(rec->train_seconds, tdur, sizeof tdur);
    gr_progress_format_duration(wall, wdur, sizeof wdur);
    printf("%s: %s in %s; %s, test accuracy %.4f, validation accuracy %.4f (best epoch %zu of "
           "%zu), trained in %s\n",
           path, how[src >= 0 && src <= 3 ? src : 0], wdur, gr_classifier_arch(c),
           rec->test_accuracy, rec->valid_accuracy, rec->best_epoch,
           gr_classifier_get_settings(c)->epochs, tdur);
    gr_classifier_free(c);
    return GR_EXIT_OK;
}
