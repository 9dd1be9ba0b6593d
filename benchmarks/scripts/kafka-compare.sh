#!/usr/bin/env bash
# The Kafka worker against the direct client, back to back against a server made by
# nginx-server.sh DIR, ROUNDS times: per round the direct client (1 connection, 1000 in flight),
# then the worker through a broker in a child JVM (6 partitions, outcomes to a results topic) with
# 1, 3 and 6 consumer threads, 1000 in flight and one connection per thread, then 3 threads
# without results.
# One result line per run (the heap line, then the result line).
# Usage: benchmarks/scripts/kafka-compare.sh URL DIR [ROUNDS]
set -uo pipefail
url=${1:?usage: kafka-compare.sh URL DIR [ROUNDS]} dir=${2:?} rounds=${3:-3}
jar=$(dirname "$0")/../target/aapns-load.jar
common=(--url "$url" --cert "$dir/client.p12" --password changeit --trust "$dir/server.pem"
  --topic com.example.app --count 300000 --warmup 150000 --progress-seconds 1000)
for r in $(seq 1 "$rounds"); do
  for v in direct kafka-1 kafka-3 kafka-6 kafka-3-no-results; do
    case $v in
      direct) args=(--concurrency 1000) ;;
      kafka-1) args=(--kafka --consumers 1 --concurrency 1000) ;;
      kafka-3) args=(--kafka --consumers 3 --concurrency 3000 --connections 3) ;;
      kafka-6) args=(--kafka --consumers 6 --concurrency 6000 --connections 6) ;;
      kafka-3-no-results) args=(--kafka --consumers 3 --concurrency 3000 --connections 3 --no-results) ;;
    esac
    out=$(java -jar "$jar" "${common[@]}" "${args[@]}" 2>&1 | tail -2 | tr '\n' ' ')
    echo "round=$r $v $out"
  done
done
