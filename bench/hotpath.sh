#!/usr/bin/env bash
# Task hot path with and without the agent (JMH), interleaved: ROUNDS rounds, each one fork without the
# agent then one with it, so drift on a shared machine hits both alike. Prints every round's scores, the
# per-round ratio agent/none and the median ratio per benchmark.
#   bench/hotpath.sh [ROUNDS] [extra JMH args]     (run from the repository root after `mvn package`)
# BASE_AGENT=PATH: the first side runs with that agent jar instead of none (e.g. one built from an older
# commit), so the ratio is this agent over that one. AGENT_ARGS=ARGS: the agent side runs with those arguments
# (e.g. AGENT_ARGS=scope=host with BASE_AGENT=agent/target/threadgov-agent.jar: host scope over jvm scope).
set -euo pipefail
rounds=${1:-6}; shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
agent="$root/agent/target/threadgov-agent.jar"
out=$(mktemp -d)
jmh=(-f 1 -wi 3 -w 1 -i 5 -r 1 "$@")
for ((i = 1; i <= rounds; i++)); do
  if [ -n "${BASE_AGENT:-}" ]; then
    bench/jmh.sh it-tests TaskHotPathBenchmark "${jmh[@]}" -jvmArgsAppend "-javaagent:$BASE_AGENT" \
      -rf json -rff "$out/none-$i.json" >/dev/null
  else
    bench/jmh.sh it-tests TaskHotPathBenchmark "${jmh[@]}" -rf json -rff "$out/none-$i.json" >/dev/null
  fi
  bench/jmh.sh it-tests TaskHotPathBenchmark "${jmh[@]}" -jvmArgsAppend "-javaagent:$agent${AGENT_ARGS:+=$AGENT_ARGS}" \
    -rf json -rff "$out/agent-$i.json" >/dev/null
  echo "round $i done" >&2
done
python3 - "$out" "$rounds" "${BASE_AGENT:+base}" <<'PY'
import json, sys, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
none = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else "none"
def scores(f):
    return {r["benchmark"].split(".")[-1]: r["primaryMetric"]["score"] for r in json.load(open(f))}
ratios = {}
for i in range(1, rounds + 1):
    n, a = scores(f"{out}/none-{i}.json"), scores(f"{out}/agent-{i}.json")
    for k in n:
        ratios.setdefault(k, []).append(a[k] / n[k])
        print(f"round {i} {k}: {none} {n[k]:.1f} ops/ms, agent {a[k]:.1f} ops/ms, agent/{none} {a[k]/n[k]:.3f}")
for k, r in ratios.items():
    print(f"{k}: median agent/{none} {statistics.median(r):.3f} over {len(r)} rounds (min {min(r):.3f}, max {max(r):.3f})")
PY
