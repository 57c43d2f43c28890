/* harness/claimtab.h — the claims table `ganrepro verify` writes: one row per evaluated
 * criterion (and per declared claim without one), the words (source, statement) from the
 * claims catalogue (harness/claims.h), and a row per reference-only claim of the catalogue
 * with its published figure and the verdict "cited".
 *
 * Formats (gr_claimtab_render): 'c' CSV (the verdict snapshot; full-precision numbers),
 * 'm' Markdown (the README's claims table), 't' LaTeX (booktabs tabular). Rows are in
 * catalogue order (claim id), criteria of one claim in the order they were added; cited
 * rows at their claim's place. CSV columns (docs/REPORTS.md):
 *   claim, source, statement, experiment, profile, commit, criterion, metric, over, k,
 *   condition, where, doc, measured, se, n_runs, n_pass, n_failed, n_diverged, n_missing,
 *   verdict, published
 *
 * One source of truth per fact: the measured side comes from results files (add_verdict)
 * or from such a CSV read back (read_csv, which ignores the CSV's source, statement and
 * cited rows and takes them from the catalogue again), so rendering a CSV that verify wrote
 * gives byte for byte what verify rendered from the results, with the catalogue's current
 * words. A claim absent from the catalogue is an error naming the claim, where it came from
 * and the catalogue (GR_EFORMAT).
 */
#ifndef GR_HARNESS_CLAIMTAB_H
#define GR_HARNESS_CLAIMTAB_H

#include "core/error.h"
#include "harness/claims.h"
#include "harness/resview.h"
#include "harness/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_claimtab gr_claimtab;

/* An empty table over the catalogue (borrowed: it must outlive the table). */
int gr_claimtab_alloc(gr_claimtab **out, const gr_claims *cat, gr_error *err);
void gr_claimtab_free(gr_claimtab *t); /* NULL is a no-op */

/* The row of verdict d of results view v. */
int gr_claimtab_add_verdict(gr_claimtab *t, const gr_resview *v, const gr_verdict *d,
                            gr_error *err);
/* A claim v's declaration names but judges with no criterion (verdict NOT TESTED). */
int gr_claimtab_add_unjudged(gr_claimtab *t, const gr_resview *v, const char *claim, gr_error *err);
/* The rows of a CSV gr_claimtab_render(.., 'c') wrote (name for messages). Strict: the
 * header must be this version's, every row must have every column. */
int gr_claimtab_read_csv(gr_claimtab *t, const char *text, const char *name, gr_error *err);

size_t gr_claimtab_n_rows(const gr_claimtab *t); /* rows added (cited rows not counted) */

/* The table in format 'c', 'm' or 't' (malloc'd text, caller frees); NULL with err set on
 * an unknown format or out of memory. */
char *gr_claimtab_render(const gr_claimtab *t, int format, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
