#!/usr/bin/env bash
# s3.sh [CORPUS_DIR] [DATASET]
# Backup and full restore of a corpus dataset (default src-v1) to S3Proxy on 127.0.0.1 (a separate process,
# filesystem backend) next to the same on a local repository, with the store request counts. Not part of the
# test run. Page cache dropped before each timed step (as root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${1:-$here/../../corpus}
DS=${2:-src-v1}
KILN=${KILN:-$here/../kiln}
WORK=${WORK:-/work/kiln-bench/s3}
export KILN_PASSWORD=bench-password-not-secret
export AWS_ACCESS_KEY_ID=kiln-bench AWS_SECRET_ACCESS_KEY=kiln-bench-secret-key
export XDG_CACHE_HOME=$WORK/cache
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

rm -rf "$WORK"; mkdir -p "$WORK/s3data/kiln" "$WORK/jar"
jar=$WORK/jar/s3proxy.jar
(cd "$here/.." && ./mvnw -q dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies \
   -DoutputDirectory="$WORK/jar" -Dmdep.stripVersion=true >/dev/null)
mv "$WORK"/jar/s3proxy*.jar "$jar" 2>/dev/null || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.identity=x
jclouds.credential=x
jclouds.filesystem.basedir=$WORK/s3data
CONF
"$JAVA" -Xmx1g -jar "$jar" --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done

drop() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
# run LABEL CMD... : wall seconds, peak RSS, and the JSON summary's request counts
run() {
  local label=$1; shift
  drop
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/$label.rss" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err"
  t1=$(date +%s.%N)
  python3 - "$label" "$t0" "$t1" "$WORK/$label.out" "$WORK/$label.rss" <<'PY'
import json, sys
label, t0, t1, out, rss = sys.argv[1:]
wall = float(t1) - float(t0)
try:
    j = json.loads(open(out).read().strip().splitlines()[-1])
    r = j.get("requests", {})
    req = f"PUT {r.get('put')} GET {r.get('get')} LIST {r.get('list')} DELETE {r.get('delete')} HEAD {r.get('head')} up {r.get('bytesUploaded',0)/2**20:.0f} MiB down {r.get('bytesDownloaded',0)/2**20:.0f} MiB"
except Exception as e:
    req = "-"
print(f"| {label} | {wall:.2f} | {int(open(rss).read().split()[-1])//1024} | {req} |")
PY
}
echo "| step | wall s | peak RSS MB | store requests |"
echo "|---|---|---|---|"
S3=s3:http://127.0.0.1:$port/kiln/repo
LOCAL=$WORK/local-repo
"$KILN" init --repo "$S3" > /dev/null
"$KILN" init --repo "$LOCAL" > /dev/null
run local-backup "$KILN" backup --repo "$LOCAL" --json "$CORPUS/$DS"
run s3-backup "$KILN" backup --repo "$S3" --json "$CORPUS/$DS"
run local-backup-nochange "$KILN" backup --repo "$LOCAL" --json "$CORPUS/$DS"
run s3-backup-nochange "$KILN" backup --repo "$S3" --json "$CORPUS/$DS"
rm -rf "$WORK/restore-local" "$WORK/restore-s3"
run local-restore "$KILN" restore --repo "$LOCAL" latest --json --target "$WORK/restore-local"
run s3-restore "$KILN" restore --repo "$S3" latest --json --target "$WORK/restore-s3"
diff -r "$CORPUS/$DS" "$WORK/restore-s3$CORPUS/$DS" > /dev/null && echo "s3 restore identical to the source" || echo "S3 RESTORE DIFFERS"
run s3-check-read-data "$KILN" check --repo "$S3" --read-data --json
