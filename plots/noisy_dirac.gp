# plots/noisy_dirac.gp — for experiments/noisy_dirac.cfg: D*, JS and the two generator gradients
# against theta; the drawing is plots/objective_curves.gp (shared). Edit freely.
# CLAIMS C15, C16: delta_0 vs delta_theta with instance noise: the minimax gradient equals
# 2 dJS/dtheta of the noisy laws (points: the finite difference the protocol wrote).
ob_title = "Noisy Dirac pair: the minimax gradient is 2∇JS"
ob_fd = 1
load plotsdir.'/objective_curves.gp'
