/* harness/proto_frozen_d.c — the frozen_d protocol (A&B 2017 Figs. 1-3; CLAIMS C07, C09,
 * C10, C13, C46): train G, freeze it, train a fresh D against it and record D's accuracy,
 * its loss and the norms of both GAN generator losses' gradients per D step. Contract in
 * harness/protocol.h; series and metrics in docs/RESULTS.md. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/mnist.h"
#include "gan/trainer.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"

enum { S_DSTEP, S_ACC, S_DACC, S_DLOSS, S_MM, S_NS, S_W, S_COUNT };
static const char *const SERIES[S_COUNT] = {"d_steps",      "accuracy",       "d_acc_train",
                                            "d_loss",       "g_grad_norm_mm", "g_grad_norm_ns",
                                            "g_grad_norm_w"};

/* The gen_grad probe's values, by name. */
typedef struct ggrad {
    double mm, ns, w;
} ggrad;
static int ggrad_write(void *ctx, const char *series, uint64_t step, const double *v, size_t n,
                       gr_error *err) {
    (void)step;
    (void)err;
    ggrad *g = ctx;
    if (n < 1) return GR_OK;
    if (!strcmp(series, "g_grad_norm_mm")) g->mm = v[0];
    if (!strcmp(series, "g_grad_norm_ns")) g->ns = v[0];
    if (!strcmp(series, "g_grad_norm_w")) g->w = v[0];
    return GR_OK;
}

/* The pair sets draw their fake distribution with an exact affine G: parallel_lines
 * G(z) = (theta, (z + 1)/2) on z ~ U[-1, 1]; gauss1d G(z) = theta + sd z on z ~ N(0, 1). */
static int pair_generator(const gr_run_desc *run, const char *set, gr_gan_config *cfg, double *w,
                          double *b, gr_error *err) {
    double theta, sigma = 0, sd = 1;
    GR_TRY(gr_rundesc_get_f64(run, "data.theta", &theta, err));
    memset(&cfg->g_spec, 0, sizeof cfg->g_spec);
    cfg->g_spec.in_dim = 1;
    cfg->g_spec.n_hidden = 0;
    cfg->g_spec.hidden_act = GR_ACT_IDENTITY;
    cfg->g_spec.out_act = GR_ACT_IDENTITY;
    if (!strcmp(set, "parallel_lines")) {
        GR_TRY(gr_rundesc_get_f64(run, "data.sigma", &sigma, err));
        if (sigma != 0)
            return GR_ERROR(err, GR_EINVAL,
                            "frozen_d: parallel_lines with data.sigma = %g; the affine generator "
                            "draws the clean line (data.sigma = 0)",
                            sigma);
        cfg->g_spec.out_dim = 2;
        cfg->prior = GR_GAN_PRIOR_UNIFORM;
        w[0] = 0.0, w[1] = 0.5, b[0] = theta, b[1] = 0.5;
    } else {
        GR_TRY(gr_rundesc_get_f64(run, "data.sd", &sd, err));
        cfg->g_spec.out_dim = 1;
        cfg->prior = GR_GAN_PRIOR_NORMAL;
        w[0] = sd, b[0] = theta;
    }
    return GR_OK;
}

/* D's accuracy on n fresh real and n fresh fake rows, in chunks of at most `chunk`. */
static int heldout_accuracy(gr_gan_trainer *t, size_t n, size_t chunk, double *acc, gr_error *err) {
    double right = 0;
    for (size_t done = 0; done < n;) {
        size_t m = n - done < chunk ? n - done : chunk;
        double a;
        GR_TRY(gr_gan_trainer_probe_accuracy(t, m, &a, err));
        right += a * (double)(2 * m);
        done += m;
    }
    *acc = right / (double)(2 * n);
    return GR_OK;
}

/* softplus(a) = log(1 + e^a), stable both ways. */
static double softplus(double a) { return (a > 0 ? a : 0) + log1p(exp(-fabs(a))); }

/* CLAIMS C08 (WGAN §4.2): the discriminator-based JS estimate 1/2 L(D) + log 2 with
 * L(D) = E_r log D + E_g log(1 - D), on n held-out real rows (the data sampler) and n fake
 * rows G(z) (z from G's prior), all drawn on a GR_STREAM_EVAL generator of this run's seed
 * that nothing else in frozen_d uses, in chunks of D's batch size. */
static int heldout_js(gr_gan_trainer *t, gr_sampler *data, const gr_gan_config *cfg, uint64_t seed,
                      size_t n, double *out, gr_error *err) {
    gr_mlp *dn = gr_gan_trainer_d(t), *gn = gr_gan_trainer_g(t);
    size_t chunk = gr_mlp_max_batch(dn), d = gr_sampler_dim(data), k = cfg->g_spec.in_dim;
    if (gn && gr_mlp_max_batch(gn) < chunk) chunk = gr_mlp_max_batch(gn);
    float *xf = malloc(chunk * (d > k ? d : k) * sizeof *xf);
    double *scratch = malloc(chunk * d * sizeof *scratch), lr = 0, lf = 0;
    gsl_rng *r = NULL;
    int st = xf && scratch && gn ? GR_OK : GR_ERROR(err, GR_ENOMEM, "frozen_d: memory");
    if (st == GR_OK) st = gr_rng_alloc(&r, seed, GR_STREAM_EVAL, err);
    for (size_t done = 0; st == GR_OK && done < n;) {
        size_t m = n - done < chunk ? n - done : chunk;
        st = gr_sampler_sample_f(data, r, m, xf, scratch, err);
        if (st == GR_OK) st = gr_mlp_forward(dn, NULL, xf, m, err);
        for (size_t i = 0; st == GR_OK && i < m; i++)
            lr -= softplus(-(double)gr_mlp_output(dn)[i]); /* log D = -softplus(-l) */
        if (st == GR_OK) {
            if (cfg->prior == GR_GAN_PRIOR_UNIFORM)
                gr_rng_uniform_fill(r, xf, m * k, -1.0, 1.0);
            else
                for (size_t i = 0; i < m * k; i++)
                    xf[i] = (float)gsl_ran_gaussian_ziggurat(r, 1.0);
            st = gr_mlp_forward(gn, NULL, xf, m, err);
        }
        if (st == GR_OK) st = gr_mlp_forward(dn, NULL, gr_mlp_output(gn), m, err);
        for (size_t i = 0; st == GR_OK && i < m; i++)
            lf -= softplus((double)gr_mlp_output(dn)[i]); /* log(1 - D) = -softplus(l) */
        done += m;
    }
    if (st == GR_OK) *out = 0.5 * (lr + lf) / (double)n + M_LN2;
    gr_rng_free(r);
    free(xf);
    free(scratch);
    return st;
}

/* MNIST: D's accuracy on n held-out images (validation images 0..n-1: D never trained on
 * them) and n fresh generated ones (z from the run's EVAL stream), in chunks of `chunk`
 * rows through copies of both nets (the trainer's buffers and streams are not touched). A
 * row is right when D's logit is > 0 on a real image, < 0 on a generated one (as d_acc). */
static int mnist_heldout_accuracy(gr_gan_trainer *t, const gr_mnist *valid, size_t n, size_t chunk,
                                  uint64_t seed, double *acc, gr_error *err) {
    if (n > valid->n)
        return GR_ERROR(err, GR_EINVAL,
                        "frozen_d: eval.n = %zu held-out images, the validation split has %zu", n,
                        valid->n);
    const gr_gan_config *cfg = gr_gan_trainer_config(t);
    gr_mlp *g = NULL, *d = NULL;
    gsl_rng *rng = NULL;
    size_t zd = cfg->g_spec.in_dim, xd = cfg->d_spec.in_dim;
    float *z = malloc(chunk * zd * sizeof *z), *x = malloc(chunk * xd * sizeof *x),
          *l = malloc(chunk * sizeof *l);
    int st = z && x && l ? GR_OK : GR_ERROR(err, GR_ENOMEM, "frozen_d: memory");
    if (st == GR_OK) st = gr_mlp_alloc(&g, &cfg->g_spec, chunk, err);
    if (st == GR_OK) st = gr_mlp_alloc(&d, &cfg->d_spec, chunk, err);
    if (st == GR_OK) st = gr_rng_alloc(&rng, seed, GR_STREAM_EVAL, err);
    if (st == GR_OK) {
        memcpy(gr_mlp_params(g), gr_mlp_params(gr_gan_trainer_g(t)),
               gr_mlp_n_params(g) * sizeof(float));
        memcpy(gr_mlp_params(d), gr_mlp_params(gr_gan_trainer_d(t)),
               gr_mlp_n_params(d) * sizeof(float));
    }
    size_t right = 0;
    for (size_t done = 0; st == GR_OK && done < n;) {
        size_t m = n - done < chunk ? n - done : chunk;
        st = gr_mlp_forward(d, l, valid->x + done * xd, m, err);
        for (size_t i = 0; st == GR_OK && i < m; i++)
            right += l[i] > 0;
        if (st == GR_OK) {
            if (cfg->prior == GR_GAN_PRIOR_UNIFORM)
                gr_rng_uniform_fill(rng, z, m * zd, -1.0, 1.0);
            else
                for (size_t i = 0; i < m * zd; i++)
                    z[i] = (float)gsl_ran_gaussian_ziggurat(rng, 1.0);
            st = gr_mlp_forward(g, x, z, m, err);
        }
        if (st == GR_OK) st = gr_mlp_forward(d, l, x, m, err);
        for (size_t i = 0; st == GR_OK && i < m; i++)
            right += l[i] < 0;
        done += m;
    }
    if (st == GR_OK) *acc = (double)right / (double)(2 * n);
    gr_mlp_free(g);
    gr_mlp_free(d);
    gr_rng_free(rng);
    free(z);
    free(x);
    free(l);
    return st;
}

static double sd_of(const double *x, size_t n) {
    if (n < 2) return NAN;
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (double)(n - 1));
}

int gr_protocol_frozen_d(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *set, *method;
    size_t g_steps, steps, every, eval_n, pbatch;
    GR_TRY(gr_rundesc_get_str(run, "data.set", &set, err));
    GR_TRY(gr_rundesc_get_str(run, "method.name", &method, err));
    GR_TRY(gr_rundesc_get_size(run, "frozen.g_steps", &g_steps, err));
    GR_TRY(gr_rundesc_get_size(run, "frozen.every", &every, err));
    GR_TRY(gr_rundesc_get_size(run, "schedule.steps", &steps, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.n", &eval_n, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.batch", &pbatch, err));
    if (every < 1) return GR_ERROR(err, GR_EINVAL, "frozen_d: frozen.every must be >= 1");
    int pair = !strcmp(set, "parallel_lines") || !strcmp(set, "gauss1d");
    if (!pair && !strcmp(set, "point_mass"))
        return GR_ERROR(err, GR_EINVAL, "frozen_d: data.set point_mass is not supported");
    if (pair && g_steps != 0)
        return GR_ERROR(err, GR_EINVAL,
                        "frozen_d: data.set %s draws its fake side with the exact affine "
                        "generator (frozen.g_steps must be 0, got %zu)",
                        set, g_steps);
    if (!pair && !gr_proto_has(run, "nets.g"))
        return GR_ERROR(err, GR_EINVAL, "frozen_d: data.set %s needs nets.g (the generator)", set);

    gr_sampler *data = NULL;
    gr_gan_trainer *t = NULL;
    double *hist = NULL;
    /* MNIST: the training split (G and D train on it, in epoch order with method.real =
     * "epoch"), the validation split for the final held-out accuracy */
    int mnist = !strcmp(set, "mnist");
    gr_mnist *mn_train = NULL, *mn_valid = NULL, *mn_test = NULL;
    if (mnist) {
        GR_TRY(gr_proto_mnist_load(run, &mn_train, &mn_valid, &mn_test, err));
        gr_mnist_free(mn_test);
        mn_test = NULL;
    }
    int st0 = gr_proto_data_alloc_mnist(run, mn_train, &data, NULL, err);
    if (st0 != GR_OK) {
        gr_mnist_free(mn_train);
        gr_mnist_free(mn_valid);
        return gr_error_prefix(err, st0, "frozen_d: ");
    }
    size_t d = gr_sampler_dim(data);
    gr_gan_config cfg;
    double gw[2] = {0}, gb[2] = {0};
    int st = gr_proto_gan_config(run, d, &cfg, err);
    if (st == GR_OK && pair) st = pair_generator(run, set, &cfg, gw, gb, err);
    if (st == GR_OK) {
        cfg.probe.probe_batch = pbatch;
        cfg.n_iters = 0;
        st = gr_gan_trainer_alloc(&t, &cfg, data, run->seed, err);
    }
    if (st == GR_OK && pair) {
        /* G's parameters: W (out x 1) then b */
        float *p = gr_mlp_params(gr_gan_trainer_g(t));
        for (size_t i = 0; i < cfg.g_spec.out_dim; i++) {
            p[i] = (float)gw[i];
            p[cfg.g_spec.out_dim + i] = (float)gb[i];
        }
    }
    /* train G */
    for (size_t k = 0; st == GR_OK && k < g_steps; k++)
        st = gr_gan_trainer_step(t, err);
    if (st == GR_EDIVERGED) gr_error_prefix(err, st, "frozen_d: while training G: ");
    if (st == GR_OK) {
        gr_gan_trainer_set_freeze_g(t, 1);
        st = gr_gan_trainer_reset_d(t, err);
    }
    size_t rows = steps / every + 1, nrow = 0;
    if (st == GR_OK) {
        size_t sz;
        if (gr_size_mul(rows, S_COUNT, &sz) != GR_OK || !(hist = malloc(sz * sizeof *hist)))
            st = GR_ERROR(err, GR_ENOMEM, "frozen_d: memory for %zu rows", rows);
    }
    if (st == GR_OK) st = gr_results_run_series_define(w, SERIES, S_COUNT, err);
    uint64_t c0 = t ? gr_gan_trainer_critic_iters(t) : 0;
    ggrad g;
    gr_gan_probe_sink sink = {&g, ggrad_write};
    int wgan = !strncmp(method, "wgan", 4);
    size_t chunk = pbatch;
    for (size_t k = 0; st == GR_OK && k <= steps; k++) {
        if (k > 0) {
            st = gr_gan_trainer_step(t, err);
            if (st != GR_OK) break;
        }
        if (k % every) continue;
        double *row = hist + nrow * S_COUNT;
        const gr_gan_step_stats *ls = gr_gan_trainer_last(t);
        g.mm = g.ns = g.w = NAN;
        st = gr_gan_trainer_probe(t, GR_GAN_PROBE_GEN_GRAD, &sink, err);
        double acc = NAN;
        if (st == GR_OK && !wgan) st = gr_gan_trainer_probe_accuracy(t, chunk, &acc, err);
        if (st != GR_OK) break;
        row[S_DSTEP] = (double)(gr_gan_trainer_critic_iters(t) - c0);
        row[S_ACC] = acc;
        row[S_DACC] = k ? ls->d_acc : NAN;
        row[S_DLOSS] = k ? ls->d_loss : NAN;
        row[S_MM] = g.mm;
        row[S_NS] = g.ns;
        row[S_W] = g.w;
        st = gr_results_run_series_row(w, (int64_t)k, row, err);
        nrow++;
    }
    if (st == GR_OK) {
        double fin_acc = NAN, js_d = NAN;
        if (!wgan && mnist)
            st = mnist_heldout_accuracy(t, mn_valid, eval_n, chunk, run->seed, &fin_acc, err);
        else if (!wgan)
            st = heldout_accuracy(t, eval_n, chunk, &fin_acc, err);
        if (st == GR_OK && !wgan) st = heldout_js(t, data, &cfg, run->seed, eval_n, &js_d, err);
        /* summaries over the recorded rows (row 0: the fresh D, before any D step) */
        double mm_max = -INFINITY, to99 = INFINITY;
        size_t imax = 0;
        for (size_t i = 1; i < nrow; i++) {
            const double *r = hist + i * S_COUNT;
            if (r[S_MM] > mm_max) mm_max = r[S_MM], imax = i;
            if (!isfinite(to99) && r[S_ACC] >= 0.99) to99 = hist[i * S_COUNT + S_DSTEP];
        }
        const double *first = nrow > 1 ? hist + S_COUNT : hist;
        const double *last = hist + (nrow - 1) * S_COUNT;
        /* C10: after the maximum, the largest rise of a 5-point moving average */
        double rise = NAN;
        if (nrow >= 6) {
            rise = -INFINITY;
            for (size_t i = imax; i + 5 < nrow; i++) {
                double a = 0, b = 0;
                for (size_t j = 0; j < 5; j++)
                    a += hist[(i + j) * S_COUNT + S_MM], b += hist[(i + j + 1) * S_COUNT + S_MM];
                if (a > 0 && b / a - 1 > rise) rise = b / a - 1;
            }
            if (!isfinite(rise)) rise = NAN;
        }
        /* C13: SD of the NS norm over the last vs the first m recorded D steps */
        size_t m = (nrow - 1) / 2 < 100 ? (nrow - 1) / 2 : 100;
        double *tmp = malloc((m ? m : 1) * sizeof *tmp), sd_ratio = NAN;
        if (!tmp) st = GR_ERROR(err, GR_ENOMEM, "frozen_d: memory");
        if (tmp && m >= 2) {
            for (size_t i = 0; i < m; i++)
                tmp[i] = hist[(1 + i) * S_COUNT + S_NS];
            double s1 = sd_of(tmp, m);
            for (size_t i = 0; i < m; i++)
                tmp[i] = hist[(nrow - m + i) * S_COUNT + S_NS];
            double s2 = sd_of(tmp, m);
            sd_ratio = s1 > 0 ? s2 / s1 : NAN;
        }
        free(tmp);
        struct {
            const char *name;
            double v;
        } mt[] = {
            {"g_steps", (double)g_steps},
            {"d_steps", last[S_DSTEP]},
            {"final_accuracy", fin_acc},
            {"js_estimate_d", js_d},
            {"final_d_loss", last[S_DLOSS]},
            {"steps_to_acc_099", to99},
            {"g_grad_mm_first", first[S_MM]},
            {"g_grad_mm_max", nrow > 1 ? mm_max : NAN},
            {"g_grad_mm_final", last[S_MM]},
            {"g_grad_mm_final_over_max", nrow > 1 ? last[S_MM] / mm_max : NAN},
            {"g_grad_mm_ma5_max_rise", rise},
            {"g_grad_ns_first", first[S_NS]},
            {"g_grad_ns_final", last[S_NS]},
            {"g_grad_ns_growth", last[S_NS] / first[S_NS]},
            {"g_grad_ns_sd_ratio", sd_ratio},
            {"g_grad_mm_over_ns_final", last[S_MM] / last[S_NS]},
            {"g_grad_w_final", last[S_W]},
        };
        for (size_t i = 0; st == GR_OK && i < sizeof mt / sizeof mt[0]; i++)
            st = gr_results_run_metric(w, mt[i].name, mt[i].v, err);
        /* MNIST: how many epochs of the training split G was trained for (real rows drawn) */
        if (st == GR_OK && mnist)
            st = gr_results_run_metric(
                w, "g_epochs",
                (double)g_steps * (double)(cfg.batch * cfg.n_critic) / (double)mn_train->n, err);
    }
    free(hist);
    gr_gan_trainer_free(t);
    gr_sampler_free(data);
    gr_mnist_free(mn_train);
    gr_mnist_free(mn_valid);
    return st;
}
