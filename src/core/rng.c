/* core/rng.c — seeding mt19937 streams from (seed, stream id); state save/restore; bulk
 * uniform draws.
 *
 * GSL's mt19937 state is `struct { unsigned long mt[624]; int mti; }` (gsl/rng/mt.c,
 * unchanged since GSL 1.0). We fill it with the reference init_by_array of
 * Matsumoto & Nishimura (mt19937ar.c, 2002-01-26) keyed by the four 32-bit halves of
 * (seed, stream). The layout is checked against gsl_rng_size() at run time, and the
 * seeding is pinned by a test against reference output of mt19937ar.c.
 *
 * Contraction off: gr_rng_uniform_fill promises lo + (hi - lo) * u with two double
 * roundings on every platform, so GCC must not fuse it into an fma where FMA is baseline
 * (aarch64), which would change the last bit for some intervals.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include "core/rng.h"

#include <string.h>

#define MT_N 624
#define MT_M 397

struct mt_state_mirror {
    unsigned long mt[MT_N];
    int mti;
};

static void mt_init_genrand(unsigned long *mt, unsigned long s) {
    mt[0] = s & 0xffffffffUL;
    for (size_t j = 1; j < MT_N; j++) {
        mt[j] = (1812433253UL * (mt[j - 1] ^ (mt[j - 1] >> 30)) + j);
        mt[j] &= 0xffffffffUL;
    }
}

static void mt_init_by_array(unsigned long *mt, const unsigned long *key, size_t len) {
    mt_init_genrand(mt, 19650218UL);
    size_t i = 1, j = 0;
    for (size_t k = (MT_N > len ? MT_N : len); k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525UL)) + key[j] + j;
        mt[i] &= 0xffffffffUL;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= len) j = 0;
    }
    for (size_t k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941UL)) - i;
        mt[i] &= 0xffffffffUL;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000UL; /* non-zero initial state guaranteed */
}

static int is_mt(const gsl_rng *r) {
    return r && r->type == gsl_rng_mt19937 && gsl_rng_size(r) == sizeof(struct mt_state_mirror);
}

int gr_rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream, gr_error *err) {
    if (!is_mt(r)) return GR_ERROR(err, GR_EINVAL, "gr_rng_seed: generator is not GSL's mt19937");
    unsigned long key[4] = {(unsigned long)(seed & 0xffffffffu), (unsigned long)(seed >> 32),
                            (unsigned long)(stream & 0xffffffffu), (unsigned long)(stream >> 32)};
    struct mt_state_mirror *st = gsl_rng_state(r);
    mt_init_by_array(st->mt, key, 4);
    st->mti = MT_N;
    return GR_OK;
}

int gr_rng_alloc(gsl_rng **out, uint64_t seed, uint64_t stream, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_rng_alloc: NULL output");
    *out = NULL;
    gr_gsl_quiet_enter(); /* gsl_rng_alloc calls GSL's handler when out of memory */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gr_gsl_quiet_leave();
    if (!r) return GR_ERROR(err, GR_ENOMEM, "gr_rng_alloc: out of memory for an mt19937 generator");
    int st = gr_rng_seed(r, seed, stream, err);
    if (st != GR_OK) {
        gsl_rng_free(r);
        return st;
    }
    *out = r;
    return GR_OK;
}

void gr_rng_free(gsl_rng *r) {
    if (r) gsl_rng_free(r);
}

size_t gr_rng_state_size(const gsl_rng *r) { return r ? gsl_rng_size(r) : 0; }

int gr_rng_state_save(const gsl_rng *r, void *buf, size_t size, gr_error *err) {
    if (!r || !buf) return GR_ERROR(err, GR_EINVAL, "gr_rng_state_save: NULL argument");
    if (size != gsl_rng_size(r))
        return GR_ERROR(err, GR_EINVAL, "gr_rng_state_save: buffer has %zu bytes, state needs %zu",
                        size, gsl_rng_size(r));
    memcpy(buf, gsl_rng_state(r), size);
    return GR_OK;
}

int gr_rng_state_load(gsl_rng *r, const void *buf, size_t size, gr_error *err) {
    if (!r || !buf) return GR_ERROR(err, GR_EINVAL, "gr_rng_state_load: NULL argument");
    if (size != gsl_rng_size(r))
        return GR_ERROR(err, GR_EINVAL,
                        "gr_rng_state_load: saved state has %zu bytes, this generator needs %zu",
                        size, gsl_rng_size(r));
    if (is_mt(r)) {
        struct mt_state_mirror st;
        memcpy(&st, buf, sizeof st);
        if (st.mti < 0 || st.mti > MT_N)
            return GR_ERROR(err, GR_EFORMAT, "gr_rng_state_load: position %d outside [0, %d]",
                            st.mti, MT_N);
        for (size_t i = 0; i < MT_N; i++)
            if (st.mt[i] > 0xffffffffUL)
                return GR_ERROR(err, GR_EFORMAT, "gr_rng_state_load: word %zu is not 32-bit", i);
        /* The recurrence uses the top bit of mt[0] and all of mt[1..623] (19937 bits); the low
         * 31 bits of mt[0] are discarded at the next regeneration. Those bits all zero is the
         * one state outside the generator's period: it regenerates to zero and draws 0
         * forever (what a zero-filled buffer would restore). Every state reachable from a
         * seed has one of them set. */
        int live = (st.mt[0] & 0x80000000UL) != 0;
        for (size_t i = 1; i < MT_N && !live; i++)
            live = st.mt[i] != 0;
        if (!live)
            return GR_ERROR(err, GR_EFORMAT,
                            "gr_rng_state_load: degenerate mt19937 state (its 19937 state bits are "
                            "all zero, so it would draw 0 forever)");
    }
    memcpy(gsl_rng_state(r), buf, size);
    return GR_OK;
}

/* Vector code paths chosen at load time (as nn/optim.c); values are integers and exact
 * conversions, identical in every clone. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define GR_RNG_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GR_RNG_CLONES
#endif

/* The block regeneration and tempering of mt19937 exactly as GSL's mt_get (gsl/rng/mt.c,
 * itself the reference genrand_int32), written as whole-block loops the compiler can
 * vectorise instead of one call per word. */
GR_RNG_CLONES static void mt_regenerate(unsigned long *mt) {
    const unsigned long upper = 0x80000000UL, lower = 0x7fffffffUL;
    size_t kk;
    for (kk = 0; kk < MT_N - MT_M; kk++) {
        unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
        mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ ((y & 1UL) ? 0x9908b0dfUL : 0UL);
    }
    for (; kk < MT_N - 1; kk++) {
        unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
        mt[kk] = mt[kk + MT_M - MT_N] ^ (y >> 1) ^ ((y & 1UL) ? 0x9908b0dfUL : 0UL);
    }
    unsigned long y = (mt[MT_N - 1] & upper) | (mt[0] & lower);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1UL) ? 0x9908b0dfUL : 0UL);
}

/* GSL keeps each 32-bit word in an unsigned long; tempering in uint32_t arithmetic gives the
 * same word (every shifted-out bit is masked off in the 64-bit version too) and lets the
 * conversion below use the signed 32-bit conversion instructions. */
static inline uint32_t mt_temper(uint32_t k) {
    k ^= (k >> 11);
    k ^= (k << 7) & 0x9d2c5680U;
    k ^= (k << 15) & 0xefc60000U;
    k ^= (k >> 18);
    return k;
}

/* Words w[0..k) to floats: lo + width * (word / 2^32), as gsl_rng_uniform (mt_get() /
 * 4294967296.0, exact). The unsigned word is converted as a signed one plus 2^31, exactly,
 * because x86-64 before AVX-512 has no vector unsigned-to-double conversion. */
GR_RNG_CLONES static void words_to_uniform(const unsigned long *w, size_t k, float *x, double lo,
                                           double width) {
    for (size_t i = 0; i < k; i++) {
        int32_t s = (int32_t)(mt_temper((uint32_t)w[i]) ^ 0x80000000U);
        double u = ((double)s + 2147483648.0) * (1.0 / 4294967296.0);
        x[i] = (float)(lo + width * u);
    }
}

void gr_rng_uniform_fill(gsl_rng *r, float *x, size_t n, double lo, double hi) {
    const double width = hi - lo;
    if (!is_mt(r)) {
        for (size_t i = 0; i < n; i++)
            x[i] = (float)(lo + width * gsl_rng_uniform(r));
        return;
    }
    struct mt_state_mirror *st = gsl_rng_state(r);
    while (n > 0) {
        if (st->mti >= MT_N) {
            mt_regenerate(st->mt);
            st->mti = 0;
        }
        size_t k = (size_t)(MT_N - st->mti);
        if (k > n) k = n;
        words_to_uniform(st->mt + st->mti, k, x, lo, width);
        st->mti += (int)k;
        x += k;
        n -= k;
    }
}
