#!/usr/bin/env bash
# kafka-storage.sh (apache/kafka stand-in, offline machines only).
exec /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool "$@"
