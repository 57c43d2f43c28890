# plots/objective_curves.gp — the GAN objective with the exact D* along theta, shared by
# optimal_d.gp, objective_identities.gp and noisy_dirac.gp (CLAIMS C01-C03, C11, C15, C16):
# (a) the optimal discriminator D*(x) = p_r / (p_r + p_theta) at up to five theta of the
# grid (C01); (b) JS(P_r, P_theta) and (V(D*) + log 4) / 2, which C02 says is the same
# curve; (c) the two generator gradients |dV/dtheta| against theta on a log scale: minimax
# (solid) saturates where D* is confident while -log D (dashed) does not (C03, C11); with
# instance noise the minimax one is 2 dJS/dtheta (C16, the points). Per setting one
# colour; the first ok run of each setting is drawn (these runs are deterministic). The
# caller may set ob_title. Data: run_K.dat series theta, js, criterion, mm_grad, ns_grad,
# js_grad_fd; run_K.probes.dstar (points x dstar_points) and .dstar_x (docs/RESULTS.md,
# objective). Edit freely.
gr_height_cm = 12
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (!exists("ob_title")) ob_title = "The objective with the exact D*"
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", group_short[g]) }
}
if (!exists("has_mm_grad")) gr_notes = gr_notes . "no objective series in this file: nothing to draw\n"
leg(g) = n_groups > 1 ? group_label[g] : ""
kd = 0
do for [g = n_groups:1:-1] { if (gr_first_ok(g) > 0 && gr_has_ds(gr_first_ok(g), "probes.dstar")) { kd = gr_first_ok(g) } }
if (kd == 0) gr_notes = gr_notes . "no probes/dstar (curve.dstar_points = 0?): D* panel empty\n"
# |gradient| values of 0 cannot sit on the log axis
nz = 0
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  if (k > 0 && exists("has_mm_grad")) {
    stats gr_run(k) using (abs(column('mm_grad')) > 0 ? 0 : 1) nooutput
    nz = nz + STATS_sum
  }
}
if (nz > 0) gr_notes = gr_notes . sprintf("%d zero minimax gradients (theta = 0) not drawn (log axis)\n", int(nz))
notes_room = gr_nl(gr_notes) * gr_note_h
# markers on about 15 grid points whatever the grid
ev = 1
kf = n_groups > 0 ? gr_first_ok(1) : 0
if (kf > 0 && exists("has_theta")) { stats gr_run(kf) using 'theta' nooutput; ev = STATS_records > 20 ? int(STATS_records / 15) : 1 }
set label 20 sprintf("%s\n{/*0.8 (%s, %s)}", ob_title, profile, commit) at screen 0.5, screen 0.975 center font "".gr_fs(6.5)
set multiplot layout 3, 1 margins 0.17, 0.97, 0.095 + 1.1 * notes_room, 0.92 spacing 0, 0.085
eval gr_show_notes
set tics font "".gr_fs(6.5)
set key top right nobox opaque font "".gr_fs(5.5) samplen 1.5 spacing 0.8
lab(s) = sprintf("set label 11 \"%s\" at screen 0.025, graph 0.5 center rotate by 90 font '%s'", s, gr_fs(6.5))
# (a) D*(x) at up to five theta
eval lab("D*(x)")
set xlabel "x" offset 0, 0.5 font "".gr_fs(6.5)
set ytics 0.5
if (kd == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
  unset label 1
} else {
  set datafile nocolumnheaders
  set autoscale xy
  stats gr_ds(kd, "probes.dstar") using 1 nooutput
  nth = STATS_records
  step = nth > 5 ? int((nth - 1) / 4) : 1
  # probes.dstar as a matrix: row i = the grid's i-th theta, column j = x grid point j
  stats gr_ds(kd, "probes.dstar_x") using 1 nooutput
  x0 = STATS_min
  nxg = STATS_records
  dxg = (STATS_max - STATS_min) / (nxg - 1)
  set datafile nocolumnheaders
  cmd = "plot 1/0 notitle"
  j = 0
  do for [i = 0:nth - 1:step] {
    j = j + 1
    cmd = cmd . sprintf(", '%s' matrix every :::%d::%d using (x0 + $1 * dxg):3 with lines lt %d title sprintf('θ = %%.3g', th[%d])", gr_ds(kd, "probes.dstar"), i, i, j, i + 1)
  }
  set datafile columnheaders
  # the theta of each row, from the run's series
  array th[nth]
  do for [i = 1:nth] {
    stats gr_run(kd) every ::(i - 1)::(i - 1) using 'theta' nooutput
    th[i] = STATS_min
  }
  set datafile nocolumnheaders
  set xrange [x0:x0 + (nxg - 1) * dxg]
  set yrange [-0.02:1.02]
  eval cmd
  set datafile columnheaders
}
unset label 20
unset label 900
set autoscale x
set yrange [*:*]
set ytics autofreq
# (b) JS and (V(D*) + log 4) / 2
set key bottom right
eval lab("JS(P_r, P_θ)  [nats]")
set xlabel "θ" offset 0, 0.5 font "".gr_fs(6.5)
if (!exists("has_js") || n_ok == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
  unset label 1
} else {
  cmd = "plot 1/0 notitle"
  do for [g = 1:n_groups] {
    k = gr_first_ok(g)
    if (k > 0) { cmd = cmd . sprintf(", '%s' using 'theta':'js' with lines lt %d title '%sJS', '' every ev using 'theta':((column('criterion') + log(4)) / 2) with points lt %d title '%s(V(D*) + log 4)/2'", gr_run(k), g, leg(g) eq "" ? "" : leg(g) . ": ", g, leg(g) eq "" ? "" : leg(g) . ": ") }
  }
  eval cmd
}
# (c) |minimax| and |-log D| generator gradients, log scale
eval lab("|dV/dθ|  (log scale)")
set logscale y
set format y "10^{%T}"
unset mytics
set key bottom left
if (!exists("has_mm_grad") || n_ok == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [1:10] 1/0 notitle
  unset label 1
} else {
  pos(x) = abs(x) > 0 ? abs(x) : 1/0
  cmd = "plot 1/0 notitle"
  do for [g = 1:n_groups] {
    k = gr_first_ok(g)
    if (k > 0) {
      cmd = cmd . sprintf(", '%s' using 'theta':(pos(column('mm_grad'))) with linespoints pi ev lt %d dt solid title '%sminimax', '' using 'theta':(pos(column('ns_grad'))) with linespoints pi ev lt %d dt (6, 3) pt 6 title '%s−log D'", gr_run(k), g, leg(g) eq "" ? "" : leg(g) . ": ", g, leg(g) eq "" ? "" : leg(g) . ": ")
      if (exists("ob_fd")) { cmd = cmd . sprintf(", '' using 'theta':(pos(2 * column('js_grad_fd'))) with points lt %d pt 2 title '%s2 dJS/dθ (finite diff.)'", g, leg(g) eq "" ? "" : leg(g) . ": ") }
    }
  }
  eval cmd
}
unset multiplot
