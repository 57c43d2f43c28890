# plots/parallel_lines.gp — WGAN Figure 1 style for experiments/parallel_lines.cfg (CLAIMS
# C19, C20): W1, JS and KL between P_0 and P_theta against theta. Exact values (closed
# forms) as lines, the estimates from samples (certified LP W1, kNN JS and KL) as points,
# one point type per setting (curve.samples), mean over seeds with a shaded +-1 std band
# when there are several (on KL's log axis the band's lower edge is clipped at 1e-3). `ganrepro plot results/parallel_lines.h5` runs it with datadir,
# outfile, fmt and plotsdir set; data layout: src/harness/plot.h. Edit freely.
gr_height_cm = 14
load plotsdir.'/style.gp'
load datadir.'/meta.gp'

grp(g) = sprintf('%s/group_%d.dat', datadir, g)
run(i) = sprintf('%s/run_%d.dat', datadir, i)
# a setting's legend text: its value alone when one parameter is swept
short(s) = (strstrt(s, ",") == 0 && strstrt(s, " = ") > 0) ? s[strstrt(s, " = ") + 3:] : s
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("no data for %s: no run ended ok\n", group_label[g]) }
}
has_knn = exists("has_js_knn") && exists("has_kl_knn")
if (!has_knn) gr_notes = gr_notes . "kNN JS/KL not in this file (eval.divergence = none?): not drawn\n"
if (n_ok == 0) {
  gr_notes = gr_notes . "no run of this experiment ended ok: nothing to draw\n"
}
# "+-1 std band" plot clauses of quantity q for the settings with at least 2 ok seeds (a
# plot command is assembled as text: gnuplot runs an empty `for` clause once)
bandclause(g, q) = sprintf(", '%s' using 'theta_mean':'%s_lo':'%s_hi' with filledcurves lc rgb '%s' notitle", grp(g), q, q, gr_color(g + 1))

first_ok = 0
do for [g = n_groups:1:-1] { if (group_n_ok[g] > 0) { first_ok = g } }
# markers on about 21 grid points whatever the grid (201 in quick and full), lines on all
ev = 1
if (first_ok > 0) {
  stats grp(first_ok) using 1 nooutput
  if (STATS_records > 30) { ev = int(STATS_records / 20) }
}
# kNN KL estimates <= 0 (the estimator's bias near theta = 0) cannot sit on the log axis:
# say how many were left out
if (has_knn) {
  do for [g = 1:n_groups] {
    if (group_n_ok[g] > 0) {
      stats grp(g) using (column('kl_knn_mean') <= 0 ? 1 : 0) nooutput
      if (STATS_sum > 0) { gr_notes = gr_notes . sprintf("%s: %d kNN KL <= 0 not drawn (log axis)\n", short(group_label[g]), int(STATS_sum)) }
    }
  }
}
notes_room = gr_nl(gr_notes) * gr_note_h
set multiplot layout 3, 1 title sprintf("Parallel lines (profile %s, %s)", profile, commit) font "".gr_fs(7) margins 0.215, 0.97, 0.085 + 1.15 * notes_room, 0.95 spacing 0, 0.025
set key bottom right nobox noopaque font "".gr_fs(6.5) samplen 1.5 spacing 0.9 reverse Left
set xrange [-1.02:1.02]
set xtics 0.5 format ""
unset xlabel
eval gr_show_notes

# (a) W1: exact |theta| (line), LP on samples (points per setting, band over seeds)
# axis titles as labels at a fixed screen x (with the multiplot's fixed margins gnuplot
# would place ylabel off the canvas)
ytitle(s) = sprintf("set label 11 \"%s\" at screen 0.028, graph 0.5 center rotate by 90 enhanced font '%s'", s, gr_fs(7.5))
eval ytitle("W_1(P_0, P_{θ})")
set yrange [0:1.1]
set ytics 0.5
set key top center
if (first_ok == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot 1/0 notitle
  unset label 1
} else {
  cmd = "plot grp(first_ok) using 'theta_mean':'w1_exact_mean' with lines lt 1 lw 0.8 title 'exact |θ|'"
  do for [g = 1:n_groups] { if (group_n_ok[g] > 1) { cmd = cmd . bandclause(g, "w1_lp") } }
  do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { cmd = cmd . sprintf(", grp(%d) every ev using 'theta_mean':'w1_lp_mean' with points lt %d title 'LP, '.short(group_label[%d])", g, g + 1, g) } }
  eval cmd
}
unset label 900

# (b) JS: log 2 for theta != 0, 0 at theta = 0 (the jump), kNN estimates as points
eval ytitle("JS(P_0, P_{θ})  [nats]")
set yrange [-0.05:0.85]
set ytics 0.25
set key at graph 0.99, graph 0.04 right bottom
set arrow 1 from -1.02, log(2) to 1.02, log(2) nohead dt (1, 4) lc rgb "#999999" lw 0.6 back
set label 2 "log 2" at 1.0, log(2) + 0.06 right font "".gr_fs(7) tc rgb "#666666"
if (first_ok == 0) {
  plot 1/0 notitle
} else {
  cmd = "plot grp(first_ok) using 'theta_mean':(abs(column('theta_mean')) > 0 ? column('js_exact_mean') : 1/0) with lines lt 1 lw 0.8 title 'exact', grp(first_ok) using 'theta_mean':(abs(column('theta_mean')) > 0 ? 1/0 : column('js_exact_mean')) with points pt 7 ps 0.6 * gr_fscale lc rgb '#000000' notitle"
  if (has_knn) {
    do for [g = 1:n_groups] { if (group_n_ok[g] > 1) { cmd = cmd . bandclause(g, "js_knn") } }
    do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { cmd = cmd . sprintf(", grp(%d) every ev using 'theta_mean':'js_knn_mean' with points lt %d title 'kNN, '.short(group_label[%d])", g, g + 1, g) } }
  }
  eval cmd
}
unset arrow 1
unset label 2

# (c) KL: +inf for theta != 0 (drawn as the arrows at the top), 0 at theta = 0; kNN estimates
eval ytitle("KL(P_0 ‖ P_{θ})  [nats]")
set logscale y
set yrange [1e-3:1e3]
set ytics format "10^{%T}" 10
unset mytics
set xtics 0.5 format "%g"
set label 12 "θ" at graph 0.5, screen 0.012 + 1.15 * notes_room center font "".gr_fs(8)
set key at graph 0.99, graph 0.33 right top
set label 3 "exact: +∞ for θ ≠ 0 (arrows)" at -0.98, 40 left font "".gr_fs(6.5)
if (first_ok == 0) {
  plot 1/0 notitle
} else {
  cmd = "plot grp(first_ok) every ev using 'theta_mean':(column('kl_exact_inf_mean') > 0 ? 100 : 1/0):(0):(700) with vectors head size screen 0.006, 20 filled lc rgb '#000000' lw 0.8 notitle, grp(first_ok) using 'theta_mean':(column('kl_exact_inf_mean') > 0 ? 1/0 : 1.1e-3) with points pt 7 ps 0.6 * gr_fscale lc rgb '#000000' title 'exact, θ = 0'"
  if (has_knn) {
    # the spread over seeds as a band, its lower edge clipped at the axis (log scale)
    do for [g = 1:n_groups] { if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'theta_mean':(column('kl_knn_lo') > 1e-3 ? column('kl_knn_lo') : 1e-3):'kl_knn_hi' with filledcurves lc rgb '%s' notitle", grp(g), gr_color(g + 1)) } }
    do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { cmd = cmd . sprintf(", grp(%d) every ev using 'theta_mean':'kl_knn_mean' with points lt %d title 'kNN, '.short(group_label[%d])", g, g + 1, g) } }
  }
  eval cmd
}
unset multiplot
