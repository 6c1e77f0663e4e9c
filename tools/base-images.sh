#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the base images the service Dockerfiles name, for machines that cannot
# pull from a registry: Debian bookworm made with debootstrap (minbase, then trimmed like the
# official "-slim" images), and a Rust image made the same way with this machine's rustup toolchain
# copied in. They are imported under the official tags so the Dockerfiles build unchanged; they are
# NOT the official images. Root filesystems are cached as tarballs under the cache dir and re-imported
# whenever the container store is fresh.
#
# Usage: tools/base-images.sh [debian|rust|all]   (default all; needs root, debootstrap, network
#        access to the Debian mirror configured for apt)
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"
# shellcheck source=tools/container-env.sh
source "$REPO/tools/container-env.sh"

SUITE=bookworm
DEBIAN_TAG="docker.io/library/debian:${SUITE}-slim"
RUST_TAG="docker.io/library/rust:${RUST_VERSION}-slim-${SUITE}"
ARCH="$(dpkg --print-architecture)"
RUST_TRIPLE="$(uname -m)-unknown-linux-gnu"
STANDIN_LABEL="org.nomad-rust-observability.stand-in"

want="${1:-all}"
case "$want" in debian|rust|all) ;; *) die "usage: tools/base-images.sh [debian|rust|all] (got '$want')";; esac

container_engine_init
[ "$ENGINE" != docker ] || { echo "base-images: a Docker engine answers; it can pull the official images, nothing to do"; exit 0; }
[ "$(id -u)" = 0 ] || die "base-images: debootstrap needs root"

# The Debian mirror apt on this machine uses (deb822 or one-line sources), so the stand-ins come
# from the same place as the host's packages.
debian_mirror() {
  local m=""
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  m="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
        | grep -E '/debian/?$' | head -n1 || true)"
  [ -n "$m" ] || m="$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

# Trims a root filesystem the way Debian's slim images are trimmed: no docs (copyright files kept),
# man pages, info, locales or apt lists; dpkg is told to keep it that way on later installs.
slim_rootfs() {
  local root="$1"
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/90-slim-image" <<'EOF'
# Keep images small (written by tools/base-images.sh for a local stand-in image).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  cat >"$root/etc/apt/apt.conf.d/90-slim-image" <<'EOF'
// No package cache or translations in the image (written by tools/base-images.sh).
APT::Install-Recommends "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/{man,info,groff,lintian,linda,locale}/* \
         "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
         "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/log/apt/* \
         "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/tmp/* "$root"/root/.bash_history
  # The image gets the engine's resolv.conf and hostname at run time.
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
}

# debootstrap_rootfs DIR [EXTRA_PACKAGES]: a minbase bookworm root in DIR, packages cached.
debootstrap_rootfs() {
  local dir="$1" include="${2:-}" mirror
  mirror="$(debian_mirror)"
  rm -rf "$dir"; mkdir -p "$dir" "$BASE_CACHE/debs"
  echo "base-images: debootstrap $SUITE (minbase${include:+, +$include}) from $mirror"
  # nice: the machine is shared; the log is kept for when debootstrap fails.
  if ! nice -n 10 debootstrap --variant=minbase --arch="$ARCH" --cache-dir="$BASE_CACHE/debs" \
        ${include:+--include="$include"} "$SUITE" "$dir" "$mirror" >"$dir.log" 2>&1; then
    tail -n 20 "$dir.log" >&2
    die "base-images: debootstrap of $SUITE into $dir failed (full log: $dir.log)"
  fi
  # The official images run apt against the normal mirrors, not the one used to build them.
  mkdir -p "$dir/etc/apt/sources.list.d"
  rm -f "$dir/etc/apt/sources.list"
  cat >"$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

# import_tarball TAR TAG CHANGES...: imports a rootfs tarball under TAG with Dockerfile-like changes.
import_tarball() {
  local tar="$1" tag="$2"; shift 2
  local args=() c
  for c in "$@"; do args+=(--change "$c"); done
  ctr import -q "${args[@]}" --message "local stand-in built by tools/base-images.sh" "$tar" "$tag" >/dev/null
  echo "base-images: imported $tag (LOCAL STAND-IN, $(image_size_mb "$tag") MB) from $tar"
}

build_debian() {
  local tar="$BASE_CACHE/debian-$SUITE-slim-$ARCH.tar"
  if [ ! -s "$tar" ]; then
    local t0=$SECONDS work="$BASE_CACHE/work/debian"
    debootstrap_rootfs "$work"
    slim_rootfs "$work"
    tar --numeric-owner --xattrs -C "$work" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$work" "$work.log"
    echo "base-images: $tar built in $((SECONDS - t0)) s"
  fi
  image_exists "$DEBIAN_TAG" && { echo "base-images: $DEBIAN_TAG present (local stand-in)"; return; }
  import_tarball "$tar" "$DEBIAN_TAG" \
    "LABEL $STANDIN_LABEL=debootstrap-$SUITE-minbase-slim" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'CMD ["bash"]'
}

# The rust stand-in follows the official image's layout: packages gcc, libc6-dev, ca-certificates;
# rustup and the toolchain under /usr/local/{cargo,rustup}; cargo/rustc are rustup proxies.
build_rust() {
  local tar="$BASE_CACHE/rust-$RUST_VERSION-slim-$SUITE-$ARCH.tar"
  if [ ! -s "$tar" ]; then
    local t0=$SECONDS work="$BASE_CACHE/work/rust"
    local rustup_home="${RUSTUP_HOME:-$HOME/.rustup}" cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    local toolchain="$rustup_home/toolchains/$RUST_VERSION-$RUST_TRIPLE"
    [ -x "$toolchain/bin/rustc" ] || die "base-images: no Rust $RUST_VERSION toolchain at $toolchain (rustup toolchain list shows what is installed; set RUST_VERSION)"
    local have; have="$("$toolchain/bin/rustc" --version | awk '{print $2}')"
    [ "$have" = "$RUST_VERSION" ] || die "base-images: $toolchain/bin/rustc is $have, not $RUST_VERSION"
    [ -x "$cargo_home/bin/rustup" ] || die "base-images: rustup not found at $cargo_home/bin/rustup"
    debootstrap_rootfs "$work" gcc,libc6-dev,ca-certificates
    slim_rootfs "$work"
    local dest="$work/usr/local/rustup/toolchains/$RUST_VERSION-$RUST_TRIPLE"
    mkdir -p "$dest" "$work/usr/local/cargo/bin"
    # -L: the toolchain dir may be a symlink (1.95.0 -> stable). Docs are left out, as rustup's
    # "minimal" profile that the official image uses does.
    tar -C "$(readlink -f "$toolchain")" --exclude=./share/doc -cf - . | tar -C "$dest" -xf -
    cp "$cargo_home/bin/rustup" "$work/usr/local/cargo/bin/rustup"
    local p
    for p in cargo rustc rustdoc rust-gdb rust-gdbgui rust-lldb cargo-clippy clippy-driver cargo-fmt rustfmt; do
      ln -sf rustup "$work/usr/local/cargo/bin/$p"
    done
    cat >"$work/usr/local/rustup/settings.toml" <<EOF
version = "12"
default_toolchain = "$RUST_VERSION-$RUST_TRIPLE"
profile = "minimal"
auto_self_update = "disable"

[overrides]
EOF
    chmod -R a+rwX "$work/usr/local/cargo" "$work/usr/local/rustup"
    tar --numeric-owner --xattrs -C "$work" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$work" "$work.log"
    echo "base-images: $tar built in $((SECONDS - t0)) s"
  fi
  image_exists "$RUST_TAG" && { echo "base-images: $RUST_TAG present (local stand-in)"; return; }
  import_tarball "$tar" "$RUST_TAG" \
    "LABEL $STANDIN_LABEL=debootstrap-$SUITE-minbase+host-rustup-$RUST_VERSION" \
    'ENV RUSTUP_HOME=/usr/local/rustup' \
    'ENV CARGO_HOME=/usr/local/cargo' \
    "ENV RUST_VERSION=$RUST_VERSION" \
    'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'CMD ["bash"]'
}

echo "base-images: these are LOCAL STAND-INS for the official images, built from Debian packages and this machine's Rust toolchain"
t_all=$SECONDS
case "$want" in
  debian) build_debian ;;
  rust) build_rust ;;
  all) build_debian; build_rust ;;
esac
echo "base-images: done in $((SECONDS - t_all)) s"
