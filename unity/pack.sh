#!/usr/bin/env bash
# Builds the Unity package as a tarball for Package Manager's "Add package from tarball...": the package sources,
# Plugins/ with Sim.Core, YamlDotNet and MemoryPack.Core built for netstandard2.1, the model and GPU catalog in
# Catalog~/ (Sim.Core finds it beside its Plugins folder; Unity does not import folders ending in ~), and a .meta
# file for every asset (a tarball installs as an immutable package, where Unity ignores assets without one).
#
#   unity/pack.sh [--out DIR]     writes DIR/com.llmsim.simulator-<version>.tgz (DIR defaults to nupkg/)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/nupkg"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) echo "error: <command line>: unknown argument '$1'; use --out DIR" >&2; exit 2 ;;
  esac
done

source_dir="$repo/unity/com.llmsim.simulator"
name="$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "$source_dir/package.json")"
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$source_dir/package.json")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# Sim.Core and its two dependencies for netstandard2.1, Unity's profile.
dotnet publish "$repo/src/Sim.Core" -c Release -f netstandard2.1 -o "$stage/publish" --nologo -v quiet >&2

package="$stage/package"
cp -R "$source_dir" "$package"
mkdir -p "$package/Plugins" "$package/Catalog~/models" "$package/Catalog~/hardware"
for dll in Sim.Core.dll YamlDotNet.dll MemoryPack.Core.dll; do cp "$stage/publish/$dll" "$package/Plugins/"; done
cp "$repo/scenes/models/"*.yaml "$package/Catalog~/models/"
cp "$repo/scenes/hardware/"*.yaml "$package/Catalog~/hardware/"

# A stable GUID per asset: the MD5 of the package name and the asset's path.
guid() { printf '%s' "$name/$1" | md5sum | cut -c1-32; }
trailer=$'  userData: \n  assetBundleName: \n  assetBundleVariant: \n'
meta() {
  local path="$1" rel="${1#$package/}"
  local head="fileFormatVersion: 2"$'\n'"guid: $(guid "$rel")"$'\n'
  if [ -d "$path" ]; then
    printf '%sfolderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n%s' "$head" "$trailer"
  else
    case "$path" in
      *.cs) printf '%sMonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n%s' "$head" "$trailer" ;;
      *.asmdef) printf '%sAssemblyDefinitionImporter:\n  externalObjects: {}\n%s' "$head" "$trailer" ;;
      *.json) printf '%sTextScriptImporter:\n  externalObjects: {}\n%s' "$head" "$trailer" ;;
      # Any platform, editor included. MemoryPack.Core names System.Collections.Immutable (for formatters of
      # immutable collections, which the simulator never serialises), which Unity does not ship: no reference check.
      *.dll) printf '%sPluginImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  iconMap: {}\n  executionOrder: {}\n  defineConstraints: []\n  isPreloaded: 0\n  isOverridable: 0\n  isExplicitlyReferenced: 0\n  validateReferences: %s\n  platformData:\n  - first:\n      Any: \n    second:\n      enabled: 1\n      settings: {}\n%s' \
               "$head" "$([ "$(basename "$path")" = MemoryPack.Core.dll ] && echo 0 || echo 1)" "$trailer" ;;
      *) printf '%sDefaultImporter:\n  externalObjects: {}\n%s' "$head" "$trailer" ;;
    esac
  fi
}
# Every file and folder Unity imports: not the package root, nothing inside a folder ending in ~.
find "$package" -mindepth 1 \( -name '*~' -prune \) -o -print | sort | while read -r path; do
  meta "$path" > "$path.meta"
done

mkdir -p "$out"
tarball="$(cd "$out" && pwd)/$name-$version.tgz"
# Same sources, same bytes: names sorted, times, owners and the gzip header fixed.
tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - package | gzip -n -9 > "$tarball"
echo "$tarball"
