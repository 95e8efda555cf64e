#!/usr/bin/env bash
# Interleaved A/B of one bundled kernel: each round runs every configuration once, in the order given, as
# `java ... Main run KERNEL` (10 timed repetitions); prints each child's median and phases, then per
# configuration the median over rounds of the children's medians and of each phase.
#   bench/kernel-ab.sh KERNEL ROUNDS CONFIG...     (needs: mvn -q -o package -DskipTests)
# CONFIG: none | agent | agent:ARGS (agent arguments, e.g. agent:gemm_blocks=on) | jar@PATH (another agent jar,
# e.g. one built from an older commit) | static:OUTER:INNER
# (no agent, kernel.outer=OUTER, OPENBLAS/OMP threads and kernel.inner=INNER). QUICK=false: full sizes.
# Any CONFIG may be prefixed with environment variables for that child: VAR=VALUE[,VAR=VALUE]/CONFIG
# (e.g. GOMP_SPINCOUNT=0/agent). KERNELS_JAR=PATH: another kernels jar (e.g. one whose OpenMP kernel is linked
# against LLVM libomp). KNOBS="-Dkernel.warmupMs=5000 ...": more options for every child (after the defaults, so
# they win), e.g. a longer warm-up to compare steady states.
set -euo pipefail
kernel=$1 rounds=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
java=${JAVA:-java}
base=(-XX:-UseDynamicNumberOfCompilerThreads -XX:-UseDynamicNumberOfGCThreads "-Dkernel.quick=${QUICK:-true}"
      -Dkernel.reps=10 -Dkernel.repsMs=1000 ${KNOBS:-})
main=(-cp "${KERNELS_JAR:-bundled-kernels/target/threadgov-kernels.jar}" io.threadgov.kernels.Main run "$kernel")
agent=agent/target/threadgov-agent.jar
child() { # CONFIG -> the child's output
  local c=$1 o i
  case $c in
    none) "$java" "${base[@]}" "${main[@]}";;
    agent) "$java" "${base[@]}" -javaagent:$agent "${main[@]}";;
    agent:*) "$java" "${base[@]}" "-javaagent:$agent=${c#agent:}" "${main[@]}";;
    jar@*) "$java" "${base[@]}" "-javaagent:${c#jar@}" "${main[@]}";;
    static:*:*) o=${c#static:}; i=${o#*:}; o=${o%%:*}
      OPENBLAS_NUM_THREADS=$i OMP_NUM_THREADS=$i "$java" "${base[@]}" -Dkernel.outer=$o -Dkernel.inner=$i \
            -Djava.util.concurrent.ForkJoinPool.common.parallelism=$i "${main[@]}";;
    *) echo "unknown configuration: $c (none, agent, agent:ARGS, jar@PATH, static:OUTER:INNER)" >&2; exit 2;;
  esac
}
declare -A ms phases
for ((r = 1; r <= rounds; r++)); do
  for c in "$@"; do
    envs=() cfg=$c
    if [[ $c =~ ^([A-Z_][A-Z0-9_]*=[^/,]*(,[A-Z_][A-Z0-9_]*=[^/,]*)*)/(.*)$ ]]; then
      IFS=, read -ra envs <<<"${BASH_REMATCH[1]}"
      cfg=${BASH_REMATCH[3]}
    fi
    out=$(for e in "${envs[@]}"; do export "$e"; done; child "$cfg")
    line=$(echo "$out" | grep '^KERNEL_RESULT')
    m=$(echo "$line" | sed -E 's/.*"ms":([0-9.]+).*/\1/')
    p=$(echo "$line" | sed -E 's/.*"phases":\{([^}]*)\}.*/\1/; t; s/.*//' | tr -d '"')
    echo "round $r  $c  $m ms  $p"
    ms[$c]="${ms[$c]:-} $m"
    phases[$c]="${phases[$c]:-} $p"
  done
done
echo
for c in "$@"; do
  line=$(printf '%-28s median %s ms' "$c" "$(echo ${ms[$c]} | tr ' ' '\n' | median)")
  for name in $(echo ${phases[$c]} | tr ' ,' '\n\n' | sed -n 's/:.*//p' | sort -u); do
    line+=" $name=$(echo ${phases[$c]} | tr ' ,' '\n\n' | sed -n "s/^$name://p" | median)"
  done
  echo "$line"
done
