# plots/bilinear_game.gp — experiments/bilinear_game.cfg (CLAIMS C47): gradient play on
# min_x max_y xy from (2, 3). (a) alternating updates: closed orbits (H = x^2 + y^2 - eta xy
# is conserved) for every eta; (b) simultaneous updates: outward spirals (the radius^2
# grows by 1 + eta^2 per step), drawn in the same box (the larger eta leave it at once);
# (c) x^2 + y^2 against the step on a log scale: bounded when alternating (dashed), growing
# geometrically when simultaneous (solid). The runs of the shortest schedule are drawn.
# Data: run_K.dat / group_G.dat series x, y, r2 (docs/RESULTS.md, game). Edit freely.
gr_height_cm = 12
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
if (!exists("has_x")) gr_notes = gr_notes . "no game series in this file: nothing to draw\n"
# the shortest schedule's settings, one colour per eta (in the order of the sweep)
smin = 1e300
do for [g = 1:n_groups] { s = gr_gval(g, "schedule.steps") ne "" ? real(gr_gval(g, "schedule.steps")) : 0; if (s < smin) { smin = s } }
use(g) = group_n_ok[g] > 0 && (gr_gval(g, "schedule.steps") eq "" || real(gr_gval(g, "schedule.steps")) == smin)
upd(g) = gr_gval(g, "game.update")
ecol(g) = sum [j = 1:g] ((use(j) && upd(j) eq upd(g)) ? 1 : 0)
leg(g) = sprintf("η = %.3g", real(gr_gval(g, "game.eta")))
do for [g = 1:n_groups] { if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", group_short[g]) } }
notes_room = gr_nl(gr_notes) * gr_note_h
eval gr_show_notes
set label 20 sprintf("Bilinear game xy: alternating vs simultaneous play\n{/*0.8 (%s, %s, %d steps)}", profile, commit, smin < 1e300 ? int(smin) : 0) at screen 0.5, screen 0.97 center font "".gr_fs(6.5)
set tics font "".gr_fs(6)
set multiplot
# (a) and (b): trajectories in the (x, y) plane, side by side
set size ratio -1
do for [p = 1:2] {
  set lmargin at screen (p == 1 ? 0.12 : 0.57)
  set rmargin at screen (p == 1 ? 0.47 : 0.92)
  set tmargin at screen 0.86
  set bmargin at screen 0.5
  set title (p == 1 ? "(a) alternating" : "(b) simultaneous") font "".gr_fs(6.5) offset 0, -0.6
  set xrange [-6:6]
  set yrange [-6:6]
  set xtics 3
  set ytics 3
  set xlabel "x" offset 0, 0.9 font "".gr_fs(6.5)
  if (p == 1) { set ylabel "y" offset 2, 0 font "".gr_fs(6.5) } else { unset ylabel }
  if (p == 1) { set key at screen 0.5, screen 0.44 center top vertical maxrows 2 nobox noopaque font "".gr_fs(5.5) samplen 1.2 width -1 } else { unset key }
  cmd = "plot '+' using (2):(3) with points pt 7 ps 0.6 * gr_fscale lc rgb '#000000' notitle"
  do for [g = 1:n_groups] {
    if (use(g) && upd(g) eq (p == 1 ? "alternating" : "simultaneous")) { cmd = cmd . sprintf(", '%s' using 'x_mean':'y_mean' with lines lt %d lw 0.8 title '%s'", gr_grp(g), ecol(g), leg(g)) }
  }
  if (exists("has_x")) { eval cmd } else { plot 1/0 notitle }
  unset label 20
  unset label 900
}
# (c) radius^2 against the step, log scale
set size noratio
set lmargin at screen 0.16
set rmargin at screen 0.95
set tmargin at screen 0.33
set bmargin at screen 0.08 + 1.1 * notes_room
unset title
unset key
unset ylabel
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
set logscale y
set format y "10^{%T}"
unset mytics
set xlabel "step" offset 0, 0.9 font "".gr_fs(6.5)
set label 11 "x² + y²" at screen 0.03, graph 0.5 center rotate by 90 font "".gr_fs(6.5)
set label 12 "solid: simultaneous, dashed: alternating" at graph 0.02, graph 0.92 left font "".gr_fs(5.5)
cmd = "plot 1/0 notitle"
do for [g = 1:n_groups] {
  if (use(g)) { cmd = cmd . sprintf(", '%s' using 'step':'r2_mean' with lines lt %d %s notitle", gr_grp(g), ecol(g), upd(g) eq "alternating" ? "dt (4, 3)" : "dt solid") }
}
if (exists("has_r2")) { eval cmd } else { plot [0:1] [1:10] 1/0 notitle }
unset multiplot
