#!/usr/bin/env bash
# Import throughput: N NDJSON invoices (default 1,000,000) into a fresh PostgreSQL
# database with `cli import`, timed, with the CLI's peak RSS (GNU time). Figures and the
# machine they were measured on: docs/benchmarks.md. Run it under the shared lock:
#   flock /work/wt/heavy.lock bench/import-invoices.sh 200000
set -euo pipefail
N=${1:-1000000}
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

node dist/src/cli/cli.js import customers "$DIR/customers.csv" >/dev/null
echo "import invoices: $N NDJSON lines"
/usr/bin/time -f 'peak RSS %M KiB, %e s wall, %U s user, %S s system' \
  node --max-old-space-size=384 dist/src/cli/cli.js import invoices "$DIR/invoices.ndjson"
echo "again (every line already there):"
/usr/bin/time -f 'peak RSS %M KiB, %e s wall' \
  node --max-old-space-size=384 dist/src/cli/cli.js import invoices "$DIR/invoices.ndjson"
