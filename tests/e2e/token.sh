#!/usr/bin/env bash
# End-to-end: token authentication with real clients.
#  1. Berth as its own token service (auth.htpasswd + auth.token + berth.tokenservice): docker login, push,
#     and pull as a fresh client; a wrong password; an anonymous push; a user denied another user's
#     namespace; skopeo with --creds.
#  2. An outside token service, played by openssl: a registry configured with auth.token.rootcertbundle
#     accepts RS256 tokens signed by the test key (kid = libtrust fingerprint, or an x5c chain), used by
#     skopeo --registry-token and curl, and refuses expired, forged, unsigned and misdirected ones.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools openssl=openssl base32=coreutils

# the parameters of the WWW-Authenticate header of a request's answer
challenge() { curl -sS --max-time 30 -o /dev/null -D - "$@" | tr -d '\r' | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: //p'; }
status() { curl -sS --max-time 30 -o /dev/null -w '%{http_code}' "$@"; }

# ============================================================== 1. Berth's own token service
AUTH=$E2E_TMP/auth
mkdir -p "$AUTH"
{ htpasswd -Bbn xiaofei 123456 >"$AUTH/htpasswd" && htpasswd -Bbn bob bobsecret >>"$AUTH/htpasswd"; } ||
  die "htpasswd could not write the users"
PORT=$(free_port) || die "no free port"
REG_EXTRA_CONFIG="auth:
  htpasswd: {realm: Registry Realm, path: $AUTH/htpasswd}
  token: {service: berth-e2e, issuer: berth-e2e-issuer}
berth:
  tokenservice: {enabled: true, expiration: 5m}
  access:
    rules:
      - {who: ['*'], repositories: ['\${user}/**'], actions: ['*']}" \
  start_registry own "$PORT" "$E2E_TMP/own-data"
R=127.0.0.1:$PORT

check_eq "GET /v2/ without a token: 401 with a Bearer challenge pointing at Berth's own /auth/token" \
  "Bearer realm=\"http://$R/auth/token\",service=\"berth-e2e\"" "$(challenge "http://$R/v2/")"
check_eq "the token signing key was generated under the data directory, mode 600" \
  600 "$(stat -c %a "$E2E_TMP/own-data/berth/token-signing-key.pem" 2>&1)"
check_eq "the token endpoint refuses a wrong password with 401" \
  401 "$(status -u xiaofei:wrong "http://$R/auth/token?service=berth-e2e&scope=repository:xiaofei/x:pull")"
TOKEN=$(curl -fsS --max-time 30 -u xiaofei:123456 \
  "http://$R/auth/token?service=berth-e2e&scope=repository:xiaofei/x:pull,push&scope=repository:bob/x:pull" |
  jq -r .token)
check_eq "a token grants only what the rules allow (xiaofei/x pull,push; nothing on bob/x)" \
  '[{"type":"repository","name":"xiaofei/x","actions":["pull","push"]}]' \
  "$(cut -d. -f2 <<<"$TOKEN" | tr '_-' '/+' | base64 -d 2>/dev/null | jq -c .access)"

start_dockerd
export DOCKER_CONFIG=$E2E_TMP/docker-config   # logins stay in this run
make_rootfs_tar "$E2E_TMP/rootfs.tar"
dk import "$E2E_TMP/rootfs.tar" berth-e2e/nginx-base:v1 >/dev/null || die "docker import failed"
SRC_ID=$(dk image inspect --format '{{.Id}}' berth-e2e/nginx-base:v1)
IMAGE=$R/xiaofei/nginx-base:v1
dk tag berth-e2e/nginx-base:v1 "$IMAGE" || die "docker tag failed"

check_fails "docker login with a wrong password fails" 'unauthorized|incorrect|denied|authentication' \
  dk login -u xiaofei -p wrong "$R"
check_fails "an anonymous docker push is refused" 'denied|unauthorized|authentication required|insufficient' \
  dk push "$IMAGE"
check "docker login as xiaofei" bash -c "echo 123456 | timeout 120 docker login -u xiaofei --password-stdin '$R'"
check "docker push $IMAGE" dk push "$IMAGE"
check "docker logout, rmi (a fresh client)" bash -c "timeout 60 docker logout '$R' &&
  timeout 60 docker rmi '$IMAGE' berth-e2e/nginx-base:v1 >/dev/null"
check_fails "an anonymous docker pull of xiaofei's image is refused" 'denied|unauthorized|authentication|insufficient' \
  dk pull "$IMAGE"
check "docker login as xiaofei again" bash -c "echo 123456 | timeout 120 docker login -u xiaofei --password-stdin '$R'"
check "docker pull $IMAGE" dk pull "$IMAGE"
check_eq "the pulled image is the pushed one" "$SRC_ID" "$(dk image inspect --format '{{.Id}}' "$IMAGE" 2>&1)"

check "docker login as bob" bash -c "echo bobsecret | timeout 120 docker login -u bob --password-stdin '$R'"
dk tag "$IMAGE" "$R/xiaofei/nginx-base:bob" && dk tag "$IMAGE" "$R/bob/nginx-base:v1"
check_fails "bob's push into xiaofei's namespace is denied" 'denied|unauthorized|authentication required|insufficient' \
  dk push "$R/xiaofei/nginx-base:bob"
check "bob pushes into his own namespace" dk push "$R/bob/nginx-base:v1"
dk rmi "$IMAGE" >/dev/null
check_fails "bob's pull from xiaofei's namespace is denied" 'denied|unauthorized|authentication|insufficient' \
  dk pull "$IMAGE"
check "skopeo inspect --creds xiaofei:123456" \
  sk inspect --tls-verify=false --creds xiaofei:123456 "docker://$IMAGE"
check_fails "skopeo inspect --creds bob:bobsecret of xiaofei's image fails" 'denied|unauthorized|authentication' \
  sk inspect --tls-verify=false --creds bob:bobsecret "docker://$IMAGE"
# the benchmark is a client of any registry: it follows the Bearer challenge to the token service, as docker does
check "berth bench --user xiaofei:123456 --namespace xiaofei pushes and pulls with tokens from Berth's token service" \
  "$REPO_ROOT/berth" bench "http://$R" --user xiaofei:123456 --namespace xiaofei --workloads small,images \
  --images 4 --duration 1 --warmup 0
check_fails "berth bench outside the user's namespace is refused" '(HEAD blob|POST upload).*401' \
  "$REPO_ROOT/berth" bench "http://$R" --user xiaofei:123456 --workloads images --images 1 --warmup 0
check_fails "berth bench with a wrong password reports the token service's 401" 'GET token.*401' \
  "$REPO_ROOT/berth" bench "http://$R" --user xiaofei:wrong --namespace xiaofei --workloads images --images 1 \
  --warmup 0
check "no password or token reached the registry's log" \
  bash -c "! grep -Fq -e 123456 -e bobsecret -e '${TOKEN##*.}' '$E2E_TMP/own.log'"
stop_registry own

# ============================================================== 2. tokens from an outside token service
EXT=$E2E_TMP/ext
mkdir -p "$EXT"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$EXT/key.pem" -out "$EXT/cert.pem" -days 2 \
  -subj /CN=e2e-token-service 2>/dev/null || die "openssl could not make the token service's key"
openssl genrsa -out "$EXT/forger.pem" 2048 2>/dev/null || die "openssl could not make a second key"
# registry:2's kid: SHA-256 of the public key's DER, 240 bits in base32, in groups of four
KID=$(openssl x509 -in "$EXT/cert.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
  openssl dgst -sha256 -binary | head -c 30 | base32 | sed -E 's/(.{4})/\1:/g; s/:$//')
X5C=$(openssl x509 -in "$EXT/cert.pem" -outform DER | base64 -w0)

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
# mint HEADER CLAIMS [KEY]: a compact JWT, RS256-signed with the token service's key (or KEY)
mint() {
  local h c
  h=$(printf '%s' "$1" | b64url)
  c=$(printf '%s' "$2" | b64url)
  printf '%s.%s.%s' "$h" "$c" \
    "$(printf '%s.%s' "$h" "$c" | openssl dgst -sha256 -sign "${3:-$EXT/key.pem}" -binary | b64url)"
}
# claims ACCESS [EXPIRES_IN [AUDIENCE]]: the claim set of a token for user e2e
claims() {
  local now; now=$(date +%s)
  jq -cn --argjson access "$1" --argjson now "$now" --argjson exp $((now + ${2:-300})) --arg aud "${3:-berth-e2e}" \
    '{iss: "e2e-issuer", sub: "e2e", aud: $aud, iat: $now, nbf: $now, exp: $exp, jti: "e2e", access: $access}'
}
KID_HEADER='{"typ":"JWT","alg":"RS256","kid":"'$KID'"}'
PUSH='[{"type":"repository","name":"ext/app","actions":["pull","push"]}]'
PULL='[{"type":"repository","name":"ext/app","actions":["pull"]}]'

PORT=$(free_port) || die "no free port"
REG_EXTRA_CONFIG="auth:
  token:
    realm: https://token.example.test/token
    service: berth-e2e
    issuer: e2e-issuer
    rootcertbundle: $EXT/cert.pem" \
  start_registry ext "$PORT" "$E2E_TMP/ext-data"
R=127.0.0.1:$PORT
bearer() { printf 'Authorization: Bearer %s' "$1"; }

check_eq "GET /v2/ without a token: 401 with the configured realm" \
  'Bearer realm="https://token.example.test/token",service="berth-e2e"' "$(challenge "http://$R/v2/")"
check_eq "a token with kid = libtrust fingerprint of the bundle's key opens /v2/" \
  200 "$(status -H "$(bearer "$(mint "$KID_HEADER" "$(claims '[]')")")" "http://$R/v2/")"
check_eq "a token carrying the certificate in x5c opens /v2/" \
  200 "$(status -H "$(bearer "$(mint '{"typ":"JWT","alg":"RS256","x5c":["'"$X5C"'"]}' "$(claims '[]')")")" "http://$R/v2/")"

OCI=$E2E_TMP/oci
make_oci_multiarch "$OCI" v1
check "skopeo copy --dest-registry-token (push scope) of a multi-arch OCI index to ext/app:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false \
  --dest-registry-token "$(mint "$KID_HEADER" "$(claims "$PUSH")")" "oci:$OCI:v1" "docker://$R/ext/app:v1"
check_eq "skopeo inspect --registry-token (pull scope) returns the pushed index" "$OCI_INDEX_DIGEST" \
  "sha256:$(sk inspect --raw --tls-verify=false --registry-token "$(mint "$KID_HEADER" "$(claims "$PULL")")" \
    "docker://$R/ext/app:v1" | sha256sum | cut -d' ' -f1)"
check_eq "a token with registry:catalog:* sees the catalog" '["ext/app"]' \
  "$(curl -sS --max-time 30 -H "$(bearer "$(mint "$KID_HEADER" \
    "$(claims '[{"type":"registry","name":"catalog","actions":["*"]}]')")")" "http://$R/v2/_catalog" | jq -c .repositories)"
check_eq "a pull token cannot push: 401 insufficient_scope naming the scope needed" \
  'Bearer realm="https://token.example.test/token",service="berth-e2e",scope="repository:ext/app:pull,push",error="insufficient_scope"' \
  "$(challenge -X POST -H "$(bearer "$(mint "$KID_HEADER" "$(claims "$PULL")")")" "http://$R/v2/ext/app/blobs/uploads/")"
check_fails "skopeo with a token for another repository cannot read ext/app" 'unauthorized|denied|authentication' \
  sk inspect --raw --tls-verify=false \
  --registry-token "$(mint "$KID_HEADER" "$(claims '[{"type":"repository","name":"other/app","actions":["pull"]}]')")" \
  "docker://$R/ext/app:v1"

UNSIGNED=$(printf '%s' '{"typ":"JWT","alg":"none"}' | b64url).$(claims "$PULL" | b64url).
for bad in "expired:$(mint "$KID_HEADER" "$(claims "$PULL" -3600)")" \
           "signed by another key:$(mint "$KID_HEADER" "$(claims "$PULL")" "$EXT/forger.pem")" \
           "unsigned (alg none):$UNSIGNED" \
           "for another audience:$(mint "$KID_HEADER" "$(claims "$PULL" 300 other-registry)")" \
           "garbage:not.a.token"; do
  check_eq "a token ${bad%%:*} gets 401 with error=\"invalid_token\"" "401 invalid_token" \
    "$(status -H "$(bearer "${bad#*:}")" "http://$R/v2/ext/app/tags/list") $(challenge -H "$(bearer "${bad#*:}")" \
      "http://$R/v2/ext/app/tags/list" | sed -n 's/.*error="\([a-z_]*\)".*/\1/p')"
done

finish
