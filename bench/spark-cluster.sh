#!/usr/bin/env bash
# Spark MLlib on Spark's own standalone cluster manager, on this host: master local-cluster[2,1,512] (a Master and two
# Workers in the driver JVM; each Worker starts an executor JVM of one core and 512 MB), a MultilayerPerceptron
# fit (it-tests/realapps/spark, SparkApp mlp: layers 24-HIDDEN-HIDDEN-3, 2 partitions, one per executor, whose tasks
# call netlib -> Debian's OpenBLAS). The driver runs without the agent; the executors:
#   none    no agent, Spark's default: Spark puts OMP_NUM_THREADS=spark.task.cpus (1) into each executor's
#           environment (since 3.4), which OpenBLAS reads: one BLAS thread per executor already
#   jvm     the agent (jvm scope)                      host   the agent with scope=host (a private table)
#   static  OPENBLAS_NUM_THREADS=1 (spark.executorEnv), no agent
#   none2, jvm2, host2: as none, jvm, host with spark.executorEnv.OMP_NUM_THREADS=2 (a user who raises it, or
#           Spark before 3.4): each executor's OpenBLAS starts at both cores
# Configurations alternated, ROUNDS rounds (3). Prints every run, each configuration's median fit wall time (ms,
# the driver's clock around fit()) with every round's, and whether every run gave the same model (the checksum of
# its weights' bits).
#   bench/spark-cluster.sh [ITERATIONS] [HIDDEN]      (L-BFGS iterations, hidden width; default 20 512: at
#   SparkApp's own 64 the fit is mostly Spark's scheduling, and every configuration is level)
# REPORTS=DIR: each executor with the agent writes its report there (CONFIG-rROUND-PID.json).
# Needs the agent jar (mvn -q -o package -DskipTests); builds it-tests/realapps itself (mvn -o package there).
set -euo pipefail
iters=${1:-20} hidden=${2:-512}
rounds=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
app=$root/it-tests/realapps/spark
jar=$root/agent/target/threadgov-agent.jar
[ -f "$jar" ] || { echo "no $jar: build it first (mvn -q -o package -DskipTests)" >&2; exit 1; }
(cd "$root/it-tests/realapps" && mvn -B -q -o package) >&2
java=${JAVA:-java}
cp="$app/target/classes:$(cat "$app/target/classpath.txt")"
tmp=$(mktemp -d /tmp/threadgov-spark-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the Workers build each executor's command from SPARK_HOME (its jars/ folder: empty here, the class path is
# spark.executor.extraClassPath) and SPARK_SCALA_VERSION, as Spark's scripts set them; executors log to its work/
mkdir -p "$tmp/home/jars"

run() { # CONFIG -> "ms checksum"
  local opts="" conf=() out report=""
  [ -n "${REPORTS:-}" ] && mkdir -p "$REPORTS" && report="report=$(cd "$REPORTS" && pwd)/$1-r$((r + 1))-%p.json"
  case $1 in
    jvm*) opts="-javaagent:$jar${report:+=$report}" ;;
    host*) opts="-javaagent:$jar=scope=host,host_table=$tmp/table${report:+,$report}" ;;
    static) conf=(-Dspark.executorEnv.OPENBLAS_NUM_THREADS=1) ;;
  esac
  [[ $1 == *2 ]] && conf=(-Dspark.executorEnv.OMP_NUM_THREADS=2)
  out=$(env SPARK_HOME="$tmp/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
    "$java" $(tr '\n' ' ' < "$app/jvm-options.txt") -cp "$cp" \
    "-Dapp.master=local-cluster[2,1,512]" -Dapp.partitions=2 -Dapp.mlpIter="$iters" -Dapp.hidden="$hidden" \
    -Dspark.executor.memory=512m "-Dspark.executor.extraClassPath=$cp" "-Dspark.executor.extraJavaOptions=$opts" \
    "${conf[@]}" io.threadgov.it.realapps.SparkApp mlp 1 2>"$tmp/driver-stderr") \
    || { echo "$1 failed:" >&2; tail -20 "$tmp/driver-stderr" >&2; exit 1; }
  echo "$(grep '^mlp_median_ms=' <<<"$out" | cut -d= -f2) $(grep '^mlp_checksum=' <<<"$out" | cut -d= -f2)"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs"
configs=(${CONFIGS:-none jvm host static none2 jvm2 host2})
declare -A ms sums
for ((r = 0; r < rounds; r++)); do
  for c in "${configs[@]}"; do
    read -r t s < <(run "$c")
    ms[$c]+="$t "
    sums[$s]=1
    echo "round $((r + 1)) $c $t ms model $s load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "Spark MLlib 4.2.0, local-cluster[2,1,512], MLP 24-$hidden-$hidden-3 fit ($iters iterations) in 2 executors ($rounds rounds; ms):"
for c in "${configs[@]}"; do
  printf '  %-8s %9.1f   rounds: %s\n' "$c" "$(tr ' ' '\n' <<<"${ms[$c]}" | grep . | median)" "${ms[$c]% }"
done
echo "models: ${#sums[@]} distinct checksum(s): ${!sums[*]}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
