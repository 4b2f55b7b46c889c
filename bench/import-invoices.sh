#!/usr/bin/env bash
# Import throughput: N NDJSON invoices (default 1,000,000) into a fresh PostgreSQL
# database with `cli import`, timed, with the CLI's peak RSS (GNU time). Figures and the
# machine they were measured on: docs/benchmarks.md. Also the CPU seconds of the
# database's backends for this database (sampled from /proc, so PostgreSQL on this host)
# and the load averages. Extra node flags for the import runs: IMPORT_NODE_FLAGS, e.g.
# "--max-semi-space-size=64". Run it under the shared lock:
#   flock /work/wt/heavy.lock bench/import-invoices.sh 200000
set -euo pipefail
N=${1:-1000000}
read -r -a EXTRA <<<"${IMPORT_NODE_FLAGS:-}"
ADMIN=${TEST_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB="antaeus_bench_import_$$"
DIR=$(mktemp -d)
trap 'psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null; rm -rf "$DIR"' EXIT
psql "$ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${ADMIN%/*}/$DB" ANTAEUS_SEED=false LOG_LEVEL=warn

npm run --silent build
node -e '
  const n = Number(process.argv[1]);
  const out = require("fs").createWriteStream(process.argv[2]);
  (async () => {
    for (let i = 0; i < n; i++) {
      const line = JSON.stringify({ id: `bench-${i}`, customerId: `c-${i % 1000}`,
        amount: { value: `${(i % 900) + 1}.50`, currency: "EUR" } }) + "\n";
      if (!out.write(line)) await new Promise((r) => out.once("drain", r));
    }
    out.end();
  })();' "$N" "$DIR/invoices.ndjson"
node -e '
  const out = [];
  out.push("id,currency");
  for (let i = 0; i < 1000; i++) out.push(`c-${i},EUR`);
  require("fs").writeFileSync(process.argv[1], out.join("\n") + "\n");' "$DIR/customers.csv"

# The CPU ticks of each backend serving $DB, sampled until killed; their sum on exit.
backend_cpu() {
  declare -A ticks
  trap 'total=0; for pid in "${!ticks[@]}"; do total=$((total + ticks[$pid])); done
        printf "PostgreSQL backends: %d.%02d s CPU\n" $((total / 100)) $((total % 100)); exit 0' TERM
  while true; do
    for pid in $(psql "$ADMIN" -XAtqc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'"); do
      # A backend may end between the list and the read: keep its last sample.
      if cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null); then ticks[$pid]=$cpu; fi
    done
    sleep 0.5
  done
}

import_invoices() {
  echo "load averages before: $(cat /proc/loadavg)"
  backend_cpu & local sampler=$!
  /usr/bin/time -f 'peak RSS %M KiB, %e s wall, %U s user, %S s system' \
    node --enable-source-maps --max-old-space-size=384 --max-semi-space-size=32 "${EXTRA[@]}" \
    dist/src/cli/cli.js import invoices "$DIR/invoices.ndjson"
  kill -TERM "$sampler"
  wait "$sampler" || true
  echo "load averages after: $(cat /proc/loadavg)"
}

node dist/src/cli/cli.js import customers "$DIR/customers.csv" >/dev/null
echo "import invoices: $N NDJSON lines, node flags: ${IMPORT_NODE_FLAGS:-(those of npm run cli)}"
import_invoices
echo "again (every line already there):"
import_invoices
