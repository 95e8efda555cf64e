#!/usr/bin/env bash
# Spin-wait of the OpenMP runtimes under the agent: bench/java/OmpPhases.java (main's region at the whole budget,
# then POOL workers' regions at 1 thread each, ROUNDS times) on GNU libgomp (the kernels' JNI library as built) and
# on LLVM's libomp (the same C file linked against Debian's libomp5 here). Configurations, alternated, REPEATS
# rounds (default 5): no agent, the static OMP_NUM_THREADS=1, the agent with each runtime's default spin set by hand
# (GOMP_SPINCOUNT=300000, KMP_BLOCKTIME=200), the agent's own choice, and other candidates. Prints each run and
# per configuration the median of the runs' medians.
#   bench/spin-wait.sh [N] [ROUNDS] [POOL] [REPS]   (default 600 20 8 5; needs: mvn -q -o package -DskipTests, gcc)
# POOL 0: the main thread's regions only, back to back (what a spin shortens: each region wakes its team).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
n=${1:-600} rounds=${2:-20} pool=${3:-8} reps=${4:-5}
repeats=${REPEATS:-5}
java=${JAVA:-java}
kernels="$root/bundled-kernels/target/threadgov-kernels.jar"
agent="$root/agent/target/threadgov-agent.jar"
libomp=${LIBOMP:-/usr/lib/x86_64-linux-gnu/libomp.so.5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$kernels" bench/java/OmpPhases.java
# the kernels jar with its OpenMP library linked against libomp instead of libgomp
jhome=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
res=io/threadgov/kernels/native/linux-x86_64
mkdir -p "$work/omp/$res"
gcc -O2 -fPIC -fopenmp -c -I"$jhome/include" -I"$jhome/include/linux" bundled-kernels/src/main/c/omp_kernel.c \
    -o "$work/k.o"
gcc -shared -o "$work/omp/$res/libthreadgov_omp_kernel.so" "$work/k.o" "$libomp"
cp "$kernels" "$work/kernels-libomp.jar"
(cd "$work/omp" && jar uf "$work/kernels-libomp.jar" "$res/libthreadgov_omp_kernel.so")

one() { # runtime config -> ms checksum
  local jar=$kernels jvm=() envs=()
  [ "$1" = libomp ] && jar="$work/kernels-libomp.jar"
  case $2 in
    none) ;;
    static) envs=(OMP_NUM_THREADS=1);;
    agent) jvm=("-javaagent:$agent");;
    agent/*) jvm=("-javaagent:$agent"); envs=("${2#agent/}");;
  esac
  env "${envs[@]}" "$java" "${jvm[@]}" -cp "$jar:$work/classes" OmpPhases "$n" "$rounds" "$pool" "$reps" \
    | sed -nE 's/elapsed_ms=([0-9.]+) checksum=(.*)/\1 \2/p'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
for rt in libgomp libomp; do
  if [ $rt = libgomp ]; then
    configs=(none static agent/GOMP_SPINCOUNT=300000 agent agent/GOMP_SPINCOUNT=0 agent/GOMP_SPINCOUNT=1000
             agent/GOMP_SPINCOUNT=100000)
  else
    configs=(none static agent/KMP_BLOCKTIME=200 agent agent/KMP_BLOCKTIME=0 agent/KMP_BLOCKTIME=5
             agent/KMP_BLOCKTIME=20)
  fi
  declare -A ms=() sums=()
  for ((r = 1; r <= repeats; r++)); do
    for c in "${configs[@]}"; do
      read -r m s < <(one $rt "$c")
      echo "$rt round $r  $c  $m ms  checksum $s"
      ms[$c]+="$m "
      sums[$c]=$s
    done
  done
  for c in "${configs[@]}"; do
    printf '%s %-28s median %s ms  [%s] checksum %s\n' $rt "$c" "$(tr ' ' '\n' <<<"${ms[$c]}" | grep . | median)" \
      "${ms[$c]% }" "${sums[$c]}"
  done
  unset ms sums
done
