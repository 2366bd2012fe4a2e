#!/usr/bin/env bash
# Builds the release artifacts for linux-x64 and linux-arm64 with one command:
#   kafka-execd-input-VERSION-RID.tar.gz   the native executable, librdkafka*.so, plugin.conf.sample,
#                                          README.md, LICENSE, third-party licenses, the Prometheus rules
#   kafka-execd-input_VERSION-1_ARCH.deb   installs under /usr/lib/kafka-execd-input, /usr/bin link, conffile
#   kafka-execd-input-VERSION-1.ARCH.rpm   the same layout (only when rpmbuild is installed; Debian's `rpm`)
#   SHA256SUMS                             for all of them
# Usage: src/Packaging/build-packages.sh [--out DIR] [--rid RID]... [--no-rpm]
# Needs the .NET SDK, clang-14, lld-14, zlib1g-dev (and for arm64 on x64: gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross), dpkg-deb and (for .rpm) rpmbuild. Layout and reasons: src/Packaging/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/artifacts/packages"
rids=()
rpm=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --rid) rids+=("$2"); shift 2 ;;
    --no-rpm) rpm=no; shift ;;
    *) echo "usage: $0 [--out DIR] [--rid linux-x64|linux-arm64]... [--no-rpm]" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
if [ "$rpm" = auto ]; then
  if command -v rpmbuild >/dev/null; then rpm=yes; else rpm=no; echo "build-packages: rpmbuild not found, no .rpm (apt-get install rpm)"; fi
fi

name=kafka-execd-input
project="$repo/src/KafkaExecdInput/KafkaExecdInput.csproj"
version=$(dotnet msbuild "$project" -getProperty:Version -nologo)
release=1
maintainer=${PACKAGE_MAINTAINER:-"KafkaExecdInput contributors <kafka-execd-input@users.noreply.invalid>"}
# Reproducible archives: every file gets the time of the last commit.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
nuget=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')

stage="$out/stage"
mkdir -p "$out"
rm -rf "$stage" "$out"/*.tar.gz "$out"/*.deb "$out"/*.rpm "$out/SHA256SUMS"
mkdir -p "$stage"
start=$(date +%s)

# The folder the program needs at run time: the executable and librdkafka beside it (design.md §5).
publish() {
  local rid=$1 dir=$2
  dotnet publish "$project" -c Release -r "$rid" -o "$dir" -nologo -v quiet -p:ContinuousIntegrationBuild=true
  chmod 0755 "$dir/$name"
  chmod 0644 "$dir"/*.so
}

# The runtime pack version this publish restored, to ship that exact version's license texts.
runtime_pack_dir() {
  local rid=$1
  python3 - "$repo/src/KafkaExecdInput/obj/project.assets.json" "$rid" "$nuget" <<'PY'
import json, sys
assets, rid, nuget = sys.argv[1:]
for dep in json.load(open(assets))["project"]["frameworks"]["net10.0"].get("downloadDependencies", []):
    if dep["name"].lower() == f"microsoft.netcore.app.runtime.{rid}":
        print(f"{nuget.rstrip('/')}/{dep['name'].lower()}/{dep['version'].strip('[]').split(',')[0].strip()}")
PY
}

licenses() {
  local rid=$1 dir=$2
  local runtime rdkafka_version
  runtime=$(runtime_pack_dir "$rid")
  rdkafka_version=$(dotnet msbuild "$project" -getItem:PackageReference -nologo | python3 -c '
import json, sys
refs = json.load(sys.stdin)["Items"]["PackageReference"]
print(next(r["Version"] for r in refs if r["Identity"] == "Confluent.Kafka"))')
  mkdir -p "$dir"
  install -m 0644 "$runtime/LICENSE.TXT" "$dir/dotnet-runtime-LICENSE.txt"
  install -m 0644 "$runtime/THIRD-PARTY-NOTICES.TXT" "$dir/dotnet-runtime-THIRD-PARTY-NOTICES.txt"
  # librdkafka.redist is versioned with Confluent.Kafka.
  install -m 0644 "$nuget/librdkafka.redist/$rdkafka_version/LICENSES.txt" "$dir/librdkafka-LICENSES.txt"
}

# Debian's architecture names and RPM's.
deb_arch() { case "$1" in linux-x64) echo amd64 ;; linux-arm64) echo arm64 ;; esac; }
rpm_arch() { case "$1" in linux-x64) echo x86_64 ;; linux-arm64) echo aarch64 ;; esac; }

# The newest glibc symbol version any shipped ELF file needs: the package's libc6 dependency.
glibc_needed() { readelf -V -W "$@" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }

# The installed layout shared by the .deb and the .rpm (src/Packaging/README.md).
install_tree() {
  local publish=$1 root=$2 rid=$3
  local lib="$root/usr/lib/$name" doc="$root/usr/share/doc/$name"
  install -d "$lib" "$root/usr/bin" "$root/etc/$name" "$doc" "$root/usr/share/$name/prometheus"
  cp -p "$publish/$name" "$publish"/*.so "$lib/"
  # Relative, so the tree can be unpacked anywhere; the program finds librdkafka beside its real path.
  ln -s "../lib/$name/$name" "$root/usr/bin/$name"
  install -m 0644 "$repo/plugin.conf.sample" "$root/etc/$name/plugin.conf"
  install -m 0644 "$repo/src/Alerts/"*.rules.yml "$root/usr/share/$name/prometheus/"
  install -m 0644 "$repo/README.md" "$here/THIRD-PARTY-NOTICES.md" "$doc/"
  licenses "$rid" "$doc/licenses"
}

build_deb() {
  local rid=$1 publish=$2
  local arch root deb
  arch=$(deb_arch "$rid")
  root="$stage/deb-$rid"
  install_tree "$publish" "$root" "$rid"
  local doc="$root/usr/share/doc/$name"
  gzip -9n "$doc/README.md"
  { echo "$name ($version-$release) unstable; urgency=medium"; echo; echo "  * Release $version."; echo;
    echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"; } | gzip -9n > "$doc/changelog.Debian.gz"
  { echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: KafkaExecdInput"; echo; echo "Files: *"; echo "Copyright: KafkaExecdInput contributors"
    echo "License: MIT"; sed -e 's/^$/./' -e 's/^/ /' "$here/LICENSE"; echo
    echo "Files: usr/lib/$name/*librdkafka.so"; echo "Copyright: Magnus Edenhill, Confluent Inc. and others"
    echo "License: BSD-2-Clause and others"; echo " See /usr/share/doc/$name/licenses/librdkafka-LICENSES.txt."; echo
    echo "Files: usr/lib/$name/$name"; echo "Copyright: .NET Foundation and Contributors"
    echo "License: MIT"; echo " The .NET runtime is linked into the executable; see"
    echo " /usr/share/doc/$name/licenses/dotnet-runtime-LICENSE.txt and THIRD-PARTY-NOTICES.md."; } > "$doc/copyright"

  install -d "$root/DEBIAN"
  local glibc size
  glibc=$(glibc_needed "$root/usr/lib/$name/$name" "$root/usr/lib/$name/librdkafka.so")
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  cat > "$root/DEBIAN/control" <<EOF
Package: $name
Version: $version-$release
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: libc6 (>= $glibc), libgcc-s1, libstdc++6
Suggests: telegraf
Section: net
Priority: optional
Description: Kafka cluster metrics for Telegraf's inputs.execd (replaces kafka_exporter)
 A Telegraf external input plugin: each line Telegraf writes to its stdin starts one
 collection of brokers, topics, partitions, offsets, consumer groups and lag, written
 as Influx line protocol. Series names match kafka_exporter's through Telegraf's
 prometheus_client output. Self-contained: a native executable with librdkafka beside it.
 Configuration: /etc/$name/plugin.conf; Prometheus rules: /usr/share/$name/prometheus.
EOF
  # The sample configuration is the one conffile: dpkg keeps a user's edits on upgrade and remove,
  # and deletes it on purge. No maintainer scripts: nothing outside the package's own files is touched.
  echo "/etc/$name/plugin.conf" > "$root/DEBIAN/conffiles"
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
  find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  deb="$out/${name}_${version}-${release}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
}

build_rpm() {
  local rid=$1 publish=$2
  local arch root top
  arch=$(rpm_arch "$rid")
  root="$stage/rpm-$rid"
  top="$stage/rpmbuild-$rid"
  install_tree "$publish" "$root" "$rid"
  install -m 0644 "$here/LICENSE" "$root/usr/share/doc/$name/LICENSE"
  mkdir -p "$top"
  rpmbuild -bb --quiet --target "$arch-linux" \
    --define "_topdir $top" \
    --define "pkg_version $version" --define "pkg_release $release" \
    --define "pkg_root $root" --define "pkg_glibc $(glibc_needed "$root/usr/lib/$name/$name" "$root/usr/lib/$name/librdkafka.so")" \
    --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
    "$here/rpm/$name.spec" >/dev/null
  mv "$top/RPMS/$arch/"*.rpm "$out/"
}

build_tarball() {
  local rid=$1 publish=$2
  local folder="$name-$version-$rid"
  local dir="$stage/tar-$rid/$folder"
  mkdir -p "$dir"
  cp -p "$publish/$name" "$publish"/*.so "$dir/"
  install -m 0644 "$repo/plugin.conf.sample" "$repo/README.md" "$here/LICENSE" "$here/THIRD-PARTY-NOTICES.md" "$dir/"
  install -d "$dir/prometheus"
  install -m 0644 "$repo/src/Alerts/"*.rules.yml "$dir/prometheus/"
  licenses "$rid" "$dir/licenses"
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$stage/tar-$rid" -cf - "$folder" | gzip -9n > "$out/$folder.tar.gz"
}

for rid in "${rids[@]}"; do
  publish_dir="$stage/publish-$rid"
  echo "build-packages: publishing $rid"
  publish "$rid" "$publish_dir"
  build_tarball "$rid" "$publish_dir"
  build_deb "$rid" "$publish_dir"
  if [ "$rpm" = yes ]; then build_rpm "$rid" "$publish_dir"; fi
done

(cd "$out" && sha256sum -- *.tar.gz *.deb $( [ "$rpm" = yes ] && echo '*.rpm') > SHA256SUMS)
rm -rf "$stage"
echo "build-packages: built in $(( $(date +%s) - start ))s into $out:"
(cd "$out" && ls -l --block-size=K -- *.tar.gz *.deb $( [ "$rpm" = yes ] && echo '*.rpm') SHA256SUMS | awk '{print "  " $5 "  " $9}')
