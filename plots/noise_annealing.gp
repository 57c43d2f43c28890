# plots/noise_annealing.gp — experiments/noise_annealing.cfg (CLAIMS C18): the Dirac game
# delta_0 vs delta_theta descended against the exact D*, with instance noise sigma annealed
# from sigma0 to a floor. Columns: the minimax loss | the non-saturating one; rows: the
# distance |theta| to the data (log scale: it shrinks by decades when the game trains) and
# the noise level sigma, against the step; one curve per (sigma0, floor). Without noise the
# minimax game stalls at |theta| = 1 and the non-saturating one has no finite loss (its
# diverged runs are drawn from their own rows, dotted, and named at the bottom). Data:
# group_G.dat / run_K.dat series abs_theta, sigma (docs/RESULTS.md, game). Edit freely.
gr_height_cm = 9.5
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
if (!exists("has_abs_theta")) gr_notes = gr_notes . "no game series in this file: nothing to draw\n"
col(g) = gr_gval(g, "game.loss") eq "minimax" ? 1 : 2
rank(g) = sum [j = 1:g] (col(j) == col(g) ? 1 : 0)
leg(g) = sprintf("σ0 = %s, floor %s", gr_gval(g, "game.sigma0"), gr_gval(g, "game.sigma_floor"))
notes_room = gr_nl(gr_notes) * gr_note_h
set label 20 sprintf("Instance noise annealing on the Dirac game\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 0.965 center font "".gr_fs(6.5)
set multiplot layout 2, 2 margins 0.17, 0.97, 0.1 + 1.1 * notes_room, 0.86 spacing 0.1, 0.03
eval gr_show_notes
set tics font "".gr_fs(6)
set format x "%.1s%c"
pos(x) = x > 0 ? x : 1/0
do for [row = 1:2] {
  do for [c = 1:2] {
    if (row == 1) { set title (c == 1 ? "minimax" : "non-saturating") font "".gr_fs(6.5) offset 0, -0.6 } else { unset title }
    # |theta| from 1 down to double's floor; a diverged run leaves through the top
    if (row == 1) { set logscale y; set format y "10^{%T}"; unset mytics; set yrange [1e-22:1e2]; set ytics 1e-20, 1e5, 1 } else { unset logscale y; set format y "%g"; set mytics 2; set yrange [0:*]; set ytics autofreq }
    if (c == 1) { eval sprintf("set label 11 \"%s\" at screen 0.025, graph 0.5 center rotate by 90 font '%s'", row == 1 ? "|θ| (distance to the data)" : "noise σ", gr_fs(6.5)) } else { unset label 11 }
    if (row == 2) { set format x "%.1s%c"; set xlabel "step" offset 0, 0.9 font "".gr_fs(6.5) } else { set format x ""; unset xlabel }
    if (row == 2 && c == 1) { set key top right nobox opaque font "".gr_fs(5) samplen 1.2 spacing 0.75 } else { unset key }
    q = row == 1 ? "abs_theta" : "sigma"
    cmd = "plot 1/0 notitle"
    nd = 0
    do for [g = 1:n_groups] {
      if (col(g) == c && exists("has_abs_theta")) {
        if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'step':(pos(column('%s_lo'))):(pos(column('%s_hi'))) with filledcurves lc rgb '%s' notitle", gr_grp(g), q, q, gr_color(rank(g))) }
        if (group_n_ok[g] > 0) { cmd = cmd . sprintf(", '%s' using 'step':(pos(column('%s_mean'))) with lines lt %d title '%s'", gr_grp(g), q, rank(g), leg(g)); nd = nd + 1 }
        do for [k = 1:n_runs] {
          if (run_group[k] == g && run_status[k] eq "diverged") { cmd = cmd . sprintf(", '%s' using 'step':(pos(column('%s'))) with linespoints lt %d dt (1, 2) pi -1 title '%s (diverged)'", gr_run(k), q, rank(g), leg(g)); nd = nd + 1 }
        }
      }
    }
    if (nd == 0) {
      set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
      plot [0:1] [1:10] 1/0 notitle
      unset label 1
    } else {
      eval cmd
    }
    unset label 20
    unset label 900
  }
}
unset multiplot
