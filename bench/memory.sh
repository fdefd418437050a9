#!/usr/bin/env bash
# memory.sh [CORPUS_DIR] [BLOBS]
# Memory against index size: backs up src-v1 with -Xmx256m into an empty repository and into one whose index holds
# BLOBS (default 10,000,000) synthetic entries (bench/SyntheticIndex.java), page cache dropped before each step,
# and prints wall time and peak RSS per step. Not part of the test run. Scratch space: $BENCH (default
# /work/kiln-bench/memory; ~2 GB for 10M blobs: 0.45 GB of index files, 1.3 GB of index cache).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${1:-$here/../../corpus}
BLOBS=${2:-10000000}
BENCH=${BENCH:-/work/kiln-bench/memory}
HEAP=${HEAP:--Xmx256m}
KILN=${KILN:-$here/../kiln}
export KILN_PASSWORD=bench-password-not-secret KILN_JAVA_OPTS=$HEAP
rm -rf "$BENCH"; mkdir -p "$BENCH"
printf '%s\n' "$KILN_PASSWORD" > "$BENCH/pw"
"$KILN" --version >/dev/null
jar=$(ls "$(dirname "$KILN")"/cli/target/kiln-cli-*-all.jar | head -n1)
. "$here/jdk.sh"
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
# step NAME CACHE_DIR CMD...: cold page cache, /usr/bin/time
step() {
  local name=$1 cache=$2; shift 2
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  XDG_CACHE_HOME=$cache /usr/bin/time -f '%e %M' -o "$BENCH/time" "$@" > "$BENCH/$name.out" 2>&1
  read -r wall rss < "$BENCH/time"
  row "$name" "$wall" "$((rss / 1024))" "$(tail -n 3 "$BENCH/$name.out" | head -n 1 | tr -s ' ')"
}

"$KILN" --repo "$BENCH/empty" init > /dev/null
"$KILN" --repo "$BENCH/large" init > /dev/null
"$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$here/SyntheticIndex.java" "$BENCH/large" "$BENCH/pw" "$BLOBS"
echo "| step | wall s | peak RSS MB | kiln says |"
echo "|---|---|---|---|"
step "empty: backup src-v1" "$BENCH/cache-empty" "$KILN" --repo "$BENCH/empty" backup "$CORPUS/src-v1"
step "large: first open (index cache built)" "$BENCH/cache-large" "$KILN" --repo "$BENCH/large" snapshots
step "large: second open" "$BENCH/cache-large" "$KILN" --repo "$BENCH/large" snapshots
step "large: backup src-v1" "$BENCH/cache-large" "$KILN" --repo "$BENCH/large" backup "$CORPUS/src-v1"
step "large: backup src-v1, no change" "$BENCH/cache-large" "$KILN" --repo "$BENCH/large" backup "$CORPUS/src-v1"
step "large: restore" "$BENCH/cache-large" "$KILN" --repo "$BENCH/large" restore latest --target "$BENCH/restore"
du -sh "$BENCH/large" "$BENCH/cache-large" | sed 's/^/# /'
