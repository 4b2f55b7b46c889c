/**
 * Scripted provider outages (`--faults`): each outage starts once the simulator has
 * received a number of charge requests (a point in the run, whatever its speed) and is a
 * sequence of windows played back to back:
 * - `refused`: the listener is closed, connections are refused (the request never left);
 * - `500`: every charge is answered 500 without being processed (the caller cannot tell);
 * - `503`: answered 503 with `Retry-After`, not processed;
 * - `429`: answered 429 with `Retry-After`, not processed.
 *
 * Grammar: outages separated by `;`, each `<after-requests>:<kind>=<ms>[,<kind>=<ms>...]`,
 * e.g. `400:refused=6000,500=4000,429=4000`.
 */
export const FAULT_KINDS = ['refused', '500', '503', '429'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultWindow {
  readonly kind: FaultKind;
  readonly ms: number;
}

export interface ScriptedOutage {
  /** Charge requests received before the first window opens. */
  readonly afterRequests: number;
  readonly windows: readonly FaultWindow[];
}

export type FaultScriptParse =
  | { readonly ok: true; readonly outages: ScriptedOutage[] }
  | { readonly ok: false; readonly message: string };

const MAX_WINDOW_MS = 600_000;

export function parseFaultScript(text: string): FaultScriptParse {
  const outages: ScriptedOutage[] = [];
  for (const part of text.split(';').map((piece) => piece.trim())) {
    if (part === '') continue;
    const match = /^(\d+):(.+)$/.exec(part);
    if (!match) return fail(`"${part}" is not <after-requests>:<kind>=<ms>,...`);
    const windows: FaultWindow[] = [];
    for (const item of match[2].split(',').map((piece) => piece.trim())) {
      const window = /^([a-z0-9]+)=(\d+)$/.exec(item);
      if (!window || !(FAULT_KINDS as readonly string[]).includes(window[1])) {
        return fail(`"${item}" is not <kind>=<ms> with a kind from ${FAULT_KINDS.join(', ')}`);
      }
      const ms = Number(window[2]);
      if (ms < 1 || ms > MAX_WINDOW_MS) {
        return fail(`"${item}": a window lasts 1 to ${MAX_WINDOW_MS} ms`);
      }
      windows.push({ kind: window[1] as FaultKind, ms });
    }
    outages.push({ afterRequests: Number(match[1]), windows });
  }
  outages.sort((a, b) => a.afterRequests - b.afterRequests);
  return { ok: true, outages };
}

/** The script back as text (the chaos runner passes it on the simulator's command line). */
export function formatFaultScript(outages: readonly ScriptedOutage[]): string {
  return outages
    .map(
      ({ afterRequests, windows }) =>
        `${afterRequests}:${windows.map(({ kind, ms }) => `${kind}=${ms}`).join(',')}`,
    )
    .join(';');
}

function fail(message: string): FaultScriptParse {
  return { ok: false, message };
}
