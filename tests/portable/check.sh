#!/usr/bin/env bash
# Asserts that a ziti-backup binary drops into the controller image (spec
# §8: UBI 9, glibc 2.34): no glibc symbol version above 2.34, and no NEEDED
# library outside glibc. Usage: check.sh BINARY [--expect-fail]
# --expect-fail runs the same check on a binary that must fail it (the
# ordinary dynamic build), so the check itself is shown to bite.
set -euo pipefail
bin=$1
expect_fail=${2:-}
max=2.34
glibc_libs='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'

problems=()
newest=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1)
if [[ $(printf '%s\n%s\n' "$newest" "$max" | sort -V | tail -1) != "$max" ]]; then
  problems+=("needs GLIBC_$newest (> $max): $(objdump -T "$bin" | grep -E "GLIBC_$newest" | awk '{print $NF}' | tr '\n' ' ')")
fi
while read -r lib; do
  [[ $lib =~ $glibc_libs ]] || problems+=("needs shared library $lib")
done < <(objdump -p "$bin" | awk '/NEEDED/ {print $2}')

if [[ $expect_fail == --expect-fail ]]; then
  if ((${#problems[@]} == 0)); then
    echo "FAIL: $bin passed the portability check but should not have" >&2
    exit 1
  fi
  echo "ok: $bin fails the check as expected (${problems[0]})"
  exit 0
fi
if ((${#problems[@]})); then
  printf 'FAIL: %s is not portable to glibc %s:\n' "$bin" "$max" >&2
  printf '  %s\n' "${problems[@]}" >&2
  exit 1
fi
"$bin" version >/dev/null
echo "ok: $bin needs glibc <= $newest and only glibc's libraries"
