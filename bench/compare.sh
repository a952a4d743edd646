#!/usr/bin/env bash
# Berth side by side with distribution 2.8.2 (Debian's docker-registry) on this machine, one command:
#   bash bench/compare.sh [--reps N] [--duration SECONDS] [--blob-mib MIB] [--workloads push,chunked,...] [--tls]
#                         [--s3] [--s3-lag MS]
# Both registries run on loopback over fresh storage under /tmp with the same settings (filesystem driver,
# deletes enabled, log level warn), and with the same htpasswd file (bcrypt cost 10) for the authenticated
# small-request workload. Each workload runs on both, alternating (A B, B A, A B, ...), N times (5 by default);
# the table shows medians; small requests get one unrecorded round on every server first, and each server's first
# three pulls are a row of their own, before the N of the pull's row (a fresh JVM pulls slower). It also records the
# time from process start to the first answer on /v2/ (median of N alternating starts), the resident memory once
# started and settled (idle, 10 s after the start) and the peak (VmHWM) after all the load.
# With --tls both serve HTTPS only (http.tls), with the same certificate from a throwaway CA made with openssl.
# With --s3 both store on S3 (storage.s3), a bucket each on one S3Proxy on loopback (tests/s3proxy.sh), with
# redirects off (storage.redirect.disable) so that the registries, not S3Proxy, serve the pulled bytes; a throwaway
# registry of each kind pushes and pulls through S3Proxy first, so that neither pays for its JIT's warm-up.
# --s3-lag MS (implies --s3) puts a relay (bench/lag-relay.py, python3) between the registries and S3Proxy that holds
# every piece of data MS milliseconds each way, so that each S3 call waits a round trip as on a remote S3, where
# S3Proxy on loopback answers in about a millisecond and rewards fewer calls rather than fewer round trips.
# Only processes this script started are stopped. Exit code 1 when any request failed its checks.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=5   # half-second transfers on this VM have slow repetitions often enough that 3 can give a slow median
duration=10
blob_mib=1024
workloads=push,chunked,pull,small,images
# A fresh Berth's first pulls are its slowest: the JVM runs the sending path in its interpreter and compiles it in
# those pulls, on the cores the client shares (docs/performance-changes.md, change 58). They are a row of their own, and
# the pull's row measures what a registry that has served a while does, as the other rows do.
fresh_pulls=3
tls=0
s3=0
s3_lag=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --blob-mib) blob_mib=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --tls) tls=1; shift ;;
    --s3) s3=1; shift ;;
    --s3-lag) s3=1; s3_lag=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v docker-registry >/dev/null; then
  echo "compare.sh: docker-registry (distribution 2.8.2) is missing: apt-get install docker-registry" >&2
  exit 2
fi
if [ "$s3_lag" != 0 ] && ! command -v python3 >/dev/null; then
  echo "compare.sh: --s3-lag needs python3 (for bench/lag-relay.py): apt-get install python3" >&2
  exit 2
fi
if [ "$tls" = 1 ] && ! { command -v openssl && command -v curl; } >/dev/null; then
  echo "compare.sh: --tls needs openssl (for the test certificate) and curl: apt-get install openssl curl" >&2
  exit 2
fi

# Every push, chunked and pull run stores a new blob on each registry, kept until the end: a disk that fills midway
# fails the later runs with answers that say nothing of the cause (a 500, a broken pipe).
need_mib=1024   # the small requests and the logs
for w in ${workloads//,/ }; do
  case $w in
    push | chunked) need_mib=$((need_mib + 2 * reps * blob_mib)) ;;
    pull) need_mib=$((need_mib + 2 * (fresh_pulls + reps) * blob_mib)) ;;
    images) need_mib=$((need_mib + 2 * reps * 2 * 32 * 5)) ;;   # a warm-up and a measured round of 32 x 5 MiB each
  esac
done
warm_mib=$(( blob_mib < 256 ? blob_mib : 256 ))   # the blobs that warm S3Proxy up (below)
if [ "$s3" = 1 ]; then
  need_mib=$((need_mib + 2 * blob_mib))   # S3Proxy holds an upload's parts and the object they make at once
  need_mib=$((need_mib + 8 * warm_mib))   # its warm-up's blobs: two rounds of two pushes per registry
fi
free_mib=$(( $(df --output=avail -k /tmp | tail -1) / 1024 ))
if [ "$free_mib" -lt "$need_mib" ]; then
  echo "compare.sh: this run needs about $need_mib MiB free under /tmp; there are $free_mib" >&2
  exit 2
fi

work=$(mktemp -d /tmp/berth-compare.XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  # the raw measurements outlive the run, for a second look or a table of one's own
  cp -f "$work/results.txt" /tmp/berth-compare-last.txt 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$s3" = 1 ]; then
  . "$here/tests/s3proxy.sh"
  mkdir "$work/s3"
  s3proxy_start "$work/s3" 5309 || { started+=("$S3PROXY_PID"); exit 1; }
  started+=("$S3PROXY_PID")
  for bucket in berth distribution berth-auth distribution-auth; do
    s3proxy_request -o /dev/null -X PUT "$S3PROXY_URL/$bucket" || { echo "compare.sh: no bucket $bucket" >&2; exit 1; }
  done
  # distribution's s3 driver refuses to start with it set (tests/e2e/s3.sh says why); the endpoint is plain HTTP
  unset AWS_CA_BUNDLE
  s3_endpoint=$S3PROXY_URL
  if [ "$s3_lag" != 0 ]; then
    python3 "$here/bench/lag-relay.py" 5310 5309 "$s3_lag" > "$work/s3/lag-relay.log" 2>&1 &
    started+=($!)
    s3_endpoint=http://127.0.0.1:5310
    for _ in $(seq 50); do
      [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$s3_endpoint/")" != 000 ] && break
      sleep 0.1
    done
  fi
fi

# Build the jar, and let the launcher make its start-up (AOT) cache with one untimed start, so that neither is
# counted as start-up.
"$here/berth" version >/dev/null
export BERTH_NO_BUILD=1   # a source edited during the run must not rebuild the jar under the running servers

"$here/berth" htpasswd -Bbn -C 10 bench bench-password > "$work/htpasswd"

scheme=http
bench_tls=()
if [ "$tls" = 1 ]; then
  mkdir "$work/tls"
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=compare-ca \
      -keyout "$work/tls/ca.key" -out "$work/tls/ca.crt" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
        -keyout "$work/tls/server.key" -out "$work/tls/server.csr" &&
      openssl x509 -req -in "$work/tls/server.csr" -CA "$work/tls/ca.crt" -CAkey "$work/tls/ca.key" \
        -CAcreateserial -days 2 -extfile <(echo subjectAltName=IP:127.0.0.1) -out "$work/tls/server.crt"
  } > "$work/tls/openssl.log" 2>&1 || { cat "$work/tls/openssl.log" >&2; echo "compare.sh: openssl failed" >&2; exit 1; }
  scheme=https
  bench_tls=(--cacert "$work/tls/ca.crt")
fi

# config NAME PORT AUTH: distribution's config.yml, which both registries read.
config() {
  local name=$1 port=$2 auth=$3
  mkdir -p "$work/$name"
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage:"
    if [ "$s3" = 1 ]; then
      echo "  s3: {region: us-east-1, regionendpoint: \"$s3_endpoint\", bucket: $name,"
      echo "       accesskey: $S3PROXY_ACCESS_KEY, secretkey: $S3PROXY_SECRET_KEY}"
      echo "  redirect: {disable: true}"
    else
      echo "  filesystem: {rootdirectory: $work/$name/data}"
    fi
    echo "  delete: {enabled: true}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    if [ "$tls" = 1 ]; then
      echo "  tls: {certificate: $work/tls/server.crt, key: $work/tls/server.key}"
    fi
    if [ "$auth" = auth ]; then
      echo "auth:"
      echo "  htpasswd: {realm: bench, path: $work/htpasswd}"
    fi
  } > "$work/$name/config.yml"
}

# start KIND NAME PORT: starts a registry in the background; sets $pid and $start_ms (start to first /v2/ answer).
start() {
  local kind=$1 name=$2 port=$3 t0 now
  t0=$EPOCHREALTIME
  if [ "$kind" = berth ]; then
    "$here/berth" serve "$work/$name/config.yml" > "$work/$name/log" 2>&1 &
  else
    docker-registry serve "$work/$name/config.yml" > "$work/$name/log" 2>&1 &
  fi
  pid=$!
  started+=("$pid")
  until answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "compare.sh: $name did not start:" >&2
      cat "$work/$name/log" >&2
      exit 1
    fi
    pause
  done
  now=$EPOCHREALTIME
  start_ms=$(( (${now/./} - ${t0/./}) / 1000 ))
}

# pause: 5 ms without starting a process (a read that times out on a pipe nobody writes); polling with `sleep`
# forked 200 processes a second, which took a third of a core from the registry starting beside it.
mkfifo "$work/tick"
exec {tick}<>"$work/tick"
pause() { read -r -t 0.005 -u "$tick" || true; }

# answers PORT: whether GET /v2/ gets an HTTP answer (200, or 401 with auth); bash's /dev/tcp forks nothing.
answers() {
  local line
  if [ "$tls" = 1 ]; then
    # a handshake is beyond bash's /dev/tcp; curl's own start (a few ms) adds to both registries' times alike
    line=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$work/tls/ca.crt" \
      "https://127.0.0.1:$1/v2/") || true
    [[ "$line" == 200 || "$line" == 401 ]]
    return
  fi
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  IFS= read -r -t 2 line <&3 || line=
  exec 3<&- 3>&-
  [[ "$line" == HTTP/1.?\ 200* || "$line" == HTTP/1.?\ 401* ]]
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# in_mib KIB: to a tenth of a MiB (whole MiB rounded down showed 60.9 as 60.0, at the idle target)
in_mib() { awk -v k="$1" 'BEGIN {printf "%.1f\n", k / 1024}'; }

results="$work/results.txt"   # lines: registry|row|metric|value
: > "$results"
record() { echo "$1|$2|$3|$4" >> "$results"; }

config berth 5301 none; config distribution 5302 none
config berth-auth 5303 auth; config distribution-auth 5304 auth

# S3Proxy is a JVM too: whichever registry first pushes and pulls large blobs through a fresh one pays for its JIT
# compiling those paths (a fresh registry's first 256 MiB pull from a fresh S3Proxy 500-640 MB/s, from one that had
# served four pushes and pulls 730-980, either registry), and each row's alternation starts with Berth. So before
# anything is timed, a throwaway registry of each kind, on a bucket of its own, pushes and pulls through it twice.
if [ "$s3" = 1 ]; then
  for kind in berth distribution; do
    name=$kind-s3proxy-warm-up
    echo "[S3Proxy warm-up] through a throwaway $kind" >&2
    s3proxy_request -o /dev/null -X PUT "$S3PROXY_URL/$name" || { echo "compare.sh: no bucket $name" >&2; exit 1; }
    config "$name" 5305 none
    start "$kind" "$name" 5305
    for _ in 1 2; do
      "$here/berth" bench "$scheme://127.0.0.1:5305" "${bench_tls[@]}" --workloads push,chunked,pull \
          --blob-size "$warm_mib" > /dev/null 2>&1 || echo "compare.sh: warming S3Proxy through $kind had failures" >&2
    done
    stop "$pid"
  done
fi
start berth berth 5301; stop "$pid"; rm -rf "$work/berth/data"

# The file system both store on, and for ext4 whether it journals: a sync's cost depends on it (docs/performance.md,
# "Syncs on this VM").
storage_fs() {
  local source fstype journal
  read -r source fstype < <(findmnt -n -o SOURCE,FSTYPE --target "$work")
  journal=/sys/fs/ext4/${source##*/}/journal_task
  if [ "$fstype" = ext4 ] && [ -r "$journal" ]; then
    [ "$(cat "$journal")" = "<none>" ] && fstype="ext4 without a journal" || fstype="ext4 with a journal"
  fi
  echo "$fstype on $source"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), storage on $(storage_fs)" >&2

declare -A port=([berth]=5301 [distribution]=5302 [berth-auth]=5303 [distribution-auth]=5304)

# in_turn REP FIRST SECOND: sets $pair to the two in the order of repetition REP (A B, B A, A B, ...).
in_turn() {
  if [ $(($1 % 2)) -eq 1 ]; then pair=("$2" "$3"); else pair=("$3" "$2"); fi
}

# Start-up: N alternating cold starts of each on empty storage.
for rep in $(seq 1 "$reps"); do
  in_turn "$rep" berth distribution
  for kind in "${pair[@]}"; do
    start "$kind" "$kind" "${port[$kind]}"
    record "$kind" "start" "ms" "$start_ms"
    stop "$pid"
    rm -rf "$work/$kind/data"
  done
done

# The registries under test: started once, idle memory taken after they settle. A JVM hands the scratch memory
# of the compilations a start makes back to the system on a 5 s cycle (2-3 MiB of Berth's RSS 2 s after a start),
# so idle is taken 10 s after the last of them answered.
declare -A pids
for name in berth distribution berth-auth distribution-auth; do
  start "${name%-auth}" "$name" "${port[$name]}"
  pids[$name]=$pid
done
sleep 10
for name in berth distribution; do
  record "$name" "idle RSS" "MiB" "$(in_mib "$(kib "${pids[$name]}" VmRSS)")"
done

# bench NAME PORT WORKLOAD [--user u:p]: one run, its JSON lines appended to the results.
bench() {
  local name=$1 port=$2 workload=$3; shift 3
  local out="$work/$name.$workload.json" registry=${name%-auth}
  if ! "$here/berth" bench "$scheme://127.0.0.1:$port" "${bench_tls[@]}" --workloads "$workload" --json \
      --duration "$duration" --blob-size "$blob_mib" "$@" > "$out" 2> "$work/$name.$workload.progress"; then
    echo "compare.sh: $name $workload had failures:" >&2
    grep -v '"passed":true' "$out" >&2 || cat "$work/$name.$workload.progress" >&2
  fi
  local suffix=""
  if [ "$name" != "$registry" ]; then suffix=" (auth)"; fi
  if [ -n "${row_suffix:-}" ]; then suffix+=$row_suffix; fi
  if ! grep -q '"workload"' "$out"; then
    record "$registry" "$workload$suffix" "failed" 1
    return
  fi
  grep '"workload"' "$out" | while IFS= read -r line; do
    local row metric value
    row=$(sed -E 's/.*"workload":"([^"]*)".*/\1/' <<< "$line" | sed -E 's/ \(auth\)$//; s/^push [0-9]+ [GMK]iB monolithic/push monolithic/; s/^push [0-9]+ [GMK]iB in .*/push chunked/; s/^pull [0-9]+ [GMK]iB/pull/')
    row="$row$suffix"
    if [[ "$line" != *'"passed":true'* ]]; then
      record "$registry" "$row" "failed" 1
      continue
    fi
    for metric in mb_per_s req_per_s p99_ms p50_ms seconds; do
      value=$(grep -oE "\"$metric\":[0-9.]+" <<< "$line" | head -1 | cut -d: -f2) || true
      if [ -n "$value" ]; then record "$registry" "$row" "$metric" "$value"; fi
    done
  done
}

# warm NAME PORT [--user u:p]: one unrecorded round of small requests. A fresh JVM serves them at half speed
# for its first 10-15 s under this load, while its JIT compiles the request path on the cores the client keeps
# busy; without this round the first repetition of each pair measures that, and the authenticated pair, which
# gets no other load before, measures it for Berth alone.
warm() {
  local name=$1 port=$2; shift 2
  echo "[small warm-up] $name" >&2
  if ! "$here/berth" bench "$scheme://127.0.0.1:$port" "${bench_tls[@]}" --workloads small --duration 5 "$@" \
      > /dev/null 2>&1; then
    echo "compare.sh: the warm-up round of $name had failures (the measured rounds report them)" >&2
  fi
}

# rounds LABEL COUNT FIRST SECOND WORKLOAD [ARG...]: COUNT repetitions of the workload on the two servers, in turn.
rounds() {
  local label=$1 count=$2 first=$3 second=$4 rep name
  shift 4
  for rep in $(seq 1 "$count"); do
    in_turn "$rep" "$first" "$second"
    for name in "${pair[@]}"; do
      echo "[$label $rep/$count] $name" >&2
      bench "$name" "${port[$name]}" "$@"
    done
  done
}

IFS=, read -r -a selected <<< "$workloads"
for workload in "${selected[@]}"; do
  if [ "$workload" = small ]; then
    warm berth 5301; warm distribution 5302
    warm berth-auth 5303 --user bench:bench-password; warm distribution-auth 5304 --user bench:bench-password
  fi
  if [ "$workload" = pull ]; then
    row_suffix=", the server's first $fresh_pulls" \
      rounds "pull, the server's first $fresh_pulls" "$fresh_pulls" berth distribution pull
  fi
  rounds "$workload" "$reps" berth distribution "$workload"
  if [ "$workload" = small ]; then
    rounds "small (auth)" "$reps" berth-auth distribution-auth small --user bench:bench-password
  fi
done

for name in berth distribution; do
  peak=$(kib "${pids[$name]}" VmHWM)
  peak_auth=$(kib "${pids[$name-auth]}" VmHWM)
  record "$name" "peak RSS" "MiB" "$(in_mib $(( peak > peak_auth ? peak : peak_auth )))"
done

# The table: medians of each registry's runs, and Berth's factor over distribution (>1 is better for Berth).
awk -F'|' -v reps="$reps" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v over="$([ "$tls" = 1 ] && echo "; over TLS")$([ "$s3" = 1 ] && echo "; on S3Proxy")$([ "$s3_lag" != 0 ] && echo " behind ${s3_lag} ms each way")" '
  function median(key,   n, i, j, t, a) {
    n = split(values[key], a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
  }
  {
    key = $1 "|" $2 "|" $3
    values[key] = values[key] " " $4
    if (!($2 in seen)) { seen[$2] = 1; rows[++nrows] = $2 }
    if ($3 == "failed") failed[$1 "|" $2]++
  }
  function cell(registry, row, metric, unit,   m) {
    if ((registry "|" row) in failed) return "FAILED x" failed[registry "|" row]
    m = median(registry "|" row "|" metric)
    if (m == "") return "-"
    return sprintf(m >= 100 ? "%.0f %s" : (m >= 10 ? "%.1f %s" : "%.2f %s"), m, unit)
  }
  function ratio(row, metric, higher,   b, d) {
    b = median("berth|" row "|" metric); d = median("distribution|" row "|" metric)
    if (b == "" || d == "" || b == 0 || d == 0 || ("berth|" row) in failed || ("distribution|" row) in failed) return "-"
    return sprintf("%.2fx", higher ? b / d : d / b)
  }
  function line(label, row, metric, unit, higher) {
    printf "| %s | %s | %s | %s |\n", label, cell("distribution", row, metric, unit), cell("berth", row, metric, unit), ratio(row, metric, higher)
  }
  END {
    printf "| workload (median of %d; load before the table %s%s) | distribution 2.8.2 | Berth | Berth vs distribution |\n", reps, load, over
    print "|---|---|---|---|"
    for (i = 1; i <= nrows; i++) {
      r = rows[i]
      if (r == "start") line("start to first /v2/", r, "ms", "ms", 0)
      else if (r ~ /RSS/) line(r, r, "MiB", "MiB", 0)
      else if (median("berth|" r "|mb_per_s") != "" || median("distribution|" r "|mb_per_s") != "") line(r, r, "mb_per_s", "MB/s", 1)
      else if (median("berth|" r "|req_per_s") != "" || median("distribution|" r "|req_per_s") != "") {
        line(r, r, "req_per_s", "req/s", 1); line(r " p50", r, "p50_ms", "ms", 0); line(r " p99", r, "p99_ms", "ms", 0)
      }
      else if (median("berth|" r "|seconds") != "" || median("distribution|" r "|seconds") != "") line(r, r, "seconds", "s", 0)
      else line(r, r, "none", "", 1)
    }
  }' "$results"

if grep -q '|failed|' "$results"; then
  exit 1
fi
