# plots/fixed_critic_1d.gp — WGAN Figure 2 for experiments/fixed_critic_1d.cfg (CLAIMS C23):
# two 1-D Gaussians, P_r and the fixed generator P_g (densities, shaded), the GAN
# discriminator D(x) = sigmoid(logit) trained against P_g (it saturates: flat where the
# data are), the exactly optimal D* = sigmoid(optimal logit) for reference, and the clipped
# WGAN critic f(x) on the right axis (close to linear). Data: run_K.probes.surface (D's
# logit or the critic's value on the grid), .surface_axes, .optimal_logit, .real_density,
# .fake_density (docs/RESULTS.md, fixed_critic). The first ok run of each method is drawn.
# Edit freely.
gr_height_cm = 7.5
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
kg = 0
kw = 0
do for [g = 1:n_groups] {
  m = gr_gval(g, "method")
  if (m eq "" && n_groups == 1) { m = "?" }
  k = gr_first_ok(g)
  if (k == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", group_short[g]) }
  if (k > 0 && strstrt(m, "wgan") == 1 && kw == 0) { kw = k }
  if (k > 0 && strstrt(m, "gan_") == 1 && kg == 0) { kg = k }
}
if (kg == 0) gr_notes = gr_notes . "no GAN discriminator run: D not drawn\n"
if (kw == 0) gr_notes = gr_notes . "no WGAN critic run: critic not drawn\n"
kd = kg > 0 ? kg : kw
if (kd > 0 && !gr_has_ds(kd, "probes.real_density")) gr_notes = gr_notes . "no densities in this file (older protocol): not drawn\n"
notes_room = gr_nl(gr_notes) * gr_note_h
eval gr_show_notes
set tmargin at screen 0.76
set bmargin at screen 0.15 + 1.1 * notes_room
set lmargin at screen 0.2
set rmargin at screen 0.79
set label 20 sprintf("GAN D vs WGAN critic (%s, %s)", profile, commit) at screen 0.5, screen 0.975 center font "".gr_fs(6) noenhanced
set xlabel "x" offset 0, 0.8
set label 21 "densities (max 1), D(x)" at screen 0.025, graph 0.5 center rotate by 90 font "".gr_fs(7)
set ytics 0.25 nomirror font "".gr_fs(6.5)
set xtics font "".gr_fs(6.5)
set y2tics 0.5 nomirror font "".gr_fs(6.5)
set my2tics 2
set key at screen 0.5, screen 0.945 center top maxrows 3 nobox noopaque font "".gr_fs(6) samplen 1.5 spacing 0.9 width -2
set datafile nocolumnheaders
if (kd == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] 1/0 notitle
} else {
  stats gr_ds(kd, "probes.surface_axes") every ::0::0 using 1 nooutput
  ng = STATS_columns
  x0 = STATS_min
  stats gr_ds(kd, "probes.surface_axes") every ::0::0 using (column(ng)) nooutput
  dx = (STATS_min - x0) / (ng - 1)
  set xrange [x0:x0 + (ng - 1) * dx]
  X(i) = x0 + i * dx
  sig(l) = 1 / (1 + exp(-l))
  cmd = "plot 1/0 notitle"
  if (gr_has_ds(kd, "probes.real_density")) {
    stats gr_ds(kd, "probes.real_density") using 1 nooutput
    pr = STATS_max
    stats gr_ds(kd, "probes.fake_density") using 1 nooutput
    pg = STATS_max
    pm = pr > pg ? pr : pg
    cmd = cmd . ", gr_ds(kd, 'probes.real_density') using (X($0)):($1 / pm) with filledcurves y1=0 lc rgb '#56B4E9' fs transparent solid 0.35 title 'P_r', gr_ds(kd, 'probes.fake_density') using (X($0)):($1 / pm) with filledcurves y1=0 lc rgb '#E69F00' fs transparent solid 0.35 title 'P_g'"
  }
  if (kg > 0) {
    cmd = cmd . ", gr_ds(kg, 'probes.surface') using (X($0)):(sig($1)) with lines lt 2 lw 1.6 title 'GAN D(x), trained'"
    if (gr_has_ds(kg, "probes.optimal_logit")) { cmd = cmd . ", gr_ds(kg, 'probes.optimal_logit') using (X($0)):(sig($1)) with lines lt 1 lw 0.7 dt (2, 2) title 'optimal D*(x)'" }
  }
  if (kw > 0) {
    stats gr_ds(kw, 'probes.surface') using (abs($1)) nooutput
    fm = STATS_max > 0 ? STATS_max : 1
    set label 22 sprintf("WGAN critic f(x) / %.2g", fm) at screen 0.975, graph 0.5 center rotate by 90 font "".gr_fs(7)
    set y2range [-1.08:1.08]
    cmd = cmd . ", gr_ds(kw, 'probes.surface') using (X($0)):($1 / fm) axes x1y2 with lines lt 3 lw 1.6 dt solid title 'WGAN critic (right)'"
  }
  set yrange [0:1.08]
  eval cmd
}
