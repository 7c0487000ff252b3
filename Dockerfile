# syntax=docker/dockerfile:1
#
# socketio-canary container image. See docs/docker.md for build and run.
#
# Both base images are pinned to an exact version tag; bump them together with the JDK in CI.
# (Pin by digest as well once a pipeline can resolve and refresh digests; the development
# machines have no Docker engine to look them up.) DockerfileTest guards these rules.

# ---- Build stage: the shaded jar ---------------------------------------------------------------
FROM maven:3.9.11-eclipse-temurin-21 AS build
WORKDIR /build
# The pom alone first, so a source change does not download the dependencies again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests package

# ---- Runtime stage -----------------------------------------------------------------------------
# A JRE 21 on Ubuntu Noble. It has bash but neither curl nor wget, so the
# HEALTHCHECK below speaks HTTP over bash's /dev/tcp instead of adding a package and an apt layer.
FROM eclipse-temurin:21.0.8_9-jre-noble

# A fixed numeric UID/GID, the same one the Helm chart sets in runAsUser, so `runAsNonRoot` can
# be verified by the kubelet without reading /etc/passwd.
RUN groupadd --system --gid 10001 canary \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp \
      --shell /usr/sbin/nologin canary

# The default configuration; mount your own over /etc/socketio-canary/ (or pass --config).
COPY config/ /etc/socketio-canary/
COPY --from=build /build/target/socketio-canary.jar /opt/socketio-canary/socketio-canary.jar

# The agent's classes parsed once, here, into a class-data-sharing archive that every start maps
# instead of reading the jar again: a training run of `demo` against this JRE and jar (an archive
# is only valid for the JVM and jar that made it; with another, the JVM ignores it and starts as
# usual). Run as root, before USER, so the archive lands beside the jar, read-only.
COPY docker/train-class-archive.sh /opt/socketio-canary/
RUN /opt/socketio-canary/train-class-archive.sh /opt/socketio-canary/socketio-canary.jar \
      /opt/socketio-canary/agent.jsa \
 && chmod 0444 /opt/socketio-canary/agent.jsa

# The agent writes nothing but temporary files (Vert.x file cache, JVM perf data) and those go
# to java.io.tmpdir=/tmp, so the root filesystem can be read-only with a writable /tmp.
VOLUME /tmp
WORKDIR /tmp
USER 10001:10001

EXPOSE 9470

# GET /health over bash's /dev/tcp: an HTTP/1.0 request, then the status line must say 200.
# Starting a JVM for this would take longer than the check itself. The port is the default
# canary.http.port; change it here too if your config moves it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9470 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 line <&3 && [[ $line == HTTP/1.?' 200 '* ]]"]

# JVM defaults for an agent of tens to hundreds of canaries, chosen with bench/run.sh
# (docs/performance.md): the serial collector (no G1 remembered sets or GC threads), a heap that
# starts at 8 MB and grows with the fleet, a young generation a fifth the size of the old one and at
# most 16 MB (60 canaries: 6 MB instead of 14, 2-6 MB less RSS; the cap decides once the old
# generation has 80 MB, at 5,000 canaries it has 200-260 MB, where the cap saves 2-8 kB per canary
# on Java 17 and keeps a reconnect storm's young collections short), 75 % of the heap kept free
# after a full collection (room for a storm's new sessions; the agent collects at a quiet moment
# when that room runs short: docs/performance.md, "What pays", room for a storm), the C1 compiler
# only (with C2, 60 canaries after 5 minutes of churn held 17-20 MB more and used nearly twice the
# CPU; at a thousand canaries C2 already paid, see docs/docker.md), the JVM's performance counters
# sampled once a second instead of 20 times (a wake-up for counters only jstat reads: 0.12 % of a
# core, a sixth of an idle 60-canary agent's CPU on Java 17; Java 25 no longer samples and ignores
# the flag with a warning), and the class archive above (a start takes 28 % less CPU with it; the
# RSS is the same). Measured on Java 17 and 25. The JVM's own warnings go to stderr (its default is
# stdout, where `compare` and `diagnose` write JSON), one being an archive it cannot use. In
# JDK_JAVA_OPTIONS, not in the ENTRYPOINT, so a deployment replaces them by setting the variable
# (for a thousand canaries or more, see docs/docker.md).
ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC -Xms8m -XX:NewRatio=5 -XX:MaxNewSize=16m -XX:MinHeapFreeRatio=75 -XX:MaxHeapFreeRatio=85 -XX:TieredStopAtLevel=1 -XX:PerfDataSamplingInterval=1000 -XX:SharedArchiveFile=/opt/socketio-canary/agent.jsa -Xlog:disable -Xlog:all=warning:stderr"
# Two glibc malloc arenas instead of up to eight per core: the agent's native allocations are few
# (Netty's buffers come from its own pools), and each arena a thread touches stays in the RSS.
ENV MALLOC_ARENA_MAX=2

# Exec form, so the JVM is PID 1 and receives SIGTERM: `run` then disconnects the canaries and
# exits 0. The heap follows the container's memory limit; an OutOfMemoryError ends the process
# so the orchestrator restarts it instead of it limping on. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/socketio-canary/socketio-canary.jar"]
CMD ["run", "--config", "/etc/socketio-canary/canary.conf"]
