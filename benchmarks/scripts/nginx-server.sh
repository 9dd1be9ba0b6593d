#!/usr/bin/env bash
# Starts nginx (Debian's package: apt-get install nginx-light) on 127.0.0.1 as a neutral
# HTTP/2 + TLS server that answers every POST with 200, one worker, for aapns-load.
# Usage: benchmarks/scripts/nginx-server.sh DIR [PORT]   (stop: kill $(cat DIR/nginx.pid))
# Writes DIR/server.pem (the certificate to --trust) and DIR/client.p12 (password changeit,
# a client certificate nginx does not ask for) and prints the URL. KEEPALIVE_REQUESTS=N in the
# environment makes nginx send GOAWAY after N requests on a connection (GOAWAY churn; default: never);
# ACCESS_LOG=1 logs every request to DIR/access.log (its lines count the requests nginx answered).
set -euo pipefail
dir=$(realpath -m "${1:?usage: nginx-server.sh DIR [PORT]}")
port=${2:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
mkdir -p "$dir"
if [ ! -f "$dir/server.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$dir/server-key.pem" -out "$dir/server.pem" 2>/dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/UID=com.example.app/CN=Apple Push Services: com.example.app" \
    -keyout "$dir/client-key.pem" -out "$dir/client.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$dir/client-key.pem" -in "$dir/client.pem" -out "$dir/client.p12" -passout pass:changeit
fi
access_log=off; [ -n "${ACCESS_LOG:-}" ] && access_log="$dir/access.log push"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  log_format push '\$connection \$connection_requests \$status \$request_uri';
  access_log $access_log;
  client_body_temp_path $dir/body;
  keepalive_requests ${KEEPALIVE_REQUESTS:-100000000};
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $dir/server.pem;
    ssl_certificate_key $dir/server-key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    http2_max_concurrent_streams 1000;
    location / { return 200; }
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
echo "https://127.0.0.1:$port"
