/* harness/proto_fixed_critic.c — the fixed_critic protocol (WGAN-GP Fig. 1, WGAN Fig. 2;
 * CLAIMS C23, C28, C31, C32, C33, C34): a critic (or a GAN D) trained against a fixed
 * "generator", then its value surface, its per-layer gradient norms (in double), its weight
 * histograms and fraction at the clip, and C31's efficiency. Contract in
 * harness/protocol.h; series, datasets and metrics in docs/RESULTS.md. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/fixedgen.h"
#include "eval/w1.h"
#include "gan/games.h"
#include "gan/trainer.h"
#include "harness/proto_gan.h"
#include "harness/protocol.h"
#include "nn/mlp.h"

enum { S_DLOSS, S_WEST, S_PEN, S_DACC, S_COUNT };
static const char *const SERIES[S_COUNT] = {"d_loss", "w_estimate", "penalty", "d_acc"};

typedef struct fc {
    const char *set, *gen, *method;
    size_t steps, every, eval_n, pbatch, grid, bins, modes;
    double noise_sd, box, thr;
} fc;

static int fc_read(const gr_run_desc *run, fc *c, gr_error *err) {
    GR_TRY(gr_rundesc_get_str(run, "data.set", &c->set, err));
    GR_TRY(gr_rundesc_get_str(run, "method.name", &c->method, err));
    GR_TRY(gr_rundesc_get_str(run, "fixed.generator", &c->gen, err));
    GR_TRY(gr_rundesc_get_f64(run, "fixed.noise_sd", &c->noise_sd, err));
    GR_TRY(gr_rundesc_get_size(run, "fixed.modes", &c->modes, err));
    GR_TRY(gr_rundesc_get_size(run, "fixed.every", &c->every, err));
    GR_TRY(gr_rundesc_get_f64(run, "fixed.box", &c->box, err));
    GR_TRY(gr_rundesc_get_size(run, "schedule.steps", &c->steps, err));
    GR_TRY(gr_rundesc_get_size(run, "eval.n", &c->eval_n, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.batch", &c->pbatch, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.grid", &c->grid, err));
    GR_TRY(gr_rundesc_get_size(run, "probes.bins", &c->bins, err));
    GR_TRY(gr_rundesc_get_f64(run, "probes.frac_threshold", &c->thr, err));
    if (c->every < 1) return GR_ERROR(err, GR_EINVAL, "fixed_critic: fixed.every must be >= 1");
    if (!strcmp(c->set, "mnist"))
        return GR_ERROR(err, GR_EINVAL, "fixed_critic: data.set mnist is not supported");
    return GR_OK;
}

/* The fixed generator of the run (see harness/protocol.h). */
static int fake_alloc(const gr_run_desc *run, const fc *c, gr_sampler *data, gr_sampler **fake,
                      gr_error *err) {
    *fake = NULL;
    if (!strcmp(c->gen, "data_plus_noise")) {
        gr_sampler *inner;
        GR_TRY(gr_proto_data_alloc(run, &inner, NULL, err));
        return gr_data_noisy_alloc(fake, inner, c->noise_sd, err);
    }
    if (!strcmp(c->gen, "collapse")) {
        const gr_modes *m = gr_sampler_modes(data);
        if (!m)
            return GR_ERROR(err, GR_EINVAL, "fixed_critic: data.set %s has no modes to collapse on",
                            c->set);
        if (c->modes > m->k)
            return GR_ERROR(err, GR_EINVAL, "fixed_critic: fixed.modes = %zu > the %zu modes of %s",
                            c->modes, m->k, c->set);
        size_t *idx = malloc(c->modes * sizeof *idx);
        if (!idx) return GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
        for (size_t i = 0; i < c->modes; i++)
            idx[i] = i;
        int st = gr_data_collapsed_alloc(fake, m, c->modes, idx, err);
        free(idx);
        return st;
    }
    /* pair: the data set's second distribution */
    gr_sampler *r2 = NULL;
    GR_TRY(gr_proto_data_alloc(run, &r2, fake, err));
    gr_sampler_free(r2);
    if (!*fake)
        return GR_ERROR(err, GR_EINVAL,
                        "fixed_critic: fixed.generator pair needs a data set with a second "
                        "distribution (parallel_lines, gauss1d, point_mass), not %s",
                        c->set);
    return GR_OK;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double quantile_sorted(const double *x, size_t n, double q) {
    if (!n) return NAN;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n) return x[n - 1];
    return x[i] + (pos - (double)i) * (x[i + 1] - x[i]);
}
static double sigmoid_prime(double l) {
    double s = 1.0 / (1.0 + exp(-fabs(l)));
    return s * (1.0 - s);
}

/* Everything measured at the end, with its buffers. */
typedef struct endbuf {
    float *xf, *gx;       /* chunk x d */
    double *pts, *pts2;   /* n x d: fake, real */
    double *norms;        /* 3n input-gradient norms */
    double *grid, *surf;  /* grid points (G x d), values (G) */
    double *hist, *tails; /* L x bins, L x 3 */
    double frac_probe;
} endbuf;

static int sink_write(void *ctx, const char *series, uint64_t step, const double *v, size_t n,
                      gr_error *err) {
    (void)step;
    (void)err;
    endbuf *e = ctx;
    if (!strcmp(series, "d_weight_hist")) memcpy(e->hist, v, n * sizeof *v);
    if (!strcmp(series, "d_weight_tails")) memcpy(e->tails, v, n * sizeof *v);
    if (!strcmp(series, "d_frac_at_clip") && n) e->frac_probe = v[0];
    return GR_OK;
}

/* f (D's logit or the critic's value) at n points (double, n x d), through chunks. */
static int eval_f(gr_mlp *net, const double *x, size_t n, size_t d, size_t chunk, float *xf,
                  double *out, gr_error *err) {
    for (size_t s = 0; s < n; s += chunk) {
        size_t m = n - s < chunk ? n - s : chunk;
        for (size_t i = 0; i < m * d; i++)
            xf[i] = (float)x[s * d + i];
        GR_TRY(gr_mlp_forward(net, NULL, xf, m, err));
        const float *y = gr_mlp_output(net);
        for (size_t i = 0; i < m; i++)
            out[s + i] = y[i];
    }
    return GR_OK;
}

/* ||grad_x f|| at n points into out[0..n-1] (and f into fout if not NULL). */
static int grad_norms(gr_mlp *net, const double *x, size_t n, size_t d, size_t chunk, float *xf,
                      float *gx, double *out, double *fout, gr_error *err) {
    for (size_t s = 0; s < n; s += chunk) {
        size_t m = n - s < chunk ? n - s : chunk;
        for (size_t i = 0; i < m * d; i++)
            xf[i] = (float)x[s * d + i];
        GR_TRY(gr_mlp_input_grad(net, gx, xf, m, err));
        const float *y = gr_mlp_output(net);
        for (size_t i = 0; i < m; i++) {
            double q = 0;
            for (size_t j = 0; j < d; j++)
                q += (double)gx[i * d + j] * (double)gx[i * d + j];
            out[s + i] = sqrt(q);
            if (fout) fout[s + i] = y[i];
        }
    }
    return GR_OK;
}

/* Per-layer norms of the critic loss's gradient w.r.t. the pre-activations, in double
 * (C33: with c = 0.001 they underflow float): a double twin of D with D's parameters, on
 * pb real rows then pb fake rows (the points given), the loss without penalty. */
static int layer_grads_double(gr_mlp *dn, const gr_mlp_spec *spec, int wgan, const double *real,
                              const double *fake, size_t pb, size_t d, double *norms, size_t L,
                              gr_error *err) {
    gr_mlpd *net = NULL;
    double *x = NULL, *dy = NULL;
    int st = gr_mlpd_alloc(&net, spec, 2 * pb, err);
    if (st == GR_OK) {
        x = malloc(2 * pb * d * sizeof *x);
        dy = malloc(2 * pb * sizeof *dy);
        if (!x || !dy) st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
    }
    if (st == GR_OK) {
        const float *p = gr_mlp_params(dn);
        double *q = gr_mlpd_params(net);
        for (size_t i = 0; i < gr_mlpd_n_params(net); i++)
            q[i] = p[i];
        memcpy(x, real, pb * d * sizeof *x);
        memcpy(x + pb * d, fake, pb * d * sizeof *x);
        st = gr_mlpd_forward(net, NULL, x, 2 * pb, err);
    }
    if (st == GR_OK) {
        const double *l = gr_mlpd_output(net);
        double inv = 1.0 / (double)pb;
        for (size_t i = 0; i < pb; i++) {
            /* WGAN: mean f_g - mean f_r; GAN: mean softplus(-l_r) + mean softplus(l_g) */
            dy[i] = wgan ? -inv : -inv / (1.0 + exp(l[i]));
            dy[pb + i] = wgan ? inv : inv / (1.0 + exp(-l[pb + i]));
        }
        gr_mlpd_zero_grad(net);
        st = gr_mlpd_backward(net, NULL, dy, 2 * pb, err);
    }
    if (st == GR_OK) st = gr_mlpd_layer_grad_norms(net, norms, L, err);
    free(x);
    free(dy);
    gr_mlpd_free(net);
    return st;
}

int gr_protocol_fixed_critic(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    fc c;
    GR_TRY(fc_read(run, &c, err));
    gr_sampler *data = NULL, *fake = NULL;
    gr_gan_trainer *t = NULL;
    gsl_rng *rng = NULL;
    gr_eval_w1 *w1ws = NULL;
    endbuf e;
    memset(&e, 0, sizeof e);
    double *lnorm = NULL, *dstar = NULL;
    GR_TRY(gr_proto_data_alloc(run, &data, NULL, err));
    size_t d = gr_sampler_dim(data);
    gr_gan_config cfg;
    int st = fake_alloc(run, &c, data, &fake, err);
    if (st == GR_OK) st = gr_proto_gan_config(run, d, &cfg, err);
    int wgan = !strncmp(c.method, "wgan", 4), clip = !strcmp(c.method, "wgan_clip");
    if (st == GR_OK) {
        /* one trainer iteration = one critic update (there is no G to alternate with) */
        cfg.n_critic = 1;
        cfg.warmup = 0;
        cfg.n_iters = c.steps;
        cfg.probe.probe_batch = c.pbatch;
        cfg.probe.hist_bins = c.bins;
        cfg.probe.frac_threshold = c.thr;
        st = gr_rundesc_get_f64(run, "probes.range", &cfg.probe.hist_range, err);
        if (st == GR_OK) st = gr_gan_trainer_alloc_fixed(&t, &cfg, data, fake, run->seed, err);
    }
    if (st == GR_OK) st = gr_results_run_series_define(w, SERIES, S_COUNT, err);
    for (size_t k = 1; st == GR_OK && k <= c.steps; k++) {
        st = gr_gan_trainer_step(t, err);
        if (st != GR_OK || (k % c.every && k != c.steps)) continue;
        const gr_gan_step_stats *s = gr_gan_trainer_last(t);
        double row[S_COUNT] = {s->d_loss, s->w_estimate, s->penalty, s->d_acc};
        st = gr_results_run_series_row(w, (int64_t)k, row, err);
    }
    if (st != GR_OK) goto done;

    /* ---- the end: buffers ---- */
    gr_mlp *dn = gr_gan_trainer_d(t);
    const gr_gan_config *tc = gr_gan_trainer_config(t);
    size_t L = gr_mlp_n_layers(dn), n = c.eval_n, chunk = gr_mlp_max_batch(dn);
    size_t G = d == 1 ? c.grid : d == 2 ? c.grid * c.grid : 0;
    size_t nd, nmax = n > c.pbatch ? n : c.pbatch;
    if (gr_size_mul(nmax, d, &nd) != GR_OK) {
        st = GR_ERROR(err, GR_EINVAL, "fixed_critic: eval.n too large");
        goto done;
    }
    e.xf = malloc(chunk * d * sizeof *e.xf);
    e.gx = malloc(chunk * d * sizeof *e.gx);
    e.pts = malloc(nd * sizeof *e.pts);
    e.pts2 = malloc(nd * sizeof *e.pts2);
    e.norms = malloc((3 * nmax > G ? 3 * nmax : G) * sizeof *e.norms);
    e.grid = malloc((G ? G * d : 1) * sizeof *e.grid);
    e.surf = malloc((G ? G : 1) * sizeof *e.surf);
    e.hist = calloc(L * c.bins, sizeof *e.hist);
    e.tails = calloc(L * 3, sizeof *e.tails);
    lnorm = malloc(L * sizeof *lnorm);
    dstar = malloc((G ? G : 1) * 2 * sizeof *dstar);
    if (!e.xf || !e.gx || !e.pts || !e.pts2 || !e.norms || !e.grid || !e.surf || !e.hist ||
        !e.tails || !lnorm || !dstar) {
        st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory for the final evaluation");
        goto done;
    }
    st = gr_rng_alloc(&rng, run->seed, GR_STREAM_EVAL, err);
    if (st != GR_OK) goto done;

    /* C31: estimate, W1, gradient norms on real, fake, interpolates */
    double est = NAN, w1 = NAN;
    st = gr_gan_trainer_probe_estimate(t, n, &est, err);
    if (st == GR_OK) st = gr_sampler_sample(fake, rng, n, e.pts, err);
    if (st == GR_OK) st = gr_sampler_sample(data, rng, n, e.pts2, err);
    if (st == GR_OK) st = gr_eval_w1_alloc(&w1ws, n, d, err);
    if (st == GR_OK) {
        gr_eval_w1_solve sol;
        st = gr_eval_w1_points(w1ws, e.pts, e.pts2, n, NULL, &sol, err);
        if (st == GR_OK) w1 = sol.value;
    }
    /* the points the figure draws over the surface (1-D and 2-D data; at most 2000 of each) */
    if (st == GR_OK && d <= 2) {
        size_t dims[2] = {n < 2000 ? n : 2000, d};
        st = gr_results_run_dataset_f64(w, "samples", "real", 2, dims, e.pts2, err);
        if (st == GR_OK) st = gr_results_run_dataset_f64(w, "samples", "fake", 2, dims, e.pts, err);
    }
    double med_interp = NAN, lip99 = NAN, med_all = NAN;
    if (st == GR_OK) st = grad_norms(dn, e.pts2, n, d, chunk, e.xf, e.gx, e.norms, NULL, err);
    if (st == GR_OK) st = grad_norms(dn, e.pts, n, d, chunk, e.xf, e.gx, e.norms + n, NULL, err);
    if (st == GR_OK) {
        double *xi = calloc(nd, sizeof *xi);
        if (!xi) st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
        for (size_t i = 0; st == GR_OK && i < n; i++) {
            double a = gsl_rng_uniform(rng);
            for (size_t j = 0; j < d; j++)
                xi[i * d + j] = a * e.pts2[i * d + j] + (1 - a) * e.pts[i * d + j];
        }
        if (st == GR_OK)
            st = grad_norms(dn, xi, n, d, chunk, e.xf, e.gx, e.norms + 2 * n, NULL, err);
        free(xi);
    }
    if (st == GR_OK) {
        qsort(e.norms + 2 * n, n, sizeof *e.norms, cmp_dbl);
        med_interp = quantile_sorted(e.norms + 2 * n, n, 0.5);
        qsort(e.norms, 3 * n, sizeof *e.norms, cmp_dbl);
        lip99 = quantile_sorted(e.norms, 3 * n, 0.99);
        med_all = quantile_sorted(e.norms, 3 * n, 0.5);
    }
    /* C23 (GAN D): |dD/dx| = sigma'(l) |grad l| at the fake samples */
    double dgrad_fake_med = NAN;
    if (st == GR_OK && !wgan) {
        double *fl = malloc(n * sizeof *fl);
        if (!fl) st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
        if (st == GR_OK) st = grad_norms(dn, e.pts, n, d, chunk, e.xf, e.gx, e.norms, fl, err);
        for (size_t i = 0; st == GR_OK && i < n; i++)
            e.norms[i] *= sigmoid_prime(fl[i]);
        if (st == GR_OK) {
            qsort(e.norms, n, sizeof *e.norms, cmp_dbl);
            dgrad_fake_med = quantile_sorted(e.norms, n, 0.5);
        }
        free(fl);
    }

    /* C22 (WGAN Thm 3): the critic formula -E_z d/dtheta f(theta + z) = -mean f'(x) over the
     * n fake samples (1-D only), and its error against the exact dW/dtheta = sign(theta -
     * mean) of a gauss1d pair (equal SDs), also after dividing by the critic's Lipschitz
     * constant K estimated as grad_norm_median */
    double dtheta = NAN, dtheta_err = NAN, dtheta_k_err = NAN;
    if (st == GR_OK && d == 1) {
        double s = 0;
        for (size_t s0 = 0; st == GR_OK && s0 < n; s0 += chunk) {
            size_t m = n - s0 < chunk ? n - s0 : chunk;
            for (size_t i = 0; i < m; i++)
                e.xf[i] = (float)e.pts[s0 + i];
            st = gr_mlp_input_grad(dn, e.gx, e.xf, m, err);
            for (size_t i = 0; st == GR_OK && i < m; i++)
                s += (double)e.gx[i];
        }
        dtheta = -s / (double)n;
        if (st == GR_OK && !strcmp(c.set, "gauss1d") && !strcmp(c.gen, "pair")) {
            double theta, mean;
            st = gr_rundesc_get_f64(run, "data.theta", &theta, err);
            if (st == GR_OK) st = gr_rundesc_get_f64(run, "data.mean", &mean, err);
            if (st == GR_OK && theta != mean) {
                double sg = theta > mean ? 1.0 : -1.0;
                dtheta_err = fabs(dtheta - sg);
                /* Thm 3 for a K-Lipschitz critic gives K dW/dtheta: K = the median |f'| */
                dtheta_k_err = fabs(dtheta / med_all - sg);
            }
        }
    }

    /* C33: per-layer gradient norms (double twin), pbatch real and fake rows */
    if (st == GR_OK) st = gr_sampler_sample(data, rng, c.pbatch, e.pts2, err);
    if (st == GR_OK) st = gr_sampler_sample(fake, rng, c.pbatch, e.pts, err);
    if (st == GR_OK)
        st = layer_grads_double(dn, &tc->d_spec, wgan, e.pts2, e.pts, c.pbatch, d, lnorm, L, err);
    if (st == GR_OK) {
        size_t dims[1] = {L};
        st = gr_results_run_dataset_f64(w, "probes", "layer_grad_norms", 1, dims, lnorm, err);
    }

    /* C34: weight histograms (the trainer's probe) and fractions over the weight matrices */
    gr_gan_probe_sink sink = {&e, sink_write};
    e.frac_probe = NAN;
    if (st == GR_OK) st = gr_gan_trainer_probe(t, GR_GAN_PROBE_WEIGHTS, &sink, err);
    if (st == GR_OK) {
        size_t dims[2] = {L, c.bins};
        st = gr_results_run_dataset_f64(w, "probes", "weight_hist", 2, dims, e.hist, err);
        /* the histogram's range [-r, r], as the trainer's weights probe takes it */
        double r = tc->probe.hist_range > 0.0 ? tc->probe.hist_range : clip ? tc->clip : 1.0;
        double rr[2] = {-r, r};
        size_t d1[1] = {2};
        if (st == GR_OK)
            st = gr_results_run_dataset_f64(w, "probes", "weight_hist_range", 1, d1, rr, err);
        dims[1] = 3;
        if (st == GR_OK)
            st = gr_results_run_dataset_f64(w, "probes", "weight_tails", 2, dims, e.tails, err);
    }
    double wmax = 0, n_at_clip = 0, n_near_max = 0, n_w = 0;
    if (st == GR_OK) {
        const float *p = gr_mlp_params(dn);
        for (int pass = 0; pass < 2; pass++)
            for (size_t l = 0; l < L; l++) {
                gr_mlp_layer li = gr_mlp_layer_info(dn, l);
                for (size_t i = li.w_offset; i < li.b_offset; i++) {
                    double a = fabs((double)p[i]);
                    if (pass == 0) {
                        if (a > wmax) wmax = a;
                        n_w++;
                        if (clip && a >= c.thr * tc->clip) n_at_clip++;
                    } else if (a >= c.thr * wmax)
                        n_near_max++;
                }
            }
    }

    /* C32 / C23: the value surface on the grid over the box */
    double s_min = NAN, s_max = NAN, r2 = NAN, slope = NAN, mono = NAN, dgrad_grid_max = NAN;
    double dstar_ratio = NAN;
    if (st == GR_OK && G) {
        double lo[2], hi[2], lo2[2], hi2[2];
        if (c.box > 0) {
            for (size_t j = 0; j < d; j++)
                lo[j] = -c.box, hi[j] = c.box;
        } else {
            st = gr_sampler_box(data, lo, hi, err);
            if (st == GR_OK) st = gr_sampler_box(fake, lo2, hi2, err);
            for (size_t j = 0; st == GR_OK && j < d; j++) {
                if (lo2[j] < lo[j]) lo[j] = lo2[j];
                if (hi2[j] > hi[j]) hi[j] = hi2[j];
            }
        }
        double axis[2 * 4096];
        for (size_t j = 0; st == GR_OK && j < d; j++)
            for (size_t i = 0; i < c.grid; i++)
                axis[j * c.grid + i] = lo[j] + (hi[j] - lo[j]) * (double)i / (double)(c.grid - 1);
        for (size_t g = 0; st == GR_OK && g < G; g++) {
            if (d == 1)
                e.grid[g] = axis[g];
            else
                e.grid[2 * g] = axis[g / c.grid], e.grid[2 * g + 1] = axis[c.grid + g % c.grid];
        }
        if (st == GR_OK) st = eval_f(dn, e.grid, G, d, chunk, e.xf, e.surf, err);
        if (st == GR_OK) {
            size_t dims[2] = {d, c.grid};
            st = gr_results_run_dataset_f64(w, "probes", "surface_axes", 2, dims, axis, err);
            size_t sd2[2] = {c.grid, c.grid};
            if (st == GR_OK)
                st = gr_results_run_dataset_f64(w, "probes", "surface", (int)d, sd2, e.surf, err);
            /* the densities of the data and of the fixed generator on the same grid, when
             * their samplers have one (for the figure: e.norms is free scratch here) */
            gr_sampler *const who[2] = {data, fake};
            const char *const dn_name[2] = {"real_density", "fake_density"};
            for (int k = 0; st == GR_OK && k < 2; k++) {
                gr_density dens;
                gr_error quiet;
                gr_error_clear(&quiet);
                if (gr_sampler_density(who[k], &dens, &quiet) != GR_OK || dens.d != d) continue;
                for (size_t g = 0; st == GR_OK && g < G; g++) {
                    double lp;
                    st = dens.logpdf(dens.ctx, e.grid + g * d, &lp);
                    if (st != GR_OK) st = GR_ERROR(err, st, "fixed_critic: %s", dn_name[k]);
                    e.norms[g] = exp(lp);
                }
                if (st == GR_OK)
                    st = gr_results_run_dataset_f64(w, "probes", dn_name[k], (int)d, sd2, e.norms,
                                                    err);
            }
        }
        if (st == GR_OK) {
            s_min = INFINITY, s_max = -INFINITY;
            for (size_t g = 0; g < G; g++) {
                if (e.surf[g] < s_min) s_min = e.surf[g];
                if (e.surf[g] > s_max) s_max = e.surf[g];
            }
        }
        if (st == GR_OK && d == 1) {
            /* least-squares line, R^2, monotonicity */
            double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;
            for (size_t g = 0; g < G; g++)
                mx += e.grid[g], my += e.surf[g];
            mx /= (double)G, my /= (double)G;
            for (size_t g = 0; g < G; g++) {
                double dx = e.grid[g] - mx, dyv = e.surf[g] - my;
                sxx += dx * dx, sxy += dx * dyv, syy += dyv * dyv;
            }
            slope = sxy / sxx;
            r2 = syy > 0 ? sxy * sxy / (sxx * syy) : NAN;
            int up = 1, down = 1;
            for (size_t g = 1; g < G; g++) {
                if (e.surf[g] < e.surf[g - 1]) up = 0;
                if (e.surf[g] > e.surf[g - 1]) down = 0;
            }
            mono = (up || down) ? 1.0 : 0.0;
            if (!wgan) {
                double *fl = malloc(G * sizeof *fl);
                if (!fl) st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
                if (st == GR_OK)
                    st = grad_norms(dn, e.grid, G, 1, chunk, e.xf, e.gx, e.norms, fl, err);
                dgrad_grid_max = 0;
                for (size_t g = 0; st == GR_OK && g < G; g++) {
                    double v = e.norms[g] * sigmoid_prime(fl[g]);
                    if (v > dgrad_grid_max) dgrad_grid_max = v;
                }
                free(fl);
            }
            /* the exactly optimal D* of the gauss1d pair (gan/games.h) */
            if (st == GR_OK && !strcmp(c.set, "gauss1d") && !strcmp(c.gen, "pair")) {
                double mean, sdv, theta;
                gr_game_law real, gen0;
                st = gr_rundesc_get_f64(run, "data.mean", &mean, err);
                if (st == GR_OK) st = gr_rundesc_get_f64(run, "data.sd", &sdv, err);
                if (st == GR_OK) st = gr_rundesc_get_f64(run, "data.theta", &theta, err);
                if (st == GR_OK) st = gr_game_law_normal(&real, mean, sdv, err);
                if (st == GR_OK) st = gr_game_law_normal(&gen0, 0.0, sdv, err);
                if (st == GR_OK)
                    st = gr_game_loc_logit(&real, &gen0, theta, 0.0, G, e.grid, dstar, dstar + G,
                                           err);
                if (st == GR_OK) {
                    size_t dims[1] = {G};
                    st = gr_results_run_dataset_f64(w, "probes", "optimal_logit", 1, dims, dstar,
                                                    err);
                }
                double gmax = 0;
                for (size_t g = 0; st == GR_OK && g < G; g++) {
                    double v = fabs(dstar[G + g]) * sigmoid_prime(dstar[g]);
                    if (v > gmax) gmax = v;
                }
                /* at the fake samples: e.pts holds pbatch fake points now */
                double *l = malloc(2 * c.pbatch * sizeof *l);
                if (st == GR_OK && !l) st = GR_ERROR(err, GR_ENOMEM, "fixed_critic: memory");
                if (st == GR_OK)
                    st = gr_game_loc_logit(&real, &gen0, theta, 0.0, c.pbatch, e.pts, l,
                                           l + c.pbatch, err);
                if (st == GR_OK) {
                    for (size_t i = 0; i < c.pbatch; i++)
                        l[i] = fabs(l[c.pbatch + i]) * sigmoid_prime(l[i]);
                    qsort(l, c.pbatch, sizeof *l, cmp_dbl);
                    dstar_ratio = quantile_sorted(l, c.pbatch, 0.5) / gmax;
                }
                free(l);
            }
        }
    }
    if (st == GR_OK) {
        double g1 = lnorm[0], gl = L >= 2 ? lnorm[L - 2] : NAN;
        struct {
            const char *name;
            double v;
        } mt[] = {
            {"critic_steps", (double)gr_gan_trainer_critic_iters(t)},
            {"final_d_loss", gr_gan_trainer_last(t)->d_loss},
            {"final_w_estimate", gr_gan_trainer_last(t)->w_estimate},
            {"final_penalty", gr_gan_trainer_last(t)->penalty},
            {"critic_estimate", est},
            {"w1_lp", w1},
            {"est_over_w1", est / w1},
            {"grad_norm_p99", lip99},
            {"grad_norm_median", med_all},
            {"grad_norm_median_interp", med_interp},
            {"efficiency_q", est / (lip99 * w1)},
            {"grad_norm_log10_first", log10(g1)},
            {"grad_norm_log10_last", log10(gl)},
            {"grad_norm_log10_ratio_first_last", log10(g1) - log10(gl)},
            {"frac_at_clip", clip ? e.frac_probe : NAN},
            {"frac_weights_at_clip", clip && n_w ? n_at_clip / n_w : NAN},
            {"frac_weights_near_max", n_w ? n_near_max / n_w : NAN},
            {"weight_abs_max", wmax},
            {"surface_min", s_min},
            {"surface_max", s_max},
            {"surface_range", s_max - s_min},
            {"surface_linear_r2", r2},
            {"surface_slope", slope},
            {"surface_monotone", mono},
            {"d_grad_ratio_fake", dgrad_fake_med / dgrad_grid_max},
            {"dstar_grad_ratio_fake", dstar_ratio},
            {"critic_dtheta_fake", dtheta},
            {"critic_dtheta_abs_err", dtheta_err},
            {"critic_dtheta_over_k_abs_err", dtheta_k_err},
        };
        for (size_t i = 0; st == GR_OK && i < sizeof mt / sizeof mt[0]; i++)
            st = gr_results_run_metric(w, mt[i].name, mt[i].v, err);
    }
done:
    free(e.xf);
    free(e.gx);
    free(e.pts);
    free(e.pts2);
    free(e.norms);
    free(e.grid);
    free(e.surf);
    free(e.hist);
    free(e.tails);
    free(lnorm);
    free(dstar);
    gr_eval_w1_free(w1ws);
    gr_rng_free(rng);
    gr_gan_trainer_free(t);
    gr_sampler_free(fake);
    gr_sampler_free(data);
    return st;
}
