#!/usr/bin/env bash
# Benchmarks the packaged relay against a minimal hand-written baseline: ./bench/run.sh [options] (--help lists them).
# Builds the relay first if its jar is missing or older than its sources (the package phase, whose exec execution
# trains the class archive bin/photo-relay starts with; the archive alone if none is newer than the jar), then the
# benchmark itself.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar ]] || [[ -n $(find src routes application.properties pom.xml -newer "$jar" -type f -print -quit) ]]; then
    echo "[bench] building the relay (./mvnw -B -q package -DskipTests)" >&2
    ./mvnw -B -q package -DskipTests
elif [[ -z $(find target/quarkus-app -maxdepth 1 \( -name 'class-archive-*.jsa' -o -name 'class-archive-*.aot' \) \
        -newer "$jar" -print -quit) ]]; then
    echo "[bench] training the relay's class archive (bin/photo-relay --train-class-archive)" >&2
    bin/photo-relay --train-class-archive
fi
./mvnw -B -q -f bench/pom.xml package
# the classes, and the Kafka client of the Kafka run (the build lists its jars)
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.photorelay.bench.Benchmark "$@"
