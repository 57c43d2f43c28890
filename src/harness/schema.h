/* harness/schema.h — the one table of every key an experiment file may contain.
 *
 * Each row names a key path (sections joined by dots: "method.optim_d.lr"), its type, its
 * range or choices, its default, where it is required, whether an array of values is a
 * sweep axis, whether it is a size that profiles set, whether it is documentation only
 * (left out of a run's id), which methods it belongs to, and a doc string. The reader
 * (harness/plan.c) accepts exactly these keys, the canonical text is written in this
 * order, and docs/EXPERIMENTS.md's key reference is generated from it (tests/harness
 * checks that the page and the table agree), so the three cannot drift.
 *
 * Rows under "criteria." describe the fields of each element of the `criteria` list;
 * "profiles.ci|quick|full" are groups holding any GR_KEY_SIZE key. Method defaults that
 * differ between methods, presets and optimizers (CLAIMS §0, C26, C30, C37) are in a second
 * table, gr_schema_method_default.
 */
#ifndef GR_HARNESS_SCHEMA_H
#define GR_HARNESS_SCHEMA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_key_type {
    GR_KEY_BOOL = 0, /* true | false */
    GR_KEY_INT,      /* integer (64-bit; 10 or 10L) */
    GR_KEY_DOUBLE,   /* number; an integer literal is accepted and read exactly */
    GR_KEY_STRING,   /* "text" */
    GR_KEY_ENUM,     /* one of `choices` ("a|b|c"), as a string */
    GR_KEY_ARCH,     /* an MLP architecture string, nn/mlp.h: "2-512relu-512relu-1linear" */
    GR_KEY_IDENT,    /* a name: lower-case letter, then lower-case letters, digits, _ */
    GR_KEY_CLAIM,    /* a claim id: C followed by two digits ("C19") */
    GR_KEY_INTS,     /* [int, ...] */
    GR_KEY_DOUBLES,  /* [number, ...] */
    GR_KEY_CLAIMS    /* ["C19", ...] */
} gr_key_type;

/* flags */
#define GR_KEY_SWEEP                                                                               \
    0x1u                 /* an array of values (a list of arrays for array keys) is a sweep axis   \
                          */
#define GR_KEY_SIZE 0x2u /* a size: may be set per profile (profiles.ci|quick|full) */
#define GR_KEY_META 0x4u /* documentation or bookkeeping: not part of a run's settings or id */

/* open ends of a range */
#define GR_OPEN_LO 0x1u
#define GR_OPEN_HI 0x2u

/* Protocols (experiment.protocol), as bits for `required`. */
enum {
    GR_PROTO_TRAIN = 1u << 0,          /* train the method: G and D/critic */
    GR_PROTO_FROZEN_D = 1u << 1,       /* a fresh D against a frozen G (A&B Figs. 1-3) */
    GR_PROTO_FIXED_CRITIC = 1u << 2,   /* critic trained against a fixed "generator" */
    GR_PROTO_DISTANCE_CURVE = 1u << 3, /* exact and sample distances along a 1-parameter family */
    GR_PROTO_OBJECTIVE = 1u << 4,      /* identities of the objective with the exact D* */
    GR_PROTO_GAME = 1u << 5,           /* small games: bilinear xy, 1-D location / point mass */
    GR_PROTO_PRESET_CHECK = 1u << 6,   /* method presets and toy-data constants vs the sources */
    GR_PROTO_FIXED_GEN = 1u << 7,      /* fixed generators: coupling and mode-drop oracles */
    GR_PROTO_ORACLE = 1u << 8,         /* exact and Monte-Carlo oracles (oracle.kind) */
    GR_PROTO_ALL = (1u << 9) - 1
};
#define GR_PROTOCOLS                                                                               \
    "train|frozen_d|fixed_critic|distance_curve|objective|game|preset_check|fixed_gen|oracle"

/* Methods (method.name, gan/objective.h's gr_gan_method names), as bits for `methods`. */
enum {
    GR_SCHEMA_GAN_MM = 1u << 0,
    GR_SCHEMA_GAN_NS = 1u << 1,
    GR_SCHEMA_GAN_IN = 1u << 2,
    GR_SCHEMA_WGAN_CLIP = 1u << 3,
    GR_SCHEMA_WGAN_GP = 1u << 4
};
#define GR_METHODS "gan_mm|gan_ns|gan_in|wgan_clip|wgan_gp"

/* Optimizers (method.optim_d.name, method.optim_g.name: nn/optim.h's gr_optim_kind names),
 * as bits for `optims`. */
enum {
    GR_SCHEMA_SGD = 1u << 0,
    GR_SCHEMA_ADAM = 1u << 1,
    GR_SCHEMA_RMSPROP = 1u << 2,
    GR_SCHEMA_ADAM_TF = 1u << 3,
    GR_SCHEMA_RMSPROP_TF = 1u << 4
};
#define GR_OPTIMS "sgd|adam|rmsprop|adam_tf|rmsprop_tf"

/* Presets (method.preset, gan/objective.h's gr_gan_preset names), as bits. */
enum { GR_SCHEMA_PAPER = 1u << 0, GR_SCHEMA_GAN_TOY = 1u << 1, GR_SCHEMA_WGAN_CODE = 1u << 2 };
#define GR_PRESETS "paper|gan_toy|wgan_code"

typedef struct gr_schema_key {
    const char *path;    /* "method.optim_d.lr" */
    gr_key_type type;    /* element type for the array types */
    double lo, hi;       /* inclusive range of numbers (each element of arrays) */
    unsigned open;       /* GR_OPEN_LO: lo excluded (lr > 0); GR_OPEN_HI: hi excluded */
    const char *choices; /* GR_KEY_ENUM: "a|b|c"; NULL otherwise */
    const char *def;     /* default, in libconfig syntax; NULL: none (see `required`) */
    unsigned flags;      /* GR_KEY_SWEEP | GR_KEY_SIZE | GR_KEY_META */
    unsigned required;   /* GR_PROTO_* bits of the protocols that need a value */
    unsigned methods;    /* GR_SCHEMA_<method> bits it belongs to (method.*); 0: every method */
    unsigned optims;     /* GR_SCHEMA_<optimizer> bits it belongs to (optimizer settings); 0: all */
    size_t min_len, max_len; /* array lengths (array types only) */
    const char *doc;         /* one or two sentences for docs/EXPERIMENTS.md */
} gr_schema_key;

/* The table, in canonical order. Cannot fail. */
size_t gr_schema_n_keys(void);
const gr_schema_key *gr_schema_key_at(size_t i); /* NULL if out of range */
/* The row for PATH, NULL if none; *index (may be NULL) receives its position. */
const gr_schema_key *gr_schema_find(const char *path, size_t *index);

/* The default of PATH for this preset, method and optimizer (one GR_SCHEMA_* bit each;
 * optim: the optimizer of the net PATH belongs to, 0 for other keys), in libconfig syntax,
 * or NULL when the row's `def` applies. The first matching entry of the defaults table
 * wins (gan_toy's before the papers'). */
const char *gr_schema_method_default(unsigned preset, unsigned method, unsigned optim,
                                     const char *path);

/* Position of NAME in a "a|b|c" list (0-based), -1 if absent. */
int gr_schema_choice_index(const char *choices, const char *name);

/* Type as a word for messages and docs ("double", "int", "array of doubles", ...). */
const char *gr_key_type_name(gr_key_type t);

/* What a value of this key must be, for messages and docs: "a double in (0, 10]",
 * "one of \"sgd\", \"adam\", \"rmsprop\"", "an array of 1 to 64 ints in [0, ...]".
 * Writes at most size bytes (NUL-terminated when size > 0); returns the length needed. */
size_t gr_schema_accepts(const gr_schema_key *k, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
