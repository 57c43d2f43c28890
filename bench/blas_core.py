#!/usr/bin/python3
"""The OpenBLAS core the Python reference tools run on (bench/nn, bench/w1).

  /usr/bin/python3 bench/blas_core.py [torch] [numpy] [ot]

Imports the named modules (default: numpy, and torch if importable), finds the OpenBLAS
they loaded (Debian's NumPy, SciPy and PyTorch call libblas.so.3 = OpenBLAS) in
/proc/self/maps, and prints one line: "CORE | CONFIG", from openblas_get_corename() and
openblas_get_config() of that very library. OPENBLAS_CORETYPE is honoured as for any
process, so the run scripts call this with the same environment as the benchmarks."""
import ctypes
import importlib
import sys

mods = sys.argv[1:] or ["numpy", "torch"]
for m in mods:
    try:
        importlib.import_module(m)
    except ImportError:
        pass
with open("/proc/self/maps") as f:
    libs = sorted({ln.split()[-1] for ln in f if "libopenblas" in ln and ".so" in ln})
if not libs:
    print("(no OpenBLAS loaded by %s)" % ", ".join(mods))
    sys.exit(0)
lib = ctypes.CDLL(libs[0])
lib.openblas_get_corename.restype = ctypes.c_char_p
lib.openblas_get_config.restype = ctypes.c_char_p
print("%s | %s" % (lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()))
