/** The fields of the questionnaire import, shared by the server and the mapping screen in the browser. */

/** The columns an officer can map; a question bank's question has exactly these parts (DESIGN §3). */
export const IMPORT_FIELDS = ['key', 'section', 'question', 'guidance', 'answerType', 'options', 'required', 'references'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Human labels for messages and for the mapping screen's select boxes. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  key: 'Key',
  section: 'Section',
  question: 'Question',
  guidance: 'Guidance',
  answerType: 'Answer type',
  options: 'Options',
  required: 'Required',
  references: 'References',
};
