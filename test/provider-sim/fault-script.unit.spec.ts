import { formatFaultScript, parseFaultScript } from '../../src/provider-sim/fault-script';

describe('parseFaultScript', () => {
  it('reads outages in request order, each a sequence of windows', () => {
    const parsed = parseFaultScript('900:429=1000; 400:refused=6000,500=4000,503=2');
    expect(parsed).toEqual({
      ok: true,
      outages: [
        {
          afterRequests: 400,
          windows: [
            { kind: 'refused', ms: 6000 },
            { kind: '500', ms: 4000 },
            { kind: '503', ms: 2 },
          ],
        },
        { afterRequests: 900, windows: [{ kind: '429', ms: 1000 }] },
      ],
    });
    if (parsed.ok) {
      expect(formatFaultScript(parsed.outages)).toBe(
        '400:refused=6000,500=4000,503=2;900:429=1000',
      );
    }
  });

  it.each([
    ['400', '"400" is not <after-requests>:<kind>=<ms>,...'],
    ['400:slow=10', '"slow=10" is not <kind>=<ms> with a kind from refused, 500, 503, 429'],
    ['400:500=0', '"500=0": a window lasts 1 to 600000 ms'],
    ['x:500=10', '"x:500=10" is not <after-requests>:<kind>=<ms>,...'],
  ])('refuses %p, saying why', (text, message) => {
    expect(parseFaultScript(text)).toEqual({ ok: false, message });
  });
});
