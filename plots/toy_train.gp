# plots/toy_train.gp — experiments/toy_train.cfg (the five-method comparison on 8 Gaussians, CLAIMS C37):
# per method the generator's samples at the last snapshot over the data's density, then W1
# to the data and its noise floor against the step (log scale, mean +- std over seeds).
# The drawing is plots/toy_train_panels.gp. Edit freely.
tt_title = "Five methods on 8 Gaussians: samples and W_1"
load plotsdir.'/toy_train_panels.gp'
