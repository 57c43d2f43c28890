# plots/mnist_train.gp — experiments/mnist_train.cfg (the five methods on MNIST, CLAIMS C37
# on images, C24): an 8 x 8 grid of generated digits per method at the last sample
# snapshot (plots/mnist_grid.gp), then against the generator iteration, per method (mean
# +- std over the ok seeds): (a) pixel-space W1 to held-out images with its noise floor
# (two disjoint sets of real images: grey crosses), (b) the classifier score, (c) the
# Frechet distance in the classifier's features; a panel goes to a log scale when its
# values span more than 1.5 decades. Profiles that switch the classifier off
# (eval.classifier = false, ci) have no classifier_score / frechet series: the panels say
# so. Data: run_K.samples.step_<k> (64 x 784, pixels in [0, 1]); series w1, w1_floor,
# classifier_score, frechet (docs/RESULTS.md, train). Edit freely.
load datadir.'/meta.gp'
gr_height_cm = 13
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
meth(g) = gr_gval(g, "method") ne "" ? gr_gval(g, "method") : group_short[g]
# the last sample snapshot of run k ("" if none)
last_snap(k) = (gr_b = "", gr_s = -1, sum [w = 1:words(run_datasets[k])] ((strstrt(word(run_datasets[k], w), "samples.step_") == 1 && int(word(run_datasets[k], w)[14:]) > gr_s) ? (gr_s = int(word(run_datasets[k], w)[14:]), gr_b = word(run_datasets[k], w), 0) : 0), gr_b)
do for [g = 1:n_groups] {
  k = gr_first_ok(g)
  if (k == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: no digits, no curves\n", meth(g)) }
  if (k > 0 && last_snap(k) eq "") { gr_notes = gr_notes . sprintf("%s: no sample snapshot (probes.samples = 0?)\n", meth(g)) }
}
if (!exists("has_w1")) gr_notes = gr_notes . "no w1 series (eval.w1 off?): W1 panel empty\n"
notes_room = gr_nl(gr_notes) * gr_note_h
any_ok = 0
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { any_ok = 1 } }
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
smax = 1
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { stats gr_grp(g) using 'step' nooutput; smax = STATS_max > smax ? STATS_max : smax } }
pos(x) = (x > 0) ? x : 1/0

set label 20 sprintf("Five methods on MNIST: digits, W_1 and scores\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 1 - 0.45 / gr_height_cm center font "".gr_fs(6.5)
set multiplot
eval gr_show_notes
# rows 1-2: the digit grids (five methods, the sixth cell holds the curves' key)
gw = 0.31
gh = 3.1 / gr_height_cm
gtop = 1 - 1.0 / gr_height_cm
set lmargin 0.5
set rmargin 0.5
set tmargin 1.2
set bmargin 0.2
do for [g = 1:n_groups] {
  if (g <= 5) {
    set origin 0.02 + ((g - 1) % 3) * (gw + 0.01), gtop - (int((g - 1) / 3) + 1) * gh
    set size gw, gh
    k = gr_first_ok(g)
    if (k > 0 && last_snap(k) ne "") {
      mg_file = gr_ds(k, last_snap(k))
      mg_title = sprintf("%s, step %s", meth(g), last_snap(k)[14:])
    } else {
      mg_file = datadir . '/none'
      mg_title = meth(g)
    }
    load plotsdir.'/mnist_grid.gp'
    unset label 20
    unset label 900
  }
}
# the key, drawn alone in the sixth cell
set origin 0.02 + 2 * (gw + 0.01), gtop - 2 * gh
set size gw, gh
unset border
unset tics
unset title
set key center center nobox noopaque font "".gr_fs(6) samplen 1.5 spacing 1.0 title "" noenhanced
set xrange [0:1]
set yrange [0:1]
cmd = "plot"
do for [g = 1:n_groups] { cmd = cmd . sprintf("%s NaN with linespoints lt %d title '%s'", (g > 1 ? "," : ""), g, meth(g)) }
if (exists("has_w1_floor")) { cmd = cmd . ", NaN with linespoints pt 1 lc rgb '#777777' lw 0.6 dt (3, 2) title 'W1 floor'" }
eval cmd
unset key
set border 3
set xtics nomirror out scale 0.6
set ytics nomirror out scale 0.6
set autoscale xy
# row 3: the curves
qs = "w1 classifier_score frechet"
set tics font "".gr_fs(5.5)
set lmargin 5.5
set rmargin 0.8
set tmargin 1.0
set bmargin 2.2
set grid
set xtics nice(2 * smax)
set format x "%g"
pw = 0.325
ph = gtop - 2 * gh - 0.01 - 1.1 * notes_room
do for [c = 1:3] {
  q = word(qs, c)
  set origin (c - 1) * pw, 1.1 * notes_room
  set size pw + (c == 3 ? 0.02 : 0), ph
  set title (c == 1 ? "pixel W_1 (+: floor)" : (c == 2 ? "classifier score" : "Fréchet dist.")) font "".gr_fs(6) offset 0, -0.7 enhanced
  set xlabel "generator iteration" offset 0, 1.0 font "".gr_fs(5.5)
  have = exists("has_" . q) && any_ok
  unset logscale y
  set format y "%g"
  if (have) {
    # log scale when the means span more than 1.5 decades (all > 0)
    lo = 1e300
    hi = -1e300
    do for [g = 1:n_groups] {
      if (group_n_ok[g] > 0) {
        stats gr_grp(g) using (column(q . '_mean')) nooutput
        if (STATS_records > 0) { lo = STATS_min < lo ? STATS_min : lo; hi = STATS_max > hi ? STATS_max : hi }
      }
    }
    if (c == 1 && exists("has_w1_floor")) {
      do for [g = 1:n_groups] {
        if (group_n_ok[g] > 0) {
          stats gr_grp(g) using (column('w1_floor_mean')) nooutput
          if (STATS_records > 0) { lo = STATS_min < lo ? STATS_min : lo; hi = STATS_max > hi ? STATS_max : hi }
        }
      }
    }
    if (lo > 0 && hi / lo > 10**1.5) { set logscale y; set format y "10^{%T}" }
    set xrange [0:smax]
    cmd = "plot 1/0 notitle"
    fl = 0
    do for [g = 1:n_groups] {
      if (group_n_ok[g] > 0) {
        if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'step':(pos(column('%s_lo'))):(pos(column('%s_hi'))) with filledcurves lc rgb '%s' notitle", gr_grp(g), q, q, gr_color(g)) }
        cmd = cmd . sprintf(", '%s' using 'step':'%s_mean' with linespoints pi -1 lt %d lw 0.8 notitle", gr_grp(g), q, g)
        if (c == 1 && exists("has_w1_floor") && fl == 0) { cmd = cmd . sprintf(", '%s' using 'step':'w1_floor_mean' with linespoints pi -1 pt 1 lc rgb '#777777' lw 0.6 dt (3, 2) notitle", gr_grp(g)); fl = 1 }
      }
    }
    set autoscale y
    eval cmd
  } else {
    set xrange [0:smax]
    set yrange [0:1]
    unset ytics
    unset grid
    set label 1 (any_ok ? "not measured\nin this\nprofile" : "no data") at graph 0.55, graph 0.5 center tc rgb "#D55E00" font "".gr_fs(5.5) noenhanced
    plot 1/0 notitle
    unset label 1
    set autoscale y
    set ytics nomirror out scale 0.6
    set grid
  }
}
unset multiplot
