#!/usr/bin/env python3
"""Reference values for prob/kolmogorov.h (tests/prob/test_kolmogorov.c).

Run once with /usr/bin/python3 (SciPy 1.10.1 here); the numbers it prints are pasted into
the test with this script named as their source. The suite itself never runs Python.

1. The limiting Kolmogorov distribution: scipy.stats.kstwobign.sf(x) and .cdf(x) at a few
   points across both series' ranges and deep into the upper tail.
2. The one-sample KS test, asymptotic mode: scipy.stats.kstest(x, cdf, mode='asymp') on a
   fixed sample (printed, so the C test uses the same numbers): statistic D and p-value
   = kstwobign.sf(sqrt(n) D), against the standard Cauchy CDF and against N(0, 1).
"""
import numpy as np
from scipy import stats

np.set_printoptions(precision=17)
print("/* kstwobign: x, sf, cdf */")
for x in [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0]:
    print("{%r, %.17g, %.17g}," % (x, stats.kstwobign.sf(x), stats.kstwobign.cdf(x)))

rng = np.random.default_rng(20261201)
x = rng.standard_cauchy(50)
print("/* sample (50 standard Cauchy draws) */")
print(",".join("%.17g" % v for v in x))
r = stats.kstest(x, stats.cauchy.cdf, mode="asymp")
print("/* vs Cauchy(0,1): D, p */ %.17g, %.17g" % (r.statistic, r.pvalue))
r = stats.kstest(x, stats.cauchy(scale=3.0).cdf, mode="asymp")
print("/* vs Cauchy(0,3): D, p */ %.17g, %.17g" % (r.statistic, r.pvalue))
r = stats.kstest(x, stats.norm.cdf, mode="asymp")
print("/* vs N(0,1): D, p */ %.17g, %.17g" % (r.statistic, r.pvalue))
