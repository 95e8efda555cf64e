#!/usr/bin/env bash
# JVMs on one host, each one thread calling JavaCPP OpenBLAS dgemm (bench/java/GemmLoop.java, order N, CALLS calls),
# started together: (a) JVMS busy JVMs, (b) one busy JVM beside JVMS-1 idle ones (the idle ones run the agent and
# sleep). Configurations, alternated, ROUNDS rounds (default 3): per-JVM budgets (the agent, jvm scope), host scope,
# and the static split (OPENBLAS_NUM_THREADS=1 in each, no agent). Prints the median wall time (first start to last
# end) of each. (c), the Spark cluster job (two executor JVMs started by Spark's standalone Workers), is
# bench/spark-cluster.sh: SHAPES="a b c" runs it after (a) and (b) (SHAPES=c alone; it builds it-tests/realapps).
#   bench/host-budget.sh [JVMS] [N] [CALLS]      (default 4 512 60; needs: mvn -q -o package -DskipTests)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
jvms=${1:-4} n=${2:-512} calls=${3:-60}
rounds=${ROUNDS:-3}
java=${JAVA:-java}
kernels="$root/bundled-kernels/target/threadgov-kernels.jar"
agent="${AGENT:-$root/agent/target/threadgov-agent.jar}" # AGENT=JAR: another build
table=$(mktemp -u /tmp/threadgov-host-bench-XXXXXX)
# compiled once: the single-file launcher would compile in every JVM, on the clock
classes=$(mktemp -d)
javac -d "$classes" -cp "$kernels" bench/java/GemmLoop.java
cp="$kernels:$classes"

run() { # config busy-jvms -> wall ms (start to the last busy one's end)
  local cfg=$1 busy=$2 envp="" jvm="" pids=() idle=() wall
  case $cfg in
    jvm) jvm="-javaagent:$agent";;
    host) jvm="-javaagent:$agent=scope=host,host_table=$table";;
    static) envp="OPENBLAS_NUM_THREADS=1";;
  esac
  local at=$(( $(date +%s%3N) + 2500 ))
  for ((i = 0; i < jvms; i++)); do
    if ((i < busy)); then
      env $envp "$java" $jvm -cp "$cp" GemmLoop "$n" "$calls" "$at" > /dev/null &
      pids+=($!)
    else # idle: loads the agent and BLAS, then sleeps through the busy ones' run
      env $envp "$java" $jvm -cp "$cp" GemmLoop "$n" 0 "$at" 30000 > /dev/null &
      idle+=($!)
    fi
  done
  wait "${pids[@]}"
  wall=$(( $(date +%s%3N) - at ))
  [ ${#idle[@]} -eq 0 ] || kill "${idle[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  echo $wall
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
shapes=${SHAPES:-a b}
for shape in $shapes; do
  [ "$shape" = c ] && continue
  busy=$jvms; [ $shape = b ] && busy=1
  declare -A ms=()
  for ((r = 0; r < rounds; r++)); do
    for cfg in jvm host static; do
      ms[$cfg]+="$(run $cfg $busy) "
    done
  done
  printf '(%s) %d JVMs, %d busy, dgemm n=%d x %d each:' "$shape" "$jvms" "$busy" "$n" "$calls"
  for cfg in jvm host static; do
    printf '  %s %s ms [%s]' "$cfg" "$(tr ' ' '\n' <<<"${ms[$cfg]}" | grep . | median)" "${ms[$cfg]% }"
  done
  echo
  unset ms
done
rm -rf "$classes" "$table"
if [[ " $shapes " == *" c "* ]]; then
  echo "(c) the Spark cluster job:"
  ROUNDS=$rounds bash "$root/bench/spark-cluster.sh"
fi
