#!/usr/bin/python3
"""Reference values for test_gauss.c's 4-D check (run once by hand; the test embeds them).

KL(N(m1,S1) || N(m2,S2)) = 1/2 [tr(S2^-1 S1) + (m2-m1)' S2^-1 (m2-m1) - d + ln det S2/det S1]
and W2^2 = |m1-m2|^2 + tr(S1 + S2 - 2 (S2^1/2 S1 S2^1/2)^1/2), both evaluated with mpmath at
50 digits (matrix square roots by mpmath.sqrtm), and with NumPy/SciPy float64 as a second
opinion. The matrices are the exact decimals below, also written in test_gauss.c.

    /usr/bin/python3 tests/reference/gauss_nd_reference.py
"""
import mpmath as mp
import numpy as np
import scipy.linalg

mp.mp.dps = 50
m1 = ["0.3", "-1.2", "0.5", "2.0"]
m2 = ["1.1", "0.4", "-0.7", "1.5"]
S1 = [["2.0", "0.3", "-0.4", "0.1"], ["0.3", "1.5", "0.2", "-0.3"],
      ["-0.4", "0.2", "1.2", "0.25"], ["0.1", "-0.3", "0.25", "0.9"]]
S2 = [["1.1", "-0.2", "0.05", "0.3"], ["-0.2", "0.8", "0.1", "0.0"],
      ["0.05", "0.1", "1.7", "-0.45"], ["0.3", "0.0", "-0.45", "1.3"]]


def mpm(a):
    return mp.matrix([[mp.mpf(v) for v in r] for r in a])


M1, M2 = mp.matrix([mp.mpf(v) for v in m1]), mp.matrix([mp.mpf(v) for v in m2])
A, B = mpm(S1), mpm(S2)
d = 4
Bi = B ** -1
dm = M2 - M1
kl = (sum((Bi * A)[i, i] for i in range(d)) + (dm.T * Bi * dm)[0, 0] - d
      + mp.log(mp.det(B) / mp.det(A))) / 2
rB = mp.sqrtm(B)
cross = mp.sqrtm(rB * A * rB)
w2 = sum(dm[i] ** 2 for i in range(d)) + sum((A + B - 2 * cross)[i, i] for i in range(d))
print("KL   ", mp.nstr(kl, 17))
print("W2^2 ", mp.nstr(w2, 17))
# float64 second opinion
a, b = np.array(S1, float), np.array(S2, float)
x, y = np.array(m1, float), np.array(m2, float)
assert np.all(np.linalg.eigvalsh(a) > 0) and np.all(np.linalg.eigvalsh(b) > 0)
klf = 0.5 * (np.trace(np.linalg.solve(b, a)) + (y - x) @ np.linalg.solve(b, y - x) - d
             + np.linalg.slogdet(b)[1] - np.linalg.slogdet(a)[1])
rb = scipy.linalg.sqrtm(b)
w2f = np.sum((x - y) ** 2) + np.trace(a + b - 2 * scipy.linalg.sqrtm(rb @ a @ rb)).real
print("float64: KL %.17g  W2^2 %.17g" % (klf, w2f))
