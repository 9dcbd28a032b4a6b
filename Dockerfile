# Image of the s3-integration-operator, as the Helm chart (helm/s3-integration-operator) runs it:
#   docker build -t s3-integration-operator:0.1.0 .
# NOTE: this Dockerfile has not been built in the project's own environment, which has no container
# engine; the chart's tests (HelmChartIT) check the chart, not the image.

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
      package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib \
 && cp target/s3-integration-operator-*.jar /out/app.jar \
 && cp target/dependency/*.jar /out/lib/

# ---- runtime: JRE only, non-root
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /out/ /app/
# A numeric UID/GID (not a name), so that Kubernetes' runAsNonRoot can verify it; the chart runs
# the same UID with a read-only root filesystem and an emptyDir at /tmp.
USER 65532:65532
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-cp", "/app/app.jar:/app/lib/*", "dev.integrations.s3.Main"]
