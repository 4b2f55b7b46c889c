import { inFlightAtKills, openSpans, type AttemptEvent } from '../../chaos/in-flight-at-kills';

const opened = (key: string, instanceId: string, at: number): AttemptEvent => ({
  kind: 'opened',
  idempotencyKey: key,
  instanceId,
  at,
});
const ended = (key: string, instanceId: string, at: number): AttemptEvent => ({
  kind: 'ended',
  idempotencyKey: key,
  instanceId,
  at,
});

describe('inFlightAtKills', () => {
  it("counts the victim's attempts claimed before the kill and not ended by then", () => {
    const events = [
      opened('a-1', 'instance-1', 100),
      opened('b-1', 'instance-1', 100),
      opened('c-1', 'instance-2', 100),
      ended('a-1', 'instance-1', 150), // answered before the kill
      opened('d-1', 'instance-1', 210), // claimed after the kill (by the restarted instance)
      ended('b-1', 'instance-3', 5_000), // the sweep, long after
    ];
    expect(inFlightAtKills(events, [{ instanceId: 'instance-1', at: 200 }])).toEqual([1]);
    expect(inFlightAtKills(events, [{ instanceId: 'instance-2', at: 200 }])).toEqual([1]);
    expect(inFlightAtKills(events, [{ instanceId: 'instance-3', at: 200 }])).toEqual([0]);
  });

  it('counts a claim the victim decided before the kill though PostgreSQL wrote it just after', () => {
    // The victim sent its claim and was killed before the server got to it: the
    // transaction, and so `created_at`, started 3 ms after the kill. Never sent to the
    // provider, the sweep timed it out; the kill stranded it.
    const events: AttemptEvent[] = [
      { ...opened('a-1', 'instance-1', 203), decidedAt: 199 },
      { ...opened('b-1', 'instance-1', 2_500), decidedAt: 2_499 }, // the restarted instance
      ended('a-1', 'instance-2', 4_300),
    ];
    expect(inFlightAtKills(events, [{ instanceId: 'instance-1', at: 200 }])).toEqual([1]);
    expect(openSpans(events)[0]).toMatchObject({ idempotencyKey: 'a-1', from: 199, to: 4_300 });
  });

  it('counts an attempt never ended as in flight', () => {
    const events = [opened('a-1', 'instance-1', 100)];
    expect(inFlightAtKills(events, [{ instanceId: 'instance-1', at: 1_000_000 }])).toEqual([1]);
  });

  it('gives a re-driven attempt to the re-driver from the re-drive on', () => {
    const events = [
      opened('a-1', 'instance-1', 100),
      opened('a-1', 'instance-2', 4_100), // ChargeRedriven by instance-2's sweep
      ended('a-1', 'instance-2', 4_200),
    ];
    expect(
      inFlightAtKills(events, [
        { instanceId: 'instance-1', at: 200 },
        { instanceId: 'instance-1', at: 4_150 },
        { instanceId: 'instance-2', at: 4_150 },
      ]),
    ).toEqual([1, 0, 1]);
  });

  it('ignores a late truth after the first outcome', () => {
    const events = [
      opened('a-1', 'instance-1', 100),
      ended('a-1', 'instance-2', 300), // UNKNOWN by the sweep
      ended('a-1', 'instance-2', 900), // the lookup's late truth
    ];
    expect(
      inFlightAtKills(events, [
        { instanceId: 'instance-1', at: 200 },
        { instanceId: 'instance-1', at: 500 },
      ]),
    ).toEqual([1, 0]);
  });
});
