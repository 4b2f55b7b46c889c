import { cpuUse, CpuMeter } from '../cpu/cpu-meter';
import { measurement, secondsSince, type Measurement } from '../measurement';

/** Appends one event to `stream`, expecting the revision its previous append left. */
export type Appender = (stream: string, n: number) => Promise<void>;

/**
 * `appenders` concurrent loops, each appending one event at a time to its own stream with
 * the exact expected revision (the shape of a claim), for `seconds`; the CPU both this
 * process and the server spent on them.
 */
export async function runAppenders(
  connectionString: string,
  appenders: number,
  seconds: number,
  makeAppender: () => Appender,
): Promise<Measurement> {
  const meter = await CpuMeter.open(connectionString);
  const cpuAtStart = meter.read();
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let events = 0;
  await Promise.all(
    Array.from({ length: appenders }, async (_, i) => {
      const append = makeAppender();
      const stream = `bench-${process.pid}-${i}`;
      while (Date.now() < deadline) {
        await append(stream, events);
        events += 1;
      }
    }),
  );
  const elapsed = secondsSince(started);
  return measurement(events, elapsed, { appenders }, cpuUse(cpuAtStart, meter.read(), events));
}
