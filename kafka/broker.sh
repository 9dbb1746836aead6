#!/usr/bin/env bash
# kafka/broker.sh: a single-node Apache Kafka 4 broker for local trials, tests and CI, run as a separate, detached
# process from Apache Kafka's own jars (org.apache.kafka:kafka_2.13 and kafka-tools, the version is in
# kafka/pom.xml), which ../mvnw resolves from the Maven repository: no download from anywhere else, no container.
#
# Usage:
#   kafka/broker.sh start  [--port N] [--data DIR] [--controller-port N]
#       Starts one KRaft node that is broker and controller at once, listening on 127.0.0.1 only, and returns once
#       it accepts clients (it has logged "Kafka Server started" and answers an ApiVersions request), printing its
#       bootstrap address, e.g. 127.0.0.1:9092, as the only line on stdout; everything else goes to stderr.
#       The broker keeps running in the background in a session of its own; the data dir keeps its topics, so a
#       start after a stop finds them again (its port may differ). A start on a data dir whose broker runs says
#       so and prints that broker's address (exit 0); asking it for another --port then is an error.
#   kafka/broker.sh stop   [--data DIR]
#       Stops the broker of that data dir (SIGTERM, so it shuts down cleanly; SIGKILL after
#       BROKER_STOP_TIMEOUT seconds) and waits until it has exited. Nothing running there is not an error.
#   kafka/broker.sh status [--data DIR]
#       Prints the address of the broker of that data dir if it runs (exit 0), else says it does not (exit 1).
#   kafka/broker.sh classpath
#       Prints the resolved classpath, to run Kafka's own tools against the broker, e.g.
#         java -cp "$(kafka/broker.sh classpath)" org.apache.kafka.tools.ConsoleProducer \
#             --bootstrap-server 127.0.0.1:9092 --topic t
#       (consumer: org.apache.kafka.tools.consumer.ConsoleConsumer).
#
# Defaults: --port 9092; --data kafka/target/data (beside this script, so the same whatever the working directory;
# ignored by git; `./mvnw -f kafka/pom.xml clean` removes it, so stop the broker first).
# The controller listener takes --controller-port, else, when the data dir is new, the broker port + 1 if that is
# free and below the kernel's ephemeral port range (where a client socket could take it while the broker is
# stopped), else a free port below that range; the data dir keeps it (DIR/controller.port) for later starts.
#
# The data dir holds:
#   server.properties    the broker's settings, written at every start (see write_config below)
#   kraft/               the log dir: topics and the KRaft metadata log, formatted at the first start
#   logs/server.log      the broker's log (log4j2, kafka/log4j2.properties; rolled at 20 MB)
#   logs/kafka.out       the JVM's own stdout and stderr, and storage formatting
#   broker.pid           the broker's pid while it runs
# Topics are created automatically on first use (auto.create.topics.enable=true, Kafka's default, with 1 partition):
# a trial needs no admin step; a test that wants other partition counts creates its topics itself.
#
# Jars: the first run resolves them with ../mvnw -f kafka/pom.xml dependency:build-classpath (offline first, then
# from the repository) into kafka/target/classpath.txt, reused while it is newer than kafka/pom.xml and its jars exist.
#
# Environment: JAVA_HOME (else java from PATH; Java 17 or later), KAFKA_HEAP_OPTS (default -Xms128m -Xmx512m),
# KAFKA_JVM_OPTS (added), BROKER_START_TIMEOUT (seconds, default 120), BROKER_STOP_TIMEOUT (seconds, default 60).
set -eu

KAFKA_DIR=$(cd "$(dirname "$0")" && pwd -P)
MVNW="$KAFKA_DIR/../mvnw"
CP_FILE="$KAFKA_DIR/target/classpath.txt"
RESOLVE_LOG="$KAFKA_DIR/target/resolve.log"

say() { printf 'broker.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
  sed -n '2,/^set -eu$/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

now_ms() { date +%s%3N; }
seconds() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# --- arguments ---------------------------------------------------------------------------------------------------
[ $# -ge 1 ] || usage
COMMAND=$1; shift
PORT=""; DATA=""; CONTROLLER_PORT=""
while [ $# -gt 0 ]; do
  case $1 in
    --port) [ $# -ge 2 ] || die "--port needs a value"; PORT=$2; shift 2 ;;
    --port=*) PORT=${1#*=}; shift ;;
    --data) [ $# -ge 2 ] || die "--data needs a value"; DATA=$2; shift 2 ;;
    --data=*) DATA=${1#*=}; shift ;;
    --controller-port) [ $# -ge 2 ] || die "--controller-port needs a value"; CONTROLLER_PORT=$2; shift 2 ;;
    --controller-port=*) CONTROLLER_PORT=${1#*=}; shift ;;
    -h|--help) usage 0 ;;
    *) die "unknown argument: $1 (see kafka/broker.sh --help)" ;;
  esac
done
valid_port() { case $1 in ''|*[!0-9]*) return 1 ;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
[ -z "$PORT" ] || valid_port "$PORT" || die "--port must be a port number (1-65535), not '$PORT'"
[ -z "$CONTROLLER_PORT" ] || valid_port "$CONTROLLER_PORT" \
  || die "--controller-port must be a port number (1-65535), not '$CONTROLLER_PORT'"
DATA=${DATA:-$KAFKA_DIR/target/data}
case $DATA in /*) ;; *) DATA="$PWD/$DATA" ;; esac

# data_paths: the data dir's files; the dir as an absolute path without links, once it exists, so that the broker's
# command line, by which its pid is checked, names its config the same however --data was spelt
data_paths() {
  if [ -d "$DATA" ]; then DATA=$(cd "$DATA" && pwd -P); fi
  PID_FILE="$DATA/broker.pid"
  CONFIG="$DATA/server.properties"
  LOG_DIR="$DATA/logs"
  KRAFT_DIR="$DATA/kraft"
}
data_paths

# lock_data: one start or stop at a time on a data dir (where flock exists); the broker does not inherit the lock
lock_data() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$DATA/.broker.lock"
  flock -w 300 9 || die "another kafka/broker.sh has been starting or stopping the broker of $DATA for 5 minutes"
}

# --- processes and ports -----------------------------------------------------------------------------------------
# alive PID: the process exists and is not a zombie (a broker that died while this script is its parent is one)
alive() {
  if [ -r "/proc/$1/stat" ]; then
    local state
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

# running_pid: the pid of this data dir's broker if it runs (checked against its command line, so that a pid file
# left by a crash and a pid since reused by another process is not taken for it); removes a stale pid file
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  case $pid in ''|*[!0-9]*) rm -f "$PID_FILE"; return 1 ;; esac
  if alive "$pid"; then
    if [ ! -r "/proc/$pid/cmdline" ] || tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF "$CONFIG"; then
      echo "$pid"; return 0
    fi
  fi
  rm -f "$PID_FILE"
  return 1
}

# port_in_use PORT: something listens on it (on any address; binding 127.0.0.1:PORT would fail)
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "( sport = :$1 )" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# who_listens PORT: "(by NAME, pid PID)", where ss can tell the listener's process (root sees all)
who_listens() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Htlnp "( sport = :$1 )" 2>/dev/null \
    | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/(by \1, pid \2)/p' | head -n 1 || true
}

ephemeral_low() {
  local low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null) || low=""
  case $low in ''|*[!0-9]*) low=32768 ;; esac
  echo "$low"
}

# pick_controller_port BROKER_PORT: see the header
pick_controller_port() {
  local low candidate tries
  low=$(ephemeral_low)
  [ "$low" -gt 21024 ] || low=32768
  candidate=$(($1 + 1))
  if [ "$candidate" -lt "$low" ] && ! port_in_use "$candidate"; then echo "$candidate"; return 0; fi
  tries=0
  while [ "$tries" -lt 200 ]; do
    candidate=$((20000 + RANDOM % (low - 20000)))
    if [ "$candidate" -ne "$1" ] && ! port_in_use "$candidate"; then echo "$candidate"; return 0; fi
    tries=$((tries + 1))
  done
  return 1
}

# --- Java and the jars -------------------------------------------------------------------------------------------
find_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    [ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME is $JAVA_HOME but $JAVA_HOME/bin/java is missing"
    JAVA="$JAVA_HOME/bin/java"
  else
    JAVA=$(command -v java 2>/dev/null) || die "Java is missing: set JAVA_HOME or put java (17 or later) on PATH"
  fi
  local version major
  version=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  case $version in 1.*) major=$(echo "$version" | cut -d. -f2) ;; *) major=${version%%[.+-]*} ;; esac
  case $major in
    ''|*[!0-9]*) die "cannot tell the version of $JAVA (java -version says: $("$JAVA" -version 2>&1 | head -n 1))" ;;
  esac
  [ "$major" -ge 17 ] || die "$JAVA is Java $version; Kafka 4 brokers need Java 17 or later (set JAVA_HOME)"
}

classpath_ok() {
  [ -s "$CP_FILE" ] && [ "$CP_FILE" -nt "$KAFKA_DIR/pom.xml" ] || return 1
  tr ':' '\n' <"$CP_FILE" | while IFS= read -r jar || [ -n "$jar" ]; do [ -f "$jar" ] || exit 1; done
}

# resolve: sets CP, resolving the jars with ../mvnw when kafka/target/classpath.txt cannot be reused
resolve() {
  if ! classpath_ok; then
    [ -x "$MVNW" ] || die "cannot resolve Kafka's jars: $MVNW is missing"
    mkdir -p "$KAFKA_DIR/target"
    # a file of this run's own, then renamed: starts on two data dirs at once may resolve at once
    local tmp="$CP_FILE.$$" goal="dependency:build-classpath"
    local out="-Dmdep.outputFile=$tmp"
    rm -f "$tmp"
    if ! "$MVNW" -B -q -o -f "$KAFKA_DIR/pom.xml" "$goal" "$out" >"$RESOLVE_LOG" 2>&1; then
      say "resolving Kafka's jars with ./mvnw (kafka/pom.xml), log: $RESOLVE_LOG"
      if ! "$MVNW" -B -q -f "$KAFKA_DIR/pom.xml" "$goal" "$out" >"$RESOLVE_LOG" 2>&1; then
        tail -n 20 "$RESOLVE_LOG" >&2
        die "resolution failed: ./mvnw could not resolve Kafka's jars of kafka/pom.xml (whole log: $RESOLVE_LOG)"
      fi
    fi
    [ -s "$tmp" ] || die "resolution failed: ./mvnw wrote no classpath (log: $RESOLVE_LOG)"
    mv "$tmp" "$CP_FILE"
  fi
  CP=$(cat "$CP_FILE")
}

# --- the broker --------------------------------------------------------------------------------------------------
address_of_config() {
  sed -n 's/^advertised\.listeners=PLAINTEXT:\/\/\([^,]*\).*/\1/p' "$CONFIG" 2>/dev/null | head -n 1
}

write_config() {
  cat >"$CONFIG.tmp" <<EOF
# Written by kafka/broker.sh at every start; edits are lost.
# One KRaft node, broker and controller at once, on the loopback interface only.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
log.dirs=$KRAFT_DIR
# a single node: internal topics with one replica and one partition (Kafka's 50 are loaded at every start),
# and no wait for more group members
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.num.partitions=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# topics appear on first use, with one partition
auto.create.topics.enable=true
num.partitions=1
EOF
  mv "$CONFIG.tmp" "$CONFIG"
}

# format_storage: the first start of a data dir formats its KRaft log dir, with a new cluster id and this node as
# the quorum's only voter (--standalone)
format_storage() {
  [ -f "$KRAFT_DIR/meta.properties" ] && return 0
  local cluster_id
  # a Kafka Uuid as StorageTool random-uuid makes it (16 random bytes, base64url), without a JVM start for it
  while :; do
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    case $cluster_id in -*|AAAAAAAAAAAAAAAAAAAAA*) ;; *) break ;; esac
  done
  if ! "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$CP" kafka.tools.StorageTool format --standalone --cluster-id "$cluster_id" --config "$CONFIG" \
      >>"$LOG_DIR/kafka.out" 2>&1 </dev/null; then
    tail -n 20 "$LOG_DIR/kafka.out" >&2
    die "formatting the KRaft storage in $KRAFT_DIR failed (log: $LOG_DIR/kafka.out)"
  fi
  say "formatted new KRaft storage in $KRAFT_DIR (cluster id $cluster_id)"
}

# api_versions_ok: the broker answers a Kafka ApiVersions request on the address given out, with error code 0: the
# round trip that Kafka's kafka-broker-api-versions tool makes, without starting a JVM for it. The request is v0,
# which every broker answers: size 10, api key 18, version 0, correlation id 7, no client id; the answer starts
# with its size, then correlation id 7 and the error code.
api_versions_ok() {
  local reply
  # shellcheck disable=SC2016
  reply=$(timeout 10 "$BASH" -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "\000\000\000\012\000\022\000\000\000\000\000\007\377\377" >&3
      head -c 10 <&3 | od -An -tx1' _ "$PORT" 2>/dev/null) || reply=""
  reply=$(printf '%s' "$reply" | tr -d ' \n')
  case $reply in
    ????????000000070000) return 0 ;;
    *) LAST_CHECK_OUTPUT="ApiVersions to 127.0.0.1:$PORT answered: ${reply:-nothing}"; return 1 ;;
  esac
}

start() {
  mkdir -p "$DATA" || die "cannot create the data dir $DATA"
  data_paths
  lock_data
  local pid running_address
  if pid=$(running_pid); then
    running_address=$(address_of_config)
    if [ -n "$PORT" ] && [ "$running_address" != "127.0.0.1:$PORT" ]; then
      die "a broker already runs for $DATA (pid $pid) at $running_address, not on port $PORT: stop it first"
    fi
    say "a broker already runs for $DATA (pid $pid) at $running_address"
    echo "$running_address"
    return 0
  fi
  PORT=${PORT:-9092}

  find_java
  resolve

  if port_in_use "$PORT"; then
    die "port $PORT is in use $(who_listens "$PORT"); choose another with --port"
  fi
  if [ -z "$CONTROLLER_PORT" ] && [ -f "$DATA/controller.port" ]; then
    CONTROLLER_PORT=$(cat "$DATA/controller.port")
    valid_port "$CONTROLLER_PORT" || die "$DATA/controller.port does not hold a port number"
  fi
  if [ -z "$CONTROLLER_PORT" ]; then
    CONTROLLER_PORT=$(pick_controller_port "$PORT") || die "found no free port for the controller listener"
  fi
  [ "$CONTROLLER_PORT" != "$PORT" ] || die "the controller port must differ from the broker port $PORT"
  if port_in_use "$CONTROLLER_PORT"; then
    die "the controller port $CONTROLLER_PORT of $DATA is in use $(who_listens "$CONTROLLER_PORT")"
  fi

  mkdir -p "$LOG_DIR" "$KRAFT_DIR"
  local started_ms log_offset=0 deadline_ms
  started_ms=$(now_ms)
  write_config
  format_storage
  echo "$CONTROLLER_PORT" >"$DATA/controller.port"

  # only log lines written by this start count
  [ -f "$LOG_DIR/server.log" ] && log_offset=$(wc -c <"$LOG_DIR/server.log")
  rm -f "$PID_FILE"
  printf '\n=== %s broker.sh start --port %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$PORT" >>"$LOG_DIR/kafka.out"
  # the shell writes its own pid, which the exec'd java keeps; its own session, so that the caller's terminal and
  # process group (Ctrl-C, CI's job control) do not reach it; stdin, stdout and stderr are not the caller's
  # shellcheck disable=SC2086,SC2016
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} \
    -Dkafka.logs.dir="$LOG_DIR" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
    -cp "$CP" kafka.Kafka "$CONFIG" \
    </dev/null >>"$LOG_DIR/kafka.out" 2>&1 9>&- &

  deadline_ms=$((started_ms + ${BROKER_START_TIMEOUT:-120} * 1000))
  while [ ! -s "$PID_FILE" ]; do
    [ "$(now_ms)" -lt "$deadline_ms" ] || die "the broker process did not start (log: $LOG_DIR/kafka.out)"
    sleep 0.05
  done
  pid=$(cat "$PID_FILE")

  failed() {
    say "error: $1"
    if [ -f "$LOG_DIR/server.log" ]; then
      tail -c +$((log_offset + 1)) "$LOG_DIR/server.log" | grep -E ' (ERROR|FATAL) ' | tail -n 10 >&2 || true
    fi
    tail -n 10 "$LOG_DIR/kafka.out" >&2
    if tail -c +$((log_offset + 1)) "$LOG_DIR/server.log" 2>/dev/null | grep -q 'Address already in use'; then
      say "a port of the broker ($PORT, or the controller's $CONTROLLER_PORT) was taken meanwhile"
    fi
    say "logs: $LOG_DIR/server.log and $LOG_DIR/kafka.out"
    exit 1
  }

  # the broker logs "[KafkaRaftServer nodeId=1] Kafka Server started" once its listeners accept requests
  while ! tail -c +$((log_offset + 1)) "$LOG_DIR/server.log" 2>/dev/null | grep -q 'Kafka Server started'; do
    alive "$pid" || { rm -f "$PID_FILE"; failed "the broker exited while starting"; }
    if [ "$(now_ms)" -ge "$deadline_ms" ]; then
      end_broker "$pid"; rm -f "$PID_FILE"
      failed "the broker did not start within ${BROKER_START_TIMEOUT:-120} s; it has been stopped"
    fi
    sleep 0.1
  done
  # and it really answers Kafka requests on the address given out
  LAST_CHECK_OUTPUT=""
  while ! api_versions_ok; do
    alive "$pid" || { rm -f "$PID_FILE"; failed "the broker exited while starting"; }
    if [ "$(now_ms)" -ge "$deadline_ms" ]; then
      printf '%s\n' "$LAST_CHECK_OUTPUT" | tail -n 5 >&2
      end_broker "$pid"; rm -f "$PID_FILE"
      failed "the broker logged its start but did not answer on 127.0.0.1:$PORT; it has been stopped"
    fi
    sleep 0.2
  done
  local took_ms=$(($(now_ms) - started_ms))
  say "broker started in $(seconds "$took_ms") s (pid $pid, data $DATA, log $LOG_DIR/server.log)"
  echo "127.0.0.1:$PORT"
}

# end_broker PID: SIGTERM, so that it shuts down cleanly, SIGKILL after BROKER_STOP_TIMEOUT s; returns once gone
end_broker() {
  local deadline_ms killed=""
  deadline_ms=$(($(now_ms) + ${BROKER_STOP_TIMEOUT:-60} * 1000))
  kill -TERM "$1" 2>/dev/null || true
  while alive "$1"; do
    if [ -z "$killed" ] && [ "$(now_ms)" -ge "$deadline_ms" ]; then
      say "the broker (pid $1) did not stop within ${BROKER_STOP_TIMEOUT:-60} s of SIGTERM: killing it"
      kill -KILL "$1" 2>/dev/null || true
      killed=yes
    fi
    sleep 0.1
  done
}

stop() {
  local pid
  if [ ! -d "$DATA" ]; then
    say "no broker runs for $DATA (no such data dir)"
    return 0
  fi
  lock_data
  if ! pid=$(running_pid); then
    say "no broker runs for $DATA"
    return 0
  fi
  local started_ms took_ms
  started_ms=$(now_ms)
  end_broker "$pid"
  rm -f "$PID_FILE"
  took_ms=$(($(now_ms) - started_ms))
  say "broker stopped in $(seconds "$took_ms") s (pid $pid, data $DATA)"
}

status() {
  local pid
  if pid=$(running_pid); then
    say "a broker runs for $DATA (pid $pid)"
    address_of_config
    return 0
  fi
  say "no broker runs for $DATA"
  return 1
}

case $COMMAND in
  start) start ;;
  stop) stop ;;
  status) status ;;
  classpath) resolve; echo "$CP" ;;
  -h|--help|help) usage 0 ;;
  *) die "unknown command: $COMMAND (start, stop, status or classpath; see kafka/broker.sh --help)" ;;
esac
