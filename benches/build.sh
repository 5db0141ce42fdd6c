#!/usr/bin/env bash
# Benchmark of `errbook build` and `errbook check` on generated knowledge bases.
#
#   benches/build.sh [RUNS] [SIZES...]      default: 5 runs, 1000 and 10000 entries
#
# Prints, for each size, the median wall time and the median peak memory (max RSS) of
# a full build (every output: HTML and Markdown in both languages, search indexes,
# catalogue, redirects, sitemap) and of a check. Each build replaces the previous one,
# as it does for an author.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
shift || true
sizes=("${@:-1000 10000}")
read -r -a sizes <<<"${sizes[*]}"

# The tuned profile (fat LTO), as measured in docs/performance.md.
cargo build --profile tuned --quiet --bin errbook --example gen_kb
errbook=$PWD/target/tuned/errbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# A build may delete what it replaced in a background process, and leaves files for the
# kernel to write back; let both finish, so that each run is measured on an idle machine.
wait_for_cleanup() {
  while pgrep -f "errbook remove-tree" >/dev/null; do sleep 0.2; done
  sync
}

# Runs "$@" $runs times; prints "median-seconds median-peak-MB".
measure() {
  local times=() peaks=()
  for _ in $(seq "$runs"); do
    wait_for_cleanup
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r seconds kb <"$work/time"
    times+=("$seconds")
    peaks+=("$((kb / 1024))")
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${peaks[@]}" | median)"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $runs runs per figure (medians)"
printf '%-8s %-7s %10s %12s\n' entries command "wall (s)" "peak (MB)"
for n in "${sizes[@]}"; do
  kb="$work/kb$n"
  ./target/tuned/examples/gen_kb --entries "$n" --out "$kb" >/dev/null
  # Two first builds: each measured build replaces a site, and starts from the one
  # before it (kept in .errbook-cache/), as an author's builds do; entries come from the
  # parse cache, and their search terms from its memo, except in the first build.
  "$errbook" build --root "$kb" --quiet
  "$errbook" build --root "$kb" --quiet
  read -r wall peak < <(measure "$errbook" build --root "$kb" --quiet)
  printf '%-8s %-7s %10s %12s\n' "$n" build "$wall" "$peak"
  read -r wall peak < <(measure "$errbook" check --root "$kb" --quiet)
  printf '%-8s %-7s %10s %12s\n' "$n" check "$wall" "$peak"
done
