#!/usr/bin/env bash
# kafka-topics.sh (apache/kafka stand-in, offline machines only).
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand "$@"
