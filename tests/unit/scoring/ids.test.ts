import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../scoring/ids';

describe('IdIndex', () => {
  it('numbers ids in first-seen order, ignoring repeats', () => {
    const index = new IdIndex(['b', 'a', 'b', 'c']);
    expect(index.size).toBe(3);
    expect([index.indexOf('b'), index.indexOf('a'), index.indexOf('c')]).toEqual([0, 1, 2]);
    expect(index.add('d')).toBe(3);
    expect(index.add('a')).toBe(1);
  });

  it('answers −1 for unknown and non-string ids, also right after a known one', () => {
    const index = new IdIndex(['e1', 'e2']);
    expect(index.indexOf('e1')).toBe(0);
    expect(index.indexOf('e3')).toBe(-1);
    expect(index.indexOf('e1')).toBe(0);
    expect(index.indexOf(1)).toBe(-1);
    expect(index.indexOf(undefined)).toBe(-1);
    expect(index.has('e2')).toBe(true);
    expect(index.has(null)).toBe(false);
  });

  it('gives the same index as a plain search for any sequence of lookups (in order, repeated, out of order)', () => {
    const ids = fc.uniqueArray(fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1 });
    fc.assert(
      fc.property(ids, fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'x'), fc.constant(7)), { maxLength: 40 }), (list, queries) => {
        const index = new IdIndex(list);
        // Walking the list in order exercises the "next id" guess; the random queries break it.
        for (const id of [...list, ...list, ...queries, ...list]) expect(index.indexOf(id)).toBe(list.indexOf(id as string));
      }),
    );
  });
});
