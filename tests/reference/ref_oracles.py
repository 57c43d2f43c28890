#!/usr/bin/python3
"""Reference values for tests/distance (run once by hand; the tests never need Python).

O3: JS(N(0,1), N(d,1)) = E_Z[log 2 - softplus(d Z - d^2/2)] with mpmath at 40 digits, and
C16: 2 d/dtheta JS(N(0,s^2), N(theta,s^2)) at s = 0.5 (mpmath numerical derivative).
Output (2026-11-21, mpmath 1.2.1):
  0.1 0.00124844009607066   0.5 0.030311300520839   1 0.111421482184736
  2 0.336830820346832       4 0.632720193736867     8 0.69305364548292
  C16 0.5 0.795945734366    1.0 0.899199018413      3.0 0.0249064784394
CLAIMS.md O3 quotes 0.6930536458 for d = 8 (3.2e-10 off) and C16 quotes 0.02490653 for
theta = 3 (5.2e-8 off); the other quoted values agree to all their digits.
"""
import mpmath as mp

mp.mp.dps = 40


def js(d):
    f = lambda z: mp.npdf(z) * (mp.log(2) - mp.log1p(mp.exp(d * z - d * d / 2)))
    return mp.quad(f, [-mp.inf, -10, 0, d / 2, d, mp.inf])


for d in [0.1, 0.5, 1, 2, 4, 8]:
    print(d, mp.nstr(js(mp.mpf(d)), 15))
s = mp.mpf("0.5")
for t in ["0.5", "1", "3"]:
    t = mp.mpf(t)
    print("C16", t, mp.nstr(2 * mp.diff(lambda th: js(th / s), t), 12))
