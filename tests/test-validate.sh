#!/usr/bin/env bash
# Proves that the validation ladder (tests/validate.sh) catches broken packs: on temporary copies
# of a real pack (and of the packs its dependencies come from) it breaks, one at a time, a
# template, a var file, a rendered job, a case that must render no job, a vendored copy, an origin
# left unvendored and the pack's name, and requires each to fail with a message naming the pack
# and the file; then a nested vendored copy of the stack (deps/<component>/deps/pack_helpers). A
# clean copy must pass first, so these checks cannot pass by the ladder failing on everything.
set -uo pipefail
source "$(dirname "$0")/../tools/env.sh"

pack="${1:-$(ls "$REPO/packs" | head -n 1)}"
[ -n "$pack" ] && [ -d "$REPO/packs/$pack" ] || die "no pack to break: packs/ is empty"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# expect_validation NAME EXIT_WANTED TEXT...: copies packs/$pack, lets the caller's
# break_<NAME> function damage it, runs the ladder on it and checks exit code and output.
expect_validation() {
  local name="$1" want="$2" dir="$work/$1" out text rc missing=(); shift 2
  mkdir -p "$dir/packs" "$dir/tests"
  copy_with_origins "$pack" "$dir/packs"
  "break_$name" "$dir/packs"
  # The pack under test is the copy that is not an origin of its dependencies (break_name renames it).
  out=$(PACKS_DIR="$dir/packs" TESTS_DIR="$dir/tests" RENDER_DIR="$dir/rendered" \
        "$REPO/tests/validate.sh" "$(under_test "$dir/packs")" 2>&1); rc=$?
  for text in "$@"; do grep -qF -- "$text" <<<"$out" || missing+=("$text"); done
  if { [ "$want" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want" != 0 ] && [ $rc -ne 0 ]; } && [ ${#missing[@]} -eq 0 ]; then
    passed=$((passed + 1)); echo "ok    $name"
  else
    failed=$((failed + 1))
    echo "FAIL  $name: validate.sh exited $rc (wanted $([ "$want" = 0 ] && echo 0 || echo non-zero))"
    [ ${#missing[@]} -eq 0 ] || printf '      output lacks: %s\n' "${missing[@]}"
    sed 's/^/      | /' <<<"$out" | tail -n 25
  fi
}

# origins PACK: the packs of this registry that PACK's dependencies are copied from, nested ones
# included (the sources name them as ...//packs/<origin>).
origins() {
  local o
  sed -n 's#^ *source *= *".*//packs/\([^/"]*\)".*#\1#p' "$REPO/packs/$1/metadata.hcl" 2>/dev/null |
    while read -r o; do echo "$o"; origins "$o"; done | sort -u
}
# copy_with_origins PACK DIR: copies PACK and its origin packs, so its deps/ check has them.
copy_with_origins() {
  local o
  cp -r "$REPO/packs/$1" "$2/$1"
  for o in $(origins "$1"); do [ -d "$2/$o" ] || cp -r "$REPO/packs/$o" "$2/$o"; done
}

# under_test DIR: the pack copied into DIR that is not one of the origins.
under_test() {
  local d
  for d in "$1"/*/; do
    d=$(basename "$d")
    origins "$pack" | grep -qxF "$d" || { echo "$d"; return; }
  done
}

first_job_template() { ls "$1/$pack"/templates/*.nomad.tpl | head -n 1; }

break_nothing() { :; }
break_template() { printf '\n[[ if true ]]\n' >>"$(first_job_template "$1")"; }
break_varfile() { mkdir -p "$1/$pack/examples"; printf 'no_such_variable = 1\n' >"$1/$pack/examples/vars-zz-broken.hcl"; }
break_job() {
  cat >"$1/$pack/templates/zz_broken.nomad.tpl" <<'HCL'
job "zz-broken" {
  group "g" {
    count = -1
    task "t" {
      driver = "raw_exec"
    }
  }
}
HCL
}
# A case of tests/packs/<pack>/empty/ that does render a job.
break_empty() { mkdir -p "$1/../tests/$pack/empty"; printf 'enabled = true\n' >"$1/../tests/$pack/empty/zz-enabled.hcl"; }
# A vendored copy edited by hand, and an origin changed without `make vendor`: both must fail the
# deps/ check (the pack needs a dependency for these; see expect_vendor_check for nested ones).
break_vendored() { printf '\n[[/* edited by hand */]]\n' >>"$(find "$1/$pack/deps" -name '_helpers.tpl' | sort | head -n 1)"; }
break_origin() { local o; o=$(origins "$pack" | head -n 1); printf '\nchanged, not vendored\n' >>"$1/$o/README.md"; }
break_name() { mv "$1/$pack" "$1/${pack}_renamed"; }

tpl=$(basename "$(first_job_template "$REPO/packs")")
echo "breaking copies of packs/$pack:"
expect_validation nothing 0 "validate: "
expect_validation template 1 "FAIL  $pack [defaults]: nomad-pack render" "$tpl"
expect_validation varfile 1 "FAIL  $pack [vars-zz-broken.hcl]: nomad-pack render" "no_such_variable"
expect_validation job 1 "FAIL  $pack [defaults]: nomad job validate" "zz_broken.nomad"
expect_validation empty 1 "FAIL  $pack [empty/zz-enabled.hcl]: must render no job" "rendered a job, expected none"
if [ -n "$(origins "$pack")" ]; then
  expect_validation vendored 1 "FAIL  $pack: deps/ is not what make vendor makes" "edited by hand"
  expect_validation origin 1 "FAIL  $pack: deps/ is not what make vendor makes" "changed, not vendored"
else
  echo "skip  vendored, origin: packs/$pack has no dependencies"
fi
expect_validation name 1 "FAIL  ${pack}_renamed: metadata.hcl name" "\"$pack\""
# expect_vendor_check STACK: a copy of a nested vendored file (STACK/deps/<component>/deps/...)
# edited by hand must make `tools/vendor-deps.sh --check STACK` fail, the check validate.sh runs for
# every pack with dependencies. (Only the check is run: the stack's whole ladder is slow.)
expect_vendor_check() {
  local stack="$1" dir="$work/nested" nested out rc
  mkdir -p "$dir"; copy_with_origins "$stack" "$dir"
  if ! PACKS_DIR="$dir" "$REPO/tools/vendor-deps.sh" --check "$stack" >/dev/null 2>&1; then
    failed=$((failed + 1)); echo "FAIL  nested: the clean copy of packs/$stack already fails the deps/ check"; return
  fi
  nested=$(find "$dir/$stack/deps" -mindepth 3 -path '*/deps/*/deps/*' -name '_helpers.tpl' | sort | head -n 1)
  if [ -z "$nested" ]; then echo "skip  nested: packs/$stack vendors no pack with dependencies"; return; fi
  printf '\n[[/* edited by hand */]]\n' >>"$nested"
  out=$(PACKS_DIR="$dir" "$REPO/tools/vendor-deps.sh" --check "$stack" 2>&1); rc=$?
  if [ $rc -ne 0 ] && grep -qF "${nested#"$dir"/$stack/deps/}" <<<"$out"; then
    passed=$((passed + 1)); echo "ok    nested: ${nested#"$dir"/} edited by hand fails the deps/ check"
  else
    failed=$((failed + 1)); echo "FAIL  nested: editing ${nested#"$dir"/} did not fail the deps/ check (exit $rc)"
    sed 's/^/      | /' <<<"$out" | tail -n 10
  fi
}
[ -d "$REPO/packs/observability_stack" ] && expect_vendor_check observability_stack

echo "test-validate: $passed passed, $failed failed"
[ $failed -eq 0 ]
