#!/usr/bin/env bash
# Builds Verso's libFuzzer harnesses: `Fuzz/build.sh` (all) or `Fuzz/build.sh FuzzXLIFF12 …`.
# Release build with -sanitize=fuzzer (coverage-guided) into .build-fuzz/, linked with lld (the
# toolchain's gold fails on libFuzzer's objects). Not part of `swift build` / `swift test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
all=$(sed -n 's/^ *("\(Fuzz[A-Za-z0-9]*\)", .*/\1/p' Package.swift)
names=("$@")
[ ${#names[@]} -eq 0 ] && read -r -a names <<<"$(echo $all)"
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
lld="$swift_bin/ld.lld"
[ -x "$lld" ] || lld=$(command -v ld.lld || true)
[ -n "$lld" ] || { echo "error: ld.lld not found (needed to link libFuzzer harnesses)" >&2; exit 1; }
toolset="$root/.build-fuzz/toolset.json"
mkdir -p "$root/.build-fuzz"
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" >"$toolset"
sanitizers=${VERSO_FUZZ_SANITIZERS:-fuzzer,address}
for n in "${names[@]}"; do
  echo "building $n (-sanitize=$sanitizers)" >&2
  VERSO_FUZZ=1 swift build -c release --build-path "$root/.build-fuzz" --toolset "$toolset" \
    -Xswiftc "-sanitize=$sanitizers" --product "$n"
done
