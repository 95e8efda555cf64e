#!/usr/bin/env bash
# Task hot path with and without the agent (JMH, same session). Usage: bench/hotpath.sh [extra JMH args]
# Run from the repository root after `mvn package`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
agent="$root/agent/target/threadgov-agent.jar"
out=$(mktemp -d)
bench/jmh.sh it-tests TaskHotPathBenchmark -rf json -rff "$out/none.json" "$@" | grep -E "^(Benchmark|TaskHotPath)"
bench/jmh.sh it-tests TaskHotPathBenchmark -jvmArgsAppend "-javaagent:$agent" -rf json -rff "$out/agent.json" "$@" \
  | grep -E "^(Benchmark|TaskHotPath)" | sed 's/^/[agent] /'
python3 - "$out/none.json" "$out/agent.json" <<'PY'
import json, sys
none = {r["benchmark"].split(".")[-1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
agent = {r["benchmark"].split(".")[-1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[2]))}
for k in none:
    print(f"{k}: none {none[k]:.1f} ops/ms, agent {agent[k]:.1f} ops/ms, agent/none {agent[k]/none[k]:.3f}")
PY
