# plots/optimal_d.gp — for experiments/optimal_d.cfg: D*, JS and the two generator gradients
# against theta; the drawing is plots/objective_curves.gp (shared). Edit freely.
# CLAIMS C01, C02: D* and V(D*) = -log 4 + 2 JS for N(0, 1) vs N(theta, gen_sd^2).
ob_title = "Optimal D and V(D*) = −log 4 + 2 JS"
load plotsdir.'/objective_curves.gp'
