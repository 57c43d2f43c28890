#!/usr/bin/python3
"""Reference values for tests/prob (run once by hand; the tests never need Python).

W1 between the 1-D mixture 0.2 N(-1.7, 0.3^2) + 0.5 N(0.4, 0.8^2) + 0.3 N(2.385, 0.5^2) and
N(0.2, 1.1^2), as int |F - G| dx with scipy.integrate.quad split at the three crossings of
F and G (found by brentq on a grid), and Phi(1.2) from scipy.stats.norm.
Output (2026-12-01, SciPy 1.10.1):
  crossings -2.1060478742346196 -0.4824449557900962 3.888165369334005
  W1 0.5675936231738646 (quad error estimate 7.2e-15)
  Phi(1.2) 0.8849303297782918
"""
import numpy as np
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.stats import norm

w = np.array([0.4, 1.0, 0.6]) / 2.0
mu = [-1.7, 0.4, 2.385]
sd = [0.3, 0.8, 0.5]


def F(x):
    return sum(w[i] * norm.cdf(x, mu[i], sd[i]) for i in range(3))


def G(x):
    return norm.cdf(x, 0.2, 1.1)


xs = np.linspace(-15, 15, 30001)
d = [F(x) - G(x) for x in xs]
roots = [brentq(lambda x: F(x) - G(x), xs[i], xs[i + 1], xtol=1e-15)
         for i in range(len(xs) - 1) if d[i] * d[i + 1] < 0]
pts = [-40.0] + roots + [40.0]
tot = err = 0.0
for a, b in zip(pts[:-1], pts[1:]):
    v, e = quad(lambda x: abs(F(x) - G(x)), a, b, limit=500, epsabs=1e-15, epsrel=1e-14)
    tot += v
    err += e
print("crossings", *roots)
print("W1", repr(tot), "(quad error estimate %.1e)" % err)
print("Phi(1.2)", repr(norm.cdf(1.2)))
