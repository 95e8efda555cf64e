#!/usr/bin/env bash
# What counting native callers costs a lone caller: one thread calling JavaCPP's cblas_dgemm (the kernels'
# Blas.multiplySum) on square products of order N in a loop (bench/java/SmallGemmLoop.java), without the agent,
# with the agent, and with the agent of another build (BASE_AGENT=PATH, e.g. one built before the counting),
# alternated, ROUNDS rounds (default 3); prints the median microseconds per call of each.
#   bench/native-callers.sh [N...]        (default: 32 64 192; needs: mvn -q -o package -DskipTests)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
orders=("$@")
[ ${#orders[@]} -gt 0 ] || orders=(32 64 192)
rounds=${ROUNDS:-3}
java=${JAVA:-java}
kernels="$root/bundled-kernels/target/threadgov-kernels.jar"
declare -A agents=([none]="" [agent]="-javaagent:$root/agent/target/threadgov-agent.jar")
keys=(none agent)
if [ -n "${BASE_AGENT:-}" ]; then
  agents[base]="-javaagent:$BASE_AGENT"
  keys+=(base)
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
for n in "${orders[@]}"; do
  calls=$(( n <= 32 ? 20000 : n <= 64 ? 5000 : 300 ))
  declare -A us=()
  for ((r = 0; r < rounds; r++)); do
    for k in "${keys[@]}"; do
      # the median of the 8 measured rounds inside the program
      v=$("$java" ${agents[$k]} -cp "$kernels" bench/java/SmallGemmLoop.java "$n" "$calls" 2>/dev/null \
          | sed 's/ us\/call.*//' | tr ' ' '\n' | grep . | median)
      us[$k]+="$v "
    done
  done
  line="order $n ($calls calls a round):"
  for k in "${keys[@]}"; do
    line+="  $k $(tr ' ' '\n' <<<"${us[$k]}" | grep . | median) us [${us[$k]% }]"
  done
  echo "$line"
  unset us
done
