# Sourced by quickstart.sh and test.sh: install_missing PACKAGE... installs with apt-get the
# Debian packages that are not installed yet, without starting their services.
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  rm -f /usr/sbin/policy-rc.d
}
# What configure needs.
build_packages=(build-essential autoconf automake libtool pkg-config unixodbc unixodbc-dev odbcinst
                libboost-dev libhiredis-dev libmemcached-dev googletest libgtest-dev libbenchmark-dev)
