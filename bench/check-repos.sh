#!/usr/bin/env bash
# check-repos.sh ROUNDS NAME=LAUNCHER@REPO... : interleaved cold `check --read-data`, each NAME its own launcher and
# repository (LAUNCHER "restic" runs restic on a restic repository, with the restic-cache beside it), e.g. two kiln
# builds on repositories whose key files differ (check-ab.sh runs every build on one repository). Every other round
# in reverse order; prints each round (wall ms / CPU ms) and the means. WARM=1 keeps the page cache (for A/B of CPU-side
# changes: less noise than cold runs). Not part of the test run.
export KILN_PASSWORD=bench-password-not-secret RESTIC_PASSWORD=bench-password-not-secret
R=$1; shift
declare -A S C
for r in $(seq 1 $R); do
  specs=("$@"); (( r % 2 == 0 )) && for (( i = 0, j = $# - 1; i < j; i++, j-- )); do t=${specs[i]}; specs[i]=${specs[j]}; specs[j]=$t; done
  line="round $r:"
  for spec in "${specs[@]}"; do
    name=${spec%%=*}; rest=${spec#*=}; l=${rest%%@*}; repo=${rest#*@}
    [[ ${WARM:-0} == 1 ]] || { sync; echo 3 > /proc/sys/vm/drop_caches; }
    t0=$(date +%s%N)
    if [[ $l == restic ]]; then RESTIC_CACHE_DIR=$(dirname $repo)/restic-cache /usr/bin/time -f "%U %S" -o /tmp/ab2cpu restic -r $repo check --read-data >/dev/null 2>&1
    else /usr/bin/time -f "%U %S" -o /tmp/ab2cpu $l check --repo $repo --read-data >/dev/null 2>&1; fi
    t=$(( ($(date +%s%N) - t0) / 1000000 )); c=$(awk '{printf "%d", ($1 + $2) * 1000}' /tmp/ab2cpu)
    S[$name]=$(( ${S[$name]:-0} + t )); C[$name]=$(( ${C[$name]:-0} + c )); line="$line $name=$t/$c"
  done
  echo "$line"
done
for spec in "$@"; do name=${spec%%=*}; echo "$name mean $(( ${S[$name]} / R )) ms, CPU $(( ${C[$name]} / R )) ms"; done
