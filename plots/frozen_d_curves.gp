# plots/frozen_d_curves.gp — A&B Figures 1-3 style, shared by frozen_d_toy.gp,
# frozen_d_lines.gp, frozen_d_mnist.gp and frozen_d_js.gp: a fresh D trained against a frozen
# G (frozen_d_embedded.gp draws its own panels); against
# D's training steps, (a) D's error 1 - accuracy on fresh samples, (b) the minimax
# generator's gradient norm ||grad E log(1 - D(G(z)))||, (c) the -log D one, all on log
# scales: the mean over the ok seeds of each setting as a line, +-1 std shaded, each seed
# faintly when there are 2 to 5. The caller may set, before loading this file:
#   fd_title          the figure's title
#   fd_leg(g)         setting g's legend text (default group_short[g])
#   fd_split, fd_col(g), fd_coltitle(c)  two columns when the axis named fd_split is
#                     swept: setting g goes to column fd_col(g) (1 or 2)
# Data: run_K.dat / group_G.dat series accuracy, g_grad_norm_mm, g_grad_norm_ns against
# d_steps (docs/RESULTS.md, frozen_d). Edit freely.
load datadir.'/meta.gp'
if (!exists("fd_title")) fd_title = title
if (!exists("fd_leg_set")) { fd_leg(g) = group_short[g] }
gr_height_cm = 11
load plotsdir.'/style.gp'
fd_ncol = 1
if (exists("fd_split")) { fd_ncol = gr_axis(fd_split) > 0 ? 2 : 1 }
if (fd_ncol == 1) { fd_col(g) = 1; fd_coltitle(c) = "" }
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", fd_leg(g)) }
}
if (!exists("has_accuracy") || !exists("has_g_grad_norm_mm")) gr_notes = gr_notes . "no frozen_d series in this file: nothing to draw\n"
# values <= 0 cannot sit on a log axis: count them (D's error is often exactly 0)
n_zero_err = 0
if (exists("has_accuracy")) {
  do for [g = 1:n_groups] {
    if (group_n_ok[g] > 0) {
      stats gr_grp(g) using ((1 - column('accuracy_mean')) <= 0 ? 1 : 0) nooutput
      n_zero_err = n_zero_err + STATS_sum
    }
  }
}
if (n_zero_err > 0) gr_notes = gr_notes . sprintf("%d points with D error 0 not drawn (log axis)\n", int(n_zero_err))
notes_room = gr_nl(gr_notes) * gr_note_h
any_ok = 0
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { any_ok = 1 } }
can = any_ok && exists("has_accuracy") && exists("has_g_grad_norm_mm") && exists("has_g_grad_norm_ns")
pos(x) = (x > 0) ? x : 1/0
set label 20 sprintf("%s\n{/*0.8 (%s, %s)}", fd_title, profile, commit) at screen 0.5, screen 0.955 center font "".gr_fs(6.5)
set multiplot layout 3, fd_ncol margins 0.17, 0.97, 0.1 + 1.25 * notes_room, (fd_ncol > 1 ? 0.87 : 0.9) spacing (fd_ncol > 1 ? 0.11 : 0.05), 0.025
set tics font "".gr_fs(fd_ncol > 1 ? 5.5 : 6)
# about three x tics whatever the number of D steps
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
smax = 1
if (exists("has_d_steps")) {
  do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { stats gr_grp(g) using 'd_steps_mean' nooutput; smax = STATS_max > smax ? STATS_max : smax } }
}
set xtics nice(smax)
# colour and line type by the setting's rank within its column (the columns then match)
rank(g) = sum [j = 1:g] (fd_col(j) == fd_col(g) ? 1 : 0)
eval gr_show_notes
set logscale y
set format y "10^{%T}"
unset mytics
set key bottom right nobox opaque font "".gr_fs(5) samplen 1.2 spacing 0.75 title ""
qs = "err g_grad_norm_mm g_grad_norm_ns"
yt = "D error (1 − acc.)|‖∇_θ E log(1−D)‖|‖∇_θ E −log D‖"
do for [row = 1:3] {
  do for [c = 1:fd_ncol] {
    q = word(qs, row)
    if (c == 1) { eval sprintf("set label 11 \"%s\" at screen 0.02, graph 0.5 center rotate by 90 enhanced font '%s'", (row == 1 ? "D error (1 − accuracy)" : (row == 2 ? "minimax ‖∇_θ‖" : "−log D ‖∇_θ‖")), gr_fs(6.5)) } else { unset label 11 }
    if (row == 1 && fd_ncol > 1) { set title fd_coltitle(c) font "".gr_fs(6) offset 0, -0.6 } else { unset title }
    if (row == 3) { set format x "%g"; set xlabel "D training steps" offset 0, 1.0 font "".gr_fs(6.5) } else { set format x ""; unset xlabel }
    if (row == 3 && c == fd_ncol) { set key } else { unset key }
    if (!can) {
      set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
      plot [0:1] [1:10] 1/0 notitle
      unset label 1
    } else {
      cmd = "plot 1/0 notitle"
      do for [g = 1:n_groups] {
        if (fd_col(g) == c && group_n_ok[g] > 0) {
          if (row == 1) {
            if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(pos(1 - column('accuracy_hi'))):(pos(1 - column('accuracy_lo'))) with filledcurves lc rgb '%s' notitle", gr_grp(g), gr_color(rank(g))) }
            if (group_n_ok[g] > 1 && group_n_ok[g] <= 5) {
              do for [k = 1:n_runs] { if (run_group[k] == g && run_status[k] eq "ok") { cmd = cmd . sprintf(", '%s' using 'd_steps':(pos(1 - column('accuracy'))) with lines lt %d lw 0.4 notitle", gr_run(k), rank(g)) } }
            }
            cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(pos(1 - column('accuracy_mean'))) with lines lt %d title '%s'", gr_grp(g), rank(g), fd_leg(g))
          } else {
            if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(pos(column('%s_lo'))):(pos(column('%s_hi'))) with filledcurves lc rgb '%s' notitle", gr_grp(g), q, q, gr_color(g)) }
            if (group_n_ok[g] > 1 && group_n_ok[g] <= 5) {
              do for [k = 1:n_runs] { if (run_group[k] == g && run_status[k] eq "ok") { cmd = cmd . sprintf(", '%s' using 'd_steps':(pos(column('%s'))) with lines lt %d lw 0.4 notitle", gr_run(k), q, rank(g)) } }
            }
            cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(pos(column('%s_mean'))) with lines lt %d title '%s'", gr_grp(g), q, rank(g), fd_leg(g))
          }
        }
      }
      # D's error is at most 1: a fixed top keeps a panel with one finite value drawable
      if (row == 1) { set yrange [*:1] } else { set yrange [*:*] }
      eval cmd
    }
    unset label 900
  }
}
unset multiplot
