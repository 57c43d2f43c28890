# plots/frozen_d_mnist.gp — A&B Figures 1-3 on MNIST (MLP nets), for
# experiments/frozen_d_mnist.cfg (CLAIMS C09, C10, C13): G trained with the non-saturating
# GAN for 1, 10 and 25 epochs (frozen.g_steps generator iterations; the legend gives them),
# then frozen; a fresh D trained against each: its error and both generator gradients'
# norms against D's steps (log scales; one curve per checkpoint, mean +- std over seeds).
# The drawing is plots/frozen_d_curves.gp. Edit freely.
fd_title = "Frozen G (MNIST): D error and G-gradient norms"
fd_leg_set = 1
fd_leg(g) = "G frozen after " . gr_gval(g, "frozen.g_steps") . " steps"
load plotsdir.'/frozen_d_curves.gp'
