# Image of the s3-integration-operator, for CI systems that build with docker:
#   docker build -t localhost/s3-integration-operator:0.1.0 .
# The project itself builds the image without a container engine: scripts/image (a Debian root
# filesystem from mmdebstrap plus the same jars, as an OCI archive). Both produce the same layout,
# declared once in scripts/image.layout: Debian bookworm's openjdk-17-jre-headless, /app/app.jar
# and /app/lib, user 65532:65532, the same environment and entrypoint (ImageLayoutTest compares
# this file with it). The difference: this one keeps the base image's apt; scripts/image has none.

# ---- build: the operator's jar and its runtime dependencies
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again. Best effort: this
# layer is only a cache, the package step below resolves whatever it missed.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src src
# Formatting is checked by the project's own build, not by the image build.
RUN mvn -B -DskipTests -Dspotless.check.skip=true \
      package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp target/s3-integration-operator-*.jar /out/app.jar

# ---- runtime: Debian's headless JRE 17, non-root
# Pin both FROM lines by digest in your CI (name:tag@sha256:..., from `docker buildx imagetools
# inspect`): this machine reaches no container registry, so no digest here could be checked.
# scripts/image pins its base by scripts/image.lock instead.
FROM debian:bookworm-slim
# man1 must exist for the JRE's update-alternatives (the slim image excludes man pages). The user:
# a passwd/group entry for the numeric UID/GID; its home does not exist (read-only root).
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /usr/share/man \
 && echo 'nonroot:x:65532:65532:nonroot:/nonexistent:/usr/sbin/nologin' >>/etc/passwd \
 && echo 'nonroot:x:65532:' >>/etc/group
COPY --from=build /out/lib/ /app/lib/
COPY --from=build /out/app.jar /app/app.jar
WORKDIR /app
# A numeric UID/GID (not a name), so that Kubernetes' runAsNonRoot can verify it; the chart runs
# the same UID with a read-only root filesystem and an emptyDir at /tmp.
USER 65532:65532
# /metrics (HTTP_PORT), then the probes /healthz and /readyz (PROBE_PORT)
EXPOSE 8080
EXPOSE 8081
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["/usr/bin/java", "-cp", "/app/app.jar:/app/lib/*", "dev.integrations.s3.Main"]
