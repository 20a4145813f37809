#!/usr/bin/env bash
# Builds the service's container image and pushes it to a registry, without Docker: Jib builds the application's
# image on a JDK 25 base, then podman adds the AOT cache, trained inside that image under a realistic load
# (docker/aot/: creates, appends with the full and the minimal answer, reads, exports, a live stream), so that a pod
# is warm from its first requests.
#
#   docker/build-image.sh                     # proves the pipeline against a throw-away registry on 127.0.0.1
#   REGISTRY=registry.example.com BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-25-runtime:1.24 \
#     docker/build-image.sh                   # a real registry (log in first, see the README)
#
# With no REGISTRY given, it starts a local registry (Debian's docker-registry) on 127.0.0.1:5000 and, since the
# default base image cannot be pulled on a machine without internet, first pushes a small Java base image there,
# made from Debian packages (debootstrap) and this machine's JDK 25 (JDK, default /usr/lib/jvm/temurin-25-jdk-amd64).
# Needs root for that (apt-get, chroot) and for podman. TRAINING_SECONDS (90) sets the training load's length.
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY=${REGISTRY:-}
TAG=${TAG:-$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo latest)}
WORK=${WORK:-/tmp/desktop-recordings-image}
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$WORK"

if [ -z "$REGISTRY" ]; then
  REGISTRY=127.0.0.1:5000
  INSECURE=true
  need=()
  for tool in docker-registry:docker-registry debootstrap:debootstrap umoci:umoci skopeo:skopeo podman:podman \
      runc:runc; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  fi

  if ! curl -fs "http://$REGISTRY/v2/" >/dev/null; then
    mkdir -p "$WORK/registry"
    cat > "$WORK/registry.yml" <<CONFIG
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $REGISTRY
CONFIG
    nohup docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
    for _ in $(seq 50); do curl -fs "http://$REGISTRY/v2/" >/dev/null && break; sleep 0.2; done
    echo "Local registry on http://$REGISTRY (storage $WORK/registry, log $WORK/registry.log)"
  fi

  BASE_IMAGE=${BASE_IMAGE:-$REGISTRY/base/debian-jdk25:bookworm}
  if ! skopeo inspect --tls-verify=false "docker://$BASE_IMAGE" >/dev/null 2>&1; then
    echo "Making the base image $BASE_IMAGE"
    rootfs="$WORK/rootfs"
    if [ ! -x "$rootfs/bin/sh" ]; then
      rm -rf "$rootfs"
      debootstrap --variant=minbase bookworm "$rootfs" >"$WORK/debootstrap.log" 2>&1
    fi
    jdk=$JDK
    mkdir -p "$rootfs/usr/lib/jvm" "$rootfs/deployments"
    java_home="/usr/lib/jvm/$(basename "$jdk")"
    # -L: Debian's JDK links some files to /etc and to libraries the image has no use for (desktop ones)
    cp -aL "$jdk" "$rootfs/usr/lib/jvm/" 2>/dev/null || true
    # the library path stands in for /proc, which a chroot lacks and a container has
    chroot "$rootfs" /usr/bin/env "LD_LIBRARY_PATH=$java_home/lib" "$java_home/bin/java" -version
    grep -q '^app:' "$rootfs/etc/passwd" || chroot "$rootfs" useradd --uid 185 --no-create-home app
    layout="$WORK/oci"
    rm -rf "$layout" "$WORK/bundle"
    umoci init --layout "$layout"
    umoci new --image "$layout:base"
    umoci unpack --image "$layout:base" "$WORK/bundle"
    cp -a "$rootfs/." "$WORK/bundle/rootfs/"
    umoci repack --image "$layout:base" "$WORK/bundle"
    umoci config --image "$layout:base" --config.user 185 --config.workingdir /deployments \
      --config.env "JAVA_HOME=$java_home" \
      --config.env "PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    skopeo copy --dest-tls-verify=false "oci:$layout:base" "docker://$BASE_IMAGE"
  fi
else
  INSECURE=${INSECURE:-false}
  BASE_IMAGE=${BASE_IMAGE:-registry.access.redhat.com/ubi9/openjdk-25-runtime:1.24}
fi

# The application's image, from Jib; the image a pod runs is built on it below.
./mvnw -B package -DskipTests \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$REGISTRY" \
  -Dquarkus.container-image.tag="$TAG-jib" \
  -Dquarkus.container-image.insecure="$INSECURE" \
  -Dquarkus.jib.base-jvm-image="$BASE_IMAGE"
jib_image="$REGISTRY/recordings/desktop-recordings:$TAG-jib"
image="$REGISTRY/recordings/desktop-recordings:$TAG"

# The AOT cache, trained inside the Jib image by its own entrypoint (read from the image's configuration).
"$JDK/bin/javac" --release 25 -d target/aot-training docker/aot/Training.java
entrypoint=$(skopeo inspect --tls-verify="$([ "$INSECURE" = true ] && echo false || echo true)" --config \
  "docker://$jib_image" | python3 -c 'import json, shlex, sys
config = json.load(sys.stdin)["config"]
print(" ".join(shlex.quote(part) for part in (config.get("Entrypoint") or []) + (config.get("Cmd") or [])))')
echo "Training the AOT cache on $jib_image, entrypoint: $entrypoint"
podman build --tls-verify="$([ "$INSECURE" = true ] && echo false || echo true)" \
  --build-arg APP_IMAGE="$jib_image" --build-arg TRAINING_COMMAND="$entrypoint" \
  --build-arg TRAINING_SECONDS="${TRAINING_SECONDS:-90}" -f docker/aot/Containerfile -t "$image" .
podman push --tls-verify="$([ "$INSECURE" = true ] && echo false || echo true)" "$image"

echo "Pushed $image"
skopeo inspect --tls-verify=false --config "docker://$image" | grep -E '"(User|Entrypoint|WorkingDir|Env)"' -A4 || true
