/* tests/gan/test_objective.c — the method table, the papers' defaults (CLAIMS §0, C26, C30),
 * the gan_toy / wgan_code presets (C37, C26), validation, describe, and the instance-noise
 * schedule's values against their closed forms. */
#include <math.h>
#include <string.h>

#include "gan/objective.h"
#include "test.h"

static void test_names(void) {
    for (int i = 0; i < GR_GAN_N_METHODS; i++) {
        gr_gan_method m = (gr_gan_method)99;
        CHECK_OK(gr_gan_method_parse(&m, gr_gan_method_name((gr_gan_method)i), NULL), NULL);
        CHECK(m == (gr_gan_method)i);
    }
    CHECK(strcmp(gr_gan_method_name(GR_WGAN_GP), "wgan_gp") == 0);
    CHECK(strcmp(gr_gan_method_name((gr_gan_method)7), "?") == 0);
    gr_error err;
    memset(&err, 0, sizeof err);
    gr_gan_method m;
    CHECK_STATUS(gr_gan_method_parse(&m, "wgan", &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "\"wgan\"");
    gr_gan_preset p;
    CHECK_OK(gr_gan_preset_parse(&p, "gan_toy", NULL), NULL);
    CHECK(p == GR_GAN_PRESET_GAN_TOY);
    CHECK(gr_gan_method_is_wgan(GR_WGAN_CLIP) && gr_gan_method_is_wgan(GR_WGAN_GP));
    CHECK(!gr_gan_method_is_wgan(GR_GAN_IN));
}

/* C26: RMSProp 5e-5, c = 0.01, m = 64, n_critic = 5, clip after each critic step (Alg. 1) */
static void test_defaults_wgan_clip(void) {
    gr_gan_config c = gr_gan_config_default(GR_WGAN_CLIP, 2);
    CHECK_OK(gr_gan_config_validate(&c, NULL), NULL);
    CHECK(c.d_optim.kind == GR_OPTIM_RMSPROP && c.g_optim.kind == GR_OPTIM_RMSPROP);
    CHECK(c.d_optim.lr == 5e-5 && c.g_optim.lr == 5e-5);
    CHECK(c.d_optim.alpha == 0.99 && c.d_optim.eps == 1e-8);
    CHECK(c.clip == 0.01 && c.clip_timing == GR_GAN_CLIP_AFTER);
    CHECK(c.batch == 64 && c.n_critic == 5 && c.warmup == 0);
    CHECK(c.warmup_iters == 100 && c.warmup_first == 25 && c.warmup_every == 500);
    CHECK(c.d_init == GR_INIT_NORMAL);
    gr_gan_config w = gr_gan_config_preset(GR_GAN_PRESET_WGAN_CODE, GR_WGAN_CLIP, 2);
    CHECK_OK(gr_gan_config_validate(&w, NULL), NULL);
    CHECK(w.clip_timing == GR_GAN_CLIP_BEFORE && w.warmup == 1);
}

/* C30: lambda 10, n_critic 5, Adam 1e-4, betas (0, 0.9); C37 preset: lambda 0.1, beta1 0.5 */
static void test_defaults_wgan_gp(void) {
    gr_gan_config c = gr_gan_config_default(GR_WGAN_GP, 2);
    CHECK_OK(gr_gan_config_validate(&c, NULL), NULL);
    CHECK(c.gp_lambda == 10.0 && c.gp_one_sided == 0 && c.n_critic == 5);
    CHECK(c.d_optim.kind == GR_OPTIM_ADAM && c.d_optim.lr == 1e-4);
    CHECK(c.d_optim.beta1 == 0.0 && c.d_optim.beta2 == 0.9);
    CHECK(c.g_optim.beta1 == 0.0 && c.g_optim.beta2 == 0.9);
    gr_gan_config t = gr_gan_config_preset(GR_GAN_PRESET_GAN_TOY, GR_WGAN_GP, 2);
    CHECK_OK(gr_gan_config_validate(&t, NULL), NULL);
    CHECK(t.gp_lambda == 0.1 && t.d_optim.beta1 == 0.5 && t.d_optim.beta2 == 0.9);
    CHECK(t.d_optim.lr == 1e-4 && t.batch == 256 && t.n_critic == 5);
    CHECK(t.d_init == GR_INIT_HE && t.g_init == GR_INIT_HE);
    CHECK(t.d_spec.n_hidden == 3 && t.d_spec.hidden[0] == 512 &&
          t.d_spec.hidden_act == GR_ACT_RELU);
    gr_gan_config tc = gr_gan_config_preset(GR_GAN_PRESET_GAN_TOY, GR_WGAN_CLIP, 2);
    CHECK(tc.d_optim.kind == GR_OPTIM_RMSPROP_TF && tc.d_optim.alpha == 0.9 &&
          tc.d_optim.lr == 5e-5);
}

static void test_defaults_gan(void) {
    gr_gan_config mm = gr_gan_config_default(GR_GAN_MM, 2);
    gr_gan_config ns = gr_gan_config_default(GR_GAN_NS, 2);
    gr_gan_config in = gr_gan_config_default(GR_GAN_IN, 2);
    CHECK_OK(gr_gan_config_validate(&mm, NULL), NULL);
    CHECK_OK(gr_gan_config_validate(&ns, NULL), NULL);
    CHECK_OK(gr_gan_config_validate(&in, NULL), NULL);
    CHECK(mm.g_loss == GR_GAN_GLOSS_MINIMAX && ns.g_loss == GR_GAN_GLOSS_NONSAT);
    CHECK(in.g_loss == GR_GAN_GLOSS_MINIMAX && in.g_sees_noise == 1);
    CHECK(in.sigma.kind == GR_GAN_SIGMA_LINEAR && in.sigma.sigma0 > 0.0);
    CHECK(mm.sigma.sigma0 == 0.0 && mm.n_critic == 1);
}

static void test_validate(void) {
    gr_error err;
    gr_gan_config c = gr_gan_config_default(GR_WGAN_GP, 2);
    memset(&err, 0, sizeof err);
    c.gp_lambda = -1.0;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "gp_lambda");
    c = gr_gan_config_default(GR_GAN_NS, 2);
    c.sigma.sigma0 = 0.5; /* noise off gan_in: a silent deviation refused */
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "sigma0");
    c = gr_gan_config_default(GR_GAN_NS, 2);
    c.d_spec.out_dim = 2;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    c = gr_gan_config_default(GR_GAN_NS, 3);
    c.g_spec.out_dim = 2;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "g_spec.out_dim");
    c = gr_gan_config_default(GR_WGAN_CLIP, 2);
    c.g_reuse_fake = 1; /* n_critic 5 */
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    c = gr_gan_config_default(GR_WGAN_CLIP, 2);
    c.clip = 0.0;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    c = gr_gan_config_default(GR_WGAN_CLIP, 2);
    c.d_optim.momentum = 2.0;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "d_optim");
    c = gr_gan_config_default(GR_GAN_IN, 2);
    c.sigma.kind = GR_GAN_SIGMA_EXPONENTIAL;
    c.sigma.rate = 0.0;
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    c = gr_gan_config_default((gr_gan_method)9, 2);
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
    c = gr_gan_config_default(GR_GAN_MM, 0);
    CHECK_STATUS(gr_gan_config_validate(&c, &err), GR_EINVAL);
}

static const gr_setting *find(const gr_setting *v, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0) return &v[i];
    return NULL;
}

static void test_describe(void) {
    gr_gan_config c = gr_gan_config_preset(GR_GAN_PRESET_GAN_TOY, GR_WGAN_GP, 2);
    size_t n = gr_gan_config_describe(&c, NULL, 0);
    CHECK(n > 60 && n < 128);
    gr_setting v[128];
    CHECK(gr_gan_config_describe(&c, v, 128) == n);
    const gr_setting *s = find(v, n, "gp_lambda");
    CHECK(s && s->type == GR_SETTING_DOUBLE && s->value.real == 0.1);
    s = find(v, n, "d_beta1");
    CHECK(s && s->value.real == 0.5);
    s = find(v, n, "g_hidden_2");
    CHECK(s && s->type == GR_SETTING_SIZE && s->value.size == 512);
    CHECK(find(v, n, "g_hidden_3") == NULL); /* only the used widths */
    s = find(v, n, "method");
    CHECK(s && s->type == GR_SETTING_INT && s->value.integer == GR_WGAN_GP);
    s = find(v, n, "n_critic");
    CHECK(s && s->value.size == 5);
    /* names are unique */
    int dup = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            dup += strcmp(v[i].name, v[j].name) == 0;
    CHECK(dup == 0);
    char buf[8192];
    size_t len = gr_settings_format(v, n, "gan.", buf, sizeof buf);
    CHECK(len < sizeof buf);
    CHECK_STR_CONTAINS(buf, "gan.gp_lambda=0.10000000000000001\n");
    /* a short cap copies a prefix and still returns the full count */
    CHECK(gr_gan_config_describe(&c, v, 3) == n);
}

static void test_sigma(void) {
    gr_gan_sigma s = {GR_GAN_SIGMA_LINEAR, 2.0, 100, 0.0};
    CHECK(gr_gan_sigma_at(&s, 0) == 2.0);
    CHECK_CLOSE(gr_gan_sigma_at(&s, 25), 1.5, 1e-15, 0);
    CHECK_CLOSE(gr_gan_sigma_at(&s, 99), 0.02, 1e-13, 0);
    CHECK(gr_gan_sigma_at(&s, 100) == 0.0 && gr_gan_sigma_at(&s, 1000) == 0.0);
    gr_gan_sigma c = {GR_GAN_SIGMA_CONSTANT, 0.3, 0, 0.0};
    CHECK(gr_gan_sigma_at(&c, 0) == 0.3 && gr_gan_sigma_at(&c, 1u << 30) == 0.3);
    gr_gan_sigma e = {GR_GAN_SIGMA_EXPONENTIAL, 1.0, 200, 3.0};
    CHECK(gr_gan_sigma_at(&e, 0) == 1.0);
    /* closed form at t = 100: (e^-1.5 - e^-3) / (1 - e^-3) */
    double want = (exp(-1.5) - exp(-3.0)) / (1.0 - exp(-3.0));
    CHECK_CLOSE(gr_gan_sigma_at(&e, 100), want, 1e-14, 0);
    CHECK(gr_gan_sigma_at(&e, 200) == 0.0);
    CHECK(gr_gan_sigma_at(&e, 199) > 0.0 && gr_gan_sigma_at(&e, 199) < 0.02);
    /* monotone non-increasing */
    int mono = 1;
    for (uint64_t t = 1; t <= 210; t++)
        mono &= gr_gan_sigma_at(&e, t) <= gr_gan_sigma_at(&e, t - 1);
    CHECK(mono);
}

static void test_enum_names(void) {
    gr_gan_config c = gr_gan_config_preset(GR_GAN_PRESET_WGAN_CODE, GR_WGAN_CLIP, 2);
    gr_setting v[128];
    size_t n = gr_gan_config_describe(&c, v, 128);
    size_t n_enum = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) { /* every enumerated entry round-trips through its name */
        const char *name = gr_gan_setting_enum_name(v[i].name, v[i].value.integer);
        if (v[i].type != GR_SETTING_INT || !name) continue;
        n_enum++;
        int back = -1;
        ok &= gr_gan_setting_enum_parse(v[i].name, name, &back, NULL) == GR_OK &&
              back == v[i].value.integer;
    }
    CHECK(ok);
    /* method, 4 activations, 2 inits, prior, 2 optimizer kinds, g_loss, clip_timing,
     * sigma_kind, real_mode */
    CHECK(n_enum == 14);
    CHECK(strcmp(gr_gan_setting_enum_name("clip_timing", GR_GAN_CLIP_BEFORE), "before") == 0);
    CHECK(strcmp(gr_gan_setting_enum_name("d_optim_kind", GR_OPTIM_RMSPROP), "rmsprop") == 0);
    CHECK(strcmp(gr_gan_setting_enum_name("g_hidden_act", GR_ACT_RELU), "relu") == 0);
    CHECK(strcmp(gr_gan_setting_enum_name("d_init", GR_INIT_NORMAL), "normal") == 0);
    CHECK(gr_gan_setting_enum_name("warmup", 1) == NULL);
    CHECK(gr_gan_setting_enum_name("g_loss", 2) == NULL);
    CHECK(gr_gan_setting_enum_name("d_optim_kind", 0) == NULL);
    gr_error err;
    memset(&err, 0, sizeof err);
    int x;
    CHECK_STATUS(gr_gan_setting_enum_parse("sigma_kind", "cosine", &x, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "constant, linear, exponential");
    CHECK_STATUS(gr_gan_setting_enum_parse("batch", "64", &x, &err), GR_EINVAL);
}

int main(void) {
    RUN(test_names);
    RUN(test_defaults_wgan_clip);
    RUN(test_defaults_wgan_gp);
    RUN(test_defaults_gan);
    RUN(test_validate);
    RUN(test_describe);
    RUN(test_sigma);
    RUN(test_enum_names);
    return TEST_MAIN_END();
}
