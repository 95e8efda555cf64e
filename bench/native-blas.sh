#!/usr/bin/env bash
# The issue's numbers: BlasPoolApp (it-tests) with and without the agent, and with a static
# OPENBLAS_NUM_THREADS=1, RUNS times each; prints the median pool and main-thread phase times.
#   bench/native-blas.sh [RUNS]          (needs: mvn -q -o package -DskipTests for the agent jar)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
cp=$(it_tests_classpath 'bytedeco|netlib|f2j|/jna-')
agent="-javaagent:$root/agent/target/threadgov-agent.jar=cores=2"
java=${JAVA:-java}

# configurations run interleaved (one run of each per round) so that load changes hit all alike
declare -A pool main
once() { # key env-prefix jvm-args app-args...
  local key=$1 envp=$2 jvm=$3; shift 3
  local out
  out=$(env $envp "$java" $jvm -cp "$cp" io.threadgov.it.natives.BlasPoolApp "$@" 2>/dev/null)
  pool[$key]+="$(grep '^pool_ms=' <<<"$out" | cut -d= -f2) "
  main[$key]+="$(grep '^main_ms=' <<<"$out" | cut -d= -f2) "
}
show() { # key label
  local p=${pool[$1]} m=${main[$1]}
  printf '%-32s pool_ms median %6s min %6s  main_ms median %5s min %5s   pool: %s main: %s\n' "$2" \
    "$(tr ' ' '\n' <<<"$p" | grep . | median)" "$(tr ' ' '\n' <<<"$p" | grep . | minimum)" \
    "$(tr ' ' '\n' <<<"$m" | grep . | median)" "$(tr ' ' '\n' <<<"$m" | grep . | minimum)" "$p" "$m"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
  once jn ""                       ""       javacpp 8 20 256 1536
  once ja ""                       "$agent" javacpp 8 20 256 1536
  once js "OPENBLAS_NUM_THREADS=1" ""       javacpp 8 20 256 1536
  once nn ""                       ""       netlib 16 20 256 1536
  once na ""                       "$agent" netlib 16 20 256 1536
done
echo "JavaCPP OpenBLAS 0.3.28: 8 pool threads x 20 dgemm n=256, then dgemm n=1536 on main (best of 3); $runs runs"
show jn "without agent"
show ja "with agent (cores=2)"
show js "static OPENBLAS_NUM_THREADS=1"
echo "netlib -> Debian OpenBLAS 0.3.21 pthreads: 16 pool threads x 20 dgemm n=256, then n=1536 on main; $runs runs"
show nn "without agent"
show na "with agent (cores=2)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
