#!/usr/bin/env bash
# Benchmark of `errbook build` and `errbook check` on generated knowledge bases.
#
#   benches/build.sh [RUNS] [SIZES...]      default: 5 runs, 1000 and 10000 entries
#
# Prints, for each size, the median wall time, CPU time (user + system, then each apart)
# and peak memory (max RSS) of:
#   no-cache  `build --no-cache`, with no output folder and no cache;
#   first     `build` with no output folder and no cache (a fresh clone, as in CI);
#   edit      `build` after one entry's title changed (the site and cache of the build
#             before it at hand, as for an author);
#   no-op     `build` where nothing changed since the last build;
#   check     `check`, from the cache.
# Every build writes every output: HTML and Markdown in both languages, search
# indexes, catalogue, redirects, sitemap.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
shift || true
sizes=("${@:-1000 10000}")
read -r -a sizes <<<"${sizes[*]}"

# The tuned profile (fat LTO), as measured in docs/performance.md; with ERRBOOK set,
# that binary is measured and nothing is built.
target=${CARGO_TARGET_DIR:-$PWD/target}
if [[ -z ${ERRBOOK:-} ]]; then
  cargo build --profile tuned --quiet --bin errbook --example gen_kb
fi
errbook=${ERRBOOK:-$target/tuned/errbook}
gen_kb=${GEN_KB:-$target/tuned/examples/gen_kb}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# A build may delete what it replaced in a background process, and leaves files for the
# kernel to write back; let both finish, so that each run is measured on an idle machine.
wait_for_cleanup() {
  while pgrep -f "errbook remove-tree" >/dev/null; do sleep 0.2; done
  sync
}

# Runs `before` (a shell command, not timed), then "$@", $runs times; prints the
# medians of wall seconds, CPU seconds (user + system), user and system seconds apart
# (a cold build's system time is mostly the kernel creating files), and peak MB.
measure() {
  local before=$1
  shift
  local times=() cpus=() users=() systems=() peaks=()
  for run in $(seq "$runs"); do
    RUN=$run eval "$before"
    wait_for_cleanup
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r seconds user system kb <"$work/time"
    times+=("$seconds")
    cpus+=("$(echo "$user + $system" | bc)")
    users+=("$user")
    systems+=("$system")
    peaks+=("$((kb / 1024))")
  done
  local list
  for list in times cpus users systems peaks; do
    local -n values=$list
    printf '%s ' "$(printf '%s\n' "${values[@]}" | median)"
  done
  echo
}

row() { printf '%-8s %-9s %9s %9s %9s %9s %10s\n' "$@"; }

report() {
  local n=$1 what=$2
  shift 2
  read -r wall cpu user system peak < <(measure "$@")
  row "$n" "$what" "$wall" "$cpu" "$user" "$system" "$peak"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $runs runs per figure (medians)"
row entries command "wall (s)" "CPU (s)" "user (s)" "sys (s)" "peak (MB)"
for n in "${sizes[@]}"; do
  kb="$work/kb$n"
  "$gen_kb" --entries "$n" --out "$kb" >/dev/null
  fresh="rm -rf '$kb/public' '$kb/.errbook-cache'"
  report "$n" no-cache "$fresh" "$errbook" build --root "$kb" --quiet --no-cache
  report "$n" first "$fresh" "$errbook" build --root "$kb" --quiet
  # Two builds, so that the next ones have a site to replace and start from.
  "$errbook" build --root "$kb" --quiet
  "$errbook" build --root "$kb" --quiet
  entry=$(ls "$kb"/content/errors/*/entry-000001.yaml)
  edit="sed -i -E 's/^(  en: \"Error 1)[^:]*:/\\1 (edit \$RUN):/' '$entry'"
  report "$n" edit "$edit" "$errbook" build --root "$kb" --quiet
  # A second after the last change: a build trusts no stamp of a file changed within
  # the second before it starts, and reads such files (see docs/performance.md).
  report "$n" no-op "sleep 1" "$errbook" build --root "$kb" --quiet
  report "$n" check true "$errbook" check --root "$kb" --quiet
done
