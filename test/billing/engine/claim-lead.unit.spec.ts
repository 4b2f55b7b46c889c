import { ClaimLead } from '../../../src/billing/engine/claim-lead';

describe('ClaimLead', () => {
  it('starts the next claim one round of slots early until it has measured both times', () => {
    const lead = new ClaimLead(32, 128);
    expect(lead.claims).toBe(32);
    lead.claimTook(40);
    expect(lead.claims).toBe(32);
  });

  it('leaves enough claims to keep every slot busy for a claim round trip, and a round more', () => {
    const lead = new ClaimLead(10, 1000);
    lead.claimTook(45);
    lead.chargeTook(20);
    // 45 ms of claiming is 3 rounds of 20 ms charges (rounded up), plus one to spare.
    expect(lead.claims).toBe(40);
  });

  it('never runs more than a page ahead, however slow the claims', () => {
    const lead = new ClaimLead(32, 128);
    lead.claimTook(500);
    lead.chargeTook(1);
    expect(lead.claims).toBe(128);
    lead.chargeTook(0);
    expect(lead.claims).toBe(128);
  });

  it('starts two rounds early when claims are much faster than charges: one for the claim, one to spare', () => {
    const lead = new ClaimLead(32, 128);
    lead.claimTook(1);
    lead.chargeTook(1000);
    expect(lead.claims).toBe(64);
  });

  it('follows a change of the charge time, smoothed', () => {
    const lead = new ClaimLead(10, 1000, 0.5);
    lead.claimTook(40);
    lead.chargeTook(40);
    expect(lead.claims).toBe(20);
    lead.chargeTook(10); // average 25 ms: 40 / 25 rounds up to 2
    expect(lead.claims).toBe(30);
    lead.chargeTook(10); // 17.5 ms: 3 rounds
    expect(lead.claims).toBe(40);
  });
});
