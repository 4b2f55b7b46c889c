import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { billingRunStream } from '../../src/billing/domain';
import { INSTALLATION_STREAM } from '../../src/billing/scheduling/installation-recorder';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { waitFor } from '../support/wait-for';
import {
  startBillingInstance,
  type BillingInstance,
  type BillingInstanceOptions,
} from './support/billing-instance';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { ManualClock } from './support/manual-clock';
import { SharedPostgres } from '../support/shared-postgres';

describe('scheduled billing runs', () => {
  let shared: SharedPostgres;
  let readModels: InMemoryReadModels;
  let instances: BillingInstance[];
  const provider = new SimulatedPaymentProvider();

  beforeEach(async () => {
    shared = await SharedPostgres.create('billing_schedule');
    readModels = new InMemoryReadModels().follow(shared.openStore(2));
    instances = [];
  });

  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await readModels.close();
    await shared.close();
  });

  async function start(
    instanceId: string,
    clock: ManualClock,
    options: Partial<BillingInstanceOptions> = {},
  ): Promise<BillingInstance> {
    const instance = await startBillingInstance({
      instanceId,
      store: shared.openStore(),
      provider,
      readModels,
      clock,
      ...options,
    });
    instances.push(instance);
    return instance;
  }

  it('when every instance fires at once, exactly one run starts', async () => {
    const clock = new ManualClock(new Date('2025-05-01T00:00:00.000Z'));
    const all = await Promise.all(['a', 'b', 'c', 'd'].map((id) => start(`instance-${id}`, clock)));

    const results = await Promise.all([
      ...all.map((instance) => instance.scheduler.fire()),
      ...all.map((instance) =>
        instance.commandBus.execute(new StartBillingRunCommand('scheduled', '2025-05')),
      ),
    ]);

    expect(results.filter((result) => result.started)).toHaveLength(1);
    expect(new Set(results.map((result) => result.runId))).toEqual(new Set(['2025-05']));
    const stream = await shared.openStore(1).readStream(billingRunStream('2025-05'));
    expect(stream.map((event) => event.type)[0]).toBe('BillingStarted');
    expect(stream.filter((event) => event.type === 'BillingStarted')).toHaveLength(1);
  });

  it('a fresh install does not bill; a run missed while down is started at the next start', async () => {
    const installedAt = new Date('2025-04-15T10:00:00.000Z');
    const first = await start('instance-a', new ManualClock(installedAt), { background: true });
    const store = shared.openStore(1);
    expect(await store.readStream(INSTALLATION_STREAM)).toHaveLength(1);
    expect(await store.readStream(billingRunStream('2025-04'))).toEqual([]);
    await first.close();
    instances = [];

    // Down over 1 May: the next start catches that run up, once, whoever starts first.
    const later = new ManualClock(new Date('2025-05-20T08:00:00.000Z'));
    await Promise.all([
      start('instance-b', later, { background: true }),
      start('instance-c', later, { background: true }),
    ]);
    const runs = await store.readStream(billingRunStream('2025-05'));
    expect(runs.map((event) => event.type)[0]).toBe('BillingStarted');
    expect(runs[0].data).toMatchObject({ runId: '2025-05', trigger: 'scheduled' });
    expect(await store.readStream(INSTALLATION_STREAM)).toHaveLength(1);
    // With nothing to charge, the run completes.
    await waitFor(async () => (await readModels.run('2025-05'))?.status === 'COMPLETED', {
      message: 'the caught-up run to complete',
    });
  });

  it('a daily cron starts one run per day across instances, and catches up a missed day', async () => {
    const daily = { billing: { cron: '0 6 * * *', timeZone: 'Europe/Copenhagen' } };
    const monday = new ManualClock(new Date('2025-05-19T04:00:00.000Z')); // 06:00 in Copenhagen
    // The first instance records the installation (at its start nothing is missed yet).
    const all = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        start(`instance-${id}`, monday, { ...daily, background: id === 'a' }),
      ),
    );
    const results = await Promise.all(all.map((instance) => instance.scheduler.fire()));
    expect(results.filter((result) => result.started)).toHaveLength(1);
    expect(new Set(results.map((result) => result.runId))).toEqual(new Set(['2025-05-19']));
    monday.advance(24 * 3_600_000);
    const tuesday = await Promise.all(all.map((instance) => instance.scheduler.fire()));
    expect(tuesday.filter((result) => result.started).map((result) => result.runId)).toEqual([
      '2025-05-20',
    ]);
    const store = shared.openStore(1);
    expect((await store.readStream(billingRunStream('2025-05-20')))[0].data).toMatchObject({
      runId: '2025-05-20',
      period: '2025-05-20',
      trigger: 'scheduled',
      billingDate: '2025-05-20',
    });
    await Promise.all(instances.map((instance) => instance.close()));
    instances = [];

    // Down over Wednesday's and Thursday's fire times: the next start catches up Thursday's.
    const friday = new ManualClock(new Date('2025-05-23T03:00:00.000Z')); // 05:00, before 06:00
    await Promise.all([
      start('instance-d', friday, { ...daily, background: true }),
      start('instance-e', friday, { ...daily, background: true }),
    ]);
    const caughtUp = await store.readStream(billingRunStream('2025-05-22'));
    expect(caughtUp.filter((event) => event.type === 'BillingStarted')).toHaveLength(1);
    expect(await store.readStream(billingRunStream('2025-05-21'))).toEqual([]);
    expect(await store.readStream(billingRunStream('2025-05-23'))).toEqual([]);
  });
});
