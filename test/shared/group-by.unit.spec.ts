import { groupBy } from '../../src/shared/group-by';

describe('groupBy', () => {
  it('groups by key in first-seen order, keeping each group in input order', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (item) => item[0]);
    expect([...groups.entries()]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']],
    ]);
    expect(groupBy([], (item: string) => item).size).toBe(0);
  });
});
