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
  if (group_n_ok[g] == 0) { gr_notes = gr_notes . sprintf("no data for %s: no run ended ok\n", group_label[g]) }
}
if (n_series > n_show) gr_notes = gr_notes . sprintf("%d more series not drawn\n", n_series - n_show)
if (n_series == 0) gr_notes = gr_notes . "no run wrote a series: nothing to draw\n"
notes_room = gr_nl(gr_notes) * gr_note_h
any_ok = 0
do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { any_ok = 1 } }
bandclause(g, q) = sprintf(", '%s' using 'step':'%s_lo':'%s_hi' with filledcurves lc rgb '%s' notitle", grp(g), q, q, gr_color(g))
set key top right nobox noopaque font "".gr_fs(6)
set label 13 sprintf("%s (profile %s, %s)", experiment, profile, commit) at screen 0.5, screen 0.975 center noenhanced font "".gr_fs(7)
set multiplot layout (n_show > 0 ? n_show : 1), 1 margins 0.17, 0.97, 0.07 + notes_room, 0.95 spacing 0, 0.03
eval gr_show_notes
if (n_show == 0 || !any_ok) {
  set label 1 "no data" at graph 0.5, graph 0.5 center tc rgb '#D55E00'
  plot [0:1] [0:1] 1/0 notitle
} else {
  do for [k = 1:n_show] {
    q = word(series_names, k)
    set label 11 q at screen 0.03, graph 0.5 center rotate by 90 noenhanced font "".gr_fs(7)
    if (k == n_show) { set xtics format "%g"; set label 12 "step" at graph 0.5, screen 0.012 + notes_room center font "".gr_fs(7.5) } else { set xtics format "" }
    cmd = "plot 1/0 notitle"
    do for [g = 1:n_groups] { if (group_n_ok[g] > 1) { cmd = cmd . bandclause(g, q) } }
    do for [g = 1:n_groups] { if (group_n_ok[g] > 0) { cmd = cmd . sprintf(", '%s' using 'step':'%s_mean' with linespoints lt %d pi -1 title '%s'", grp(g), q, g, group_label[g]) } }
    eval cmd
    unset label 900
    unset label 13
  }
}
unset multiplot
