#!/usr/bin/env bash
# Runs one libFuzzer harness: `Fuzz/run.sh NAME [SECONDS] [libFuzzer flags…]`
#   NAME     a harness (FuzzXML, FuzzXLIFF12, …; `Fuzz/run.sh --list` shows them)
#   SECONDS  how long to fuzz (default 600)
# The working corpus and any crash/timeout/leak files go to ${VERSO_FUZZ_DIR:-/tmp/verso-fuzz}/NAME
# (never into the repository); the seeds in Fuzz/corpus/<reader>/ are read, not written.
# Reproduce a crash: .build-fuzz/release/NAME path/to/crash-file
# Ends with one line to paste into docs/fuzzing.md: inputs executed, coverage, time, crashes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--list" ]; then sed -n 's/^ *("\(Fuzz[A-Za-z0-9]*\)", .*/\1/p' "$root/Package.swift"; exit 0; fi
name=${1:?usage: Fuzz/run.sh NAME [SECONDS] [libFuzzer flags…]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
reader=$(echo "${name#Fuzz}" | tr 'A-Z' 'a-z')
seeds="$root/Fuzz/corpus/$reader"
[ -d "$seeds" ] || { echo "error: no seed corpus $seeds" >&2; exit 1; }
bin="$root/.build-fuzz/release/$name"
[ -x "$bin" ] || "$root/Fuzz/build.sh" "$name"
work="${VERSO_FUZZ_DIR:-/tmp/verso-fuzz}/$name"
mkdir -p "$work/corpus" "$work/artifacts"
dict="$work/tokens.dict"
: >"$dict"
# XML-based readers get the XML tokens; a reader's own tokens are added when it has some.
case "$reader" in text|csv) ;; *) cat "$root/Fuzz/dicts/xml.dict" >>"$dict" ;; esac
case "$reader" in xliff12|xliff2) cat "$root/Fuzz/dicts/xliff.dict" >>"$dict" ;; esac
[ -f "$root/Fuzz/dicts/$reader.dict" ] && cat "$root/Fuzz/dicts/$reader.dict" >>"$dict"
dictflag=()
[ -s "$dict" ] && dictflag=(-dict="$dict")
log="$work/run-$(date -u +%Y%m%dT%H%M%SZ).log"
before=$(ls "$work/artifacts" | wc -l)
start=$(date +%s)
set +e
# Known false leak reports (each explained in the file) are suppressed; any other leak fails the run.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
  LSAN_OPTIONS="suppressions=$root/Fuzz/lsan-suppressions.txt:print_suppressions=0" \
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dictflag[@]}" "$@" \
  "$work/corpus" "$seeds" >"$log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
corpus=$(ls "$work/corpus" | wc -l)
found=$(( $(ls "$work/artifacts" | wc -l) - before ))
echo "$name: ${execs:-?} inputs in ${elapsed}s (exit $status), ${cov:-cov ?}, corpus $corpus files, $found new crash/timeout/leak file(s) in $work/artifacts; log $log"
