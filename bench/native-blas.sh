#!/usr/bin/env bash
# The issue's numbers: BlasPoolApp (it-tests) with and without the agent, and with a static
# OPENBLAS_NUM_THREADS=1, RUNS times each; prints the median pool and main-thread phase times.
#   bench/native-blas.sh [RUNS]          (needs: mvn -q -o package -DskipTests for the agent jar)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -q -o -pl it-tests -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
cp="$root/it-tests/target/test-classes:$(tr ':' '\n' < "$cpfile" | grep -E 'bytedeco|netlib|f2j|/jna-' | paste -sd:)"
agent="-javaagent:$root/agent/target/threadgov-agent.jar=cores=2"
java=${JAVA:-java}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

run() { # label env-prefix jvm-args app-args...
  local label=$1 envp=$2 jvm=$3; shift 3
  local pools=() mains=() out
  for ((i = 0; i < runs; i++)); do
    out=$(env $envp "$java" $jvm -cp "$cp" io.threadgov.it.natives.BlasPoolApp "$@" 2>/dev/null)
    pools+=("$(grep '^pool_ms=' <<<"$out" | cut -d= -f2)")
    mains+=("$(grep '^main_ms=' <<<"$out" | cut -d= -f2)")
  done
  printf '%-34s pool_ms median %6s  (%s)   main_ms median %5s  (%s)\n' "$label" \
    "$(printf '%s\n' "${pools[@]}" | median)" "${pools[*]}" \
    "$(printf '%s\n' "${mains[@]}" | median)" "${mains[*]}"
}

echo "JavaCPP OpenBLAS 0.3.28: 8 pool threads x 20 dgemm n=256, then 1 dgemm n=1024 on main; $runs runs"
run "without agent"                   "" ""       javacpp 8 20 256 1024
run "with agent (cores=2)"            "" "$agent" javacpp 8 20 256 1024
run "static OPENBLAS_NUM_THREADS=1"   "OPENBLAS_NUM_THREADS=1" "" javacpp 8 20 256 1024
echo "netlib -> Debian OpenBLAS 0.3.21 pthreads: 16 pool threads x 20 dgemm n=256, then n=1024 on main; $runs runs"
run "without agent"                   "" ""       netlib 16 20 256 1024
run "with agent (cores=2)"            "" "$agent" netlib 16 20 256 1024
