# plots/toy_compare_modes.gp — mode coverage of the five methods on 8 and 25 Gaussians
# (CLAIMS C44, C45, C27; issue 17 item 3): per data set (rows) the modes captured and the
# high-quality fraction (samples within 3 SDs of a mode, in %) at the last step (columns),
# per method a bar at the mean over the seeds whose runs ended ok, an error bar from the
# smallest to the largest seed, each seed as a dot, and C44's targets as dashed lines
# (>= 7/8 and >= 23/25 modes, >= 80 % high quality); above each bar how many seeds reach
# the target (C44 asks for >= 4 of 5 seeds, for WGAN-GP).
# A figure of several experiments: `ganrepro plot --figure toy_compare_modes
# results/toy_train.h5 results/toy_train_25g.h5` (make experiments runs it); the line below
# names its inputs (docs/REPORTS.md).
# figure inputs: toy_train toy_train_25g
# Data, per input: summary.dat (final_modes_captured, n_modes, final_hq_fraction, ok) and
# meta.gp. A missing input, a method without an ok run and failed or diverged runs are said
# on the figure. The targets are C44's, written here (the criteria live in the experiment
# files: experiments/toy_train*.cfg). Edit freely.
load datadir.'/inputs.gp'
tc_dsname(e) = e eq "toy_train" ? "8 Gaussians" : (e eq "toy_train_25g" ? "25 Gaussians" : e)
tc_target_modes(e) = e eq "toy_train" ? 7 : (e eq "toy_train_25g" ? 23 : NaN)
tc_target_hq = 80.0
tc_meths = "gan_mm gan_ns gan_in wgan_clip wgan_gp"
tc_mshort(m) = m eq "gan_mm" ? "GAN-MM" : m eq "gan_ns" ? "GAN-NS" : m eq "gan_in" ? "GAN+noise" : m eq "wgan_clip" ? "WGAN-clip" : m eq "wgan_gp" ? "WGAN-GP" : m
n_m = words(tc_meths)
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
gr_width_cm = 12.0
top = 1.85
ph = 3.2       # panel height, cm
rowh = ph + 1.5
gr_height_cm = top + n_inputs * rowh + 0.1 + 0.3 * tc_nl(tc_notes)
load plotsdir.'/style.gp'
gr_notes = tc_notes
set label 20 sprintf("Mode coverage at the last step, five methods, all seeds\n{/*0.8 bar: mean, whiskers: min to max, dots: the seeds; dashed: the C44 target}\n{/*0.8 above the bars: seeds reaching it (%s profile, commit %s)}", tc_prof, tc_commit) at screen 0.5, screen 1 - 0.35 / gr_height_cm center font "".gr_fs(6.5)
px0 = 1.25 / gr_width_cm
pgap = 1.2 / gr_width_cm
pwid = (1 - px0 - pgap - 0.75 / gr_width_cm) / 2
ry(r) = 1 - (top + (r - 1) * rowh + ph) / gr_height_cm
# the bar (column) of setting g: its method's place in tc_meths (0: not one of the five)
tc_xof(g) = sum [c = 1:n_m] (word(tc_meths, c) eq gr_gval(int(g), "method") ? c : 0)
grp_of(m) = (gr_t = 0, sum [g = 1:n_groups] ((gr_t == 0 && gr_gval(g, "method") eq m) ? (gr_t = g, 0) : 0), gr_t)
set multiplot
eval gr_show_notes
unset key
set style fill solid 0.6 border lc rgb '#333333'
set boxwidth 0.62
set tics font "".gr_fs(5.5)
set ytics offset 0.4, 0
unset mxtics
set grid ytics back lw 0.4 lc rgb "#dddddd"
set xrange [0.4:n_m + 0.6]
set xtics () rotate by 30 right offset 0.3, 0.2 font "".gr_fs(5.5)
do for [c = 1:n_m] { set xtics add (tc_mshort(word(tc_meths, c)) c) }
set xtics scale 0
array bx[n_m]
array bmean[n_m]
array blo[n_m]
array bhi[n_m]
array bn[n_m]
array bhit[n_m]
array bbad[n_m]
do for [r = 1:n_inputs] {
  have = input_found[r]
  if (have) {
    datadir = input_dir[r]
    load datadir.'/meta.gp'
    sumf = datadir.'/summary.dat'
    tc_hdr = system(sprintf("head -n 1 '%s'", sumf))
  }
  do for [panel = 1:2] {
    col = panel == 1 ? "final_modes_captured" : "final_hq_fraction"
    scale = panel == 1 ? 1.0 : 100.0
    set lmargin at screen px0 + (panel - 1) * (pwid + pgap)
    set rmargin at screen px0 + (panel - 1) * (pwid + pgap) + pwid
    set bmargin at screen ry(r)
    set tmargin at screen ry(r) + ph / gr_height_cm
    set title sprintf("%s: %s", tc_dsname(input_name[r]), panel == 1 ? "modes captured" : "high quality, %") font "".gr_fs(6.5) offset 0, -0.6 noenhanced
    ok_col = have && strstrt(" ".tc_hdr." ", " ".col." ") > 0
    nmodes = NaN
    if (ok_col && strstrt(" ".tc_hdr." ", " n_modes ") > 0) {
      set autoscale xy
      stats sumf using (column("ok") == 1 && column("n_modes") == column("n_modes") ? 1 : 0) nooutput
      if (STATS_sum > 0) {
        stats sumf using (column("ok") == 1 ? column("n_modes") : NaN) nooutput
        nmodes = STATS_max
      }
      set xrange [0.4:n_m + 0.6]
    }
    tgt = panel == 1 ? tc_target_modes(input_name[r]) : tc_target_hq
    ymax = panel == 1 ? (nmodes == nmodes ? nmodes : (tgt == tgt ? tgt + 2 : 10)) : 100
    set yrange [0:ymax * 1.18]
    ystep = panel == 1 ? (ymax > 12 ? 5 : 2) : 20
    set ytics ystep
    set format y "%g"
    if (ok_col) {
      do for [c = 1:n_m] {
        m = word(tc_meths, c)
        g = grp_of(m)
        bx[c] = c; bmean[c] = NaN; blo[c] = NaN; bhi[c] = NaN; bn[c] = 0; bhit[c] = 0; bbad[c] = 0
        if (g > 0) {
          bbad[c] = group_n_failed[g] + group_n_diverged[g]
          set autoscale xy
          stats sumf using (column("group") == g && column("ok") == 1 && column(col) == column(col) ? 1 : 0) nooutput
          if (STATS_sum > 0) {
            stats sumf using (column("group") == g && column("ok") == 1 ? scale * column(col) : NaN) nooutput
            bmean[c] = STATS_mean; blo[c] = STATS_min; bhi[c] = STATS_max; bn[c] = STATS_records
            stats sumf using (column("group") == g && column("ok") == 1 && scale * column(col) >= tgt ? 1 : 0) nooutput
            bhit[c] = STATS_sum
          }
          set xrange [0.4:n_m + 0.6]
          set yrange [0:ymax * 1.18]
        }
        # above the bar: seeds at or above the target, of the method's runs
        if (g > 0 && bn[c] > 0) {
          set label (300 + c) sprintf("%d/%d", bhit[c], bn[c] + bbad[c]) at first c, first ymax * 1.09 center font "".gr_fs(5) tc rgb (m eq "wgan_gp" ? '#000000' : '#555555') noenhanced
        } else {
          set label (300 + c) (g == 0 ? "absent" : "no ok run") at first c, first ymax * 0.1 rotate by 90 left font "".gr_fs(5) tc rgb '#D55E00' noenhanced
        }
      }
      # the target, labelled at the right
      set arrow 1 from graph 0, first tgt to graph 1, first tgt nohead lw 0.9 dt (10, 6) lc rgb '#D55E00' front
      set label 11 (panel == 1 ? sprintf("%d", tgt) : sprintf("%.0f %%", tgt)) at graph 1.01, first tgt left font "".gr_fs(5) tc rgb '#D55E00'
      # the bars as a data block (a header line: style.gp reads column headers)
      set print $tc_bars
      print "x mean lo hi"
      do for [c = 1:n_m] { print sprintf("%d %.17g %.17g %.17g", c, bmean[c], blo[c], bhi[c]) }
      unset print
      plot $tc_bars using 1:2 with boxes lc rgb '#56B4E9' lw 0.5, \
           $tc_bars using 1:3:(0):($4 - $3) with vectors heads size screen 0.006, 90 lc rgb '#000000' lw 0.7 dt solid, \
           sumf using ((column("ok") == 1 && tc_xof(column("group")) > 0 ? tc_xof(column("group")) : NaN) + 0.07 * ((int(column("seed")) - 1) % 5 - 2)):(scale * column(col)) with points pt 7 ps 0.16 * gr_fscale lc rgb '#D55E00'
      unset arrow 1
      unset label 11
      do for [c = 1:n_m] { unset label (300 + c) }
    } else {
      set label 11 (have ? sprintf("no %s in the results", col) : "no results file") at graph 0.5, graph 0.5 center front font "".gr_fs(6) tc rgb '#D55E00' noenhanced
      plot 1/0 notitle
      unset label 11
    }
    unset label 20
    unset label 900
  }
}
unset multiplot
