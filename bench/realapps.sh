#!/usr/bin/env bash
# Real applications (it-tests/realapps: Smile, XGBoost4J, Spark MLlib, DJL/PyTorch, each its own Maven project)
# without the agent, with it (default arguments: the one line a user adds), and at the static settings a user
# would try instead (OPENBLAS_NUM_THREADS=1 / OMP_NUM_THREADS=1, smaller outer pools, Spark's local[1]).
# Configurations run interleaved, one run of each per round, RUNS rounds (3); a run's figure is the median of
# its rounds after the first (the first loads the native libraries), Spark's the one fit of its JVM.
# Prints per stack each configuration's median over the runs and every run's figure, then one summary line:
# none, agent, the best static configuration, none/agent and agent/best (a configuration "agent ARGS" is the
# agent with other arguments: shown, neither the agent's figure nor a static one).
#   bench/realapps.sh [RUNS] [STACK...]      STACK: smile xgboost spark djl (all by default)
# Needs the agent jar (mvn -q -o package -DskipTests); builds it-tests/realapps itself (mvn -o package there).
set -euo pipefail
runs=${1:-3}
[ $# -gt 0 ] && shift
stacks=("$@")
[ ${#stacks[@]} -eq 0 ] && stacks=(smile xgboost spark djl)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
apps=$root/it-tests/realapps
jar=$root/agent/target/threadgov-agent.jar
[ -f "$jar" ] || { echo "no $jar: build it first (mvn -q -o package -DskipTests)" >&2; exit 1; }
(cd "$apps" && mvn -B -q -o package) >&2
agent="-javaagent:$jar"
java=${JAVA:-java}

classpath() { echo "$apps/$1/target/classes:$(cat "$apps/$1/target/classpath.txt")"; }
jvmopts() { if [ -f "$apps/$1/jvm-options.txt" ]; then tr '\n' ' ' < "$apps/$1/jvm-options.txt"; fi; }
# warm KEY OUTPUT: the median of KEY_round_ms after the first round (the only one when there is one)
warm() {
  local v
  v=$(grep "^$1_round_ms=" <<<"$2" | cut -d= -f2 | tr ',' '\n')
  if [ "$(wc -l <<<"$v")" -gt 1 ]; then v=$(tail -n +2 <<<"$v"); fi
  median <<<"$v"
}

declare -A res labels
declare -a order
# once STACK METRIC... -- KEY LABEL ENV JVM MAIN ARGS...: one run; records each METRIC under STACK/METRIC/KEY
once() {
  local stack=$1; shift
  local metrics=()
  while [ "$1" != "--" ]; do metrics+=("$1"); shift; done
  shift
  local key=$1 label=$2 envp=$3 jvm=$4 main=$5; shift 5
  local out m
  out=$(cd "$apps/$stack" && env $envp SPARK_LOCAL_IP=127.0.0.1 "$java" $(jvmopts "$stack") $jvm \
        -cp "$(classpath "$stack")" "$main" "$@" 2>/dev/null) || { echo "$stack $key failed" >&2; exit 1; }
  for m in "${metrics[@]}"; do
    res[$stack/$m/$key]+="$(warm "$m" "$out") "
    if [ -z "${labels[$stack/$m/$key]:-}" ]; then labels[$stack/$m/$key]=$label; order+=("$stack/$m/$key"); fi
  done
}

show() { # STACK METRIC TITLE
  local k none agent best="" bestv="" v
  echo "$3 ($runs runs; ms, median of each run's warm rounds)"
  for k in "${order[@]}"; do
    [[ $k == "$1/$2/"* ]] || continue
    v=$(tr ' ' '\n' <<<"${res[$k]}" | grep . | median)
    printf '  %-44s %9.1f   runs: %s\n' "${labels[$k]}" "$v" "${res[$k]}"
    case ${k##*/} in
      none) none=$v ;;
      agent) agent=$v ;;
      agent*) ;; # the agent with other arguments: shown, not a static setting
      *) if [ -z "$bestv" ] || awk "BEGIN{exit !($v < $bestv)}"; then bestv=$v; best=${labels[$k]}; fi ;;
    esac
  done
  awk -v n="$none" -v a="$agent" -v b="$bestv" -v s="$best" -v t="$1/$2" 'BEGIN {
    printf "summary %s: none %.1f | agent %.1f | best static %.1f (%s) | none/agent %.2f | agent/best %.2f\n",
      t, n, a, b, s, n / a, a / b }'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs"
for ((i = 0; i < runs; i++)); do
  for s in "${stacks[@]}"; do
    case $s in
      smile)
        M=io.threadgov.it.realapps.SmileApp
        once smile gp -- none  "none (pool 8)"                       "" ""       $M gp 6 800 8
        once smile gp -- agent "agent (pool 8)"                      "" "$agent" $M gp 6 800 8
        once smile gp -- agentd "agent demand=off (pool 8)"          "" "$agent=demand=off" $M gp 6 800 8
        once smile gp -- agenta "agent admission=on (pool 8)"        "" "$agent=admission=on" $M gp 6 800 8
        once smile gp -- ob1   "OPENBLAS_NUM_THREADS=1, pool 8"      OPENBLAS_NUM_THREADS=1 "" $M gp 6 800 8
        once smile gp -- ob1p2 "OPENBLAS_NUM_THREADS=1, pool 2"      OPENBLAS_NUM_THREADS=1 "" $M gp 6 800 2
        once smile gp -- p2    "pool 2"                              "" ""       $M gp 6 800 2
        once smile gp -- p1    "pool 1"                              "" ""       $M gp 6 800 1
        ;;
      xgboost)
        M=io.threadgov.it.realapps.XgboostApp
        once xgboost xgb -- none  "none (pool 4)"                    "" ""       $M 6 4 4
        once xgboost xgb -- agent "agent (pool 4)"                   "" "$agent" $M 6 4 4
        once xgboost xgb -- omp1  "OMP_NUM_THREADS=1, pool 4"        OMP_NUM_THREADS=1 "" $M 6 4 4
        once xgboost xgb -- omp1p2 "OMP_NUM_THREADS=1, pool 2"       OMP_NUM_THREADS=1 "" $M 6 2 4
        once xgboost xgb -- p2    "pool 2"                           "" ""       $M 6 2 4
        once xgboost xgb -- p1    "pool 1"                           "" ""       $M 6 1 4
        ;;
      spark)
        M=io.threadgov.it.realapps.SparkApp
        once spark mlp cv -- none  "none (local[*])"                 "" ""       $M all 1
        once spark mlp cv -- agent "agent (local[*])"                "" "$agent" $M all 1
        once spark mlp cv -- ob1   "OPENBLAS_NUM_THREADS=1, local[*]" OPENBLAS_NUM_THREADS=1 "" $M all 1
        once spark mlp cv -- l1    "local[1]"                        "" "-Dapp.master=local[1]" $M all 1
        ;;
      djl)
        M=io.threadgov.it.realapps.DjlApp
        D=-Dai.djl.offline=true
        once djl djl -- none   "none (pool 8)"                       "" "$D"        $M 6 8 8 1024 8
        once djl djl -- agent  "agent (pool 8)"                      "" "$D $agent" $M 6 8 8 1024 8
        once djl djl -- agenta "agent admission=on (pool 8)"         "" "$D $agent=admission=on" $M 6 8 8 1024 8
        once djl djl -- omp1   "OMP_NUM_THREADS=1, pool 8"           OMP_NUM_THREADS=1 "$D" $M 6 8 8 1024 8
        once djl djl -- omp1p2 "OMP_NUM_THREADS=1, pool 2"           OMP_NUM_THREADS=1 "$D" $M 6 2 8 1024 8
        once djl djl -- p2     "pool 2"                              "" "$D"        $M 6 2 8 1024 8
        once djl djl -- p1     "pool 1"                              "" "$D"        $M 6 1 8 1024 8
        ;;
      *) echo "unknown stack $s" >&2; exit 2 ;;
    esac
  done
done
for s in "${stacks[@]}"; do
  case $s in
    smile) show smile gp "Smile 3.1.1, JavaCPP OpenBLAS 0.3.26: 8 Gaussian process fits (n=800) per round" ;;
    xgboost) show xgboost xgb "XGBoost4J 3.4.0, system libgomp: 4 trainings (hist, 40 rounds, 15000 x 16) per round" ;;
    spark) show spark mlp "Spark MLlib 4.2.0 local mode, netlib -> Debian OpenBLAS: MultilayerPerceptron fit (40 iterations)"
           show spark cv "Spark MLlib 4.2.0: CrossValidator, 4 maps x 3 folds, setParallelism(4)" ;;
    djl) show djl djl "DJL 0.36 PyTorch 2.7.1 (its libgomp): 8 requests of 8 layers 128x1024x1024 (shared weights) per round" ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
