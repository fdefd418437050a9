#!/usr/bin/env bash
# check-ab.sh ROUNDS NAME=LAUNCHER[:KILN_JAVA_OPTS]... [restic]
# Interleaved cold `check --read-data` of one src repository pair, for A/B comparisons of kiln builds (each NAME a
# launcher, e.g. base=/tmp/base-clone/kiln new=./kiln, with KILN_JAVA_OPTS after a colon) and restic: wall time and
# CPU (user + system). The repositories are made once, as compare.sh makes them (src-v1, src-v1 again, src-v2),
# under $AB (default /work/kiln-bench/check-ab) from $CORPUS (default ../../corpus), with the first launcher given;
# VERSIONS="1" makes them of src-v1 alone (the issue's benchmark), in a new $AB.
# Prints each round and the means; every other round runs them in reverse order. Not part of the test run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:?usage: check-ab.sh ROUNDS NAME=LAUNCHER[:OPTS]... [restic]}
shift
AB=${AB:-/work/kiln-bench/check-ab}
CORPUS=${CORPUS:-$here/../../corpus}
export RESTIC_PASSWORD=bench-password-not-secret KILN_PASSWORD=bench-password-not-secret RESTIC_CACHE_DIR=$AB/restic-cache
first=${1#*=}; first=${first%%:*}
if [[ ! -d $AB/repo-kiln || ! -d $AB/repo-restic ]]; then
  rm -rf "$AB"; mkdir -p "$AB"
  cp -a "$CORPUS/src-v1" "$AB/data"
  "$first" init --repo "$AB/repo-kiln" >/dev/null && restic init --repository-version 2 -r "$AB/repo-restic" >/dev/null || exit 1
  for v in ${VERSIONS:-1 1 2}; do
    [[ $v == 2 ]] && rsync -rlpgoD -c --delete "$CORPUS/src-v2/" "$AB/data/"
    "$first" backup --repo "$AB/repo-kiln" --host bench "$AB/data" >/dev/null && restic -r "$AB/repo-restic" backup --host bench "$AB/data" >/dev/null || exit 1
  done
fi
declare -A sum cpu
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  # (every other round in reverse order: the one run first in a round is not always the same)
  specs=("$@"); (( r % 2 == 0 )) && for (( i = 0, j = $# - 1; i < j; i++, j-- )); do t=${specs[i]}; specs[i]=${specs[j]}; specs[j]=$t; done
  for spec in "${specs[@]}"; do
    name=${spec%%=*}; rest=${spec#*=}; launcher=${rest%%:*}; opts=""; [[ $rest == *:* ]] && opts=${rest#*:}
    sync; echo 3 > /proc/sys/vm/drop_caches
    t0=$(date +%s%N)
    # (CPU from /usr/bin/time: user + system seconds; steadier than wall time on a shared machine)
    if [[ $spec == restic ]]; then name=restic; /usr/bin/time -f "%U %S" -o "$AB/cpu" restic -r "$AB/repo-restic" check --read-data >/dev/null 2>&1; rc=$?
    else KILN_JAVA_OPTS="$opts" /usr/bin/time -f "%U %S" -o "$AB/cpu" "$launcher" check --repo "$AB/repo-kiln" --read-data >/dev/null 2>&1; rc=$?; fi
    t=$(( ($(date +%s%N) - t0) / 1000000 ))
    c=$(awk '{printf "%d", ($1 + $2) * 1000}' "$AB/cpu")
    sum[$name]=$(( ${sum[$name]:-0} + t )); cpu[$name]=$(( ${cpu[$name]:-0} + c ))
    line="$line $name=${t}ms/cpu ${c}ms(rc $rc)"
  done
  echo "$line"
done
for spec in "$@"; do name=${spec%%=*}; [[ $spec == restic ]] && name=restic; echo "$name mean $(( ${sum[$name]} / ROUNDS )) ms, CPU $(( ${cpu[$name]} / ROUNDS )) ms"; done
