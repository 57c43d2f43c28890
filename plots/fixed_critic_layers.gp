# plots/fixed_critic_layers.gp — WGAN-GP Figure 1(b) for experiments/fixed_critic_layers.cfg
# (CLAIMS C28, C33, C34): (top) the norm of the loss's gradient with respect to each
# layer's pre-activations, from the first layer to the output, log scale, for weight
# clipping at each c and for the gradient penalty (vanishing or exploding under clipping,
# flat under GP); (bottom) histograms of the critic's weights (all layers), clipping
# (c = 0.01, or the first clipped setting) against GP: clipping piles the weights at +-c.
# Every ok seed is drawn (no mean is taken across seeds). Data: run_K.probes.
# layer_grad_norms (L values), .weight_hist (L x bins over [-r, r]), .weight_hist_range
# (-r, r) (docs/RESULTS.md, fixed_critic). Edit freely.
gr_height_cm = 10
load plotsdir.'/style.gp'
load datadir.'/meta.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", group_short[g]) }
}
leg(g) = gr_gval(g, "method") eq "wgan_gp" ? "gradient penalty" : (gr_gval(g, "method.clip") ne "" ? "clipping c = " . gr_gval(g, "method.clip") : group_short[g])
# the two histogram settings
hc = 0
hg = 0
do for [g = 1:n_groups] {
  if (gr_first_ok(g) > 0 && gr_gval(g, "method") eq "wgan_gp" && hg == 0) { hg = g }
  if (gr_first_ok(g) > 0 && gr_gval(g, "method") eq "wgan_clip" && (hc == 0 || real(gr_gval(g, "method.clip")) == 0.01)) { hc = g }
}
if (hc == 0) gr_notes = gr_notes . "no clipped critic ended ok: its histogram is not drawn\n"
if (hg == 0) gr_notes = gr_notes . "no GP critic ended ok: its histogram is not drawn\n"
any = 0
do for [k = 1:n_runs] { if (run_status[k] eq "ok" && gr_has_ds(k, "probes.layer_grad_norms")) { any = 1 } }
if (!any) gr_notes = gr_notes . "no run wrote probes/layer_grad_norms: nothing to draw\n"
notes_room = gr_nl(gr_notes) * gr_note_h
eval gr_show_notes
set datafile nocolumnheaders
set label 20 sprintf("Critic gradients and weights {/*0.8 (%s, %s)}", profile, commit) at screen 0.5, screen 0.975 center font "".gr_fs(6.5)
set tics font "".gr_fs(6.5)
# (top) per-layer gradient norms
set lmargin at screen 0.16
set rmargin at screen 0.97
set tmargin at screen 0.93
set bmargin at screen 0.6
set logscale y
set format y "10^{%T}"
unset mytics
set xlabel "critic layer (1 = input side)" offset 0, 0.9 font "".gr_fs(6.5)
set label 11 "‖∂L/∂a_l‖ (log scale)" at screen 0.025, graph 0.5 center rotate by 90 font "".gr_fs(6.5)
set key at screen 0.97, screen 0.93 right top vertical nobox opaque font "".gr_fs(5.5) samplen 1.5 spacing 0.8
set rmargin at screen 0.62
set xtics 2
set mxtics 2
set multiplot
nl = 1
do for [k = 1:n_runs] { if (run_status[k] eq "ok" && gr_has_ds(k, "probes.layer_grad_norms")) { stats gr_ds(k, "probes.layer_grad_norms") using 1 nooutput; nl = STATS_records > nl ? STATS_records : nl } }
set xrange [0.5:nl + 0.5]
if (!any) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [1:10] 1/0 notitle
  unset label 1
} else {
  cmd = "plot 1/0 notitle"
  do for [g = 1:n_groups] {
    t = 0
    do for [k = 1:n_runs] {
      if (run_group[k] == g && run_status[k] eq "ok" && gr_has_ds(k, "probes.layer_grad_norms")) {
        cmd = cmd . sprintf(", '%s' using ($0 + 1):($1 > 0 ? $1 : 1/0) with linespoints lt %d %s", gr_ds(k, "probes.layer_grad_norms"), g, t == 0 ? sprintf("title '%s'", leg(g)) : "notitle lw 0.5")
        t = 1
      }
    }
  }
  eval cmd
}
unset label 11
unset label 20
unset label 900
unset logscale y
unset key
set format y "%g"
set mytics 2
unset xlabel
# (bottom) weight histograms: clipping | GP (all layers' weights summed per bin)
hist(h, col, lt, lab) = sprintf("set lmargin at screen %.3f; set rmargin at screen %.3f; set tmargin at screen 0.43; set bmargin at screen %.3f", col == 1 ? 0.16 : 0.62, col == 1 ? 0.5 : 0.96, 0.1 + 1.1 * notes_room)
do for [col = 1:2] {
  g = col == 1 ? hc : hg
  eval hist(0, col, 0, "")
  set title (g > 0 ? leg(g) : (col == 1 ? "clipping" : "gradient penalty")) font "".gr_fs(6.5) offset 0, -0.6
  set xlabel "weight value" offset 0, 0.9 font "".gr_fs(6.5)
  if (col == 1) { set label 11 "count" at screen 0.025, graph 0.5 center rotate by 90 font "".gr_fs(6.5) } else { unset label 11 }
  k = g > 0 ? gr_first_ok(g) : 0
  if (k > 0 && gr_has_ds(k, "probes.weight_hist") && gr_has_ds(k, "probes.weight_hist_range")) {
    set autoscale xy
    stats gr_ds(k, "probes.weight_hist_range") using 1 nooutput
    rlo = STATS_min
    rhi = STATS_max
    stats gr_ds(k, "probes.weight_hist") every ::0::0 using 1 nooutput
    nb = STATS_columns
    bw = (rhi - rlo) / nb
    set xrange [rlo:rhi]
    set xtics rlo, (rhi - rlo) / 2, rhi format "%.2g"
    set yrange [0:*]
    set format y "%.0s%c"
    set style fill solid 0.6 noborder
    set boxwidth bw * 0.9 absolute
    # the column sums over the layers: one bar per bin
    eval sprintf("plot for [b = 1:%d] '%s' using (rlo + (b - 0.5) * bw):(column(b)) smooth frequency with boxes lc rgb '%s' notitle", nb, gr_ds(k, "probes.weight_hist"), gr_color(col == 1 ? hc : hg))
    set style fill transparent solid 0.25 noborder
  } else {
    set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
    set xrange [0:1]
    set yrange [0:1]
    plot 1/0 notitle
    unset label 1
  }
}
unset multiplot
