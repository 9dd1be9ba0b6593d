#!/usr/bin/env bash
# GOAWAY churn: aapns against nginx sending GOAWAY every 1000 requests on a
# connection, then against nginx without churn, ROUNDS times; pool of 2, 2000 in flight. The churn
# server is made by KEEPALIVE_REQUESTS=1000 ACCESS_LOG=1 nginx-server.sh CHURN_DIR, the other by
# nginx-server.sh DIR; after each churn run the number of requests in nginx's access log is
# printed beside the number sent (warm-up, measured and the one cold-start notification): equal
# when nothing was lost or sent twice (every notification is also counted accepted).
# Usage: benchmarks/scripts/churn.sh URL DIR CHURN_URL CHURN_DIR [ROUNDS]
set -uo pipefail
url=${1:?usage: churn.sh URL DIR CHURN_URL CHURN_DIR [ROUNDS]} dir=${2:?} churn=${3:?} churn_dir=${4:?} rounds=${5:-3}
jar=$(dirname "$0")/../target/aapns-load.jar
count=${COUNT:-400000} warmup=${WARMUP:-200000}
common=(--cert "$dir/client.p12" --password changeit --topic com.example.app --connections 2 --concurrency 2000
  --count "$count" --warmup "$warmup" --progress-seconds 1000)
for r in $(seq 1 "$rounds"); do
  : > "$churn_dir/access.log"
  out=$(java -jar "$jar" --url "$churn" --trust "$churn_dir/server.pem" "${common[@]}" 2>&1 | tail -1)
  echo "round=$r churn $out nginx-requests=$(wc -l < "$churn_dir/access.log") sent=$((count + warmup + 1))"
  out=$(java -jar "$jar" --url "$url" --trust "$dir/server.pem" "${common[@]}" 2>&1 | tail -1)
  echo "round=$r plain $out"
done
