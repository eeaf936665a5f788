/**
 * The panel-confidentiality rules on their own (app/confidentiality/panel.ts): who may read whose scores in which
 * status, how audit entries and scoring bundles are redacted, and that every kind of audit entry the code records is
 * classified, so a new one cannot carry scores past the module unnoticed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIDENTIAL_AUDIT_FIELDS, PanelViewer, PUBLIC_AUDIT_ENTITIES, type PanelViewerFacts, WITHHELD } from '#app/confidentiality/panel';
import type { RfpStatus } from '#db/schema';

const root = join(import.meta.dirname, '..', '..', '..');
const submissions = new Map([
  ['sub-a', 'vendor-a'],
  ['sub-b', 'vendor-b'],
]);

function viewer(status: RfpStatus, facts: Partial<PanelViewerFacts> = {}): PanelViewer {
  return PanelViewer.for({ userId: 'me', memberRole: 'evaluator', status, recusedFrom: [], ownSheets: new Map(), vendorOfSubmission: submissions, ...facts });
}

const scoreEntry = (evaluatorId: string, submissionId: string) => ({
  entity: 'score',
  action: 'score.update',
  before_json: JSON.stringify({ value: 2, rationale: 'first thoughts', version: 1 }),
  after_json: JSON.stringify({ submission_id: submissionId, criterion_id: 'crit', evaluator_id: evaluatorId, value: 4, rationale: 'second thoughts', version: 2 }),
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('panel confidentiality rules', () => {
  it('before consensus, gives a reader their own scores and nobody else’s, whatever their role', () => {
    for (const status of ['draft', 'open', 'evaluation'] as const) {
      for (const memberRole of ['lead', 'evaluator', 'observer', null] as const) {
        const v = viewer(status, { memberRole, ownSheets: memberRole === 'evaluator' ? new Map([['vendor-a', 'submitted']]) : null });
        expect(v.mayReadScoresOf('me', 'vendor-a')).toBe(true);
        expect(v.mayReadScoresOf('someone-else', 'vendor-a')).toBe(false);
        expect(v.mayReadPanelOf('vendor-a')).toBe(false);
        expect(v.withheldBecause('vendor-a')).toBe(WITHHELD.sealed);
      }
      expect(PanelViewer.oversight(status).mayReadScoresOf('anyone', 'vendor-a')).toBe(false);
    }
  });

  it('in consensus and closed, opens the panel except on a vendor the reader is recused from or has not submitted', () => {
    for (const status of ['consensus', 'closed'] as const) {
      const lead = viewer(status, { memberRole: 'lead', ownSheets: null });
      expect(lead.mayReadScoresOf('someone-else', 'vendor-b')).toBe(true);
      const recused = viewer(status, { recusedFrom: ['vendor-b'], ownSheets: new Map([['vendor-a', 'submitted']]) });
      expect(recused.mayReadPanelOf('vendor-a')).toBe(true);
      expect(recused.withheldBecause('vendor-b')).toBe(WITHHELD.recused);
      const open = viewer(status, { ownSheets: new Map([['vendor-a', 'submitted'], ['vendor-b', 'in_progress']]) });
      expect(open.withheldBecause('vendor-b')).toBe(WITHHELD.ownSheetOpen);
      expect(open.withheldVendors(['vendor-a', 'vendor-b'])).toEqual(['vendor-b']);
      // A recusal binds an admin or a lead as much as an evaluator.
      expect(viewer(status, { memberRole: 'lead', ownSheets: null, recusedFrom: ['vendor-a'] }).mayReadPanelOf('vendor-a')).toBe(false);
    }
  });

  it('redacts a score entry’s value and rationale, before and after, keeping who and which score', () => {
    const sealed = viewer('evaluation', { memberRole: null, ownSheets: null }).redactAuditEvent(scoreEntry('someone-else', 'sub-a'));
    expect(JSON.parse(sealed.before_json)).toEqual({ version: 1, withheld: WITHHELD.sealed });
    expect(JSON.parse(sealed.after_json)).toEqual({ submission_id: 'sub-a', criterion_id: 'crit', evaluator_id: 'someone-else', version: 2, withheld: WITHHELD.sealed });
    expect(sealed.action).toBe('score.update');
    const own = scoreEntry('me', 'sub-a');
    expect(viewer('evaluation').redactAuditEvent(own)).toBe(own);

    const recused = viewer('consensus', { recusedFrom: ['vendor-b'], ownSheets: new Map([['vendor-a', 'submitted']]) });
    expect(recused.redactAuditEvent(scoreEntry('someone-else', 'sub-a')).after_json).toContain('second thoughts');
    expect(recused.redactAuditEvent(scoreEntry('someone-else', 'sub-b')).after_json).not.toContain('second thoughts');
    // An entry naming a submission this installation does not know (imported from another one): only a reader with
    // no vendor withheld from them may read it.
    expect(recused.redactAuditEvent(scoreEntry('someone-else', 'sub-elsewhere')).after_json).toContain(WITHHELD.unattributed);
    expect(PanelViewer.oversight('consensus').redactAuditEvent(scoreEntry('someone-else', 'sub-elsewhere')).after_json).toContain('second thoughts');

    const consensus = { entity: 'consensus_score', before_json: null, after_json: JSON.stringify({ submission_id: 'sub-b', value: 3, rationale: 'agreed' }) };
    expect(recused.redactAuditEvent(consensus).after_json).toBe(JSON.stringify({ submission_id: 'sub-b', withheld: WITHHELD.recused }));
    const garbled = { entity: 'score', before_json: 'not json', after_json: null };
    expect(viewer('evaluation').redactAuditEvent(garbled).before_json).toBe(JSON.stringify({ withheld: WITHHELD.sealed }));
    const other = { entity: 'rfp', before_json: '{"status":"open"}', after_json: '{"status":"evaluation"}' };
    expect(viewer('evaluation').redactAuditEvent(other)).toBe(other);
  });

  it('cuts a scoring bundle to the readable scores and blanks the consensus rationales it may not read', () => {
    const bundle = {
      scoreDetails: [
        { evaluatorId: 'me', vendorId: 'vendor-b', value: 1 },
        { evaluatorId: 'someone-else', vendorId: 'vendor-a', value: 2 },
        { evaluatorId: 'someone-else', vendorId: 'vendor-b', value: 3 },
      ],
      excludedScoreDetails: [
        { evaluatorId: 'me', vendorId: 'vendor-withdrawn', value: 4 },
        { evaluatorId: 'someone-else', vendorId: 'vendor-withdrawn', value: 5 },
      ],
      consensusDetails: [
        { vendorId: 'vendor-a', rationale: 'agreed on a' },
        { vendorId: 'vendor-b', rationale: 'agreed on b' },
      ],
    };
    const recused = viewer('consensus', { recusedFrom: ['vendor-b'], ownSheets: new Map([['vendor-a', 'submitted']]) }).redactBundle(bundle);
    expect(recused.scoreDetails.map((s) => s.value)).toEqual([1, 2]);
    expect(recused.excludedScoreDetails.map((s) => s.value)).toEqual([4]);
    expect(recused.consensusDetails.map((k) => k.rationale)).toEqual(['agreed on a', null]);
    const sealed = PanelViewer.oversight('evaluation').redactBundle(bundle);
    expect(sealed.scoreDetails).toEqual([]);
    expect(sealed.excludedScoreDetails).toEqual([]);
    expect(sealed.consensusDetails.map((k) => k.rationale)).toEqual([null, null]);
    expect(PanelViewer.everything('evaluation').redactBundle(bundle)).toEqual(bundle);
  });

  it('classifies every kind of audit entry the code records as confidential or public', () => {
    const recorded = new Set<string>();
    for (const file of [...sourceFiles(join(root, 'app')), ...sourceFiles(join(root, 'db'))]) {
      const text = readFileSync(file, 'utf8');
      // `recordAudit(…, { entity: 'x', … })`, and the questionnaire's `audit(db, actor, rfpId, 'x', …)` shorthand.
      for (const match of text.matchAll(/\bentity: '([a-z_]+)'|\baudit\(\w+, \w+, [\w.]+, '([a-z_]+)'/g)) recorded.add((match[1] ?? match[2])!);
    }
    for (const known of ['score', 'consensus_score', 'scoresheet', 'section', 'question']) expect(recorded.has(known), known).toBe(true);
    const classified = new Set([...Object.keys(CONFIDENTIAL_AUDIT_FIELDS), ...PUBLIC_AUDIT_ENTITIES]);
    expect([...recorded].filter((e) => !classified.has(e))).toEqual([]);
    expect(Object.keys(CONFIDENTIAL_AUDIT_FIELDS).filter((e) => PUBLIC_AUDIT_ENTITIES.includes(e))).toEqual([]);
  });
});
