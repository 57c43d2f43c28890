/* harness/plot.h — the data a figure needs, exported from a results file as plain text
 * files that gnuplot reads (the figure itself is drawn by the experiment's committed
 * script plots/NAME.gp, which `ganrepro plot` runs).
 *
 * gr_plot_export(v, dir, err) writes into the folder dir (created if needed):
 *   meta.gp       gnuplot commands defining variables: experiment, title, profile, commit,
 *                 protocol (strings); n_runs, n_groups, n_failed, n_diverged, n_ok
 *                 (numbers); arrays run_status[n_runs] ("ok", "diverged", "failed"),
 *                 run_group[n_runs] (1-based setting), run_seed[n_runs], run_label[n_runs]
 *                 ("curve.samples = independent, seed 1"), run_reason[n_runs];
 *                 group_label[n_groups] (the setting, "all runs" without sweep),
 *                 group_short[n_groups] (its values alone, for legends),
 *                 group_n_ok / group_n_failed / group_n_diverged[n_groups];
 *                 has_<series> = 1 for every series some run wrote (0 is never written:
 *                 test with exists("has_name")); n_series and series_names (every series
 *                 name, space-separated: word(series_names, k)); failed_note: one line per failed
 * or diverged run ("" when none), for the figure to show; array run_datasets[n_runs] (run K's
 * datasets under samples/ and probes/, space-separated, as "samples.step_300 probes.surface"),
 * dataset_names (every dataset name some run wrote), n_axes and axis_names (the swept keys,
 * space-separated) and array group_value[n_groups * n_axes] (setting G's value of axis A at
 * (G - 1) * n_axes + A, as stored; "" for none). run_K.GROUP.NAME.dat  dataset GROUP/NAME of
 * run K (numeric, rank 1 or 2) as text without a header line: rank 1 one value a line, rank
 * 2 (n x d) one row of d values a line (%.17g, non-finite as inf/-inf/nan). summary.dat  one
 * row per run: header "run group seed ok param.<axis>... <metric>...", the swept values as
 * numbers (nan when not numeric) and every summary metric. run_K.dat     run K (1-based, index
 * order): a header line "step NAME ..." then one row per step, every series of the run (%.17g;
 * non-finite as inf, -inf, nan). A run without series (failed before writing any) gets the header
 * only. group_G.dat   setting G over the seeds whose runs ended ok (failed and diverged runs are
 * not averaged in; they are in their run_K.dat): header "step NAME_mean NAME_std NAME_lo NAME_hi
 * NAME_n ..." for every series, rows by step (lo/hi = mean -+ std; std and lo/hi nan for fewer than
 * 2 seeds). Rows are aligned by row number; a run whose step differs is left out of that row. A
 * setting without an ok run gets the header only. Everything is read from the file; nothing is
 * recomputed beyond the mean and std.
 */
#ifndef GR_HARNESS_PLOT_H
#define GR_HARNESS_PLOT_H

#include "core/error.h"
#include "harness/resview.h"

#ifdef __cplusplus
extern "C" {
#endif

int gr_plot_export(const gr_resview *v, const char *dir, gr_error *err);

/* Cross-experiment figures (`ganrepro plot --figure NAME RESULTS.h5...`). A script that
 * draws from several experiments' results names them on a line of its own,
 *     # figure inputs: toy_train toy_train_25g toy_train_swissroll
 * (the prefix "# figure inputs:" at the start of the line, then 1 to GR_PLOT_MAX_INPUTS
 * experiment names separated by blanks, in the order the figure uses them).
 *
 * gr_plot_figure_inputs(script, inputs, n, err) reads that line into inputs (n names, each
 * at most 127 bytes of [a-z0-9_], stored in inputs[0..n-1]). Errors: GR_EIO the script
 * cannot be read; GR_EFORMAT it has no such line (not a cross-experiment figure), two such
 * lines, no name, a name of other characters, too many names or the same name twice.
 *
 * gr_plot_write_inputs(dir, inputs, n, found, err) writes DIR/inputs.gp (the folder must
 * exist; the exported folder of input k is DIR/NAME_k, written by gr_plot_export), gnuplot
 * commands defining: n_inputs; arrays input_name[n_inputs], input_found[n_inputs] (1 when
 * found[k], else 0: no results file of that experiment was given) and input_dir[n_inputs]
 * ("DIR/NAME_k", whether found or not); inputs_note: one line "NAME: no results file given"
 * per input not found ("" when all were), for the figure to show. Errors: GR_EIO. */
#define GR_PLOT_MAX_INPUTS 16
typedef char gr_plot_input_name[128];
int gr_plot_figure_inputs(const char *script, gr_plot_input_name inputs[GR_PLOT_MAX_INPUTS],
                          size_t *n, gr_error *err);
int gr_plot_write_inputs(const char *dir, const gr_plot_input_name *inputs, size_t n,
                         const int *found, gr_error *err);

/* Draw one image: run `gnuplot -e "datadir='DATADIR'; outfile='TMP'; fmt='FMT';
 * plotsdir='PLOTSDIR'" SCRIPT` (gnuplot found on PATH) and rename TMP (outfile plus a
 * temporary suffix) to outfile when gnuplot exits 0 having written a non-empty file that
 * ends as its format does (png: the IEND chunk, pdf: "%%EOF", svg: "</svg>"; gnuplot's
 * cairo terminals exit 0 after a failed write, e.g. on a full disk); otherwise TMP is
 * removed and outfile left as it was. gnuplot's own messages go to the process's stderr
 * (the child inherits it; this library prints nothing itself).
 * Errors: GR_EINVAL a path holds a single quote; GR_EIO gnuplot cannot be started (not
 * installed), the rename failed, or the folder cannot be written (full, read-only) or the
 * image came out incomplete; GR_ELIB gnuplot failed or wrote nothing (its exit status in
 * the message). */
int gr_plot_draw(const char *script, const char *datadir, const char *outfile, const char *fmt,
                 const char *plotsdir, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
