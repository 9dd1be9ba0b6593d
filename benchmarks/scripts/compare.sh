#!/usr/bin/env bash
# Runs aapns-load back to back for aapns and Pushy (and optionally an older aapns-load jar as
# "before"), 1 then 4 connections with 1000 notifications in flight per connection, ROUNDS times,
# against a server made by nginx-server.sh DIR. One result line per run.
# Usage: benchmarks/scripts/compare.sh URL DIR [ROUNDS] [BEFORE_JAR]
set -uo pipefail
url=${1:?usage: compare.sh URL DIR [ROUNDS] [BEFORE_JAR]} dir=${2:?} rounds=${3:-2} before=${4:-}
jar=$(dirname "$0")/../target/aapns-load.jar
variants="after pushy"; [ -n "$before" ] && variants="before after pushy"
for r in $(seq 1 "$rounds"); do
  for conn in 1 4; do
    for v in $variants; do
      j=$jar; client=aapns
      [ "$v" = before ] && j=$before
      [ "$v" = pushy ] && client=pushy
      out=$(java -jar "$j" --url "$url" --cert "$dir/client.p12" --password changeit --trust "$dir/server.pem" \
        --topic com.example.app --connections $conn --concurrency $((conn * 1000)) --count 300000 --warmup 200000 \
        --client $client 2>&1 | tail -2 | tr '\n' ' ')
      echo "round=$r conn=$conn $v $out"
    done
  done
done
