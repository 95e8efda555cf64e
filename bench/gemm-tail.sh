#!/usr/bin/env bash
# gemm blocks on the tail of a batch: GemmApp (it-tests) runs a dgemm of order 1536 and one of 768 side by
# side in a fixed pool of 8; prints, per configuration, the median time until the long one is done.
#   bench/gemm-tail.sh [RUNS]          (needs: mvn -q -o package -DskipTests for the agent jar)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
cp=$(it_tests_classpath 'bytedeco')
agent="$root/agent/target/threadgov-agent.jar"
java=${JAVA:-java}
declare -A all
configs=(none "cores=2" "cores=2,gemm_blocks=on")
for ((r = 0; r < runs; r++)); do   # interleaved: load changes hit every configuration alike
  for c in "${configs[@]}"; do
    if [ "$c" = none ]; then out=$("$java" -cp "$cp" io.threadgov.it.natives.GemmApp)
    else out=$("$java" -javaagent:"$agent=$c" -cp "$cp" io.threadgov.it.natives.GemmApp); fi
    all[$c]="${all[$c]:-} $(echo "$out" | sed -n 's/^tail_ms=//p')"
  done
done
for c in "${configs[@]}"; do
  printf '%-24s tail_ms median %s   (%s)\n' "$c" "$(echo ${all[$c]} | tr ' ' '\n' | median)" "${all[$c]# }"
done
