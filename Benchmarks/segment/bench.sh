#!/usr/bin/env bash
# Sentence segmentation speed: `verso segment --lang fr` on the 20 MB French corpus against pip
# `sentencex` and ICU's sentence BreakIterator (PyICU), on the same text in the same run, each
# pinned to one core (taskset -c 0). All three read the corpus on stdin, split it at blank lines
# and print one sentence per line. Run through `Benchmarks/run segment`.
#
# Prints MB/s (10^6 bytes of UTF-8 input per second, wall clock, best of VERSO_BENCH_RUNS runs,
# default 3) with and without start-up time (measured on an empty input), the number of
# sentences each found, and Verso's speed as a ratio of each peer's.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
runs=${VERSO_BENCH_RUNS:-3}
lang=${VERSO_BENCH_LANG:-fr}
corpus="$VERSO_BENCH_DIR/$lang.txt"
if [ ! -s "$corpus" ]; then
  gzip -dc "$VERSO_SHARED/data/corpus/$lang.txt.gz" > "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
bytes=$(wc -c < "$corpus")
pin=()
if command -v taskset > /dev/null; then pin=(taskset -c 0); fi

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# Peak memory (max RSS) through GNU time when there is one; text is streamed, so Verso's should
# stay near its start-up footprint whatever the corpus size.
rss=()
if [ -x /usr/bin/time ]; then rss=(/usr/bin/time -f %M -o "$VERSO_BENCH_DIR/segment.rss"); fi

# best_time CMD...: the best wall time of $runs runs on the corpus; output kept in $out_file.
best_time() {
  local best="" t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(now)
    "${rss[@]}" "${pin[@]}" "$@" < "$corpus" > "$out_file"
    t1=$(now)
    t=$(calc "$t1 - $t0")
    if [ -z "$best" ] || [ "$(awk "BEGIN { print ($t < $best) }")" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

startup_time() {
  local t0 t1
  t0=$(now)
  "${pin[@]}" "$@" < /dev/null > /dev/null
  t1=$(now)
  calc "$t1 - $t0"
}

declare -A seconds startup sentences peak
tools=(verso sentencex icu)
for tool in "${tools[@]}"; do
  case $tool in
    verso) cmd=("$VERSO_BIN" segment --lang "$lang") ;;
    sentencex) cmd=(python3 "$here/peer_sentencex.py" "$lang") ;;
    icu) cmd=(python3 "$here/peer_icu.py" "$lang") ;;
  esac
  out_file="$VERSO_BENCH_DIR/segment-$tool.out"
  startup[$tool]=$(startup_time "${cmd[@]}")
  seconds[$tool]=$(best_time "${cmd[@]}")
  sentences[$tool]=$(grep -c . "$out_file" || true)
  peak[$tool]=$( [ ${#rss[@]} -gt 0 ] && awk '{ printf "%.0f", $1 / 1024 }' "$VERSO_BENCH_DIR/segment.rss" || echo "-")
done

printf 'corpus: %s (%s bytes), best of %s runs, one core\n' "$corpus" "$bytes" "$runs"
printf '%-10s %9s %10s %14s %11s %12s\n' tool seconds "MB/s" "MB/s w/o start" sentences "peak RSS MB"
for tool in "${tools[@]}"; do
  mbs=$(calc "$bytes / 1000000 / ${seconds[$tool]}")
  net=$(calc "${seconds[$tool]} - ${startup[$tool]}")
  mbs_net=$(calc "$bytes / 1000000 / $net")
  printf '%-10s %9.3f %10.1f %14.1f %11s %12s\n' "$tool" "${seconds[$tool]}" "$mbs" "$mbs_net" "${sentences[$tool]}" "${peak[$tool]}"
done
for peer in sentencex icu; do
  printf 'verso / %-9s speed ratio: %.2f\n' "$peer" "$(calc "${seconds[$peer]} / ${seconds[verso]}")"
done
