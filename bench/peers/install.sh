#!/bin/sh
# make deps-bench, its npm half: the two peers of make bench that are npm
# packages, DuckDB (@duckdb/node-api) and polars (nodejs-polars), at the
# exact versions of bench/peers/package-lock.json, into
# bench/peers/node_modules (which git ignores, and make clean leaves
# alone: it is 180 MB to fetch again), run by the machine's Node.js.
#
#   bench/peers/install.sh
#
# Node.js and npm: when either command is missing, Debian's nodejs and npm
# packages are installed (as root; as a normal user the command to run is
# printed). Both peers ship prebuilt engines for linux-x64 (glibc) that
# need Node.js 18 or later; Debian 12's node 18.20 runs them (checked in a
# fresh Debian 12 root), although nodejs-polars-linux-x64-gnu declares
# ">= 22" (npm only warns about that). Nothing is done when DIR already
# holds what the lock file pins. Exit status: 0 installed or already
# there, 1 on failure.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$TOP/bench/peers
LOCK=$DIR/package-lock.json
STAMP=$DIR/node_modules/.installed-lock.json
die() { echo "bench/peers/install.sh: $*" >&2; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing=""
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
	# shellcheck disable=SC2086  # one word per package
	"$TOP/scripts/deps.sh" $missing ||
		die "cannot install Debian's$missing (needed to run DuckDB and polars)"
fi
major=$(node -e 'process.stdout.write(process.versions.node.split(".")[0])') ||
	die "node does not run"
[ "$major" -ge 18 ] ||
	die "node $(node --version) is too old: DuckDB and polars need 18 or later"

# Installed already from this very lock file? (The stamp is its copy,
# written once npm ci has finished.)
if cmp -s "$LOCK" "$STAMP" && [ -d "$DIR/node_modules/@duckdb/node-api" ] &&
	[ -d "$DIR/node_modules/nodejs-polars" ]; then
	exit 0
fi
echo "deps-bench: npm ci of DuckDB and polars into $DIR/node_modules"
(cd "$DIR" && npm ci --ignore-scripts --no-audit --no-fund \
	--loglevel=error) || die "npm ci failed in $DIR"
cp "$LOCK" "$STAMP.tmp" && mv "$STAMP.tmp" "$STAMP" ||
	die "cannot write $STAMP"
