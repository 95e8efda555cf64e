#!/usr/bin/env bash
# Startup cost: median wall time of `java Hello` bare, with threadgov, and with the OpenTelemetry Java
# agent as a peer. Usage: bench/startup.sh [runs]   (run from the repository root after `mvn package`)
set -euo pipefail
runs=${1:-21}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
cat > "$work/EmptyAgent.java" <<'JAVA'
public class EmptyAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) { } }
JAVA
javac -d "$work" "$work/Hello.java" "$work/EmptyAgent.java"
printf 'Premain-Class: EmptyAgent\n' > "$work/manifest.txt"
jar cfm "$work/empty-agent.jar" "$work/manifest.txt" -C "$work" EmptyAgent.class
agent="$root/agent/target/threadgov-agent.jar"
otel_version=2.10.0
otel="$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$otel_version/opentelemetry-javaagent-$otel_version.jar"
if [ ! -f "$otel" ]; then
  mvn -q dependency:get -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version >/dev/null
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # name, java args...
  local name=$1; shift
  for _ in $(seq 3); do java "$@" -cp "$work" Hello >/dev/null 2>&1; done   # warm the page cache
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); java "$@" -cp "$work" Hello >/dev/null 2>&1; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | median | { read -r m; printf '%-28s %6s ms\n' "$name" "$m"; echo "$name $m" >> "$work/medians"; }
}
echo "java: $(java -version 2>&1 | head -1); runs: $runs; machine: $(nproc) cores"
measure "bare" 
measure "empty -javaagent (JVM floor)" -javaagent:"$work/empty-agent.jar"
measure "threadgov (default)" -javaagent:"$agent"
measure "threadgov (cores=2)" -javaagent:"$agent"=cores=2
measure "opentelemetry $otel_version" -javaagent:"$otel" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none
bare=$(awk '$1=="bare"{print $2}' "$work/medians")
awk -v b="$bare" '$1!="bare"{n=$0; sub(/ [0-9]+$/,"",n); printf "%-28s +%d ms over bare\n", n, $NF-b}' "$work/medians"
