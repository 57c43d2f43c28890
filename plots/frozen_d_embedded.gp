# plots/frozen_d_embedded.gp — the C46 panels for experiments/frozen_d_embedded.cfg: 8
# Gaussians embedded in R^D, a fresh D against a frozen G; D's error and both generator
# gradients' norms against D's steps, without (left) and with (right) off-manifold noise
# tau, one curve per ambient dimension D (and G checkpoint when swept). The drawing is
# plots/frozen_d_curves.gp. Edit freely.
fd_title = "Embedded manifolds: D error and G-gradient norms"
fd_leg_set = 1
fd_leg(g) = "D = " . gr_gval(g, "data.dim") . (gr_gval(g, "frozen.g_steps") ne "" ? ", G " . gr_gval(g, "frozen.g_steps") . " steps" : "")
fd_split = "data.tau"   # two columns when tau is swept
fd_col(g) = (fd_ncol == 2 && real(gr_gval(g, "data.tau")) > 0) ? 2 : 1
fd_coltitle(c) = c == 1 ? "τ = 0 (no noise)" : "τ > 0 (off-manifold noise)"
load plotsdir.'/frozen_d_curves.gp'
