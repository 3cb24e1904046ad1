#!/usr/bin/env bash
# XLIFF 2 streaming: read and rewrite one big generated XLIFF 2.1 file with
# `verso convert FILE --to xliff2.1 -o OUT` (XLIFF2Reader → model → XLIFF2Writer, one unit at a
# time), against `xmllint --stream --noout` (libxml2's streaming parse alone, the floor) on the
# same file in the same run. Run through `Benchmarks/run xliff2` (builds release verso, sets
# VERSO_BIN, VERSO_SHARED, VERSO_BENCH_DIR).
#
# Prints, per tool, the median wall time and CPU time (user+sys) of VERSO_BENCH_RUNS runs
# (default 3) and the peak memory (max RSS), then the ratios. On a shared machine the CPU-time
# ratio is the steadier figure; both are printed.
#
#   VERSO_XLIFF2_SIZE   size of the generated file (default 1G; e.g. 100M for a quick run)
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
runs=${VERSO_BENCH_RUNS:-3}
size=${VERSO_XLIFF2_SIZE:-1G}
input="$VERSO_BENCH_DIR/xliff2-bench-$size.xlf"
if [ ! -f "$input.complete" ]; then
  rm -f "$input"
  python3 "$VERSO_SHARED/data/perf/make_inputs.py" --corpus "$VERSO_SHARED/data/corpus/fr.txt.gz" \
    xliff --version 2.1 --size "$size" --out "$input" >&2
  touch "$input.complete"
fi
work="$VERSO_BENCH_DIR/xliff2-work"
rm -rf "$work" && mkdir -p "$work"
units=$(grep -c '<unit ' "$input" || true)
echo "input: $input — $(du -h "$input" | cut -f1), $units units"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # label, command… ; prints "wall cpu rss" medians
  local label=$1; shift
  local walls=() cpus=() rss=0
  for r in $(seq "$runs"); do
    # Each run writes a new file: replacing the previous run's 1 GB output would add the
    # kernel's freeing of it to the time (xmllint writes nothing).
    if [ "$label" = verso ]; then rm -f "$work/out.xlf"; sync; fi
    /usr/bin/time -f '%e %U %S %M' -o "$work/$label-time" "$@" >"$work/$label-stdout" 2>"$work/$label-stderr" || {
      echo "$label failed:"; tail -5 "$work/$label-stderr"; exit 1; }
    read -r wall user sys max < "$work/$label-time"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)")
    if [ "$max" -gt "$rss" ]; then rss=$max; fi
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median) $rss"
}

read -r x_wall x_cpu x_rss <<< "$(measure xmllint xmllint --stream --noout "$input")"
rm -f "$work/out.xlf"
read -r v_wall v_cpu v_rss <<< "$(measure verso "$VERSO_BIN" convert "$input" --to xliff2.1 -o "$work/out.xlf")"

# The rewrite must be a faithful one: same number of units, and valid for verso itself.
out_units=$(grep -c '<unit ' "$work/out.xlf" || true)
[ "$out_units" = "$units" ] || { echo "rewrite lost units: $out_units of $units"; exit 1; }

printf '%-34s %9s %9s %12s\n' "" "wall (s)" "cpu (s)" "peak RSS"
printf '%-34s %9s %9s %9d MB\n' "xmllint --stream --noout" "$x_wall" "$x_cpu" "$((x_rss / 1024))"
printf '%-34s %9s %9s %9d MB\n' "verso convert --to xliff2.1" "$v_wall" "$v_cpu" "$((v_rss / 1024))"
echo "ratio verso/xmllint: wall $(echo "scale=2; $v_wall / $x_wall" | bc)x, cpu $(echo "scale=2; $v_cpu / $x_cpu" | bc)x; verso peak memory $((v_rss / 1024)) MB"
