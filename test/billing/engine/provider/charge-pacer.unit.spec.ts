import { Logger } from '@nestjs/common';
import type { ChargeRateLimit } from '../../../../src/billing/engine/charge-rate-limit.port';
import {
  ChargePacer,
  chargePacerSettings,
  type ChargePacerSettings,
  type SendToken,
} from '../../../../src/billing/engine/provider/charge-pacer';
import { InProcessChargeRateLimit } from '../../../../src/billing/engine/provider/in-process-charge-rate-limit';
import { TokenBucket } from '../../../../src/billing/engine/provider/token-bucket';
import { StopSignal } from '../../../../src/shared/stop-signal';
import { busiestSecond } from '../../../support/busiest-second';

/** Virtual time: sleepers wake in time order, each after every promise due before it. */
class VirtualTime {
  now = 0;
  private sleepers: { at: number; wake: (slept: boolean) => void }[] = [];

  readonly clock = () => this.now;

  readonly sleep = (ms: number, signal: StopSignal): Promise<boolean> => {
    if (signal.stopped) return Promise.resolve(false);
    return new Promise((wake) => this.sleepers.push({ at: this.now + Math.max(0, ms), wake }));
  };

  /** Runs until `until` (virtual ms). */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (!next || next.at > until) {
        if (next) this.sleepers.unshift(next);
        this.now = until;
        return;
      }
      this.now = Math.max(this.now, next.at);
      next.wake(true);
    }
  }

  wakeAll(): void {
    for (const sleeper of this.sleepers.splice(0)) sleeper.wake(false);
  }
}

const RATE = 200;
const SETTINGS = chargePacerSettings(RATE);
/**
 * What a bucket of burst 1 grants in any span of 1 s + staleMs, hence what one second of
 * sends may hold when each send is within staleMs after its token's time in the bucket.
 */
const MOST_PER_SECOND = 1 + Math.floor((RATE * (1_000 + SETTINGS.staleMs)) / 1_000);

/** A token of a bucket that answered at once: it may be sent from `at` to staleMs after. */
function token(at: number): SendToken {
  return { at, until: at + SETTINGS.staleMs };
}

/** When a reservation reaches the bucket and when its answer is back, in ms after it was sent. */
interface RoundTrip {
  readonly toBucketMs: number;
  readonly answerMs: number;
}

describe('ChargePacer', () => {
  let time: VirtualTime;
  let signal: StopSignal;

  beforeEach(() => {
    time = new VirtualTime();
    signal = new StopSignal();
  });

  afterEach(() => {
    signal.stop();
    time.wakeAll();
  });

  function pacer(
    bucket: ChargeRateLimit,
    settings: ChargePacerSettings = SETTINGS,
    dropped: string[] = [],
  ) {
    return new ChargePacer(settings, bucket, {
      now: time.clock,
      sleep: time.sleep,
      onDropped: (tokens, reason) => dropped.push(`${tokens} ${reason}`),
    });
  }

  /** A bucket a round trip away, on the virtual clock; `asked` gets each count. */
  function distantBucket(roundTrip: () => RoundTrip, asked: number[] = []): ChargeRateLimit {
    let bucket: TokenBucket | null = null;
    return {
      reserve: async (limit, count) => {
        asked.push(count);
        const { toBucketMs, answerMs } = roundTrip();
        await time.sleep(toBucketMs, signal);
        bucket ??= new TokenBucket(limit, time.clock);
        const waits = bucket.reserve(count);
        await time.sleep(answerMs - toBucketMs, signal);
        return waits;
      },
    };
  }

  /**
   * `claimers` loops, each taking up to `perClaim` tokens and sending a charge for each
   * at once, like the engine's charges of one claim.
   */
  function claimForever(paced: ChargePacer, claimers: number, perClaim: number) {
    const sent: number[] = [];
    for (let i = 0; i < claimers; i++) {
      void (async () => {
        while (!signal.stopped) {
          const tokens = await paced.take(perClaim, signal);
          await Promise.all(
            tokens.map(async (token) => {
              if (await paced.waitToSend(token, signal)) sent.push(time.now);
            }),
          );
        }
      })();
    }
    return sent;
  }

  /** `senders` loops per pacer, each claiming `perClaim` at a time and sending each. */
  function sendForever(pacers: readonly ChargePacer[], senders: number, perClaim: number) {
    const sent: number[] = [];
    for (const each of pacers) {
      for (let i = 0; i < senders; i++) {
        void (async () => {
          while (!signal.stopped) {
            const times = await each.take(perClaim, signal);
            for (const at of times) {
              if (await each.waitToSend(at, signal)) sent.push(time.now);
            }
          }
        })();
      }
    }
    return sent;
  }

  it('keeps three instances on one bucket to the rate, and uses all of it', async () => {
    const shared = new InProcessChargeRateLimit(time.clock);
    const sent = sendForever([pacer(shared), pacer(shared), pacer(shared)], 20, 4);
    await time.runUntil(10_000);
    // No burst (1 token) and every send at its token's time: 1 + 199 a second.
    expect(busiestSecond(sent)).toBeLessThanOrEqual(201);
    expect(sent.length).toBeGreaterThanOrEqual(0.99 * 200 * 10);
  });

  it('is what the window count catches: a bucket per instance sends three times the rate', async () => {
    const sent = sendForever(
      [1, 2, 3].map(() => pacer(new InProcessChargeRateLimit(time.clock))),
      20,
      4,
    );
    await time.runUntil(5_000);
    expect(busiestSecond(sent)).toBeGreaterThan(590);
  });

  it(`sends no more than ${MOST_PER_SECOND} in any second when the bucket answers late and the event loop wakes late`, async () => {
    // For 2 s the bucket takes each reservation as it is sent and answers 20 ms later (its
    // tokens seen 20 ms after their time), and timers fire 30 ms late; then the bucket
    // takes each reservation just before it answers, and timers are on time.
    const slow = () => time.now < 2_000;
    const paced = new ChargePacer(
      SETTINGS,
      distantBucket(() => ({ toBucketMs: slow() ? 0 : 20, answerMs: 20 })),
      { now: time.clock, sleep: (ms, stop) => time.sleep(ms + (slow() ? 30 : 0), stop) },
    );
    const sent = claimForever(paced, 4, 20);
    await time.runUntil(4_000);
    // Each send within staleMs after its token's time in the bucket, whichever moment of
    // the round trip the bucket took it at; counting from the answer, the first 2 s sent
    // 50 ms late (20 + 30) and bunched into the next second: 210.
    expect(busiestSecond(sent)).toBeLessThanOrEqual(MOST_PER_SECOND);
    // The second half at the rate: the first half's tokens were too late to use.
    expect(sent.length).toBeGreaterThanOrEqual(0.95 * RATE * 2);
  });

  it('reserves 100 ms of the rate per round trip, handed out together once the first is due within the lead', async () => {
    const bucket = new InProcessChargeRateLimit(time.clock);
    const calls: number[] = [];
    const counting: ChargeRateLimit = {
      reserve: (limit, count) => {
        calls.push(count);
        return bucket.reserve(limit, count);
      },
    };
    const paced = pacer(counting);
    const taking = paced.take(50, signal);
    await time.runUntil(0);
    // 20 tokens a round trip (100 ms of 200/s): due at 0, 5, ... 95 ms.
    expect(await taking).toEqual(Array.from({ length: 20 }, (_, i) => token(i * 5)));
    expect(calls).toEqual([20]);
    // The next reservation is due from 100 ms: handed out at 100 - 200 ms, that is now.
    const next = paced.take(3, signal);
    await time.runUntil(0);
    expect(await next).toEqual([100, 105, 110].map(token));
    expect(calls).toEqual([20, 3]);
  });

  it('waits for a token given with a claim, and takes another for one long past', async () => {
    const dropped: string[] = [];
    const paced = pacer(new InProcessChargeRateLimit(time.clock), SETTINGS, dropped);
    const waiting = paced.waitToSend(token(30), signal);
    await time.runUntil(29);
    let done = false;
    void waiting.then(() => (done = true));
    await time.runUntil(29);
    expect(done).toBe(false);
    await time.runUntil(30);
    expect(await waiting).toBe(true);
    // 40 ms late (a claim that took too long): sent at a fresh token's time, not now.
    time.now = 100;
    const late = paced.waitToSend(token(60), signal);
    await time.runUntil(100);
    expect(await late).toBe(true);
    expect(time.now).toBe(100);
    expect(dropped).toEqual(['1 late']);
  });

  it('drops the token of a send woken too late for it, and sends at a fresh one', async () => {
    const dropped: string[] = [];
    let oversleep = 31;
    const sleepy = new ChargePacer(SETTINGS, new InProcessChargeRateLimit(time.clock), {
      now: time.clock,
      // A busy event loop: the first timer fires 31 ms late.
      sleep: (ms, stop) => time.sleep(ms + oversleep, stop).finally(() => (oversleep = 0)),
      onDropped: (tokens, reason) => dropped.push(`${tokens} ${reason}`),
    });
    let sentAt = -1;
    const waiting = sleepy
      .waitToSend(token(10), signal)
      .then((sent) => (sentAt = sent ? time.now : -1));
    await time.runUntil(100);
    await waiting;
    // Woken at 41 for 10: that token is dropped, and the bucket's next is due at once.
    expect(sentAt).toBe(41);
    expect(dropped).toEqual(['1 late']);
  });

  it('drops tokens left unused past their time, and takes back unused ones still fresh', async () => {
    const dropped: string[] = [];
    const paced = pacer(new InProcessChargeRateLimit(time.clock), SETTINGS, dropped);
    const taking = paced.take(2, signal);
    await time.runUntil(0);
    const first = await taking;
    expect(first).toEqual([0, 5].map(token));
    paced.giveBack(first.slice(1));
    const again = paced.take(1, signal);
    await time.runUntil(0);
    expect(await again).toEqual([token(5)]);
    // Its claim lost: given back, and still unused at 100 ms.
    paced.giveBack([token(5)]);
    time.now = 100;
    const later = paced.take(3, signal);
    await time.runUntil(100);
    expect(await later).toEqual([100, 105, 110].map(token));
    expect(dropped).toEqual(['1 expired']);
  });

  it('drops a whole reservation whose round trip took longer than staleMs, and asks for one token next', async () => {
    const dropped: string[] = [];
    const asked: number[] = [];
    const roundTrips = [40, 10, 10];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const paced = pacer(
        distantBucket(() => ({ toBucketMs: 0, answerMs: roundTrips.shift() ?? 10 }), asked),
        SETTINGS,
        dropped,
      );
      const taking = paced.take(20, signal);
      await time.runUntil(50);
      // The 20 dropped were the bucket's until 95 ms: the one asked for at 40 is due 60 ms
      // later, answered at 50: from 110, and no later than 30 ms after the earliest the
      // bucket may have meant, 100.
      expect(await taking).toEqual([{ at: 110, until: 130 }]);
      expect(dropped).toEqual(['20 slow']);
      expect(asked).toEqual([20, 1]);
      const next = paced.take(20, signal);
      await time.runUntil(160);
      expect((await next).length).toBe(20);
      expect(asked).toEqual([20, 1, 20]);
      const slowLines = warn.mock.calls.filter(([line]) =>
        JSON.stringify(line).includes(' ms, more than '),
      );
      expect(slowLines).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('uses the tokens of a database slower than staleMs twice in a row, counted from the answer, rather than none', async () => {
    const dropped: string[] = [];
    const asked: number[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const paced = pacer(
        distantBucket(() => ({ toBucketMs: 0, answerMs: 40 }), asked),
        SETTINGS,
        dropped,
      );
      const taking = paced.take(20, signal);
      await time.runUntil(80);
      // The first reservation dropped; the probe of one, slow too, kept: due 60 ms after
      // it was asked at 40, answered at 80: from 140 until 30 ms after that.
      expect(await taking).toEqual([{ at: 140, until: 170 }]);
      expect(dropped).toEqual(['20 slow']);
      const next = paced.take(20, signal);
      await time.runUntil(200);
      expect(await next).toHaveLength(20);
      expect(asked).toEqual([20, 1, 20]);
      expect(dropped).toEqual(['20 slow']);
      const farLines = warn.mock.calls.filter(([line]) =>
        JSON.stringify(line).includes('keep taking more than'),
      );
      expect(farLines).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('ends a wait when stopped', async () => {
    const paced = pacer(new InProcessChargeRateLimit(time.clock));
    const waiting = paced.waitToSend(token(500), signal);
    await time.runUntil(10);
    signal.stop();
    time.wakeAll();
    expect(await waiting).toBe(false);
    expect(await paced.take(1, signal)).toEqual([]);
  });
});
