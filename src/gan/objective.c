/* gan/objective.c — the method table, defaults, presets, validation and description of
 * gr_gan_config (gan/objective.h). */
#include "gan/objective.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const method_names[GR_GAN_N_METHODS] = {"gan_mm", "gan_ns", "gan_in",
                                                           "wgan_clip", "wgan_gp"};
static const char *const preset_names[GR_GAN_N_PRESETS] = {"paper", "gan_toy", "wgan_code"};

const char *gr_gan_method_name(gr_gan_method m) {
    return (unsigned)m < GR_GAN_N_METHODS ? method_names[m] : "?";
}

int gr_gan_method_parse(gr_gan_method *m, const char *name, gr_error *err) {
    for (int i = 0; name && i < GR_GAN_N_METHODS; i++)
        if (strcmp(name, method_names[i]) == 0) {
            if (m) *m = (gr_gan_method)i;
            return GR_OK;
        }
    return GR_ERROR(err, GR_EINVAL,
                    "unknown GAN method \"%s\" (expected gan_mm, gan_ns, gan_in, wgan_clip or "
                    "wgan_gp)",
                    name ? name : "(null)");
}

int gr_gan_method_is_wgan(gr_gan_method m) { return m == GR_WGAN_CLIP || m == GR_WGAN_GP; }

const char *gr_gan_preset_name(gr_gan_preset p) {
    return (unsigned)p < GR_GAN_N_PRESETS ? preset_names[p] : "?";
}

int gr_gan_preset_parse(gr_gan_preset *p, const char *name, gr_error *err) {
    for (int i = 0; name && i < GR_GAN_N_PRESETS; i++)
        if (strcmp(name, preset_names[i]) == 0) {
            if (p) *p = (gr_gan_preset)i;
            return GR_OK;
        }
    return GR_ERROR(err, GR_EINVAL,
                    "unknown GAN preset \"%s\" (expected paper, gan_toy or wgan_code)",
                    name ? name : "(null)");
}

double gr_gan_sigma_at(const gr_gan_sigma *s, uint64_t t) {
    if (s->kind == GR_GAN_SIGMA_CONSTANT) return s->sigma0;
    if (t >= s->t_end) return 0.0;
    double u = (double)t / (double)s->t_end;
    if (s->kind == GR_GAN_SIGMA_LINEAR) return s->sigma0 * (1.0 - u);
    /* exponential shifted to reach 0 at t_end: expm1 keeps it accurate for small rates */
    double num = exp(-s->rate * u) - exp(-s->rate);
    double den = -expm1(-s->rate);
    return s->sigma0 * num / den;
}

static gr_mlp_spec toy_spec(size_t in, size_t out) {
    gr_mlp_spec s;
    memset(&s, 0, sizeof s);
    s.in_dim = in;
    s.n_hidden = 3;
    s.hidden[0] = s.hidden[1] = s.hidden[2] = 512;
    s.out_dim = out;
    s.hidden_act = GR_ACT_RELU;
    s.out_act = GR_ACT_IDENTITY;
    return s;
}

static gr_optim_config adam(double lr, double b1, double b2) {
    gr_optim_config c = gr_optim_config_default(GR_OPTIM_ADAM);
    c.lr = lr;
    c.beta1 = b1;
    c.beta2 = b2;
    return c;
}

gr_gan_config gr_gan_config_default(gr_gan_method method, size_t x_dim) {
    gr_gan_config c;
    memset(&c, 0, sizeof c);
    c.method = method;
    c.g_spec = toy_spec(2, x_dim);
    c.d_spec = toy_spec(x_dim, 1);
    c.g_init = c.d_init = GR_INIT_TORCH;
    c.prior = GR_GAN_PRIOR_NORMAL;
    c.batch = 64;
    c.n_critic = 1;
    c.g_optim = c.d_optim = adam(2e-4, 0.5, 0.999);
    c.g_loss = GR_GAN_GLOSS_MINIMAX;
    c.clip = 0.01;
    c.clip_timing = GR_GAN_CLIP_AFTER;
    c.warmup = 0;
    c.warmup_iters = 100;
    c.warmup_first = 25;
    c.warmup_every = 500;
    c.gp_lambda = 10.0;
    c.gp_one_sided = 0;
    c.sigma.kind = GR_GAN_SIGMA_CONSTANT;
    c.sigma.sigma0 = 0.0;
    c.sigma.t_end = 10000;
    c.sigma.rate = 5.0;
    c.g_sees_noise = 1;
    c.real_mode = GR_GAN_REAL_FRESH;
    c.probe.probe_batch = 256;
    c.probe.hist_bins = 50;
    c.probe.hist_range = 0.0;
    c.probe.frac_threshold = 0.99;
    c.probe.grid_n = 64;
    c.probe.n_samples = 512;
    switch (method) {
    case GR_GAN_MM: break;
    case GR_GAN_NS: c.g_loss = GR_GAN_GLOSS_NONSAT; break;
    case GR_GAN_IN:
        c.sigma.kind = GR_GAN_SIGMA_LINEAR;
        c.sigma.sigma0 = 1.0;
        break;
    case GR_WGAN_CLIP:
        c.n_critic = 5;
        c.g_optim = gr_optim_config_default(GR_OPTIM_RMSPROP);
        c.g_optim.lr = 5e-5;
        c.d_optim = c.g_optim;
        c.g_init = c.d_init = GR_INIT_NORMAL;
        break;
    case GR_WGAN_GP:
        c.n_critic = 5;
        c.g_optim = c.d_optim = adam(1e-4, 0.0, 0.9);
        break;
    default: c.batch = 0; break; /* refused by validate */
    }
    return c;
}

gr_gan_config gr_gan_config_preset(gr_gan_preset preset, gr_gan_method method, size_t x_dim) {
    gr_gan_config c = gr_gan_config_default(method, x_dim);
    if (preset == GR_GAN_PRESET_GAN_TOY) {
        c.g_init = c.d_init = GR_INIT_HE;
        c.batch = 256;
        if (method == GR_WGAN_GP) {
            c.g_optim = c.d_optim = adam(1e-4, 0.5, 0.9);
            c.gp_lambda = 0.1;
        } else if (method == GR_WGAN_CLIP) {
            c.g_optim = gr_optim_config_default(GR_OPTIM_RMSPROP_TF);
            c.g_optim.lr = 5e-5;
            c.d_optim = c.g_optim;
        }
    } else if (preset == GR_GAN_PRESET_WGAN_CODE) {
        if (method == GR_WGAN_CLIP) {
            c.clip_timing = GR_GAN_CLIP_BEFORE;
            c.warmup = 1;
        }
    } else if (preset != GR_GAN_PRESET_PAPER) {
        c.batch = 0; /* refused by validate */
    }
    return c;
}

static int check_flag(const char *name, int v, gr_error *err) {
    if (v != 0 && v != 1)
        return GR_ERROR(err, GR_EINVAL, "gan config: %s = %d (must be 0 or 1)", name, v);
    return GR_OK;
}

int gr_gan_config_validate(const gr_gan_config *c, gr_error *err) {
    if (!c) return GR_ERROR(err, GR_EINVAL, "gan config: NULL");
    if ((unsigned)c->method >= GR_GAN_N_METHODS)
        return GR_ERROR(err, GR_EINVAL, "gan config: method = %d (0..4)", (int)c->method);
    int st = gr_mlp_spec_validate(&c->g_spec, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "gan config: g_spec: ");
    st = gr_mlp_spec_validate(&c->d_spec, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "gan config: d_spec: ");
    if (c->d_spec.out_dim != 1 || c->d_spec.out_act != GR_ACT_IDENTITY)
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: d_spec must end in one identity output (a logit / critic "
                        "value), got out_dim %zu, out_act %s",
                        c->d_spec.out_dim, gr_act_name(c->d_spec.out_act));
    if (c->g_spec.out_dim != c->d_spec.in_dim)
        return GR_ERROR(err, GR_EINVAL, "gan config: g_spec.out_dim %zu != d_spec.in_dim %zu",
                        c->g_spec.out_dim, c->d_spec.in_dim);
    if ((unsigned)c->g_init > GR_INIT_HE || (unsigned)c->d_init > GR_INIT_HE)
        return GR_ERROR(err, GR_EINVAL, "gan config: g_init %d / d_init %d (0..3)", (int)c->g_init,
                        (int)c->d_init);
    if ((unsigned)c->prior > GR_GAN_PRIOR_UNIFORM)
        return GR_ERROR(err, GR_EINVAL, "gan config: prior = %d (0 normal, 1 uniform)",
                        (int)c->prior);
    if (c->batch == 0 || c->batch > ((size_t)1 << 24))
        return GR_ERROR(err, GR_EINVAL, "gan config: batch = %zu (1..2^24)", c->batch);
    if (c->n_critic == 0 || c->n_critic > 1000000)
        return GR_ERROR(err, GR_EINVAL, "gan config: n_critic = %zu (1..10^6)", c->n_critic);
    st = gr_optim_config_validate(&c->g_optim, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "gan config: g_optim: ");
    st = gr_optim_config_validate(&c->d_optim, err);
    if (st != GR_OK) return gr_error_prefix(err, st, "gan config: d_optim: ");
    if ((unsigned)c->g_loss > GR_GAN_GLOSS_NONSAT)
        return GR_ERROR(err, GR_EINVAL, "gan config: g_loss = %d (0 minimax, 1 nonsat)",
                        (int)c->g_loss);
    GR_TRY(check_flag("g_reuse_fake", c->g_reuse_fake, err));
    GR_TRY(check_flag("freeze_g", c->freeze_g, err));
    GR_TRY(check_flag("warmup", c->warmup, err));
    GR_TRY(check_flag("gp_one_sided", c->gp_one_sided, err));
    GR_TRY(check_flag("g_sees_noise", c->g_sees_noise, err));
    if (!(c->clip > 0.0) || !isfinite(c->clip) || !((float)c->clip > 0.0f) ||
        !isfinite((float)c->clip))
        return GR_ERROR(err, GR_EINVAL, "gan config: clip = %g (a positive finite float)", c->clip);
    if ((unsigned)c->clip_timing > GR_GAN_CLIP_BEFORE)
        return GR_ERROR(err, GR_EINVAL, "gan config: clip_timing = %d (0 after, 1 before)",
                        (int)c->clip_timing);
    if (c->warmup && (c->warmup_iters == 0 || c->warmup_iters > 1000000 || c->warmup_every == 0))
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: warmup_iters = %zu (1..10^6), warmup_every = %llu (>= 1)",
                        c->warmup_iters, (unsigned long long)c->warmup_every);
    if (c->warmup && c->method != GR_WGAN_CLIP && c->method != GR_WGAN_GP)
        return GR_ERROR(err, GR_EINVAL, "gan config: warmup is a WGAN setting (method %s)",
                        gr_gan_method_name(c->method));
    if (c->g_reuse_fake && (c->n_critic != 1 || c->warmup))
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: g_reuse_fake needs n_critic = 1 and no warm-up (n_critic "
                        "%zu, warmup %d)",
                        c->n_critic, c->warmup);
    if (!(c->gp_lambda >= 0.0) || !isfinite(c->gp_lambda))
        return GR_ERROR(err, GR_EINVAL, "gan config: gp_lambda = %g (>= 0, finite)", c->gp_lambda);
    const gr_gan_sigma *s = &c->sigma;
    if ((unsigned)s->kind > GR_GAN_SIGMA_EXPONENTIAL)
        return GR_ERROR(err, GR_EINVAL, "gan config: sigma.kind = %d (0..2)", (int)s->kind);
    if (!(s->sigma0 >= 0.0) || !isfinite(s->sigma0))
        return GR_ERROR(err, GR_EINVAL, "gan config: sigma0 = %g (>= 0, finite)", s->sigma0);
    if (s->kind != GR_GAN_SIGMA_CONSTANT && s->t_end == 0)
        return GR_ERROR(err, GR_EINVAL, "gan config: sigma_t_end = 0 (>= 1 for a decay)");
    if (s->kind == GR_GAN_SIGMA_EXPONENTIAL && (!(s->rate > 0.0) || !isfinite(s->rate)))
        return GR_ERROR(err, GR_EINVAL, "gan config: sigma_rate = %g (> 0, finite)", s->rate);
    if (c->method != GR_GAN_IN && s->sigma0 != 0.0)
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: sigma0 = %g but instance noise is gan_in's (method %s)",
                        s->sigma0, gr_gan_method_name(c->method));
    if ((unsigned)c->real_mode > GR_GAN_REAL_EPOCH)
        return GR_ERROR(err, GR_EINVAL, "gan config: real_mode = %d (0 fresh, 1 epoch)",
                        (int)c->real_mode);
    const gr_gan_probe_config *p = &c->probe;
    if (p->probe_batch == 0 || p->probe_batch > ((size_t)1 << 24) || p->hist_bins == 0 ||
        p->hist_bins > 1000000 || p->grid_n < 2 || p->grid_n > 4096 || p->n_samples == 0 ||
        p->n_samples > ((size_t)1 << 24))
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: probe sizes probe_batch %zu (1..2^24), hist_bins %zu "
                        "(1..10^6), grid_n %zu (2..4096), n_samples %zu (1..2^24)",
                        p->probe_batch, p->hist_bins, p->grid_n, p->n_samples);
    if (!(p->hist_range >= 0.0) || !isfinite(p->hist_range) || !(p->frac_threshold >= 0.0) ||
        !isfinite(p->frac_threshold))
        return GR_ERROR(err, GR_EINVAL,
                        "gan config: probe hist_range %g, frac_threshold %g (>= 0, finite)",
                        p->hist_range, p->frac_threshold);
    return GR_OK;
}

static const char *const g_hidden_names[GR_MLP_MAX_HIDDEN] = {
    "g_hidden_0",  "g_hidden_1",  "g_hidden_2",  "g_hidden_3", "g_hidden_4",  "g_hidden_5",
    "g_hidden_6",  "g_hidden_7",  "g_hidden_8",  "g_hidden_9", "g_hidden_10", "g_hidden_11",
    "g_hidden_12", "g_hidden_13", "g_hidden_14", "g_hidden_15"};
static const char *const d_hidden_names[GR_MLP_MAX_HIDDEN] = {
    "d_hidden_0",  "d_hidden_1",  "d_hidden_2",  "d_hidden_3", "d_hidden_4",  "d_hidden_5",
    "d_hidden_6",  "d_hidden_7",  "d_hidden_8",  "d_hidden_9", "d_hidden_10", "d_hidden_11",
    "d_hidden_12", "d_hidden_13", "d_hidden_14", "d_hidden_15"};

/* names of one net's spec / optimizer fields, so G and D share the code */
typedef struct {
    const char *in_dim, *n_hidden, *const *hidden, *out_dim, *hidden_act, *hidden_alpha, *out_act,
        *out_alpha;
    const char *kind, *lr, *wd, *mom, *damp, *nest, *alpha, *cent, *b1, *b2, *eps;
} net_names;

static const net_names g_names = {"g_in_dim",     "g_n_hidden",     g_hidden_names,   "g_out_dim",
                                  "g_hidden_act", "g_hidden_alpha", "g_out_act",      "g_out_alpha",
                                  "g_optim_kind", "g_lr",           "g_weight_decay", "g_momentum",
                                  "g_dampening",  "g_nesterov",     "g_alpha",        "g_centered",
                                  "g_beta1",      "g_beta2",        "g_eps"};
static const net_names d_names = {"d_in_dim",     "d_n_hidden",     d_hidden_names,   "d_out_dim",
                                  "d_hidden_act", "d_hidden_alpha", "d_out_act",      "d_out_alpha",
                                  "d_optim_kind", "d_lr",           "d_weight_decay", "d_momentum",
                                  "d_dampening",  "d_nesterov",     "d_alpha",        "d_centered",
                                  "d_beta1",      "d_beta2",        "d_eps"};

/* at most 8 + 16 entries */
static size_t describe_spec(const gr_mlp_spec *s, const net_names *nm, gr_setting *v) {
    size_t n = 0, nh = s->n_hidden <= GR_MLP_MAX_HIDDEN ? s->n_hidden : GR_MLP_MAX_HIDDEN;
    v[n++] = gr_setting_size(nm->in_dim, s->in_dim);
    v[n++] = gr_setting_size(nm->n_hidden, s->n_hidden);
    for (size_t i = 0; i < nh; i++)
        v[n++] = gr_setting_size(nm->hidden[i], s->hidden[i]);
    v[n++] = gr_setting_size(nm->out_dim, s->out_dim);
    v[n++] = gr_setting_int(nm->hidden_act, (int)s->hidden_act);
    v[n++] = gr_setting_double(nm->hidden_alpha, s->hidden_alpha);
    v[n++] = gr_setting_int(nm->out_act, (int)s->out_act);
    v[n++] = gr_setting_double(nm->out_alpha, s->out_alpha);
    return n;
}

static size_t describe_optim(const gr_optim_config *o, const net_names *nm, gr_setting *v) {
    size_t n = 0;
    v[n++] = gr_setting_int(nm->kind, (int)o->kind);
    v[n++] = gr_setting_double(nm->lr, o->lr);
    v[n++] = gr_setting_double(nm->wd, o->weight_decay);
    v[n++] = gr_setting_double(nm->mom, o->momentum);
    v[n++] = gr_setting_double(nm->damp, o->dampening);
    v[n++] = gr_setting_int(nm->nest, o->nesterov);
    v[n++] = gr_setting_double(nm->alpha, o->alpha);
    v[n++] = gr_setting_int(nm->cent, o->centered);
    v[n++] = gr_setting_double(nm->b1, o->beta1);
    v[n++] = gr_setting_double(nm->b2, o->beta2);
    v[n++] = gr_setting_double(nm->eps, o->eps);
    return n;
}

#define GR_GAN_MAX_SETTINGS 128

size_t gr_gan_config_describe(const gr_gan_config *c, gr_setting *out, size_t cap) {
    gr_setting v[GR_GAN_MAX_SETTINGS];
    size_t n = 0;
    v[n++] = gr_setting_int("method", (int)c->method);
    n += describe_spec(&c->g_spec, &g_names, v + n);
    n += describe_spec(&c->d_spec, &d_names, v + n);
    v[n++] = gr_setting_int("g_init", (int)c->g_init);
    v[n++] = gr_setting_int("d_init", (int)c->d_init);
    v[n++] = gr_setting_int("prior", (int)c->prior);
    v[n++] = gr_setting_size("batch", c->batch);
    v[n++] = gr_setting_size("n_critic", c->n_critic);
    n += describe_optim(&c->g_optim, &g_names, v + n);
    n += describe_optim(&c->d_optim, &d_names, v + n);
    v[n++] = gr_setting_int("g_loss", (int)c->g_loss);
    v[n++] = gr_setting_int("g_reuse_fake", c->g_reuse_fake);
    v[n++] = gr_setting_int("freeze_g", c->freeze_g);
    v[n++] = gr_setting_size("n_iters", (size_t)c->n_iters);
    v[n++] = gr_setting_double("clip", c->clip);
    v[n++] = gr_setting_int("clip_timing", (int)c->clip_timing);
    v[n++] = gr_setting_int("warmup", c->warmup);
    v[n++] = gr_setting_size("warmup_iters", c->warmup_iters);
    v[n++] = gr_setting_size("warmup_first", (size_t)c->warmup_first);
    v[n++] = gr_setting_size("warmup_every", (size_t)c->warmup_every);
    v[n++] = gr_setting_double("gp_lambda", c->gp_lambda);
    v[n++] = gr_setting_int("gp_one_sided", c->gp_one_sided);
    v[n++] = gr_setting_int("sigma_kind", (int)c->sigma.kind);
    v[n++] = gr_setting_double("sigma0", c->sigma.sigma0);
    v[n++] = gr_setting_size("sigma_t_end", (size_t)c->sigma.t_end);
    v[n++] = gr_setting_double("sigma_rate", c->sigma.rate);
    v[n++] = gr_setting_int("g_sees_noise", c->g_sees_noise);
    v[n++] = gr_setting_int("real_mode", (int)c->real_mode);
    const gr_gan_probe_config *p = &c->probe;
    v[n++] = gr_setting_size("probe_every_losses", (size_t)p->every_losses);
    v[n++] = gr_setting_size("probe_every_gen_grad", (size_t)p->every_gen_grad);
    v[n++] = gr_setting_size("probe_every_layer_grads", (size_t)p->every_layer_grads);
    v[n++] = gr_setting_size("probe_every_weights", (size_t)p->every_weights);
    v[n++] = gr_setting_size("probe_every_surface", (size_t)p->every_surface);
    v[n++] = gr_setting_size("probe_every_cosine", (size_t)p->every_cosine);
    v[n++] = gr_setting_size("probe_every_samples", (size_t)p->every_samples);
    v[n++] = gr_setting_size("probe_batch", p->probe_batch);
    v[n++] = gr_setting_size("probe_hist_bins", p->hist_bins);
    v[n++] = gr_setting_double("probe_hist_range", p->hist_range);
    v[n++] = gr_setting_double("probe_frac_threshold", p->frac_threshold);
    v[n++] = gr_setting_size("probe_grid_n", p->grid_n);
    v[n++] = gr_setting_size("probe_n_samples", p->n_samples);
    return gr_settings_copy(out, cap, v, n);
}

/* ---- enumerated settings as text -------------------------------------------------------- */

typedef struct {
    const char *setting[4];
    const char *const *names;
    int count;
} enum_table;

static const char *const gloss_names[] = {"minimax", "nonsat"};
static const char *const prior_names[] = {"normal", "uniform"};
static const char *const timing_names[] = {"after", "before"};
static const char *const sigma_names[] = {"constant", "linear", "exponential"};
static const char *const real_names[] = {"fresh", "epoch"};
static const char *const init_names[] = {"torch", "xavier", "normal", "he"};
static const char *const optim_names[] = {NULL,         "sgd",    "rmsprop", "adam",
                                          "rmsprop_tf", "adam_tf"}; /* gr_optim_kind starts at 1 */
static const char *const act_names[] = {"linear",  "relu",     "lrelu", "tanh",
                                        "sigmoid", "softplus", "elu"};

static const enum_table enum_tables[] = {
    {{"method"}, method_names, GR_GAN_N_METHODS},
    {{"g_loss"}, gloss_names, 2},
    {{"prior"}, prior_names, 2},
    {{"clip_timing"}, timing_names, 2},
    {{"sigma_kind"}, sigma_names, 3},
    {{"real_mode"}, real_names, 2},
    {{"g_init", "d_init"}, init_names, 4},
    {{"g_optim_kind", "d_optim_kind"}, optim_names, 6},
    {{"g_hidden_act", "g_out_act", "d_hidden_act", "d_out_act"}, act_names, GR_ACT_COUNT},
};

static const enum_table *enum_find(const char *setting) {
    for (size_t i = 0; setting && i < sizeof enum_tables / sizeof enum_tables[0]; i++)
        for (int k = 0; k < 4 && enum_tables[i].setting[k]; k++)
            if (strcmp(setting, enum_tables[i].setting[k]) == 0) return &enum_tables[i];
    return NULL;
}

const char *gr_gan_setting_enum_name(const char *setting, int value) {
    const enum_table *e = enum_find(setting);
    if (!e || value < 0 || value >= e->count) return NULL;
    return e->names[value];
}

int gr_gan_setting_enum_parse(const char *setting, const char *name, int *value, gr_error *err) {
    const enum_table *e = enum_find(setting);
    if (!e)
        return GR_ERROR(err, GR_EINVAL, "gan setting \"%s\" is not an enumeration",
                        setting ? setting : "(null)");
    for (int i = 0; name && i < e->count; i++)
        if (e->names[i] && strcmp(name, e->names[i]) == 0) {
            if (value) *value = i;
            return GR_OK;
        }
    char list[256] = "";
    size_t len = 0;
    for (int i = 0; i < e->count; i++)
        if (e->names[i] && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                                    e->names[i]);
    return GR_ERROR(err, GR_EINVAL, "gan setting %s: unknown value \"%s\" (expected %s)", setting,
                    name ? name : "(null)", list);
}
