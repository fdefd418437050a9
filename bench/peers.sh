#!/usr/bin/env bash
# peers.sh CORPUS_DIR TOOL [DATASET...]
# (A copy of ../shared/bench/peers.sh with a kiln branch added.)
#
# Baseline benchmark of an existing backup tool on corpora made by make-corpus.sh.
#   TOOL     kiln | restic | borg
#   DATASET  src | many-small | bigfile      (default: all three)
#            all  = scale test: src-v1 src-v2 many-small bigfile bigfile-v2 dl backed up
#                   in place as one set (no copy, no v2/restore); steps init, backup1,
#                   backup2, check -- shows how time and memory grow with repo size
#
# Per dataset, with a fresh local encrypted repository on the same disk:
#   init      repo init (restic: repo format v2, compression auto; borg: repokey-blake2)
#   backup1   initial backup of v1
#   backup2   second backup, nothing changed
#   (v1 -> v2 applied in place, untimed: rsync -c without -t, i.e. like `git checkout`:
#    only files whose content changed are rewritten; unchanged files keep inode/mtime)
#   backup3   incremental backup of v2
#   restore   full restore of the latest snapshot into a fresh directory
#   (verify, untimed: diff -r restored tree vs source; reported as a row with rc)
#   check     restic check --read-data | borg check --verify-data
# Each timed step runs under /usr/bin/time -v; wall time is taken with date +%s.%N.
#
# Environment:
#   RUN=1                 run label written to the results
#   RESULTS=/tmp/kiln-bench/results   results.tsv and logs/ go here
#   BENCH=/tmp/kiln-bench/bench       scratch: working copy, repos, restore dirs, caches
#   RESTORE_ROOT=$BENCH   where the restore directories go (see README.md: a journal-less ext4 makes file
#                         creation scan inodes deleted in the last five minutes, which penalises every restore)
#   DROP_CACHES=1         sync + echo 3 > /proc/sys/vm/drop_caches before each timed step
#   VERIFY=1              diff the restored tree against the source
#   BORG_COMPRESSION=zstd,3
# Passwords are passed via RESTIC_PASSWORD / BORG_PASSPHRASE (set here).
set -euo pipefail

CORPUS=$(cd "${1:?usage: peers.sh CORPUS_DIR restic|borg [src|many-small|bigfile ...]}" && pwd)
TOOL=${2:?tool}
shift 2
DATASETS=("$@")
[[ ${#DATASETS[@]} -eq 0 ]] && DATASETS=(src many-small bigfile)
RUN=${RUN:-1}
RESULTS=${RESULTS:-/tmp/kiln-bench/results}
BENCH=${BENCH:-/tmp/kiln-bench/bench}
DROP_CACHES=${DROP_CACHES:-1}
VERIFY=${VERIFY:-1}
BORG_COMPRESSION=${BORG_COMPRESSION:-zstd,3}
export LC_ALL=C
export RESTIC_PASSWORD=bench-password-not-secret
export BORG_PASSPHRASE=bench-password-not-secret
export KILN_PASSWORD=bench-password-not-secret
KILN=${KILN:-$(cd "$(dirname "$0")/.." && pwd)/kiln}

case $TOOL in kiln|restic|borg) ;; *) echo "unknown tool $TOOL" >&2; exit 2;; esac
mkdir -p "$RESULTS" "$BENCH"
TSV=$RESULTS/results.tsv
[[ -s $TSV ]] || printf 'run\ttool\tdataset\tstep\twall_s\tuser_s\tsys_s\tcpu_s\tmaxrss_mb\tdata_mb\tfiles\trepo_mb\tmb_per_s\trc\tcache\n' > "$TSV"
{ restic version 2>/dev/null; borg --version 2>/dev/null; uname -r; nproc; } > "$RESULTS/versions.txt" || true

log() { echo "[peers $(date +%T)] $*" >&2; }

tree_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}'; }
tree_files() { find "$1" -type f | wc -l; }
repo_bytes() { du -sb "$REPO" | cut -f1; }

drop_caches() {
  sync
  CACHE=warm
  if [[ $DROP_CACHES == 1 ]]; then
    if echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then CACHE=cold; else CACHE=warm-dropfailed; fi
  fi
}

# measure STEP DATA_BYTES FILES CMD...   (runs CMD in $CWD if set)
measure() {
  local step=$1 data=$2 files=$3; shift 3
  local base=$LOGD/$step rc t0 t1
  drop_caches
  t0=$(date +%s.%N)
  set +e
  ( cd "${CWD:-.}" && exec /usr/bin/time -v -o "$base.time" "$@" > "$base.out" 2> "$base.err" )
  rc=$?
  set -e
  t1=$(date +%s.%N)
  local user sys rss repo
  user=$(awk -F': ' '/User time/ {print $2}' "$base.time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$base.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$base.time")
  repo=$(repo_bytes)
  awk -v run="$RUN" -v tool="$TOOL" -v ds="$DS" -v step="$step" -v t0="$t0" -v t1="$t1" \
      -v u="$user" -v s="$sys" -v rss="$rss" -v data="$data" -v files="$files" -v repo="$repo" \
      -v rc="$rc" -v cache="$CACHE" 'BEGIN {
        w = t1 - t0; mbps = (data > 0 && w > 0) ? data / 1e6 / w : 0;
        printf "%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.1f\t%s\t%.1f\t%.1f\t%s\t%s\n",
          run, tool, ds, step, w, u, s, u + s, rss / 1024, data / 1e6, files, repo / 1e6, mbps, rc, cache }' \
    | tee -a "$TSV" >&2
  if [[ $rc != 0 ]]; then log "step $step failed rc=$rc; see $base.err"; tail -5 "$base.err" >&2; fi
  return 0
}

row() { # row STEP RC  (untimed bookkeeping row)
  printf '%s\t%s\t%s\t%s\t\t\t\t\t\t\t\t%.1f\t\t%s\t\n' "$RUN" "$TOOL" "$DS" "$1" "$(awk -v b="$(repo_bytes)" 'BEGIN{print b/1e6}')" "$2" | tee -a "$TSV" >&2
}

do_init() {
  case $TOOL in
    kiln)   measure init 0 0 "$KILN" init --repo "$REPO" ;;
    restic) measure init 0 0 restic init --repository-version 2 ;;
    borg)   measure init 0 0 borg init -e repokey-blake2 "$REPO" ;;
  esac
}
do_backup() { # do_backup STEP N DATA FILES
  case $TOOL in
    kiln)   measure "$1" "$3" "$4" "$KILN" backup --repo "$REPO" --json --host bench "${SRC_PATHS[@]}" ;;
    restic) measure "$1" "$3" "$4" restic backup --json --host bench "${SRC_PATHS[@]}" ;;
    borg)   measure "$1" "$3" "$4" borg create --compression "$BORG_COMPRESSION" --stats --json "$REPO::b$2" "${SRC_PATHS[@]}" ;;
  esac
}
do_restore() {
  rm -rf "$RESTORE"; mkdir -p "$RESTORE"
  case $TOOL in
    kiln)   measure restore "$1" "$2" "$KILN" restore --repo "$REPO" latest --target "$RESTORE" ;;
    restic) measure restore "$1" "$2" restic restore latest --target "$RESTORE" ;;
    borg)   CWD=$RESTORE measure restore "$1" "$2" borg extract "$REPO::b3" ;;
  esac
}
do_check() {
  case $TOOL in
    kiln)   measure check "$(repo_bytes)" 0 "$KILN" check --repo "$REPO" --read-data ;;
    restic) measure check "$(repo_bytes)" 0 restic check --read-data ;;
    borg)   measure check "$(repo_bytes)" 0 borg check --verify-data "$REPO" ;;
  esac
}
do_stats() {
  case $TOOL in
    kiln)   "$KILN" snapshots --repo "$REPO" > "$LOGD/stats.txt" 2>&1 || true ;;
    restic) { restic cat config; restic snapshots; restic stats --mode raw-data; } > "$LOGD/stats.txt" 2>&1 || true ;;
    borg)   { borg info "$REPO"; borg list "$REPO"; } > "$LOGD/stats.txt" 2>&1 || true ;;
  esac
}

for DS in "${DATASETS[@]}"; do
  case $DS in
    src)        V1=$CORPUS/src-v1;     V2=$CORPUS/src-v2 ;;
    many-small) V1=$CORPUS/many-small; V2=$CORPUS/many-small-v2 ;;
    bigfile)    V1=$CORPUS/bigfile;    V2=$CORPUS/bigfile-v2 ;;
    all)        V1=$CORPUS/src-v1;     V2=$CORPUS/src-v2 ;;
    *) echo "unknown dataset $DS" >&2; exit 2 ;;
  esac
  [[ -d $V1 && -d $V2 ]] || { echo "corpus $DS missing under $CORPUS (run make-corpus.sh)" >&2; exit 1; }
  WORK=$BENCH/data/$DS
  REPO=$BENCH/repo-$TOOL-$DS
  RESTORE=${RESTORE_ROOT:-$BENCH}/restore-$TOOL-$DS
  LOGD=$RESULTS/logs/run$RUN/$TOOL-$DS
  export RESTIC_REPOSITORY=$REPO RESTIC_CACHE_DIR=$BENCH/restic-cache
  export BORG_BASE_DIR=$BENCH/borg-home
  rm -rf "$WORK" "$REPO" "$RESTORE" "$LOGD" "$RESTIC_CACHE_DIR" "$BORG_BASE_DIR"
  if [[ $DS == all ]]; then
    log "=== run $RUN  $TOOL  all: scale test on the corpus in place"
    mkdir -p "$LOGD"
    SRC_PATHS=()
    for d in src-v1 src-v2 many-small bigfile bigfile-v2 dl; do SRC_PATHS+=("$CORPUS/$d"); done
    BA=0; FA=0
    for d in "${SRC_PATHS[@]}"; do BA=$((BA + $(tree_bytes "$d"))); FA=$((FA + $(tree_files "$d"))); done
    do_init
    do_backup backup1 1 "$BA" "$FA"
    do_backup backup2 2 "$BA" "$FA"
    do_check
    do_stats
    continue
  fi
  SRC_PATHS=("$WORK")
  log "=== run $RUN  $TOOL  $DS: preparing (untimed copy of v1 into $WORK)"
  mkdir -p "$LOGD" "$(dirname "$WORK")"
  cp -a "$V1" "$WORK"
  B1=$(tree_bytes "$WORK"); F1=$(tree_files "$WORK")

  do_init
  do_backup backup1 1 "$B1" "$F1"
  do_backup backup2 2 "$B1" "$F1"
  log "applying v2 in place (rsync -c, no -t)"
  rsync -rlpgoD -c --delete --itemize-changes "$V2/" "$WORK/" > "$LOGD/apply-v2.txt"
  B2=$(tree_bytes "$WORK"); F2=$(tree_files "$WORK")
  do_backup backup3 3 "$B2" "$F2"
  do_restore "$B2" "$F2"
  if [[ $VERIFY == 1 ]]; then
    if diff -r --no-dereference "$WORK" "$RESTORE$WORK" > "$LOGD/verify.txt" 2>&1; then row verify 0; else row verify 1; fi
  fi
  rm -rf "$RESTORE"
  do_check
  do_stats
done
log "done; results in $TSV"
