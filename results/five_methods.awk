# results/five_methods.awk — the README's five-method table (issue 18 item 2), rendered
# from the committed per-run snapshot results/readme/toy_train.PROFILE.csv that
# results/make_readme.sh writes from results/toy_train.h5 (`make readme PROFILE=P`).
#
#   awk -f results/five_methods.awk results/readme/toy_train.quick.csv
#
# prints the Markdown block README.md holds between its five-methods markers (so
# tests/cli/readme_generated.sh can compare the two). Input: a CSV with a header naming
# the columns experiment, profile, commit, seed, status, method, steps, n_modes,
# final_w1, final_w1_floor, final_modes_captured, final_hq_fraction, final_reverse_kl
# (read by name; plain fields, no quoting), one row per run. Per method, in the order of
# first appearance: how many runs ended ok / diverged / failed, and over the runs that
# ended ok the mean ± sample standard deviation (n - 1) of each metric, like
# `ganrepro table`. A reverse KL of +inf (a mode with no sample) is counted, not
# averaged: "+inf in k of n" and the finite ones' mean. Numbers: 3 significant digits
# for means, 2 for deviations. Exit 1 (with a message on stderr) on a malformed snapshot.
BEGIN { FS = "," }
function die(msg) { print "five_methods: " FILENAME ": " msg > "/dev/stderr"; bad = 1; exit 1 }
function num(v) { return v + 0 }
function isinf(v) { return v == "inf" || v == "+inf" }
function fmt(x, d,    s) {
    if (x == 0) return "0"
    s = sprintf("%." d "g", x)
    return s
}
# "m ± s" over the finite values of one method's column (scale: 100 for percentages)
function stat(m, c, scale,    i, n, k, sum, ss, x, mean, out, v) {
    n = 0; k = 0; sum = 0
    for (i = 1; i <= nrun[m]; i++) {
        x = val[m, i, c]
        if (x == "" || x == "nan") continue
        if (isinf(x)) { k++; continue }
        n++; sum += num(x) * scale; v[n] = num(x) * scale
    }
    if (n == 0) return (k > 0 ? "+inf in " k " of " k : "—")
    mean = sum / n
    ss = 0
    for (i = 1; i <= n; i++) ss += (v[i] - mean) * (v[i] - mean)
    out = fmt(mean, 3) (n > 1 ? " ± " fmt(sqrt(ss / (n - 1)), 2) : "")
    if (k > 0) out = "+inf in " k " of " (n + k) " (the other " n ": " out ")"
    return out
}
NR == 1 {
    ncol = NF
    for (i = 1; i <= NF; i++) col[$i] = i
    split("experiment profile commit seed status method steps n_modes final_w1 final_w1_floor final_modes_captured final_hq_fraction final_reverse_kl", need, " ")
    for (i in need) if (!(need[i] in col)) die("no column " need[i])
    next
}
{
    if (NF != ncol) die("line " NR ": " NF " fields, the header has " ncol)
    m = $col["method"]
    if (!(m in nrun)) { order[++nm] = m; nrun[m] = 0; nok[m] = 0; ndiv[m] = 0; nfail[m] = 0 }
    st = $col["status"]
    if (st == "ok") {
        nok[m]++
        nrun[m]++
        for (c in col) val[m, nrun[m], c] = $col[c]
    } else if (st == "diverged") ndiv[m]++
    else if (st == "failed") nfail[m]++
    else die("line " NR ": status '" st "'")
    if (xname == "") { xname = $col["experiment"]; prof = $col["profile"]; commit = $col["commit"]; steps = $col["steps"]; modes = $col["n_modes"] }
    else if ($col["experiment"] != xname || $col["profile"] != prof || $col["commit"] != commit)
        die("line " NR ": rows of two results files (" xname "/" prof "/" commit ", " $col["experiment"] "/" $col["profile"] "/" $col["commit"] ")")
    seeds[$col["seed"]] = 1
}
END {
    if (bad) exit 1
    if (nm == 0) die("no run")
    ns = 0
    for (s in seeds) ns++
    name["gan_mm"] = "GAN, minimax loss"
    name["gan_ns"] = "GAN, −log D loss"
    name["gan_in"] = "GAN + instance noise"
    name["wgan_clip"] = "WGAN, weight clipping"
    name["wgan_gp"] = "WGAN-GP"
    printf "The five methods on 8 Gaussians (`%s`, profile %s, commit %s): %d seeds each, %s steps; ", xname, prof, commit, ns, steps
    printf "mean ± standard deviation over the runs that ended ok, measured at the last step. "
    printf "Exact W1: the network-simplex W1 between a generator sample and a data sample; W1 floor: the W1 between two data samples of that size, what a perfect generator would score. "
    printf "Modes, HQ and reverse KL are the C45 mode metric: a sample is high quality (HQ) within 3 SDs of its nearest mode, a mode (of the %s) is captured when at least one HQ sample is nearest to it, and reverse KL is KL(HQ mode histogram ‖ uniform), +inf when no sample is HQ.\n", modes
    print ""
    print "| Method | Runs ok / diverged / failed | Exact W1 | W1 floor | Modes (of " modes ") | HQ % | Reverse KL |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= nm; i++) {
        m = order[i]
        printf "| %s (`%s`) | %d / %d / %d | %s | %s | %s | %s | %s |\n", (m in name ? name[m] : m), m, \
            nok[m], ndiv[m], nfail[m], stat(m, "final_w1", 1), stat(m, "final_w1_floor", 1), \
            stat(m, "final_modes_captured", 1), stat(m, "final_hq_fraction", 100), stat(m, "final_reverse_kl", 1)
    }
}
