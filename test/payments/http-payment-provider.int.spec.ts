import type { FaultLogEntry } from '../../src/provider-sim/fault-log';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpPaymentProvider } from '../../src/payments/http/http-payment-provider';
import type { HttpProviderConfig } from '../../src/config/http-provider-config';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import type { SimulatedOutcome } from '../../src/payments/simulated/simulated-outcome';
import { DEFAULT_SIMULATED_PROVIDER_CONFIG } from '../../src/config/simulated-provider-config';
import type { LostAnswer } from '../../src/provider-sim/lost-answer';
import type { ProviderSimOptions } from '../../src/provider-sim/provider-sim-options';
import type { ProviderSimServer } from '../../src/provider-sim/provider-sim-server';
import { startProviderSim } from '../support/provider-sim';
import { waitFor } from '../support/wait-for';
import { chargeRequest } from './support/charge-requests';

/** Long enough for a loaded machine: only a held answer should ever time out. */
const CLIENT_TIMEOUT_MS = 5_000;
/** How long the client waits for an answer the simulator holds forever. */
const HELD_ANSWER_TIMEOUT_MS = 300;

/** What the caller saw: the answer, or the error's code and whether it may have been charged. */
async function answer(provider: HttpPaymentProvider, invoice: number): Promise<unknown> {
  try {
    return await provider.charge(chargeRequest(invoice));
  } catch (error) {
    const { code, mayHaveReachedProvider } = error as {
      code: string;
      mayHaveReachedProvider?: boolean;
    };
    return mayHaveReachedProvider === undefined ? code : { code, mayHaveReachedProvider };
  }
}

const NOT_SENT = { code: 'NETWORK_ERROR', mayHaveReachedProvider: false };
const AMBIGUOUS = { code: 'NETWORK_ERROR', mayHaveReachedProvider: true };

describe('HttpPaymentProvider against the provider simulator', () => {
  let dir: string;
  const servers: ProviderSimServer[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'antaeus-http-provider-'));
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function simulator(
    settings: Partial<Omit<ProviderSimOptions, 'provider'>> & {
      idempotent?: boolean;
      lookup?: boolean;
    } = {},
  ): Promise<ProviderSimServer> {
    const { idempotent = true, lookup = true, ...transport } = settings;
    const server = await startProviderSim(
      join(dir, `ledger-${servers.length}.jsonl`),
      {
        rates: { ...DEFAULT_SIMULATED_PROVIDER_CONFIG.rates, declined: 0, network_error: 0 },
        idempotent,
        lookup,
      },
      transport,
    );
    servers.push(server);
    return server;
  }

  function client(server: ProviderSimServer, settings: Partial<HttpProviderConfig> = {}) {
    return new HttpPaymentProvider({
      url: server.url,
      timeoutMs: CLIENT_TIMEOUT_MS,
      idempotent: true,
      lookup: true,
      clientId: 'instance-1',
      ...settings,
    });
  }

  function script(server: ProviderSimServer, invoice: number, ...outcomes: SimulatedOutcome[]) {
    const [first, ...rest] = outcomes;
    server.provider.scriptKey(chargeRequest(invoice).idempotencyKey, first, ...rest);
  }

  it('maps every definite answer to the port, and the ledger names the caller', async () => {
    const server = await simulator();
    const provider = client(server);
    script(server, 1, 'paid');
    script(server, 2, 'declined');
    script(server, 3, 'customer_not_found');
    script(server, 4, 'currency_mismatch');
    script(server, 5, 'network_error');

    expect(await answer(provider, 1)).toBe(true);
    expect(await answer(provider, 2)).toBe(false);
    expect(await answer(provider, 3)).toBe('CUSTOMER_NOT_FOUND');
    expect(await answer(provider, 4)).toBe('CURRENCY_MISMATCH');
    expect(await answer(provider, 5)).toEqual(NOT_SENT);

    const ledger = readLedgerFile(server.provider.config.ledgerFile!);
    expect(
      ledger.entries.map(({ invoiceId, outcome, client }) => [invoiceId, outcome, client]),
    ).toEqual([
      ['1', 'paid', 'instance-1'],
      ['2', 'declined', 'instance-1'],
      ['3', 'customer_not_found', 'instance-1'],
      ['4', 'currency_mismatch', 'instance-1'],
      ['5', 'network_error', 'instance-1'],
    ]);
    expect(ledger.entries[0].amount).toEqual(chargeRequest(1).amount);
  });

  it.each<LostAnswer>(['dropped', 'error500', 'held'])(
    'an answer lost by "%s" is ambiguous, charged or not',
    async (way) => {
      const server = await simulator({ lostAnswers: [way] });
      const provider = client(server, {
        lookup: false,
        ...(way === 'held' ? { timeoutMs: HELD_ANSWER_TIMEOUT_MS } : {}),
      });
      script(server, 1, 'ambiguous_charged');
      script(server, 2, 'ambiguous_not_charged');

      expect(await answer(provider, 1)).toEqual(AMBIGUOUS);
      expect(await answer(provider, 2)).toEqual(AMBIGUOUS);
      expect(readLedgerFile(server.provider.config.ledgerFile!).chargesByInvoice).toEqual(
        new Map([['1', 1]]),
      );
      expect(server.stats().lostAnswers[way]).toBe(2);
    },
  );

  it('an idempotent simulator answers a retried key with the first result and charges once', async () => {
    const server = await simulator({ idempotent: true });
    const provider = client(server);
    script(server, 1, 'ambiguous_charged', 'paid');

    expect(await answer(provider, 1)).toEqual(AMBIGUOUS);
    expect(await answer(provider, 1)).toBe(true);
    expect(readLedgerFile(server.provider.config.ledgerFile!).chargesByInvoice.get('1')).toBe(1);
    expect(server.stats().replays).toBe(1);
  });

  it('a non-idempotent simulator ignores the key: the same retry charges twice', async () => {
    const server = await simulator({ idempotent: false });
    const provider = client(server, { idempotent: false });
    script(server, 1, 'ambiguous_charged', 'paid');

    expect(await answer(provider, 1)).toEqual(AMBIGUOUS);
    expect(await answer(provider, 1)).toBe(true);
    expect(readLedgerFile(server.provider.config.ledgerFile!).doubleCharges).toEqual(['1']);
  });

  it('a refused connection never reached the provider', async () => {
    const server = await simulator();
    const provider = client(server);
    await server.stop();
    expect(await answer(provider, 1)).toEqual(NOT_SENT);
  });

  it('refuses connections during seeded outages and serves again after them', async () => {
    // Gaps of 0.5–1.5 s between outages: a request sent as an outage ends is answered
    // before the next one closes the listener (a gap of a few ms could close its
    // connection under it, and the client rightly calls that ambiguous).
    const server = await simulator({ outageEveryMs: 1_000, outageMs: 500 });
    const provider = client(server);
    await waitFor(() => !server.accepting, { timeoutMs: 5_000, message: 'an outage' });
    expect(await answer(provider, 1)).toEqual(NOT_SENT);
    await waitFor(() => server.accepting, { timeoutMs: 5_000, message: 'the end of the outage' });
    script(server, 2, 'paid');
    expect(await answer(provider, 2)).toBe(true);
    expect(server.stats().outages).toBeGreaterThanOrEqual(1);
  });

  it('plays a scripted outage after N requests: refused, 500, 503 and 429 with Retry-After, then serves again', async () => {
    const faultLog = join(dir, 'faults.jsonl');
    const server = await simulator({
      retryAfterS: 2,
      faultLog,
      faults: [
        {
          afterRequests: 2,
          windows: [
            { kind: 'refused', ms: 400 },
            { kind: '500', ms: 300 },
            { kind: '503', ms: 300 },
            { kind: '429', ms: 300 },
          ],
        },
      ],
    });
    const provider = client(server);
    script(server, 1, 'paid');
    script(server, 2, 'paid');
    expect(await answer(provider, 1)).toBe(true);
    // The second request starts the outage; it arrived before the listener closed.
    expect(await answer(provider, 2)).toBe(true);
    await waitFor(() => !server.accepting, { timeoutMs: 2_000, message: 'the refused window' });
    expect(await answer(provider, 3)).toEqual(NOT_SENT);
    const seen = new Map<string, unknown>();
    const answeredBy = new Map<string, string>();
    for (let invoice = 4; seen.size < 3; invoice++) {
      const started = Date.now();
      try {
        await provider.charge(chargeRequest(invoice));
      } catch (error) {
        const { mayHaveReachedProvider, throttled, retryAfterMs, message } = error as {
          mayHaveReachedProvider: boolean;
          throttled: boolean;
          retryAfterMs: number | null;
          message: string;
        };
        const kind = /\((\d{3})/.exec(message)?.[1] ?? 'refused';
        if (kind !== 'refused') {
          seen.set(kind, { mayHaveReachedProvider, throttled, retryAfterMs });
          answeredBy.set(chargeRequest(invoice).idempotencyKey, kind);
        }
      }
      if (Date.now() - started < 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(invoice).toBeLessThan(500);
    }
    expect(Object.fromEntries(seen)).toEqual({
      '500': { mayHaveReachedProvider: true, throttled: false, retryAfterMs: null },
      '503': { mayHaveReachedProvider: false, throttled: false, retryAfterMs: 2_000 },
      '429': { mayHaveReachedProvider: false, throttled: true, retryAfterMs: 2_000 },
    });
    await waitFor(() => server.stats().faulted['429'] > 0 && server.accepting, {
      timeoutMs: 2_000,
      message: 'the 429 window',
    });
    // Nothing answered by a window was processed; after the outage charges go through.
    await new Promise((resolve) => setTimeout(resolve, 350));
    script(server, 1000, 'paid');
    expect(await answer(provider, 1000)).toBe(true);
    expect(
      readLedgerFile(server.provider.config.ledgerFile!).entries.map((e) => e.invoiceId),
    ).toEqual(['1', '2', '1000']);
    expect(server.stats().scriptedOutages).toBe(1);
    // The fault log says when each window opened and which keys each answered.
    const log = readFileSync(faultLog, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as FaultLogEntry);
    const opened = log.flatMap((entry) => (entry.type === 'window' ? [entry.kind] : []));
    expect(opened).toEqual(['refused', '500', '503', '429']);
    expect(log.filter((entry) => entry.type === 'outage-ended')).toHaveLength(1);
    const faulted = log.flatMap((entry) =>
      entry.type === 'faulted' ? [[entry.idempotencyKey, entry.kind] as const] : [],
    );
    expect(new Map(faulted)).toEqual(answeredBy);
  });

  it('a 4xx the protocol does not name is a definite refusal', async () => {
    const server = await simulator();
    const provider = client(server);
    const request = { ...chargeRequest(1), idempotencyKey: '' };
    await expect(provider.charge(request)).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
      status: 400,
    });
  });

  it('looks up what happened to a key', async () => {
    const server = await simulator({ lostAnswers: ['dropped'] });
    const provider = client(server);
    script(server, 1, 'ambiguous_charged');
    script(server, 2, 'declined');
    await answer(provider, 1);
    await answer(provider, 2);

    expect(await provider.lookup!(chargeRequest(1).idempotencyKey)).toBe('paid');
    expect(await provider.lookup!(chargeRequest(2).idempotencyKey)).toBe('declined');
    expect(await provider.lookup!(chargeRequest(3).idempotencyKey)).toBe('not_found');
  });

  it('has no lookup unless configured, and a failed lookup throws', async () => {
    const server = await simulator({ lookup: false });
    expect(client(server, { lookup: false }).lookup).toBeUndefined();
    await expect(
      client(server, { lookup: true }).lookup!(chargeRequest(1).idempotencyKey),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('501') });
  });

  it('refuses a request without a key or with a bad amount, charging nothing', async () => {
    const server = await simulator();
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${server.url}/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const good = { invoiceId: '1', customerId: 'c', amount: { value: '1.00', currency: 'EUR' } };

    expect(await post({}, good)).toEqual({
      status: 400,
      body: { code: 'BAD_REQUEST', message: 'the idempotency-key header is required' },
    });
    expect(
      await post({ 'idempotency-key': 'k' }, { ...good, amount: { value: '1', currency: 'XYZ' } }),
    ).toMatchObject({ status: 400, body: { message: expect.stringContaining('currency') } });
    expect(server.stats().processed).toBe(0);
  });
});
