#!/usr/bin/env bash
# compare.sh [CORPUS_DIR] [RUNS] [DATASET...]
# Benchmarks kiln against restic and Borg (zstd,3; BORG=0 leaves it out) on the shared corpus, interleaved, cold
# cache by default, then prints the peers' table and kiln/peer time ratios. Not part of the test run.
# Defaults: ../corpus, 2 runs, datasets src many-small bigfile.
# Builds the corpus with ../shared/bench/make-corpus.sh and installs restic/borgbackup from Debian when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${1:-$here/../../corpus}
RUNS=${2:-2}
shift $(( $# >= 2 ? 2 : $# ))
DATASETS=("$@"); [[ ${#DATASETS[@]} -eq 0 ]] && DATASETS=(src many-small bigfile)
export RESULTS=${RESULTS:-/tmp/kiln-bench/results-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$CORPUS" "$RESULTS"
shared=$here/../../shared/bench
[[ -d $CORPUS/src-v1 && -d $CORPUS/bigfile-v2 ]] || { apt-get install -y -q rsync >/dev/null; "$shared/make-corpus.sh" "$CORPUS"; }
command -v restic >/dev/null || apt-get install -y -q restic
TOOLS=(kiln restic)
if [[ ${BORG:-1} == 1 ]]; then command -v borg >/dev/null || apt-get install -y -q borgbackup; TOOLS+=(borg); fi
"$here/../kiln" --version >/dev/null   # build before timing
for r in $(seq 1 "$RUNS"); do
  for t in "${TOOLS[@]}"; do RUN=$r "$here/peers.sh" "$CORPUS" "$t" "${DATASETS[@]}"; done
done
python3 "$shared/summarize.py" "$RESULTS/results.tsv"
echo
python3 "$here/ratios.py" "$RESULTS/results.tsv"
