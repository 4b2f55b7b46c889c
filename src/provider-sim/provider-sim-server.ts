import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMoney } from '../shared/money';
import {
  CHARGE_STATUS,
  CHARGES_PATH,
  CLIENT_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  type ChargeRequestBody,
  type ChargeResponseBody,
  type LookupResponseBody,
  type ProviderErrorCode,
} from '../payments/http/http-provider-protocol';
import type { ChargeRequest } from '../payment-provider/payment-provider.port';
import { keyedUniform } from '../shared/keyed-random';
import { SimulatedPaymentProvider } from '../payments/simulated/simulated-payment-provider';
import { isCharged, type SimulatedOutcome } from '../payments/simulated/simulated-outcome';
import { FaultLogFile } from './fault-log';
import { FaultPlayer } from './fault-player';
import type { FaultKind } from './fault-script';
import { LOST_ANSWERS, type LostAnswer } from './lost-answer';
import type { ProviderSimOptions } from './provider-sim-options';

// Independent keyed draws (streams 0-2 are the provider's own).
const LOST_ANSWER_STREAM = 5;
const OUTAGE_STREAM = 6;
const MAX_BODY_BYTES = 64 * 1024;

export interface ProviderSimStats {
  /** Charge requests received, outages' refusals aside (those never arrive). */
  readonly requests: number;
  /** Requests processed into the ledger (idempotent replays are not). */
  readonly processed: number;
  /** Successful charges in the ledger: money that left customers' accounts. */
  readonly charged: number;
  readonly replays: number;
  /** Requests not processed: their processing deadline passed while they waited. */
  readonly expired: number;
  readonly lookups: number;
  readonly outages: number;
  /** Scripted outages started. */
  readonly scriptedOutages: number;
  /** Charge requests answered by a scripted window instead of being processed. */
  readonly faulted: Readonly<Record<Exclude<FaultKind, 'refused'>, number>>;
  readonly lostAnswers: Readonly<Record<LostAnswer, number>>;
  readonly outcomes: Readonly<Record<SimulatedOutcome, number>>;
}

/**
 * The payment-provider simulator as an HTTP server (the protocol is in
 * http-provider-protocol.ts). Outcomes come from SimulatedPaymentProvider, so a seed
 * replays the same story per idempotency key; this class adds the transport and its
 * faults: 503 before processing, answers lost after processing (dropped connection,
 * 500, or held past the client's timeout), windows of refused connections, and scripted
 * outages (fault-script.ts) of refused connections, 500s, 503s and 429s.
 * Every processed request is in the fsynced ledger file before any answer is sent.
 */
export class ProviderSimServer {
  readonly provider: SimulatedPaymentProvider;
  private readonly server: Server;
  private readonly held = new Set<NodeJS.Timeout>();
  private port = 0;
  private stopped = false;
  private outageTimer: NodeJS.Timeout | null = null;
  private counters = { requests: 0, lookups: 0, outages: 0, expired: 0 };
  private faulted = { '500': 0, '503': 0, '429': 0 };
  private readonly faults: FaultPlayer;
  private readonly faultLog: FaultLogFile | null;
  /** Answers go out with `connection: close` while the listener is closed. */
  private refusing = false;
  private lost = Object.fromEntries(LOST_ANSWERS.map((way) => [way, 0])) as Record<
    LostAnswer,
    number
  >;

  constructor(private readonly options: ProviderSimOptions) {
    this.provider = new SimulatedPaymentProvider(options.provider);
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        send(response, 500, { code: 'INTERNAL', message: (error as Error).message });
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.faultLog = options.faultLog ? new FaultLogFile(options.faultLog) : null;
    this.faults = new FaultPlayer(options.faults, {
      refuse: () => this.refuse(),
      accept: () => this.accept(),
      windowChanged: (outage, kind) => {
        const at = new Date().toISOString();
        this.faultLog?.append(
          kind === null
            ? { type: 'outage-ended', outage, at }
            : { type: 'window', outage, kind, at },
        );
      },
    });
  }

  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  /** False during a refused-connection window (and after stop). */
  get accepting(): boolean {
    return this.server.listening;
  }

  async start(): Promise<string> {
    this.server.listen(this.options.port, this.options.host);
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    this.scheduleOutage(0);
    return this.url;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.faults.stop();
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.held.forEach(clearTimeout);
    this.server.closeAllConnections();
    if (this.server.listening) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }

  stats(): ProviderSimStats {
    const outcomes = this.provider.ledger.countsByOutcome();
    const charged = (Object.entries(outcomes) as [SimulatedOutcome, number][])
      .filter(([outcome]) => isCharged(outcome))
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      ...this.counters,
      scriptedOutages: this.faults.started,
      faulted: { ...this.faulted },
      processed: this.provider.ledger.size,
      charged,
      replays: this.provider.replays,
      lostAnswers: { ...this.lost },
      outcomes,
    };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://sim').pathname;
    if (request.method === 'POST' && path === CHARGES_PATH) return this.charge(request, response);
    if (request.method === 'GET' && path.startsWith(`${CHARGES_PATH}/`)) {
      return this.lookup(decodeURIComponent(path.slice(CHARGES_PATH.length + 1)), response);
    }
    if (request.method === 'GET' && path === '/stats') return send(response, 200, this.stats());
    if (request.method === 'GET' && path === '/health') return send(response, 200, { ok: true });
    send(response, 404, error('NOT_FOUND', `no route ${request.method} ${path}`));
  }

  private async charge(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    this.counters.requests++;
    this.faults.requestArrived(this.counters.requests);
    const parsed = parseChargeRequest(request, await readBody(request));
    if (this.refusing) response.setHeader('connection', 'close');
    if (typeof parsed === 'string') return send(response, 400, error('BAD_REQUEST', parsed));
    const fault = this.faults.current;
    if (fault !== null && fault !== 'refused') {
      return this.fail(fault, parsed.idempotencyKey, response);
    }
    const client = header(request, CLIENT_HEADER);
    const deadlineMs = this.options.deadlineMs ?? null;
    const delivery =
      deadlineMs === null
        ? this.provider.deliver(parsed, client)
        : this.provider.deliverBy(parsed, client, arrivedAt + deadlineMs);
    const done = delivery instanceof Promise ? await delivery : delivery;
    if (done === null) {
      // Past the declared deadline: never processed, and the answer says so.
      this.counters.expired++;
      return send(
        response,
        503,
        error('UNAVAILABLE', 'not processed: past the processing deadline'),
      );
    }
    const { outcome, replay } = done;
    const answer = truthfulAnswer(parsed, outcome, replay);
    if (answer.lost) {
      const ways = this.options.lostAnswers;
      const u = keyedUniform(this.options.provider.seed, parsed.idempotencyKey, LOST_ANSWER_STREAM);
      const how = ways[Math.floor(u * ways.length)];
      this.lost[how]++;
      return this.loseAnswer(how, response, answer.status, answer.body);
    }
    send(response, answer.status, answer.body);
  }

  private async lookup(key: string, response: ServerResponse): Promise<void> {
    this.counters.lookups++;
    const lookup = this.provider.lookup;
    if (!lookup) {
      return send(response, 501, error('LOOKUP_NOT_SUPPORTED', 'this provider has no lookup'));
    }
    const body: LookupResponseBody = { idempotencyKey: key, result: await lookup(key) };
    send(response, 200, body);
  }

  private loseAnswer(
    how: LostAnswer,
    response: ServerResponse,
    status: number,
    body: ChargeResponseBody,
  ): void {
    switch (how) {
      case 'dropped':
        response.socket?.destroy();
        return;
      case 'error500':
        send(response, 500, error('INTERNAL', 'internal error'));
        return;
      case 'held': {
        // The truth, after the caller has given up: as a provider under load would.
        const timer = setTimeout(() => {
          this.held.delete(timer);
          send(response, status, body);
        }, this.options.stallMs);
        this.held.add(timer);
      }
    }
  }

  /** A scripted window's answer; nothing is processed. */
  private fail(
    kind: Exclude<FaultKind, 'refused'>,
    idempotencyKey: string,
    response: ServerResponse,
  ): void {
    this.faulted[kind]++;
    const outage = this.faults.outage ?? 0;
    const at = new Date().toISOString();
    this.faultLog?.append({ type: 'faulted', outage, kind, idempotencyKey, at });
    if (kind === '500') return send(response, 500, error('INTERNAL', 'internal error'));
    response.setHeader('retry-after', String(this.options.retryAfterS));
    if (kind === '503') {
      return send(response, 503, error('UNAVAILABLE', 'not processed; retry later'));
    }
    send(response, 429, error('RATE_LIMITED', 'too many requests; not processed'));
  }

  private refuse(): void {
    this.refusing = true;
    this.server.close();
    this.server.closeIdleConnections();
  }

  private accept(): void {
    this.refusing = false;
    if (!this.stopped && !this.server.listening) this.server.listen(this.port, this.options.host);
  }

  /** Refused connections: the listener closes for `outageMs`, at seeded intervals. */
  private scheduleOutage(n: number): void {
    const { outageEveryMs, outageMs, host, provider } = this.options;
    if (outageEveryMs === 0 || this.stopped) return;
    const wait = Math.round(
      outageEveryMs * (0.5 + keyedUniform(provider.seed, `outage-${n}`, OUTAGE_STREAM)),
    );
    this.outageTimer = setTimeout(() => {
      this.counters.outages++;
      this.server.close();
      this.server.closeIdleConnections();
      this.outageTimer = setTimeout(() => {
        if (this.stopped) return;
        this.server.listen(this.port, host);
        this.scheduleOutage(n + 1);
      }, outageMs);
    }, wait);
  }
}

interface Answer {
  readonly status: number;
  readonly body: ChargeResponseBody;
  /** The caller must not get it (an ambiguous outcome). */
  readonly lost: boolean;
}

function truthfulAnswer(
  request: ChargeRequest,
  outcome: SimulatedOutcome,
  replay: boolean,
): Answer {
  const answer = (status: number, body: ChargeResponseBody, lost = false) => ({
    status,
    body,
    lost,
  });
  switch (outcome) {
    case 'paid':
      return answer(CHARGE_STATUS.paid, { result: 'paid' });
    case 'declined':
      return answer(CHARGE_STATUS.declined, { result: 'declined' });
    case 'customer_not_found':
      return answer(
        CHARGE_STATUS.customerNotFound,
        error('CUSTOMER_NOT_FOUND', `no customer ${request.customerId}`),
      );
    case 'currency_mismatch':
      return answer(
        CHARGE_STATUS.currencyMismatch,
        error(
          'CURRENCY_MISMATCH',
          `customer ${request.customerId} does not pay in ${request.amount.currency}`,
        ),
      );
    case 'network_error':
      return answer(CHARGE_STATUS.notProcessed, error('UNAVAILABLE', 'not processed; retry later'));
    case 'ambiguous_charged':
      // An idempotent replay of a charge whose first answer was lost tells the truth.
      return answer(CHARGE_STATUS.paid, { result: 'paid' }, !replay);
    case 'ambiguous_not_charged':
      return answer(CHARGE_STATUS.notProcessed, error('UNAVAILABLE', 'not processed'), true);
  }
}

function parseChargeRequest(request: IncomingMessage, text: string): ChargeRequest | string {
  const idempotencyKey = header(request, IDEMPOTENCY_KEY_HEADER);
  if (!idempotencyKey) return `the ${IDEMPOTENCY_KEY_HEADER} header is required`;
  let body: Partial<ChargeRequestBody>;
  try {
    body = JSON.parse(text) as Partial<ChargeRequestBody>;
  } catch {
    return 'the body must be JSON';
  }
  if (typeof body.invoiceId !== 'string' || body.invoiceId === '') return 'invoiceId is required';
  if (typeof body.customerId !== 'string' || body.customerId === '')
    return 'customerId is required';
  const money = parseMoney(body.amount?.value, body.amount?.currency);
  if (!money.ok) return money.message;
  return {
    invoiceId: body.invoiceId,
    customerId: body.customerId,
    amount: money.money,
    idempotencyKey,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return '';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function error(code: ProviderErrorCode, message: string): ChargeResponseBody {
  return { code, message };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
