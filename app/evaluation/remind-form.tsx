import { TextArea } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import type { FormErrors } from '#app/utils/form';
import { plural } from '#app/utils/wording';

/** The progress grid's "Send a reminder": every evaluator with open scoresheets, ticked, and an optional note. */
export function RemindForm({ evaluators, errors }: { evaluators: Array<{ id: string; name: string; open: number }>; errors?: FormErrors | null }) {
  const evaluatorError = errors?.fieldErrors.evaluatorId?.join(' ');
  return (
    <ResetAfterSuccessForm method="post" className="usa-form usa-form--large margin-top-2" aria-labelledby="remind-heading">
      <h4 id="remind-heading">Send a reminder</h4>
      {/* A group of boxes is a fieldset with a legend (not a label); the error summary's link focuses the first box. */}
      <fieldset className={`usa-fieldset usa-form-group${evaluatorError ? ' usa-form-group--error' : ''}`} aria-describedby={evaluatorError ? 'evaluatorId-error' : undefined}>
        <legend className="usa-legend">Evaluators with scoresheets still to submit</legend>
        {evaluatorError ? (
          <span className="usa-error-message" id="evaluatorId-error" role="alert">
            {evaluatorError}
          </span>
        ) : null}
        {evaluators.map((e, n) => (
          <div className="usa-checkbox" key={e.id}>
            <input className="usa-checkbox__input" type="checkbox" id={n === 0 ? 'evaluatorId' : `remind-${e.id}`} name="evaluatorId" value={e.id} defaultChecked />
            <label className="usa-checkbox__label" htmlFor={n === 0 ? 'evaluatorId' : `remind-${e.id}`}>
              {e.name} ({plural(e.open, 'scoresheet')} open)
            </label>
          </div>
        ))}
      </fieldset>
      <TextArea name="note" label="A note to add (optional)" maxLength={1000} errors={errors?.fieldErrors.note} />
      <button type="submit" name="intent" value="remind" className="usa-button usa-button--outline">
        Send reminder
      </button>
    </ResetAfterSuccessForm>
  );
}
