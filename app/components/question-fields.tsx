import { ANSWER_TYPE_LABELS } from '#app/rfp/questionnaire-forms';
import { ANSWER_TYPES } from '#app/utils/permissions';
import { SelectField, TextArea, TextField } from './form-fields';

/** The fields of a question, shared by the add and edit forms. */
export function QuestionFields({
  errors,
  defaults,
}: {
  errors?: Record<string, string[]> | null;
  defaults: Partial<{ key: string; text: string; guidance: string; strongAnswer: string; answerType: string; options: string; required: boolean; references: string }>;
}) {
  return (
    <>
      <TextField name="key" label="Key" hint="Stable identifier vendors and workbooks use, e.g. RAI-07." defaultValue={defaults.key} required errors={errors?.key} />
      <TextArea name="text" label="Question" defaultValue={defaults.text} required errors={errors?.text} />
      <TextArea name="guidance" label="Guidance for the vendor" defaultValue={defaults.guidance} errors={errors?.guidance} />
      <TextArea name="strongAnswer" label="What a strong answer shows (evaluators only)" defaultValue={defaults.strongAnswer} errors={errors?.strongAnswer} />
      <SelectField name="answerType" label="Answer type" options={ANSWER_TYPES.map((t) => ({ value: t, label: ANSWER_TYPE_LABELS[t] }))} defaultValue={defaults.answerType ?? 'text'} errors={errors?.answerType} />
      <TextArea
        name="options"
        label="Options (for Yes/No and choice questions)"
        hint="One per line. Add an auto-score share after a bar: “Yes | 1”, “Partial | 0.5”, “No | 0”."
        defaultValue={defaults.options}
        errors={errors?.options}
      />
      <SelectField
        name="required"
        label="Required"
        options={[
          { value: 'yes', label: 'Required' },
          { value: 'no', label: 'Optional' },
        ]}
        defaultValue={defaults.required === false ? 'no' : 'yes'}
      />
      <TextArea name="references" label="Framework references" hint="One per line, e.g. NIST AI RMF MEASURE 2.11" defaultValue={defaults.references} errors={errors?.references} />
    </>
  );
}
