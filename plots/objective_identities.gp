# plots/objective_identities.gp — for experiments/objective_identities.cfg: D*, JS and the two generator gradients
# against theta; the drawing is plots/objective_curves.gp (shared). Edit freely.
# CLAIMS C02, C03, C11: the criterion identity, the minimax gradient saturating while the
# -log D one does not (log scale: they part by decades as theta grows).
ob_title = "N(0, 1) vs N(θ, 1): JS and the G-gradients"
load plotsdir.'/objective_curves.gp'
