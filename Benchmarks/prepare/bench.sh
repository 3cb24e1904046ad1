#!/usr/bin/env bash
# `verso prepare` on one big plain-text file: does memory stay flat as the input grows?
# Run through `Benchmarks/run prepare` (builds release verso, sets VERSO_BIN, VERSO_BENCH_DIR…).
#
# Inputs: French text from the shared corpus, one paragraph per line, made by make_inputs.py
# (`text --size 20M` and `--size 200M`; cached in $VERSO_BENCH_DIR).
# For each size, in the same run:
#   verso prepare (built-in glossary, XLIFF 1.2, --quiet: no repetition counting),
#   verso prepare --report (counts repetitions: keeps 8 bytes per distinct segment),
#   verso prepare --xliff 2.1 (same pipeline, the XLIFF 2 writer),
#   xmllint --stream over the XLIFF verso wrote (the libxml2 floor for reading it back),
#   translate-toolkit txt2po + po2xliff, the peer route from text to XLIFF (20M only: it holds
#   the whole document in memory).
# Prints wall time, user CPU, throughput and peak RSS, RSS per MB of input, and the ratio of
# peak RSS at 200 MB to peak RSS at 20 MB (1.0 = perfectly flat). Wall times depend on what else
# runs on the machine; user CPU is the steadier figure.
# Measured 2026-11 (2 shared cores): 20 MB → 2.9 s user, 44 MB peak; 200 MB → 27 s user, 55 MB
# peak (0.28 MB per MB of input). The pipeline itself is flat (200 MB with --no-segment
# --no-terms: the same peak as 20 MB before the XLIFF writers began keeping a 64-bit fingerprint
# per unit id); what grows is those fingerprints, about 20 bytes per unit.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
sizes=${VERSO_BENCH_SIZES:-"20M 200M"}
work="$VERSO_BENCH_DIR/prepare-work"
rm -rf "$work" && mkdir -p "$work"

input_for() { # size -> path of the generated text (made once)
  local f="$VERSO_BENCH_DIR/text-fr-$1.txt"
  if [ ! -f "$f" ]; then
    python3 "$VERSO_SHARED/data/perf/make_inputs.py" --corpus "$VERSO_SHARED/data/corpus/fr.txt.gz" \
      text --size "$1" --out "$f.part" >&2 && mv "$f.part" "$f"
  fi
  echo "$f"
}

# Runs a command; prints "wall user maxrss_kb" (peak RSS of the largest child, via getrusage).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
if rc != 0:
    sys.exit(f"command failed ({rc}): {' '.join(sys.argv[1:])}")
print(f"{wall:.2f} {ru.ru_utime:.2f} {ru.ru_maxrss}")
PY
}

# The same for a shell pipeline (several processes: the largest RSS is reported).
measure_sh() { measure bash -c "$1"; }

mb() { awk -v b="$(stat -L -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

printf '%-34s %8s %8s %9s %9s %10s\n' "run" "wall s" "user s" "MB/s" "peak MB" "MB per MB"
row() { # label input-MB wall user rss-kb
  awk -v l="$1" -v m="$2" -v w="$3" -v u="$4" -v r="$5" 'BEGIN {
    printf "%-34s %8.2f %8.2f %9.1f %9.1f %10.3f\n", l, w, u, m / w, r / 1024, (r / 1024) / m }'
}

declare -A rss rss21
for size in $sizes; do
  input=$(input_for "$size")
  size_mb=$(mb "$input")
  out="$work/out-$size"
  read -r w u r < <(measure "$VERSO_BIN" prepare "$input" --source fr --target en -o "$out" --quiet)
  row "verso prepare $size" "$size_mb" "$w" "$u" "$r"
  rss[$size]=$r
  verso_wall=$w
  xliff="$out/$(basename "$input").xlf"
  read -r w u r < <(measure "$VERSO_BIN" prepare "$input" --source fr --target en -o "$out-report" --quiet --report "$work/report-$size.json")
  row "verso prepare --report $size" "$size_mb" "$w" "$u" "$r"
  read -r w u r < <(measure "$VERSO_BIN" prepare "$input" --source fr --target en -o "$out-21" --quiet --xliff 2.1)
  row "verso prepare --xliff 2.1 $size" "$size_mb" "$w" "$u" "$r"
  rss21[$size]=$r
  read -r w u r < <(measure xmllint --stream --noout "$xliff")
  row "xmllint --stream on its XLIFF" "$(mb "$xliff")" "$w" "$u" "$r"
  echo "  verso prepare / xmllint --stream over the output: $(awk -v a="$verso_wall" -v b="$w" 'BEGIN { printf "%.1fx", a / b }') the time"
  if [ "$size" = "20M" ] && command -v txt2po >/dev/null && command -v po2xliff >/dev/null; then
    read -r w u r < <(measure_sh "txt2po --progress=none '$input' '$work/tt.po' && po2xliff --progress=none '$work/tt.po' '$work/tt.xlf'")
    row "translate-toolkit txt2po+po2xliff" "$size_mb" "$w" "$u" "$r"
    echo "  translate-toolkit / verso: $(awk -v a="$w" -v b="$verso_wall" 'BEGIN { printf "%.1fx", a / b }') the time, $(awk -v a="$r" -v b="${rss[$size]}" 'BEGIN { printf "%.1fx", a / b }') the peak memory"
  fi
  rm -rf "$out" "$out-report" "$out-21"
done

set -- $sizes
if [ $# -ge 2 ]; then
  first=$1; last=${!#}
  echo "flatness, peak RSS at $last / at $first (1.00 = flat): XLIFF 1.2 $(awk -v a="${rss[$last]}" -v b="${rss[$first]}" 'BEGIN { printf "%.2f", a / b }'), XLIFF 2.1 $(awk -v a="${rss21[$last]}" -v b="${rss21[$first]}" 'BEGIN { printf "%.2f", a / b }')"
fi
