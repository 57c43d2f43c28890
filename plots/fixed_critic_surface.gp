# plots/fixed_critic_surface.gp — WGAN-GP Figure 1(a) style, shared by fixed_critic_8g.gp,
# fixed_critic_25g.gp and fixed_critic_swissroll.gp (which set fc_data, the data's name,
# and load this): one panel per setting (weight clipping at each c, then the gradient
# penalty), the critic's value surface f(x) as a heat map (viridis, each panel scaled to
# its own range, printed in the panel's title) with 7 contour lines, and the real samples
# over it. Data: run_K.probes.surface (grid x grid; (i, j) at (axes[0][i], axes[1][j])),
# run_K.probes.surface_axes, run_K.samples.real (docs/RESULTS.md, fixed_critic). One seed
# per setting is drawn (the first that ended ok). Edit freely.
if (!exists("fc_data")) fc_data = "2-D data"
load datadir.'/meta.gp'
n_pan = n_groups > 0 ? n_groups : 1
n_col = n_pan > 1 ? 2 : 1
n_row = int((n_pan + n_col - 1) / n_col)
gr_height_cm = 2.4 + 4.3 * n_row
load plotsdir.'/style.gp'
eval gr_viridis
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  if (k == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok, no surface\n", group_short[g]) }
  if (k > 0 && !gr_has_ds(k, "probes.surface")) { gr_notes = gr_notes . sprintf("%s: no probes/surface in the file\n", group_short[g]) }
}
if (n_groups == 0) gr_notes = gr_notes . "no run in this file: nothing to draw\n"
notes_room = gr_nl(gr_notes) * gr_note_h
# panel title: "clip c = 0.01" or "gradient penalty"
ptitle(g) = gr_gval(g, "method") eq "wgan_gp" ? "gradient penalty" : (gr_gval(g, "method.clip") ne "" ? "weight clipping, c = " . gr_gval(g, "method.clip") : group_short[g])
set label 20 sprintf("%s: critic value f(x)\n{/*0.8 (%s, %s)}", fc_data, profile, commit) at screen 0.5, screen 1 - 0.5 / gr_height_cm center font "".gr_fs(6.5)
set multiplot layout n_row, n_col margins 0.09, 0.98, 0.95 / gr_height_cm + 1.1 * notes_room, 1 - 1.8 / gr_height_cm spacing 0.03, 0.85 / gr_height_cm
eval gr_show_notes
unset key
unset grid
unset colorbox
set size ratio -1
set border 15 lw 0.5
set tics in scale 0.4 font "".gr_fs(6.5)
unset mxtics
unset mytics
set xtics offset 0, 0.4
set ytics offset 0.7, 0
do for [g = 1:n_pan] {
  # tick labels on the outer panels only (the panels share the box); set after the contour
  # table, which is written with the axes' formats
  set format x "%g"
  set format y "%g"
  k = n_groups > 0 ? gr_first_ok(g) : 0
  if (k > 0 && gr_has_ds(k, "probes.surface") && gr_has_ds(k, "probes.surface_axes")) {
    set datafile nocolumnheaders
    set autoscale xy
    # the axes file: row 1 the first coordinate's grid, row 2 the second's (uniform grids)
    stats gr_ds(k, "probes.surface_axes") every ::0::0 using 1 nooutput
    ng = STATS_columns
    x0 = STATS_min
    stats gr_ds(k, "probes.surface_axes") every ::0::0 using (column(ng)) nooutput
    x1 = STATS_min
    stats gr_ds(k, "probes.surface_axes") every ::1::1 using 1 nooutput
    y0 = STATS_min
    stats gr_ds(k, "probes.surface_axes") every ::1::1 using (column(ng)) nooutput
    y1 = STATS_min
    dx = (x1 - x0) / (ng - 1); dy = (y1 - y0) / (ng - 1)
    stats gr_ds(k, "probes.surface") matrix using 3 nooutput
    fmin = STATS_min; fmax = STATS_max
    set cbrange [fmin:(fmax > fmin ? fmax : fmin + 1)]
    # contour lines, traced once into a table
    set contour base
    set cntrparam levels 7
    unset surface
    set view map
    set table $cont
    splot gr_ds(k, "probes.surface") matrix using (x0 + $1 * dx):(y0 + $2 * dy):3 with lines
    unset table
    unset contour
    set surface
    set xrange [x0:x1]
    nice(r) = (r / 3 >= 5 * 10**floor(log10(r / 3))) ? 5 * 10**floor(log10(r / 3)) : ((r / 3 >= 2 * 10**floor(log10(r / 3))) ? 2 * 10**floor(log10(r / 3)) : 10**floor(log10(r / 3)))
    set xtics nice(x1 - x0)
    set ytics nice(y1 - y0)
    if ((g - 1) % n_col != 0) { set format y ""; unset ylabel } else { set ylabel "x_2" offset 2.2, 0 font "".gr_fs(6.5) }
    if (g + n_col <= n_pan) { set format x ""; unset xlabel } else { set xlabel "x_1" offset 0, 0.9 font "".gr_fs(6.5) }
    set yrange [y0:y1]
    set title sprintf("%s\nf ∈ [%.2g, %.2g]", ptitle(g), fmin, fmax) font "".gr_fs(6) offset 0, -0.7 noenhanced
    # matrix files: $1 is the column j (second coordinate), $2 the row i (first coordinate)
    cmd = "plot gr_ds(k, 'probes.surface') matrix using (x0 + $2 * dx):(y0 + $1 * dy):3 with image, $cont using 2:1 with lines lc rgb '#ffffff' lw 0.5"
    if (gr_has_ds(k, "samples.real")) { cmd = cmd . ", gr_ds(k, 'samples.real') using 1:2 with points pt 7 ps 0.07 * gr_fscale lc rgb '#D55E00'" }
    eval cmd
    set datafile columnheaders
  } else {
    set title (n_groups > 0 ? ptitle(g) : "") font "".gr_fs(6.5) noenhanced
    set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
    set xrange [0:1]
    set yrange [0:1]
    set format x ""
    set format y ""
    unset xlabel
    unset ylabel
    plot 1/0 notitle
    unset label 1
  }
  unset label 900
  unset label 20
}
unset multiplot
