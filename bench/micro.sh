#!/usr/bin/env bash
# micro.sh [JMH OPTIONS...]: JMH microbenchmarks of kiln's chunker, hashing, compression and encryption next to the
# JDK's own primitives (microbench/), one thread each; every operation is one MiB, so ops/s read as MiB/s.
# Not part of the test run. Example: bench/micro.sh -f 1 -wi 2 -i 3   (quicker), bench/micro.sh 'zstd|Deflate'.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/jdk.sh"
(cd "$here" && JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")") ./mvnw -q -B -DskipTests -pl microbench -am package)
# -foe: a benchmark that throws fails the run (JMH otherwise reports it and exits 0)
exec "$java" --enable-native-access=ALL-UNNAMED -jar "$here/microbench/target/benchmarks.jar" -foe true "$@"
