# plots/generic.gp — the figure of an experiment that has no plots/NAME.gp yet: every
# series against the step, one panel each (at most 6; the others are named on the
# figure), the mean over the ok seeds of each setting as a line with a +-1 std band when
# there are several seeds. `ganrepro plot` uses it when plots/NAME.gp is missing; copy it
# to plots/NAME.gp and make it the experiment's real figure (axis units, log scales).
load datadir.'/meta.gp'
n_show = n_series < 6 ? n_series : 6
gr_height_cm = 2.6 + 3.2 * (n_show > 0 ? n_show : 1)
load plotsdir.'/style.gp'
grp(g) = sprintf('%s/group_%d.dat', datadir, g)
gr_notes = "generic figure: no plots/" . experiment . ".gp\n"
if (n_failed + n_diverged > 0) gr_notes = gr_notes . failed_note
do for [g = 1:n_groups] {
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("no data for %s: no run ended ok\n", group_short[g]) }
}
if (n_series > n_show) gr_notes = gr_notes . sprintf("%d more series not drawn\n", n_series - n_show)
if (n_series == 0) gr_notes = gr_notes . "no run wrote a series: nothing to draw\n"
any_ok = 0
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { any_ok = 1 } }
# finite values per shown series (gnuplot refuses a plot with none); the others are named
fin(x) = (x == x && abs(x) < 1e300) ? 1 : 0
array n_fin[n_show > 0 ? n_show : 1]
do for [k = 1:n_show] {
  n_fin[k] = 0
  n_bad = 0
  do for [g = 1:n_groups] {
    if (group_n_ok[g] > 0) {
      stats grp(g) using (fin(column(word(series_names, k) . "_mean"))) nooutput
      n_fin[k] = n_fin[k] + STATS_sum
      n_bad = n_bad + STATS_records - STATS_sum
    }
  }
  if (n_bad > 0) { gr_notes = gr_notes . sprintf("%s: %d non-finite values not drawn\n", word(series_names, k), int(n_bad)) }
}
notes_room = gr_nl(gr_notes) * gr_note_h
bandclause(g, q) = sprintf(", '%s' using 'step':'%s_lo':'%s_hi' with filledcurves lc rgb '%s' notitle", grp(g), q, q, gr_color(g))
set key top right nobox noopaque font "".gr_fs(5.5) samplen 1.2 spacing 0.8
set format y "%.3g"
if (n_groups > 6) { gr_notes = gr_notes . sprintf("%d settings: legend left out\n", n_groups) }
set label 13 sprintf("%s (profile %s, %s)", experiment, profile, commit) at screen 0.5, screen 0.975 center noenhanced font "".gr_fs(7)
set multiplot layout (n_show > 0 ? n_show : 1), 1 margins 0.23, 0.97, 0.07 + 1.15 * notes_room, 0.95 spacing 0, 0.03
eval gr_show_notes
if (n_show == 0 || !any_ok) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
} else {
  do for [k = 1:n_show] {
    q = word(series_names, k)
    set label 11 q at screen 0.025, graph 0.5 center rotate by 90 noenhanced font "".gr_fs(7)
    if (k == n_show) { set xtics format "%g"; set label 12 "step" at graph 0.5, screen 0.012 + 1.15 * notes_room center font "".gr_fs(7.5) } else { set xtics format "" }
    if (n_fin[k] == 0) {
      set label 14 "no finite value" at graph 0.5, graph 0.5 center tc rgb '#D55E00' font "".gr_fs(7)
      set yrange [0:1]
    } else {
      unset label 14
      set yrange [*:*]
    }
    if (k == 1 && n_groups <= 6) { set key } else { unset key }
    cmd = "plot 1/0 notitle"
    do for [g = 1:n_groups] { if (group_n_ok[g] > 1) { cmd = cmd . bandclause(g, q) } }
    do for [g = 1:n_groups] { if (group_n_ok[g] > 0 && n_fin[k] > 0) { cmd = cmd . sprintf(", '%s' using 'step':'%s_mean' with linespoints lt %d pi -1 title '%s'", grp(g), q, g, group_short[g]) } }
    eval cmd
    unset label 900
    unset label 13
  }
}
unset multiplot
