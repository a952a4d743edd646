# Berth, a drop-in replacement for the registry:2 image.
#   docker build -t berth .
#   docker run -d -p 5000:5000 -v registry-data:/var/lib/registry --name registry berth
# Same layout and conventions as registry:2: config at /etc/docker/registry/config.yml, data in the
# /var/lib/registry volume, port 5000, REGISTRY_* environment overrides, `serve CONFIG` arguments, and
# `docker run --rm --entrypoint htpasswd berth -Bbn USER PASSWORD`. Unlike registry:2 it runs as the
# non-root user berth (uid/gid 10001): a bind-mounted data directory must be writable by that uid
# (chown 10001:10001 DIR), or pass --user with the directory's owner.
# image/build-offline.sh builds an equivalent image (FROM scratch, jlink'ed runtime) without internet.

FROM maven:3-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:25-jre
RUN groupadd --gid 10001 berth \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --no-log-init berth \
 && mkdir -p /var/lib/registry /etc/docker/registry /opt/berth \
 && chown 10001:10001 /var/lib/registry
COPY --from=build /src/target/berth.jar /opt/berth/berth.jar
COPY --from=build /src/target/lib/ /opt/berth/lib/
COPY image/config.yml /etc/docker/registry/config.yml
COPY image/docker-entrypoint.sh /entrypoint.sh
COPY image/berth image/htpasswd /usr/local/bin/
COPY image/storage-guess.sh /opt/berth/storage-guess.sh
RUN chmod 0755 /entrypoint.sh /usr/local/bin/berth /usr/local/bin/htpasswd \
 && chmod 0644 /etc/docker/registry/config.yml /opt/berth/storage-guess.sh
# the start-up caches `berth serve` uses (image/berth), one for the filesystem and one for S3: short training runs on
# loopback, as root, before USER
RUN berth aot-training && berth aot-training s3 && berth aot-training tls

USER 10001:10001
VOLUME ["/var/lib/registry"]
EXPOSE 5000
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/etc/docker/registry/config.yml"]
