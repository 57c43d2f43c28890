#!/bin/sh
# Called by `make experiments`:
#   experiments/run_all.sh BUILD/ganrepro [ci|quick|full]
# Refuses a profile other than ci, quick or full (exit 2). Then, for the experiments
# declared in experiments/*.cfg: with none declared it says so, prints the version it
# built and exits 0; otherwise it checks every file (`ganrepro list`, which reads every
# profile strictly: a malformed file is exit 2 with its FILE:LINE message) and runs each
# experiment at the profile (`ganrepro run FILE --profile P --out results`: complete runs
# are skipped, so a second call only finishes what is missing). Exit 0 when every run
# completed, 1 when some run failed (its results file records the reason), 2 on an error.
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
files=$("$bin" list --dir experiments --files) || exit 2
rc=0
for f in $files; do
  echo "experiments: $f (profile $profile)"
  "$bin" run "$f" --profile "$profile" --out results || {
    st=$?
    [ $st -eq 2 ] && exit 2
    rc=1
  }
done
if [ $rc -ne 0 ]; then
  echo "experiments: some runs failed (each results file records which and why)" >&2
fi
exit $rc
