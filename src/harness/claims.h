/* harness/claims.h — the claims catalogue (docs/claims.cfg): each claim's id, source and
 * one-line statement, and for a reference-only claim its published figure ("cited").
 * `ganrepro verify` takes the words of its claims table from here; docs/CLAIMS.md's index is
 * generated from it (tests/harness/test_claims_doc.c).
 *
 * The file is libconfig, read strictly: one top-level list `claims` of groups, in id order
 * C01, C02, ... (strictly increasing; gaps allowed); keys id ("C" and two or more digits),
 * source, statement (both required, non-empty, one line, at most GR_CLAIM_TEXT_MAX bytes),
 * cited (optional, same rules) and no_criterion (optional, same rules: why no experiment
 * judges the claim with a criterion — observational, a figure or a protocol — which
 * `ganrepro verify` prints on the claim's NOT TESTED line). Refused with ONE line "FILE:LINE: what
 * is wrong" in err->msg (GR_EFORMAT; GR_EIO when the file cannot be read): a syntax error, an
 * @include, another top-level setting, an unknown, missing, duplicate or mistyped key, a duplicate
 * or out-of-order id, a line break or control character, and a non-ASCII character other
 * than the symbols gr_claims_put_tex maps (§ ± × ≥ ≤ ≠ − — ≈ → ∞ ∇ ‖ ² ½ θ λ σ ε δ π τ η).
 *
 * Ownership: the catalogue owns its strings until gr_claims_free. Immutable once loaded.
 */
#ifndef GR_HARNESS_CLAIMS_H
#define GR_HARNESS_CLAIMS_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_CLAIM_TEXT_MAX 200

typedef struct gr_claim_entry {
    const char *id;           /* "C19" */
    const char *source;       /* "WGAN §2, Example 1, Fig. 1" */
    const char *statement;    /* one line, the project's words */
    const char *cited;        /* the published figure of a reference-only claim; NULL otherwise */
    const char *no_criterion; /* why no criterion judges it ("observational: ..."); or NULL */
    int line;                 /* line of its group in the file */
} gr_claim_entry;

typedef struct gr_claims gr_claims;

/* Read the catalogue at path. *out = NULL on failure, with the one-line message. */
int gr_claims_load(gr_claims **out, const char *path, gr_error *err);
/* The same from text; name is the file name used in messages. */
int gr_claims_load_text(gr_claims **out, const char *text, const char *name, gr_error *err);
void gr_claims_free(gr_claims *c); /* NULL is a no-op */

const char *gr_claims_path(const gr_claims *c); /* the path (or name) it was read from */
size_t gr_claims_count(const gr_claims *c);
const gr_claim_entry *gr_claims_at(const gr_claims *c, size_t i);         /* NULL out of range */
const gr_claim_entry *gr_claims_find(const gr_claims *c, const char *id); /* NULL if absent */

/* s as LaTeX text: the specials escaped (resview.h's gr_report_put_tex) and the catalogue's
 * symbols as math (§ -> \S, ± -> $\pm$, θ -> $\theta$, ...). */
void gr_claims_put_tex(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif

#endif
