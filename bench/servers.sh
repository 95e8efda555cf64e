#!/usr/bin/env bash
# Issue #21 (outer parallelism the JDK does not pool): it-tests' BlasServerApp (Tomcat, Jetty, Netty; every request
# one JavaCPP dgemm n=256) loaded by LoadApp from a JVM of its own over 127.0.0.1, and BlasThreadsApp (plain threads,
# Kotlin's Dispatchers.Default, main alone), each without the agent (none), with it (agent) and with a static
# OPENBLAS_NUM_THREADS=1 and no agent (static), alternated (each round rotates which configuration goes first);
# prints each run's elapsed ms, then per case the medians and the ratios agent/none and agent/static.
#   bash bench/servers.sh [CASE...]     (needs: mvn -B -q install -DskipTests, or package, for the agent jar)
# CASEs (default: tomcat jetty netty plain kotlin tomcat-1 lone):
#   tomcat, jetty, netty   the server under CLIENTS (16) concurrent clients x REQUESTS (400) requests;
#                          KIND-C (e.g. tomcat-1): C clients, so tomcat-1 is a lone caller, one request at a time
#   plain                  8 platform threads started together, 15 dgemm each (fastest of 5 rounds in the JVM)
#   kotlin                 64 tasks of one dgemm on Dispatchers.Default used as an Executor (fastest of 10 rounds)
#   lone                   main alone, 100 dgemm in a loop (fastest of 8 rounds: the JIT warms up slower beside an agent)
# Servers: elapsed is LoadApp's, first request to last answer (JVM start-up excluded); the threads apps: their own.
# REPS (environment, default 3): rounds; AGENT: the agent jar; AGENT_ARGS: its arguments (default none: the budget is the
# machine's cores); REQUESTS, CLIENTS: the servers' load (400, 16); JAVA: the java to run.
# Targets (issue #21): under concurrent load agent/static <= 1.10; a lone caller agent/none <= 1.00.
set -euo pipefail
reps=${REPS:-3}
requests=${REQUESTS:-400}
clients=${CLIENTS:-16}
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(tomcat jetty netty plain kotlin tomcat-1 lone)
configs=(none agent static)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bench/lib.sh"
java=${JAVA:-java}
agent=${AGENT:-agent/target/threadgov-agent.jar}
[ -f "$agent" ] || { echo "no $agent: run mvn -B -q install -DskipTests" >&2; exit 2; }
agentopt="-javaagent:$agent${AGENT_ARGS:+=$AGENT_ARGS}"
cp=$(it_tests_classpath 'bytedeco|tomcat|jetty|netty|slf4j|jetbrains')
loadcp=it-tests/target/test-classes
tmp=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# run CASE CONFIG: one run; sets res_ms (its elapsed ms) and res_sum (the digest of its answers)
run() {
  local c=$1 cfg=$2 envp=() jvm=() out
  case $cfg in
    none) ;;
    agent) jvm=("$agentopt");;
    static) envp=(OPENBLAS_NUM_THREADS=1);;
  esac
  case $c in
    tomcat*|jetty*|netty*)
      local kind=${c%%-*} n=$clients port=
      [ "$kind" = "$c" ] || n=${c#*-}
      # emptied here, not by the redirect: the loop below may read before the background child opens it
      : > "$tmp/server.out"
      env "${envp[@]}" "$java" "${jvm[@]}" -cp "$cp" io.threadgov.it.servers.BlasServerApp "$kind" nostdin \
          >> "$tmp/server.out" 2> "$tmp/server.err" &
      server=$!
      for ((w = 0; w < 600; w++)); do
        port=$(sed -n 's/^PORT //p' "$tmp/server.out")
        [ -z "$port" ] && kill -0 "$server" 2>/dev/null || break
        sleep 0.1
      done
      [ -n "$port" ] || { echo "$c $cfg: the server printed no port" >&2; cat "$tmp/server.out" "$tmp/server.err" >&2; exit 1; }
      out=$(timeout 600 "$java" -cp "$loadcp" io.threadgov.it.servers.LoadApp "$port" "$requests" "$n" stop) \
        || { echo "$c $cfg: the load failed" >&2; echo "$out" >&2; cat "$tmp/server.err" >&2; exit 1; }
      timeout 60 tail --pid="$server" -f /dev/null || { echo "$c $cfg: the server did not stop" >&2; exit 1; }
      wait "$server" || { echo "$c $cfg: the server failed" >&2; cat "$tmp/server.err" >&2; exit 1; }
      server=
      res_ms=$(sed -n 's/^elapsed_ms=//p' <<<"$out")
      res_sum=$(sed -n 's/^digest=//p' <<<"$out")
      ;;
    plain|kotlin|lone)
      local args=()
      case $c in plain) args=(plain 8 15 5);; kotlin) args=(kotlin 64 10);; lone) args=(lone 100 8);; esac
      out=$(env "${envp[@]}" timeout 600 "$java" "${jvm[@]}" -cp "$cp" io.threadgov.it.servers.BlasThreadsApp \
          "${args[@]}" 2> "$tmp/app.err") || { echo "$c $cfg: failed" >&2; cat "$tmp/app.err" >&2; exit 1; }
      res_ms=$(sed -n 's/^elapsed_ms=//p' <<<"$out")
      res_sum=$(sed -n 's/^checksum=//p' <<<"$out")
      ;;
    *) echo "unknown case: $c (tomcat jetty netty [KIND-CLIENTS] plain kotlin lone)" >&2; exit 2;;
  esac
}

declare -A ms sums
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; agent: $agentopt"
n=${#configs[@]}
for ((r = 1; r <= reps; r++)); do
  for c in "${cases[@]}"; do
    for ((k = 0; k < n; k++)); do
      cfg=${configs[$(( (k + r - 1) % n ))]}
      run "$c" "$cfg"
      e=$res_ms sum=$res_sum
      [ -n "$e" ] && [ -n "$sum" ] || { echo "$c $cfg: no elapsed_ms or digest" >&2; exit 1; }
      printf 'round %d  %-10s %-7s %7s ms\n' "$r" "$c" "$cfg" "$e"
      ms[$c,$cfg]="${ms[$c,$cfg]:-} $e"
      if [ -n "${sums[$c]:-}" ] && [ "${sums[$c]}" != "$sum" ]; then
        echo "the answers of $c differ under $cfg: $sum, not ${sums[$c]}" >&2; exit 1
      fi
      sums[$c]=$sum
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "(median ms over $reps rounds; none: no agent, agent: $agentopt, static: OPENBLAS_NUM_THREADS=1 and no agent)"
printf '%-10s %9s %9s %9s %12s %12s\n' case none agent static agent/none agent/static
for c in "${cases[@]}"; do
  declare -A med=()
  for cfg in "${configs[@]}"; do
    med[$cfg]=$(echo ${ms[$c,$cfg]} | tr ' ' '\n' | median)
  done
  printf '%-10s %9s %9s %9s %12s %12s\n' "$c" "${med[none]}" "${med[agent]}" "${med[static]}" \
    "$(awk -v a="${med[agent]}" -v b="${med[none]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" \
    "$(awk -v a="${med[agent]}" -v b="${med[static]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
  unset med
done
