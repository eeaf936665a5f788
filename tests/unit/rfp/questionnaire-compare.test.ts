import { describe, expect, it } from 'vitest';
import { compareQuestionnaires, summariseComparison } from '#app/rfp/questionnaire-compare';
import type { QuestionnaireSnapshot, SnapshotQuestion } from '#db/queries/questionnaire-versions';

const question = (key: string, text: string, over: Partial<SnapshotQuestion> = {}): SnapshotQuestion => ({
  key,
  text,
  guidance: null,
  strongAnswer: null,
  answerType: 'text',
  options: [],
  required: true,
  references: [],
  ...over,
});

const version1: QuestionnaireSnapshot = {
  sections: [
    {
      key: 'PRV',
      title: 'Privacy',
      criteria: [
        {
          key: 'PRV-01',
          title: 'Data retention',
          description: null,
          kind: 'scored',
          points: 20,
          rubric: [{ level: 0, anchor: 'No policy' }],
          questions: [question('PRV-01.1', 'How long do you keep call recordings?'), question('PRV-01.2', 'Who can read transcripts?'), question('PRV-01.3', 'Do you sell data?')],
        },
      ],
    },
  ],
};

describe('comparing two questionnaire versions', () => {
  it('finds nothing between a version and itself', () => {
    const same = compareQuestionnaires(version1, structuredClone(version1));
    expect(same.changes).toEqual([]);
    expect(summariseComparison(same)).toBe('No changes.');
  });

  it('lists added, removed and changed questions and criteria by key, with the texts a word diff needs', () => {
    const version2 = structuredClone(version1);
    const criterion = version2.sections[0]!.criteria[0]!;
    criterion.points = 25;
    criterion.questions[0]!.text = 'How long do you keep call recordings and transcripts?';
    criterion.questions[1]!.answerType = 'yes_no';
    criterion.questions[1]!.options = [
      { label: 'Yes', autoScore: 1 },
      { label: 'No', autoScore: 0 },
    ];
    criterion.questions.splice(2, 1);
    criterion.questions.push(question('prv-01.4', 'Where is the data stored?', { guidance: 'Name the regions.' }));
    version2.sections[0]!.title = 'Privacy and retention';

    const result = compareQuestionnaires(version1, version2);
    expect(result.changes.map((c) => [c.level, c.kind, c.key])).toEqual([
      ['section', 'changed', 'PRV'],
      ['criterion', 'changed', 'PRV-01'],
      ['question', 'changed', 'PRV-01.1'],
      ['question', 'changed', 'PRV-01.2'],
      ['question', 'added', 'prv-01.4'],
      ['question', 'removed', 'PRV-01.3'],
    ]);
    const criterionChange = result.changes[1]!;
    expect(criterionChange.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ['points', '20', '25'],
      ['section', 'Privacy', 'Privacy and retention'],
    ]);
    expect(result.changes[2]!.fields).toEqual([
      { field: 'text', label: 'Question', before: 'How long do you keep call recordings?', after: 'How long do you keep call recordings and transcripts?', audience: 'vendors' },
    ]);
    expect(result.changes[3]!.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ['answerType', 'Text', 'Yes / No'],
      ['options', '', 'Yes | 1\nNo | 0'],
    ]);
    expect(result.changes[4]!.fields.map((f) => f.field)).toEqual(['text', 'guidance', 'answerType', 'required', 'criterion']);
    expect(result.changes[5]!.fields[0]).toMatchObject({ field: 'text', before: 'Do you sell data?', after: '' });
    expect(summariseComparison(result)).toBe('1 question added, 1 removed, 2 changed; 1 criterion changed; 1 section changed.');
    expect(result.changedForVendors).toBe(true);
  });

  it('matches keys ignoring case, and says when only evaluator notes changed', () => {
    const version2 = structuredClone(version1);
    const q = version2.sections[0]!.criteria[0]!.questions[0]!;
    q.key = 'prv-01.1';
    q.strongAnswer = 'Names a retention period under 90 days.';
    const result = compareQuestionnaires(version1, version2);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]!.fields).toEqual([
      { field: 'strongAnswer', label: 'What a strong answer shows (evaluators only)', before: '', after: 'Names a retention period under 90 days.', audience: 'evaluators' },
    ]);
    expect(result.changedForVendors).toBe(false);
  });
});
