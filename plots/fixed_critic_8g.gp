# plots/fixed_critic_8g.gp — WGAN-GP Figure 1(a) for experiments/fixed_critic_8g.cfg
# (CLAIMS C31, C32, C34): the value surfaces of clipped (c = 0.1, 0.01, 0.001) and
# gradient-penalty critics trained against data + N(0, I) on the 8 Gaussians, real samples over
# them. The drawing is plots/fixed_critic_surface.gp (shared with the other toys). Edit freely.
fc_data = "8 Gaussians"
load plotsdir.'/fixed_critic_surface.gp'
