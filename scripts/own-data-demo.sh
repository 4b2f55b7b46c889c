#!/usr/bin/env bash
# The README's quick start as one script: starts the service on a fresh embedded store
# (PGlite in a temporary directory), bills a customer's own invoices over REST and prints
# each request and answer. Needs curl and jq, and a build (`npm run build`).
#
#   scripts/own-data-demo.sh [PORT]        # default port 7100
#
# What it shows: a customer registered; one invoice created twice with one
# Idempotency-Key (the same answer, one invoice); a batch with one invalid entry (400,
# nothing written) and then a valid one; a void and a second void refused; a billing run
# that charges the invoices due and leaves the one not yet due PENDING.
set -euo pipefail

PORT="${1:-7100}"
BASE="http://127.0.0.1:$PORT"
# A throwaway token for this demo's own service; it is never printed.
TOKEN="demo-$(head -c 18 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')"
DATA="$(mktemp -d)"
cd "$(dirname "$0")/.."
[ -f dist/src/main.js ] || { echo "build first: npm run build" >&2; exit 2; }

ANTAEUS_DATA_DIR="$DATA" PORT="$PORT" ANTAEUS_API_TOKEN="$TOKEN" ANTAEUS_SEED=false \
  LOG_LEVEL=warn node --enable-source-maps dist/src/main.js >"$DATA/service.log" 2>&1 &
SERVICE=$!
trap 'kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null || true; rm -rf "$DATA"' EXIT

deadline=$((SECONDS + 60))
until curl -sf "$BASE/rest/health" >/dev/null; do
  if ((SECONDS > deadline)) || ! kill -0 "$SERVICE" 2>/dev/null; then
    echo "the service did not become healthy; its log:" >&2
    cat "$DATA/service.log" >&2
    exit 1
  fi
  sleep 0.2
done

# call METHOD PATH [BODY] [extra curl args...]: prints the request, then the status and
# the answer (compact JSON).
call() {
  local method=$1 path=$2 body=${3:-} shown
  shift 3 || shift $#
  shown="\$ $method $path"
  for arg in "$@"; do [[ $arg == Idempotency-Key:* ]] && shown+="  ($arg)"; done
  [ -n "$body" ] && shown+="  $body"
  echo "$shown"
  local args=(-s -o "$DATA/answer" -w '%{http_code}' -X "$method" "$BASE$path"
    -H "Authorization: Bearer $TOKEN")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  for arg in "$@"; do args+=(-H "$arg"); done
  local status
  status=$(curl "${args[@]}")
  echo "  -> $status $(jq -c . "$DATA/answer" 2>/dev/null || cat "$DATA/answer")"
}

# waits until GET PATH's jq FILTER prints true (60 s at most)
await() {
  local path=$1 filter=$2 until=$((SECONDS + 60))
  until curl -sf -H "Authorization: Bearer $TOKEN" "$BASE$path" | jq -e "$filter" >/dev/null; do
    ((SECONDS < until)) || { echo "timed out waiting for $path to satisfy $filter" >&2; exit 1; }
    sleep 0.2
  done
}

echo "# a customer"
call POST /rest/v1/customers '{"id":"acme","currency":"EUR","name":"Acme Ltd"}'

echo
echo "# one invoice, created twice with one Idempotency-Key: the same answer, one invoice"
INVOICE='{"id":"inv-1","customerId":"acme","amount":{"value":"10.50","currency":"EUR"}}'
call POST /rest/v1/invoices "$INVOICE" 'Idempotency-Key: create-inv-1'
call POST /rest/v1/invoices "$INVOICE" 'Idempotency-Key: create-inv-1'
call POST /rest/v1/invoices '{"id":"inv-1b","customerId":"acme","amount":{"value":"99.00","currency":"EUR"}}' \
  'Idempotency-Key: create-inv-1'

echo
echo "# a batch with invalid entries: 400 naming each, nothing written"
call POST /rest/v1/invoices/batch '{"invoices":[{"id":"inv-2","customerId":"acme","amount":{"value":"20.00","currency":"EUR"}},{"id":"inv-3","customerId":"acme","amount":{"value":"10.005","currency":"EUR"}},{"id":"inv-4","customerId":"nobody","amount":{"value":"5.00","currency":"EUR"}}]}'
call GET /rest/v1/invoices/inv-2

echo
echo "# the batch again, valid: inv-3 due in 2099"
call POST /rest/v1/invoices/batch '{"invoices":[{"id":"inv-2","customerId":"acme","amount":{"value":"20.00","currency":"EUR"}},{"id":"inv-3","customerId":"acme","amount":{"value":"12.00","currency":"EUR"},"dueDate":"2099-01-15"},{"id":"inv-5","customerId":"acme","amount":{"value":"7.00","currency":"EUR"}}]}'

echo
echo "# a void, and a second one refused"
call POST /rest/v1/invoices/inv-5/void '{"reason":"sent by mistake"}'
call POST /rest/v1/invoices/inv-5/void '{"reason":"again"}'

echo
echo "# a billing run: charges what is due, leaves inv-3 (due 2099-01-15) PENDING"
call POST /rest/v1/billing-runs '{}'
RUN=$(jq -r .runId "$DATA/answer")
await "/rest/v1/billing-runs/$RUN" '.status == "COMPLETED"'
call GET "/rest/v1/billing-runs/$RUN"
for id in inv-1 inv-2 inv-3 inv-5; do
  echo "\$ GET /rest/v1/invoices/$id  (id, status, dueDate, attempts)"
  echo "  -> $(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/rest/v1/invoices/$id" |
    jq -c '{id, status, dueDate, attempts}')"
done
echo "\$ GET /rest/v1/invoices/status/VOID  (ids)"
echo "  -> $(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/rest/v1/invoices/status/VOID" |
  jq -c '[.items[]?.id // .[]?.id]')"
