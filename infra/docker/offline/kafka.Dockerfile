# Stand-in for the official apache/kafka:<version> image, for machines that cannot pull
# images (see ../offline-images.sh): Debian's Java 21 runtime, the broker and tools jars
# of that version from Maven Central in /opt/kafka/libs, the /opt/kafka/bin scripts
# docker-compose.yml uses, and /etc/kafka/docker/run turning KAFKA_* variables into the
# server config as the official image does. Runs as appuser (uid 1000) like it.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-21-jre-headless >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1000 --user-group --create-home --shell /bin/bash appuser
COPY libs /opt/kafka/libs
COPY bin /opt/kafka/bin
COPY config /opt/kafka/config
COPY run /etc/kafka/docker/run
RUN chown -R appuser:appuser /opt/kafka/config && mkdir -p /tmp/kraft-combined-logs \
    && chown appuser:appuser /tmp/kraft-combined-logs
USER appuser
EXPOSE 9092
CMD ["/etc/kafka/docker/run"]
ARG RECIPE
LABEL orderflow.standin=${RECIPE}
