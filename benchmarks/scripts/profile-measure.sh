#!/usr/bin/env bash
# Profiles only the measured phase of an aapns-load run with async-profiler (the Maven Central
# artifact tools.profiler:async-profiler, unpacked): it attaches when the first "measure:"
# progress line appears and writes a collapsed-stack profile when the JVM exits.
# Usage: benchmarks/scripts/profile-measure.sh LIBASYNCPROFILER.so OUT.collapsed [aapns-load args...]
set -euo pipefail
lib=$1 out=$2; shift 2
log=$(mktemp)
java -jar "$(dirname "$0")/../target/aapns-load.jar" "$@" > "$log" 2>&1 &
pid=$!
until grep -q '^measure:' "$log" || ! kill -0 $pid 2>/dev/null; do sleep 0.2; done
jcmd $pid JVMTI.agent_load "$lib" "start,event=itimer,interval=1ms,collapsed,file=$out" || true
wait $pid || true
tail -1 "$log"
rm -f "$log"
