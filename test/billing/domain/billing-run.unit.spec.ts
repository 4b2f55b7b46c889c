import {
  StreamCorruptError,
  decideBillingRun,
  evolveBillingRun,
  foldBillingRun,
  initialBillingRunState,
  type BillingRunCommand,
  type BillingRunDecision,
  type BillingRunEvent,
  type BillingRunState,
} from '../../../src/billing/domain';
import { minutesAfterT0, T0 } from './invoice-test-kit';

const T1 = minutesAfterT0(10);
const context = { now: T0, instanceId: 'instance-a' };

function events(decision: BillingRunDecision): readonly BillingRunEvent[] {
  if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}

function errorCode(decision: BillingRunDecision): string {
  if (decision.ok) throw new Error('expected a refusal');
  return decision.error.code;
}

const scheduled: BillingRunCommand = {
  type: 'StartBillingRun',
  trigger: 'scheduled',
  period: '2025-05',
};
const started = (): BillingRunState =>
  foldBillingRun(events(decideBillingRun(scheduled, initialBillingRunState, context)));

describe('decideBillingRun', () => {
  it('starts a scheduled run whose id is its period', () => {
    expect(events(decideBillingRun(scheduled, initialBillingRunState, context))).toEqual([
      {
        type: 'BillingStarted',
        data: {
          runId: '2025-05',
          period: '2025-05',
          trigger: 'scheduled',
          instanceId: 'instance-a',
          startedAt: T0,
          billingDate: '2025-05-01',
        },
      },
    ]);
  });

  it("records the billing date: the start's calendar date in the billing time zone", () => {
    const late = { now: '2025-05-31T22:30:00.000Z', instanceId: 'instance-a' };
    const inZone = (timeZone: string) =>
      events(decideBillingRun({ ...scheduled, timeZone }, initialBillingRunState, late))[0];
    expect(inZone('UTC').data).toMatchObject({ billingDate: '2025-05-31' });
    expect(inZone('Europe/Copenhagen').data).toMatchObject({ billingDate: '2025-06-01' });
    expect(foldBillingRun([inZone('Europe/Copenhagen')])).toMatchObject({
      billingDate: '2025-06-01',
    });
  });

  it('a run started before due dates existed bills on the UTC date of its start', () => {
    const [started] = events(decideBillingRun(scheduled, initialBillingRunState, context));
    if (started.type !== 'BillingStarted') throw new Error('expected BillingStarted');
    const { billingDate: _omitted, ...old } = started.data;
    expect(foldBillingRun([{ type: 'BillingStarted', data: old }])).toMatchObject({
      billingDate: '2025-05-01',
    });
  });

  it('starts a daily run whose id is its day', () => {
    const daily: BillingRunCommand = {
      type: 'StartBillingRun',
      trigger: 'scheduled',
      period: '2025-05-01',
    };
    expect(events(decideBillingRun(daily, initialBillingRunState, context))[0].data).toMatchObject({
      runId: '2025-05-01',
      period: '2025-05-01',
    });
  });

  it('starts a manual run with its own id and no period', () => {
    const command: BillingRunCommand = {
      type: 'StartBillingRun',
      trigger: 'manual',
      runId: 'manual-1',
    };
    expect(events(decideBillingRun(command, initialBillingRunState, context))[0].data).toEqual({
      runId: 'manual-1',
      period: null,
      trigger: 'manual',
      instanceId: 'instance-a',
      startedAt: T0,
      billingDate: '2025-05-01',
    });
  });

  it('refuses a second start', () => {
    const decision = decideBillingRun(scheduled, started(), { now: T1, instanceId: 'instance-b' });
    expect(errorCode(decision)).toBe('RUN_ALREADY_STARTED');
    expect(decision.ok || decision.error.message).toBe(
      `billing run 2025-05 was started by instance-a at ${T0}`,
    );
  });

  it.each([
    ['a bad period', { type: 'StartBillingRun', trigger: 'scheduled', period: '2025-13' }],
    [
      'a manual id shaped like a period',
      { type: 'StartBillingRun', trigger: 'manual', runId: '2025-05' },
    ],
    ['a bad manual id', { type: 'StartBillingRun', trigger: 'manual', runId: 'a b' }],
    [
      'a manual id shaped like a day',
      { type: 'StartBillingRun', trigger: 'manual', runId: '2025-05-01' },
    ],
    [
      'an unknown time zone',
      { type: 'StartBillingRun', trigger: 'scheduled', period: '2025-05', timeZone: 'Mars/Base' },
    ],
  ] as [string, BillingRunCommand][])('refuses %s', (_, command) => {
    expect(errorCode(decideBillingRun(command, initialBillingRunState, context))).toBe(
      'INVALID_COMMAND',
    );
  });

  it('refuses a context without a clock reading', () => {
    expect(
      errorCode(decideBillingRun(scheduled, initialBillingRunState, { now: '', instanceId: 'a' })),
    ).toBe('INVALID_COMMAND');
  });

  it('completes a running run, with counts', () => {
    const counts = { claimed: 3, paid: 1, failed: 1, unknown: 1 };
    const completion = events(
      decideBillingRun({ type: 'CompleteBillingRun', runId: '2025-05', counts }, started(), {
        now: T1,
        instanceId: 'b',
      }),
    );
    expect(completion).toEqual([
      {
        type: 'BillingCompleted',
        data: { runId: '2025-05', instanceId: 'b', completedAt: T1, counts },
      },
    ]);
    const state = completion.reduce(evolveBillingRun, started());
    expect(state).toMatchObject({
      status: 'COMPLETED',
      completedAt: T1,
      counts,
      startedBy: 'instance-a',
    });
    expect(
      errorCode(decideBillingRun({ type: 'CompleteBillingRun', runId: '2025-05' }, state, context)),
    ).toBe('RUN_ALREADY_COMPLETED');
  });

  it('refuses to complete a run that never started, or another run', () => {
    const complete: BillingRunCommand = { type: 'CompleteBillingRun', runId: '2025-05' };
    expect(errorCode(decideBillingRun(complete, initialBillingRunState, context))).toBe(
      'RUN_NOT_FOUND',
    );
    expect(errorCode(decideBillingRun({ ...complete, runId: '2025-06' }, started(), context))).toBe(
      'INVALID_COMMAND',
    );
  });
});

describe('evolveBillingRun', () => {
  it('is RUNNING after the start', () => {
    expect(started()).toMatchObject({
      exists: true,
      status: 'RUNNING',
      completedAt: null,
      counts: null,
    });
  });

  it('throws on a stream decide could not have written', () => {
    const completed: BillingRunEvent = {
      type: 'BillingCompleted',
      data: { runId: 'x', instanceId: 'a', completedAt: T1, counts: null },
    };
    expect(() => evolveBillingRun(initialBillingRunState, completed)).toThrow(StreamCorruptError);
    expect(() => evolveBillingRun(initialBillingRunState, completed)).toThrow(
      'billing-run stream is corrupt at BillingCompleted: the run never started',
    );
    const start = events(decideBillingRun(scheduled, initialBillingRunState, context));
    expect(() => foldBillingRun([...start, ...start])).toThrow('the run already started');
  });
});
