#!/usr/bin/env bash
# Checks the artifacts of build-packages.sh the way a user installs them, on this machine: the
# .deb with dpkg -i, run as an unprivileged user whose HOME does not exist (like Telegraf's service
# user), removed (only the conffile stays) and purged (nothing stays); the tarball unpacked into a
# fresh folder and run the same way; the arm64 artifacts hold arm64 code; the .rpm's layout.
# Prints "ok: ..." or "FAIL: ..." per check and ends with "N passed, M failed". Needs root.
# Usage: src/Packaging/check-packages.sh [ARTIFACTS_DIR]
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=$(realpath "${1:-$here/../../artifacts/packages}")
name=kafka-execd-input
user=kafkaexecd-ci
passed=0
failed=0

check() {
  local what=$1 output
  shift
  if output=$("$@" 2>&1); then
    echo "ok: $what"
    passed=$((passed + 1))
  else
    echo "FAIL: $what"
    printf '%s\n' "$output" | tail -n 25 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

[ "$(id -u)" = 0 ] || { echo "check-packages: needs root (dpkg -i)" >&2; exit 2; }
version=$(dotnet msbuild "$here/../KafkaExecdInput/KafkaExecdInput.csproj" -getProperty:Version -nologo)
deb_arch=$(dpkg --print-architecture)
case "$deb_arch" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "check-packages: no artifacts for $deb_arch" >&2; exit 2 ;; esac
deb="$dir/${name}_${version}-1_${deb_arch}.deb"
scratch=$(mktemp -d)
chmod 0755 "$scratch"

# Telegraf's service user has no home directory; neither has this one.
created_user=no
if ! id "$user" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  created_user=yes
fi
# As that user, with only HOME and PATH set, from a folder it cannot write.
as_user() { (cd / && setpriv --reuid="$user" --regid="$user" --init-groups env -i HOME=/nonexistent PATH=/usr/bin:/bin "$@"); }

# One --demo --once collection: exit 0, complete, with consumer group lag in it.
demo_once() {
  local out
  out=$(as_user "$1" --demo --once </dev/null) || { echo "exit code $?"; return 1; }
  grep -q '^kafka_collector .*partial=0i' <<<"$out" || { echo "no complete kafka_collector line:"; tail -3 <<<"$out"; return 1; }
  grep -q '^kafka_consumergroup,.*lag=[0-9]*i' <<<"$out" || { echo "no lag lines"; return 1; }
}

# The shipped plugin.conf, unedited, is a valid configuration: with no Kafka at localhost:9092 the
# collection is incomplete (exit 1), not refused as a configuration error (exit 2).
shipped_config_loads() {
  local code=0 err
  err=$(as_user "$1" -config "$2" -once </dev/null 2>&1 >/dev/null) || code=$?
  [ "$code" = 1 ] || { echo "exit code $code, expected 1"; echo "$err"; return 1; }
}

# A flag the plugin does not know: exit 2 and the usage text, as before the shim's flags were added.
unknown_flag_refused() {
  local code=0 err
  err=$(as_user "$1" -bogus </dev/null 2>&1 >/dev/null) || code=$?
  [ "$code" = 2 ] && grep -q '^Usage: kafka-execd-input' <<<"$err" || { echo "exit code $code"; echo "$err"; return 1; }
}

tree_snapshot() { find /etc /usr /opt -xdev 2>/dev/null | sort; }
same_tree_except() {
  local expected=$1
  diff <(printf '%s' "$expected") <(comm -13 "$scratch/before" <(tree_snapshot))
}
dpkg_status() { dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null; }

# What build-packages.sh puts in a tarball; librdkafka.redist ships a glibc and a musl build for
# both architectures and, for x64 only, a RHEL 8 build with GSSAPI.
tar_list() {
  local tarball=$1 folder=$2 rid=$3 libs=(librdkafka.so alpine-librdkafka.so)
  [ "$rid" = linux-x64 ] && libs+=(centos8-librdkafka.so)
  diff <(tar -tzf "$tarball" | sort) <({
    printf '%s\n' "$folder/" "$folder/$name" "$folder/LICENSE" "$folder/README.md" "$folder/THIRD-PARTY-NOTICES.md" \
      "$folder/plugin.conf.sample" "$folder/licenses/" "$folder/licenses/dotnet-runtime-LICENSE.txt" \
      "$folder/licenses/dotnet-runtime-THIRD-PARTY-NOTICES.txt" "$folder/licenses/librdkafka-LICENSES.txt" \
      "$folder/prometheus/" "$folder/prometheus/kafka-execd-input.rules.yml"
    printf "$folder/%s\\n" "${libs[@]}"; } | sort)
}

elf_is() {
  local machine=$1 file desc
  shift
  for file in "$@"; do
    desc=$(file -L "$file")
    grep -q "$machine" <<<"$desc" || { echo "$desc"; return 1; }
  done
}

deb_metadata() {
  local d=$1 a=$2 meta
  [ "$(dpkg-deb -f "$d" Architecture)" = "$a" ] || { echo "Architecture: $(dpkg-deb -f "$d" Architecture)"; return 1; }
  meta=$(mktemp -d)
  dpkg-deb -e "$d" "$meta"
  [ "$(cat "$meta/conffiles")" = "/etc/$name/plugin.conf" ] || { echo "conffiles:"; cat "$meta/conffiles"; return 1; }
  if ls "$meta" | grep -E '^(pre|post)(inst|rm)$|^config$'; then echo "maintainer scripts present"; return 1; fi
  rm -rf "$meta"
}

deb_elf_is() {
  local d=$1 machine=$2 x
  x=$(mktemp -d)
  dpkg-deb -x "$d" "$x"
  elf_is "$machine" "$x/usr/lib/$name/$name" "$x/usr/lib/$name/librdkafka.so" || return 1
  rm -rf "$x"
}

symlink_ok() { [ -L "/usr/bin/$name" ] && [ "$(readlink -f "/usr/bin/$name")" = "/usr/lib/$name/$name" ]; }

removed_ok() {
  [ "$(dpkg_status)" = "rc " ] || { echo "dpkg status: '$(dpkg_status)', expected 'rc '"; return 1; }
  grep -q 'edited by check-packages' "/etc/$name/plugin.conf" || { echo "the conffile edit was lost"; return 1; }
  same_tree_except $'/etc/'"$name"$'\n/etc/'"$name"$'/plugin.conf\n'
}

purged_ok() {
  local status
  status=$(dpkg_status)
  [ -z "$status" ] || [ "$status" = "un " ] || { echo "dpkg status after purge: '$status'"; return 1; }
  if ls "/var/lib/dpkg/info/$name".* 2>/dev/null; then echo "dpkg info files left"; return 1; fi
  same_tree_except ''
}

# Outputs are captured before grep reads them: `producer | grep -q` fails under pipefail whenever
# grep exits at its first match while the producer is still writing (SIGPIPE).
rpm_layout() {
  local r=$1 config flags files
  config=$(rpm -qp --configfiles "$r") && flags=$(rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$r") && files=$(rpm -qpl "$r") || return 1
  grep -qx "/etc/$name/plugin.conf" <<<"$config" || { echo "plugin.conf is not a config file"; return 1; }
  grep -qx "/etc/$name/plugin.conf cn" <<<"$flags" || { echo "plugin.conf is not %config(noreplace)"; return 1; }
  grep -qx "/usr/lib/$name/$name" <<<"$files" && grep -qx "/usr/bin/$name" <<<"$files" || { echo "$files"; return 1; }
  [ -z "$(rpm -qp --scripts "$r")" ] || { rpm -qp --scripts "$r"; return 1; }
}

rpm_runs() {
  local r=$1 root=$2
  mkdir -p "$root" && rpm --root "$root" --initdb && rpm --root "$root" -i --nodeps --noscripts "$r" || return 1
  chmod -R a+rX "$root"
  [ "$(readlink -f "$root/usr/bin/$name")" = "$root/usr/lib/$name/$name" ] || { ls -l "$root/usr/bin"; return 1; }
  demo_once "$root/usr/bin/$name"
}

# --- checksums and tarballs -------------------------------------------------------------------
check "SHA256SUMS matches every artifact" bash -c "cd '$dir' && sha256sum --strict -c SHA256SUMS"
for r in linux-x64 linux-arm64; do
  tarball="$dir/$name-$version-$r.tar.gz"
  folder="$name-$version-$r"
  machine=$([ "$r" = linux-x64 ] && echo x86-64 || echo "ARM aarch64")
  mkdir -p "$scratch/list-$r" && tar -xzf "$tarball" -C "$scratch/list-$r"
  check "$r tarball holds the executable, librdkafka*.so, plugin.conf.sample, README, LICENSE, rules" tar_list "$tarball" "$folder" "$r"
  check "$r tarball: kafka-execd-input and librdkafka*.so are $machine code" \
    elf_is "$machine" "$scratch/list-$r/$folder/$name" "$scratch/list-$r/$folder/"*librdkafka.so
done
tar_dir="$scratch/fresh"
mkdir -p "$tar_dir" && tar -xzf "$dir/$name-$version-$rid.tar.gz" -C "$tar_dir" && chmod -R a+rX "$tar_dir"
check "$rid tarball unpacked into a fresh folder runs --demo --once as $user without a HOME" \
  demo_once "$tar_dir/$name-$version-$rid/$name"

# --- the .deb -----------------------------------------------------------------------------------
for a in amd64 arm64; do
  check "$a .deb: one conffile, /etc/$name/plugin.conf, and no maintainer scripts" deb_metadata "$dir/${name}_${version}-1_$a.deb" "$a"
done
check "arm64 .deb: the program and librdkafka.so are ARM aarch64 code" deb_elf_is "$dir/${name}_${version}-1_arm64.deb" "ARM aarch64"

if [ -n "$(dpkg_status)" ] && [ "$(dpkg_status)" != "un " ]; then dpkg --purge "$name" >/dev/null; fi
tree_snapshot > "$scratch/before"
check "dpkg -i installs the $deb_arch .deb" dpkg -i "$deb"
check "/usr/bin/$name links to /usr/lib/$name/$name" symlink_ok
check "the installed package runs --demo --once as $user without a HOME" demo_once "/usr/bin/$name"
check "the shipped /etc/$name/plugin.conf loads (-config spelling; no Kafka here, so exit 1)" \
  shipped_config_loads "/usr/bin/$name" "/etc/$name/plugin.conf"
check "an unknown flag exits 2 with the usage text" unknown_flag_refused "/usr/bin/$name"
check "the program did not create its user's HOME" test ! -e /nonexistent
dpkg-query -L "$name" | sort > "$scratch/file-list"

# A user's edit of the conffile must survive a remove.
echo "# edited by check-packages" >> "/etc/$name/plugin.conf"
dpkg -r "$name" >/dev/null 2>&1
check "dpkg -r leaves only the conffile, with the user's edit" removed_ok
dpkg --purge "$name" >/dev/null 2>&1
check "dpkg --purge leaves nothing behind" purged_ok

# --- the .rpm (when built) ----------------------------------------------------------------------
for rpmfile in "$dir"/*.rpm; do
  [ -e "$rpmfile" ] || break
  check "$(basename "$rpmfile"): same layout, plugin.conf as %config(noreplace), no scriptlets" rpm_layout "$rpmfile"
done
rpm_native="$dir/$name-$version-1.$(uname -m).rpm"
if [ -e "$rpm_native" ]; then
  check "$(basename "$rpm_native") installed into an empty root runs --demo --once as $user" rpm_runs "$rpm_native" "$scratch/rpm-root"
fi

echo "package file list (dpkg-query -L $name):"
sed 's/^/  /' "$scratch/file-list"
rm -rf "$scratch"
[ "$created_user" = yes ] && userdel "$user"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
