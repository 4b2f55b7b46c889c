#!/usr/bin/env bash
# PAYMENT_PROVIDER_MAX_RPS measured at the provider (issue 15): N pending invoices
# (default 10,000) on a fresh PostgreSQL, billed by K instances (separate `cli billing run
# --period` processes that join one run, default 1) with BILLING_CONCURRENCY=256 through
# the HTTP provider simulator at 20 ms; the simulator's ledger gives the charges per
# second it received (bench/rate-limit-windows.mjs). RPS "none" leaves the limit unset
# (the "before" figure). Figures: docs/benchmarks.md. Run it under the shared lock:
#   flock /work/wt/heavy.lock bench/rate-limit.sh 3 200 10000
set -euo pipefail
INSTANCES=${1:-1}
RPS=${2:-200}
N=${3:-10000}
ADMIN=${TEST_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB="antaeus_bench_rate_$$"
DIR=$(mktemp -d)
SIM=""
cleanup() {
  [ -n "$SIM" ] && kill "$SIM" 2>/dev/null || true
  psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
psql "$ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${ADMIN%/*}/$DB" ANTAEUS_SEED=false LOG_LEVEL=warn

npm run --silent build
node --enable-source-maps dist/src/provider-sim/main.js --port 0 --ledger "$DIR/ledger.jsonl" \
  --mode idempotent --latency-ms 20 --jitter-ms 0 --declined-rate 0 \
  --customer-not-found-rate 0 --currency-mismatch-rate 0 --unavailable-rate 0 \
  --ambiguous-charged-rate 0 --ambiguous-not-charged-rate 0 >"$DIR/sim.out" 2>&1 &
SIM=$!
for _ in $(seq 100); do grep -q listening "$DIR/sim.out" && break; sleep 0.1; done
URL=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).url)' "$DIR/sim.out")

node --enable-source-maps dist/src/cli/cli.js seed --customers "$N" --invoices-per-customer 1 \
  --paid-per-customer 0 >/dev/null
export PAYMENT_PROVIDER=http PAYMENT_PROVIDER_URL="$URL" PAYMENT_PROVIDER_IDEMPOTENT=true \
  BILLING_CONCURRENCY=256
[ "$RPS" != none ] && export PAYMENT_PROVIDER_MAX_RPS="$RPS"
PERIOD=$(date -u +%Y-%m)

echo "instances $INSTANCES, PAYMENT_PROVIDER_MAX_RPS=${RPS}, $N invoices, BILLING_CONCURRENCY=256, provider 20 ms"
echo "load averages before: $(cat /proc/loadavg)"
pids=()
for i in $(seq "$INSTANCES"); do
  ANTAEUS_INSTANCE_ID="bench-$i" node --enable-source-maps --max-old-space-size=384 \
    dist/src/cli/cli.js billing run --period "$PERIOD" >"$DIR/instance-$i.out" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
echo "load averages after: $(cat /proc/loadavg)"
for i in $(seq "$INSTANCES"); do grep -E '^(Started|Joined|Billing run|  )' "$DIR/instance-$i.out" | sed "s/^/[bench-$i] /"; done
[ "$status" -eq 0 ] || { echo "an instance failed:"; tail -20 "$DIR"/instance-*.out; exit 1; }
node bench/rate-limit-windows.mjs "$DIR/ledger.jsonl" "${RPS}"
