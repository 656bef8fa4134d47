# Shared by scripts/run and scripts/test. Every step installs only what is missing, so a second
# run is fast and a fresh Debian machine gets everything. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Pinned tool versions. wasm-bindgen-cli must equal the `wasm-bindgen` crate pin in Cargo.toml.
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# A free TCP port on the loopback address.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
say() { printf '\n==> %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# Runs apt-get as root, or through sudo when the user is not root.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_base_packages() {
  # curl/ca-certificates for rustup; pkg-config/libssl-dev for cargo installs; nodejs/npm for
  # the design system CSS, wasm-opt and the browser tests.
  local pkgs=(ca-certificates curl build-essential pkg-config libssl-dev)
  have node || pkgs+=(nodejs)
  have npm || pkgs+=(npm)
  have python3 || pkgs+=(python3)
  apt_install "${pkgs[@]}"
}

ensure_rust() {
  # rustfmt and clippy come with rustup's default profile; a minimal profile lacks them.
  local need_components=()
  if ! have cargo; then
    say "Installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! have rustup; then
    echo "rustup is needed to add the wasm32-unknown-unknown target (Debian's rustc has no wasm32 standard library)." >&2
    exit 1
  fi
  have cargo-fmt || need_components+=(rustfmt)
  have cargo-clippy || need_components+=(clippy)
  if [ ${#need_components[@]} -gt 0 ]; then
    say "Adding Rust components: ${need_components[*]}"
    rustup component add "${need_components[@]}"
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if have trunk && trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then return 0; fi
  say "Installing trunk $TRUNK_VERSION (compiles from crates.io; about 20 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen() {
  if have wasm-bindgen && wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then return 0; fi
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

ensure_npm_packages() {
  # npm ci is exact; skip it when node_modules was installed from this very lock file.
  local stamp="node_modules/.mips-elections-lock.sha256" want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "Installing npm packages (CMS Design System, binaryen's wasm-opt, test tools)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
}

ensure_build_tools() {
  ensure_base_packages
  ensure_rust
  ensure_npm_packages
  ensure_wasm_bindgen
  ensure_trunk
}

# Style and architecture, in seconds: rustfmt, clippy (native and wasm32, warnings are errors)
# and tests/architecture.rs (which room imports which, no cycles, file and function sizes).
run_checks() {
  say "Checks: cargo fmt --check"
  cargo fmt --all -- --check
  say "Checks: clippy (native, all targets)"
  cargo clippy --all-targets --locked -- -D warnings
  say "Checks: clippy (wasm32: the SPA, its worker exports and component tests)"
  cargo clippy --target wasm32-unknown-unknown --lib --bins --tests --locked -- -D warnings
  say "Checks: architecture (tests/architecture.rs)"
  cargo test --locked --test architecture
}

# Builds the SPA into dist/ (release, size-optimised, wasm-opt from npm's binaryen).
build_spa() {
  say "Building the SPA (trunk build --release --offline)"
  trunk build --release --offline
  [ -f dist/config.json ] || { echo "dist/config.json missing" >&2; exit 1; }
}

# Skips the build when nothing that goes into dist/ changed since the last one (fast re-runs).
build_spa_if_changed() {
  local want
  want="$(cat Cargo.toml Cargo.lock Trunk.toml index.html package-lock.json \
    $(find src style public -type f | sort) | sha256sum | cut -d' ' -f1)"
  if [ -f dist/.build-hash ] && [ "$(cat dist/.build-hash)" = "$want" ] && [ -f dist/index.html ]; then
    say "SPA is up to date (dist/)"
    return 0
  fi
  build_spa
  echo "$want" >dist/.build-hash
}

build_server() {
  say "Building the server (release)"
  cargo build --release --bin mips-elections
}

# Starts a throwaway PostgreSQL on a free loopback port; sets MIPS_TEST_POSTGRES_URL.
# The server runs as the `postgres` OS user because initdb refuses to run as root.
start_throwaway_postgres() {
  apt_install postgresql
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/mips-elections-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  local as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    as_pg=(runuser -u postgres --)
  fi
  say "Starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
  "${as_pg[@]}" "$bindir/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  export MIPS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  PG_STOP=("${as_pg[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
}

stop_throwaway_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Starts the release server in the background on a free port; sets SERVER_URL and SERVER_PID.
# $1: DATABASE_URL; $2: log file; the rest: extra environment (KEY=value).
start_release_server() {
  local db="$1" log="$2"
  shift 2
  local port
  port="$(free_port)"
  env PORT="$port" DATABASE_URL="$db" RUST_LOG=warn "$@" ./target/release/mips-elections --demo >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fsS "$SERVER_URL/api/health" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.2
  done
  kill "$SERVER_PID" 2>/dev/null || true
  cat "$log" >&2
  return 1
}

# The load, hostile-input and crash suites (tests/load/) against the release server: on SQLite,
# and as two instances on one PostgreSQL (owner and application roles). Needs
# MIPS_TEST_POSTGRES_URL (start_throwaway_postgres). Output goes to stdout for the tally.
run_load_suites() {
  local dir="$1" started=() urls=() pids=() failed=0
  local admin="$MIPS_TEST_POSTGRES_URL" base
  base="${admin%/*}"
  # Each suite's failure is counted by the tally ("# fail N") and the run goes on, so that the
  # servers below are always stopped; nothing here may end the caller under `set -e`.
  suite() { "$@" || failed=1; }
  stop_servers() {
    kill "${started[@]}" 2>/dev/null || true
    wait "${started[@]}" 2>/dev/null || true
    started=()
  }

  say "Load, hostile input and crash: release server on SQLite"
  if start_release_server "sqlite:$dir/load.db" "$dir/load-sqlite.log"; then
    started+=("$SERVER_PID")
    suite env LOAD_BASES="$SERVER_URL" LOAD_PIDS="$SERVER_PID" LOAD_LABEL=sqlite \
      node --test --test-concurrency=1 tests/load/burst.test.mjs tests/load/hostile.test.mjs
    stop_servers
  else
    echo "# fail 1"; failed=1
  fi
  suite env CRASH_BIN=target/release/mips-elections CRASH_DB="sqlite:$dir/crash.db" CRASH_PORT="$(free_port)" \
    node --test tests/load/crash.test.mjs

  say "Load: one release server on PostgreSQL"
  psql "$admin" -qc "CREATE DATABASE load_one" >/dev/null || failed=1
  if start_release_server "$base/load_one" "$dir/load-pg.log"; then
    started+=("$SERVER_PID")
    suite env LOAD_BASES="$SERVER_URL" LOAD_PIDS="$SERVER_PID" LOAD_LABEL=postgres \
      node --test --test-concurrency=1 tests/load/burst.test.mjs
    stop_servers
  else
    echo "# fail 1"; failed=1
  fi

  say "Load: two release servers on one PostgreSQL (owner and application roles)"
  psql "$admin" -qc "CREATE ROLE load_owner LOGIN" -qc "CREATE ROLE load_app LOGIN" \
    -qc "CREATE DATABASE load_two OWNER load_owner" >/dev/null || failed=1
  local owner_url="${base/postgres@/load_owner@}/load_two" app_url="${base/postgres@/load_app@}/load_two"
  for i in 1 2; do
    if start_release_server "$app_url" "$dir/load-pg-$i.log" DATABASE_OWNER_URL="$owner_url"; then
      started+=("$SERVER_PID"); pids+=("$SERVER_PID"); urls+=("$SERVER_URL")
    else
      echo "# fail 1"; failed=1
    fi
  done
  if [ "${#urls[@]}" -eq 2 ]; then
    suite env LOAD_BASES="$(IFS=,; echo "${urls[*]}")" LOAD_PIDS="$(IFS=,; echo "${pids[*]}")" \
      LOAD_LABEL=postgres-two-instances node --test --test-concurrency=1 tests/load/burst.test.mjs
    suite env CRASH_BIN=target/release/mips-elections CRASH_DB="$app_url" DATABASE_OWNER_URL="$owner_url" \
      CRASH_PORT="$(free_port)" CRASH_ROUNDS=2 node --test tests/load/crash.test.mjs
  fi
  stop_servers
  [ "$failed" -eq 0 ] && echo "load suites: all passed" >&2 || echo "load suites: some failed (see '# fail' above)" >&2
  return 0
}
