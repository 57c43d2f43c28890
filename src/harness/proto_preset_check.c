/* harness/proto_preset_check.c — the preset_check protocol (CLAIMS C26, C30, C37): the
 * settings a run of the suite trains with, compared field by field with the values the
 * papers and the reference codes state, the two invariants of the WGAN critic updates that
 * can be checked exactly (the clip bound after every critic update; the gradient penalty's
 * parameter gradient against central differences), and the constants of gan_toy.py's three
 * data sets measured on the suite's samplers. Contract in harness/protocol.h; metrics in
 * docs/RESULTS.md. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/fixedgen.h"
#include "data/toys.h"
#include "gan/trainer.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"
#include "nn/mlp.h"

/* ---- stated values ------------------------------------------------------------------- */

/* One stated setting: the gr_gan_config_describe name, the value the source states (enums
 * as their int values, see gan/objective.h and nn/optim.h). */
typedef struct stated {
    const char *field;
    double value;
} stated;

#define RMS  GR_OPTIM_RMSPROP
#define RMST GR_OPTIM_RMSPROP_TF
#define ADAM GR_OPTIM_ADAM
#define ADMT GR_OPTIM_ADAM_TF

/* WGAN Algorithm 1 (alpha 5e-5, c 0.01, m 64, n_critic 5, RMSProp; clip after the update,
 * line 7) with what the WGAN code adds and the paper preset adopts (C26): lrD = lrG,
 * torch's RMSprop (alpha 0.99, eps 1e-8, no momentum), weights N(0, 0.02). */
static const stated CLIP_PAPER[] = {
    {"d_optim_kind", RMS},
    {"g_optim_kind", RMS},
    {"d_lr", 5e-5},
    {"g_lr", 5e-5},
    {"d_alpha", 0.99},
    {"g_alpha", 0.99},
    {"d_eps", 1e-8},
    {"g_eps", 1e-8},
    {"d_momentum", 0.0},
    {"g_momentum", 0.0},
    {"clip", 0.01},
    {"batch", 64},
    {"n_critic", 5},
    {"clip_timing", GR_GAN_CLIP_AFTER},
    {"warmup", 0},
    {"d_init", GR_INIT_NORMAL},
    {"g_init", GR_INIT_NORMAL},
};
/* martinarjovsky/WassersteinGAN main.py and README (C26): clamp before each critic step,
 * 100 critic iterations for the first 25 generator iterations and every 500th. */
static const stated CLIP_CODE[] = {
    {"d_optim_kind", RMS},
    {"g_optim_kind", RMS},
    {"d_lr", 5e-5},
    {"g_lr", 5e-5},
    {"d_alpha", 0.99},
    {"g_alpha", 0.99},
    {"d_eps", 1e-8},
    {"g_eps", 1e-8},
    {"d_momentum", 0.0},
    {"g_momentum", 0.0},
    {"clip", 0.01},
    {"batch", 64},
    {"n_critic", 5},
    {"clip_timing", GR_GAN_CLIP_BEFORE},
    {"warmup", 1},
    {"warmup_iters", 100},
    {"warmup_first", 25},
    {"warmup_every", 500},
    {"d_init", GR_INIT_NORMAL},
    {"g_init", GR_INIT_NORMAL},
};
/* gan_toy.py, MODE = 'wgan' (C37): tf.train.RMSPropOptimizer(5e-5) (decay 0.9, eps 1e-10),
 * clip +-0.01 after each critic step, BATCH_SIZE 256, CRITIC_ITERS 5, He-uniform init. */
static const stated CLIP_TOY[] = {
    {"d_optim_kind", RMST}, {"g_optim_kind", RMST}, {"d_lr", 5e-5},
    {"g_lr", 5e-5},         {"d_alpha", 0.9},       {"g_alpha", 0.9},
    {"d_eps", 1e-10},       {"g_eps", 1e-10},       {"clip", 0.01},
    {"batch", 256},         {"n_critic", 5},        {"clip_timing", GR_GAN_CLIP_AFTER},
    {"warmup", 0},          {"d_init", GR_INIT_HE}, {"g_init", GR_INIT_HE},
};
/* WGAN-GP Algorithm 1 (C30): lambda 10, n_critic 5, Adam(1e-4, 0, 0.9), two-sided. */
static const stated GP_PAPER[] = {
    {"d_optim_kind", ADAM}, {"g_optim_kind", ADAM}, {"d_lr", 1e-4},   {"g_lr", 1e-4},
    {"d_beta1", 0.0},       {"g_beta1", 0.0},       {"d_beta2", 0.9}, {"g_beta2", 0.9},
    {"gp_lambda", 10.0},    {"gp_one_sided", 0},    {"n_critic", 5},
};
/* gan_toy.py, MODE = 'wgan-gp' (C37): tf.train.AdamOptimizer(1e-4, beta1 0.5, beta2 0.9),
 * LAMBDA 0.1, CRITIC_ITERS 5, BATCH_SIZE 256, He-uniform init. TF's Adam is nn/optim.h's
 * adam_tf (the suite's gan_toy preset uses torch's adam, as the PyTorch port does). */
static const stated GP_TOY[] = {
    {"d_optim_kind", ADMT}, {"g_optim_kind", ADMT}, {"d_lr", 1e-4},   {"g_lr", 1e-4},
    {"d_beta1", 0.5},       {"g_beta1", 0.5},       {"d_beta2", 0.9}, {"g_beta2", 0.9},
    {"gp_lambda", 0.1},     {"gp_one_sided", 0},    {"n_critic", 5},  {"batch", 256},
    {"d_init", GR_INIT_HE}, {"g_init", GR_INIT_HE},
};

/* Every field a table above names: the metrics cfg_<field> and dev_<field> of every run. */
static const char *const FIELDS[] = {
    "d_optim_kind", "g_optim_kind", "d_lr",       "g_lr",         "d_alpha",  "g_alpha",
    "d_eps",        "g_eps",        "d_momentum", "g_momentum",   "d_beta1",  "g_beta1",
    "d_beta2",      "g_beta2",      "clip",       "clip_timing",  "warmup",   "warmup_iters",
    "warmup_first", "warmup_every", "gp_lambda",  "gp_one_sided", "n_critic", "batch",
    "d_init",       "g_init"};
#define N_FIELDS (sizeof FIELDS / sizeof FIELDS[0])

#define TABLE(t) t, sizeof t / sizeof t[0]

/* The stated table of (method, preset), and the paper's table of the method. */
static void tables_of(gr_gan_method m, gr_gan_preset p, const stated **src, size_t *nsrc,
                      const stated **paper, size_t *npaper) {
    *src = *paper = NULL;
    *nsrc = *npaper = 0;
    if (m == GR_WGAN_CLIP) {
        *paper = CLIP_PAPER, *npaper = sizeof CLIP_PAPER / sizeof CLIP_PAPER[0];
        if (p == GR_GAN_PRESET_WGAN_CODE)
            *src = CLIP_CODE, *nsrc = sizeof CLIP_CODE / sizeof CLIP_CODE[0];
        else if (p == GR_GAN_PRESET_GAN_TOY)
            *src = CLIP_TOY, *nsrc = sizeof CLIP_TOY / sizeof CLIP_TOY[0];
        else
            *src = *paper, *nsrc = *npaper;
    } else if (m == GR_WGAN_GP) {
        *paper = GP_PAPER, *npaper = sizeof GP_PAPER / sizeof GP_PAPER[0];
        if (p == GR_GAN_PRESET_GAN_TOY)
            *src = GP_TOY, *nsrc = sizeof GP_TOY / sizeof GP_TOY[0];
        else
            *src = *paper, *nsrc = *npaper;
    }
}

/* The value of a described field (enums and flags as numbers), NaN if absent. */
static double field_of(const gr_setting *s, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s[i].name, name)) continue;
        switch (s[i].type) {
        case GR_SETTING_SIZE: return (double)s[i].value.size;
        case GR_SETTING_INT: return (double)s[i].value.integer;
        default: return s[i].value.real;
        }
    }
    return NAN;
}

/* Fields of `tab` whose value in s differs (exactly) from the stated one; the largest
 * relative deviation into *maxrel. */
static size_t count_differ(const gr_setting *s, size_t n, const stated *tab, size_t nt,
                           double *maxrel) {
    size_t k = 0;
    double mr = 0;
    for (size_t i = 0; i < nt; i++) {
        double v = field_of(s, n, tab[i].field), want = tab[i].value;
        if (!(v == want)) k++;
        double r = want != 0 ? fabs(v - want) / fabs(want) : fabs(v);
        if (!(r <= mr)) mr = r;
    }
    if (maxrel) *maxrel = mr;
    return k;
}

static const stated *find_stated(const stated *tab, size_t nt, const char *field) {
    for (size_t i = 0; i < nt; i++)
        if (!strcmp(tab[i].field, field)) return &tab[i];
    return NULL;
}

#define GR_DESC_MAX 160

static int metric(gr_results_run *w, const char *prefix, const char *name, double v,
                  gr_error *err) {
    char buf[96];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    return gr_results_run_metric(w, buf, v, err);
}

/* ---- the method checks ----------------------------------------------------------------- */

static double max_abs_f(const float *p, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs((double)p[i]);
        if (!(a <= m)) m = a;
    }
    return m;
}

/* WGAN-clip: schedule.steps critic updates against data + N(0, I), one update per trainer
 * iteration (n_critic 1, no warm-up: every update is observed); after each, max |w| over
 * every critic parameter (weights and biases, the ones clipped) minus c. */
static int clip_check(const gr_run_desc *run, const gr_gan_config *base, gr_results_run *w,
                      gr_error *err) {
    size_t steps;
    GR_TRY(gr_rundesc_get_size(run, "schedule.steps", &steps, err));
    gr_sampler *data = NULL, *inner = NULL, *fake = NULL;
    gr_gan_trainer *t = NULL;
    int st = gr_proto_data_alloc(run, &data, NULL, err);
    if (st == GR_OK) st = gr_proto_data_alloc(run, &inner, NULL, err);
    if (st == GR_OK) {
        st = gr_data_noisy_alloc(&fake, inner, 1.0, err);
        inner = NULL; /* taken */
    }
    gr_gan_config cfg = *base;
    cfg.n_critic = 1;
    cfg.warmup = 0;
    cfg.n_iters = steps;
    if (st == GR_OK) st = gr_gan_trainer_alloc_fixed(&t, &cfg, data, fake, run->seed, err);
    double excess = -INFINITY, at_bound = NAN;
    if (st == GR_OK) {
        gr_mlp *dn = gr_gan_trainer_d(t);
        size_t np = gr_mlp_n_params(dn);
        excess = max_abs_f(gr_mlp_params(dn), np) - cfg.clip; /* at initialisation */
        double init_excess = excess;
        excess = -INFINITY;
        for (size_t k = 0; st == GR_OK && k < steps; k++) {
            st = gr_gan_trainer_step(t, err);
            double e = max_abs_f(gr_mlp_params(dn), np) - cfg.clip;
            if (!(e <= excess)) excess = e;
        }
        if (st == GR_OK) {
            const float *p = gr_mlp_params(dn);
            size_t k = 0;
            for (size_t i = 0; i < np; i++)
                k += fabs((double)p[i]) >= 0.99 * cfg.clip;
            at_bound = (double)k / (double)np;
        }
        if (st == GR_OK) st = gr_results_run_metric(w, "clip_init_excess", init_excess, err);
    }
    if (st == GR_OK) st = gr_results_run_metric(w, "clip_updates", (double)steps, err);
    if (st == GR_OK) st = gr_results_run_metric(w, "clip_max_excess", excess, err);
    if (st == GR_OK) st = gr_results_run_metric(w, "clip_frac_at_bound", at_bound, err);
    gr_gan_trainer_free(t);
    gr_sampler_free(fake);
    gr_sampler_free(inner);
    gr_sampler_free(data);
    return st;
}

/* Normwise relative error in the max norm (tests/nn's measure). */
static double rel_err(const double *a, const double *b, size_t n) {
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= num)) num = d;
        if (fabs(a[i]) > den) den = fabs(a[i]);
        if (fabs(b[i]) > den) den = fabs(b[i]);
    }
    return den > 0.0 ? num / den : num;
}

#define GP_ROWS 8
#define GP_H    1e-6

/* WGAN-GP: the penalty lambda mean (|grad f(xhat)| - 1)^2 of a fresh critic (nets.d, the
 * method's init, stream INIT) at GP_ROWS interpolates e x + (1 - e) xtilde of data rows
 * and data + N(0, I) rows (e ~ U[0,1], stream INTERP): its parameter gradient by double
 * backpropagation (nn/mlp.h, in double) against central differences with h = 1e-6, the
 * float network's against the double one, and the value against the input gradients. */
static int gp_check(const gr_run_desc *run, const gr_gan_config *cfg, gr_results_run *w,
                    gr_error *err) {
    gr_sampler *data = NULL, *inner = NULL, *fake = NULL;
    gsl_rng *ri = NULL, *rx = NULL;
    gr_mlpd *net = NULL;
    gr_mlp *netf = NULL;
    double *g = NULL, *fd = NULL, *gf = NULL;
    float *xf = NULL;
    const size_t d = cfg->d_spec.in_dim, B = GP_ROWS;
    double xr[GP_ROWS * 8], xg[GP_ROWS * 8], xh[GP_ROWS * 8], gx[GP_ROWS * 8], gn[GP_ROWS];
    if (d > 8) return GR_ERROR(err, GR_EINVAL, "preset_check: the GP check takes d <= 8");
    int st = gr_proto_data_alloc(run, &data, NULL, err);
    if (st == GR_OK) st = gr_proto_data_alloc(run, &inner, NULL, err);
    if (st == GR_OK) {
        st = gr_data_noisy_alloc(&fake, inner, 1.0, err);
        inner = NULL;
    }
    if (st == GR_OK) st = gr_rng_alloc(&ri, run->seed, GR_STREAM_INIT, err);
    if (st == GR_OK) st = gr_rng_alloc(&rx, run->seed, GR_STREAM_INTERP, err);
    if (st == GR_OK) st = gr_sampler_sample(data, rx, B, xr, err);
    if (st == GR_OK) st = gr_sampler_sample(fake, rx, B, xg, err);
    for (size_t i = 0; st == GR_OK && i < B; i++) {
        double e = gsl_rng_uniform(rx);
        for (size_t j = 0; j < d; j++)
            xh[i * d + j] = e * xr[i * d + j] + (1 - e) * xg[i * d + j];
    }
    if (st == GR_OK) st = gr_mlpd_alloc(&net, &cfg->d_spec, B, err);
    if (st == GR_OK) st = gr_mlpd_init(net, cfg->d_init, ri, err);
    size_t np = st == GR_OK ? gr_mlpd_n_params(net) : 0;
    if (st == GR_OK) {
        g = malloc(np * sizeof *g);
        fd = malloc(np * sizeof *fd);
        gf = malloc(np * sizeof *gf);
        xf = malloc(B * d * sizeof *xf);
        if (!g || !fd || !gf || !xf) st = GR_ERROR(err, GR_ENOMEM, "preset_check: memory");
    }
    double pen = NAN, lam = cfg->gp_lambda;
    if (st == GR_OK) {
        gr_mlpd_zero_grad(net);
        st = gr_mlpd_gp(net, &pen, gn, xh, B, lam, err);
    }
    if (st == GR_OK) memcpy(g, gr_mlpd_grads(net), np * sizeof *g);
    double *theta = st == GR_OK ? gr_mlpd_params(net) : NULL;
    for (size_t i = 0; st == GR_OK && i < np; i++) {
        double t0 = theta[i], fp = NAN, fm = NAN;
        theta[i] = t0 + GP_H;
        st = gr_mlpd_gp(net, &fp, NULL, xh, B, lam, err);
        theta[i] = t0 - GP_H;
        if (st == GR_OK) st = gr_mlpd_gp(net, &fm, NULL, xh, B, lam, err);
        theta[i] = t0;
        fd[i] = (fp - fm) / (2 * GP_H);
    }
    /* the value from the input gradients */
    double want = 0;
    if (st == GR_OK) st = gr_mlpd_input_grad(net, gx, xh, B, err);
    for (size_t i = 0; st == GR_OK && i < B; i++) {
        double s2 = 0;
        for (size_t j = 0; j < d; j++)
            s2 += gx[i * d + j] * gx[i * d + j];
        want += (sqrt(s2) - 1) * (sqrt(s2) - 1);
    }
    want *= lam / (double)B;
    /* the float network the trainer uses, same parameters rounded to float */
    if (st == GR_OK) st = gr_mlp_alloc(&netf, &cfg->d_spec, B, err);
    if (st == GR_OK) {
        float *pf = gr_mlp_params(netf);
        for (size_t i = 0; i < np; i++)
            pf[i] = (float)theta[i];
        for (size_t i = 0; i < B * d; i++)
            xf[i] = (float)xh[i];
        gr_mlp_zero_grad(netf);
        st = gr_mlp_gp(netf, NULL, NULL, xf, B, lam, err);
    }
    if (st == GR_OK) {
        const float *q = gr_mlp_grads(netf);
        for (size_t i = 0; i < np; i++)
            gf[i] = q[i];
    }
    double scale = 0;
    for (size_t i = 0; st == GR_OK && i < np; i++)
        if (fabs(fd[i]) > scale) scale = fabs(fd[i]);
    struct {
        const char *name;
        double v;
    } mt[] = {
        {"gp_params", (double)np},
        {"gp_rows", (double)B},
        {"gp_penalty", pen},
        {"gp_value_rel_err", st == GR_OK ? fabs(pen - want) / fabs(want) : NAN},
        {"gp_grad_fd_rel_err", st == GR_OK ? rel_err(g, fd, np) : NAN},
        {"gp_grad_scale", scale},
        {"gp_grad_float_rel_err", st == GR_OK ? rel_err(gf, g, np) : NAN},
    };
    for (size_t i = 0; st == GR_OK && i < sizeof mt / sizeof mt[0]; i++)
        st = gr_results_run_metric(w, mt[i].name, mt[i].v, err);
    free(g);
    free(fd);
    free(gf);
    free(xf);
    gr_mlp_free(netf);
    gr_mlpd_free(net);
    gr_rng_free(ri);
    gr_rng_free(rx);
    gr_sampler_free(fake);
    gr_sampler_free(inner);
    gr_sampler_free(data);
    return st;
}

static int method_check(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *mname, *pname;
    gr_gan_method m;
    gr_gan_preset p;
    GR_TRY(gr_rundesc_get_str(run, "method.name", &mname, err));
    GR_TRY(gr_rundesc_get_str(run, "method.preset", &pname, err));
    GR_TRY(gr_gan_method_parse(&m, mname, err));
    GR_TRY(gr_gan_preset_parse(&p, pname, err));
    if (m != GR_WGAN_CLIP && m != GR_WGAN_GP)
        return GR_ERROR(err, GR_EINVAL,
                        "preset_check: method %s has no stated defaults to check (wgan_clip and "
                        "wgan_gp do: C26, C30)",
                        mname);
    gr_sampler *probe = NULL;
    GR_TRY(gr_proto_data_alloc(run, &probe, NULL, err));
    size_t d = gr_sampler_dim(probe);
    gr_sampler_free(probe);
    gr_gan_config cfg, obj;
    GR_TRY(gr_proto_gan_config(run, d, &cfg, err));
    /* what gan/objective.h's preset says, with the run's nets (the file declares them) */
    obj = gr_gan_config_preset(p, m, d);
    obj.g_spec = cfg.g_spec;
    obj.d_spec = cfg.d_spec;
    gr_setting s[GR_DESC_MAX], so[GR_DESC_MAX];
    size_t n = gr_gan_config_describe(&cfg, s, GR_DESC_MAX);
    size_t no = gr_gan_config_describe(&obj, so, GR_DESC_MAX);
    if (n > GR_DESC_MAX || no != n)
        return GR_ERROR(err, GR_EINTERNAL, "preset_check: %zu / %zu described settings", n, no);
    size_t differ_obj = 0;
    for (size_t i = 0; i < n; i++) {
        double a = field_of(s, n, s[i].name), b = field_of(so, no, s[i].name);
        if (!(a == b)) differ_obj++;
    }
    const stated *src, *paper;
    size_t nsrc, npaper;
    tables_of(m, p, &src, &nsrc, &paper, &npaper);
    double maxrel_src, maxrel_paper;
    size_t differ_src = count_differ(s, n, src, nsrc, &maxrel_src);
    size_t differ_paper = count_differ(s, n, paper, npaper, &maxrel_paper);
    for (size_t f = 0; f < N_FIELDS; f++) {
        double v = field_of(s, n, FIELDS[f]);
        const stated *q = find_stated(src, nsrc, FIELDS[f]);
        GR_TRY(metric(w, "cfg_", FIELDS[f], v, err));
        GR_TRY(metric(w, "dev_", FIELDS[f], q ? v - q->value : NAN, err));
    }
    GR_TRY(gr_results_run_metric(w, "n_stated", (double)nsrc, err));
    GR_TRY(gr_results_run_metric(w, "n_differ_source", (double)differ_src, err));
    GR_TRY(gr_results_run_metric(w, "max_rel_dev_source", maxrel_src, err));
    GR_TRY(gr_results_run_metric(w, "n_differ_paper", (double)differ_paper, err));
    GR_TRY(gr_results_run_metric(w, "n_differ_objective", (double)differ_obj, err));
    GR_TRY(gr_results_run_metric(w, "n_settings", (double)n, err));
    if (m == GR_WGAN_CLIP) return clip_check(run, &cfg, w, err);
    return gp_check(run, &cfg, w, err);
}

/* ---- the toy data (C37) ------------------------------------------------------------------ */

static int toys_check(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    size_t n;
    GR_TRY(gr_rundesc_get_size(run, "preset_check.n", &n, err));
    size_t nd;
    if (gr_size_mul(n, 2, &nd) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "preset_check: preset_check.n too large");
    gr_sampler *g8 = NULL, *g25 = NULL, *sr = NULL;
    gsl_rng *rng = NULL;
    double *x = malloc(nd * sizeof *x), *t = malloc(n * sizeof *t);
    int st = x && t ? GR_OK : GR_ERROR(err, GR_ENOMEM, "preset_check: memory for %zu points", n);
    if (st == GR_OK) st = gr_rng_alloc(&rng, run->seed, GR_STREAM_DATA, err);
    if (st == GR_OK) st = gr_data_gauss8_alloc(&g8, err);
    if (st == GR_OK) st = gr_data_gauss25_alloc(&g25, run->seed, err);
    if (st == GR_OK) st = gr_data_swissroll_alloc(&sr, err);
    /* 8 Gaussians: the modes table, then n draws assigned to the nearest centre */
    const double R8 = GR_DATA_GAUSS8_RADIUS / GR_DATA_GAUSS8_SCALE;
    const double S8 = GR_DATA_GAUSS8_SD / GR_DATA_GAUSS8_SCALE;
    double rad_dev = 0, sd_tab_dev = 0, emp_sd_dev = 0, emp_rad_dev = 0, cnt_dev = 0;
    if (st == GR_OK) {
        const gr_modes *m = gr_sampler_modes(g8);
        if (!m || m->k != 8 || m->d != 2)
            st = GR_ERROR(err, GR_EINTERNAL, "preset_check: 8 Gaussians without 8 2-D modes");
        for (size_t k = 0; st == GR_OK && k < 8; k++) {
            double r = hypot(m->mu[2 * k], m->mu[2 * k + 1]);
            rad_dev = fmax(rad_dev, fabs(r - R8));
            sd_tab_dev = fmax(sd_tab_dev, fabs(m->sd[k] / S8 - 1));
        }
        if (st == GR_OK) st = gr_sampler_sample(g8, rng, n, x, err);
        double s1[8][2] = {{0}}, s2[8] = {0}, c[8] = {0};
        for (size_t i = 0; st == GR_OK && i < n; i++) {
            size_t best = 0;
            double bd = INFINITY;
            for (size_t k = 0; k < 8; k++) {
                double dd = hypot(x[2 * i] - m->mu[2 * k], x[2 * i + 1] - m->mu[2 * k + 1]);
                if (dd < bd) bd = dd, best = k;
            }
            c[best]++;
            s1[best][0] += x[2 * i], s1[best][1] += x[2 * i + 1];
        }
        double mean[8][2];
        for (size_t k = 0; st == GR_OK && k < 8; k++) {
            mean[k][0] = s1[k][0] / c[k], mean[k][1] = s1[k][1] / c[k];
            emp_rad_dev = fmax(emp_rad_dev, fabs(hypot(mean[k][0], mean[k][1]) - R8));
            cnt_dev = fmax(cnt_dev, fabs(c[k] / ((double)n / 8) - 1));
        }
        for (size_t i = 0; st == GR_OK && i < n; i++) {
            size_t best = 0;
            double bd = INFINITY;
            for (size_t k = 0; k < 8; k++) {
                double dd = hypot(x[2 * i] - m->mu[2 * k], x[2 * i + 1] - m->mu[2 * k + 1]);
                if (dd < bd) bd = dd, best = k;
            }
            double a = x[2 * i] - mean[best][0], b = x[2 * i + 1] - mean[best][1];
            s2[best] += a * a + b * b;
        }
        for (size_t k = 0; st == GR_OK && k < 8; k++) {
            double sd = sqrt(s2[k] / (2 * c[k] - 2)); /* both coordinates, two means */
            emp_sd_dev = fmax(emp_sd_dev, fabs(sd / S8 - 1));
        }
    }
    /* 25 Gaussians: the pool's size by reading until the cursor wraps, the per-centre counts
     * of the pool, the spacing of the modes table */
    const double SP = GR_DATA_GAUSS25_SPACING / GR_DATA_GAUSS25_SCALE;
    const double S25 = GR_DATA_GAUSS25_SD / GR_DATA_GAUSS25_SCALE;
    double pool_size = NAN, cmin = NAN, cmax = NAN, spacing_dev = 0, pool_sd_dev = NAN, pairs = 0;
    if (st == GR_OK) {
        /* a read of one row leaves the cursor one past it; the read after the last row
         * starts again at row 0, leaving the cursor at 1: the largest cursor seen is the
         * number of rows */
        size_t prev = 0, cur = 0;
        double one[2];
        for (size_t reads = 0; st == GR_OK && reads <= 2 * (size_t)GR_DATA_GAUSS25_POOL; reads++) {
            st = gr_sampler_sample(g25, rng, 1, one, err);
            if (st == GR_OK) st = gr_data_gauss25_cursor(g25, &cur, err);
            if (st == GR_OK && cur <= prev) break;
            prev = cur;
        }
        pool_size = (double)prev;
    }
    if (st == GR_OK) {
        const gr_modes *m = gr_sampler_modes(g25);
        const double *pool = gr_data_gauss25_pool(g25);
        if (!m || m->k != 25 || !pool)
            st = GR_ERROR(err, GR_EINTERNAL, "preset_check: 25 Gaussians without modes/pool");
        /* spacing: every pair of centres one grid step apart along an axis (the diagonal
         * neighbours are sqrt 2 steps apart, outside 1.2 steps) */
        for (size_t a = 0; st == GR_OK && a < 25; a++)
            for (size_t b = 0; b < 25; b++) {
                double dx = fabs(m->mu[2 * a] - m->mu[2 * b]);
                double dy = fabs(m->mu[2 * a + 1] - m->mu[2 * b + 1]);
                double dd = hypot(dx, dy);
                if (a != b && dd < 1.2 * SP) {
                    spacing_dev = fmax(spacing_dev, fabs(dd - SP));
                    pairs++;
                }
            }
        double cnt[25] = {0}, ss = 0;
        for (size_t i = 0; st == GR_OK && i < GR_DATA_GAUSS25_POOL; i++) {
            size_t best = 0;
            double bd = INFINITY;
            for (size_t k = 0; k < 25; k++) {
                double dd = hypot(pool[2 * i] - m->mu[2 * k], pool[2 * i + 1] - m->mu[2 * k + 1]);
                if (dd < bd) bd = dd, best = k;
            }
            cnt[best]++;
            ss += bd * bd;
        }
        if (st == GR_OK) {
            cmin = INFINITY, cmax = -INFINITY;
            for (size_t k = 0; k < 25; k++)
                cmin = fmin(cmin, cnt[k]), cmax = fmax(cmax, cnt[k]);
            pool_sd_dev = fabs(sqrt(ss / (2.0 * GR_DATA_GAUSS25_POOL)) / S25 - 1);
        }
    }
    /* Swiss roll: the latent t of n draws; radius of the curve point c(t)/7.5 = t/7.5 */
    double rmin = NAN, rmax = NAN, noise_dev = NAN;
    if (st == GR_OK) st = gr_data_swissroll_sample_t(sr, rng, n, x, t, err);
    if (st == GR_OK) {
        double ss = 0;
        rmin = INFINITY, rmax = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double cx = t[i] * cos(t[i]) / GR_DATA_SWISSROLL_SCALE;
            double cy = t[i] * sin(t[i]) / GR_DATA_SWISSROLL_SCALE;
            double r = hypot(cx, cy);
            rmin = fmin(rmin, r), rmax = fmax(rmax, r);
            ss += (x[2 * i] - cx) * (x[2 * i] - cx) + (x[2 * i + 1] - cy) * (x[2 * i + 1] - cy);
        }
        noise_dev = fabs(
            sqrt(ss / (2.0 * (double)n)) / (GR_DATA_SWISSROLL_NOISE / GR_DATA_SWISSROLL_SCALE) - 1);
    }
    struct {
        const char *name;
        double v;
    } mt[] = {
        {"toy_n", (double)n},
        {"g8_radius", R8},
        {"g8_radius_max_dev", rad_dev},
        {"g8_sd_table_max_rel_dev", sd_tab_dev},
        {"g8_sd_max_rel_dev", emp_sd_dev},
        {"g8_mean_radius_max_dev", emp_rad_dev},
        {"g8_count_max_rel_dev", cnt_dev},
        {"g25_pool_size", pool_size},
        {"g25_per_centre_min", cmin},
        {"g25_per_centre_max", cmax},
        {"g25_spacing", SP},
        {"g25_spacing_max_dev", spacing_dev},
        {"g25_neighbour_pairs", pairs},
        {"g25_pool_sd_rel_dev", pool_sd_dev},
        {"swissroll_radius_min", rmin},
        {"swissroll_radius_max", rmax},
        {"swissroll_noise_sd_rel_dev", noise_dev},
    };
    for (size_t i = 0; st == GR_OK && i < sizeof mt / sizeof mt[0]; i++)
        st = gr_results_run_metric(w, mt[i].name, mt[i].v, err);
    free(x);
    free(t);
    gr_rng_free(rng);
    gr_sampler_free(g8);
    gr_sampler_free(g25);
    gr_sampler_free(sr);
    return st;
}

int gr_protocol_preset_check(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *what;
    GR_TRY(gr_rundesc_get_str(run, "preset_check.what", &what, err));
    if (!strcmp(what, "method")) return method_check(run, w, err);
    if (!strcmp(what, "toys")) return toys_check(run, w, err);
    return GR_ERROR(err, GR_EINVAL, "preset_check: preset_check.what = \"%s\" (method or toys)",
                    what);
}
