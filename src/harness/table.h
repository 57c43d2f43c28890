/* harness/table.h — the summary metrics of a results file as tables: for each setting
 * (one value of every swept parameter: method x setting), mean, standard deviation,
 * standard error and n over the seeds, per summary metric.
 *
 * Only runs with status ok enter the statistics. Failed and diverged runs are counted per
 * setting (n_failed, n_diverged) and flagged in every format, never averaged in: a
 * diverged run's numbers are a different outcome, a failed run has none. Within the ok
 * runs, a NaN value (a metric the run did not write) is counted (n_nan) and left out.
 * std is the sample standard deviation (n - 1 denominator; NaN for n < 2), se = std /
 * sqrt(n). A non-finite value gives a non-finite mean (an inf mean, NaN std).
 *
 * Settings are in the order of their first run (plan order); metrics in the summary's
 * (alphabetical) order. Every number is the file's: nothing is recomputed from series.
 */
#ifndef GR_HARNESS_TABLE_H
#define GR_HARNESS_TABLE_H

#include <stddef.h>

#include "core/error.h"
#include "harness/resview.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_table_cell {
    size_t n;     /* ok runs with a value */
    size_t n_nan; /* ok runs without one (NaN) */
    double mean, std, se;
} gr_table_cell;

typedef struct gr_table_group {
    size_t first_run; /* the view's run whose parameters name the setting */
    size_t n_runs, n_ok, n_diverged, n_failed;
} gr_table_group;

typedef struct gr_table gr_table;

int gr_table_build(gr_table **out, const gr_resview *v, gr_error *err);
void gr_table_free(gr_table *t); /* NULL is a no-op */
size_t gr_table_n_groups(const gr_table *t);
const gr_table_group *gr_table_group_at(const gr_table *t, size_t g);
/* Cell of setting g and metric m (the view's metric order). */
const gr_table_cell *gr_table_cell_at(const gr_table *t, size_t g, size_t m);
/* 1 when a criterion with over = "mean" is on metric m: tables show its standard error. */
int gr_table_metric_uses_se(const gr_table *t, size_t m);

typedef enum gr_table_format {
    GR_TABLE_LATEX = 0, /* booktabs + siunitx S columns, caption with experiment/profile/commit */
    GR_TABLE_MD = 1,    /* one row per metric, one column per setting */
    GR_TABLE_CSV = 2,   /* long form: one row per setting x metric, full precision */
    GR_TABLE_RUNS = 3   /* one row per run: status, parameters, every summary metric (%.17g) */
} gr_table_format;

/* The table as text in a malloc'd string *out (free it). */
int gr_table_render(const gr_table *t, int format, char **out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
