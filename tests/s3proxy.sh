# S3Proxy (the S3 wire protocol over a local directory) on loopback, for scripts that need S3 storage: sourced by
# tests/e2e/s3.sh and bench/compare.sh. Its credentials are these fixed test values, and it listens on 127.0.0.1 only.
#   s3proxy_start DIR PORT   starts it with its data and log in DIR; sets S3PROXY_PID and S3PROXY_URL
#   s3proxy_request ARGS...  a curl request signed with AWS Signature Version 4 (e.g. -X PUT "$S3PROXY_URL/bucket")
# The jar is $S3PROXY_JAR, by default target/s3proxy/s3proxy.jar (which `mvn verify` puts there); when it is missing
# it is fetched with Maven into DIR. Errors go to standard error, and the functions return 1.

S3PROXY_ACCESS_KEY=test-access-key
S3PROXY_SECRET_KEY=test-secret-key
S3PROXY_VERSION=4.1.0

s3proxy_start() {
  local dir=$1 port=$2 jar java=java
  jar=${S3PROXY_JAR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/s3proxy/s3proxy.jar}
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; fi
  if [ ! -f "$jar" ]; then
    echo "no $jar (Maven did not run?): fetching S3Proxy $S3PROXY_VERSION with Maven into $dir" >&2
    (cd "$dir" && timeout 600 mvn -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy \
      -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$dir" \
      -Dmdep.stripVersion=true) >"$dir/mvn.log" 2>&1
    jar=$dir/s3proxy-jar-with-dependencies.jar
    [ -f "$jar" ] || { tail -n 30 "$dir/mvn.log" >&2; echo "could not fetch S3Proxy with Maven" >&2; return 1; }
  fi
  S3PROXY_URL=http://127.0.0.1:$port
  mkdir -p "$dir/data"
  cat >"$dir/s3proxy.conf" <<EOF
s3proxy.endpoint=$S3PROXY_URL
s3proxy.authorization=aws-v4
s3proxy.identity=$S3PROXY_ACCESS_KEY
s3proxy.credential=$S3PROXY_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
EOF
  "$java" -Xmx256m -jar "$jar" --properties "$dir/s3proxy.conf" >"$dir/s3proxy.log" 2>&1 </dev/null &
  S3PROXY_PID=$!
  local _
  for _ in $(seq 1 240); do   # up to ~60 s; an unsigned request gets an answer (403) once it is up
    [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$S3PROXY_URL/")" != 000 ] && return 0
    kill -0 "$S3PROXY_PID" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 30 "$dir/s3proxy.log" >&2
  echo "S3Proxy ($jar) did not start on $S3PROXY_URL" >&2
  return 1
}

s3proxy_request() {
  # the hash of an empty body: requests here carry none, or send one that S3Proxy does not need signed
  curl -sS -f --max-time 60 --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3PROXY_ACCESS_KEY:$S3PROXY_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$@"
}
