#!/usr/bin/env bash
# Prepares everything a real PXE client needs to boot from Diskless under qemu (PxeBootIT), in <outdir>:
#   pxelinux.0, ldlinux.c32   pxelinux from the Debian packages pxelinux and syslinux-common
#   undionly.kpxe             iPXE for plain BIOS PXE ROMs, from the Debian package ipxe
#   images/vmlinuz            the Debian kernel linux-image-amd64 depends on (apt-get download)
#   grub/grubnetx64.efi       GRUB's signed network image for x64 UEFI, from the Debian package
#                             grub-efi-amd64-signed (apt-get download, cached like the kernel)
#   grub/grubhttpx64.efi      a GRUB network image for x64 UEFI with HTTP built in, for UEFI HTTP
#                             boot: Debian 12's signed image has no http module, so GRUB started
#                             over HTTP could fetch nothing more. Made with grub-mkimage from the
#                             packages grub-common and grub-efi-amd64-bin (apt-get download, cached)
# and, in <rootdir>, the root of a busybox RAM disk whose /init prints the marker the boot loader put
# on the kernel command line (diskless.marker=...; the last one counts) and powers off, so qemu exits;
# and, in <rootdir>-bootp, the same with klibc's ipconfig and the e1000 driver: with ip=bootp (the
# last ip= counts) its /init first asks for its address as Debian's initramfs does (Debian's kernel
# has no built-in ip= autoconfiguration and its NIC drivers are modules), and prints what it got.
# The test makes images/initrd.gz and images/initrd-bootp.gz of them with the server's own boot:initrd.
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
ipconfig=/usr/lib/klibc/bin/ipconfig

missing=()
for f in "$pxelinux" "$ldlinux" "$undionly" "$busybox" "$ipconfig"; do
  [ -r "$f" ] || missing+=("$f")
done
for tool in dpkg-deb apt-get apt-cache mknod; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}. On Debian: apt-get install --no-install-recommends pxelinux syslinux-common" \
       "ipxe busybox-static klibc-utils" >&2
  exit 1
fi
# grep without -q reads the whole list: busybox killed by SIGPIPE would fail the pipeline.
if ! "$busybox" --list | grep -x poweroff >/dev/null; then
  echo "$busybox has no poweroff applet: install busybox-static" >&2
  exit 1
fi

mkdir -p "$out/images" "$cache"
cp "$pxelinux" "$ldlinux" "$undionly" "$out/"

# --- kernel: the image package linux-image-amd64 depends on, only its /boot/vmlinuz-* and the
# e1000 driver (qemu's NIC) taken out.
kernel_package=$(apt-cache depends linux-image-amd64 2>/dev/null \
                 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1 || true)
kernel=""
if [ -n "$kernel_package" ]; then
  kernel="$cache/$kernel_package.vmlinuz"
  if [ ! -s "$kernel" ] || [ ! -s "${kernel%.vmlinuz}.e1000.ko" ]; then
    download=$(mktemp -d "$cache/download.XXXXXX")
    # apt's _apt user must be able to write where it downloads.
    chmod 0777 "$download"
    if (cd "$download" && apt-get download -q "$kernel_package" >/dev/null 2>"$download/apt.err"); then
      dpkg-deb --fsys-tarfile "$download"/"$kernel_package"_*.deb \
        | tar -x -C "$download" --wildcards './boot/vmlinuz-*' './lib/modules/*/e1000.ko'
      mv "$download"/lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko "${kernel%.vmlinuz}.e1000.ko"
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
e1000="${kernel%.vmlinuz}.e1000.ko"
if [ ! -s "$e1000" ]; then
  echo "no e1000 driver for $(basename "$kernel" .vmlinuz) in $cache (it comes with the kernel package:" \
       "run 'apt-get update' with access to a Debian mirror)" >&2
  exit 1
fi

# Downloads the Debian packages named into a new folder under the cache and prints its path; prints
# nothing, and says why on stderr, when apt cannot (no index, no mirror).
fetch_packages() {
  local download
  download=$(mktemp -d "$cache/download.XXXXXX")
  # apt's _apt user must be able to write where it downloads.
  chmod 0777 "$download"
  if (cd "$download" && apt-get download -q "$@" >/dev/null 2>"$download/apt.err"); then
    echo "$download"
  else
    echo "cannot download $*: $(grep -v '^W:' "$download/apt.err" | tail -n 3)" >&2
    rm -rf "$download"
  fi
}

# Puts a file made earlier from the cache into the boot tree, when there is one.
serve_cached() {
  if [ -s "$1" ]; then
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
  fi
}

# --- GRUB's network image for UEFI clients, as Debian ships it signed (prefix /grub).
grub_image="$cache/grubnetx64.efi"
if [ ! -s "$grub_image" ]; then
  download=$(fetch_packages grub-efi-amd64-signed)
  if [ -n "$download" ]; then
    dpkg-deb --fsys-tarfile "$download"/grub-efi-amd64-signed_*.deb \
      | tar -x -C "$download" --wildcards './usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed'
    mv "$download"/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed "$grub_image.partial"
    mv "$grub_image.partial" "$grub_image"
    rm -rf "$download"
  fi
fi
serve_cached "$grub_image" "$out/grub/grubnetx64.efi"

# --- GRUB with HTTP for UEFI HTTP boot: the image grub-mknetdir would make, prefix /grub on the
# device it was loaded from, with the modules the loader's configs use built in (nothing is loaded
# from the prefix later, so no module folder is needed).
grub_http_image="$cache/grubhttpx64.efi"
if [ ! -s "$grub_http_image" ]; then
  download=$(fetch_packages grub-common grub-efi-amd64-bin)
  if [ -n "$download" ]; then
    for deb in "$download"/grub-common_*.deb "$download"/grub-efi-amd64-bin_*.deb; do
      dpkg-deb -x "$deb" "$download/root"
    done
    # Only UefiHttpBootIT needs it: a failure is told, and the other boots go on.
    if "$download/root/usr/bin/grub-mkimage" -d "$download/root/usr/lib/grub/x86_64-efi" -O x86_64-efi \
         -p /grub -o "$grub_http_image.partial" \
         efinet net http tftp normal configfile linux echo test regexp sleep efi_gop 2>"$download/mkimage.err"; then
      mv "$grub_http_image.partial" "$grub_http_image"
    else
      echo "grub-mkimage failed: $(tail -n 3 "$download/mkimage.err")" >&2
    fi
    rm -rf "$download"
  fi
fi
serve_cached "$grub_http_image" "$out/grub/grubhttpx64.efi"

# --- RAM disk root: static busybox, the console device the kernel opens for /init before any
# devtmpfs is mounted, and an /init that reports and powers off.
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/run"
mknod -m 600 "$root/dev/console" c 5 1
cp "$busybox" "$root/bin/busybox"
for applet in sh mount cat poweroff insmod; do
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
ip=""
for word in $(cat /proc/cmdline); do
  case "$word" in
    diskless.marker=*) marker=${word#diskless.marker=} ;;
    ip=*) ip=${word#ip=} ;;
  esac
done
if [ "$ip" = bootp ]; then
  # What Debian's initramfs does for ip=bootp: klibc's ipconfig, BOOTP only, once the driver is in.
  insmod /lib/modules/e1000.ko
  ipconfig -t 60 -c bootp eth0 > /dev/console 2>&1
  [ -r /run/net-eth0.conf ] && . /run/net-eth0.conf
  echo "diskless-init: ip=${PROTO:-none} address=${IPV4ADDR:-none} netmask=${IPV4NETMASK:-} gateway=${IPV4GATEWAY:-}" \
       "host=${HOSTNAME:-} server=${ROOTSERVER:-}" > /dev/console
fi
echo "diskless-init: marker=$marker" > /dev/console
poweroff -f
INIT
chmod 0755 "$root/init"
# The BOOTP one: klibc's ipconfig and the shared klibc it names as its interpreter, as Debian's
# initramfs has them, and the driver of qemu's NIC; only the boot that needs them loads them.
bootp_root="$root-bootp"
rm -rf "$bootp_root"
cp -a "$root" "$bootp_root"
mkdir -p "$bootp_root/lib/modules"
cp "$ipconfig" "$bootp_root/bin/ipconfig"
cp /lib/klibc-*.so "$bootp_root/lib/"
cp "$e1000" "$bootp_root/lib/modules/e1000.ko"

echo "boot files ready in $out (kernel $(basename "$kernel" .vmlinuz))"
