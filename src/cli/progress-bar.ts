import { SingleBar } from 'cli-progress';

const LINE_EVERY_MS = 5_000;

/**
 * A progress bar on stderr (stdout stays for the summary). When stderr is not a terminal,
 * a line every tenth of the way and every few seconds, so logs of long runs show life.
 */
export class ProgressBar {
  private readonly bar: SingleBar | undefined;
  private readonly startedAt = Date.now();
  private total: number;
  private lastTenth = -1;
  private lastLineAt = 0;
  private lastNote: string | null = null;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    total: number,
  ) {
    this.total = total;
    if (process.stderr.isTTY) {
      this.bar = new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}{note}`,
        stream: process.stderr,
        hideCursor: true,
      });
      this.bar.start(total, 0, { rate: 0, note: '' });
    }
  }

  /** `note`: what the work is waiting for, if anything (e.g. "provider unavailable, waiting"). */
  update(value: number, total = this.total, note: string | null = null): void {
    this.total = total;
    const rate = Math.round(value / Math.max((Date.now() - this.startedAt) / 1000, 0.001));
    const suffix = note === null ? '' : ` | ${note}`;
    if (this.bar) {
      this.bar.setTotal(total);
      this.bar.update(value, { rate, note: suffix });
      return;
    }
    // Totals can grow while we work (events keep arriving): print on time as well, and
    // at once when the note changes.
    const tenth = total > 0 ? Math.floor((value / total) * 10) : 10;
    const now = Date.now();
    if (
      tenth > this.lastTenth ||
      now - this.lastLineAt >= LINE_EVERY_MS ||
      note !== this.lastNote
    ) {
      this.lastTenth = tenth;
      this.lastLineAt = now;
      this.lastNote = note;
      process.stderr.write(`${this.label}: ${value}/${total} ${this.unit} (${rate}/s)${suffix}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
