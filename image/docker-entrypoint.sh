#!/bin/sh
# The image's entrypoint (/entrypoint.sh), with registry:2's argument conventions:
#   docker run IMAGE                        berth serve /etc/docker/registry/config.yml (the CMD)
#   docker run IMAGE /path/config.yml       berth serve /path/config.yml
#   docker run IMAGE serve /path/config.yml berth serve /path/config.yml (likewise every berth command:
#                                           config, garbage-collect, repo, htpasswd, bench, version, --help...)
#   docker run IMAGE sh                     anything else runs as given
# exec: Berth's JVM becomes the container's main process and gets docker stop's SIGTERM itself.
set -e
case "${1:-}" in
  *.yml | *.yaml) set -- berth serve "$@" ;;
  # the commands of `berth --help`
  serve | config | garbage-collect | repo | htpasswd | bench | version | -*) set -- berth "$@" ;;
esac
exec "$@"
