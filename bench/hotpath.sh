#!/usr/bin/env bash
# Task hot path with and without the agent (JMH, same session). Usage: bench/hotpath.sh [extra JMH args]
# Run from the repository root after `mvn package`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cp_file=$(mktemp)
mvn -q -o -pl it-tests dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="it-tests/target/test-classes:$(cat "$cp_file")"
agent="$root/agent/target/threadgov-agent.jar"
out=$(mktemp -d)
java -cp "$cp" org.openjdk.jmh.Main TaskHotPathBenchmark -rf json -rff "$out/none.json" "$@" | grep -E "^(Benchmark|TaskHotPath)" 
java -cp "$cp" org.openjdk.jmh.Main TaskHotPathBenchmark -jvmArgsAppend "-javaagent:$agent" -rf json -rff "$out/agent.json" "$@" | grep -E "^(Benchmark|TaskHotPath)" | sed 's/^/[agent] /'
python3 - "$out/none.json" "$out/agent.json" <<'PY'
import json, sys
none = {r["benchmark"].split(".")[-1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
agent = {r["benchmark"].split(".")[-1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[2]))}
for k in none:
    print(f"{k}: none {none[k]:.1f} ops/ms, agent {agent[k]:.1f} ops/ms, agent/none {agent[k]/none[k]:.3f}")
PY
