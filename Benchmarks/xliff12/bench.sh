#!/usr/bin/env bash
# XLIFF 1.2 streaming: `verso convert` reading and rewriting a big XLIFF 1.2 file (1.2 → 1.2 and
# 1.2 → 2.1) against `xmllint --stream --noout` parsing the same file, in the same run.
# Run through `Benchmarks/run xliff12` (builds release verso, sets VERSO_BIN, VERSO_BENCH_DIR…).
#
# Input: make_inputs.py's XLIFF 1.2 (200 units per <file>, codes, notes, states), generated once
# into $VERSO_BENCH_DIR (outside the repository). Size: VERSO_BENCH_XLIFF12_SIZE (default 1G;
# 100M for a quick run). Each tool runs VERSO_BENCH_RUNS times (default 1: CPU is scarce); the
# best wall time and the best CPU time (user + system) are kept. Prints both with their ratios
# to xmllint (goal: ≤ 2×) and peak memory (max RSS from /usr/bin/time -v; goal: < 100 MB
# whatever the size). verso reads big inputs on a second thread while it writes, so its wall
# time can be below its CPU time; xmllint uses one core.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
size=${VERSO_BENCH_XLIFF12_SIZE:-1G}
runs=${VERSO_BENCH_RUNS:-1}
input="$VERSO_BENCH_DIR/xliff12-$size.xlf"
if [ ! -f "$input" ]; then
  python3 "$VERSO_SHARED/data/perf/make_inputs.py" --corpus "$VERSO_SHARED/data/corpus/fr.txt.gz" \
    xliff --version 1.2 --size "$size" --units-per-file 200 --out "$input" >&2
fi
out="$VERSO_BENCH_DIR/xliff12-out"
mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log"; rm -rf "$out"' EXIT

# measure NAME CMD...: best wall seconds, best CPU seconds and max RSS (KB) over $runs runs.
best_s="" best_cpu="" best_kb=0
measure() {
  best_s="" best_cpu="" best_kb=0
  for _ in $(seq "$runs"); do
    # Each run writes a new file: replacing the previous run's 1 GB output would add the
    # kernel's freeing of it to the time (xmllint writes nothing).
    if [ -n "${clean:-}" ]; then rm -f "$clean"; sync; fi
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }
    local wall cpu kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    if [ -z "$best_s" ] || awk -v a="$wall" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then best_s=$wall; fi
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN{exit !(a<b)}'; then best_cpu=$cpu; fi
    if [ "$kb" -gt "$best_kb" ]; then best_kb=$kb; fi
  done
}

bytes=$(stat -c %s "$input")
units=$(grep -c '<trans-unit ' "$input" || true)
echo "input: $input ($((bytes / 1048576)) MiB, $units trans-units)"
printf '%-30s %8s %7s %8s %7s %10s\n' "run" "wall (s)" "ratio" "cpu (s)" "ratio" "peak RSS"

measure xmllint --stream --noout "$input"
base=$best_s base_cpu=$best_cpu
printf '%-30s %8.2f %7s %8.2f %7s %7d MB\n' "xmllint --stream --noout" "$base" "1.00×" "$base_cpu" "1.00×" $((best_kb / 1024))

for target in xliff1.2 xliff2.1; do
  clean="$out/out-$target.xlf" measure "$VERSO_BIN" convert "$input" --to "$target" -o "$out/out-$target.xlf" --quiet
  ratio=$(awk -v a="$best_s" -v b="$base" 'BEGIN{printf "%.2f×", a/b}')
  cpu_ratio=$(awk -v a="$best_cpu" -v b="$base_cpu" 'BEGIN{printf "%.2f×", a/b}')
  printf '%-30s %8.2f %7s %8.2f %7s %7d MB\n' "verso convert 1.2 → ${target#xliff}" "$best_s" "$ratio" "$best_cpu" "$cpu_ratio" $((best_kb / 1024))
  rm -f "$out/out-$target.xlf"
done
echo "goal: reading and rewriting (1.2 → 1.2) within 2× of xmllint in wall time, peak RSS < 100 MB; 1.2 → 2.1 also moves data between versions (adapter, XLIFF 2 <data> per code)"
