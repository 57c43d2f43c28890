# plots/toy_train_swissroll.gp — experiments/toy_train_swissroll.cfg (the five-method comparison on the Swiss roll, CLAIMS C37):
# per method the generator's samples at the last snapshot over the data's density, then W1
# to the data and its noise floor against the step (log scale, mean +- std over seeds).
# The drawing is plots/toy_train_panels.gp. Edit freely.
tt_title = "Five methods on the Swiss roll: samples and W_1"
load plotsdir.'/toy_train_panels.gp'
