#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan; build dir
# ${BUILD_DIR:-build-fuzz}) and runs each for SECONDS (default 60) on its
# committed seed corpus, fuzz/corpus/<target>, after replaying every file in
# fuzz/regressions/<target>. Prints per target the executions per second and
# the coverage (cov: edges, ft: features) of libFuzzer's final stats line.
# Fails if any target crashes, leaks, runs out of memory or times out; the
# input that did it is copied to fuzz/regressions/<target>/ so it can be
# committed (the ctest replay test runs it from then on).
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${BUILD_DIR:-build-fuzz}
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(bolt_check manifest cron ctrl_config target_url stored_object age_decrypt)
fi

cxx=${ZB_FUZZ_CXX:-clang++-14}
mkdir -p "$build"
(
  flock 9  # two runs at once (different targets) share one build
  cmake -S . -B "$build" -G Ninja -DZB_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo ${ZB_FUZZ_CMAKE_ARGS:-} >/dev/null
  ninja -C "$build" $(printf 'fuzz/fuzz_%s ' "${targets[@]}") >/dev/null
) 9>"$build/.fuzz-build.lock"

# Bounded memory and no hang: an input may cost at most 10 s, 256 MiB of
# resident memory (ASan's own overhead included) and 64 MiB in one
# allocation (stored_object's largest is the zstd window a frame asks for,
# at most the 32 MiB ZstdDecompressSink allows). ASan's quarantine is kept
# small so that freed memory does not count as resident.
limits() {
  echo "-timeout=10 -rss_limit_mb=256 -malloc_limit_mb=64"
}
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  work=$build/fuzz-work/$t  # new inputs libFuzzer finds, kept between local runs
  artifacts=$build/fuzz-artifacts/$t/
  mkdir -p "$work" "$artifacts" "fuzz/regressions/$t"
  rm -f "$artifacts"*
  log=$build/fuzz-$t.log
  # The regressions are read (and so run) first, with the corpus, before
  # any mutation; a crash among them stops the run as any crash does.
  set +e
  # shellcheck disable=SC2046
  "$bin" $(limits "$t") -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "fuzz/corpus/$t" "fuzz/regressions/$t" \
    </dev/null >"$log" 2>&1
  rc=$?
  set -e
  # "#123 DONE   cov: 456 ft: 789 corp: 12/3456b lim: ... exec/s: 1000 rss: 60Mb"
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  field() { sed -nE "s|.* $1: ([0-9]+).*|\1|p" <<<"$done_line"; }
  if ((rc == 0)) && [[ -n $done_line ]]; then
    printf '%-14s ok    %7s exec/s  cov %5s  ft %6s  corpus %s  rss %s MB\n' "$t" \
      "$(field exec/s)" "$(field cov)" "$(field ft)" "$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$done_line")" \
      "$(sed -nE 's/.* rss: ([0-9]+)Mb.*/\1/p' <<<"$done_line")"
    continue
  fi
  failed+=("$t")
  echo "$t FAILED (exit $rc); log: $log"
  grep -E '^==[0-9]+==ERROR|^SUMMARY|fuzz property violated|^ALARM|out-of-memory|malloc\(|runtime error' \
    "$log" | head -5 | sed 's/^/  /'
  for a in "$artifacts"*; do
    [[ -f $a ]] || continue
    name=$(basename "$a")
    cp "$a" "fuzz/regressions/$t/$name"
    echo "  input kept as fuzz/regressions/$t/$name"
  done
done
if ((${#failed[@]})); then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash, leak, OOM or timeout"
