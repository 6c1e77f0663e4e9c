#!/usr/bin/env bash
# The validation ladder: for every pack x (defaults + every packs/<pack>/examples/vars-*.hcl) it runs
# nomad-pack render -> nomad fmt -check -> nomad job validate -> tests/packs/<pack>/check (the
# rendered configs checked by their own tools), then renders tests/packs/<pack>/invalid/*.hcl
# expecting the failure each file names, renders tests/packs/<pack>/empty/*.hcl expecting no job at
# all (enabled = false), as it expects of the defaults of a pack without job templates
# (pack_helpers), and checks pack metadata, formatting of the pack sources and that vendored
# dependencies (deps/) match their origin packs, nested ones included.
#
#   tests/validate.sh [--render-only] [PACK...]
#
# PACKS_DIR (default packs/), TESTS_DIR (default tests/packs/, where <pack>/invalid/ is read) and
# RENDER_DIR (default build/rendered/) can be pointed elsewhere; tests/test-validate.sh does so on a
# broken copy.
set -uo pipefail
source "$(dirname "$0")/../tools/env.sh"

render_only=false
if [ "${1:-}" = "--render-only" ]; then render_only=true; shift; fi

PACKS_DIR="${PACKS_DIR:-$REPO/packs}"
TESTS_DIR="${TESTS_DIR:-$REPO/tests/packs}"
RENDER_DIR="${RENDER_DIR:-$REPO/build/rendered}"
# nomad job validate must never reach an agent the user happens to run.
export NOMAD_ADDR=http://127.0.0.1:1 NO_COLOR=1

require_tools
[ -d "$PACKS_DIR" ] || die "no packs directory at $PACKS_DIR"

passed=0 failed=0
LOG=$(mktemp); trap 'rm -f "$LOG"' EXIT

pass() { passed=$((passed + 1)); echo "ok    $*"; }
fail() {
  failed=$((failed + 1)); echo "FAIL  $*"
  sed 's/^/      | /' "$LOG"
}
# run COMMAND...: runs the command with its output in $LOG; 0 when it succeeded.
run() { "$@" >"$LOG" 2>&1; }

check_registry() {
  local key missing=()
  for key in name description version url; do
    grep -Eq "^\s*$key\s*=" "$REPO/metadata.hcl" 2>/dev/null || missing+=("$key")
  done
  if [ ${#missing[@]} -eq 0 ]; then pass "registry metadata.hcl"
  else echo "metadata.hcl lacks: ${missing[*]}" >"$LOG"; fail "registry metadata.hcl"; fi
}

# The pack's name (as nomad-pack reads it) must equal its directory, and its files must exist.
check_pack_sources() {
  local pack="$1" dir="$PACKS_DIR/$1" f name missing=() unformatted=()
  for f in metadata.hcl variables.hcl outputs.tpl README.md CHANGELOG.md; do
    [ -f "$dir/$f" ] || missing+=("$f")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >"$LOG"; fail "$pack: pack files"; return
  fi
  if ! run "$NOMAD_PACK" info "$dir"; then fail "$pack: nomad-pack info"; return; fi
  name=$(sed -n 's/^ *Pack Name *//p' "$LOG" | tr -d '[:space:]')
  if [ "$name" != "$pack" ]; then
    echo "metadata.hcl says pack name \"$name\" but the directory is \"$pack\"" >"$LOG"
    fail "$pack: metadata.hcl name"; return
  fi
  # nomad-pack fmt formats every .tpl as HCL and would mangle YAML/TOML/Fluentd text, so only
  # the HCL sources are held to it: metadata, variables and the job templates.
  for f in "$dir"/metadata.hcl "$dir"/variables.hcl "$dir"/templates/*.nomad.tpl; do
    [ -f "$f" ] || continue
    "$NOMAD_PACK" fmt -check "$f" >/dev/null 2>&1 || unformatted+=("${f#"$PACKS_DIR"/}")
  done
  if [ ${#unformatted[@]} -gt 0 ]; then
    printf 'not formatted (run: nomad-pack fmt FILE): %s\n' "${unformatted[@]}" >"$LOG"
    fail "$pack: nomad-pack fmt -check"; return
  fi
  pass "$pack: metadata, files, nomad-pack fmt"
}

# A pack's vendored dependencies (deps/) must be what `make vendor` makes from their origin packs now.
check_vendored_deps() {
  local pack="$1"
  grep -q '^dependency "' "$PACKS_DIR/$pack/metadata.hcl" 2>/dev/null || return 0
  if run env PACKS_DIR="$PACKS_DIR" "$REPO/tools/vendor-deps.sh" --check "$pack"; then pass "$pack: deps/ identical to the origin packs"
  else fail "$pack: deps/ is not what make vendor makes"; fi
}

# render_case PACK VARFILE|"" OUTDIR: renders one case; on failure reports it.
render_case() {
  local pack="$1" varfile="$2" out="$3" args=()
  [ -n "$varfile" ] && args=(-f "$varfile")
  rm -rf "$out"; mkdir -p "$out"
  run "$NOMAD_PACK" render "$PACKS_DIR/$pack" -o "$out" "${args[@]}"
}

validate_case() {
  local pack="$1" varfile="$2" case="${2:+$(basename "$2")}" out job jobs
  case="${case:-defaults}"
  out="$RENDER_DIR/$pack/${case%.hcl}"
  if ! render_case "$pack" "$varfile" "$out"; then fail "$pack [$case]: nomad-pack render"; return; fi
  if $render_only; then pass "$pack [$case]: rendered to ${out#"$REPO"/}"; return; fi
  mapfile -t jobs < <(find "$out/$pack" -name '*.nomad' | sort)
  if [ ${#jobs[@]} -eq 0 ]; then echo "no *.nomad job rendered" >"$LOG"; fail "$pack [$case]: render"; return; fi
  for job in "${jobs[@]}"; do
    if ! run "$NOMAD" fmt -check "$job"; then
      fail "$pack [$case]: nomad fmt -check ${job#"$out"/}"; return
    fi
    if ! run "$NOMAD" job validate "$job"; then fail "$pack [$case]: nomad job validate ${job#"$out"/}"; return; fi
  done
  local check="$REPO/tests/packs/$pack/check"
  if [ -x "$check" ]; then
    if ! run "$check" "$out/$pack" "$case" ${varfile:+"$varfile"}; then fail "$pack [$case]: tests/packs/$pack/check"; return; fi
    pass "$pack [$case]: render, nomad fmt, nomad job validate, tests/packs/$pack/check"
  else
    pass "$pack [$case]: render, nomad fmt, nomad job validate"
  fi
}

# Each tests/packs/<pack>/invalid/*.hcl starts with "# expect: <text>": rendering it must fail with it.
validate_invalid() {
  local pack="$1" varfile="$2" case expect
  case="invalid/$(basename "$varfile")"
  expect=$(sed -n '1s/^# expect: *//p' "$varfile")
  if [ -z "$expect" ]; then
    echo "first line must be '# expect: <part of the error message>'" >"$LOG"; fail "$pack [$case]"; return
  fi
  if render_case "$pack" "$varfile" "$(mktemp -d)"; then
    echo "rendered without error; expected: $expect" >>"$LOG"; fail "$pack [$case]: must not render"; return
  fi
  if ! grep -qF -- "$expect" "$LOG"; then
    echo "expected the error to contain: $expect" >>"$LOG"; fail "$pack [$case]: wrong error"; return
  fi
  pass "$pack [$case]: refused with \"$expect\""
}

# Each tests/packs/<pack>/empty/*.hcl (e.g. enabled = false) must render no job and no error but
# nomad-pack's own "no templates were rendered" (a pack whose only template renders whitespace).
# With VARFILE "" it checks the defaults of a library pack (pack_helpers: no job template).
validate_empty() {
  local pack="$1" varfile="$2" case out jobs
  case="empty/$(basename "${varfile:-defaults}")"
  [ -n "$varfile" ] || case="defaults, a pack without job templates"
  out=$(mktemp -d)
  if render_case "$pack" "$varfile" "$out"; then
    mapfile -t jobs < <(find "$out" -name '*.nomad' | sort)
    if [ ${#jobs[@]} -gt 0 ]; then
      printf 'rendered a job, expected none: %s\n' "${jobs[@]#"$out"/}" >"$LOG"; rm -rf "$out"
      fail "$pack [$case]: must render no job"; return
    fi
  elif ! grep -qF -- "no templates were rendered" "$LOG"; then
    echo "expected no job and no error but \"no templates were rendered\"" >>"$LOG"; rm -rf "$out"
    fail "$pack [$case]: must render no job"; return
  fi
  rm -rf "$out"
  pass "$pack [$case]: renders no job"
}

mapfile -t packs < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else ls "$PACKS_DIR"; fi)
$render_only || check_registry
for pack in "${packs[@]}"; do
  [ -d "$PACKS_DIR/$pack" ] || { echo "no pack $pack in $PACKS_DIR" >"$LOG"; fail "$pack"; continue; }
  $render_only || check_pack_sources "$pack"
  $render_only || check_vendored_deps "$pack"
  # A library pack (no templates/*.nomad.tpl, e.g. pack_helpers) has no job to check: it must render none.
  if ! compgen -G "$PACKS_DIR/$pack/templates/*.nomad.tpl" >/dev/null; then
    $render_only || validate_empty "$pack" ""
    continue
  fi
  validate_case "$pack" ""
  for varfile in "$PACKS_DIR/$pack"/examples/vars-*.hcl; do
    [ -f "$varfile" ] && validate_case "$pack" "$varfile"
  done
  if ! $render_only; then
    for varfile in "$TESTS_DIR/$pack"/invalid/*.hcl; do
      [ -f "$varfile" ] && validate_invalid "$pack" "$varfile"
    done
    for varfile in "$TESTS_DIR/$pack"/empty/*.hcl; do
      [ -f "$varfile" ] && validate_empty "$pack" "$varfile"
    done
  fi
done

echo "validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
