/* tests/eval/test_scores.c — class coverage and the classifier score of eval/scores.h on
 * given probability arrays, against their closed forms: a uniform-confident classifier
 * (every row one-hot, the k classes equally often) scores exactly k with coverage k and KL
 * 0 from uniform; a constant classifier (every row the same distribution) scores 1; an
 * unbalanced confident one scores exp(H(q)) of its class histogram q; soft rows against a
 * value computed term by term; rows are normalised; every error path. (Through a trained
 * net: tests/eval/test_classifier.c.)
 */
#include "eval/scores.h"
#include "test.h"

enum { K = 10, N = 1000 };
static double P[N * K];

static void test_uniform_confident_is_k(void) {
    gr_error err;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            P[i * K + j] = j == (i * 7) % K ? 1.0 : 0.0; /* each class 100 times */
    double s = 0.0, m = -1.0;
    CHECK_OK(gr_eval_classifier_score(&s, &m, P, N, K, &err), &err);
    /* a sum of N positive terms: relative rounding <= N eps ~ 1.1e-13 */
    CHECK_CLOSE(s, 10.0, 2e-13, 0.0);
    CHECK_CLOSE(m, log(10.0), 2e-13, 0.0);
    gr_class_coverage c;
    CHECK_OK(gr_eval_class_coverage(&c, P, N, K, &err), &err);
    CHECK(c.classes_covered == 10 && c.n == N && c.k == K);
    CHECK_CLOSE(c.kl_uniform, 0.0, 0.0, 1e-15);
    for (size_t j = 0; j < K; j++)
        CHECK(c.counts[j] == 100);
}

static void test_constant_is_one(void) {
    gr_error err;
    const double row[K] = {0.05, 0.3, 0.01, 0.04, 0.1, 0.2, 0.1, 0.05, 0.1, 0.05};
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            P[i * K + j] = row[j];
    double s = 0.0, m = -1.0;
    CHECK_OK(gr_eval_classifier_score(&s, &m, P, N, K, &err), &err);
    CHECK_CLOSE(s, 1.0, 0.0, 1e-14);
    CHECK_CLOSE(m, 0.0, 0.0, 1e-14);
    gr_class_coverage c;
    CHECK_OK(gr_eval_class_coverage(&c, P, N, K, &err), &err);
    CHECK(c.classes_covered == 1 && c.counts[1] == N); /* argmax 0.3 */
    CHECK_CLOSE(c.kl_uniform, log(10.0), 1e-15, 0.0);  /* all in one class: log k */
    /* a constant one-hot classifier too */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            P[i * K + j] = j == 4 ? 1.0 : 0.0;
    CHECK_OK(gr_eval_classifier_score(&s, &m, P, N, K, &err), &err);
    CHECK(s == 1.0);
}

/* confident rows with class histogram q: E KL = sum_c q_c log(1/q_c) = H(q), so the score
 * is exp(H(q)); the coverage KL is log k - H(q). */
static void test_unbalanced_confident(void) { /* tolerances: 1000-term sums, N eps */
    gr_error err;
    const size_t cnt[4] = {500, 250, 250, 0}; /* k = 4, one class never predicted */
    size_t i = 0;
    for (size_t c = 0; c < 4; c++)
        for (size_t t = 0; t < cnt[c]; t++, i++)
            for (size_t j = 0; j < 4; j++)
                P[i * 4 + j] = j == c ? 0.9 + 0.1 : 0.0;
    double H = -(0.5 * log(0.5) + 2 * 0.25 * log(0.25)), s = 0.0;
    CHECK_OK(gr_eval_classifier_score(&s, NULL, P, 1000, 4, &err), &err);
    CHECK_CLOSE(s, exp(H), 2e-13, 0.0);
    gr_class_coverage c;
    CHECK_OK(gr_eval_class_coverage(&c, P, 1000, 4, &err), &err);
    CHECK(c.classes_covered == 3 && c.counts[3] == 0);
    CHECK_CLOSE(c.kl_uniform, log(4.0) - H, 2e-13, 0.0);
}

/* soft rows (unnormalised on input: rows are divided by their sums), by hand: 3 rows of
 * k = 2 with p(y|x) = (0.8, 0.2), (0.4, 0.6), (0.3, 0.7); p(y) = (0.5, 0.5). */
static void test_soft_rows_by_hand(void) {
    gr_error err;
    double p[6] = {8.0, 2.0, 0.4, 0.6, 3.0, 7.0}, s = 0.0, m = 0.0;
    CHECK_OK(gr_eval_classifier_score(&s, &m, p, 3, 2, &err), &err);
    double kl = (0.8 * log(1.6) + 0.2 * log(0.4)) + (0.4 * log(0.8) + 0.6 * log(1.2)) +
                (0.3 * log(0.6) + 0.7 * log(1.4));
    CHECK_CLOSE(m, kl / 3.0, 1e-13, 0.0);
    CHECK_CLOSE(s, exp(kl / 3.0), 1e-13, 0.0);
    gr_class_coverage c;
    CHECK_OK(gr_eval_class_coverage(&c, p, 3, 2, &err), &err);
    CHECK(c.counts[0] == 1 && c.counts[1] == 2 && c.classes_covered == 2);
    CHECK_CLOSE(c.kl_uniform, (1.0 / 3) * log(2.0 / 3) + (2.0 / 3) * log(4.0 / 3), 1e-14, 0.0);
    /* ties go to the first class */
    double t[2] = {0.5, 0.5};
    CHECK_OK(gr_eval_class_coverage(&c, t, 1, 2, &err), &err);
    CHECK(c.counts[0] == 1);
}

static void test_errors(void) {
    gr_error err;
    double p[4] = {0.5, 0.5, 0.2, 0.8}, s;
    gr_class_coverage c;
    CHECK_STATUS(gr_eval_classifier_score(NULL, NULL, p, 2, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_classifier_score(&s, NULL, NULL, 2, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_classifier_score(&s, NULL, p, 0, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_classifier_score(&s, NULL, p, 2, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_class_coverage(&c, p, 1, GR_EVAL_MAX_CLASSES + 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_class_coverage(NULL, p, 2, 2, &err), GR_EINVAL);
    p[3] = -0.1;
    CHECK_STATUS(gr_eval_classifier_score(&s, NULL, p, 2, 2, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "probs[1][1]");
    p[3] = NAN;
    CHECK_STATUS(gr_eval_class_coverage(&c, p, 2, 2, &err), GR_EDOM);
    p[2] = 0.0;
    p[3] = 0.0;
    CHECK_STATUS(gr_eval_classifier_score(&s, NULL, p, 2, 2, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "row 1 sums to 0");
}

int main(void) {
    RUN(test_uniform_confident_is_k);
    RUN(test_constant_is_one);
    RUN(test_unbalanced_confident);
    RUN(test_soft_rows_by_hand);
    RUN(test_errors);
    return TEST_MAIN_END();
}
