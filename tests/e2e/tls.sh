#!/usr/bin/env bash
# End-to-end: TLS with the real Docker engine, curl and openssl.
#   1. certificates from files (REGISTRY_HTTP_TLS_* as registry:2 users set them): docker refuses the
#      registry until its CA is in /etc/docker/certs.d/HOST:PORT/ca.crt, then pushes and pulls over TLS
#      without insecure-registries; curl sees HTTP/2; new certificate files are picked up while running
#   2. mutual TLS (http.tls.clientcas, minimumtls tls1.3): curl and docker without a client certificate
#      are refused, with one they get in; TLS 1.2 is refused
#   3. Berth's self-managed mode: the two commands it prints make docker trust it; a restart keeps the CA
#   4. a TLS client on a plain-HTTP port: docker's classic error, and one clear line in Berth's log
#   5. http.tls.letsencrypt stops start-up with an explanation
#
# The registry's name, berth-tls.test, resolves to ::1 through an entry this script adds to /etc/hosts
# (and removes). Not 127.0.0.1: docker counts every name resolving into 127.0.0.0/8 as an insecure
# registry, which skips certificate checks and falls back to plain HTTP, so nothing would be proven.
# Every registry listens on ::1 only (http.addr names berth-tls.test: distribution reads an
# environment value starting with "[" as a YAML list). What this script adds under
# /etc/docker/certs.d it removes.
#
# With REGISTRY_CMD="docker-registry serve" parts 1 (without the reload) and 2 run against CNCF
# distribution; the Berth-only parts are skipped.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools openssl=openssl getent=libc-bin

case "$(basename "${REGISTRY_CMD%% *}")" in docker-registry|registry) IS_BERTH=0 ;; *) IS_BERTH=1 ;; esac
TLS_HOST=berth-tls.test
CERTS_D=/etc/docker/certs.d
PKI=$E2E_TMP/pki
HOSTS_LINE="::1 $TLS_HOST # added by berth tests/e2e/tls.sh, pid $$"
ADDED_HOSTS_LINE=0
TRUST_DIRS=()       # /etc/docker/certs.d/HOST:PORT directories this script made (removed whole)
CREATED_PARENTS=()  # parents it had to make (removed when empty)

# ---------------------------------------------------------------- system changes, undone at exit

tls_cleanup() {
  local i
  for ((i = ${#TRUST_DIRS[@]} - 1; i >= 0; i--)); do rm -rf -- "${TRUST_DIRS[$i]}"; done
  for ((i = ${#CREATED_PARENTS[@]} - 1; i >= 0; i--)); do rmdir -- "${CREATED_PARENTS[$i]}" 2>/dev/null; done
  if [ "$ADDED_HOSTS_LINE" = 1 ]; then
    local kept
    kept=$(grep -vxF -- "$HOSTS_LINE" /etc/hosts)
    # rewritten in place: /etc/hosts is often a bind mount, which a rename would fail on
    printf '%s\n' "$kept" >/etc/hosts
  fi
}
trap 'tls_rc=$?; tls_cleanup; (exit "$tls_rc"); cleanup' EXIT

add_hosts_entry() {
  if getent hosts "$TLS_HOST" >/dev/null; then
    die "$TLS_HOST already resolves ($(getent hosts "$TLS_HOST" | head -n1)); not changing /etc/hosts"
  fi
  printf '%s\n' "$HOSTS_LINE" >>/etc/hosts
  ADDED_HOSTS_LINE=1
  [ "$(getent hosts "$TLS_HOST" | awk '{print $1; exit}')" = "::1" ] || die "$TLS_HOST does not resolve to ::1"
}

# claim_trust_dir HOST:PORT: note that $CERTS_D/HOST:PORT is this script's (it must not exist yet), and
# make its parents. Not in a subshell: it records what to remove at exit.
claim_trust_dir() {
  local dir=$CERTS_D/$1 parent missing=()
  [ -e "$dir" ] && { echo "$dir exists already; not touching it" >&2; return 1; }
  parent=$(dirname "$dir")
  while [ ! -e "$parent" ]; do missing=("$parent" "${missing[@]}"); parent=$(dirname "$parent"); done
  for parent in "${missing[@]}"; do mkdir "$parent" && CREATED_PARENTS+=("$parent"); done
  TRUST_DIRS+=("$dir")
}

# trust_ca HOST:PORT CA-FILE: the engine trusts CA-FILE for that registry.
trust_ca() {
  claim_trust_dir "$1" && mkdir "$CERTS_D/$1" && cp "$2" "$CERTS_D/$1/ca.crt"
}

# ---------------------------------------------------------------- test PKI (openssl, independent of Berth)

# new_ca NAME: $PKI/NAME.crt and $PKI/NAME.key
new_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=berth e2e $1" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$PKI/$1.key" -out "$PKI/$1.crt" 2>/dev/null
}

# issue CA NAME KEY-FILE EXTENSIONS: signs a certificate for KEY-FILE into $PKI/NAME.crt
issue() {
  openssl req -new -key "$3" -subj "/CN=$2" -out "$PKI/$2.csr" 2>/dev/null &&
    openssl x509 -req -in "$PKI/$2.csr" -CA "$PKI/$1.crt" -CAkey "$PKI/$1.key" -CAcreateserial -days 2 \
      -extfile <(printf '%b\n' "$4") -out "$PKI/$2.crt" 2>/dev/null
}

make_pki() {
  mkdir -p "$PKI"
  new_ca ca && new_ca ca2 && new_ca client-ca || return 1
  # an EC key as `openssl ecparam -genkey` writes it: an EC PARAMETERS block, then the SEC 1 key
  openssl ecparam -name prime256v1 -genkey -out "$PKI/server.key" &&
    issue ca server "$PKI/server.key" "subjectAltName=DNS:$TLS_HOST,IP:::1\nextendedKeyUsage=serverAuth" || return 1
  # an RSA key in PKCS#1 form, for the certificate that replaces the first one while the server runs
  openssl genrsa -traditional -out "$PKI/server2.key" 2048 2>/dev/null &&
    issue ca2 server2 "$PKI/server2.key" "subjectAltName=DNS:$TLS_HOST,IP:::1\nextendedKeyUsage=serverAuth" || return 1
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/client.key" 2>/dev/null &&
    issue client-ca client "$PKI/client.key" "extendedKeyUsage=clientAuth"
}

# https_status URL CURL-ARGS...: "<http version> <status>" of a GET
https_status() {
  local url=$1; shift
  curl -sS --max-time 30 -o /dev/null -w '%{http_version} %{http_code}' "$@" "$url"
}

# docker_push_pull REF: push REF (tagged from the imported image), remove it, pull it back, compare ids
docker_push_pull() {
  local ref=$1 pushed pulled
  timeout 60 docker tag berth-e2e/tls-base:v1 "$ref" &&
    timeout 300 docker push "$ref" &&
    pushed=$(timeout 60 docker image inspect --format '{{.Id}}' "$ref") &&
    timeout 60 docker rmi "$ref" >/dev/null &&
    timeout 300 docker pull "$ref" &&
    pulled=$(timeout 60 docker image inspect --format '{{.Id}}' "$ref") &&
    [ "$pushed" = "$pulled" ] && timeout 60 docker rmi "$ref" >/dev/null
}

# wait_for SECONDS COMMAND...: run COMMAND until it succeeds, at most SECONDS
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

make_pki || die "openssl could not make the test certificates"
add_hosts_entry
start_dockerd
make_rootfs_tar "$E2E_TMP/rootfs.tar"
dk import "$E2E_TMP/rootfs.tar" berth-e2e/tls-base:v1 >/dev/null || die "docker import of the test image failed"
check_eq "the engine's only insecure registries are its loopback default (no insecure-registries)" \
  '["127.0.0.0/8"]' "$(dk info --format '{{json .RegistryConfig.InsecureRegistryCIDRs}}')"

# ============================================================== 1. certificates from files
P1=$(free_port) || die "no free port"
R1=$TLS_HOST:$P1
cp "$PKI/server.crt" "$PKI/live.crt" && cp "$PKI/server.key" "$PKI/live.key"
# log level info: the reload is reported at info
REG_EXTRA_ENV="REGISTRY_HTTP_ADDR=$TLS_HOST:$P1
REGISTRY_LOG_LEVEL=info
REGISTRY_HTTP_TLS_CERTIFICATE=$PKI/live.crt
REGISTRY_HTTP_TLS_KEY=$PKI/live.key" REG_READY_URL=https://$R1/v2/ REG_READY_CURL_ARGS="--cacert $PKI/ca.crt" \
  start_registry files "$P1" "$E2E_TMP/data-files"

check_eq "curl over TLS, verified against the test CA, speaks HTTP/2" "2 200" \
  "$(https_status "https://$R1/v2/" --http2 --cacert "$PKI/ca.crt")"
check_eq "curl over TLS with HTTP/1.1" "1.1 200" "$(https_status "https://$R1/v2/" --http1.1 --cacert "$PKI/ca.crt")"
check_fails "the TLS port answers no plain HTTP request" 'curl: \(' curl -fsS --max-time 10 "http://$R1/v2/"
dk tag berth-e2e/tls-base:v1 "$R1/tls/app:v1" >/dev/null
check_fails "docker push before the engine trusts the CA fails on the certificate" \
  'x509|certificate signed by unknown authority' dk push "$R1/tls/app:v1"
check "the test CA goes to $CERTS_D/$R1/ca.crt" trust_ca "$R1" "$PKI/ca.crt"
check "docker push, rmi and pull $R1/tls/app:v1 over TLS, same image id" docker_push_pull "$R1/tls/app:v1"
check "berth bench over TLS, trusting the test CA (--cacert)" "$REPO_ROOT/berth" bench "https://$R1" \
  --cacert "$PKI/ca.crt" --workloads small,images --images 4 --duration 1 --warmup 0
check_fails "berth bench over TLS without the test CA fails on the certificate" 'certification path' \
  "$REPO_ROOT/berth" bench "https://$R1" --workloads images --images 1 --warmup 0

if [ "$IS_BERTH" = 1 ]; then
  # Bouncy Castle reads the PEM files; it ships in target/lib/tls, beside the class path, which a server without
  # TLS never opens (ops.sh)
  check "the server read the PEM files with Bouncy Castle from target/lib/tls" \
    bash -c 'ls -l "/proc/$1/fd" | grep -q "$2/target/lib/tls/bcprov-jdk18on-[0-9.]*\.jar"' _ \
    "${REG_PID[files]}" "$REPO_ROOT"
  # so is Jetty's HTTP/2, which the curl above spoke
  check "the server offers HTTP/2 with Jetty's jars from target/lib/tls" \
    bash -c 'ls -l "/proc/$1/fd" | grep -q "$2/target/lib/tls/jetty-http2-hpack-[0-9.]*\.jar"' _ \
    "${REG_PID[files]}" "$REPO_ROOT"
  # ./berth tells a TLS configuration (here REGISTRY_HTTP_TLS_CERTIFICATE) from a plain one and starts it from a
  # start-up cache trained over TLS, which holds the JDK's TLS and the reading of PEM files
  check "./berth started it from the TLS start-up cache (target/berth-tls-KEY.aot mapped)" \
    grep -q "$REPO_ROOT/target/berth-tls-[0-9a-f]*\.aot" "/proc/${REG_PID[files]}/maps"
  check_eq "... which holds the JDK's TLS engine" cache \
    "$(class_source "${REG_PID[files]}" sun.security.ssl.SSLEngineImpl)"
  check_eq "... and whose training, pulls over TLS, the JVM replays as it starts" yes \
    "$(replays_training "${REG_PID[files]}")"
  check_eq "... and Bouncy Castle's PEM parser, loaded beside the class path" cache \
    "$(class_source "${REG_PID[files]}" org.bouncycastle.openssl.PEMParser)"
  cp "$PKI/server2.key" "$PKI/live.key" && cp "$PKI/server2.crt" "$PKI/live.crt"
  check "a new certificate (another CA, an RSA PKCS#1 key) written over the files is served within 30 s" \
    wait_for 30 curl -fsS --max-time 10 --cacert "$PKI/ca2.crt" "https://$R1/v2/"
  check "the log says the certificate was reloaded" grep -q "TLS certificate reloaded from $PKI/live.crt" "${REG_LOG[files]}"
  check_fails "the old CA no longer matches" 'curl: \(' curl -fsS --max-time 10 --cacert "$PKI/ca.crt" "https://$R1/v2/"
fi
stop_registry files

# ============================================================== 2. mutual TLS
P2=$(free_port) || die "no free port"
R2=$TLS_HOST:$P2
CLIENT=(--cert "$PKI/client.crt" --key "$PKI/client.key")
REG_EXTRA_ENV="REGISTRY_HTTP_ADDR=$TLS_HOST:$P2
REGISTRY_HTTP_TLS_CERTIFICATE=$PKI/server.crt
REGISTRY_HTTP_TLS_KEY=$PKI/server.key
REGISTRY_HTTP_TLS_CLIENTCAS=[$PKI/client-ca.crt]
REGISTRY_HTTP_TLS_MINIMUMTLS=tls1.3" REG_READY_URL=https://$R2/v2/ \
  REG_READY_CURL_ARGS="--cacert $PKI/ca.crt --cert $PKI/client.crt --key $PKI/client.key" \
  start_registry mtls "$P2" "$E2E_TMP/data-mtls"

# TLS 1.3 refuses a missing or foreign client certificate after the handshake: curl reads the server's alert, or,
# when it was already sending the request, finds the connection closed (a broken pipe)
REFUSED='alert|certificate|handshake|reset|SSL|not connected|Broken pipe'
check_fails "curl without a client certificate is refused" "$REFUSED" \
  curl -fsS --max-time 30 -o /dev/null --cacert "$PKI/ca.crt" "https://$R2/v2/"
check_eq "curl with a client certificate from the client CA gets in" "2 200" \
  "$(https_status "https://$R2/v2/" --cacert "$PKI/ca.crt" "${CLIENT[@]}")"
check_fails "curl with a certificate from another CA is refused" "$REFUSED" \
  curl -fsS --max-time 30 -o /dev/null --cacert "$PKI/ca.crt" --cert "$PKI/server2.crt" --key "$PKI/server2.key" \
  "https://$R2/v2/"
check_fails "TLS 1.2 is refused (minimumtls: tls1.3)" 'alert|version|handshake|SSL' \
  curl -fsS --max-time 30 -o /dev/null --tls-max 1.2 --cacert "$PKI/ca.crt" "${CLIENT[@]}" "https://$R2/v2/"
check "the test CA goes to $CERTS_D/$R2/ca.crt, without a client certificate" trust_ca "$R2" "$PKI/ca.crt"
dk tag berth-e2e/tls-base:v1 "$R2/tls/mtls:v1" >/dev/null
check_fails "docker push without a client certificate is refused" 'certificate|tls|alert|bad' dk push "$R2/tls/mtls:v1"
cp "$PKI/client.crt" "$CERTS_D/$R2/client.cert" && cp "$PKI/client.key" "$CERTS_D/$R2/client.key"
check "docker push and pull with client.cert and client.key in $CERTS_D/$R2" docker_push_pull "$R2/tls/mtls:v1"
stop_registry mtls

if [ "$IS_BERTH" = 1 ]; then
  # ============================================================ 3. self-managed
  P3=$(free_port) || die "no free port"
  R3=$TLS_HOST:$P3
  TLS_DIR=$E2E_TMP/data-self/berth/tls
  start_self_managed() {
    # log level info: the commands for docker are printed at info
    REG_EXTRA_ENV="REGISTRY_HTTP_ADDR=$TLS_HOST:$P3
REGISTRY_LOG_LEVEL=info" \
      REG_EXTRA_CONFIG="berth: {tls: {selfmanaged: {enabled: true, hosts: [$TLS_HOST, '::1', 127.0.0.1]}}}" \
      REG_READY_URL=https://$R3/v2/ REG_READY_CURL_ARGS=-k start_registry self "$P3" "$E2E_TMP/data-self"
  }
  start_self_managed
  LOG3=${REG_LOG[self]}
  check "./berth started it from the TLS start-up cache (berth.tls.selfmanaged in the file)" \
    grep -q "$REPO_ROOT/target/berth-tls-[0-9a-f]*\.aot" "/proc/${REG_PID[self]}/maps"
  check "the log prints the mkdir of $CERTS_D/$R3" grep -qF "sudo mkdir -p $CERTS_D/$R3" "$LOG3"
  check "the log prints the download of /ca.crt into it" \
    grep -qF "curl -fsSk https://$R3/ca.crt | sudo tee $CERTS_D/$R3/ca.crt" "$LOG3"
  check_eq "the private keys are readable by their owner only" "600 600" \
    "$(stat -c %a "$TLS_DIR/ca.key" "$TLS_DIR/server.key" | tr '\n' ' ' | sed 's/ $//')"
  check_eq "GET /ca.crt serves the CA certificate" "$(sha256_of "$TLS_DIR/ca.crt")" \
    "$(curl -fsSk --max-time 30 "https://$R3/ca.crt" | sha256sum | cut -d' ' -f1)"
  dk tag berth-e2e/tls-base:v1 "$R3/tls/self:v1" >/dev/null
  check_fails "docker push before trusting the CA fails on the certificate" 'x509|unknown authority' \
    dk push "$R3/tls/self:v1"
  claim_trust_dir "$R3" >/dev/null || die "cannot claim $CERTS_D/$R3"
  COMMANDS=$(grep -oE '(sudo mkdir -p|curl -fsSk) .*' "$LOG3" | sed 's/sudo //g')
  check_eq "the log has two commands for docker" 2 "$(grep -c . <<<"$COMMANDS")"
  check "the two printed commands run (as root, so without sudo)" bash -ec "$COMMANDS"
  FINGERPRINT=$(grep -oE 'fingerprint[^:]*: ([0-9A-F]{2}:){31}[0-9A-F]{2}' "$LOG3" | grep -oE '([0-9A-F]{2}:){31}[0-9A-F]{2}')
  check_eq "the installed CA has the fingerprint the log printed" "sha256 Fingerprint=$FINGERPRINT" \
    "$(openssl x509 -noout -fingerprint -sha256 -in "$CERTS_D/$R3/ca.crt")"
  check "docker push and pull $R3/tls/self:v1 with the self-managed CA" docker_push_pull "$R3/tls/self:v1"

  CA_BEFORE=$(sha256_of "$TLS_DIR/ca.crt")
  stop_registry self
  start_self_managed
  check_eq "a restart keeps the CA" "$CA_BEFORE" "$(sha256_of "$TLS_DIR/ca.crt")"
  check_eq "the CA was created once over two starts" 1 "$(grep -c 'created a local CA' "$LOG3")"
  check "docker still trusts the registry after the restart" docker_push_pull "$R3/tls/self:v1"
  stop_registry self

  # ============================================================ 4. TLS on a plain-HTTP port
  P4=$(free_port) || die "no free port"
  REG_EXTRA_ENV="REGISTRY_HTTP_ADDR=$TLS_HOST:$P4" REG_READY_URL="http://[::1]:$P4/v2/" \
    start_registry plain "$P4" "$E2E_TMP/data-plain"
  check "./berth started the plain-HTTP server from the plain start-up cache (target/berth-KEY.aot)" \
    grep -q "$REPO_ROOT/target/berth-[0-9a-f]*\.aot" "/proc/${REG_PID[plain]}/maps"
  check_eq "... which holds no TLS engine" absent "$(class_source "${REG_PID[plain]}" sun.security.ssl.SSLEngineImpl)"
  dk tag berth-e2e/tls-base:v1 "$TLS_HOST:$P4/tls/plain:v1" >/dev/null
  check_fails "docker push to it by a name docker holds secure gives the classic error" \
    'server gave HTTP response to HTTPS client' dk push "$TLS_HOST:$P4/tls/plain:v1"
  check_fails "curl https:// to the plain port fails" 'curl: \(' curl -fsS --max-time 10 "https://[::1]:$P4/v2/"
  check "the log has a line saying a TLS handshake came to the plain-HTTP port" \
    grep -qE 'a TLS handshake from \[0:0:0:0:0:0:0:1\]:[0-9]+ arrived at \[0:0:0:0:0:0:0:1\]:'"$P4"', a plain-HTTP port: this client expects HTTPS' "${REG_LOG[plain]}"
  check_eq "and only one line, however many tries" 1 "$(grep -c 'a TLS handshake from' "${REG_LOG[plain]}")"
  check_eq "plain HTTP still works" 200 \
    "$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' "http://[::1]:$P4/v2/")"
  stop_registry plain

  # ============================================================ 5. Let's Encrypt
  cat >"$E2E_TMP/letsencrypt.yml" <<EOF
version: 0.1
storage: {filesystem: {rootdirectory: $E2E_TMP/data-le}}
http:
  addr: '[::1]:$(free_port)'
  tls:
    letsencrypt: {cachefile: $E2E_TMP/le-cache, email: ops@example.com, hosts: [$TLS_HOST]}
EOF
  (cd "$REPO_ROOT" && exec_clean_env timeout 120 ./berth serve "$E2E_TMP/letsencrypt.yml") >"$E2E_TMP/le.out" 2>&1
  check_eq "http.tls.letsencrypt stops start-up with exit code 1" 1 "$?"
  check "and says why, pointing to the self-managed mode for its hosts" \
    grep -qF "selfmanaged: {enabled: true, hosts: [$TLS_HOST]}" "$E2E_TMP/le.out"
fi

finish
