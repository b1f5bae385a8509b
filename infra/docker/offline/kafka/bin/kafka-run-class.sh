#!/usr/bin/env bash
# Runs a Kafka main class on the jars of /opt/kafka/libs (apache/kafka stand-in,
# offline machines only), with the JVM variables of Kafka's own script.
set -euo pipefail
base=/opt/kafka
# Word splitting of the option variables is intended, as in Kafka's script.
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true} \
  ${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base/config/tools-log4j2.properties} \
  ${KAFKA_OPTS:-} -cp "$base/libs/*" "$@"
