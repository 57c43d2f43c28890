# plots/frozen_d_embedded.gp — the C46 panels for experiments/frozen_d_embedded.cfg: 8
# Gaussians embedded in R^D, a fresh D trained against a frozen G. One column per ambient
# dimension D (data.dim: 16, 64, 256), three rows against D's training steps, each row on
# one y range so the columns compare: (a) D's accuracy on fresh samples (linear, the
# criterion's 0.99 dotted; the last step at which a run of the column reached it noted),
# (b) the minimax generator's gradient norm ||grad E log(1 - D(G(z)))|| and (c) the -log D
# one, both on log scales as in A&B Figs. 2-3 (the largest final minimax / -log D ratio of
# the column noted: the criterion's metric). In every panel colour is the pair (G
# checkpoint frozen.g_steps, off-manifold noise data.tau): untrained G black / blue,
# trained G vermillion / orange, tau = 0 a plain line, tau > 0 the lighter colour with open
# circles; the mean over the ok seeds as a line, +-1 SD over them shaded. Data:
# group_G.dat series accuracy, g_grad_norm_mm, g_grad_norm_ns against d_steps, and
# summary.dat's steps_to_acc_099 and g_grad_mm_over_ns_final (docs/RESULTS.md, frozen_d;
# docs/REPORTS.md). 15 cm wide (two columns): three columns of panels do not fit in 8.5.
# Edit freely.
load datadir.'/meta.gp'
gr_width_cm = 15
gr_height_cm = 12.5
load plotsdir.'/style.gp'
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
# the distinct values of a swept axis in group order ("" when the axis is not swept), and
# the rank (1, 2, ...) of setting g's value among them
fe_vals(name) = (fe_t = "", sum [g = 1:n_groups] ((strstrt(fe_t . " ", " " . gr_gval(g, name) . " ") == 0) ? (fe_t = fe_t . " " . gr_gval(g, name), 0) : 0), fe_t)
fe_rank(s, v) = sum [i = 1:words(s)] (word(s, i) eq v ? i : 0)
dims = fe_vals("data.dim")
gsv = fe_vals("frozen.g_steps")
tav = fe_vals("data.tau")
n_col = words(dims) > 0 ? words(dims) : 1
n_ci = words(gsv) > 0 ? words(gsv) : 1
n_di = words(tav) > 0 ? words(tav) : 1
fe_col(g) = words(dims) > 0 ? fe_rank(dims, gr_gval(g, "data.dim")) : 1
fe_ci(g) = words(gsv) > 0 ? fe_rank(gsv, gr_gval(g, "frozen.g_steps")) : 1
fe_di(g) = words(tav) > 0 ? fe_rank(tav, gr_gval(g, "data.tau")) : 1
# tau's mark: tau = 0 a plain line, tau > 0 the line with open marks every 10 points (a dash
# pattern would not show: the curves are many short segments)
fe_sty(j) = j == 1 ? "lines" : sprintf("linespoints pt %d ps %.2f pi 10", j == 2 ? 6 : 4, 0.35 * gr_fscale)
# colour by the (G checkpoint, tau) pair (Okabe-Ito): untrained G black / blue, trained G
# vermillion / orange, so each tau > 0 curve has its tau = 0 partner's family
fe_pal = "#000000 #0072B2 #D55E00 #E69F00 #009E73 #56B4E9 #CC79A7 #F0E442"
fe_lc(i, j) = word(fe_pal, ((i - 1) * n_di + j - 1) % 8 + 1)
fe_gtxt(v) = v eq "" ? "G" : (v eq "0" ? "G untrained" : "G trained " . v . " steps")
fe_ttxt(v) = v eq "" ? "" : (real(v) == 0 ? "τ = 0" : "τ = " . v)
fe_leg(i, j) = fe_gtxt(words(gsv) > 0 ? word(gsv, i) : "") . (words(tav) > 0 ? ", " . fe_ttxt(word(tav, j)) : "")
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("%s: no run ended ok: not drawn\n", group_label[g]) }
}
if (!exists("has_accuracy") || !exists("has_g_grad_norm_mm") || !exists("has_g_grad_norm_ns") || !exists("has_d_steps")) gr_notes = gr_notes . "no frozen_d series in this file: nothing to draw\n"
any_ok = 0
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { any_ok = 1 } }
can = any_ok && exists("has_accuracy") && exists("has_g_grad_norm_mm") && exists("has_g_grad_norm_ns") && exists("has_d_steps")
pos(x) = (x > 0) ? x : 1/0
# the shared ranges: D steps, and whole decades around every drawn gradient mean (stats
# sees only positive values, so it always has a valid point)
smax = 1
array lmin[2]
array lmax[2]
qs = "g_grad_norm_mm g_grad_norm_ns"
do for [r = 1:2] { lmin[r] = 1e300; lmax[r] = 0 }
nseed_max = 0
acc_lo = 0.45
if (can) {
  do for [g = 1:n_groups] {
    if (group_n_ok[g] > 0) {
      nseed_max = group_n_ok[g] > nseed_max ? group_n_ok[g] : nseed_max
      stats gr_grp(g) using 'd_steps_mean' nooutput
      smax = STATS_max > smax ? STATS_max : smax
      stats gr_grp(g) using 'accuracy_mean' nooutput
      acc_lo = STATS_min < acc_lo ? floor(10 * STATS_min) / 10 : acc_lo
      do for [r = 1:2] {
        q = word(qs, r)
        stats gr_grp(g) using (column(q . '_mean') > 0 ? column(q . '_mean') : 1e300):(column(q . '_mean') > 0 ? column(q . '_mean') : 0) nooutput
        lmin[r] = STATS_min_x < lmin[r] ? STATS_min_x : lmin[r]
        lmax[r] = STATS_max_y > lmax[r] ? STATS_max_y : lmax[r]
      }
    }
  }
}
do for [r = 1:2] {
  if (lmax[r] <= 0 || lmin[r] >= 1e300) { lmin[r] = 1e-3; lmax[r] = 1 }
  lmin[r] = 10**floor(log10(lmin[r]))
  lmax[r] = 10**ceil(log10(lmax[r]))
  if (lmax[r] <= lmin[r]) { lmax[r] = 10 * lmin[r] }
}
# per column, from summary.dat (one row per run): the last step at which any of its ok runs
# reached accuracy 0.99, and the largest final minimax / -log D ratio (the criteria's metrics)
sumf = datadir . '/summary.dat'
array c_n[n_col]
array c_to99[n_col]
array c_ratio[n_col]
fe_in(c) = column('ok') == 1 && (words(dims) == 0 || column('param.data.dim') == real(word(dims, c)))
do for [c = 1:n_col] {
  c_n[c] = 0
  if (can) {
    stats sumf using (fe_in(c) ? 1 : 0) nooutput
    c_n[c] = STATS_sum
  }
  if (c_n[c] > 0) {
    stats sumf using (fe_in(c) ? column('steps_to_acc_099') : -1):(fe_in(c) ? column('g_grad_mm_over_ns_final') : -1) nooutput
    c_to99[c] = STATS_max_x
    c_ratio[c] = STATS_max_y
  }
}
fe_sci(x) = x > 0 && x < 1e300 ? sprintf("%.1f·10^{%d}", x / 10**floor(log10(x)), floor(log10(x))) : sprintf("%g", x)
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
notes_room = gr_nl(gr_notes) * gr_note_h
band = nseed_max > 1 ? sprintf("mean ± 1 SD over %d seeds", nseed_max) : "one seed per curve"
set label 20 sprintf("Embedded manifolds (C46): a fresh D against a frozen G\n{/*0.8 (%s, %s; %s)}", profile, commit, band) at screen 0.5, screen 1 - 0.5 / gr_height_cm center font "".gr_fs(7)
x_l = 0.115
x_r = 0.975
gap = 0.045
pw = (x_r - x_l - (n_col - 1) * gap) / n_col
y_t = 1 - 1.6 / gr_height_cm
key_h = (0.42 * n_di + 0.1) / gr_height_cm
y_key = 0.1 / gr_height_cm + notes_room
y_b = y_key + key_h + 1.15 / gr_height_cm
ph = (y_t - y_b) / 3
set multiplot
eval gr_show_notes
set tics font "".gr_fs(6)
set xtics nice(smax)
set mxtics 2
unset mytics
do for [row = 1:3] {
  do for [c = 1:n_col] {
    set lmargin at screen x_l + (c - 1) * (pw + gap)
    set rmargin at screen x_l + (c - 1) * (pw + gap) + pw
    set tmargin at screen y_t - (row - 1) * ph - (row > 1 ? 0.012 : 0)
    set bmargin at screen y_t - row * ph + (row < 3 ? 0.012 : 0)
    if (row == 1) { set title (words(dims) > 0 ? "D = " . word(dims, c) : "") font "".gr_fs(7) offset 0, -0.6 } else { unset title }
    if (row == 3) { set format x "%g"; set xlabel "D training steps" offset 0, 0.7 font "".gr_fs(6.5) } else { set format x ""; unset xlabel }
    if (row == 1) {
      unset logscale y
      set yrange [acc_lo:1.03]
      acc_tic = 1.03 - acc_lo > 0.65 ? 0.2 : 0.1
      set ytics acc_tic
      set format y (c == 1 ? "%.1f" : "")
    } else {
      set logscale y
      set yrange [lmin[row - 1]:lmax[row - 1]]
      set ytics autofreq
      set format y (c == 1 ? "10^{%T}" : "")
    }
    if (c == 1) {
      set ylabel (row == 1 ? "D accuracy" : (row == 2 ? "minimax ‖∇_θ‖" : "−log D ‖∇_θ‖")) offset 1.6, 0 font "".gr_fs(6.5)
    } else { unset ylabel }
    set xrange [0:smax]
    unset key
    # the criteria's metrics of this column, over its ok runs (both taus)
    if (c_n[c] > 0 && row == 1) { set label 2 (c_to99[c] < 1e300 ? sprintf("acc. ≥ 0.99 by step %g", c_to99[c]) : "acc. 0.99 not reached") at graph 0.96, graph 0.1 right front font "".gr_fs(5.5) }
    if (c_n[c] > 0 && row == 3) { set label 2 "minimax / −log D\nat the end ≤ " . fe_sci(c_ratio[c]) at graph 0.96, graph 0.22 right front font "".gr_fs(5.5) }
    if (!can) {
      set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
      plot 1/0 notitle
      unset label 1
    } else {
      cmd = "plot 1/0 notitle"
      if (row == 1) { cmd = cmd . ", 0.99 with lines lc rgb '#777777' lw 0.8 dt (1, 2) notitle" }
      q = row == 1 ? "accuracy" : word(qs, row - 1)
      do for [g = 1:n_groups] {
        if (fe_col(g) == c && group_n_ok[g] > 0) {
          if (group_n_ok[g] > 1) {
            if (row == 1) { cmd = cmd . sprintf(", '%s' using 'd_steps_mean':'accuracy_lo':'accuracy_hi' with filledcurves lc rgb '%s' notitle", gr_grp(g), fe_lc(fe_ci(g), fe_di(g))) }
            if (row > 1) { cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(pos(column('%s_lo'))):(pos(column('%s_hi'))) with filledcurves lc rgb '%s' notitle", gr_grp(g), q, q, fe_lc(fe_ci(g), fe_di(g))) }
          }
          cmd = cmd . sprintf(", '%s' using 'd_steps_mean':(%s(column('%s_mean'))) with %s lc rgb '%s' lw 1.1 notitle", gr_grp(g), (row == 1 ? "" : "pos"), q, fe_sty(fe_di(g)), fe_lc(fe_ci(g), fe_di(g)))
        }
      }
      eval cmd
    }
    unset label 1
    unset label 2
    unset label 20
    unset label 900
  }
}
# the key, once below all panels: a column per G checkpoint, a row per tau, drawn by hand
# (gnuplot sizes a key by the terminal's font, too wide at 300 dpi: one column only)
set lmargin at screen x_l
set rmargin at screen x_r
set tmargin at screen y_key + key_h
set bmargin at screen y_key
unset border
unset tics
unset xlabel
unset ylabel
unset title
unset logscale y
unset grid
set xrange [0:1]
set yrange [0:1]
colw = (x_r - x_l) / n_ci < 0.36 ? (x_r - x_l) / n_ci : 0.36
kx0 = 0.5 - n_ci * colw / 2 + 0.03
do for [i = 1:n_ci] {
  do for [j = 1:n_di] {
    kx = kx0 + (i - 1) * colw
    ky = y_key + key_h - (j - 0.5) * 0.42 / gr_height_cm
    k = (i - 1) * n_di + j
    set arrow 100 + k from screen kx, screen ky to screen kx + 0.05, screen ky nohead lc rgb fe_lc(i, j) lw 1.1 front
    if (j > 1) { set label 200 + k "" at screen kx + 0.025, screen ky point pt (j == 2 ? 6 : 4) ps 0.35 * gr_fscale lc rgb fe_lc(i, j) front }
    set label 300 + k fe_leg(i, j) at screen kx + 0.06, screen ky left font "".gr_fs(6.5) front noenhanced
  }
}
plot 1/0 notitle
unset multiplot
