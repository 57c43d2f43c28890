#!/bin/sh
# bench/w1/run.sh — exact W1: ganrepro vs POT (see run.py for the protocol).
#   bench/w1/run.sh [BUILD_DIR] [run.py options...]   (BUILD_DIR defaults to ./build)
# Example, quick: bench/w1/run.sh build --sizes2 500,1000 --sizes784 500 --repeats 1
# Both sides run on the same OpenBLAS kernels (POT's NumPy calls the same Debian OpenBLAS):
# unless OPENBLAS_CORETYPE is set, it is exported as the core `BUILD_DIR/ganrepro --version`
# runs on (ganrepro's start-up check replaces OpenBLAS's generic fallbacks, see
# src/linalg/blas_core.h); the core of each side is printed first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build"}
[ $# -gt 0 ] && shift
bin="$build/bench/w1/w1_bench"
if [ ! -x "$bin" ]; then
    echo "run.sh: $bin not found; build first: cmake --build $build --target w1_bench" >&2
    exit 2
fi
if [ ! -x "$build/ganrepro" ]; then
    echo "run.sh: $build/ganrepro not found; build first: cmake --build $build" >&2
    exit 2
fi
ours=$("$build/ganrepro" --version | sed -n 's/^BLAS core: //p')
if [ -z "${OPENBLAS_CORETYPE+x}" ]; then
    OPENBLAS_CORETYPE=${ours%% *}
    export OPENBLAS_CORETYPE
fi
ours=$("$build/ganrepro" --version | sed -n 's/^BLAS core: //p')
pot=$(/usr/bin/python3 "$here/../blas_core.py" numpy ot | sed 's/ |.*//')
echo "# OpenBLAS core: ganrepro $ours; POT/NumPy $pot"
case "$ours" in
"$pot "*) ;;
*) echo "run.sh: warning: ganrepro and POT run on different OpenBLAS cores" >&2 ;;
esac
exec /usr/bin/python3 "$here/run.py" --bench "$bin" "$@"
