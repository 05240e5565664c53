#!/bin/sh
# build-oci.sh DEB BASE-TAR [TAG]: the Sealgate OCI image from the Debian package, without a Docker daemon.
# BASE-TAR is a Debian 12 root with the package's dependencies (the tests' cached mmdebstrap tarball, or:
#   mmdebstrap --variant=apt --include=openjdk-17-jre-headless,adduser,keepalived,libnss-myhostname,systemd \
#     --setup-hook='mkdir -p "$1"/usr/share/man/man1' bookworm base.tar).
# The package is installed by dpkg inside buildah's chroot isolation. One process per container: the entrypoint
# is /usr/bin/sealgate, the default command the gateway node; "gina --data /var/lib/sealgate/gina" runs the portal.
# Configuration: mount /etc/sealgate (written by "sealgate setup"); data: the /var/lib/sealgate volume.
set -eu

DEB=${1:?usage: build-oci.sh DEB BASE-TAR [TAG]}
BASE=${2:?usage: build-oci.sh DEB BASE-TAR [TAG]}
TAG=${3:-localhost/sealgate:latest}

ctr=$(buildah from scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah mount "$ctr")
tar -xpf "$BASE" -C "$mnt"
cp "$DEB" "$mnt/tmp/sealgate.deb"
buildah run --isolation=chroot "$ctr" -- dpkg -i /tmp/sealgate.deb >/dev/null
rm -f "$mnt/tmp/sealgate.deb"
rm -rf "$mnt"/var/lib/apt/lists/* "$mnt"/var/cache/apt/*.bin
buildah umount "$ctr" >/dev/null
version=$(dpkg-deb -f "$DEB" Version)
buildah config --entrypoint '["/usr/bin/sealgate"]' --cmd '["node","--data","/var/lib/sealgate"]' \
    --user sealgate --workingdir /var/lib/sealgate --volume /var/lib/sealgate \
    --env SEALGATE_JAVA_OPTS=-XX:+ExitOnOutOfMemoryError --stop-signal SIGTERM \
    --label org.opencontainers.image.title=sealgate --label org.opencontainers.image.version="$version" "$ctr"
buildah commit -q --format oci "$ctr" "$TAG"
