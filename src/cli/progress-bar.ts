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

  constructor(
    private readonly label: string,
    private readonly unit: string,
    total: number,
  ) {
    this.total = total;
    if (process.stderr.isTTY) {
      this.bar = new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      });
      this.bar.start(total, 0, { rate: 0 });
    }
  }

  update(value: number, total = this.total): void {
    this.total = total;
    const rate = Math.round(value / Math.max((Date.now() - this.startedAt) / 1000, 0.001));
    if (this.bar) {
      this.bar.setTotal(total);
      this.bar.update(value, { rate });
      return;
    }
    // Totals can grow while we work (events keep arriving): print on time as well.
    const tenth = total > 0 ? Math.floor((value / total) * 10) : 10;
    const now = Date.now();
    if (tenth > this.lastTenth || now - this.lastLineAt >= LINE_EVERY_MS) {
      this.lastTenth = tenth;
      this.lastLineAt = now;
      process.stderr.write(`${this.label}: ${value}/${total} ${this.unit} (${rate}/s)\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
