#!/usr/bin/env bash
# Benchmarks the packaged relay against a minimal hand-written baseline: ./bench/run.sh [options] (--help lists them).
# Builds the relay first if its jar is missing or older than its sources, then the benchmark itself.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar ]] || [[ -n $(find src routes application.properties pom.xml -newer "$jar" -type f -print -quit) ]]; then
    echo "[bench] building the relay (./mvnw -B -q package -DskipTests)" >&2
    ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q -f bench/pom.xml package
exec java -cp bench/target/classes dev.photorelay.bench.Benchmark "$@"
