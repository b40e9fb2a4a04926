#!/usr/bin/env bash
# Proves the README's quickstart on a fresh clone, the long way: clones this repository's HEAD
# (committed files only) into a temporary directory, runs `npm start` there exactly as a new user
# would (scripts/ensure.mjs runs `npm ci`, which builds better-sqlite3, then compiles src/ to
# dist/), waits until it prints how to use kubectl, runs `kubectl get ns` and `kubectl get
# clusters` with the kubeconfig it printed, stops it with SIGTERM and prints how long each step
# took. For humans and CI; `npm test` runs the quick variant (test/e2e/fresh-clone.test.ts),
# which reuses this checkout's node_modules.
#
# Usage: scripts/fresh-clone-check.sh
# Environment:
#   FRESH_CLONE_PORT     control plane port (default 0: a free one; the README's default is 6443)
#   FRESH_CLONE_KEEP=1   keep the temporary directory (its path is printed)
#   FRESH_CLONE_TIMEOUT  seconds to wait for `npm start` to be ready (default 900)
#   KUBECTL              kubectl to use (default: kubectl on the PATH)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
port=${FRESH_CLONE_PORT:-0}
timeout=${FRESH_CLONE_TIMEOUT:-900}
kubectl=${KUBECTL:-kubectl}
work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-fresh-clone-XXXXXX")
clone=$work/flotilla
pid=

cleanup() {
  local rc=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # npm start runs in its own process group (setsid below): stop that group only.
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  if [ "${FRESH_CLONE_KEEP:-}" = 1 ] || [ $rc -ne 0 ]; then
    echo "fresh-clone: kept $work (logs: $work/start.out, $work/start.err)" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
git clone --quiet --no-hardlinks "$src" "$clone"
echo "fresh-clone: cloned $(git -C "$clone" rev-parse --short HEAD) into $clone"
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
  echo "fresh-clone: note: uncommitted changes in $src are not part of the clone" >&2
fi

cd "$clone"
t1=$(now)
setsid npm start -- --port "$port" >"$work/start.out" 2>"$work/start.err" </dev/null &
pid=$!

# Ready when `flotilla up` prints its ready line (stdout) and how to use kubectl (stderr).
deadline=$(( $(date +%s) + timeout ))
until grep -q '^flotilla up ready ' "$work/start.out" 2>/dev/null && grep -q 'export KUBECONFIG=' "$work/start.err" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "fresh-clone: npm start exited before it was ready" >&2
    tail -n 40 "$work/start.err" >&2
    exit 1
  fi
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "fresh-clone: npm start not ready after ${timeout}s" >&2
    tail -n 40 "$work/start.err" >&2
    exit 1
  fi
  sleep 1
done
t2=$(now)

kubeconfig=$(sed -n 's/^ *export KUBECONFIG=\(.*\)$/\1/p' "$work/start.err" | head -n 1)
echo "fresh-clone: npm start printed: export KUBECONFIG=$kubeconfig"
"$kubectl" --kubeconfig "$kubeconfig" get ns
"$kubectl" --kubeconfig "$kubeconfig" get clusters
t3=$(now)

# A clean stop: SIGTERM to flotilla up itself (its pid is in .flotilla/sim.json), then npm exits.
up_pid=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(".flotilla/sim.json","utf8")).pid)')
kill -TERM "$up_pid"
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "fresh-clone: npm start did not exit within 30 s of SIGTERM" >&2
  exit 1
fi
wait "$pid" || true
pid=
t4=$(now)

echo "fresh-clone: OK  clone $(secs "$t0" "$t1")s, npm start to ready $(secs "$t1" "$t2")s (install + build + up), kubectl $(secs "$t2" "$t3")s, stop $(secs "$t3" "$t4")s, total $(secs "$t0" "$t4")s"
