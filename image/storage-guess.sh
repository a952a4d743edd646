# Sourced by the launchers, ./berth (bash) and the image's berth (POSIX sh): which storage a command's configuration
# names, and whether it serves TLS, guessed before the JVM starts, so that a registry on S3 can start with the AWS
# SDK's jars on its class path and from a start-up cache that holds them (docs/performance-changes.md, change 52), and
# one on a TLS port from a cache that holds the JDK's TLS (change 82). A wrong guess costs start-up time only: the
# server reads the configuration itself.

# names_s3 FILE: whether FILE's top-level storage section names the s3 driver, read with shell built-ins: a line
# `s3:` inside the section, or `s3:` in a flow mapping on the `storage:` line itself.
names_s3() {
  in_storage=0
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      storage:*)
        in_storage=1
        case $line in *[{,\ ]s3:* | *[{,\ ]\"s3\":* | *[{,\ ]\'s3\':*) return 0 ;; esac
        continue ;;
      [!\ #]*) in_storage=0; continue ;;
    esac
    if [ "$in_storage" = 1 ]; then
      line=${line#"${line%%[! ]*}"}
      case $line in s3:* | \"s3\":* | \'s3\':*) return 0 ;; esac
    fi
  done < "$1"
  return 1
}

# names_tls FILE: whether FILE turns TLS on, read with shell built-ins: a `certificate:` key in its top-level http
# section (http.tls.certificate), or `enabled: true` in a `selfmanaged:` mapping in its berth section
# (berth.tls.selfmanaged.enabled), either in block style or in a flow mapping on one line.
names_tls() {
  section='' selfmanaged=''
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      http:*)
        section=http
        case $line in *[{,\ ]certificate:*) return 0 ;; esac
        continue ;;
      berth:*)
        section=berth selfmanaged=''
        case $line in *selfmanaged:*enabled:\ true*) return 0 ;; esac
        continue ;;
      [!\ #]*) section=''; continue ;;
    esac
    key=${line#"${line%%[! ]*}"}
    case $key in \#* | '') continue ;; esac
    case $section:$key in
      http:certificate:* | http:*[{,\ ]certificate:*) return 0 ;;
      berth:*)
        # the mapping ends at the first line indented no deeper than its key
        indent=$((${#line} - ${#key}))
        if [ -n "$selfmanaged" ] && [ "$indent" -le "$selfmanaged" ]; then selfmanaged=''; fi
        case $key in
          selfmanaged:*enabled:\ true*) return 0 ;;
          selfmanaged:*) selfmanaged=$indent ;;
          enabled:\ true*) if [ -n "$selfmanaged" ]; then return 0; fi ;;
        esac ;;
    esac
  done < "$1"
  return 1
}

# config_file ARG...: sets $config_file to the configuration a command given ARG... reads: the last argument when it
# is a file (`serve config.yml`), else REGISTRY_CONFIGURATION_PATH.
config_file() {
  config_file=${REGISTRY_CONFIGURATION_PATH:-}
  if [ $# -gt 1 ]; then
    eval "last=\${$#}"
    if [ -f "$last" ]; then config_file=$last; fi
  fi
}

# guess_storage ARG...: sets $storage to s3 or filesystem for a command given ARG... (its configuration file last, as
# in `serve config.yml`), as the server will read it: REGISTRY_STORAGE, else a REGISTRY_STORAGE_S3_* variable, else
# the file (the last argument, else REGISTRY_CONFIGURATION_PATH).
guess_storage() {
  storage=filesystem
  if [ -n "${REGISTRY_STORAGE:-}" ]; then
    if [ "$REGISTRY_STORAGE" = s3 ]; then storage=s3; fi
    return 0
  fi
  # bash has a built-in for the names; a POSIX shell (the image's) lists them in a subshell, which costs bash 4 ms
  if [ -n "${BASH_VERSION:-}" ]; then
    if compgen -e REGISTRY_STORAGE_S3_ >/dev/null; then storage=s3; return 0; fi
  else
    case $(export -p) in *" REGISTRY_STORAGE_S3_"*) storage=s3; return 0 ;; esac
  fi
  config_file "$@"
  if [ -f "$config_file" ] && [ -r "$config_file" ] && names_s3 "$config_file"; then storage=s3; fi
  return 0
}

# guess_tls ARG...: sets $tls to 1 when a command given ARG... serves TLS as the server will read it, else 0:
# REGISTRY_HTTP_TLS_CERTIFICATE or REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED=true, else the file (as for the storage).
guess_tls() {
  tls=0
  if [ -n "${REGISTRY_HTTP_TLS_CERTIFICATE:-}" ] || [ "${REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED:-}" = true ]; then
    tls=1
    return 0
  fi
  config_file "$@"
  if [ -f "$config_file" ] && [ -r "$config_file" ] && names_tls "$config_file"; then tls=1; fi
  return 0
}
