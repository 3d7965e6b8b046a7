#!/usr/bin/env bash
# Prepares everything a real PXE client needs to boot from Diskless under qemu (PxeBootIT), in <outdir>:
#   pxelinux.0, ldlinux.c32   pxelinux from the Debian packages pxelinux and syslinux-common
#   undionly.kpxe             iPXE for plain BIOS PXE ROMs, from the Debian package ipxe
#   images/vmlinuz            the Debian kernel linux-image-amd64 depends on (apt-get download)
# and, in <rootdir>, the root of a busybox RAM disk whose /init prints the marker the boot loader put
# on the kernel command line (diskless.marker=...; the last one counts) and powers off, so qemu exits;
# the test makes images/initrd.gz of it with the server's own boot:initrd.
# The kernel package is downloaded once into a cache that outlives 'mvn clean'
# ($DISKLESS_PXE_CACHE, default ~/.cache/diskless-pxe); without network an already cached kernel is used.
# Usage: prepare-boot-files.sh <outdir> <rootdir>
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <outdir> <rootdir>" >&2
  exit 2
fi
out=$1
root=$2
cache=${DISKLESS_PXE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diskless-pxe}
pxelinux=/usr/lib/PXELINUX/pxelinux.0
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
undionly=/usr/lib/ipxe/undionly.kpxe
busybox=/bin/busybox

missing=()
for f in "$pxelinux" "$ldlinux" "$undionly" "$busybox"; do
  [ -r "$f" ] || missing+=("$f")
done
for tool in dpkg-deb apt-get apt-cache mknod; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}. On Debian: apt-get install --no-install-recommends pxelinux syslinux-common" \
       "ipxe busybox-static" >&2
  exit 1
fi
# grep without -q reads the whole list: busybox killed by SIGPIPE would fail the pipeline.
if ! "$busybox" --list | grep -x poweroff >/dev/null; then
  echo "$busybox has no poweroff applet: install busybox-static" >&2
  exit 1
fi

mkdir -p "$out/images" "$cache"
cp "$pxelinux" "$ldlinux" "$undionly" "$out/"

# --- kernel: the image package linux-image-amd64 depends on, only its /boot/vmlinuz-* taken out.
kernel_package=$(apt-cache depends linux-image-amd64 2>/dev/null \
                 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1 || true)
kernel=""
if [ -n "$kernel_package" ]; then
  kernel="$cache/$kernel_package.vmlinuz"
  if [ ! -s "$kernel" ]; then
    download=$(mktemp -d "$cache/download.XXXXXX")
    # apt's _apt user must be able to write where it downloads.
    chmod 0777 "$download"
    if (cd "$download" && apt-get download -q "$kernel_package" >/dev/null 2>"$download/apt.err"); then
      dpkg-deb --fsys-tarfile "$download"/"$kernel_package"_*.deb \
        | tar -x -C "$download" --wildcards './boot/vmlinuz-*'
      mv "$download"/boot/vmlinuz-* "$kernel.partial"
      mv "$kernel.partial" "$kernel"
    else
      echo "cannot download $kernel_package: $(grep -v '^W:' "$download/apt.err" | tail -n 3)" >&2
      kernel=""
    fi
    rm -rf "$download"
  fi
fi
if [ -z "$kernel" ]; then
  # No package index or no network: the newest kernel cached by an earlier run will do.
  kernel=$(ls -1t "$cache"/linux-image-*.vmlinuz 2>/dev/null | head -n 1 || true)
fi
if [ -z "$kernel" ] || [ ! -s "$kernel" ]; then
  echo "no kernel: cannot download the package linux-image-amd64 depends on, and none is cached in $cache" \
       "(run 'apt-get update' with access to a Debian mirror)" >&2
  exit 1
fi
cp "$kernel" "$out/images/vmlinuz"

# --- RAM disk root: static busybox, the console device the kernel opens for /init before any
# devtmpfs is mounted, and an /init that reports and powers off.
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc"
mknod -m 600 "$root/dev/console" c 5 1
cp "$busybox" "$root/bin/busybox"
for applet in sh mount cat poweroff; do
  ln -s busybox "$root/bin/$applet"
done
cat > "$root/init" <<'INIT'
#!/bin/sh
# PID 1 of the PxeBootIT RAM disk: tell the serial console which boot configuration started this
# kernel (its diskless.marker= argument, the last one counting), then power the machine off.
export PATH=/bin
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
marker=none
for word in $(cat /proc/cmdline); do
  case "$word" in
    diskless.marker=*) marker=${word#diskless.marker=} ;;
  esac
done
echo "diskless-init: marker=$marker" > /dev/console
poweroff -f
INIT
chmod 0755 "$root/init"

echo "boot files ready in $out (kernel $(basename "$kernel" .vmlinuz))"
