#!/usr/bin/env bash
# End-to-end: the operations surface with a real client (skopeo). Berth only: with another
# REGISTRY_CMD the script skips itself, since these are Berth's extensions and outputs.
#   config check   exit status 0/1, effective YAML with secrets masked
#   json logs      one JSON object per line, log.fields on each, one access line per request, no password
#   debug server   /debug/health and Prometheus /metrics (http.debug.addr)
#   main port      /healthz, /readyz, http.headers on every response
#   memory         64 pushes of a 4 MiB manifest at once all succeed with the default heap;
#                  1,000 keep-alive clients are served and held open, and a new one still gets in
#   start-up cache the server runs from the launcher's AOT cache, which holds what a start uses and
#                  not a push's classes; garbage-collect starts from it too; a changed jar makes a new one
#   runtime        serve and garbage-collect run on the launcher's jlink'ed runtime (JFR's module, no locale
#                  data), garbage-collect with BERTH_RUNTIME=0 on the JDK, serve with a JDK without jlink on it
#   readonly       skopeo pushes refused (405), pulls served
#   SIGTERM        the process exits 0
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$(basename "${REGISTRY_CMD%% *}")" in
  docker-registry|registry) log "ops.sh tests Berth's own surface; skipped for $REGISTRY_CMD"; finish ;;
esac
ensure_tools python3=python3
BERTH=$REPO_ROOT/berth
PASSWORD=ops-$(rand_hex 8)

# ============================================================== config check
cat >"$E2E_TMP/registry2.yml" <<'YAML'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  secret: a-secret-not-to-print
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
YAML
check "config check accepts registry:2's own config.yml" "$BERTH" config check "$E2E_TMP/registry2.yml"
out=$("$BERTH" config check "$E2E_TMP/registry2.yml" 2>&1)
check "config check prints the effective configuration with defaults and the secret masked" \
  bash -c 'grep -q "draintimeout: 5s" <<<"$1" && grep -q "secret: .\*\*\*\*\*." <<<"$1" && ! grep -q a-secret-not <<<"$1"' _ "$out"
printf 'http: {draintimeout: soon}\n' >"$E2E_TMP/bad.yml"
"$BERTH" config check "$E2E_TMP/bad.yml" >"$E2E_TMP/bad.out" 2>&1
check_eq "config check exits 1 on an invalid value" 1 $?
check "... naming the key" grep -q "http.draintimeout" "$E2E_TMP/bad.out"
REGISTRY_HTTP_ADDR=nonsense "$BERTH" config check >/dev/null 2>&1
check_eq "config check exits 1 when a REGISTRY_* variable is invalid" 1 $?

# ============================================================== a registry with the surface on
# A start that makes the launcher's start-up cache says so on stderr, which is the registry's log below, as plain
# text among the JSON lines: a throw-away start makes it first when this build has none yet.
start_registry warm "$(free_port)" "$E2E_TMP/warm-data"
stop_registry warm
PORT=$(free_port)
DEBUG_PORT=$(free_port)
htpasswd -Bbn ops "$PASSWORD" >"$E2E_TMP/htpasswd"
REG_EXTRA_ENV="TZ=Etc/UTC
REGISTRY_LOG_FORMATTER=json
REGISTRY_LOG_LEVEL=info
REGISTRY_LOG_FIELDS_ENVIRONMENT=e2e
REGISTRY_HTTP_DEBUG_ADDR=127.0.0.1:$DEBUG_PORT
REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED=true
REGISTRY_HEALTH_STORAGEDRIVER_ENABLED=true
REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm
REGISTRY_AUTH_HTPASSWD_PATH=$E2E_TMP/htpasswd
REGISTRY_HTTP_HEADERS={X-Content-Type-Options: [nosniff]}" \
  start_registry ops "$PORT" "$E2E_TMP/data"
R=127.0.0.1:$PORT
REGISTRY_HTTP_ADDR=$R REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$E2E_TMP/data-busy" timeout 120 "$BERTH" serve \
  >"$E2E_TMP/busy.out" 2>&1
check_eq "a second serve on a port in use exits 1" 1 $?
check_eq "... with one line naming the address and why, no stack trace" \
  "berth: cannot listen: Failed to bind to /$R (Address already in use)" "$(cat "$E2E_TMP/busy.out")"
CREDS=(--dest-creds "ops:$PASSWORD")
OCI=$E2E_TMP/oci
make_oci_multiarch "$OCI" v1
check "skopeo copy --all into Berth" \
  sk copy --all --preserve-digests --dest-tls-verify=false "${CREDS[@]}" "oci:$OCI:v1" "docker://$R/ops/app:v1"

check_eq "/healthz answers 200" 200 "$(cu -o /dev/null -w '%{http_code}' "http://$R/healthz")"
check_eq "/readyz answers 200" 200 "$(cu -o /dev/null -w '%{http_code}' "http://$R/readyz")"
check "http.headers are on registry responses, errors included" \
  bash -c 'curl -sS -D - -o /dev/null "http://$1/v2/" | tr -d "\r" | grep -qi "^X-Content-Type-Options: nosniff"' _ "$R"
check_eq "/debug/health reports no failing check" '{}' "$(cu "http://127.0.0.1:$DEBUG_PORT/debug/health")"
cu "http://127.0.0.1:$DEBUG_PORT/metrics" >"$E2E_TMP/metrics.txt"
check "metrics count the manifest pushes by route template" \
  grep -qE '^berth_http_requests_total\{method="PUT",route="/v2/\{name\}/manifests/\{reference\}",status="201"\} [3-9]' "$E2E_TMP/metrics.txt"
check "metrics time storage operations and carry JVM metrics" \
  bash -c 'grep -q "^berth_storage_operation_duration_seconds_count{operation=\"move\"}" "$1" && grep -q "^jvm_memory_used_bytes" "$1"' _ "$E2E_TMP/metrics.txt"

# ============================================================== many large manifests at once
# 64 pushes of a 4 MiB manifest at once against the launcher's 64 MiB heap take turns for memory; without that,
# half of them failed with OutOfMemoryError (500).
printf '{}' >"$E2E_TMP/config.json"
CONFIG_DIGEST=sha256:$(sha256sum "$E2E_TMP/config.json" | cut -d' ' -f1)
cu -u "ops:$PASSWORD" -o /dev/null -X POST --data-binary @"$E2E_TMP/config.json" \
  "http://$R/v2/ops/big/blobs/uploads/?digest=$CONFIG_DIGEST"
{
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":'
  printf '"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},"layers":[],' "$CONFIG_DIGEST"
  printf '"annotations":{"padding":"'; head -c 4150000 /dev/zero | tr '\0' p; printf '"}}'
} >"$E2E_TMP/big.json"
PUSHES=()
for i in $(seq 64); do
  curl -sS --max-time 180 -u "ops:$PASSWORD" -o /dev/null -w '%{http_code}\n' -X PUT --data-binary @"$E2E_TMP/big.json" \
    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/ops/big/manifests/v$i" &
  PUSHES+=($!)
done >"$E2E_TMP/big-codes.txt"
wait "${PUSHES[@]}"
check_eq "64 pushes of a 4 MiB manifest at once all answer 201" "64 201" \
  "$(sort "$E2E_TMP/big-codes.txt" | uniq -c | awk '{print $1, $2}' | paste -sd,)"

# ============================================================== many keep-alive clients
# Whatever the server keeps per open connection adds up against the launcher's 64 MiB heap: with Jetty's default
# cache of header lines (~100 KB per connection from its second request on), about 530 clients like these filled
# it and every request after that failed.
CLIENTS=1000
check_eq "$CLIENTS keep-alive clients, two requests each, all 200 while held open; a new client then 200" \
  "$CLIENTS $((2 * CLIENTS)) 200" "$(python3 - "$PORT" "$CLIENTS" "ops:$PASSWORD" <<'PY'
import base64, resource, socket, sys

port, clients, credentials = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
# the headers docker sends with each request
request = ("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Basic %s\r\n"
           "User-Agent: docker/27.5.1 go/go1.22.10 git-commit/4c9b3b0 kernel/6.1.0 os/linux arch/amd64\r\n"
           "Accept: application/vnd.docker.distribution.manifest.v2+json\r\nAccept-Encoding: gzip\r\n\r\n"
           % (port, base64.b64encode(credentials.encode()).decode())).encode()


def status(sock):
    """Sends the request and reads the whole response: its status, or 0 when the connection ends first."""
    sock.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        body += chunk
    return int(head.split(b" ")[1])


held, answered, last = [], 0, 0
try:
    for _ in range(clients):
        held.append(socket.create_connection(("127.0.0.1", port), timeout=30))
        answered += sum(status(held[-1]) == 200 for _ in range(2))
        if answered < 2 * len(held):
            break  # the server is failing: the counts say so, and waiting on each remaining client would not
    last = status(socket.create_connection(("127.0.0.1", port), timeout=30))
except OSError:  # refused, reset or timed out: the counts so far say how far it got
    pass
print(len(held), answered, last)
PY
)"

# ============================================================== the launcher's start-up cache
# ./berth trains an AOT cache once per jar (berth aot-training) and starts serve from it; a training that fails
# only costs start-up time, so nothing else would notice. JDK 25 loads every class the cache holds at each start,
# so the cache holds what a start and a first answer use, and a push's classes come from the jars once one comes.
PID=${REG_PID[ops]}
check "the server started by ./berth maps the launcher's AOT cache" \
  grep -q "$REPO_ROOT/target/berth-[0-9a-f]*\.aot" "/proc/$PID/maps"
check_eq "... which holds the registry's request handler" cache "$(class_source "$PID" dev.berth.http.RegistryHandler)"
# the training answers one request: replaying it would compile the start's own code while the start runs
check_eq "... whose training the JVM does not replay as it starts" no "$(replays_training "$PID")"
check_eq "... and not what a push uses, which came from the jar with the pushes above" jar \
  "$(class_source "$PID" 'dev.berth.registry.Uploads$Session')"
# nor the training's own needs: its temporary directory, named by Files.createTempDirectory, put the JDK's
# SecureRandom and security providers in every start; the first upload's ID loads them now
check_eq "... nor the JDK's SecureRandom, which the uploads above loaded from the JDK" jar \
  "$(class_source "$PID" java.security.SecureRandom)"
# Jetty's start, Logback and the log lines each ask java.time for the default zone, and for Etc/UTC it read its zone
# database (30 ms of a start); the server names a zone with UTC's rules UTC, which java.time knows without it
check_eq "... nor java.time's zone database, in a zone with UTC's rules (TZ=Etc/UTC)" absent \
  "$(class_source "$PID" java.time.zone.TzdbZoneRulesProvider)"
# every start's service lookups open each jar of the class path; Bouncy Castle's three (7,800 entries, 1 MiB of
# memory) and Jetty's HTTP/2 and ALPN (whose HPACK encoder also pre-encoded header fields at each start) ship in
# target/lib/tls instead, which only TLS opens (tls.sh shows a server loading them from there)
check_eq "... and it has opened no Bouncy Castle or HTTP/2 jar, without TLS" "" \
  "$(ls -l "/proc/$PID/fd" | grep -o -E '(bc[a-z]*-jdk18on|jetty-(http2|alpn)-[a-z0-9-]*)-[0-9.]*\.jar')"
# garbage-collect loads the server's classes too, and starts from the same cache when it is there
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$E2E_TMP/data" >"$E2E_TMP/gc.yml"
check "./berth garbage-collect loads classes from that cache" \
  bash -c 'JAVA_TOOL_OPTIONS="-Xlog:class+load:file=$2" "$1" garbage-collect --dry-run --quiet "$3" >/dev/null 2>&1 &&
    grep -q "dev\.berth\.storage\.filesystem\.FilesystemDriver source: shared objects file" "$2"' _ "$BERTH" "$E2E_TMP/gc-classes.txt" "$E2E_TMP/gc.yml"
# ... on a Java runtime made from the JDK with the modules Berth's jars use (image/runtime.sh), which the start-up
# cache was made on; BERTH_RUNTIME=0 runs the JDK itself, as a JDK without jlink does
check "./berth garbage-collect runs on the launcher's Java runtime, and with BERTH_RUNTIME=0 on the JDK" \
  bash -c 'JDK_JAVA_OPTIONS=-XshowSettings:properties "$1" garbage-collect --dry-run --quiet "$2" 2>&1 |
      grep -q -F "java.home = $3/target/runtimes/runtime-" &&
    BERTH_RUNTIME=0 JDK_JAVA_OPTIONS=-XshowSettings:properties "$1" garbage-collect --dry-run --quiet "$2" 2>&1 |
      grep -q -x -F "    java.home = $JAVA_HOME"' _ "$BERTH" "$E2E_TMP/gc.yml" "$REPO_ROOT"
# The JVM compares the class path's jars with those a cache was made with, and refuses the cache when one of them
# changed ("shared class paths mismatch"), even if only its time did: the launcher's key covers their times too.
OLD_AOT=$(grep -o "$REPO_ROOT/target/berth-[0-9a-f]*\.aot" "/proc/$PID/maps" | head -n 1)
touch "$REPO_ROOT/target/berth.jar"
start_registry aot "$(free_port)" "$E2E_TMP/aot-data"
check "after the jar's time changed (not its content), ./berth serve makes and maps a new cache" \
  bash -c 'grep -o "$2/target/berth-[0-9a-f]*\.aot" "/proc/$1/maps" | grep -q -v -x -F "$3"' \
  _ "${REG_PID[aot]}" "$REPO_ROOT" "$OLD_AOT"
check "... which the JVM did not refuse" bash -c '! grep -q "shared class paths mismatch" "$1"' _ "${REG_LOG[aot]}"
# the runtime is jlink'ed with the modules jdeps finds in the jars, JFR's for operators, and not the JDK's locale data
# (Jetty enumerates every locale the runtime has as it starts; Berth formats nothing by locale)
RUNTIME=$(dirname "$(dirname "$(readlink "/proc/${REG_PID[aot]}/exe")")")
check_eq "the server ./berth starts runs on the launcher's Java runtime" "$REPO_ROOT/target/runtimes" \
  "$(dirname "$RUNTIME")"
check "... which has JFR's module and not the JDK's locale data" \
  bash -c '"$1/bin/java" --list-modules >"$2" && grep -q "^jdk\.jfr@" "$2" && ! grep -q "^jdk\.localedata@" "$2"' \
  _ "$RUNTIME" "$E2E_TMP/runtime-modules.txt"
check "... so that jcmd starts a JFR recording in a running registry" \
  bash -c '"$JAVA_HOME/bin/jcmd" "$1" JFR.start duration=1s filename="$2" | grep -q "Started recording"' \
  _ "${REG_PID[aot]}" "$E2E_TMP/aot.jfr"
stop_registry aot
# A JDK without jlink (a JRE) serves from itself, saying so; the JDK's java and release file stand in for one here.
# Without the start-up cache (BERTH_AOT=0), which would replace the launcher's.
mkdir -p "$E2E_TMP/jre/bin"
ln -s "$JAVA_HOME/bin/java" "$E2E_TMP/jre/bin/java"
cp "$JAVA_HOME/release" "$E2E_TMP/jre/release"
RUNTIME_KEY=$(cat "$REPO_ROOT/target/runtime.key")
REG_EXTRA_ENV=$'JAVA_HOME='"$E2E_TMP/jre"$'\nBERTH_AOT=0' start_registry jre "$(free_port)" "$E2E_TMP/jre-data"
check "with a JDK without jlink, ./berth serve runs on that JDK" \
  bash -c '[ "/proc/$1/exe" -ef "$2/bin/java" ]' _ "${REG_PID[jre]}" "$JAVA_HOME"
check "... saying so" grep -q "could not make the Java runtime; running on the JDK itself" "${REG_LOG[jre]}"
check_eq "... and leaves the launcher's runtime as it was" "$RUNTIME_KEY" "$(cat "$REPO_ROOT/target/runtime.key")"
stop_registry jre
# Stopped while it makes a cache, the launcher leaves none behind: the JVM writes one as it exits, whole or from part
# of the training, and nothing would move it into place or remove it (26 MB each). A supervisor's TERM to the
# launcher's PID alone, which the training JVM outlives.
touch "$REPO_ROOT/target/berth.jar"
STOPPED_CFG=$(write_config stopped "$(free_port)" "$E2E_TMP/stopped-data")
"$BERTH" serve "$STOPPED_CFG" >"$E2E_TMP/stopped.log" 2>&1 &
STOPPED=$!
for _ in $(seq 1 100); do grep -q "making the start-up cache" "$E2E_TMP/stopped.log" && break; sleep 0.1; done
kill -TERM "$STOPPED"
wait "$STOPPED"
check_eq "./berth serve stopped while making its start-up cache exits 143 (TERM)" 143 $?
check_eq "... and leaves no cache behind, whole or part-made" "" \
  "$(ls "$REPO_ROOT"/target/berth-[0-9a-f]*.aot* 2>/dev/null)"
start_registry remade "$(free_port)" "$E2E_TMP/remade-data"
check "... and the next ./berth serve makes the cache and maps it" \
  grep -q "$REPO_ROOT/target/berth-[0-9a-f]*\.aot" "/proc/${REG_PID[remade]}/maps"
stop_registry remade

# ============================================================== SIGTERM, then the logs
kill -TERM "$PID"
wait "$PID"
check_eq "SIGTERM: the registry exits 0" 0 $?
unset "REG_PID[ops]"
LOGF=${REG_LOG[ops]}
check "every log line is one JSON object carrying log.fields" \
  bash -c 'jq -e -s "length > 0 and all(.environment == \"e2e\" and has(\"msg\") and has(\"level\"))" "$1" >/dev/null' _ "$LOGF"
check "access lines name route, repository, status, user and bytes" \
  bash -c 'jq -e -s "any(.logger == \"access\" and .method == \"PUT\" and .route == \"/v2/{name}/manifests/{reference}\" and .repository == \"ops/app\" and .status == 201 and .user == \"ops\" and .bytes_in > 0)" "$1" >/dev/null' _ "$LOGF"
check "no password or Authorization value in the logs" \
  bash -c '! grep -q -e "$2" -e "$(printf "ops:%s" "$2" | base64)" -e "Basic " "$1"' _ "$LOGF" "$PASSWORD"

# ============================================================== read-only maintenance
RO_PORT=$(free_port)
REG_EXTRA_ENV="REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED=true" start_registry ro "$RO_PORT" "$E2E_TMP/data"
check "read-only: pulls are served" \
  sk inspect --raw --tls-verify=false --creds "ops:$PASSWORD" "docker://127.0.0.1:$RO_PORT/ops/app:v1"
check_fails "read-only: pushes are refused" '405|unsupported|not allowed' \
  sk copy --dest-tls-verify=false "oci:$OCI:v1-amd64" "docker://127.0.0.1:$RO_PORT/ops/other:v1"
stop_registry ro

finish
