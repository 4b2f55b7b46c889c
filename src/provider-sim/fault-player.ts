import type { FaultKind, ScriptedOutage } from './fault-script';

/** What the server does when a refused-connection window opens and closes. */
export interface Listener {
  refuse(): void;
  accept(): void;
  /** A window of outage `outage` (1-based, in script order) opened; `kind` null: the outage ended. */
  windowChanged?(outage: number, kind: FaultKind | null): void;
}

/**
 * Plays a fault script: each outage starts when the request count reaches its point,
 * then its windows run back to back on timers. `current` is the window in force.
 */
export class FaultPlayer {
  private next = 0;
  private kind: FaultKind | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private played = 0;

  constructor(
    private readonly outages: readonly ScriptedOutage[],
    private readonly listener: Listener,
  ) {}

  get current(): FaultKind | null {
    return this.kind;
  }

  /** Outages started so far. */
  get started(): number {
    return this.played;
  }

  /** The outage playing now (1-based, as `started` counts them); null between outages. */
  get outage(): number | null {
    return this.kind === null ? null : this.played;
  }

  /** A charge request arrived; `count` requests so far. */
  requestArrived(count: number): void {
    const outage = this.outages[this.next];
    if (!outage || this.stopped || this.kind !== null || count < outage.afterRequests) return;
    this.next++;
    this.played++;
    this.play(outage, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private play(outage: ScriptedOutage, index: number): void {
    if (this.kind === 'refused') this.listener.accept();
    const window = outage.windows[index];
    if (!window || this.stopped) {
      this.kind = null;
      if (!this.stopped) this.listener.windowChanged?.(this.played, null);
      return;
    }
    this.kind = window.kind;
    this.listener.windowChanged?.(this.played, window.kind);
    if (window.kind === 'refused') this.listener.refuse();
    this.timer = setTimeout(() => this.play(outage, index + 1), window.ms);
  }
}
