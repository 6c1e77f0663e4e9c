#!/usr/bin/env bash
# Proves that the validation ladder (tests/validate.sh) catches broken packs: on temporary copies
# of a real pack it breaks, one at a time, a template, a var file, a rendered job, a case that must
# render no job and the pack's name, and requires each to fail with a message naming the pack and
# the file. A clean copy must pass first, so these checks cannot pass by the ladder failing on everything.
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
  cp -r "$REPO/packs/$pack" "$dir/packs/$pack"
  "break_$name" "$dir/packs"
  out=$(PACKS_DIR="$dir/packs" TESTS_DIR="$dir/tests" RENDER_DIR="$dir/rendered" \
        "$REPO/tests/validate.sh" "$(ls "$dir/packs")" 2>&1); rc=$?
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

first_job_template() { ls "$1/$pack"/templates/*.nomad.tpl | head -n 1; }

break_nothing() { :; }
break_template() { printf '\n[[ if true ]]\n' >>"$(first_job_template "$1")"; }
break_varfile() { mkdir -p "$1/$pack/.ci"; printf 'no_such_variable = 1\n' >"$1/$pack/.ci/vars-zz-broken.hcl"; }
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
break_name() { mv "$1/$pack" "$1/${pack}_renamed"; }

tpl=$(basename "$(first_job_template "$REPO/packs")")
echo "breaking copies of packs/$pack:"
expect_validation nothing 0 "validate: "
expect_validation template 1 "FAIL  $pack [defaults]: nomad-pack render" "$tpl"
expect_validation varfile 1 "FAIL  $pack [vars-zz-broken.hcl]: nomad-pack render" "no_such_variable"
expect_validation job 1 "FAIL  $pack [defaults]: nomad job validate" "zz_broken.nomad"
expect_validation empty 1 "FAIL  $pack [empty/zz-enabled.hcl]: must render no job" "rendered a job, expected none"
expect_validation name 1 "FAIL  ${pack}_renamed: metadata.hcl name" "\"$pack\""
echo "test-validate: $passed passed, $failed failed"
[ $failed -eq 0 ]
