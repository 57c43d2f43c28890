# plots/mnist_grid.gp — a reusable piece for the MNIST experiments' scripts: draws, in the
# current plot area (a multiplot panel or the whole canvas), an mg_n x mg_n grid of
# generated digits from a sample snapshot that the train protocol writes for MNIST
# (run_K.samples.step_<k>: one 28 x 28 image per row, 784 pixels in row-major order, pixel
# scale [0, 1] or [-1, 1] as data.pixels says; docs/RESULTS.md, train). Grey scale, white
# digits on black as in the papers' grids; a thin gap between the digits.
#   mg_file = gr_ds(k, "samples.step_5000")   # required: the snapshot's exported file
#   mg_n = 8                                  # optional: digits per side (default 8)
#   mg_title = "gan_ns, step 5000"            # optional: the panel's title
#   load plotsdir.'/mnist_grid.gp'
# Needs style.gp loaded. Fewer rows than mg_n^2 leave the last cells empty; a file that is
# missing or not 784 columns wide prints "no MNIST samples" in the panel instead.
if (!exists("mg_n")) { mg_n = 8 }
if (!exists("mg_title")) { mg_title = "" }
set datafile nocolumnheaders
mg_rows = 0
mg_cols = 0
if (exists("mg_file") && strlen(system("test -s '" . mg_file . "' && echo y")) > 0) {
  set autoscale xy
  stats mg_file every ::0::0 using 1 nooutput
  mg_cols = STATS_columns
  stats mg_file using 1 nooutput
  mg_rows = STATS_records
}
set title mg_title font "".gr_fs(6) offset 0, -0.6 noenhanced
set size ratio -1
unset key
unset grid
unset colorbox
unset xtics
unset ytics
unset mxtics
unset mytics
set border 0
if (mg_cols == 784 && mg_rows > 0) {
  stats mg_file matrix using 3 nooutput
  mg_lo = STATS_min < -0.01 ? -1 : 0
  set palette gray
  set cbrange [mg_lo:1]
  mg_m = mg_rows < mg_n * mg_n ? mg_rows : mg_n * mg_n
  set xrange [-0.5:mg_n * 29 - 1.5]
  set yrange [-(mg_n * 29 - 1.5):0.5]
  set object 901 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb '#000000' fs solid 1.0 noborder
  # image r (0-based) in cell (r % mg_n, r / mg_n); its pixel c at (c % 28, c / 28)
  # (`with image` needs scan lines; a pixel is a filled box instead)
  set style fill solid 1.0 noborder
  plot mg_file matrix every ::0:0:783:mg_m - 1 using ((int($2) % mg_n) * 29 + int($1) % 28):(-(int($2 / mg_n) * 29 + int(int($1) / 28))):(0.52):(0.52):3 with boxxyerror fc palette
  set style fill transparent solid 0.25 noborder
  unset object 901
} else {
  set xrange [0:1]
  set yrange [0:1]
  set label 902 "no MNIST samples" at graph 0.5, graph 0.5 center tc rgb '#D55E00' font "".gr_fs(6)
  plot 1/0 notitle
  unset label 902
}
set border 3
set size noratio
set autoscale xy
set datafile columnheaders
