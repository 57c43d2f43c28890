#!/usr/bin/env python3
"""Reference values for the kNN estimators on data with ties (tests/distance/test_knn.c).

Run once with /usr/bin/python3 (SciPy); the numbers it prints are pasted into the test with
this script named as their source. The suite itself never runs Python.

1. Rounded Gaussians: X = h * round(Z / h), Z ~ N(mu, 1), is a discrete law on the grid
   h * Z with masses P(k h) = Phi(k h + h/2 - mu) - Phi(k h - h/2 - mu). JS and KL between
   two such laws are finite sums over the atoms (|k h| <= 40 carries all the mass in double
   precision). The test recomputes these sums in C with GSL's gsl_cdf_ugaussian_P; this
   script is the cross-check.
2. ReLU Gaussians: X = max(0, Z), Z ~ N(mu, 1): an atom at 0 of mass Phi(-mu) plus the
   density phi(x - mu) on (0, inf). JS and KL are the atom term plus the integral of the
   density part (scipy.integrate.quad), the decomposition w.r.t. counting + Lebesgue measure.
"""
import numpy as np
from scipy import integrate
from scipy.stats import norm


def rounded_masses(mu, h):
    k = np.arange(-int(40 / h), int(40 / h) + 1)
    c = k * h
    # survival differences in the upper tail keep the small masses accurate
    return np.where(c >= mu, norm.sf(c - h / 2 - mu) - norm.sf(c + h / 2 - mu),
                    norm.cdf(c + h / 2 - mu) - norm.cdf(c - h / 2 - mu))


def js_kl_discrete(p, q):
    s = (p > 0) & (q > 0)
    m = 0.5 * (p + q)
    js = 0.5 * np.sum(p[s] * np.log(p[s] / m[s])) + 0.5 * np.sum(q[s] * np.log(q[s] / m[s]))
    kl = np.sum(p[s] * np.log(p[s] / q[s]))
    return js, kl


def relu_js_kl(mu):
    p0, q0 = norm.cdf(0.0), norm.cdf(-mu)
    m0 = 0.5 * (p0 + q0)
    js = 0.5 * p0 * np.log(p0 / m0) + 0.5 * q0 * np.log(q0 / m0)
    kl = p0 * np.log(p0 / q0)

    def fjs(x):  # log domain: log(p/m) = log 2 + lp - logaddexp(lp, lq)
        lp, lq = norm.logpdf(x), norm.logpdf(x - mu)
        lm = np.logaddexp(lp, lq) - np.log(2.0)
        return 0.5 * np.exp(lp) * (lp - lm) + 0.5 * np.exp(lq) * (lq - lm)

    def fkl(x):
        p = norm.pdf(x)
        return p * (norm.logpdf(x) - norm.logpdf(x - mu))

    js += integrate.quad(fjs, 0, 15, epsabs=1e-14, epsrel=1e-12)[0]
    kl += integrate.quad(fkl, 0, 15, epsabs=1e-14, epsrel=1e-12)[0]
    return js, kl


if __name__ == "__main__":
    for h in (0.5, 1.0):
        js, kl = js_kl_discrete(rounded_masses(0.0, h), rounded_masses(0.5, h))
        print(f"rounded N(0,1) vs N(0.5,1), grid {h}: JS = {js:.12f}  KL = {kl:.12f}")
    js, kl = relu_js_kl(0.5)
    print(f"ReLU N(0,1) vs ReLU N(0.5,1): JS = {js:.12f}  KL = {kl:.12f}")
