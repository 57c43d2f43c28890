# plots/fixed_critic_gradient.gp — experiments/fixed_critic_gradient.cfg (CLAIMS C22, WGAN
# Theorem 3): a WGAN-GP critic trained against the fixed P_theta = N(theta, 1), P_r = N(0, 1),
# for each theta. (a) The trained critic f(x) on the grid, shifted so f(0) = 0, one curve per
# theta (the first ok run of each); an optimal critic has slope -sign(theta) (grey: f = +-x).
# (b) The gradient estimate -E_z f'(g_theta(z)) over fresh fake samples (critic_dtheta_fake,
# every ok run) against theta, with dW/dtheta = sign(theta) (black) and the soft penalty's
# optimum sign(theta) (1 + |theta| / 2 lambda), lambda = 10 (dashed grey). Data:
# run_K.probes.surface, .surface_axes; summary.dat's critic_dtheta_fake (docs/RESULTS.md,
# fixed_critic). Edit freely.
load datadir.'/meta.gp'
gr_height_cm = 11
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
th(g) = gr_gval(g, "data.theta") ne "" ? gr_gval(g, "data.theta") : group_short[g]
nd = 0
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  if (k == 0) { gr_notes = gr_notes . sprintf("theta = %s: no run ended ok: not drawn\n", th(g)) }
  if (k > 0) { if (!gr_has_ds(k, "probes.surface") || !gr_has_ds(k, "probes.surface_axes")) { gr_notes = gr_notes . sprintf("theta = %s: no critic surface in the file\n", th(g)) } else { nd = nd + 1 } }
}
notes_room = gr_nl(gr_notes) * gr_note_h
set label 20 sprintf("The critic's gradient gives dW/dθ (WGAN Thm. 3)\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 1 - 0.4 / gr_height_cm center font "".gr_fs(6.5)
set multiplot layout 2, 1 margins 0.15, 0.97, 1.0 / gr_height_cm + 1.1 * notes_room, 1 - 1.1 / gr_height_cm spacing 0, 1.1 / gr_height_cm
eval gr_show_notes
set tics font "".gr_fs(5.5)
# (a) the critics
set xlabel "x" offset 0, 1.0 font "".gr_fs(6)
set ylabel "f(x) − f(0)" offset 1.5, 0 font "".gr_fs(6)
set key top center horizontal maxcols 3 nobox noopaque font "".gr_fs(5) samplen 1.2 spacing 0.8 title "θ =" noenhanced font "".gr_fs(5)
set label 2 "(a) trained critics" at graph 0.02, graph 0.06 left front font "".gr_fs(5.5)
if (nd == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [-4:4] [-4:4] 1/0 notitle
  unset label 1
} else {
  set datafile nocolumnheaders
  set autoscale xy
  cmd = "plot x with lines lc rgb '#999999' lw 0.5 dt (2, 2) notitle, -x with lines lc rgb '#999999' lw 0.5 dt (2, 2) notitle"
  do for [g = 1:n_groups] {
    k = gr_first_ok(g)
    if (k > 0 && gr_has_ds(k, "probes.surface") && gr_has_ds(k, "probes.surface_axes")) {
      stats gr_ds(k, "probes.surface_axes") every ::0::0 using 1 nooutput
      ng = STATS_columns
      x0 = STATS_min
      stats gr_ds(k, "probes.surface_axes") every ::0::0 using (column(ng)) nooutput
      x1 = STATS_min
      # f at the grid point nearest 0
      i0 = int(floor(-x0 / ((x1 - x0) / (ng - 1)) + 0.5))
      i0 = i0 < 0 ? 0 : (i0 > ng - 1 ? ng - 1 : i0)
      stats gr_ds(k, "probes.surface") every ::i0::i0 using 1 nooutput
      eval sprintf("f0_%d = %.17g; x0_%d = %.17g; dx_%d = %.17g", g, STATS_min, g, x0, g, (x1 - x0) / (ng - 1))
      cmd = cmd . sprintf(", '%s' using (x0_%d + $0 * dx_%d):($1 - f0_%d) with lines lt %d lw 1.0 title '%s'", gr_ds(k, "probes.surface"), g, g, g, g, th(g))
    }
  }
  set xrange [x0:x1]
  set yrange [*:*]
  eval cmd
  set datafile columnheaders
}
unset label 2
unset label 20
unset label 900
# (b) the gradient estimate against theta
set xlabel "θ" offset 0, 1.0 font "".gr_fs(6)
set ylabel "−E_z f'(g_θ(z))" offset 1.5, 0 font "".gr_fs(6) enhanced
set key at graph 0.98, graph 0.8 right top vertical nobox noopaque font "".gr_fs(5) samplen 1.5 spacing 0.8 title "" enhanced
set label 2 "(b) gradient estimate" at graph 0.02, graph 0.06 left front font "".gr_fs(5.5)
set xrange [-2.3:2.3]
set yrange [-1.35:1.35]
set samples 401
sg(t) = t > 0 ? 1 : (t < 0 ? -1 : 1/0)
cmd = "plot sg(x) with lines lc rgb '#000000' lw 0.8 title 'sign θ', sg(x) * (1 + abs(x) / 20) with lines lc rgb '#777777' lw 0.6 dt (3, 2) title 'GP optimum (λ = 10)'"
cmd = cmd . sprintf(", '%s/summary.dat' using (column('param.data.theta')):(column('ok') == 1 ? column('critic_dtheta_fake') : 1/0) with points lt 2 title 'trained critic (runs)'", datadir)
eval cmd
unset multiplot
