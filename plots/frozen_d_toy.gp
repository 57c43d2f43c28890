# plots/frozen_d_toy.gp — A&B Figures 1-3, the toy analogue, for experiments/frozen_d_toy.cfg
# (CLAIMS C09, C10, C13): generators trained 1, 10 and 25 epochs of the 25-Gaussian pool
# (frozen.g_steps generator iterations: 391, 3906, 9766 at quick and full; the legend
# gives the iterations)
# and frozen; a fresh D trained against each: its error, and both generator gradients'
# norms against D's steps (log scales; one curve per checkpoint, mean +- std over seeds).
# The drawing is plots/frozen_d_curves.gp. Edit freely.
fd_title = "Frozen G (toy): D error and G-gradient norms"
fd_leg_set = 1
fd_leg(g) = "G frozen after " . gr_gval(g, "frozen.g_steps") . " steps"
load plotsdir.'/frozen_d_curves.gp'
