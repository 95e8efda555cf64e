#!/usr/bin/env bash
# Issue #20 (govern what threads do): the shapes of it-tests' DemandApp, each without the agent, with the
# agent and with the agent at pools=none, alternated (each round rotates which configuration goes first);
# prints each child's elapsed_ms (the app's own clock: JVM start and exit excluded), then per shape and
# configuration the median over rounds, and the ratios to no agent.
#   bench/demand.sh [ROUNDS [SHAPE...]]     (needs: mvn -q -o package -DskipTests)
# ROUNDS defaults to 5; SHAPEs to: sleep socket mixed holder latch barrier compute (compute: the control,
# pools that must stay cut). Other shapes: cfchain turns stream holder-getter.
# CONFIGS (environment) overrides the configurations: none | agent | agent:ARGS (e.g. agent:pools=none).
# REPS (environment, default 1) runs each shape that many times in each child and reports the last run's
# time: REPS=2 leaves out what the agent costs once per JVM after the app's warm-up (on a loaded 2-core VM,
# a bimodal ~100 ms even at pools=none), and measures the pools born from their sites' memory.
# Targets (issue #20): sleep/socket agent/none <= 1.10; mixed agent at or below none and the old agent;
# holder agent/none <= 1.05; latch/barrier agent - none <= 100 ms.
set -euo pipefail
rounds=${1:-5}
shift $(( $# > 0 ? 1 : 0 ))
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(sleep socket mixed holder latch barrier compute)
read -r -a configs <<< "${CONFIGS:-none agent agent:pools=none}"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
java=${JAVA:-java}
agent=agent/target/threadgov-agent.jar
[ -f "$agent" ] || { echo "no $agent: run mvn -q -o package -DskipTests" >&2; exit 2; }
cp=it-tests/target/test-classes
[ -f "$cp/io/threadgov/it/demand/DemandApp.class" ] || cp=$(it_tests_classpath '^$')
main=(-cp "$cp" io.threadgov.it.demand.DemandApp)

declare -A ms sums
n=${#configs[@]}
for ((r = 1; r <= rounds; r++)); do
  for s in "${shapes[@]}"; do
    for ((k = 0; k < n; k++)); do
      c=${configs[$(( (k + r - 1) % n ))]}
      case $c in
        none) jvm=();;
        agent) jvm=("-javaagent:$agent");;
        agent:*) jvm=("-javaagent:$agent=${c#agent:}");;
        *) echo "unknown configuration: $c (none, agent, agent:ARGS)" >&2; exit 2;;
      esac
      out=$(timeout 300 "$java" "${jvm[@]}" "${main[@]}" "$s" "${REPS:-1}") || { echo "round $r $s $c: failed" >&2; echo "$out" >&2; exit 1; }
      e=$(echo "$out" | sed -n 's/^elapsed_ms=//p')
      sum=$(echo "$out" | sed -n 's/^checksum=//p')
      extra=$(echo "$out" | grep -E '^(nested_core_min|nested_core_max|shared_core|stream_threads_last|turns_core_io|turns_core_compute)=' | paste -sd' ' || true)
      printf 'round %d  %-13s %-20s %6s ms  %s\n' "$r" "$s" "$c" "$e" "$extra"
      ms[$s,$c]="${ms[$s,$c]:-} $e"
      if [ -n "${sums[$s]:-}" ] && [ "${sums[$s]}" != "$sum" ]; then
        echo "checksum of $s differs under $c: $sum, not ${sums[$s]}" >&2; exit 1
      fi
      sums[$s]=$sum
    done
  done
done
echo
header=$(printf '%-13s' shape)
for c in "${configs[@]}"; do header+=$(printf ' %20s' "$c"); done
for c in "${configs[@]}"; do [ "$c" = none ] || header+=$(printf ' %20s' "$c/none"); done
echo "$header"
echo "(median elapsed_ms over $rounds rounds; X/none: the ratio of the medians and, in brackets, their difference in ms)"
for s in "${shapes[@]}"; do
  line=$(printf '%-13s' "$s")
  declare -A med=()
  for c in "${configs[@]}"; do
    med[$c]=$(echo ${ms[$s,$c]} | tr ' ' '\n' | median)
    line+=$(printf ' %20s' "${med[$c]}")
  done
  for c in "${configs[@]}"; do
    [ "$c" = none ] || [ -z "${med[none]:-}" ] || line+=$(printf ' %20s' "$(awk -v a="${med[$c]}" -v b="${med[none]}" 'BEGIN {printf "%.2f (%+d)", (b > 0 ? a / b : 0), a - b}')")
  done
  echo "$line"
  unset med
done
