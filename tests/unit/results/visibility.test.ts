import { describe, expect, it } from 'vitest';
import { evaluatorResultsGate, panelScoresVisible } from '#app/results/visibility';

describe('results visibility', () => {
  it('shows the panel’s individual scores only in consensus and closed', () => {
    expect(panelScoresVisible('draft')).toBe(false);
    expect(panelScoresVisible('open')).toBe(false);
    expect(panelScoresVisible('evaluation')).toBe(false);
    expect(panelScoresVisible('consensus')).toBe(true);
    expect(panelScoresVisible('closed')).toBe(true);
  });

  it('refuses evaluators before consensus, whatever their sheets', () => {
    for (const status of ['draft', 'open', 'evaluation'] as const) {
      const gate = evaluatorResultsGate(status, [{ status: 'submitted' }]);
      expect(gate.allowed).toBe(false);
      if (!gate.allowed) expect(gate.reason).toMatch(/consensus/);
    }
  });

  it('lets evaluators in after consensus only with every own sheet submitted', () => {
    expect(evaluatorResultsGate('consensus', [{ status: 'submitted' }, { status: 'submitted' }])).toEqual({ allowed: true });
    expect(evaluatorResultsGate('closed', [])).toEqual({ allowed: true });
    const pending = evaluatorResultsGate('consensus', [{ status: 'submitted' }, { status: 'in_progress' }, { status: 'not_started' }]);
    expect(pending.allowed).toBe(false);
    if (!pending.allowed) expect(pending.reason).toContain('2 still open');
  });
});
