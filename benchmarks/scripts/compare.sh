#!/usr/bin/env bash
# Runs aapns-load back to back for aapns ("after"), Pushy, and optionally an older aapns-load jar
# ("before"), 1 then 4 connections with 1000 notifications in flight per connection, ROUNDS times,
# against a server made by nginx-server.sh DIR. With H2LOAD=1 in the environment, h2load (the C
# client from nghttp2, apt-get install nghttp2-client) runs beside them with the same connections,
# streams and count, timed by /usr/bin/time for its CPU. COUNT and WARMUP (default 300000 and
# 200000) set the notifications measured and sent first. One result line per run.
# Usage: benchmarks/scripts/compare.sh URL DIR [ROUNDS] [BEFORE_JAR]
set -uo pipefail
url=${1:?usage: compare.sh URL DIR [ROUNDS] [BEFORE_JAR]} dir=${2:?} rounds=${3:-2} before=${4:-}
jar=$(dirname "$0")/../target/aapns-load.jar
variants=${VARIANTS:-after pushy}; [ -n "$before" ] && variants="before $variants"
[ "${H2LOAD:-0}" = 1 ] && variants="$variants h2load"
count=${COUNT:-300000} warmup=${WARMUP:-200000}
token=5b1a0c0e7f3d4c2b8a9e6f1d0c3b2a198f7e6d5c4b3a29180f1e2d3c4b5a6978
payload=$(mktemp) && trap 'rm -f "$payload"' EXIT
printf '%s' '{"aps":{"alert":{"title":"Game request","body":"Bob wants to play poker"},"badge":5,"sound":"default"},"game-id":"42"}' > "$payload"
for r in $(seq 1 "$rounds"); do
  for conn in 1 4; do
    for v in $variants; do
      if [ "$v" = h2load ]; then
        # the warm-up is not measured separately: h2load's figures include its start.
        out=$( { /usr/bin/time -f 'h2load-time elapsed=%e user=%U sys=%S' h2load -n $count -c $conn -m 1000 -t 1 \
          -d "$payload" -H 'apns-topic: com.example.app' -H 'apns-push-type: alert' \
          "$url/3/device/$token" | grep -E '^(finished in|requests:|status codes:)'; } 2>&1 | tr '\n' ' ')
        echo "round=$r conn=$conn $v $out"
        continue
      fi
      j=$jar; client=aapns
      [ "$v" = before ] && j=$before
      [ "$v" = pushy ] && client=pushy
      out=$(java -jar "$j" --url "$url" --cert "$dir/client.p12" --password changeit \
        --trust "$dir/server.pem" --topic com.example.app --connections $conn --concurrency $((conn * 1000)) \
        --count $count --warmup $warmup --client $client 2>&1 | tail -2 | tr '\n' ' ')
      echo "round=$r conn=$conn $v $out"
    done
  done
done
