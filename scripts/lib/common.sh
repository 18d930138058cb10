# Shared by the scripts in this folder: package installation and the Swift toolchain check.
# Source it; it defines functions only.

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages given that are not installed yet (apt-get update once, if needed).
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    as_root apt-get update >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The C libraries the package links, pkg-config to find them, and the time zone database the
# server reads tenants' zones from.
BUILD_PACKAGES=(pkg-config libsqlite3-dev libcurl4-openssl-dev libyaml-dev libssl-dev libpq-dev tzdata)

ensure_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
      if [ -x "$candidate/swift" ]; then export PATH="$candidate:$PATH"; break; fi
    done
  fi
  command -v swift >/dev/null 2>&1 || {
    echo "swift is not installed: install the Swift 6 toolchain from https://swift.org/install and retry" >&2
    exit 1
  }
}

# Release builds link the Swift runtime and Foundation statically: the binary needs only the C
# libraries on the machine it runs on, and an idle server maps ~6 MiB less of shared libraries
# (relocating libswiftCore and libFoundation at load touches pages a static link never does).
# Usage: build_release PRODUCT [swift build flags...]
build_release() {
  local product=$1
  shift
  swift build -c release --static-swift-stdlib --product "$product" "$@"
}
