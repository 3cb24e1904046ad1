#!/usr/bin/env bash
# Sentence alignment: accuracy on the gold sets (accuracy.sh), then speed and memory of
# `verso align --presegmented` at 1k, 10k, 50k and 100k source sentences (the fr-en gold
# documents repeated bead by bead), with growth ratios: linear time and memory means about ×10
# from 1k to 10k and from 10k to 100k. Goal: 50,000 sentences in under 60 s and 1 GB.
#
# Peer: hunalign is not packaged in Debian 12 and cannot be fetched here; the peer is the
# `galechurch` package from PyPI (Gale–Church with a Rust core, full dynamic programming),
# installed into a venv under $VERSO_BENCH_DIR and measured on the same inputs up to
# VERSO_BENCH_ALIGN_PEER_MAX sentences (default 10000: it grows quadratically). Without network
# the peer is skipped and only absolute figures are printed.
# Run through `Benchmarks/run align`. VERSO_BENCH_ALIGN_SIZES overrides the sizes.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
sizes=${VERSO_BENCH_ALIGN_SIZES:-"1000 10000 50000 100000"}
peer_max=${VERSO_BENCH_ALIGN_PEER_MAX:-10000}
work="$VERSO_BENCH_DIR/align"
mkdir -p "$work"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

venv="$VERSO_BENCH_DIR/venv-galechurch"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import galechurch" 2>/dev/null; then
  (python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check galechurch) >/dev/null 2>&1 || true
fi
peer=""
if "$venv/bin/python" -c "import galechurch" 2>/dev/null; then peer="$venv/bin/python"; fi

echo "--- accuracy (gold sets, each document aligned on its own) ---"
GALECHURCH_PYTHON="$peer" "$here/accuracy.sh"

# measure CMD...: wall seconds and max RSS (KB) of one run.
secs="" kb=0
measure() {
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

echo
echo "--- speed and memory (fr-en documents repeated; --presegmented --no-terms, one thread) ---"
printf '%-12s %8s %8s %9s %12s %10s %12s\n' "tool" "source" "target" "seconds" "beads/s" "peak RSS" "time growth"
prev_secs="" prev_n=""
declare -A verso_secs
for n in $sizes; do
  src="$work/bitext-$n.fr.txt" tgt="$work/bitext-$n.en.txt"
  read -r ns nt < <(python3 "$here/make_bitext.py" "$VERSO_SHARED/data/alignment/fr-en-literary-dev" "$n" "$src" "$tgt")
  measure "$VERSO_BIN" align "$src" "$tgt" --source fr --target en --presegmented --no-terms --quiet -o "$work/out-$n.tsv"
  beads=$(grep -vc '^#' "$work/out-$n.tsv")
  growth=""
  if [ -n "$prev_secs" ]; then growth=$(awk -v a="$secs" -v b="$prev_secs" -v n="$ns" -v p="$prev_n" 'BEGIN{printf "×%.1f for ×%.0f", a/b, n/p}'); fi
  printf '%-12s %8d %8d %9.2f %12.0f %7d MB %12s\n' "verso" "$ns" "$nt" "$secs" "$(awk -v b="$beads" -v s="$secs" 'BEGIN{print b/(s>0?s:0.01)}')" $((kb / 1024)) "$growth"
  verso_secs[$n]=$secs
  prev_secs=$secs prev_n=$ns
  if [ -n "$peer" ] && [ "$n" -le "$peer_max" ]; then
    measure "$peer" "$here/galechurch_peer.py" "$src" "$tgt" "$work/peer-$n.tsv"
    pbeads=$(wc -l < "$work/peer-$n.tsv")
    ratio=$(awk -v a="${verso_secs[$n]}" -v b="$secs" 'BEGIN{printf "verso ×%.2f", a/(b>0?b:0.01)}')
    printf '%-12s %8d %8d %9.2f %12.0f %7d MB %12s\n' "galechurch" "$ns" "$nt" "$secs" "$(awk -v b="$pbeads" -v s="$secs" 'BEGIN{print b/(s>0?s:0.01)}')" $((kb / 1024)) "$ratio"
  fi
  rm -f "$work/out-$n.tsv" "$work/peer-$n.tsv"
done
[ -z "$peer" ] && echo "(no peer: galechurch could not be installed; hunalign is not packaged in Debian)"
echo "goal: 50,000 sentences in under 60 s and 1 GB; time and memory growing linearly"
