// Charges per second as the provider saw them, from the provider simulator's ledger
// (bench/rate-limit.sh): per fixed one-second window of its clock, the busiest sliding
// one-second window, and the mean rate. Usage: node bench/rate-limit-windows.mjs <ledger> [limit]
import { readFileSync } from 'node:fs';

const [file, limitText] = process.argv.slice(2);
const entries = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const times = entries.map((entry) => Date.parse(entry.at)).sort((a, b) => a - b);
const first = times[0];
const last = times[times.length - 1];

const perSecond = new Map();
for (const at of times) {
  const second = Math.floor(at / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}
const seconds = [...perSecond.keys()].sort((a, b) => a - b);
const counts = seconds.map((second) => perSecond.get(second));
// The first and last windows are partial: the run starts and ends inside them.
const full = counts.slice(1, -1);

let busiestSliding = 0;
for (let start = 0, end = 0; end < times.length; end++) {
  while (times[end] - times[start] >= 1000) start++;
  busiestSliding = Math.max(busiestSliding, end - start + 1);
}

const charges = new Map();
for (const entry of entries) charges.set(entry.invoiceId, (charges.get(entry.invoiceId) ?? 0) + 1);
const summary = {
  deliveries: entries.length,
  invoices: charges.size,
  span_s: Number(((last - first) / 1000).toFixed(2)),
  mean_per_s: Math.round(entries.length / ((last - first) / 1000)),
  mean_full_windows_per_s: Math.round(full.reduce((a, b) => a + b, 0) / Math.max(1, full.length)),
  busiest_fixed_window: Math.max(...counts),
  busiest_sliding_window: busiestSliding,
  quietest_full_window: full.length > 0 ? Math.min(...full) : null,
  windows: counts.join(' '),
};
const limit = Number(limitText);
if (Number.isFinite(limit)) {
  summary.windows_above_limit_plus_5pct = counts.filter((count) => count > limit * 1.05).length;
}
console.log(JSON.stringify(summary, null, 2));
