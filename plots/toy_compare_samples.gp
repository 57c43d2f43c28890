# plots/toy_compare_samples.gp — the five-method comparison across the three toy data sets
# (CLAIMS C37, issue 17 item 3; the VEEGAN / PacGAN / WGAN-GP sample grids): one row per data
# set, one column per method; each panel shows the generator's samples at the last snapshot
# of the method's first seed (dots) over the data's density (shaded, square-root scale so
# the tails show), the same axes along a row (the data's box), and under it that run's
# final exact W1 (and its noise floor), modes captured and high-quality fraction.
# A figure of several experiments: `ganrepro plot --figure toy_compare_samples
# results/toy_train.h5 results/toy_train_25g.h5 results/toy_train_swissroll.h5` (make
# experiments runs it); the line below names its inputs (docs/REPORTS.md).
# figure inputs: toy_train toy_train_25g toy_train_swissroll
# Data, per input (OUT/toy_compare_samples/EXP/, the exporter's files): samples.step_<k>,
# probes.data_density, probes.data_box, summary.dat (final_w1, final_w1_floor,
# final_modes_captured, n_modes, final_hq_fraction). A missing input, a method without an
# ok run, a seed other than the first or samples outside the box are said on the figure.
# Edit freely.
load datadir.'/inputs.gp'
tc_dir = datadir
tc_dsname(e) = e eq "toy_train" ? "8 Gaussians" : (e eq "toy_train_25g" ? "25 Gaussians" : (e eq "toy_train_swissroll" ? "Swiss roll" : e))
tc_meths = "gan_mm gan_ns gan_in wgan_clip wgan_gp"
tc_mlabel(m) = m eq "gan_mm" ? "GAN (minimax)" : m eq "gan_ns" ? "GAN (-log D)" : m eq "gan_in" ? "GAN + inst. noise" : m eq "wgan_clip" ? "WGAN (clipping)" : m eq "wgan_gp" ? "WGAN-GP" : m
n_cols = words(tc_meths)
n_rows = n_inputs
# the notes, counted before style.gp (the height depends on them)
tc_notes = inputs_note
tc_nl(s) = strstrt(s, "\n") == 0 ? 0 : 1 + tc_nl(s[strstrt(s, "\n") + 1:])
do for [i = 1:n_inputs] {
  if (input_found[i]) {
    load input_dir[i].'/meta.gp'
    if (strlen(failed_note) > 0) {
      tc_f = failed_note
      while (strstrt(tc_f, "\n") > 0) {
        tc_notes = tc_notes . input_name[i] . ": " . tc_f[1:strstrt(tc_f, "\n")]
        tc_f = tc_f[strstrt(tc_f, "\n") + 1:]
      }
    }
    tc_prof = profile
    tc_commit = commit
  }
}
if (!exists("tc_prof")) { tc_prof = "?"; tc_commit = "?" }
gr_width_cm = 17.0
pw = 2.95      # panel width = height, cm
gx = 0.28      # gap between columns, cm
lx = 0.95      # left: the data set's name and the y tics, cm
top = 1.8      # title and method names, cm
rowh = pw + 1.4
gr_height_cm = top + n_rows * rowh + 0.15 + 0.3 * tc_nl(tc_notes)
load plotsdir.'/style.gp'
gr_notes = tc_notes
set label 20 sprintf("Samples of the five methods on the three toy data sets (last step, first seed)\n{/*0.8 over the data density; under each panel that run's exact W_1 (noise floor), modes captured}\n{/*0.8 and HQ, the share of samples within 3 SDs of a mode (%s profile, commit %s)}", tc_prof, tc_commit) at screen 0.5, screen 1 - 0.35 / gr_height_cm center font "".gr_fs(7.5)
cx(c) = (lx + (c - 1) * (pw + gx)) / gr_width_cm
ry(r) = 1 - (top + (r - 1) * rowh + pw) / gr_height_cm   # bottom of row r's panels
nice(r) = (r / 2 >= 5 * 10**floor(log10(r / 2))) ? 5 * 10**floor(log10(r / 2)) : ((r / 2 >= 2 * 10**floor(log10(r / 2))) ? 2 * 10**floor(log10(r / 2)) : 10**floor(log10(r / 2)))
last_snap(k) = (gr_b = "", gr_s = -1, sum [w = 1:words(run_datasets[k])] ((strstrt(word(run_datasets[k], w), "samples.step_") == 1 && int(word(run_datasets[k], w)[14:]) > gr_s) ? (gr_s = int(word(run_datasets[k], w)[14:]), gr_b = word(run_datasets[k], w), 0) : 0), gr_b)
# the setting of method m in the loaded input (0: none)
grp_of(m) = (gr_t = 0, sum [g = 1:n_groups] ((gr_t == 0 && gr_gval(g, "method") eq m) ? (gr_t = g, 0) : 0), gr_t)
# summary metric `name` of run k (nan when absent): summary.dat's row k
tc_metric(k, name) = (tc_v = NaN, strstrt(" ".tc_hdr." ", " ".name." ") > 0 ? (tc_v = tc_sum[k * tc_ncol + tc_colno(name)], 0) : 0, tc_v)
tc_colno(name) = sum [c = 1:words(tc_hdr)] (word(tc_hdr, c) eq name ? c : 0)
set multiplot
eval gr_show_notes
unset key
unset colorbox
set palette defined (0 '#ffffff', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5')
set cbrange [0:1]
set tics font "".gr_fs(5.5)
set xtics offset 0, 0.35
set ytics offset 0.45, 0
unset mxtics
unset mytics
unset grid
set border 15 lw 0.6
set tics front
# the method names over the columns
do for [c = 1:n_cols] {
  set label (100 + c) tc_mlabel(word(tc_meths, c)) at screen cx(c) + 0.5 * pw / gr_width_cm, screen 1 - (top - 0.2) / gr_height_cm center font "".gr_fs(7) noenhanced
}
do for [r = 1:n_rows] {
  set label (200 + r) tc_dsname(input_name[r]) at screen 0.3 / gr_width_cm, screen ry(r) + 0.5 * pw / gr_height_cm center rotate by 90 font "".gr_fs(7) noenhanced
}
do for [r = 1:n_rows] {
  have = input_found[r]
  if (have) {
    datadir = input_dir[r]
    load datadir.'/meta.gp'
    # the summary table, read once into an array (header words in tc_hdr)
    tc_hdr = system(sprintf("head -n 1 '%s/summary.dat'", datadir))
    tc_ncol = words(tc_hdr)
    array tc_sum[(n_runs + 1) * tc_ncol]
    set datafile nocolumnheaders
    set autoscale xy
    do for [c = 1:tc_ncol] {
      stats datadir.'/summary.dat' every ::1 using (tc_sum[int($1) * tc_ncol + c] = column(c), 0) nooutput
    }
    set datafile columnheaders
    # the row's axes: the data's box of its first run that has one
    bk = 0
    do for [k = 1:n_runs] { if (bk == 0 && gr_has_ds(k, "probes.data_box")) { bk = k } }
  }
  do for [c = 1:n_cols] {
    m = word(tc_meths, c)
    set lmargin at screen cx(c)
    set rmargin at screen cx(c) + pw / gr_width_cm
    set bmargin at screen ry(r)
    set tmargin at screen ry(r) + pw / gr_height_cm
    if (c == 1) { set format y "%g" } else { set format y "" }
    set format x "%g"
    k = 0
    g = 0
    if (have) { g = grp_of(m); k = g > 0 ? gr_first_ok(g) : 0 }
    msg = !have ? "no results file" : (g == 0 ? "not in this experiment" : (k == 0 ? "no run ended ok" : (last_snap(k) eq "" ? "no sample snapshot" : "")))
    if (have && bk > 0) {
      set datafile nocolumnheaders
      set autoscale xy
      stats gr_ds(bk, "probes.data_box") every ::0::0 using 1 nooutput
      x0 = STATS_min
      stats gr_ds(bk, "probes.data_box") every ::0::0 using 2 nooutput
      x1 = STATS_min
      stats gr_ds(bk, "probes.data_box") every ::1::1 using 1 nooutput
      y0 = STATS_min
      stats gr_ds(bk, "probes.data_box") every ::1::1 using 2 nooutput
      y1 = STATS_min
      # the view: the data's box widened by 15 % a side (samples just off the data still show)
      vx0 = x0 - 0.15 * (x1 - x0); vx1 = x1 + 0.15 * (x1 - x0)
      vy0 = y0 - 0.15 * (y1 - y0); vy1 = y1 + 0.15 * (y1 - y0)
      set xrange [vx0:vx1]
      set yrange [vy0:vy1]
      set xtics nice(x1 - x0)
      set ytics nice(y1 - y0)
      cmd = "plot 1/0 notitle"
      if (gr_has_ds(bk, "probes.data_density")) {
        stats gr_ds(bk, "probes.data_density") matrix using 3 nooutput
        pmax = STATS_max > 0 ? STATS_max : 1
        ngd = int(sqrt(STATS_records))
        # matrix: $2 the row i (first coordinate), $1 the column j (second)
        cmd = cmd . sprintf(", '%s' matrix using (x0 + $2 * (x1 - x0) / (ngd - 1)):(y0 + $1 * (y1 - y0) / (ngd - 1)):(sqrt($3 / pmax)) with image", gr_ds(bk, "probes.data_density"))
      }
      if (msg eq "") {
        sf = gr_ds(k, last_snap(k))
        stats sf using 1 nooutput
        n_s = STATS_records
        stats sf using ((($1 < vx0 || $1 > vx1 || $2 < vy0 || $2 > vy1) ? 1 : 0)) nooutput
        n_out = STATS_sum
        cmd = cmd . sprintf(", '%s' using 1:2 with points pt 7 ps 0.08 * gr_fscale lc rgb '#40D55E00'", sf)
        w1 = tc_metric(k, "final_w1")
        fl = tc_metric(k, "final_w1_floor")
        mc = tc_metric(k, "final_modes_captured")
        nm = tc_metric(k, "n_modes")
        hq = tc_metric(k, "final_hq_fraction")
        ann = sprintf("W_1 %.2f {/*0.85 (floor %.2f)}", w1, fl)
        if (mc == mc && nm == nm) { ann = ann . sprintf("\n%d/%d modes, HQ %.0f %%", int(mc), int(nm), 100 * hq) }
        set label 11 ann at screen cx(c), screen ry(r) - 0.66 / gr_height_cm left front font "".gr_fs(5.5) enhanced
        tag = sprintf("step %s", last_snap(k)[14:])
        if (run_seed[k] != run_seed[1]) { tag = tag . sprintf(", seed %d", run_seed[k]) }
        if (n_out > 0) { tag = tag . (100.0 * n_out / n_s < 0.5 ? ", < 1 % outside" : sprintf(", %.0f %% outside", 100.0 * n_out / n_s)) }
        set label 12 tag at graph 0.03, graph 0.05 left front font "".gr_fs(4.5) tc rgb '#444444' noenhanced
      } else {
        set label 11 msg at graph 0.5, graph 0.5 center front font "".gr_fs(6) tc rgb '#D55E00' noenhanced
      }
      eval cmd
      unset label 11
      unset label 12
      set datafile columnheaders
    } else {
      set xrange [0:1]
      set yrange [0:1]
      set format x ""
      set format y ""
      set label 11 (msg ne "" ? msg : "no data box") at graph 0.5, graph 0.5 center front font "".gr_fs(6) tc rgb '#D55E00' noenhanced
      plot 1/0 notitle
      unset label 11
    }
    # the labels above are drawn once (by the first panel)
    do for [q = 1:n_cols] { unset label (100 + q) }
    do for [q = 1:n_rows] { unset label (200 + q) }
    unset label 20
    unset label 900
  }
}
unset multiplot
