# plots/smoothed_lines.gp — experiments/smoothed_lines.cfg, the figure for CLAIMS C14-C17:
# the parallel lines P_0, P_theta smoothed by N(0, sigma^2 I). (a) JS(P_0, P_theta) as a
# surface over (theta, sigma) (heat map on a log sigma axis, one band per swept sigma): continuous in
# theta for every sigma > 0, the sharper the smaller sigma (sigma -> 0 gives the clean
# lines' jump to log 2); (b) its theta-derivative dJS/dtheta, one curve per sigma: smooth,
# non-zero, peaking near |theta| ~ sigma with a height ~ 1/sigma. Data: group_G.dat
# series theta, js_exact, js_exact_dtheta (distance_curve, data.sigma > 0). Edit freely.
gr_height_cm = 11
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
sg(g) = gr_gval(g, "data.sigma") ne "" ? real(gr_gval(g, "data.sigma")) : 0
nok = 0
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("sigma = %s: no run ended ok: not drawn\n", gr_gval(g, "data.sigma")) }
  if (group_n_ok[g] > 0 && sg(g) > 0) { nok = nok + 1 }
}
if (!exists("has_js_exact_dtheta")) gr_notes = gr_notes . "no js_exact_dtheta series (older protocol): derivative panel empty\n"
if (nok < 2) gr_notes = gr_notes . "fewer than two smoothed settings: no surface\n"
notes_room = gr_nl(gr_notes) * gr_note_h
eval gr_show_notes
set label 20 sprintf("Smoothed parallel lines: JS over (θ, σ)\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 0.97 center font "".gr_fs(6.5)
set tics font "".gr_fs(6)
set multiplot
# (a) the surface: every ok setting's curve is one scan line of a pm3d map
set lmargin at screen 0.16
set rmargin at screen 0.8
set tmargin at screen 0.9
set bmargin at screen 0.57
set xlabel "θ" offset 0, 1.0 font "".gr_fs(6.5)
set label 11 "noise σ (log scale)" at screen 0.02, screen 0.735 center rotate by 90 font "".gr_fs(6.5)
unset key
unset grid
eval gr_viridis
set colorbox user origin screen 0.83, screen 0.57 size screen 0.03, screen 0.33
set cblabel "JS [nats]" offset -0.5, 0 font "".gr_fs(6)
set cbrange [0:log(2)]
set cbtics 0.2 font "".gr_fs(5.5)
if (nok >= 2) {
  # the scans, ordered by sigma, separated by blank lines, in one datablock
  set print $surf
  do for [g = 1:n_groups] {
    if (group_n_ok[g] > 0 && sg(g) > 0) {
      stats gr_grp(g) using 'theta_mean' nooutput
      nr = STATS_records
      do for [r = 0:nr - 1] {
        stats gr_grp(g) every ::r::r using 'js_exact_mean' nooutput
        js = STATS_min
        stats gr_grp(g) every ::r::r using 'theta_mean' nooutput
        print sprintf("%.17g %.17g %.17g", STATS_min, sg(g), js)
      }
      print ""
    }
  }
  unset print
  smn = 1e300
  smx = 0
  do for [g = 1:n_groups] { if (group_n_ok[g] > 0 && sg(g) > 0) { smn = sg(g) < smn ? sg(g) : smn; smx = sg(g) > smx ? sg(g) : smx } }
  set yrange [smn:smx]
  set xrange [*:*]
  set view map
  set logscale y
  set format y "%g"
  set ytics ()
  do for [g = 1:n_groups] { if (group_n_ok[g] > 0 && sg(g) > 0) { eval sprintf("set ytics add ('%s' %.17g)", gr_gval(g, "data.sigma"), sg(g)) } }
  set pm3d map corners2color mean
  set style fill solid 1.0 noborder
  set datafile nocolumnheaders
  set border 15
  splot $surf using 1:2:3 with pm3d
  set datafile columnheaders
  unset pm3d
  unset logscale y
  set ytics autofreq
  unset view
  set border 3
} else {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
  unset label 1
}
unset label 20
unset label 900
unset label 11
unset colorbox
# (b) the theta-derivative, one curve per sigma
set lmargin at screen 0.16
set rmargin at screen 0.8
set tmargin at screen 0.45
set bmargin at screen 0.1 + 1.1 * notes_room
set grid
set format y "%g"
set label 11 "dJS/dθ [nats]" at screen 0.03, graph 0.5 center rotate by 90 font "".gr_fs(6.5)
set key at screen 0.99, graph 1 right top nobox noopaque font "".gr_fs(5.5) samplen 1 spacing 0.8
set autoscale xy
cmd = "plot 1/0 notitle"
j = 0
do for [g = 1:n_groups] {
  if (group_n_ok[g] > 0 && sg(g) > 0 && exists("has_js_exact_dtheta")) {
    j = j + 1
    cmd = cmd . sprintf(", '%s' using 'theta_mean':'js_exact_dtheta_mean' with lines lt %d title 'σ = %s'", gr_grp(g), j, gr_gval(g, "data.sigma"))
  }
}
if (j == 0) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
} else {
  eval cmd
}
unset multiplot
