# plots/toy_train_panels.gp — the five-method figure (CLAIMS C37), shared by toy_train.gp,
# toy_train_25g.gp and toy_train_swissroll.gp: one panel per method: the generator's
# samples at the last snapshot (points) over the data's density (shaded, sqrt scale so the
# tails show), then the W1 distance to the data against the generator step with its noise
# floor (W1 between two real samples of the same size: grey crosses), log scale, mean +- std
# over seeds per method. The caller may set, before loading this file:
#   tt_title          the figure's title (default: the experiment's title)
# Data: run_K.samples.step_<k> (n x 2), run_K.probes.data_density (128 x 128 over the box)
# and .data_box; series w1, w1_floor (docs/RESULTS.md, train). The first ok run of each
# method is scattered. Edit freely.
load datadir.'/meta.gp'
if (!exists("tt_title")) tt_title = title
n_pan = n_groups + 1
n_col = 3
n_row = int((n_pan + n_col - 1) / n_col)
gr_height_cm = 1.6 + 3.0 * n_row
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
meth(g) = gr_gval(g, "method") ne "" ? gr_gval(g, "method") : group_short[g]
# the last sample snapshot of run k ("" if none)
last_snap(k) = (gr_b = "", gr_s = -1, sum [w = 1:words(run_datasets[k])] ((strstrt(word(run_datasets[k], w), "samples.step_") == 1 && int(word(run_datasets[k], w)[14:]) > gr_s) ? (gr_s = int(word(run_datasets[k], w)[14:]), gr_b = word(run_datasets[k], w), 0) : 0), gr_b)
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  if (k == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: no samples\n", meth(g)) }
  if (k > 0 && last_snap(k) eq "") { gr_notes = gr_notes . sprintf("%s: no sample snapshot (probes.samples = 0?)\n", meth(g)) }
  if (k > 0 && !gr_has_ds(k, "probes.data_density")) { gr_notes = gr_notes . sprintf("%s: no data density in the file: samples drawn alone\n", meth(g)) }
}
if (!exists("has_w1")) gr_notes = gr_notes . "no w1 series (eval.w1 off?): W1 panel empty\n"
notes_room = gr_nl(gr_notes) * gr_note_h
set label 20 sprintf("%s\n{/*0.8 (%s, %s)}", tt_title, profile, commit) at screen 0.5, screen 1 - 0.45 / gr_height_cm center font "".gr_fs(6.5)
set multiplot layout n_row, n_col margins 0.1, 0.97, 0.85 / gr_height_cm + 1.1 * notes_room, 1 - 1.1 / gr_height_cm spacing 0.1, 0.6 / gr_height_cm
eval gr_show_notes
unset key
unset colorbox
set tics font "".gr_fs(5.5)
set palette defined (0 '#ffffff', 1 '#9ecae1', 2 '#0072B2')
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  set title meth(g) font "".gr_fs(6) offset 0, -0.7 noenhanced
  set size ratio -1
  unset grid
  set format x "%g"
  set format y "%g"
  if (k > 0 && (last_snap(k) ne "" || gr_has_ds(k, "probes.data_density"))) {
    set datafile nocolumnheaders
    set autoscale xy
    cmd = "plot 1/0 notitle"
    if (gr_has_ds(k, "probes.data_box") && gr_has_ds(k, "probes.data_density")) {
      # data_box: row 1 (lo, hi) of the first coordinate, row 2 of the second
      stats gr_ds(k, "probes.data_box") every ::0::0 using 1 nooutput
      x0 = STATS_min
      stats gr_ds(k, "probes.data_box") every ::0::0 using 2 nooutput
      x1 = STATS_min
      stats gr_ds(k, "probes.data_box") every ::1::1 using 1 nooutput
      y0 = STATS_min
      stats gr_ds(k, "probes.data_box") every ::1::1 using 2 nooutput
      y1 = STATS_min
      stats gr_ds(k, "probes.data_density") matrix using 3 nooutput
      pmax = STATS_max > 0 ? STATS_max : 1
      ngd = int(sqrt(STATS_records))
      set xrange [x0:x1]
      set yrange [y0:y1]
      set xtics nice(x1 - x0)
      set ytics nice(y1 - y0)
      set cbrange [0:1]
      # matrix: $2 the row i (first coordinate), $1 the column j (second)
      cmd = cmd . sprintf(", '%s' matrix using (x0 + $2 * (x1 - x0) / (ngd - 1)):(y0 + $1 * (y1 - y0) / (ngd - 1)):(sqrt($3 / pmax)) with image", gr_ds(k, "probes.data_density"))
    }
    if (last_snap(k) ne "") {
      cmd = cmd . sprintf(", '%s' using 1:2 with points pt 7 ps 0.1 * gr_fscale lc rgb '#D55E00'", gr_ds(k, last_snap(k)))
      set label 13 sprintf("step %s", last_snap(k)[14:]) at graph 0.03, graph 0.06 left front font "".gr_fs(5)
    }
    eval cmd
    unset label 13
    set datafile columnheaders
  } else {
    set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
    plot [0:1] [0:1] 1/0 notitle
    unset label 1
  }
  unset label 20
  unset label 900
}
# the last panel: W1 and its floor against the step, log scale
set size noratio
set grid
set title "W_1 (+: noise floor)" font "".gr_fs(6) offset 0, -0.7 enhanced
set autoscale xy
smax = 1
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { stats gr_grp(g) using 'step' nooutput; smax = STATS_max > smax ? STATS_max : smax } }
set xtics nice(2 * smax)
set xrange [0:smax]
set ytics autofreq
set logscale y
set format y "10^{%T}"
set format x "%g"
set ytics offset 0.5, 0
set xlabel "generator step" offset 0, 1.05 font "".gr_fs(5.5)
set key top right nobox noopaque font "".gr_fs(4.5) samplen 1 spacing 0.7
cmd = "plot 1/0 notitle"
nw = 0
do for [g = 1:n_groups] {
  if (group_n_ok[g] > 0 && exists("has_w1")) {
    if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'step':'w1_lo':'w1_hi' with filledcurves lc rgb '%s' notitle", gr_grp(g), gr_color(g)) }
    cmd = cmd . sprintf(", '%s' using 'step':'w1_mean' with linespoints pi -1 lt %d lw 0.8 title '%s'", gr_grp(g), g, meth(g))
    if (exists("has_w1_floor") && nw == 0) { cmd = cmd . sprintf(", '%s' using 'step':'w1_floor_mean' with linespoints pi -1 pt 1 lc rgb '#777777' lw 0.6 dt (3, 2) notitle", gr_grp(g)) }
    nw = nw + 1
  }
}
if (nw == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [1:10] 1/0 notitle
} else {
  eval cmd
}
unset multiplot
