# plots/style.gp — the look every figure shares; each plots/NAME.gp loads it first:
#     gr_height_cm = 12            # optional, before the load (default 6.5)
#     load plotsdir.'/style.gp'
# Variables it reads (set by `ganrepro plot` through gnuplot -e): fmt ("png", "pdf" or
# "svg"), outfile. It sets the terminal at single-column width (8.5 cm; gr_width_cm to
# change), a 8 pt sans font, and eight line types that stay apart in colour-blind vision
# and in greyscale: the Okabe-Ito palette ordered by lightness, each with its own dash
# pattern and point shape (lt 1 black solid circles, lt 2 vermillion dashed squares,
# lt 3 blue dotted triangles, ...). Bands over seeds use the line's colour, 75 %
# transparent. gr_note(s) prints a note ON the figure (missing data, failed runs).
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "figure.".fmt
if (!exists("gr_width_cm")) gr_width_cm = 8.5
if (!exists("gr_height_cm")) gr_height_cm = 6.5
gr_dpi = 300.0
# Font sizes in points go through gr_fs(pt) (", <size>"): the PNG is drawn at 300 dpi with
# fonts scaled by hand (cairo's fontscale option misplaces axis labels under fixed margins).
gr_fscale = (fmt eq "png") ? gr_dpi / 72 : 1.0
gr_fs(pt) = sprintf(",%.2f", pt * gr_fscale)
gr_font = "Helvetica" . gr_fs(8)
if (fmt eq "pdf") {
  eval sprintf("set terminal pdfcairo enhanced color size %.2fcm,%.2fcm font '%s' linewidth 1.5 rounded", gr_width_cm, gr_height_cm, gr_font)
} else {
  if (fmt eq "svg") {
    # svg sizes are in pixels at 72 dpi
    eval sprintf("set terminal svg enhanced size %d,%d font '%s' linewidth 1.5 rounded background '#ffffff'", int(gr_width_cm / 2.54 * 72), int(gr_height_cm / 2.54 * 72), gr_font)
  } else {
    # 300 dpi: the same picture as the PDF, scaled (cairo renders fonts at 72 dpi)
    eval sprintf("set terminal pngcairo enhanced color size %d,%d font '%s' linewidth %.3f rounded background '#ffffff'", int(gr_width_cm / 2.54 * gr_dpi), int(gr_height_cm / 2.54 * gr_dpi), gr_font, 1.5 * gr_dpi / 72)
  }
}
set output outfile
set encoding utf8
set datafile columnheaders
set datafile missing "nan"
set border 3 lw 0.8
set tics nomirror out scale 0.6
set mxtics 2
set mytics 2
set key top left samplen 2.2 spacing 1.0 noenhanced box lw 0.4 opaque font "".gr_fs(7)
set grid back lw 0.4 lc rgb "#dddddd"
# Okabe-Ito, by lightness; dash types and point types make the lines distinct without colour
set linetype 1 lc rgb "#000000" lw 1.2 dt solid pt 7 ps 0.45 * gr_fscale
set linetype 2 lc rgb "#D55E00" lw 1.2 dt (6, 3) pt 5 ps 0.5 * gr_fscale
set linetype 3 lc rgb "#0072B2" lw 1.2 dt (2, 2) pt 8 ps 0.8 * gr_fscale
set linetype 4 lc rgb "#009E73" lw 1.2 dt (8, 3, 2, 3) pt 13 ps 0.55 * gr_fscale
set linetype 5 lc rgb "#E69F00" lw 1.2 dt (3, 3) pt 11 ps 0.55 * gr_fscale
set linetype 6 lc rgb "#56B4E9" lw 1.2 dt (10, 4) pt 4 ps 0.45 * gr_fscale
set linetype 7 lc rgb "#CC79A7" lw 1.2 dt (1, 3) pt 6 ps 0.45 * gr_fscale
set linetype 8 lc rgb "#F0E442" lw 1.2 dt (5, 2, 1, 2) pt 8 ps 0.5 * gr_fscale
set style fill transparent solid 0.25 noborder
gr_color(i) = word("#000000 #D55E00 #0072B2 #009E73 #E69F00 #56B4E9 #CC79A7 #F0E442", (i - 1) % 8 + 1)
# Notes printed ON the figure (missing data, failed runs): append lines ending in "\n" to
# gr_notes; gr_nl(gr_notes) * gr_note_h is the height they need (screen units: leave it
# free at the bottom), and `eval gr_show_notes` puts them there (bottom left, vermillion).
gr_notes = ""
gr_nl(s) = strstrt(s, "\n") == 0 ? 0 : 1 + gr_nl(s[strstrt(s, "\n") + 1:])
gr_note_h = 0.3 / gr_height_cm
gr_show_notes = "if (strlen(gr_notes) > 0) set label 900 gr_notes[1:strlen(gr_notes) - 1] at screen 0.01, screen 0.004 + (gr_nl(gr_notes) - 0.25) * gr_note_h left front font '" . gr_fs(6) . "' tc rgb '#D55E00' noenhanced"
# Data files of the exported folder (docs/REPORTS.md): gr_run(k) every series of run k,
# gr_grp(g) setting g's mean/std over its ok seeds, gr_ds(k, "probes.surface") run k's
# dataset probes/surface (no header line: read it between `set datafile nocolumnheaders`
# and `set datafile columnheaders`), gr_has_ds(k, name) whether run k wrote it.
gr_run(k) = sprintf('%s/run_%d.dat', datadir, k)
gr_grp(g) = sprintf('%s/group_%d.dat', datadir, g)
gr_ds(k, name) = sprintf('%s/run_%d.%s.dat', datadir, k, name)
gr_has_ds(k, name) = strstrt(' ' . run_datasets[k] . ' ', ' ' . name . ' ') > 0
# the swept value of axis `name` (e.g. "method.clip") in setting g ("" if not swept)
gr_axis(name) = sum [a = 1:words(axis_names)] (word(axis_names, a) eq name ? a : 0)
gr_gval(g, name) = gr_axis(name) == 0 ? "" : group_value[(g - 1) * n_axes + gr_axis(name)]
# the first ok run of setting g (0: none)
gr_first_ok(g) = (gr_t = 0, sum [k = 1:n_runs] ((gr_t == 0 && run_group[k] == g && run_status[k] eq "ok") ? (gr_t = k, 0) : 0), gr_t)
# a sequential palette that stays monotone in lightness (greyscale, colour-blind): viridis
gr_viridis = "set palette defined (0 '#440154', 1 '#482878', 2 '#3E4A89', 3 '#31688E', 4 '#26828E', 5 '#1F9E89', 6 '#35B779', 7 '#6DCD59', 8 '#B4DE2C', 9 '#FDE725')"
