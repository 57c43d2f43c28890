# plots/frozen_d_js.gp — experiments/frozen_d_js.cfg (CLAIMS C08, the discriminator part): a
# fresh D trained against the frozen exact G of the parallel lines at theta = 0.1, 0.5, 1:
# its error and both generator gradients' norms against D's steps (log scales, A&B Figs. 1-3
# style; one curve per theta, mean +- std over seeds). The judged number, the JS estimate
# 1/2 L(D) + log 2 on held-out points (metric js_estimate_d), is in the table, not here.
# The drawing is plots/frozen_d_curves.gp. Edit freely.
fd_title = "Frozen exact G (lines): D error and G-gradient norms"
fd_leg_set = 1
fd_leg(g) = "θ = " . gr_gval(g, "data.theta")
load plotsdir.'/frozen_d_curves.gp'
