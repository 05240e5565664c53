#!/bin/sh
# build-vm.sh [--base TAR] [--size SIZE] DEB [OUT.qcow2]: the bootable Sealgate VM image (BIOS, qcow2).
#
# A Debian 12 root from mmdebstrap (kernel, systemd, udev, dbus and the package's Depends), the Sealgate
# package installed by dpkg, written into an ext4 file system with "mkfs.ext4 -d" at 1 MiB into a raw MBR disk
# (no loop partition nodes needed: extlinux is installed through a loop mount at that offset), syslinux's
# mbr.bin in sector 0, converted by qemu-img. Serial console (console=ttyS0), root by file system UUID, root's
# password locked: the first boot runs sealgate-firstboot.service (root password, then "sealgate setup").
#
#   --base TAR   the Debian root as a tarball: used when it exists, made there by mmdebstrap when not (a cache;
#                the tests keep it under appliance-image/target/appliance-roots/)
#   --size SIZE  the virtual disk (default 4G; the qcow2 holds only what is written)
#   OUT          default: sealgate_VERSION_amd64.qcow2 beside DEB
# Needs root, mmdebstrap, e2fsprogs (mkfs.ext4 -d), extlinux, syslinux-common (mbr.bin), qemu-utils, fdisk.
set -eu

MIRROR=${MIRROR:-http://deb.debian.org/debian}
SIZE=4G
BASE=
while [ $# -gt 0 ]; do
    case "$1" in
        --base) BASE=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --) shift; break ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
DEB=${1:?usage: build-vm.sh [--base TAR] [--size SIZE] DEB [OUT.qcow2]}
DEB=$(readlink -f "$DEB")
VERSION=$(dpkg-deb -f "$DEB" Version)
OUT=${2:-$(dirname "$DEB")/sealgate_${VERSION}_amd64.qcow2}
HERE=$(dirname "$(readlink -f "$0")")
OFFSET=1048576                          # the partition starts at 1 MiB (sector 2048)
LABEL=sealgate-root

[ "$(id -u)" -eq 0 ] || { echo "build-vm.sh: run as root (mmdebstrap, chroot, loop mount)" >&2; exit 1; }
MBR=/usr/lib/syslinux/mbr/mbr.bin
[ -r "$MBR" ] || { echo "build-vm.sh: $MBR missing (apt-get install syslinux-common)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/sg-vm-build.XXXXXX)
mnt=
cleanup() {
    if [ -n "$mnt" ] && mountpoint -q "$mnt"; then umount "$mnt" || umount -l "$mnt"; fi
    for fs in proc sys dev; do
        if mountpoint -q "$work/root/$fs" 2>/dev/null; then umount -l "$work/root/$fs"; fi
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT INT TERM

# 1. The Debian root: the package's Depends (first alternatives) plus what a booted machine needs.
depends=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep -v '^$' | paste -sd, -)
packages="linux-image-amd64,systemd-sysv,udev,dbus,iproute2,$depends"
if [ -z "$BASE" ]; then
    BASE=$work/base.tar
fi
if [ ! -s "$BASE" ]; then
    echo "build-vm.sh: mmdebstrap bookworm ($packages)" >&2
    mmdebstrap --variant=apt --mode=root --format=tar --include="$packages" \
        --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        bookworm "$BASE.partial" "$MIRROR"
    mv "$BASE.partial" "$BASE"
fi
root=$work/root
mkdir -p "$root"
tar -C "$root" -xpf "$BASE"
[ -e "$root/boot" ] && ls "$root"/boot/vmlinuz-* >/dev/null 2>&1 \
    || { echo "build-vm.sh: $BASE has no kernel (made without linux-image-amd64?)" >&2; exit 1; }

# 2. The package, installed as on an administrator's machine (an unmet dependency fails here).
cp "$DEB" "$root/tmp/sealgate.deb"
chroot "$root" dpkg -i /tmp/sealgate.deb >/dev/null
rm -f "$root/tmp/sealgate.deb"

# 3. The machine: name, network (DHCP on the first Ethernet NIC), file systems, first boot, no shipped secrets.
uuid=$(cat /proc/sys/kernel/random/uuid)
echo sealgate > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 sealgate\n::1 localhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$uuid" > "$root/etc/fstab"
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/20-sealgate-dhcp.network"
install -D -m 0755 "$HERE/sealgate-firstboot" "$root/usr/lib/sealgate-vm/sealgate-firstboot"
install -D -m 0644 "$HERE/sealgate-firstboot.service" "$root/etc/systemd/system/sealgate-firstboot.service"
chroot "$root" systemctl enable systemd-networkd.service sealgate-firstboot.service sealgate-node.service >/dev/null 2>&1
chroot "$root" passwd -l root >/dev/null
# Each VM made from the image gets its own machine id (systemd writes it at first boot).
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root/etc/resolv.conf"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log

# Boot loader configuration: the kernel through Debian's /vmlinuz and /initrd.img links (kept by kernel upgrades).
mkdir -p "$root/boot/extlinux"
cat > "$root/boot/extlinux/extlinux.conf" <<CONF
SERIAL 0 115200
DEFAULT sealgate
PROMPT 0
TIMEOUT 10
LABEL sealgate
  LINUX /vmlinuz
  INITRD /initrd.img
  APPEND root=UUID=$uuid ro console=tty0 console=ttyS0,115200n8
CONF
for link in vmlinuz initrd.img; do
    [ -e "$root/$link" ] || { echo "build-vm.sh: /$link missing in the root" >&2; exit 1; }
done

# 4. The disk: MBR with one bootable Linux partition at 1 MiB, the ext4 written there by mkfs.ext4 -d.
raw=$work/disk.raw
truncate -s "$SIZE" "$raw"
echo 'label: dos
start=2048, type=83, bootable' | sfdisk -q "$raw"
bytes=$(stat -c %s "$raw")
# extlinux reads ext4 without these newer features.
mkfs.ext4 -q -F -L "$LABEL" -U "$uuid" -O ^64bit,^metadata_csum_seed,^orphan_file -E offset=$OFFSET -d "$root" \
    "$raw" $(( (bytes - OFFSET) / 1024 ))k
mnt=$work/mnt
mkdir -p "$mnt"
mount -o loop,offset=$OFFSET "$raw" "$mnt"
extlinux --install "$mnt/boot/extlinux" >/dev/null
umount "$mnt"
mnt=
dd if="$MBR" of="$raw" bs=440 count=1 conv=notrunc status=none

# 5. qcow2, compressed: only the written blocks.
mkdir -p "$(dirname "$OUT")"
qemu-img convert -c -O qcow2 "$raw" "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "$OUT"
