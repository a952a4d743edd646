#!/usr/bin/env bash
# End-to-end: configuration compatibility with CNCF distribution. Each configuration below (a file,
# sometimes with REGISTRY_* variables) is given to the reference ($REF_REGISTRY_CMD, default
# docker-registry serve) and to the registry under test ($REGISTRY_CMD, default ./berth serve):
# both must refuse it, or both serve it and answer the same request alike. The cases are those an
# operator's existing config.yml can hold and where the two once differed:
#   refused    an auth scheme written without settings, or only named (Berth once ran with no authentication);
#              upload purging's durations as bare numbers (Berth once read nanoseconds)
#   served     metrics asked for without a debug address; YAML 1.1's y/n; auth none; http.host
#              without a scheme (ignored); http.host with http.prefix and http.relativeurls (URLs
#              are the host's); validation.disabled (any http/https layer URL); a header list's ~
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
read -r -a SUT <<<"$REGISTRY_CMD"
read -r -a REF <<<"$REF_REGISTRY_CMD"
log "ref=${REF[*]}  sut=${SUT[*]}"
REFUSE_WITHIN=60  # seconds a registry has to exit on a configuration it refuses (./berth may build first)

# run_with LABEL NAME YAML [NAME=VALUE...]: writes the configuration (the placeholders PORT and ROOT
# filled in) and starts the registry LABEL (ref or sut) with it and the variables; waits until it
# answers /$API/ (default v2; OUTCOME=serves, left running on $PORT until stop_run) or exits (OUTCOME=refuses).
run_with() {
  local label=$1 name=$2 yaml=$3; shift 3
  local -a cmd
  if [ "$label" = ref ]; then cmd=("${REF[@]}"); else cmd=("${SUT[@]}"); fi
  PORT=$(free_port)
  local root="$E2E_TMP/data-$label-${name// /_}" cfg="$E2E_TMP/$label-${name// /_}.yml"
  RUN_LOG="$E2E_TMP/$label-${name// /_}.log"
  mkdir -p "$root"
  printf '%s\n' "$yaml" | sed -e "s|PORT|$PORT|g" -e "s|ROOT|$root|g" >"$cfg"
  (cd "$REPO_ROOT" && exec_clean_env "$@" "${cmd[@]}" "$cfg") >"$RUN_LOG" 2>&1 </dev/null &
  REG_PID[run]=$!
  REG_LOG[run]=$RUN_LOG
  local deadline=$((SECONDS + REFUSE_WITHIN)) code
  OUTCOME="neither served nor exited within $REFUSE_WITHIN s"
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/${API:-v2}/" 2>/dev/null)
    if [ "$code" = 200 ] || [ "$code" = 401 ]; then OUTCOME=serves; return 0; fi
    if ! kill -0 "${REG_PID[run]}" 2>/dev/null; then
      wait "${REG_PID[run]}" 2>/dev/null
      unset "REG_PID[run]"
      OUTCOME=refuses
      return 0
    fi
    sleep 0.25
  done
}

stop_run() { stop_registry run; }

BASE='version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: ROOT}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:PORT'

# same_refusal NAME YAML [NAME=VALUE...]: both registries must refuse to start.
same_refusal() {
  local name=$1 yaml=$2; shift 2
  local label
  for label in ref sut; do
    run_with "$label" "$name" "$yaml" "$@"
    [ "$OUTCOME" = refuses ] || tail -n 15 "$RUN_LOG" | sed 's/^/    | /'
    stop_run
    check_eq "[$label] $name: refused" refuses "$OUTCOME"
  done
}

# same_answer NAME YAML PROBE [NAME=VALUE...]: both registries must serve, and the shell function
# PROBE (run with $PORT set) must print the same for both.
same_answer() {
  local name=$1 yaml=$2 probe=$3; shift 3
  local label ref_answer="" answer
  for label in ref sut; do
    run_with "$label" "$name" "$yaml" "$@"
    [ "$OUTCOME" = serves ] || tail -n 15 "$RUN_LOG" | sed 's/^/    | /'
    check_eq "[$label] $name: serves" serves "$OUTCOME"
    if [ "$OUTCOME" != serves ]; then
      stop_run  # one that neither served nor exited is still running
      continue
    fi
    answer=$("$probe" | sed "s/:$PORT\//:PORT\//g")
    stop_run
    if [ "$label" = ref ]; then
      ref_answer=$answer
      log "$name: the reference answers: $answer"
    else
      check_eq "[sut] $name: answers as the reference does" "$ref_answer" "$answer"
    fi
  done
}

v2_status() { curl -sS --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/"; }

# the Location of a new upload (the upload's session id cut off), started at /$API/team/app/blobs/uploads/
# (default /v2/...)

upload_location() {
  curl -sS --max-time 30 -o /dev/null -D - -X POST "http://127.0.0.1:$PORT/${API:-v2}/team/app/blobs/uploads/" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p' | sed -E 's|uploads/[^/?]+.*$|uploads/|'
}

delete_unknown_manifest() {
  curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -X DELETE \
    "http://127.0.0.1:$PORT/v2/team/app/manifests/sha256:$(rand_hex 32)"
}

empty_header() {
  curl -sS --max-time 30 -o /dev/null -D - "http://127.0.0.1:$PORT/v2/" | tr -d '\r' | grep -i '^x-empty:' \
    | tr 'A-Z' 'a-z' | sed 's/ *$//'
}

# pushes a config blob, then a Docker image manifest whose only layer is foreign, with an https URL;
# prints whether the manifest was accepted (distribution's refusal is a 500, Berth's the spec's 400)
push_foreign_layer() {
  local url="http://127.0.0.1:$PORT/v2/team/app" config='{"architecture":"amd64","os":"windows"}' digest
  digest=sha256:$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
  local location
  location=$(curl -sS --max-time 30 -o /dev/null -D - -X POST "$url/blobs/uploads/" | tr -d '\r' \
    | sed -n 's/^[Ll]ocation: //p')
  case $location in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -sS --max-time 30 -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "$config" \
    "$location"
  local manifest
  manifest=$(printf '{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","size":%d,"digest":"%s"},"layers":[{"mediaType":"%s","size":1024,"digest":"sha256:%s","urls":["https://layers.example.com/base.tar.gz"]}]}' \
    application/vnd.docker.distribution.manifest.v2+json application/vnd.docker.container.image.v1+json \
    "${#config}" "$digest" application/vnd.docker.image.rootfs.foreign.diff.tar.gzip "$(rand_hex 32)")
  local status
  status=$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary "$manifest" \
    "$url/manifests/v1")
  if [ "$status" = 201 ]; then echo accepted; else echo "refused"; fi
}

# ============================================================== refused by both
same_refusal "auth.htpasswd without settings" "$BASE
auth:
  htpasswd:"
same_refusal "auth.token without settings" "$BASE
auth:
  token:"
same_refusal "auth naming htpasswd without a mapping" "$BASE
auth: htpasswd"
PURGING='storage:
  maintenance:
    uploadpurging: {enabled: true, age: 10, interval: 1h, dryrun: false}'
same_refusal "uploadpurging age as a bare number" "${BASE/storage:/$PURGING}"
same_refusal "uploadpurging interval as a bare number from the environment" "$BASE" \
  REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL=86400

# ============================================================== served by both, alike
same_answer "metrics without a debug address" "$BASE
  debug: {prometheus: {enabled: true}}" v2_status
same_answer "auth none" "$BASE
auth: {none: {}}" v2_status
same_answer "REGISTRY_AUTH=none" "$BASE" v2_status REGISTRY_AUTH=none
same_answer "deletes on by a YAML 1.1 y" "${BASE/enabled: true/enabled: y}" delete_unknown_manifest
same_answer "deletes off by n from the environment" "$BASE" delete_unknown_manifest REGISTRY_STORAGE_DELETE_ENABLED=n
same_answer "http.host without a scheme" "$BASE
  host: registry.example.com:5000" upload_location
API=p/v2 same_answer "http.host with a path, http.prefix and relativeurls" "$BASE
  prefix: /p/
  host: https://registry.example.com/pub/
  relativeurls: true" upload_location
API=p/v2 same_answer "http.host whose path has no trailing slash" "$BASE
  prefix: /p/
  host: https://registry.example.com/pub" upload_location
same_answer "validation off: any layer URL" "$BASE
validation:
  disabled: true
  manifests:
    urls:
      allow: ['^https://elsewhere\\.example\\.com/']" push_foreign_layer
same_answer "validation.enabled false, deprecated, leaves it on" "$BASE
validation:
  enabled: false" push_foreign_layer
same_answer "a header whose value is ~" "$BASE
  headers: {X-Empty: [~]}" empty_header

finish
