#!/usr/bin/env bash
# Builds local stand-ins for the images that docker-compose.yml and infra/docker/Dockerfile
# name (node:*-slim, postgres:<major>, apache/kafka:<version>), under those exact names.
#
# They exist ONLY because the machines this project's CI runs on cannot pull from any
# image registry. On a machine that can, do not run this: compose pulls the official
# images. Each stand-in is a Debian rootfs made by debootstrap, plus Debian packages
# (postgresql-<major>, a Java runtime), the machine's own node, npm and corepack, or the
# Kafka jars from Maven Central; each honours the part of its official image's
# interface that the compose file uses (see offline/). An image of that name that is
# not a stand-in (a pulled one) is left alone; a stand-in made from an older recipe is
# rebuilt, a current one reused.
#
# Needs root, a running dockerd, debootstrap, node, npm, java and mvn.
set -euo pipefail
cd "$(dirname "$0")/../.."

offline=infra/docker/offline
say() { printf '[offline-images] %s\n' "$*"; }

# The classic builder takes FROM images from the local store without asking a registry.
export DOCKER_BUILDKIT=0

node_image=${NODE_IMAGE:-$(sed -n 's/^ARG NODE_IMAGE=//p' infra/docker/Dockerfile)}
postgres_image=$(sed -n 's/^ *image: *\(postgres:[^ ]*\) *$/\1/p' docker-compose.yml | sort -u)
kafka_image=$(sed -n 's/^ *image: *\(apache\/kafka:[^ ]*\) *$/\1/p' docker-compose.yml | sort -u)
kafka_version=${kafka_image#apache/kafka:}
local_kafka=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' infra/kafka/pom.xml)
if [ "$kafka_version" != "$local_kafka" ]; then
  say "docker-compose.yml runs Kafka $kafka_version, infra/kafka/pom.xml $local_kafka: keep them equal"
  exit 1
fi

# The Debian release the current official node and postgres images are built on.
suite=trixie
base=orderflow-offline/debian:$suite

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A short digest of the files and values a stand-in is made from.
recipe() {
  { for input in "$@"; do if [ -f "$input" ]; then cat "$input"; else printf '%s\n' "$input"; fi; done; } |
    sha256sum | cut -c1-16
}

# Prints missing, foreign (an image of that name that is not a stand-in), stale or current.
state() {
  local label
  if ! label=$(docker image inspect --format '{{ index .Config.Labels "orderflow.standin" }}' "$1" 2>/dev/null); then
    echo missing
  elif [ -z "$label" ] || [ "$label" = '<no value>' ]; then
    echo foreign
  elif [ "$label" = "$2" ]; then
    echo current
  else
    echo stale
  fi
}

# Builds image $1 from recipe digest $2 and build context $3 (holding a Dockerfile),
# unless it is current or not a stand-in.
build() {
  local image=$1 digest=$2 context=$3 status
  shift 3
  status=$(state "$image" "$digest")
  case $status in
    current) say "$image: stand-in is current"; return ;;
    foreign) say "$image: an image that is not a stand-in is present; kept"; return ;;
  esac
  say "$image: building the stand-in ($status)"
  local started=$SECONDS
  if ! docker build --quiet --build-arg "BASE=$base" --build-arg "RECIPE=$digest" "$@" -t "$image" \
    "$context" >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    exit 1
  fi
  say "$image: built in $((SECONDS - started)) s"
}

ensure_base() {
  if docker image inspect "$base" >/dev/null 2>&1; then return; fi
  say "$base: debootstrap $suite (minbase)"
  local started=$SECONDS
  debootstrap --variant=minbase "$suite" "$work/rootfs" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  tar -C "$work/rootfs" -c . |
    docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base" >/dev/null
  rm -rf "$work/rootfs"
  say "$base: imported in $((SECONDS - started)) s"
}

node_standin() {
  local context=$work/node node npm corepack
  node=$(readlink -f "$(command -v node)")
  npm=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  corepack=$(dirname "$(dirname "$(readlink -f "$(command -v corepack)")")")
  mkdir -p "$context"
  cp "$offline/node.Dockerfile" "$context/Dockerfile"
  cp "$node" "$context/node"
  cp -r "$npm" "$context/npm"
  cp -r "$corepack" "$context/corepack"
  cp /etc/ssl/certs/ca-certificates.crt "$context/"
  if [ "${node_image#node:}" != "$node_image" ] && [[ $node_image != node:$("$node" -p 'process.versions.node.split(".")[0]')* ]]; then
    say "note: $node_image stands in with this machine's node $("$node" --version)"
  fi
  build "$node_image" \
    "$(recipe "$offline/node.Dockerfile" "$("$node" --version)" "$("$npm/bin/npm-cli.js" --version)" \
      /etc/ssl/certs/ca-certificates.crt "$base")" \
    "$context"
}

postgres_standin() {
  local context=$work/postgres major=${postgres_image#postgres:}
  major=${major%%[.-]*}
  mkdir -p "$context"
  cp "$offline/postgres.Dockerfile" "$context/Dockerfile"
  cp "$offline/postgres-entrypoint.sh" "$context/"
  build "$postgres_image" \
    "$(recipe "$offline/postgres.Dockerfile" "$offline/postgres-entrypoint.sh" "$major" "$base")" \
    "$context" --build-arg "PG_MAJOR=$major"
}

kafka_standin() {
  local context=$work/kafka digest
  digest=$(recipe "$offline/kafka.Dockerfile" "$offline/kafka/pom.xml" "$offline/kafka/run" \
    "$offline"/kafka/bin/* "$offline"/kafka/config/* "$kafka_version" "$base")
  if [ "$(state "$kafka_image" "$digest")" = missing ] || [ "$(state "$kafka_image" "$digest")" = stale ]; then
    say "fetching the Kafka $kafka_version jars with Maven"
    if ! mvn -q -B -f "$offline/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      "-Dkafka.version=$kafka_version" "-DoutputDirectory=$context/libs" >"$work/mvn.log" 2>&1; then
      cat "$work/mvn.log"
      exit 1
    fi
  fi
  mkdir -p "$context"
  cp "$offline/kafka.Dockerfile" "$context/Dockerfile"
  cp -r "$offline/kafka/bin" "$offline/kafka/config" "$offline/kafka/run" "$context/"
  build "$kafka_image" "$digest" "$context"
}

for tool in docker debootstrap node npm corepack java mvn; do
  command -v "$tool" >/dev/null || { say "needs $tool"; exit 1; }
done

ensure_base
node_standin
postgres_standin
kafka_standin
