#!/usr/bin/env bash
# Prints what each module of src/app imports from its sibling modules, and
# exits non-zero when those imports go round in a cycle: messages and state
# are leaves, handlers import them, `update` imports the handlers.
#
# A sibling `x` is named `crate::app::x`, or `super::x` from a top-level
# file or a `mod.rs` (`super::super::x` one directory further down).
# Paths through the re-exports of app/mod.rs (`crate::app::State`) are not
# followed: inside src/app, name the module.
set -euo pipefail
cd "$(dirname "$0")/../src/app"

modules=$(for f in *.rs */mod.rs; do
  m=${f%/mod.rs}
  m=${m%.rs}
  if [ "$m" != mod ]; then echo "$m"; fi
done | sort -u)

# Every module name one file's paths start with, one a line.
names_in() {
  local file=$1 depth prefix=super::
  depth=$(tr -cd / <<<"$file" | wc -c)
  if [ "${file##*/}" = mod.rs ]; then depth=$((depth - 1)); fi
  for ((i = 0; i < depth; i++)); do prefix=super::$prefix; done
  # Comments dropped and lines joined, so that a `use super::{a, b}` over
  # several lines reads as one; each item of a group is a path of its own.
  sed 's#//.*##' "$file" | tr '\n' ' ' |
    grep -oE "(crate::app::|$prefix)(\{[^}]*\}|[a-z_][a-z0-9_]*)" |
    sed -E "s#^(crate::app::|$prefix)##; s#[{}]##g" | tr ',' '\n' |
    sed -nE 's#^ *([a-z_][a-z0-9_]*).*#\1#p' || true
}

edges=""
for m in $modules; do
  if [ -d "$m" ]; then files=$(find "$m" -name '*.rs' | sort); else files=$m.rs; fi
  deps=$(for f in $files; do names_in "$f"; done | sort -u |
    grep -Fx "$modules" | grep -vx "$m" || true)
  echo "$m:" $deps
  edges+="$m $m"$'\n'
  for d in $deps; do edges+="$m $d"$'\n'; done
done

# tsort names the modules of a cycle on stderr and fails.
if ! tsort <<<"$edges" >/dev/null; then
  echo "app-imports: the modules above import each other in a cycle" >&2
  exit 1
fi
