#!/usr/bin/env bash
# Terminology benchmark (run through `Benchmarks/run terms`):
#  1. recognition over 20 MB of French text with a 100,000-term glossary, case and accents
#     folded, against pip pyahocorasick doing the same folding, in the same run: throughput
#     ratio and peak memory of both processes;
#  2. single-term lookup latency (p50/p99) in a 1,000,000-term SQLite index, in the library.
# Inputs come from ../shared/data/perf/make_inputs.py and are cached in $VERSO_BENCH_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${VERSO_ROOT:-$(cd "$here/../.." && pwd)}
shared=${VERSO_SHARED:-$(cd "$root/.." && pwd)/shared}
out=${VERSO_BENCH_DIR:-/tmp/verso-bench}
verso=${VERSO_BIN:-$root/.build/release/verso}
mkdir -p "$out"
make_inputs="$shared/data/perf/make_inputs.py"
corpus="$shared/data/corpus/fr.txt.gz"

gen() { # file, make_inputs arguments…
  local file=$1; shift
  if [ ! -s "$file" ]; then
    echo "generating $(basename "$file")…"
    python3 "$make_inputs" --corpus "$corpus" "$@" --out "$file" 2>/dev/null
  fi
}
gen "$out/text-fr-20M.txt" text --size 20M
gen "$out/glossary-100000.tbx" glossary --terms 100000 --format tbx
gen "$out/glossary-1000000.csv" glossary --terms 1000000 --format csv

python3 -c "import ahocorasick" 2>/dev/null || { echo "pip install pyahocorasick first"; exit 1; }
[ -x "$verso" ] || (cd "$root" && swift build -c release --product verso >/dev/null)
echo "building terms-bench (release)…"
(cd "$here" && swift build -c release --product terms-bench >/dev/null)
bench="$here/.build/release/terms-bench"

value() { grep "^$1=" | head -1 | cut -d= -f2; }

echo
echo "--- index build (verso glossary index) ---"
for n in 100000 1000000; do
  src="$out/glossary-$n.tbx"; [ -s "$src" ] || src="$out/glossary-$n.csv"
  idx="$out/glossary-$n.sqlite"
  if [ ! -s "$idx" ] || [ "$src" -nt "$idx" ]; then
    /usr/bin/time -f "  %e s, peak %M KB" "$verso" glossary index "$src" -o "$idx"
  else
    echo "  $(basename "$idx") up to date"
  fi
done

echo
echo "--- recognition: 20 MB French text, 100,000 terms, folded case and accents ---"
py=$(python3 "$here/peer_pyahocorasick.py" "$out/glossary-100000.tbx" "$out/text-fr-20M.txt" fr)
vi=$("$bench" recognize --store "$out/glossary-100000.sqlite" --text "$out/text-fr-20M.txt" --language fr)
vt=$("$bench" recognize --store "$out/glossary-100000.tbx" --text "$out/text-fr-20M.txt" --language fr)
row() { # label, key=value output, setup seconds
  printf "  %-32s %9s %9s %9s %10s %12s %9s\n" "$1" "$(echo "$2" | value cpu_mb_per_s)" "$(echo "$2" | value mb_per_s)" "$(echo "$2" | value scan_cpu_s)" "$(echo "$2" | value matches)" "$(echo "$2" | value peak_rss_mb)" "$3"
}
printf "  %-32s %9s %9s %9s %10s %12s %9s\n" "" "CPU MB/s" "wall MB/s" "CPU s" "matches" "peak RSS MB" "setup s"
row "pyahocorasick (fold + iter)" "$py" "$(echo "$py" | value build_s)"
row "verso, trie compiled from index" "$vi" "$(echo "$vi" | value compile_s)"
row "verso, TBX read into memory" "$vt" "$(python3 -c "print(round($(echo "$vt" | value load_s)+$(echo "$vt" | value compile_s),3))")"
echo "  verso trie + vocabulary: $(echo "$vi" | value trie_mb) MB for $(echo "$vi" | value terms) terms"
python3 - "$py" "$vi" <<'PY'
import sys
def kv(s): return dict(l.split("=", 1) for l in s.strip().splitlines())
py, vi = kv(sys.argv[1]), kv(sys.argv[2])
print("  throughput ratio verso / pyahocorasick: %.1fx on CPU time, %.1fx on wall time (target >= 5x)" % (
    float(vi["cpu_mb_per_s"]) / float(py["cpu_mb_per_s"]), float(vi["mb_per_s"]) / float(py["mb_per_s"])))
print("  peak memory ratio verso / pyahocorasick: %.2f" % (float(vi["peak_rss_mb"]) / float(py["peak_rss_mb"])))
PY

echo
echo "--- lookup: single term in the 1,000,000-term index (library, exact path, no fuzzy) ---"
queries="$out/lookup-queries.txt"
python3 - "$out/glossary-1000000.csv" "$queries" <<'PY'
import csv, random, sys
rows = [r["fr"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]
rng = random.Random("verso-lookup")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for _ in range(20000):
        f.write(rng.choice(rows) + "\n")
PY
lk=$("$bench" lookup --store "$out/glossary-1000000.sqlite" --queries "$queries" --language fr)
echo "$lk" | sed 's/^/  /'
echo "  target: p99 < 100 us"
