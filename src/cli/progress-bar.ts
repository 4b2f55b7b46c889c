import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr (stdout stays for the summary), quiet when stderr is not a
 * terminal except for a line every tenth of the way, so logs of long CI runs show life.
 */
export class ProgressBar {
  private readonly bar: SingleBar | undefined;
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    total: number,
  ) {
    if (process.stderr.isTTY) {
      this.bar = new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      });
      this.bar.start(total, 0, { rate: 0 });
    }
    this.total = total;
    this.startedAt = Date.now();
  }

  private total: number;
  private readonly startedAt: number;

  update(value: number, total = this.total): void {
    this.total = total;
    const rate = Math.round(value / Math.max((Date.now() - this.startedAt) / 1000, 0.001));
    if (this.bar) {
      this.bar.setTotal(total);
      this.bar.update(value, { rate });
      return;
    }
    const tenth = total > 0 ? Math.floor((value / total) * 10) : 10;
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${this.label}: ${value}/${total} ${this.unit} (${rate}/s)\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
