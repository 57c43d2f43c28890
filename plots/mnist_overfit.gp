# plots/mnist_overfit.gp — experiments/mnist_overfit.cfg (CLAIMS C38, the analogue of WGAN-GP
# Fig. 5b): one panel per method (the critics' scales differ by orders between clipping and
# the gradient penalty): D's value, mean f(real) - mean f(G(z)) without the penalty, on the
# 1000 training images (solid) and on 1000 held-out validation images (dashed) against the
# generator iteration, mean +- std over the ok seeds. Overfitting shows as the two curves
# drifting apart. Data: series d_value_train, d_value_valid (docs/RESULTS.md, train). Edit
# freely.
load datadir.'/meta.gp'
gr_height_cm = 6.5
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
meth(g) = gr_gval(g, "method") ne "" ? gr_gval(g, "method") : group_short[g]
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", meth(g)) }
}
can = exists("has_d_value_train") && exists("has_d_value_valid")
if (!can) gr_notes = gr_notes . "no d_value_train / d_value_valid series (not MNIST?): nothing to draw\n"
notes_room = gr_nl(gr_notes) * gr_note_h
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
smax = 1
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { stats gr_grp(g) using 'step' nooutput; smax = STATS_max > smax ? STATS_max : smax } }
ncol = n_groups < 1 ? 1 : n_groups
# the key goes in the first panel that has curves
gkey = 0
do for [g = n_groups:1:-1] { if (group_n_ok[g] > 0) { gkey = g } }
set label 20 sprintf("D's value on training vs held-out images\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 1 - 0.45 / gr_height_cm center font "".gr_fs(6.5)
set label 11 "D value E f(x) − E f(G(z))" at screen 0.02, graph 0.5 center rotate by 90 font "".gr_fs(6) enhanced
set multiplot layout 1, ncol margins 0.155, 0.97, 1.1 / gr_height_cm + 1.1 * notes_room, 1 - 1.45 / gr_height_cm spacing 0.1, 0
eval gr_show_notes
set tics font "".gr_fs(5.5)
set xtics nice(2 * smax)
set xrange [0:smax]
set format x "%g"
set xlabel "generator iteration" offset 0, 1.2 font "".gr_fs(6)
set key bottom right nobox noopaque font "".gr_fs(5) samplen 1.5 spacing 0.8
do for [g = 1:n_groups] {
  set title meth(g) font "".gr_fs(6) offset 0, -0.7 noenhanced
  if (g == gkey) { set key } else { unset key }
  if (can && group_n_ok[g] > 0) {
    cmd = "plot 1/0 notitle"
    if (group_n_ok[g] > 1) {
      cmd = cmd . sprintf(", '%s' using 'step':'d_value_train_lo':'d_value_train_hi' with filledcurves lc rgb '%s' notitle", gr_grp(g), gr_color(1))
      cmd = cmd . sprintf(", '%s' using 'step':'d_value_valid_lo':'d_value_valid_hi' with filledcurves lc rgb '%s' notitle", gr_grp(g), gr_color(2))
    }
    cmd = cmd . sprintf(", '%s' using 'step':'d_value_train_mean' with linespoints pi -1 lt 1 title 'training images'", gr_grp(g))
    cmd = cmd . sprintf(", '%s' using 'step':'d_value_valid_mean' with linespoints pi -1 lt 2 title 'held-out images'", gr_grp(g))
    set autoscale y
    eval cmd
  } else {
    set yrange [0:1]
    set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
    plot 1/0 notitle
    unset label 1
    set autoscale y
  }
  unset label 20
  unset label 11
  unset label 900
}
unset multiplot
