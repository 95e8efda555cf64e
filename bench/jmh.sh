#!/usr/bin/env bash
# Runs JMH benchmarks of one module's test classes: bench/jmh.sh MODULE REGEX [jmh args...]
# e.g. bench/jmh.sh governor LimitBenchmark -f 1 -wi 3 -i 5
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 MODULE REGEX [jmh args...]" >&2
  exit 2
fi
module=$1; shift
regex=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -q -o -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$cpfile")"
exec java ${JMH_JAVA_OPTS:-} -cp "$cp" org.openjdk.jmh.Main "$regex" "$@"
