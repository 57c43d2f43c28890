/* harness/proto_gan.c — configuration and data of the GAN protocols from a run's settings;
 * contracts in harness/proto_gan.h. */
#include "harness/proto_gan.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "data/embed.h"
#include "data/lines.h"
#include "data/oned.h"
#include "data/toys.h"
#include "harness/schema.h"

int gr_proto_has(const gr_run_desc *run, const char *key) {
    const char *s;
    double d;
    int b;
    size_t z;
    const gr_schema_key *k = gr_schema_find(key, NULL);
    if (!k) return 0;
    switch (k->type) {
    case GR_KEY_DOUBLE: return gr_rundesc_get_f64(run, key, &d, NULL) == GR_OK;
    case GR_KEY_INT: return gr_rundesc_get_size(run, key, &z, NULL) == GR_OK;
    case GR_KEY_BOOL: return gr_rundesc_get_bool(run, key, &b, NULL) == GR_OK;
    default: return gr_rundesc_get_str(run, key, &s, NULL) == GR_OK;
    }
}

/* Whether the schema row of `key` applies to the method bit and optimizer bit. */
static int applies(const char *key, unsigned mbit, unsigned obit) {
    const gr_schema_key *k = gr_schema_find(key, NULL);
    if (!k) return 0;
    if (k->methods && !(k->methods & mbit)) return 0;
    if (k->optims && !(k->optims & obit)) return 0;
    return 1;
}

static int get_u64(const gr_run_desc *run, const char *key, uint64_t *v, gr_error *err) {
    size_t z;
    GR_TRY(gr_rundesc_get_size(run, key, &z, err));
    *v = (uint64_t)z;
    return GR_OK;
}

static int read_optim(const gr_run_desc *run, const char *prefix, unsigned mbit, gr_optim_config *o,
                      gr_error *err) {
    char key[64];
    const char *s;
    snprintf(key, sizeof key, "%s.name", prefix);
    GR_TRY(gr_rundesc_get_str(run, key, &s, err));
    gr_optim_kind kind;
    GR_TRY(gr_optim_kind_parse(&kind, s, err));
    int oi = gr_schema_choice_index(GR_OPTIMS, s);
    unsigned obit = oi >= 0 ? 1u << oi : 0;
    *o = gr_optim_config_default(kind);
    struct {
        const char *name;
        double *d;
        int *b;
    } f[] = {{"lr", &o->lr, NULL},
             {"beta1", &o->beta1, NULL},
             {"beta2", &o->beta2, NULL},
             {"alpha", &o->alpha, NULL},
             {"eps", &o->eps, NULL},
             {"momentum", &o->momentum, NULL},
             {"centered", NULL, &o->centered},
             {"dampening", &o->dampening, NULL},
             {"nesterov", NULL, &o->nesterov},
             {"weight_decay", &o->weight_decay, NULL}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        snprintf(key, sizeof key, "%s.%s", prefix, f[i].name);
        if (!applies(key, mbit, obit)) continue;
        if (f[i].d)
            GR_TRY(gr_rundesc_get_f64(run, key, f[i].d, err));
        else
            GR_TRY(gr_rundesc_get_bool(run, key, f[i].b, err));
    }
    return GR_OK;
}

int gr_proto_gan_config(const gr_run_desc *run, size_t x_dim, gr_gan_config *cfg, gr_error *err) {
    const char *s;
    GR_TRY(gr_rundesc_get_str(run, "method.name", &s, err));
    gr_gan_method m;
    GR_TRY(gr_gan_method_parse(&m, s, err));
    int mi = gr_schema_choice_index(GR_METHODS, s);
    unsigned mbit = mi >= 0 ? 1u << mi : 0;
    gr_gan_preset preset = GR_GAN_PRESET_PAPER;
    if (gr_rundesc_get_str(run, "method.preset", &s, NULL) == GR_OK)
        GR_TRY(gr_gan_preset_parse(&preset, s, err));
    *cfg = gr_gan_config_preset(preset, m, x_dim);
    int st;
    if (gr_rundesc_get_str(run, "nets.g", &s, NULL) == GR_OK &&
        (st = gr_mlp_spec_parse(&cfg->g_spec, s, err)) != GR_OK)
        return gr_error_prefix(err, st, "nets.g: ");
    GR_TRY(gr_rundesc_get_str(run, "nets.d", &s, err));
    if ((st = gr_mlp_spec_parse(&cfg->d_spec, s, err)) != GR_OK)
        return gr_error_prefix(err, st, "nets.d: ");
    /* embedded data: the data-side widths follow data.dim, so one architecture serves a
     * sweep over the ambient dimension (C46) */
    const char *set;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &set, err));
    if (!strcmp(set, "embedded")) {
        cfg->d_spec.in_dim = x_dim;
        cfg->g_spec.out_dim = x_dim;
    }
    GR_TRY(gr_rundesc_get_str(run, "nets.prior", &s, err));
    cfg->prior = !strcmp(s, "uniform") ? GR_GAN_PRIOR_UNIFORM : GR_GAN_PRIOR_NORMAL;
    GR_TRY(gr_rundesc_get_str(run, "method.init", &s, err));
    int ii = gr_schema_choice_index("torch|xavier|normal|he", s);
    if (ii < 0) return GR_ERROR(err, GR_EINVAL, "method.init \"%s\" is not known", s);
    cfg->g_init = cfg->d_init = (gr_init)ii;
    GR_TRY(gr_rundesc_get_size(run, "method.batch", &cfg->batch, err));
    GR_TRY(gr_rundesc_get_size(run, "method.n_critic", &cfg->n_critic, err));
    GR_TRY(gr_rundesc_get_str(run, "method.real", &s, err));
    cfg->real_mode = !strcmp(s, "epoch") ? GR_GAN_REAL_EPOCH : GR_GAN_REAL_FRESH;
    GR_TRY(gr_rundesc_get_bool(run, "method.g_reuse_fake", &cfg->g_reuse_fake, err));
    if (m == GR_GAN_IN) {
        GR_TRY(gr_rundesc_get_str(run, "method.g_loss", &s, err));
        cfg->g_loss = !strcmp(s, "nonsat") ? GR_GAN_GLOSS_NONSAT : GR_GAN_GLOSS_MINIMAX;
        GR_TRY(gr_rundesc_get_bool(run, "method.g_sees_noise", &cfg->g_sees_noise, err));
        GR_TRY(gr_rundesc_get_f64(run, "method.sigma0", &cfg->sigma.sigma0, err));
        GR_TRY(gr_rundesc_get_str(run, "method.sigma_schedule", &s, err));
        cfg->sigma.kind = !strcmp(s, "constant")      ? GR_GAN_SIGMA_CONSTANT
                          : !strcmp(s, "exponential") ? GR_GAN_SIGMA_EXPONENTIAL
                                                      : GR_GAN_SIGMA_LINEAR;
        GR_TRY(get_u64(run, "method.sigma_end", &cfg->sigma.t_end, err));
        GR_TRY(gr_rundesc_get_f64(run, "method.sigma_rate", &cfg->sigma.rate, err));
    }
    if (m == GR_WGAN_CLIP) {
        GR_TRY(gr_rundesc_get_f64(run, "method.clip", &cfg->clip, err));
        GR_TRY(gr_rundesc_get_str(run, "method.clip_when", &s, err));
        cfg->clip_timing = !strcmp(s, "before") ? GR_GAN_CLIP_BEFORE : GR_GAN_CLIP_AFTER;
        GR_TRY(gr_rundesc_get_bool(run, "method.warmup", &cfg->warmup, err));
        GR_TRY(gr_rundesc_get_size(run, "method.warmup_iters", &cfg->warmup_iters, err));
        GR_TRY(get_u64(run, "method.warmup_first", &cfg->warmup_first, err));
        GR_TRY(get_u64(run, "method.warmup_every", &cfg->warmup_every, err));
    }
    if (m == GR_WGAN_GP) {
        GR_TRY(gr_rundesc_get_f64(run, "method.lambda", &cfg->gp_lambda, err));
        GR_TRY(gr_rundesc_get_bool(run, "method.one_sided", &cfg->gp_one_sided, err));
    }
    GR_TRY(read_optim(run, "method.optim_d", mbit, &cfg->d_optim, err));
    GR_TRY(read_optim(run, "method.optim_g", mbit, &cfg->g_optim, err));
    return GR_OK;
}

static int base_alloc(const char *name, uint64_t seed, gr_sampler **out, gr_error *err) {
    if (!strcmp(name, "8gaussians")) return gr_data_gauss8_alloc(out, err);
    if (!strcmp(name, "25gaussians")) return gr_data_gauss25_alloc(out, seed, err);
    if (!strcmp(name, "swissroll")) return gr_data_swissroll_alloc(out, err);
    if (!strcmp(name, "segment")) return gr_data_lines_alloc(out, 0.0, 0.0, err); /* {0} x [0, 1] */
    *out = NULL;
    return GR_ERROR(err, GR_EINVAL, "data set \"%s\" is not a base set here", name);
}

const char *gr_proto_mnist_dir(void) {
    const char *d = getenv("GR_MNIST_DIR");
    return d && *d ? d : "datasets/mnist";
}

int gr_proto_mnist_load_scale(gr_mnist_scale scale, gr_mnist **train, gr_mnist **valid,
                              gr_mnist **test, gr_error *err) {
    *train = *valid = *test = NULL;
    const char *dir = gr_proto_mnist_dir();
    int st = gr_mnist_load(train, dir, GR_MNIST_TRAIN, scale, err);
    if (st == GR_OK) st = gr_mnist_load(valid, dir, GR_MNIST_VALID, scale, err);
    if (st == GR_OK) st = gr_mnist_load(test, dir, GR_MNIST_TEST, scale, err);
    if (st != GR_OK) {
        gr_mnist_free(*train);
        gr_mnist_free(*valid);
        gr_mnist_free(*test);
        *train = *valid = *test = NULL;
    }
    return st;
}

int gr_proto_mnist_load(const gr_run_desc *run, gr_mnist **train, gr_mnist **valid, gr_mnist **test,
                        gr_error *err) {
    *train = *valid = *test = NULL;
    const char *px;
    GR_TRY(gr_rundesc_get_str(run, "data.pixels", &px, err));
    gr_mnist_scale scale = strcmp(px, "symmetric") ? GR_MNIST_UNIT : GR_MNIST_SYMMETRIC;
    return gr_proto_mnist_load_scale(scale, train, valid, test, err);
}

void gr_proto_mnist_classifier_path(gr_mnist_scale scale, char *buf, size_t size) {
    const char *p = getenv("GR_MNIST_CLASSIFIER");
    if (p && *p)
        snprintf(buf, size, "%s", p);
    else
        snprintf(buf, size, "%s/classifier_%s.h5", gr_proto_mnist_dir(),
                 scale == GR_MNIST_UNIT ? "unit" : "symmetric");
}

int gr_proto_mnist_classifier(gr_classifier **out, const gr_mnist *train, const gr_mnist *valid,
                              const gr_mnist *test, size_t max_batch,
                              gr_classifier_progress_fn progress, void *ctx,
                              gr_classifier_source *source, gr_error *err) {
    *out = NULL;
    gr_classifier_settings cs = gr_classifier_settings_mnist();
    gr_classifier *c = NULL;
    GR_TRY(gr_classifier_alloc(&c, &cs, max_batch, err));
    gr_classifier_data tr = {train->x, train->y, train->n, train->source},
                       va = {valid->x, valid->y, valid->n, valid->source},
                       te = {test->x, test->y, test->n, test->source};
    char path[1024], lock[1100];
    gr_proto_mnist_classifier_path(train->scale, path, sizeof path);
    /* one trainer at a time: parallel workers (--jobs N) wait on PATH.lock while the first
     * trains and saves, then load its file instead of training again */
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    gr_classifier_source src = GR_CLASSIFIER_LOADED;
    gr_error why;
    gr_error_clear(&why);
    int st = gr_classifier_obtain(c, path, &tr, &va, &te, progress, ctx, &src, &why, err);
    if (fd >= 0) close(fd); /* releases the lock */
    if (st != GR_OK) {
        gr_classifier_free(c);
        return gr_error_prefix(err, st, "MNIST classifier %s: ", path);
    }
    if (source) *source = src;
    *out = c;
    return GR_OK;
}

static int mnist_alloc(const gr_run_desc *run, const gr_mnist *set, gr_sampler **out,
                       gr_error *err) {
    if (!set)
        return GR_ERROR(err, GR_EINVAL, "data.set \"mnist\" is not supported by this protocol yet");
    size_t subset;
    GR_TRY(gr_rundesc_get_size(run, "data.subset", &subset, err));
    if (subset == 0) return gr_data_mnist_sampler_alloc(out, set, err);
    if (subset > set->n)
        return GR_ERROR(err, GR_EINVAL, "data.subset = %zu exceeds the %zu images", subset, set->n);
    gr_mnist *sub = NULL;
    GR_TRY(gr_mnist_subset(&sub, set, subset, run->seed, err));
    return gr_data_mnist_sampler_take(out, sub, err);
}

int gr_proto_data_alloc(const gr_run_desc *run, gr_sampler **real, gr_sampler **second,
                        gr_error *err) {
    return gr_proto_data_alloc_mnist(run, NULL, real, second, err);
}

int gr_proto_data_alloc_mnist(const gr_run_desc *run, const gr_mnist *mnist_train,
                              gr_sampler **real, gr_sampler **second, gr_error *err) {
    *real = NULL;
    if (second) *second = NULL;
    const char *set;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &set, err));
    double theta = 0, sigma = 0, mean = 0, sd = 1;
    int st = GR_OK;
    if (!strcmp(set, "parallel_lines")) {
        GR_TRY(gr_rundesc_get_f64(run, "data.theta", &theta, err));
        GR_TRY(gr_rundesc_get_f64(run, "data.sigma", &sigma, err));
        st = gr_data_lines_alloc(real, 0.0, sigma, err);
        if (st == GR_OK && second) st = gr_data_lines_alloc(second, theta, sigma, err);
    } else if (!strcmp(set, "gauss1d")) {
        GR_TRY(gr_rundesc_get_f64(run, "data.theta", &theta, err));
        GR_TRY(gr_rundesc_get_f64(run, "data.mean", &mean, err));
        GR_TRY(gr_rundesc_get_f64(run, "data.sd", &sd, err));
        st = gr_data_gauss1d_alloc(real, mean, sd, err);
        if (st == GR_OK && second) st = gr_data_gauss1d_alloc(second, theta, sd, err);
    } else if (!strcmp(set, "point_mass")) {
        GR_TRY(gr_rundesc_get_f64(run, "data.theta", &theta, err));
        st = gr_data_pointmass_alloc(real, 0.0, err);
        if (st == GR_OK && second) st = gr_data_pointmass_alloc(second, theta, err);
    } else if (!strcmp(set, "segment")) {
        st = gr_data_lines_alloc(real, 0.0, 0.0, err);
    } else if (!strcmp(set, "embedded")) {
        const char *base;
        size_t dim;
        double tau;
        GR_TRY(gr_rundesc_get_str(run, "data.embed_base", &base, err));
        GR_TRY(gr_rundesc_get_size(run, "data.dim", &dim, err));
        GR_TRY(gr_rundesc_get_f64(run, "data.tau", &tau, err));
        gr_sampler *inner;
        GR_TRY(base_alloc(base, run->seed, &inner, err));
        st = gr_data_embed_alloc(real, inner, dim, run->seed, tau, err);
    } else if (!strcmp(set, "mnist")) {
        st = mnist_alloc(run, mnist_train, real, err);
    } else {
        st = base_alloc(set, run->seed, real, err);
    }
    if (st != GR_OK) {
        gr_sampler_free(*real);
        *real = NULL;
        if (second) {
            gr_sampler_free(*second);
            *second = NULL;
        }
    }
    return st;
}
