#!/usr/bin/env bash
# `verso convert` over a folder: files per second on 2,000 small documents against
# translate-toolkit's converters on the same files in the same run, each given both cores.
# Run through `Benchmarks/run convert` (builds release verso, sets VERSO_BIN, VERSO_BENCH_DIR…).
#
#   translate-toolkit: txt2po + po2xliff for .txt, html2po + po2xliff for .html, in two
#     processes (one per core, each on half of the files: what `xargs -P2` would do without
#     paying Python's start-up per file). It has no XLIFF version change, so the .xlf files
#     are left out of the comparison.
#   verso: `verso convert DIR -o OUT --source fr --target en --jobs 2 --force --quiet`, on the
#     same .txt/.html files (--exclude '*.xlf'), then on all 2,000 (the .xlf get a 1.2 → 2.1
#     version change).
# Prints wall-clock files/s of each, the ratio, and peak memory (max RSS of the largest process).
# VERSO_BENCH_RUNS (default 3): runs of each tool, taking turns (translate-toolkit, verso, verso
# all, again…), each after a `sync`; the median wall time is reported.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
runs=${VERSO_BENCH_RUNS:-3}
count=${VERSO_BENCH_FILES:-2000}
# VERSO_BENCH_FILES=0 skips part 1 (the folder of small files); VERSO_BENCH_BIG_SIZE=0 part 2.
if [ "$count" != 0 ]; then
inputs="$VERSO_BENCH_DIR/batch"
if [ ! -f "$inputs/.complete-$count" ]; then
  rm -rf "$inputs"
  python3 "$VERSO_SHARED/data/perf/make_inputs.py" --corpus "$VERSO_SHARED/data/corpus/fr.txt.gz" \
    batch --count "$count" --out "$inputs" >&2
  touch "$inputs/.complete-$count"
fi
work="$VERSO_BENCH_DIR/convert-work"
# The outputs of all runs are deleted at the end, not before the timed runs: ext4 (here without a
# journal) creates inodes slowly for a minute or more after many were deleted (it skips inodes
# deleted less than 60 s ago, 360 s while their table block is dirty, one by one), which would be
# charged to whichever tool runs first. Run it a few minutes after any mass deletion.
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

ntxt=$(find "$inputs" -name '*.txt' | wc -l)
nhtml=$(find "$inputs" -name '*.html' | wc -l)
nxlf=$(find "$inputs" -name '*.xlf' | wc -l)
nsub=$((ntxt + nhtml))
echo "inputs: $inputs — $ntxt .txt, $nhtml .html, $nxlf .xlf ($(du -sh --exclude='.complete*' "$inputs" | cut -f1))"

# Two halves of each kind, as trees of symbolic links, so that each translate-toolkit process
# sees only the files it converts (txt2po given a folder takes every file as text).
for kind in txt html; do
  i=0
  (cd "$inputs" && find . -name "*.$kind" | sort) | while read -r rel; do
    half=$((i % 2)); i=$((i + 1))
    mkdir -p "$work/split-$kind-$half/$(dirname "$rel")"
    ln -s "$inputs/$rel" "$work/split-$kind-$half/$rel"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
# Before every timed run: write back what earlier runs left in the page cache, so that no tool
# pays for the other's writeback (verso syncs its own outputs before renaming them into place,
# and a sync flushes the whole file system: right after translate-toolkit's ~6,000 unsynced
# files, verso's first group sync would wait for them too).
settle() { sync; }

tt_half() { # one core's share: both chains on half of the files
  local h=$1 out=$2
  txt2po --progress=none -i "$work/split-txt-$h" -o "$out/po-txt-$h" &&
  po2xliff --progress=none -i "$out/po-txt-$h" -o "$out/xlf-txt-$h" &&
  html2po --progress=none -i "$work/split-html-$h" -o "$out/po-html-$h" &&
  po2xliff --progress=none -i "$out/po-html-$h" -o "$out/xlf-html-$h"
}
export -f tt_half
export work

# CPU seconds (user + sys, children included) of a command's last run, from /usr/bin/time.
cpu_of() { awk '{print $2 + $3}' "$1"; }

# Each run appends "wall cpu maxrss_kb" to a file per label; medians are taken at the end.
tt_run() { # run number
  local out="$work/tt-$1"; mkdir -p "$out"
  settle
  local t0 t1 m rss=0
  t0=$(now)
  printf '0\n1\n' | /usr/bin/time -f '%e %U %S' -o "$out/cpu" xargs -P2 -I{} /usr/bin/time -f '%M' -o "$out/rss-{}" bash -c 'tt_half {} '"$out" 2>"$out/stderr"
  t1=$(now)
  for f in "$out"/rss-*; do m=$(tail -1 "$f"); [ "$m" -gt "$rss" ] && rss=$m; done
  echo "$(echo "$t1 - $t0" | bc) $(cpu_of "$out/cpu") $rss" >>"$work/runs-tt"
}
verso_run() { # label, run number, extra args…
  local label=$1 r=$2; shift 2
  settle
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%e %U %S %M' -o "$work/verso-rss" "$VERSO_BIN" convert "$inputs" -o "$work/verso-$label-$r" --source fr --target en \
    --jobs 2 --force --quiet --report "$work/verso-$label-$r.json" "$@" 2>"$work/verso-$label-stderr" || {
    echo "verso convert failed:"; tail -5 "$work/verso-$label-stderr"; exit 1; }
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $(cpu_of "$work/verso-rss") $(awk '{print $4}' "$work/verso-rss")" >>"$work/runs-$label"
}

# The tools take turns, run by run, so that a drift in the machine's speed (other tenants' load)
# falls on both alike rather than on whichever tool ran last.
for r in $(seq "$runs"); do
  tt_run "$r"
  verso_run same "$r" --exclude '*.xlf'
  verso_run all "$r" --to xliff2.1
done
# "median-wall max-rss median-cpu" of a label's runs.
summary() {
  echo "$(cut -d' ' -f1 "$work/runs-$1" | median) $(cut -d' ' -f3 "$work/runs-$1" | sort -n | tail -1) $(cut -d' ' -f2 "$work/runs-$1" | median)"
}
read -r tt_wall tt_rss tt_cpu < <(summary tt)
read -r v_wall v_rss v_cpu < <(summary same)
read -r a_wall a_rss a_cpu < <(summary all)
tt_out=$(find "$work/tt-1" -name '*.xliff' | wc -l)
v_out=$(find "$work/verso-same-1" -type f -name '*.xlf' | wc -l)
a_out=$(find "$work/verso-all-1" -type f -name '*.xlf' | wc -l)
# Files translate-toolkit gave up on (html2po refuses HTML with mismatched tags, and writes an
# empty PO, so an empty XLIFF, for it): counted in its files/s above like every other file.
tt_failed=$(grep -c 'Error processing' "$work/tt-1/stderr" || true)

rate() { echo "scale=1; $1 / $2" | bc; }
tt_rate=$(rate "$nsub" "$tt_wall")
v_rate=$(rate "$nsub" "$v_wall")
a_rate=$(rate "$count" "$a_wall")
ms() { echo "scale=2; 1000 * $1 / $2" | bc; }
printf '%-48s %6s files %8.2f s %9.1f files/s  %6s ms CPU/file  peak %4d MB\n' \
  "translate-toolkit (txt2po|html2po + po2xliff, -P2)" "$nsub" "$tt_wall" "$tt_rate" "$(ms "$tt_cpu" "$nsub")" $((tt_rss / 1024)) \
  "verso convert --jobs 2 (same .txt/.html)" "$nsub" "$v_wall" "$v_rate" "$(ms "$v_cpu" "$nsub")" $((v_rss / 1024)) \
  "verso convert --jobs 2 (all, .xlf 1.2 -> 2.1)" "$count" "$a_wall" "$a_rate" "$(ms "$a_cpu" "$count")" $((a_rss / 1024))
echo "outputs: translate-toolkit $tt_out .xliff, verso $v_out .xlf (same files), $a_out .xlf (all)"
echo "translate-toolkit could not convert $tt_failed of the $nsub files (its errors: $(grep -o 'Mismatched closing tag\|[A-Z][a-z]*Error' "$work/tt-1/stderr" | sort | uniq -c | sort -rn | head -2 | awk '{c=$1; $1=""; printf "%s%s ×%d", (NR>1?", ":""), substr($0,2), c}')); verso converted all of them (repairing broken HTML, with a warning)"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; others' work slows both tools)"
echo "ratio (wall-clock files/s, same files): verso / translate-toolkit = $(echo "scale=1; $v_rate / $tt_rate" | bc)x  (target >= 10x, aim 20x)"
echo "ratio (CPU time per file, same files):  translate-toolkit / verso = $(echo "scale=1; $tt_cpu / $v_cpu" | bc)x"
echo "ratio (wall-clock files/s, counting only the files each tool converted): $(echo "scale=1; $v_rate * $nsub / (($nsub - $tt_failed) * $tt_rate)" | bc)x"
fi

# Part 2: a big XLIFF through the batch path, 1.2 → 2.1 → 1.2, in flat memory. The input is the
# one Benchmarks/xliff12 uses ($VERSO_BENCH_DIR/xliff12-<size>.xlf, generated if missing), put in
# a folder (a symbolic link) so that the folder code path runs; the 2.1 output is converted back.
# Compared with `xmllint --stream --noout` on the same file. VERSO_BENCH_BIG_SIZE=0 skips it.
big=${VERSO_BENCH_BIG_SIZE:-1G}
[ "$big" = "0" ] && exit 0
bigin="$VERSO_BENCH_DIR/xliff12-$big.xlf"
if [ ! -f "$bigin" ]; then
  python3 "$VERSO_SHARED/data/perf/make_inputs.py" --corpus "$VERSO_SHARED/data/corpus/fr.txt.gz" \
    xliff --version 1.2 --size "$big" --units-per-file 200 --out "$bigin" >&2
fi
bigwork="$VERSO_BENCH_DIR/convert-big"
rm -rf "$bigwork" && mkdir -p "$bigwork/in"
ln -s "$bigin" "$bigwork/in/big.xlf"
trap 'rm -rf "$bigwork" ${work:+"$work"}' EXIT
timed() { # label, command…: prints "seconds maxrss_kb"
  /usr/bin/time -f '%e %M' -o "$bigwork/time" "$@" >/dev/null 2>"$bigwork/stderr" || { tail -3 "$bigwork/stderr"; exit 1; }
  cat "$bigwork/time"
}
read -r x_s x_kb < <(timed xmllint --stream --noout "$bigin")
read -r a_s a_kb < <(timed "$VERSO_BIN" convert "$bigwork/in" --to xliff2.1 -o "$bigwork/v21" --quiet --force)
mkdir -p "$bigwork/in21" && mv "$bigwork/v21/big.xlf" "$bigwork/in21/big.xlf"
read -r xb_s xb_kb < <(timed xmllint --stream --noout "$bigwork/in21/big.xlf")
read -r b_s b_kb < <(timed "$VERSO_BIN" convert "$bigwork/in21" --to xliff1.2 -o "$bigwork/v12" --quiet --force)
mb=$(( $(stat -L -c %s "$bigin") / 1048576 ))
mb21=$(( $(stat -c %s "$bigwork/in21/big.xlf") / 1048576 ))
echo
echo "big XLIFF through the folder path ($mb MiB 1.2 in; $mb21 MiB 2.1 in the way back):"
printf '%-44s %8.2f s  %6.2fx xmllint --stream  peak %4d MB\n' \
  "verso convert DIR --to xliff2.1 (1.2 -> 2.1)" "$a_s" "$(echo "$a_s / $x_s" | bc -l)" $((a_kb / 1024)) \
  "verso convert DIR --to xliff1.2 (2.1 -> 1.2)" "$b_s" "$(echo "$b_s / $xb_s" | bc -l)" $((b_kb / 1024))
printf 'xmllint --stream --noout: %.2f s (1.2 file), %.2f s (2.1 file), peak %d MB\n' "$x_s" "$xb_s" $((x_kb / 1024))
echo "(translate-toolkit has no 1.2 <-> 2.x converter and loads whole files: not run on this input)"
