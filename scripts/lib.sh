# Shared helpers for scripts/*. Source it; it defines no side effects.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$ROOT/scripts/versions.env"

# Binaries built from Go modules are cached here and reused by later runs.
CACHE_DIR="${S3IO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/s3-integration-operator}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_go() {
  command -v go >/dev/null 2>&1 || die "Go is needed to build the test servers from their modules; install Go 1.24 or newer"
}
