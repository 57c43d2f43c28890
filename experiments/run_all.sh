#!/bin/sh
# Called by `make experiments`:
#   experiments/run_all.sh BUILD/ganrepro [ci|quick|full]
# GR_JOBS=N (what `make experiments JOBS=N` sets) runs N runs of an experiment at once
# (`ganrepro run --jobs N`); unset, run's default: the number of online cores.
# Refuses a profile other than ci, quick or full (exit 2). Then, for the experiments
# declared in experiments/*.cfg: with none declared it says so, prints the version it
# built and exits 0; otherwise it checks every file (`ganrepro list`, which reads every
# profile strictly: a malformed file is exit 2 with its FILE:LINE message), obtains the
# MNIST classifier first when an experiment of the profile needs it (`ganrepro classifier`:
# its cache, or its training shown epoch by epoch and timed), and runs each
# experiment at the profile (`ganrepro run FILE --profile P --out results`: complete runs
# are skipped, so a second call only finishes what is missing), then, for every results
# file, draws its figure (`ganrepro plot`: plots/out/NAME.png and .pdf), writes its tables
# (`ganrepro table`: results/tables/NAME.tex, .md, .csv), then draws the figures of several
# experiments (`ganrepro plot --figure NAME` for every plots/NAME.gp naming its inputs:
# plots/out/toy_compare_samples.png, ...), and finally evaluates every
# declared criterion (`ganrepro verify`, all files at once: one line per criterion and
# per claim, results/tables/verdicts.{md,csv,tex}) and prints a summary (experiments,
# runs, failures, wall time per experiment and in total). It does everything it can
# before deciding the exit status: verify's (0 every criterion passed or was not tested
# in this profile, 1 one failed or did not run), raised to 1 when a run, a figure or a
# table failed, and 2 on an error (a malformed experiment file, a results file that
# cannot be read).
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
results=""
summary=""
t_all=$(date +%s)
# The MNIST classifier (issue 13 item 5): when an experiment of this profile scores MNIST
# images with it (protocol train, data.set mnist, eval.classifier true), `ganrepro classifier`
# loads its cache or trains it first, one line per epoch, and says how long it took; the
# runs then load the cache. A failure here (MNIST files missing: the message names the file
# and `make mnist`) is reported and counted; the runs that need it fail with the same reason.
pixels=""
for f in $files; do
  d=$("$bin" run "$f" --dry-run --declaration --profile "$profile") || exit 2
  case $d in *'protocol = "train";'*'set = "mnist";'*'classifier = true;'*) ;; *) continue ;; esac
  px=$(printf '%s\n' "$d" | sed -n 's/^  pixels = "\([a-z]*\)";$/\1/p' | head -1)
  case " $pixels " in *" ${px:-unit} "*) ;; *) pixels="$pixels ${px:-unit}" ;; esac
done
for px in $pixels; do
  echo "experiments: MNIST classifier (pixels $px)"
  t0=$(date +%s)
  if "$bin" classifier --pixels "$px"; then
    summary="$summary
experiments:   MNIST classifier (pixels $px): ready in $(($(date +%s) - t0)) s"
  else
    rc=1
    summary="$summary
experiments:   MNIST classifier (pixels $px): FAILED (see the message above)"
  fi
done
for f in $files; do
  echo "experiments: $f (profile $profile)"
  t0=$(date +%s)
  st=0
  out=$("$bin" run "$f" --profile "$profile" --out results ${GR_JOBS:+--jobs "$GR_JOBS"}) || st=$?
  [ $st -eq 2 ] && exit 2
  [ $st -ne 0 ] && rc=1
  t1=$(date +%s)
  for r in $out; do
    results="$results $r"
    summary="$summary
experiments:   $(basename "$r" .h5): $("$bin" table "$r" --format runs --stdout 2>/dev/null |
      awk -F, 'NR > 1 { n++; s[$4]++ } END { printf "%d runs, %d ok, %d diverged, %d failed", n, s["ok"], s["diverged"], s["failed"] }'), $((t1 - t0)) s"
  done
done
figures=""
for r in $results; do
  if png=$("$bin" plot "$r" | grep '\.png$'); then
    figures="$figures
experiments:   $(basename "$r" .h5): $png"
  else
    echo "experiments: no figure for $r (see the message above)" >&2
    rc=1
  fi
  "$bin" table "$r" --out results/tables || {
    st=$?
    [ $st -eq 2 ] && exit 2
    rc=1
  }
done
# Figures of several experiments (plots/NAME.gp with a "# figure inputs: EXP..." line,
# docs/REPORTS.md): drawn once from all the results files (`ganrepro plot --figure NAME`
# skips the files of other experiments and shows a missing input on the figure); a figure
# none of whose inputs ran is left out.
for s in plots/*.gp; do
  ins=$(sed -n 's/^# figure inputs://p' "$s")
  [ -n "$ins" ] || continue
  any=""
  for e in $ins; do
    for r in $results; do [ "$(basename "$r" .h5)" = "$e" ] && any=1; done
  done
  [ -n "$any" ] || continue
  # shellcheck disable=SC2086 # one word per results file
  if png=$("$bin" plot --figure "$(basename "$s" .gp)" $results | grep '\.png$'); then
    figures="$figures
experiments:   $(echo $ins | sed 's/ /, /g'): $png"
  else
    echo "experiments: no figure $(basename "$s" .gp) (see the message above)" >&2
    rc=1
  fi
done
vst=0
if [ -n "$results" ]; then
  # shellcheck disable=SC2086 # one word per results file
  "$bin" verify $results --out results/tables || vst=$?
fi
[ $vst -eq 2 ] && exit 2
# Each claim line of verify names its experiments; this list gives each experiment's figure
# (PNG; the PDF beside it), so every verdict printed above comes with its figure.
[ -n "$figures" ] && echo "experiments: figures of the verdicts above (PDF beside each PNG):$figures"
echo "experiments: summary (profile $profile):$summary"
echo "experiments: $(echo "$files" | wc -w) experiment(s) in $(($(date +%s) - t_all)) s; figures in plots/out/, tables and verdicts in results/tables/"
if [ $rc -ne 0 ]; then
  echo "experiments: some runs, figures or tables failed (each results file records which runs and why)" >&2
fi
[ $vst -ne 0 ] && exit $vst
exit $rc
