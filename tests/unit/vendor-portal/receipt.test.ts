import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sealResponse, type SealedResponse } from '#app/vendor-portal/receipt';

const base: SealedResponse = {
  kind: 'submitted',
  rfp: { id: 'r1', reference: 'RFP-1' },
  vendor: { id: 'v1', name: 'Civic Answers Inc.' },
  version: 1,
  questionnaireVersion: 2,
  at: '2026-12-05T10:00:00.000Z',
  by: { name: 'Vera', email: 'vera@example.com' },
  answers: [
    { key: 'B-02', value: ['Yes', 'No'] },
    { key: 'A-01', value: 'We log every “prompt”.' },
    { key: 'PRC-01', value: 1240000 },
  ],
};

describe('submission receipt', () => {
  it('is the SHA-256 of sorted-key JSON with answers ordered by key, whatever order they came in', () => {
    const one = sealResponse(base);
    const two = sealResponse({ ...base, answers: [...base.answers].reverse() });
    expect(two).toEqual(one);
    expect(one.content.startsWith('{"answers":[{"key":"A-01","value":"We log every “prompt”."},{"key":"B-02","value":["Yes","No"]},{"key":"PRC-01","value":1240000}],"at":')).toBe(true);
    expect(one.sha256).toBe(createHash('sha256').update(Buffer.from(one.content, 'utf8')).digest('hex'));
  });

  it('changes when any answer, the version or the time changes', () => {
    const one = sealResponse(base).sha256;
    expect(sealResponse({ ...base, version: 2 }).sha256).not.toBe(one);
    expect(sealResponse({ ...base, at: '2026-12-05T10:00:00.001Z' }).sha256).not.toBe(one);
    expect(sealResponse({ ...base, answers: [{ key: 'A-01', value: 'We log every prompt.' }, ...base.answers.slice(0, 1), ...base.answers.slice(2)] }).sha256).not.toBe(one);
  });

  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});
