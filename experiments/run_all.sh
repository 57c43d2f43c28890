#!/bin/sh
# Called by `make experiments`:
#   experiments/run_all.sh BUILD/ganrepro [ci|quick|full]
# Refuses a profile other than ci, quick or full (exit 2). Then, for the experiments
# declared in experiments/*.cfg: with none declared it says so, prints the version it
# built and exits 0; with some declared it checks each file (`ganrepro list`, which reads
# every profile strictly: a malformed file is exit 2 with its FILE:LINE message), prints
# them, and exits 1, since executing the runs (`ganrepro run` without --dry-run; then
# plots, tables and one verdict per claim) is not part of this build yet.
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: experiments/run_all.sh BUILD/ganrepro [ci|quick|full]" >&2
  exit 2
fi
bin=$1
profile=${2-quick} # given but empty is refused below
case "$profile" in
  ci | quick | full) ;;
  *)
    echo "experiments: unknown profile '$profile': expected ci, quick or full" >&2
    exit 2
    ;;
esac
if [ ! -x "$bin" ]; then
  echo "experiments: $bin is not an executable (build first: make build)" >&2
  exit 2
fi
case "$bin" in
  /*) ;;
  *) bin=$PWD/$bin ;;
esac
cd "$(dirname "$0")/.."
set -- experiments/*.cfg
if [ ! -e "$1" ]; then
  echo "experiments: no experiments are declared yet (no experiments/*.cfg file), nothing to run;"
  echo "experiments: built $("$bin" --version)"
  exit 0
fi
"$bin" list --dir experiments || exit 2
echo "experiments: executing the runs is not part of this build yet ('ganrepro run' has only --dry-run)" >&2
exit 1
