import { request, type ClientRequest, type IncomingMessage } from 'node:http';

/** One Server-Sent Events message: its id and data (comments and retry lines skipped). */
export interface SseMessage {
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * A minimal SSE client over node:http, for tests: open() resolves once the answer's
 * headers arrive; next() returns messages in order; close() disconnects as a client
 * that goes away does.
 */
export class SseConnection {
  private readonly queue: SseMessage[] = [];
  private readonly waiters: ((message: SseMessage | null) => void)[] = [];
  private buffer = '';
  private ended = false;

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    response.on('close', () => this.end());
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } });
      req.on('response', (response) => resolve(new SseConnection(req, response)));
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  /** The next message; rejects when the stream ends or none comes within `timeoutMs`. */
  next(timeoutMs = 10_000): Promise<SseMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(new Error('the event stream has ended'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no event within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (message: SseMessage | null) => {
        clearTimeout(timer);
        if (message) resolve(message);
        else reject(new Error('the event stream has ended'));
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.req.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message = parseBlock(block);
      if (message) this.deliver(message);
    }
  }

  private deliver(message: SseMessage): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(message);
    else this.queue.push(message);
  }

  private end(): void {
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter(null);
  }
}

function parseBlock(block: string): SseMessage | null {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  return data.length > 0 ? { id, data: data.join('\n') } : null;
}
