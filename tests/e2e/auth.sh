#!/usr/bin/env bash
# End-to-end: htpasswd authentication (distribution's auth.htpasswd, configured by file or by
# REGISTRY_AUTH* environment variables as registry:2 users do) and Berth's per-repository access
# rules (berth.access), with real clients: docker engine, podman, skopeo, curl.
#
# Registries started with $REGISTRY_CMD (default "./berth serve"):
#   env    auth only from REGISTRY_AUTH* variables (distribution's all-or-nothing policy)
#   rules  auth.htpasswd + berth.access in the config file
#   mixed  an htpasswd file with a non-bcrypt entry
# With REGISTRY_CMD="docker-registry serve" the Berth-specific parts (access rules, reload,
# warnings and messages) are skipped: the rest proves the script against CNCF distribution.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
setup_podman

case "$(basename "${REGISTRY_CMD%% *}")" in docker-registry|registry) IS_BERTH=0 ;; *) IS_BERTH=1 ;; esac
BERTH=$REPO_ROOT/berth
# docker login stores credentials here, not in the user's ~/.docker
export DOCKER_CONFIG=$E2E_TMP/docker-config
mkdir -p "$DOCKER_CONFIG"

# Every password used below; none may ever appear in a server log (part 7).
PW_XIAOFEI=123456
PW_WRONG=wrong-$(rand_hex 6)
PW_ALICE=alice-$(rand_hex 6)
PW_BOB=bob-$(rand_hex 6)
PW_DAVE=dave-$(rand_hex 6)
PW_DAVE2=dave2-$(rand_hex 6)
PW_CAROL=carol-$(rand_hex 6)
PW_ERIN=erin-$(rand_hex 6)
PW_FRANK=frank-$(rand_hex 6)
# user:password pairs whose Basic Authorization value (base64) must not be logged either
CRED_PAIRS=("xiaofei:$PW_XIAOFEI" "xiaofei:$PW_WRONG" "alice:$PW_ALICE" "bob:$PW_BOB" "dave:$PW_DAVE"
            "dave:$PW_DAVE2" "carol:$PW_CAROL" "erin:$PW_ERIN" "frank:$PW_FRANK" "nobody:$PW_WRONG")
EXTRA_LOGS=()   # outputs of registries started outside start_registry (part 6)

# http_code [USER:PASS] URL [CURL-ARGS...]: the status code of a request ("" user = anonymous).
http_code() {
  local creds=$1 url=$2; shift 2
  local -a a=()
  [ -n "$creds" ] && a=(-u "$creds")
  curl -sS --max-time 60 -o "$E2E_TMP/body" -D "$E2E_TMP/headers" -w '%{http_code}' "${a[@]}" "$@" "$url"
}

# has_challenge: the last response (http_code) carried WWW-Authenticate: Basic realm="Registry Realm".
has_challenge() { tr -d '\r' <"$E2E_TMP/headers" | grep -Eqi '^WWW-Authenticate: *Basic realm="Registry Realm" *$'; }

# dlogin HOST USER PASSWORD: docker login with the password on stdin.
dlogin() { printf '%s\n' "$3" | timeout 120 docker login "$1" -u "$2" --password-stdin; }
dlogout() { timeout 60 docker logout "$1" >/dev/null 2>&1 || true; }

# dpush REF: docker push, keeping its output in $E2E_TMP/push.out.
dpush() { timeout 300 docker push "$1" >"$E2E_TMP/push.out" 2>&1; local rc=$?; cat "$E2E_TMP/push.out"; return $rc; }

# poll_http_code CODE SECONDS USER:PASS URL: poll (bounded) until URL answers CODE; prints the
# seconds it took. Fails if it never does.
poll_http_code() {
  local want=$1 limit=$2 creds=$3 url=$4 start=$EPOCHREALTIME code
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -le $deadline ]; do
    code=$(http_code "$creds" "$url")
    if [ "$code" = "$want" ]; then
      awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f\n", b - a}'
      return 0
    fi
    sleep 0.2
  done
  echo "still $code after $limit s"
  return 1
}

# ============================================================== 1. the registry:2 flow verbatim
log "part 1: the registry:2 htpasswd flow (auth from REGISTRY_AUTH* variables)"
WORK=$E2E_TMP/work
mkdir -p "$WORK/auth"
check "./berth htpasswd -Bbn xiaofei 123456 > auth/htpasswd" \
  bash -c "cd '$WORK' && '$BERTH' htpasswd -Bbn xiaofei 123456 > auth/htpasswd"
HTPASSWD1=$WORK/auth/htpasswd
# one_bcrypt_entry FILE USER: FILE's only entry is USER's, an Apache-style bcrypt ($2y$) hash.
one_bcrypt_entry() {
  local lines
  lines=$(grep -v '^$' "$1")
  printf '%s\n' "$lines"
  [ "$(wc -l <<<"$lines")" = 1 ] && grep -Eqx "$2:"'\$2y\$[0-9]{2}\$[./A-Za-z0-9]{53}' <<<"$lines"
}
check "auth/htpasswd holds one bcrypt entry for xiaofei (\$2y\$, like Apache's htpasswd -B)" \
  one_bcrypt_entry "$HTPASSWD1" xiaofei
check "Apache's htpasswd -vb accepts the entry ./berth htpasswd wrote" \
  htpasswd -vb "$HTPASSWD1" xiaofei "$PW_XIAOFEI"

PORT1=$(free_port) || die "no free port"
REG_EXTRA_ENV="REGISTRY_AUTH=htpasswd
REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm
REGISTRY_AUTH_HTPASSWD_PATH=$HTPASSWD1
REGISTRY_LOG_LEVEL=debug" start_registry env "$PORT1" "$E2E_TMP/data-env"
R1=127.0.0.1:$PORT1
U1=http://$R1
ENV_PID=${REG_PID[env]}

check_eq "GET /v2/ without credentials answers 401" 401 "$(http_code "" "$U1/v2/")"
check "... with WWW-Authenticate: Basic realm=\"Registry Realm\"" has_challenge
check_eq "GET /v2/ with a wrong password answers 401" 401 "$(http_code "xiaofei:$PW_WRONG" "$U1/v2/")"
check "... with WWW-Authenticate: Basic realm=\"Registry Realm\"" has_challenge
check_eq "GET /v2/ with an unknown user answers 401" 401 "$(http_code "nobody:$PW_WRONG" "$U1/v2/")"
check_eq "GET /v2/ with the right password answers 200" 200 "$(http_code "xiaofei:$PW_XIAOFEI" "$U1/v2/")"

start_dockerd
make_rootfs_tar "$E2E_TMP/rootfs-docker.tar"
dk import "$E2E_TMP/rootfs-docker.tar" nginx-base:v1 >/dev/null || die "docker import of the test root filesystem failed"
SRC_ID=$(dk image inspect --format '{{.Id}}' nginx-base:v1)
DREPO=$R1/xiaofei/nginx-base

check "echo 123456 | docker login $R1 -u xiaofei --password-stdin" \
  bash -c "echo 123456 | timeout 120 docker login '$R1' -u xiaofei --password-stdin"
check "docker login stored credentials for $R1" jq -e --arg r "$R1" '.auths[$r].auth != null' "$DOCKER_CONFIG/config.json"
check "docker tag nginx-base:v1 $DREPO:v1" dk tag nginx-base:v1 "$DREPO:v1"
check "docker push $DREPO:v1" dpush "$DREPO:v1"
PUSH_DIGEST=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$E2E_TMP/push.out" | head -n1 | cut -d' ' -f2)
check "docker push printed the manifest digest" test -n "$PUSH_DIGEST"

check "docker logout $R1" dk logout "$R1"
check "docker rmi $DREPO:v1 nginx-base:v1" dk rmi "$DREPO:v1" nginx-base:v1
check "the engine no longer has the image" bash -c "! timeout 60 docker image inspect '$SRC_ID' >/dev/null 2>&1"
check "docker login again (xiaofei)" dlogin "$R1" xiaofei "$PW_XIAOFEI"
check "docker pull $DREPO:v1" dk pull "$DREPO:v1"
check_eq "pulled image id equals the pushed one" "$SRC_ID" \
  "$(dk image inspect --format '{{.Id}}' "$DREPO:v1" 2>/dev/null)"
check_eq "pulled image's RepoDigests is the pushed digest" "$DREPO@$PUSH_DIGEST" \
  "$(dk image inspect --format '{{index .RepoDigests 0}}' "$DREPO:v1" 2>/dev/null)"

# ============================================================== 2. wrong credentials, anonymous
log "part 2: wrong password, anonymous push and pull"
check_fails "docker login with a wrong password fails (unauthorized)" \
  'unauthorized|incorrect username or password|401' dlogin "$R1" xiaofei "$PW_WRONG"
check_fails "docker login of an unknown user fails (unauthorized)" \
  'unauthorized|incorrect username or password|401' dlogin "$R1" nobody "$PW_WRONG"
check "docker logout $R1 (anonymous from here)" dk logout "$R1"
check "docker logout removed the stored credentials" \
  bash -c "! jq -e --arg r '$R1' '.auths[\$r].auth != null' '$DOCKER_CONFIG/config.json'"
dk tag "$DREPO:v1" "$R1/xiaofei/anonymous:v1" >/dev/null 2>&1
check_fails "anonymous docker push to a new repository is refused" \
  'no basic auth credentials|unauthorized|authentication required' dk push "$R1/xiaofei/anonymous:v1"
dk tag "$DREPO:v1" "$DREPO:anon" >/dev/null 2>&1
check_fails "anonymous docker push of a new tag to the existing repository is refused" \
  'no basic auth credentials|unauthorized|authentication required' dk push "$DREPO:anon"
dk rmi "$R1/xiaofei/anonymous:v1" "$DREPO:anon" "$DREPO:v1" >/dev/null 2>&1
check "the engine no longer has the image (before the anonymous pull)" \
  bash -c "! timeout 60 docker image inspect '$SRC_ID' >/dev/null 2>&1"
check_fails "anonymous docker pull of the private repository is refused" \
  'unauthorized|authentication required|no basic auth credentials|denied' dk pull "$DREPO:v1"
check "the anonymous pull left no image behind" \
  bash -c "! timeout 60 docker image inspect '$SRC_ID' >/dev/null 2>&1"
check_eq "anonymous GET manifest answers 401" 401 "$(http_code "" "$U1/v2/xiaofei/nginx-base/manifests/v1")"
check "... with the Basic challenge" has_challenge
check "... and error code UNAUTHORIZED" jq -e '.errors[0].code == "UNAUTHORIZED"' "$E2E_TMP/body"
check_eq "anonymous GET blob answers 401" 401 \
  "$(http_code "" "$U1/v2/xiaofei/nginx-base/blobs/$PUSH_DIGEST")"
check_eq "anonymous POST blob upload answers 401" 401 \
  "$(http_code "" "$U1/v2/xiaofei/nginx-base/blobs/uploads/" -X POST)"
check_eq "anonymous GET _catalog answers 401" 401 "$(http_code "" "$U1/v2/_catalog")"
check_eq "GET tags/list with the right password answers 200" 200 \
  "$(http_code "xiaofei:$PW_XIAOFEI" "$U1/v2/xiaofei/nginx-base/tags/list")"
check_fails "skopeo inspect without credentials fails (unauthorized)" \
  'unauthorized|authentication required|401' sk inspect --tls-verify=false --no-creds "docker://$DREPO:v1"

# ============================================================== 4. podman and skopeo
log "part 4: podman and skopeo with --creds"
make_rootfs_tar "$E2E_TMP/rootfs-podman.tar"
pm import -q "$E2E_TMP/rootfs-podman.tar" localhost/berth-e2e/podimg:v1 >/dev/null ||
  die "podman import of the test root filesystem failed"
PSRC_ID=$(pm image inspect --format '{{.Id}}' localhost/berth-e2e/podimg:v1)
PREPO=$R1/xiaofei/podimg
NO_AUTH=$E2E_TMP/no-auth.json   # an empty auth file: podman/skopeo without any stored credentials
echo '{"auths": {}}' >"$NO_AUTH"
check_fails "podman push with a wrong password fails (unauthorized)" \
  'unauthorized|authentication required|401' \
  pm push --tls-verify=false --creds "xiaofei:$PW_WRONG" localhost/berth-e2e/podimg:v1 "docker://$PREPO:v1"
check_fails "podman push without credentials fails (unauthorized)" \
  'unauthorized|authentication required|401' \
  env REGISTRY_AUTH_FILE="$NO_AUTH" timeout 300 podman push --tls-verify=false localhost/berth-e2e/podimg:v1 "docker://$PREPO:v1"
check "podman push --creds xiaofei:... -> $PREPO:v1" \
  pm push --tls-verify=false --creds "xiaofei:$PW_XIAOFEI" --digestfile "$E2E_TMP/podman.digest" \
    localhost/berth-e2e/podimg:v1 "docker://$PREPO:v1"
PDIGEST=$(cat "$E2E_TMP/podman.digest" 2>/dev/null)
check "podman rmi the source image" pm rmi localhost/berth-e2e/podimg:v1
check_fails "podman pull with a wrong password fails (unauthorized)" \
  'unauthorized|authentication required|401' pm pull --tls-verify=false --creds "xiaofei:$PW_WRONG" "$PREPO:v1"
check "podman pull --creds xiaofei:... $PREPO:v1" pm pull --tls-verify=false --creds "xiaofei:$PW_XIAOFEI" "$PREPO:v1"
check_eq "podman's pulled image id equals the pushed one" "$PSRC_ID" \
  "$(pm image inspect --format '{{.Id}}' "$PREPO:v1" 2>/dev/null)"

OCI=$E2E_TMP/oci-multi
make_oci_multiarch "$OCI" v1
SREPO=$R1/xiaofei/multi
check_fails "skopeo copy --dest-creds with a wrong password fails (unauthorized)" \
  'unauthorized|authentication required|401' \
  sk copy --all --dest-tls-verify=false --dest-creds "xiaofei:$PW_WRONG" "oci:$OCI:v1" "docker://$SREPO:v1"
check "skopeo copy --all --dest-creds xiaofei:... oci layout -> $SREPO:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false --dest-creds "xiaofei:$PW_XIAOFEI" "oci:$OCI:v1" "docker://$SREPO:v1"
check_fails "skopeo inspect --creds with a wrong password fails (unauthorized)" \
  'unauthorized|authentication required|401' sk inspect --tls-verify=false --creds "xiaofei:$PW_WRONG" --raw "docker://$SREPO:v1"
check "skopeo inspect --raw --creds xiaofei:... returns the identical index bytes" \
  bash -c "timeout 120 skopeo inspect --tls-verify=false --creds 'xiaofei:$PW_XIAOFEI' --raw 'docker://$SREPO:v1' >'$E2E_TMP/raw' \
           && [ \"sha256:\$(sha256sum <'$E2E_TMP/raw' | cut -d' ' -f1)\" = '$OCI_INDEX_DIGEST' ]"
check "skopeo inspect --creds of podman's image by digest" \
  sk inspect --tls-verify=false --creds "xiaofei:$PW_XIAOFEI" "docker://$PREPO@$PDIGEST"
check_fails "skopeo copy --src-creds with a wrong password fails (unauthorized)" \
  'unauthorized|authentication required|401' \
  sk copy --all --src-tls-verify=false --src-creds "xiaofei:$PW_WRONG" "docker://$SREPO:v1" "oci:$E2E_TMP/oci-wrong:v1"
OUT=$E2E_TMP/oci-back
check "skopeo copy --all --src-creds xiaofei:... $SREPO:v1 back into an oci: dir" \
  sk copy --all --preserve-digests --src-tls-verify=false --src-creds "xiaofei:$PW_XIAOFEI" "docker://$SREPO:v1" "oci:$OUT:v1"
check "copied-back layout holds exactly the same blobs" same_blobs "$OCI" "$OUT"
check "skopeo list-tags --creds xiaofei:... lists v1" \
  bash -c "timeout 120 skopeo list-tags --tls-verify=false --creds 'xiaofei:$PW_XIAOFEI' 'docker://$SREPO' | jq -e '.Tags == [\"v1\"]'"
check_fails "skopeo list-tags --creds with a wrong password fails" \
  'unauthorized|authentication required|401' sk list-tags --tls-verify=false --creds "xiaofei:$PW_WRONG" "docker://$SREPO"
check "skopeo delete --creds xiaofei:... the index by digest" \
  sk delete --tls-verify=false --creds "xiaofei:$PW_XIAOFEI" "docker://$SREPO@$OCI_INDEX_DIGEST"
check_eq "the deleted index answers 404 (authenticated)" 404 \
  "$(http_code "xiaofei:$PW_XIAOFEI" "$U1/v2/xiaofei/multi/manifests/$OCI_INDEX_DIGEST" -H 'Accept: application/vnd.oci.image.index.v1+json')"

# ============================================================== 5. htpasswd file changed while running
if [ "$IS_BERTH" = 1 ]; then
  log "part 5: users added, changed and deleted while the server runs"
  check_eq "dave (not yet in the file) gets 401" 401 "$(http_code "dave:$PW_DAVE" "$U1/v2/")"
  check "./berth htpasswd -Bb auth/htpasswd dave ... (add a user in place)" \
    bash -c "cd '$WORK' && '$BERTH' htpasswd -Bb auth/htpasswd dave '$PW_DAVE' 2>&1 | tee /dev/stderr | grep -q 'Adding password for user dave'"
  check "the file now has entries for xiaofei and dave" \
    bash -c "grep -q '^xiaofei:' '$HTPASSWD1' && grep -q '^dave:' '$HTPASSWD1'"
  if t=$(poll_http_code 200 5 "dave:$PW_DAVE" "$U1/v2/"); then
    pass "the server accepts dave's password within 5 s of the change, without restart (took $t s)"
  else
    fail "the server accepts dave's password within 5 s of the change, without restart ($t)"
  fi
  check "docker login as dave (the added user)" dlogin "$R1" dave "$PW_DAVE"
  check "xiaofei can still log in" dlogin "$R1" xiaofei "$PW_XIAOFEI"
  check "the same server process (pid $ENV_PID) is still running: no restart" kill -0 "$ENV_PID"
  check_eq "registry env was not restarted" "$ENV_PID" "${REG_PID[env]}"

  check "./berth htpasswd -Bb auth/htpasswd dave NEW (change dave's password)" \
    bash -c "cd '$WORK' && '$BERTH' htpasswd -Bb auth/htpasswd dave '$PW_DAVE2' 2>&1 | tee /dev/stderr | grep -q 'Updating password for user dave'"
  if t=$(poll_http_code 200 5 "dave:$PW_DAVE2" "$U1/v2/"); then
    pass "dave's new password is accepted within 5 s (took $t s)"
  else
    fail "dave's new password is accepted within 5 s ($t)"
  fi
  check_eq "dave's old password (verified a moment ago) is refused now" 401 "$(http_code "dave:$PW_DAVE" "$U1/v2/")"
  check "./berth htpasswd -D auth/htpasswd dave (delete the user)" \
    bash -c "cd '$WORK' && '$BERTH' htpasswd -D auth/htpasswd dave"
  if t=$(poll_http_code 401 5 "dave:$PW_DAVE2" "$U1/v2/"); then
    pass "the deleted user dave is refused within 5 s (took $t s)"
  else
    fail "the deleted user dave is refused within 5 s ($t)"
  fi
  check_fails "docker login as the deleted user dave fails" \
    'unauthorized|incorrect username or password|401' dlogin "$R1" dave "$PW_DAVE2"
  check_eq "xiaofei still gets 200" 200 "$(http_code "xiaofei:$PW_XIAOFEI" "$U1/v2/")"

  # a non-bcrypt entry appended while running: warned about on the re-read, never accepted
  htpasswd -sbn frank "$PW_FRANK" | grep -v '^$' >>"$HTPASSWD1"
  FRANK_LINE=$(grep -n '^frank:' "$HTPASSWD1" | cut -d: -f1)
  frank_warned() {
    local _
    for _ in $(seq 1 50); do   # ~10 s
      http_code "xiaofei:$PW_XIAOFEI" "$U1/v2/" >/dev/null
      grep -Eqi "warn.*line $FRANK_LINE\b.*frank|warn.*frank.*line $FRANK_LINE\b" "${REG_LOG[env]}" && return 0
      sleep 0.2
    done
    echo "no warning naming line $FRANK_LINE (frank) in ${REG_LOG[env]}"; return 1
  }
  check "a {SHA} entry for frank appended while running is warned about, naming line $FRANK_LINE" frank_warned
  check_eq "frank (SHA-1 entry) cannot authenticate" 401 "$(http_code "frank:$PW_FRANK" "$U1/v2/")"
else
  echo "SKIP: part 5, re-reading the htpasswd file while running (Berth-specific)"
fi

# ============================================================== 3. berth.access rules
if [ "$IS_BERTH" = 1 ]; then
  log "part 3: per-repository access rules (berth.access)"
  HTPASSWD2=$WORK/auth/htpasswd-rules
  check "./berth htpasswd -Bb creates the rules server's file with alice, bob and xiaofei" \
    bash -c "cd '$WORK' && '$BERTH' htpasswd -Bb '$HTPASSWD2' alice '$PW_ALICE' && '$BERTH' htpasswd -Bb '$HTPASSWD2' bob '$PW_BOB' \
             && '$BERTH' htpasswd -Bb '$HTPASSWD2' xiaofei '$PW_XIAOFEI' && [ \$(grep -c . '$HTPASSWD2') = 3 ]"
  PORT2=$(free_port) || die "no free port"
  REG_EXTRA_ENV="REGISTRY_LOG_LEVEL=debug" REG_EXTRA_CONFIG="auth:
  htpasswd: {realm: Registry Realm, path: $HTPASSWD2}
berth:
  access:
    admins: [alice]
    groups: {team: [bob]}
    rules:
      - {who: [\"*\"], repositories: [\"\${user}/**\"], actions: [pull, push, delete]}
      - {who: [anonymous, \"*\"], repositories: [\"public/**\"], actions: [pull]}
      - {who: [\"@team\"], repositories: [\"team/**\"], actions: [pull, push]}" \
    start_registry rules "$PORT2" "$E2E_TMP/data-rules"
  R2=127.0.0.1:$PORT2
  U2=http://$R2

  check_eq "rules server: GET /v2/ without credentials answers 401" 401 "$(http_code "" "$U2/v2/")"
  check_eq "rules server: GET /v2/ as bob answers 200" 200 "$(http_code "bob:$PW_BOB" "$U2/v2/")"

  # seed: an image in xiaofei's namespace, a public one pushed by the admin
  dk import "$E2E_TMP/rootfs-docker.tar" nginx-base:v1 >/dev/null 2>&1
  check "docker login $R2 as xiaofei" dlogin "$R2" xiaofei "$PW_XIAOFEI"
  dk tag nginx-base:v1 "$R2/xiaofei/nginx-base:v1"
  check "xiaofei pushes to her namespace: docker push $R2/xiaofei/nginx-base:v1" dpush "$R2/xiaofei/nginx-base:v1"
  dk tag nginx-base:v1 "$R2/public/base:v1"
  check_fails "xiaofei cannot push to public/ (pull only): denied" denied dk push "$R2/public/base:v1"
  check "docker login $R2 as alice (admin)" dlogin "$R2" alice "$PW_ALICE"
  check "alice (admin) pushes $R2/public/base:v1" dpush "$R2/public/base:v1"
  check "alice (admin) pulls xiaofei's image" dk pull "$R2/xiaofei/nginx-base:v1"

  check "docker login $R2 as bob" dlogin "$R2" bob "$PW_BOB"
  check_fails "bob cannot push to xiaofei's namespace: docker push $R2/xiaofei/nginx-base:v1 denied" \
    denied dk push "$R2/xiaofei/nginx-base:v1"
  dk tag nginx-base:v1 "$R2/xiaofei/bob-was-here:v1"
  check_fails "bob cannot create a repository in xiaofei's namespace: denied" \
    denied dk push "$R2/xiaofei/bob-was-here:v1"
  dk rmi "$R2/xiaofei/nginx-base:v1" "$R2/xiaofei/bob-was-here:v1" >/dev/null 2>&1
  check_fails "bob cannot pull from xiaofei's namespace: docker pull $R2/xiaofei/nginx-base:v1 denied" \
    denied dk pull "$R2/xiaofei/nginx-base:v1"
  dk tag nginx-base:v1 "$R2/bob/app:v1"
  check "bob pushes to his namespace: docker push $R2/bob/app:v1" dpush "$R2/bob/app:v1"
  dk tag nginx-base:v1 "$R2/team/app:v1"
  check "bob (group @team) pushes $R2/team/app:v1" dpush "$R2/team/app:v1"
  check_fails "bob cannot push to public/: denied" denied dk push "$R2/public/base:v1"
  dk rmi "$R2/public/base:v1" >/dev/null 2>&1
  check "bob pulls $R2/public/base:v1" dk pull "$R2/public/base:v1"

  check_eq "bob GET xiaofei's manifest answers 403" 403 \
    "$(http_code "bob:$PW_BOB" "$U2/v2/xiaofei/nginx-base/manifests/v1" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json')"
  check "... with error code DENIED" jq -e '.errors[0].code == "DENIED"' "$E2E_TMP/body"
  check_eq "bob GET xiaofei's tags/list answers 403" 403 "$(http_code "bob:$PW_BOB" "$U2/v2/xiaofei/nginx-base/tags/list")"
  check_eq "bob POST an upload to xiaofei's repository answers 403" 403 \
    "$(http_code "bob:$PW_BOB" "$U2/v2/xiaofei/nginx-base/blobs/uploads/" -X POST)"
  TEAM_DIGEST=$(curl -sS --max-time 30 -I -u "bob:$PW_BOB" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "$U2/v2/team/app/manifests/v1" | tr -d '\r' | awk -F': *' 'tolower($1) == "docker-content-digest" {print $2}')
  check "bob HEAD team/app:v1 gives its digest" test -n "$TEAM_DIGEST"
  check_eq "bob DELETE in team/ (pull, push only) answers 403" 403 \
    "$(http_code "bob:$PW_BOB" "$U2/v2/team/app/manifests/$TEAM_DIGEST" -X DELETE)"
  BOB_DIGEST=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$E2E_TMP/push.out" | head -n1 | cut -d' ' -f2)
  check_eq "bob GET his own tags/list answers 200" 200 "$(http_code "bob:$PW_BOB" "$U2/v2/bob/app/tags/list")"

  check_eq "catalog for bob lists only what bob may pull" '["bob/app","public/base","team/app"]' \
    "$(curl -sS --max-time 30 -u "bob:$PW_BOB" "$U2/v2/_catalog" | jq -c .repositories)"
  check_eq "catalog for xiaofei lists only what xiaofei may pull" '["public/base","xiaofei/nginx-base"]' \
    "$(curl -sS --max-time 30 -u "xiaofei:$PW_XIAOFEI" "$U2/v2/_catalog" | jq -c .repositories)"
  check_eq "catalog for alice (admin) lists every repository" '["bob/app","public/base","team/app","xiaofei/nginx-base"]' \
    "$(curl -sS --max-time 30 -u "alice:$PW_ALICE" "$U2/v2/_catalog" | jq -c .repositories)"
  check_eq "anonymous catalog lists only public/" '["public/base"]' \
    "$(curl -sS --max-time 30 "$U2/v2/_catalog" | jq -c .repositories)"

  check "docker logout $R2 (anonymous from here)" dk logout "$R2"
  # Anonymous pulls of public/: the docker engine cannot make them (once /v2/ answered a Basic
  # challenge it refuses, client-side, to send any request without credentials: "no basic auth
  # credentials"), so the checks use curl, skopeo and podman. Shown, not counted:
  dk rmi "$R2/public/base:v1" >/dev/null 2>&1
  if dk pull "$R2/public/base:v1" >"$E2E_TMP/anon-docker.out" 2>&1; then
    echo "NOTE: anonymous docker pull of public/base:v1 worked"
  else
    sed 's/^/NOTE: anonymous docker pull of public\/base:v1 (docker client limitation): /' "$E2E_TMP/anon-docker.out"
  fi
  dk tag nginx-base:v1 "$R2/public/base:anon"
  check_fails "anonymous docker push to public/ is refused" \
    'no basic auth credentials|unauthorized|authentication required|denied' dk push "$R2/public/base:anon"
  check_eq "anonymous GET a public manifest answers 200" 200 \
    "$(http_code "" "$U2/v2/public/base/manifests/v1" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json')"
  PUB_BLOBS=$(jq -r '.config.digest, .layers[].digest' "$E2E_TMP/body")
  anon_blobs_intact() {
    local d
    for d in $PUB_BLOBS; do blob_served_intact "$R2" public/base "$d" || return 1; done
  }
  check "anonymous GET of public/base's config and layer blobs serves them intact" anon_blobs_intact
  # containers/image (skopeo, podman) without credentials answers a Basic challenge with an empty
  # user name and password (Authorization: Basic Og==): that is an anonymous caller too.
  check "anonymous skopeo copy (--src-no-creds) $R2/public/base:v1 -> oci: dir" \
    sk copy --src-tls-verify=false --src-no-creds "docker://$R2/public/base:v1" "oci:$E2E_TMP/oci-public:v1"
  check "anonymous podman pull (no stored credentials) $R2/public/base:v1" \
    env REGISTRY_AUTH_FILE="$NO_AUTH" timeout 300 podman pull --tls-verify=false "$R2/public/base:v1"
  check_fails "anonymous skopeo copy (--dest-no-creds) to public/ is refused" \
    'unauthorized|authentication required|denied|401|403' \
    sk copy --dest-tls-verify=false --dest-no-creds "oci:$OCI:v1-amd64" "docker://$R2/public/base:anon"
  check_fails "anonymous skopeo inspect (--no-creds) of xiaofei's image is refused" \
    'unauthorized|authentication required|401' \
    sk inspect --tls-verify=false --no-creds --raw "docker://$R2/xiaofei/nginx-base:v1"
  check_eq "anonymous GET xiaofei's manifest answers 401 (may log in)" 401 \
    "$(http_code "" "$U2/v2/xiaofei/nginx-base/manifests/v1")"
  check_eq "anonymous POST upload to public/ answers 401" 401 \
    "$(http_code "" "$U2/v2/public/base/blobs/uploads/" -X POST)"

  check "docker login $R2 as bob again" dlogin "$R2" bob "$PW_BOB"
  check_eq "bob DELETE in his own namespace (delete granted) answers 202" 202 \
    "$(http_code "bob:$PW_BOB" "$U2/v2/bob/app/manifests/$BOB_DIGEST" -X DELETE)"
  dk logout "$R2" >/dev/null 2>&1
else
  echo "SKIP: part 3, berth.access rules (Berth-specific)"
fi

# ============================================================== 6. non-bcrypt entries, missing file
if [ "$IS_BERTH" = 1 ]; then
  log "part 6: a non-bcrypt entry; a missing htpasswd file"
  HTPASSWD3=$WORK/auth/htpasswd-mixed
  {
    "$BERTH" htpasswd -Bbn xiaofei "$PW_XIAOFEI" | grep -v '^$'
    htpasswd -sbn carol "$PW_CAROL" | grep -v '^$'     # {SHA}: distribution does not accept it
    htpasswd -Bbn erin "$PW_ERIN" | grep -v '^$'       # Apache's own bcrypt entry
  } >"$HTPASSWD3"
  CAROL_LINE=$(grep -n '^carol:' "$HTPASSWD3" | cut -d: -f1)
  check "carol's entry (htpasswd -sbn) is a {SHA} entry on line $CAROL_LINE" grep -q '^carol:{SHA}' "$HTPASSWD3"
  PORT3=$(free_port) || die "no free port"
  REG_EXTRA_CONFIG="auth:
  htpasswd: {realm: Registry Realm, path: $HTPASSWD3}" start_registry mixed "$PORT3" "$E2E_TMP/data-mixed"
  R3=127.0.0.1:$PORT3
  check "the server logs a warning naming line $CAROL_LINE (carol's non-bcrypt entry)" \
    grep -Eqi "warn.*line $CAROL_LINE\b.*carol|warn.*carol.*line $CAROL_LINE\b" "${REG_LOG[mixed]}"
  check_eq "carol (non-bcrypt entry) gets 401" 401 "$(http_code "carol:$PW_CAROL" "http://$R3/v2/")"
  check_fails "docker login as carol fails" 'unauthorized|incorrect username or password|401' dlogin "$R3" carol "$PW_CAROL"
  check_eq "xiaofei (line 1) still gets 200" 200 "$(http_code "xiaofei:$PW_XIAOFEI" "http://$R3/v2/")"
  check "docker login as erin (bcrypt entry made by Apache's htpasswd -B) works" dlogin "$R3" erin "$PW_ERIN"
  dlogout "$R3"

  # a missing htpasswd file: the server must not start (bounded: timeout 90 s)
  read -r -a SERVE <<<"$REGISTRY_CMD"
  MISSING=$E2E_TMP/no-such-dir/htpasswd
  CFG_MISSING=$(REG_EXTRA_CONFIG="auth:
  htpasswd: {realm: Registry Realm, path: $MISSING}" write_config missing "$(free_port)" "$E2E_TMP/data-missing")
  OUT_MISSING=$E2E_TMP/missing.log
  (cd "$REPO_ROOT" && exec_clean_env timeout 90 "${SERVE[@]}" "$CFG_MISSING") >"$OUT_MISSING" 2>&1 </dev/null
  rc=$?
  EXTRA_LOGS+=("$OUT_MISSING")
  check "a missing htpasswd file (config file) makes the server exit non-zero at once (exit $rc)" \
    bash -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $rc -ne 137 ]"
  check "... with a message naming auth.htpasswd.path" grep -q 'auth\.htpasswd\.path' "$OUT_MISSING"
  sed 's/^/    serve: /' "$OUT_MISSING" | head -n 5

  CFG_MISSING_ENV=$(write_config missing-env "$(free_port)" "$E2E_TMP/data-missing")
  OUT_MISSING_ENV=$E2E_TMP/missing-env.log
  (cd "$REPO_ROOT" && exec_clean_env REGISTRY_AUTH=htpasswd "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm" \
     "REGISTRY_AUTH_HTPASSWD_PATH=$MISSING" timeout 90 "${SERVE[@]}" "$CFG_MISSING_ENV") >"$OUT_MISSING_ENV" 2>&1 </dev/null
  rc=$?
  EXTRA_LOGS+=("$OUT_MISSING_ENV")
  check "a missing htpasswd file (REGISTRY_AUTH_HTPASSWD_PATH) makes the server exit non-zero at once (exit $rc)" \
    bash -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $rc -ne 137 ]"
  check "... with a message naming auth.htpasswd.path" grep -q 'auth\.htpasswd\.path' "$OUT_MISSING_ENV"
else
  echo "SKIP: part 6, warnings and start-up messages (Berth-specific)"
fi

# ============================================================== 7. no password in any log
log "part 7: no password in the server logs"
check "the servers are still running" bash -c "$(for n in "${!REG_PID[@]}"; do printf 'kill -0 %s && ' "${REG_PID[$n]}"; done) true"
LOGS=()
for n in "${!REG_LOG[@]}"; do LOGS+=("${REG_LOG[$n]}"); done
LOGS+=("${EXTRA_LOGS[@]}")
log "server logs: $(wc -l "${LOGS[@]}" | tail -n1 | awk '{print $1}') lines in ${#LOGS[@]} files"
for pw in "$PW_XIAOFEI" "$PW_WRONG" "$PW_ALICE" "$PW_BOB" "$PW_DAVE" "$PW_DAVE2" "$PW_CAROL" "$PW_ERIN" "$PW_FRANK"; do
  check "no server log contains the password $pw" bash -c '! grep -F -n -- "$0" "$@"' "$pw" "${LOGS[@]}"
done
for pair in "${CRED_PAIRS[@]}"; do
  b64=$(printf '%s' "$pair" | base64 -w0)
  check "no server log contains the Basic credentials of ${pair%%:*} ($b64)" \
    bash -c '! grep -F -n -- "$0" "$@"' "$b64" "${LOGS[@]}"
done

finish
