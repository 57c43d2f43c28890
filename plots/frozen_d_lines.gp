# plots/frozen_d_lines.gp — A&B Figures 1-3 on the parallel lines, for
# experiments/frozen_d_lines.cfg (CLAIMS C07, C10, C13): the exact affine G frozen at each
# theta; a fresh D against it: its error and both generator gradients' norms against D's
# steps (log scales; one curve per theta, mean +- std over seeds). The drawing is
# plots/frozen_d_curves.gp. Edit freely.
fd_title = "Frozen G (parallel lines): D error and G-gradient norms"
fd_leg_set = 1
fd_leg(g) = "θ = " . gr_gval(g, "data.theta")
load plotsdir.'/frozen_d_curves.gp'
