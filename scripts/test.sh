#!/usr/bin/env bash
# Ace's test command:  bash scripts/test.sh
#
# On a fresh Debian machine with Go it installs and starts what the tests need
# when missing (PostgreSQL, nats-server, Chromium, Node.js and the e2e
# packages), then runs
#   1. go build -o bin/ace ./cmd/ace  (the binary the crash tests and the
#                                      browser tests run, built once)
#   2. go test -race ./...           (store tests on SQLite and PostgreSQL)
#   3. node --test e2e/              (browser tests against the built binary)
# Every step runs even if an earlier one failed; the script exits non-zero if
# any failed. Under CI=true a skipped test is a failure, Go or browser.
# Works as root or through sudo, with CI=true and no stdin.
#
# Environment:
#   ACE_TEST_DATABASE_URL  PostgreSQL for the store tests; when unset, a local
#                          server on 127.0.0.1:5432 is used (and set up).
#   GO_TEST_FLAGS          extra flags for go test (e.g. "-run Store -v")
#   E2E_FILES              which e2e test files to run (default: all of e2e/)
#   NATS_SERVER            a nats-server binary; when unset one is found,
#                          installed (Debian's package) or built from go.sum
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$(pwd)
export DEBIAN_FRONTEND=noninteractive
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

section() { printf '\n========== %s ==========\n' "$*"; }
note() { printf 'test.sh: %s\n' "$*"; }

declare -a STEP_NAMES=() STEP_RESULTS=()
record() { STEP_NAMES+=("$1"); STEP_RESULTS+=("$2"); }

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=(sudo -n); fi
fi
as_root() { "${SUDO[@]}" "$@"; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    note "apt-get update"
    as_root apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  note "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds or the deadline passes.
wait_until() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      note "gave up after ${secs}s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------------------
# PostgreSQL

PG_HOST=127.0.0.1
PG_PORT=5432
PG_CLUSTER=main
pg_answers() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
# psql as postgres over TCP, never prompting for a password.
pg_sql() { psql -X -w -q -At -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@" </dev/null; }
pg_trusted() { pg_sql -d postgres -c 'select 1' >/dev/null 2>&1; }

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | head -1; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! { command -v pg_isready >/dev/null 2>&1 && pg_answers; }; then
    apt_install postgresql || { note "could not install postgresql"; return 1; }
  fi
  if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
    apt_install postgresql-client || { note "could not install postgresql-client"; return 1; }
  fi
  if ! pg_answers; then
    local ver
    ver=$(pg_version)
    if [ -z "$ver" ]; then
      # Packages installed without a cluster: create one for the installed server.
      ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
      [ -n "$ver" ] || { note "no PostgreSQL server is installed"; return 1; }
      as_root pg_createcluster "$ver" "$PG_CLUSTER" || return 1
    fi
    note "starting PostgreSQL $ver"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" start ||
      note "pg_ctlcluster start returned non-zero (it may already be starting)"
    wait_until 60 "PostgreSQL on $PG_HOST:$PG_PORT" pg_answers || return 1
  fi
  if ! pg_trusted; then
    # A fresh Debian cluster asks for a password over TCP (scram): trust
    # postgres from 127.0.0.1, a test-only setting, and reload.
    local ver hba
    ver=$(pg_version)
    hba=/etc/postgresql/$ver/$PG_CLUSTER/pg_hba.conf
    if [ -z "$ver" ] || ! as_root test -f "$hba"; then
      note "cannot connect as postgres to $PG_HOST:$PG_PORT and found no local pg_hba.conf to fix"
      return 1
    fi
    if ! as_root grep -qE '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
      note "trusting postgres@127.0.0.1 in $hba"
      as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba" || return 1
    fi
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" reload || return 1
    wait_until 30 "password-less login as postgres" pg_trusted || return 1
  fi
  if [ "$(pg_sql -d postgres -c "select 1 from pg_database where datname = 'test'")" != 1 ]; then
    note "creating database test"
    pg_sql -d postgres -c 'create database test' || return 1
  fi
  wait_until 30 "database test" pg_sql -d test -c 'select 1'
}

# ---------------------------------------------------------------------------
# nats-server, for the two-instance browser tests (STACK.md §19): Debian's
# package, or built from the nats-server module already in go.sum. Exports
# NATS_SERVER, which e2e/rooms.mjs reads.

ensure_nats() {
  local bin=${NATS_SERVER:-}
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    bin=$(command -v nats-server 2>/dev/null || true)
  fi
  # Debian puts it in /usr/sbin, which a non-root PATH may lack.
  if [ -z "$bin" ] && [ -x /usr/sbin/nats-server ]; then bin=/usr/sbin/nats-server; fi
  if [ -z "$bin" ] && apt_install nats-server; then
    bin=$(command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server)
  fi
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    note "building nats-server from the module in go.sum"
    go build -o bin/nats-server github.com/nats-io/nats-server/v2 || return 1
    bin=$ROOT/bin/nats-server
  fi
  export NATS_SERVER=$bin
  note "NATS_SERVER=$bin ($("$bin" --version 2>&1))"
}

# ---------------------------------------------------------------------------
# Browser tests' tools

ensure_browser_tools() {
  local ok=0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || { note "could not install nodejs/npm"; ok=1; }
  fi
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium || { note "could not install chromium"; ok=1; }
  fi
  command -v node >/dev/null 2>&1 || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    note "node $(node --version) is too old for the browser tests (they need node >= 20.10 for --test-concurrency)"
    ok=1
  fi
  # npm ci when node_modules is missing or was installed from another lock file.
  local want have=''
  want=$(cat e2e/package.json e2e/package-lock.json | sha256sum | cut -d' ' -f1)
  [ -f e2e/node_modules/.ace-lock-sha256 ] && have=$(cat e2e/node_modules/.ace-lock-sha256)
  if [ "$want" != "$have" ] || [ ! -f e2e/node_modules/axe-core/axe.min.js ] || [ ! -d e2e/node_modules/playwright-core ]; then
    note "npm ci in e2e/"
    if (cd e2e && npm ci --no-audit --no-fund --loglevel=error </dev/null); then
      echo "$want" >e2e/node_modules/.ace-lock-sha256
    else
      note "npm ci failed"
      ok=1
    fi
  fi
  return $ok
}

# ---------------------------------------------------------------------------

main() {
  section "Setup"
  command -v go >/dev/null 2>&1 || [ ! -x /usr/local/go/bin/go ] || export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null 2>&1 || { note "go is not on PATH"; exit 1; }
  go version

  if [ -z "${ACE_TEST_DATABASE_URL:-}" ]; then
    export ACE_TEST_DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/test?sslmode=disable"
    if ensure_postgres; then
      record "PostgreSQL ready" PASS
    else
      record "PostgreSQL ready" FAIL
    fi
  else
    note "using ACE_TEST_DATABASE_URL from the environment"
  fi
  note "ACE_TEST_DATABASE_URL=$(printf '%s' "$ACE_TEST_DATABASE_URL" | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#')"

  if ensure_browser_tools; then
    record "Browser test tools (node, chromium, npm ci)" PASS
  else
    record "Browser test tools (node, chromium, npm ci)" FAIL
  fi
  node --version 2>/dev/null | sed 's/^/node /'
  /usr/bin/chromium --version 2>/dev/null || true

  if ensure_nats; then
    record "nats-server" PASS
  else
    record "nats-server" FAIL
  fi

  # Under CI=true a skipped test is a failure: a skip hides a case CI was
  # meant to prove (a missing tool, a missing file).
  no_skips=()
  [ "${CI:-}" = true ] && no_skips=(-no-skips)

  section "Build: go build -o bin/ace ./cmd/ace"
  built=0
  if go build -o bin/ace ./cmd/ace; then
    built=1
    # The crash tests (internal/crashtest) and the browser tests run this
    # binary instead of building their own.
    export ACE_BIN="$ROOT/bin/ace"
    record "go build ./cmd/ace" PASS
  else
    record "go build ./cmd/ace" FAIL
  fi

  section "Go tests: go test -race -count=1 ./..."
  # -json lets scripts/testreport count skips, which plain output hides; it
  # prints what plain go test prints, the skipped tests and a count.
  # shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
  go test -race -count=1 -timeout 20m -json ${GO_TEST_FLAGS:-} ./... 2>&1 | go run ./scripts/testreport "${no_skips[@]}"
  go_status=("${PIPESTATUS[@]}")
  if [ "${go_status[0]}" = 0 ]; then
    record "go test -race ./..." PASS
  else
    record "go test -race ./..." FAIL
  fi
  if [ "${#no_skips[@]}" -gt 0 ]; then
    if [ "${go_status[1]}" = 0 ]; then
      record "no skipped Go tests (CI=true)" PASS
    else
      record "no skipped Go tests (CI=true)" FAIL
    fi
  elif [ "${go_status[1]}" != 0 ]; then
    record "go test report (scripts/testreport)" FAIL
  fi

  section "Browser tests: node --test --test-concurrency=1 e2e/"
  mkdir -p test-artifacts
  if [ "$built" = 1 ]; then
    # The spec reporter for people, TAP for counting skips: node's own
    # "skipped N" leaves out skipped suites.
    tap="$ROOT/test-artifacts/e2e.tap"
    rm -f "$tap"
    # shellcheck disable=SC2086 # E2E_FILES is a list of files
    if node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" ${E2E_FILES:-e2e/} </dev/null; then
      record "browser tests (e2e/)" PASS
    else
      record "browser tests (e2e/)" FAIL
    fi
    note "screenshots are in $ROOT/test-artifacts/"
    skips=$(grep -E '^[[:space:]]*(not )?ok [0-9]+ - .*# SKIP' "$tap" 2>/dev/null || true)
    if [ -n "$skips" ]; then
      note "skipped browser tests or suites:"
      printf '%s\n' "$skips" | sed -E 's/^[[:space:]]*(not )?ok [0-9]+ - /  SKIP  /'
    fi
    if [ "${#no_skips[@]}" -gt 0 ]; then
      if [ -z "$skips" ]; then
        record "no skipped browser tests (CI=true)" PASS
      else
        record "no skipped browser tests (CI=true)" FAIL
      fi
    fi
  else
    note "skipped: the binary did not build"
    record "browser tests (e2e/)" FAIL
  fi

  section "Summary"
  failed=0
  for i in "${!STEP_NAMES[@]}"; do
    printf '  %-4s  %s\n' "${STEP_RESULTS[$i]}" "${STEP_NAMES[$i]}"
    [ "${STEP_RESULTS[$i]}" = PASS ] || failed=1
  done
  if [ "$failed" = 0 ]; then
    echo "All tests passed."
  else
    echo "Some steps FAILED (see above)."
  fi
  return "$failed"
}

# Sourcing the file (for a test of its functions) defines them and runs nothing.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
  exit $?
fi
