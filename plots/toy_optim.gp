# plots/toy_optim.gp — experiments/toy_optim.cfg (CLAIMS C39, C25): the WGAN critics'
# optimizers on 8 Gaussians. (a) C39: exact W1 to the data (log scale) against the
# generator iteration for clip-RMSProp, GP-RMSProp and GP-Adam, with the noise floor (grey
# crosses) and the target W1 = 0.1 of w1_target_step (dotted). (b), (c) C25: the last
# critic update's W estimate (w_estimate) and the cosine of the critic's update with its
# negative gradient (cos_d) against the iteration, clip with an RMSProp critic vs clip
# with an Adam critic (momentum: cosines below 0, drops of the estimate). Lines are means
# over the ok seeds, shaded +- std when there are two or more. Data: series w1, w1_floor,
# w_estimate, cos_d (docs/RESULTS.md, train); spikes and negative-cosine fractions are
# metrics (the table). Edit freely.
load datadir.'/meta.gp'
gr_height_cm = 11
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
meth(g) = gr_gval(g, "method") ne "" ? gr_gval(g, "method") : group_short[g]
# the setting of a method arm (0: not in this file)
gidx(name) = sum [g = 1:n_groups] (meth(g) eq name ? g : 0)
arms_a = "clip_rmsprop gp_rmsprop gp_adam"
arms_b = "clip_rmsprop clip_adam_critic"
leg(name) = name eq "clip_rmsprop" ? "clip, RMSProp" : (name eq "gp_rmsprop" ? "GP, RMSProp" : (name eq "gp_adam" ? "GP, Adam" : (name eq "clip_adam_critic" ? "clip, Adam critic" : name)))
do for [a = 1:words(arms_a . " clip_adam_critic")] {
  nm = word(arms_a . " clip_adam_critic", a)
  if (gidx(nm) == 0) { gr_notes = gr_notes . sprintf("arm %s not in this file\n", nm) }
  if (gidx(nm) > 0) { if (group_n_ok[gidx(nm)] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", nm) } }
}
if (!exists("has_w1")) gr_notes = gr_notes . "no w1 series (eval.w1 off?)\n"
if (!exists("has_w_estimate") || !exists("has_cos_d")) gr_notes = gr_notes . "no w_estimate / cos_d series (probes.losses, probes.cosine off?)\n"
notes_room = gr_nl(gr_notes) * gr_note_h
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
smax = 1
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { stats gr_grp(g) using 'step' nooutput; smax = STATS_max > smax ? STATS_max : smax } }
pos(x) = (x > 0) ? x : 1/0
ok(g) = g > 0 ? group_n_ok[g] > 0 : 0
set label 20 sprintf("WGAN critics' optimizers on 8 Gaussians\n{/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 1 - 0.4 / gr_height_cm center font "".gr_fs(6.5)
set multiplot layout 3, 1 margins 0.17, 0.97, 1.05 / gr_height_cm + 1.1 * notes_room, 1 - 1.1 / gr_height_cm spacing 0, 0.25 / gr_height_cm
eval gr_show_notes
set tics font "".gr_fs(5.5)
set xtics nice(2 * smax)
set xrange [0:smax]
set key nobox noopaque font "".gr_fs(5) samplen 1.5 spacing 0.8
do for [row = 1:3] {
  arms = row == 1 ? arms_a : arms_b
  q = row == 1 ? "w1" : (row == 2 ? "w_estimate" : "cos_d")
  have = row == 1 ? exists("has_w1") : (exists("has_w_estimate") && exists("has_cos_d"))
  set label 2 (row == 1 ? "(a) C39: W_1 (+: floor; dotted: 0.1)" : (row == 2 ? "(b) C25: W estimate" : "(c) C25: cos(critic update, −∇)")) at graph 0.02, graph 0.92 left front font "".gr_fs(5.5) enhanced
  set ylabel (row == 1 ? "W_1" : (row == 2 ? "W estimate" : "cos")) offset 1.5, 0 font "".gr_fs(6) enhanced
  if (row == 3) { set format x "%g"; set xlabel "generator iteration" offset 0, 1.0 font "".gr_fs(6) } else { set format x ""; unset xlabel }
  if (row == 1) { set key at graph 0.98, graph 0.56 right top }
  if (row == 2) { set key at graph 0.55, graph 0.86 right top }
  if (row == 3) { set key at graph 0.98, graph 0.05 right bottom }
  unset logscale y
  set format y "%.2g"
  if (row == 1) { set logscale y; set format y "10^{%T}" }
  if (row == 3) { set yrange [-1:1] } else { set autoscale y }
  n = 0
  cmd = "plot 1/0 notitle"
  if (row == 1) { cmd = cmd . ", 0.1 with lines lc rgb '#777777' lw 0.6 dt (1, 2) notitle" }
  if (row == 3) { cmd = cmd . ", 0 with lines lc rgb '#777777' lw 0.6 notitle" }
  fl = 0
  do for [a = 1:words(arms)] {
    g = gidx(word(arms, a))
    if (have && ok(g)) {
      if (group_n_ok[g] > 1) { cmd = cmd . sprintf(", '%s' using 'step':%s:%s with filledcurves lc rgb '%s' notitle", gr_grp(g), (row == 1 ? "(pos(column('w1_lo')))" : "'" . q . "_lo'"), (row == 1 ? "(pos(column('w1_hi')))" : "'" . q . "_hi'"), gr_color(a)) }
      cmd = cmd . sprintf(", '%s' using 'step':'%s_mean' with %s lt %d title '%s'", gr_grp(g), q, (row == 1 ? "linespoints pi -1 lw 0.8" : "lines lw 0.6"), a, leg(word(arms, a)))
      if (row == 1 && exists("has_w1_floor") && fl == 0) { cmd = cmd . sprintf(", '%s' using 'step':'w1_floor_mean' with linespoints pi -1 pt 1 lc rgb '#777777' lw 0.6 dt (3, 2) notitle", gr_grp(g)); fl = 1 }
      n = n + 1
    }
  }
  if (n == 0) {
    set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
    if (row == 1) { set yrange [0.01:10] } else { set yrange [-1:1] }
    plot 1/0 notitle
    unset label 1
  } else {
    eval cmd
  }
  unset label 2
  unset label 20
  unset label 900
}
unset multiplot
