#!/usr/bin/env bash
# Alignment accuracy on the gold sets in ../shared/data/alignment: every document of docs.tsv
# aligned on its own with `verso align --presegmented`, scored with score_alignment.py (strict and
# lax F1, strict recall per gold bead type), next to the galechurch peer when it is installed.
# Run through `Benchmarks/run align` (bench.sh calls it) or directly with VERSO_BIN set.
set -euo pipefail
: "${VERSO_BIN:?run through Benchmarks/run}" "${VERSO_SHARED:?}" "${VERSO_BENCH_DIR:?}"
data="$VERSO_SHARED/data/alignment"
here=$(cd "$(dirname "$0")" && pwd)
work="$VERSO_BENCH_DIR/align-accuracy"
rm -rf "$work"; mkdir -p "$work"
peer_python=${GALECHURCH_PYTHON:-}

# run_set SET LANGS EXTRA...: aligns each document, concatenates the beads with the set's offsets.
run_set() {
  local set=$1 from=$2 to=$3 tag=$4; shift 4
  local pred="$work/$set.$tag.tsv"; : > "$pred"
  while IFS=$'\t' read -r name s0 s1 t0 t1; do
    sed -n "$((s0 + 1)),${s1}p" "$data/$set/source.txt" > "$work/$name.src"
    sed -n "$((t0 + 1)),${t1}p" "$data/$set/target.txt" > "$work/$name.tgt"
    if [ "$tag" = galechurch ]; then
      "$peer_python" "$here/galechurch_peer.py" "$work/$name.src" "$work/$name.tgt" "$work/$name.out"
    else
      "$VERSO_BIN" align "$work/$name.src" "$work/$name.tgt" --source "$from" --target "$to" --presegmented --no-terms --quiet -o "$work/$name.out.tsv" "$@" 2>/dev/null
      mv "$work/$name.out.tsv" "$work/$name.out"
    fi
    awk -F'\t' -v s0="$s0" -v t0="$t0" 'BEGIN{OFS="\t"} /^#/ {next} {
        n=split($1,a,","); o=""; for(i=1;i<=n;i++) o=o (i>1?",":"") (a[i]+s0); if ($1=="") o="";
        m=split($2,b,","); p=""; for(i=1;i<=m;i++) p=p (i>1?",":"") (b[i]+t0); if ($2=="") p="";
        print o, p }' "$work/$name.out" >> "$pred"
  done < "$data/$set/docs.tsv"
  python3 "$data/score_alignment.py" "$data/$set/gold.tsv" "$pred" --json --by-type > "$work/$set.$tag.json"
}

summary() {
  python3 - "$@" <<'PY'
import json, sys
for path in sys.argv[1:]:
    r = json.load(open(path))
    label = path.rsplit("/", 1)[1][:-5]
    types = r["recall_strict_by_gold_type"]
    by = "  ".join(f"{k} {v['found']}/{v['gold']}" for k, v in list(types.items())[:8])
    print(f"{label:<42} strict F1 {r['f1_strict']:.3f}  lax F1 {r['f1_lax']:.3f}  (P {r['precision_strict']:.3f} R {r['recall_strict']:.3f})")
    print(f"{'':<42} strict recall by gold bead: {by}")
PY
}

results=()
run_set fr-en-literary-dev fr en verso; results+=("$work/fr-en-literary-dev.verso.json")
run_set fr-en-literary-dev fr en verso-dictionary --dictionary "$data/dict/fr-en.tsv"; results+=("$work/fr-en-literary-dev.verso-dictionary.json")
run_set de-fr-textberg-dev de fr verso; results+=("$work/de-fr-textberg-dev.verso.json")
if [ -n "$peer_python" ]; then
  run_set fr-en-literary-dev fr en galechurch; results+=("$work/fr-en-literary-dev.galechurch.json")
  run_set de-fr-textberg-dev de fr galechurch; results+=("$work/de-fr-textberg-dev.galechurch.json")
fi
summary "${results[@]}"
echo "bars (issue 6): hunalign best 0.898 (fr-en, with dictionary; 0.849 without), 0.659 (de-fr); Gale–Church 0.830 / 0.592"
