/**
 * One deadline as a date and an optional time, typed in the installation's time zone (USWDS: a fieldset with a legend,
 * each control labelled, hints and errors wired to it). An empty time means the end of that day.
 */
import { describedBy, TextArea } from '#app/components/form-fields';
import { deadlineField, type DeadlineKey } from '#app/rfp/rfp-details';

export function DeadlineField({
  deadline,
  label,
  hint,
  zoneName,
  defaultValue,
  errors,
}: {
  deadline: DeadlineKey;
  label: string;
  hint: string;
  /** How the zone is named to the person, e.g. "America/Los_Angeles (PST)". */
  zoneName: string;
  defaultValue: { date: string; time: string };
  errors?: Record<string, string[] | undefined>;
}) {
  const names = deadlineField(deadline);
  const dateErrors = errors?.[names.date];
  const timeErrors = errors?.[names.time];
  const legendId = `${deadline}-deadline-legend`;
  const hintId = `${deadline}-deadline-hint`;
  return (
    <fieldset className="usa-fieldset wb-deadline margin-top-3" aria-describedby={hintId}>
      <legend className="usa-legend" id={legendId}>
        {label}
      </legend>
      <div className="usa-hint" id={hintId}>
        {hint} Times are in {zoneName}; leave the time empty for the end of the day (11:59 PM).
      </div>
      <div className="wb-deadline__controls">
        <Control id={names.date} legendId={legendId} label="Date" type="date" defaultValue={defaultValue.date} errors={dateErrors} />
        <Control id={names.time} legendId={legendId} label="Time (optional)" type="time" defaultValue={defaultValue.time} errors={timeErrors} />
      </div>
    </fieldset>
  );
}

/** A date or time control named with its deadline ("Proposals due Date"), so a screen reader says which one it is. */
function Control({ id, legendId, label, type, defaultValue, errors }: { id: string; legendId: string; label: string; type: 'date' | 'time'; defaultValue: string; errors?: string[] }) {
  const hasError = Boolean(errors?.length);
  return (
    <div className={`usa-form-group margin-top-1${hasError ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label margin-top-0${hasError ? ' usa-label--error' : ''}`} htmlFor={id} id={`${id}-label`}>
        {label}
      </label>
      {hasError ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {errors!.join(' ')}
        </span>
      ) : null}
      <input
        className={`usa-input${hasError ? ' usa-input--error' : ''}`}
        id={id}
        name={id}
        type={type}
        defaultValue={defaultValue}
        aria-labelledby={`${legendId} ${id}-label`}
        aria-invalid={hasError ? true : undefined}
        aria-describedby={describedBy(id, undefined, errors)}
      />
    </div>
  );
}

/** Shown once a save met a deadline already past: the person confirms it is meant and says why (kept in the audit log). */
export function PastDeadlineConfirm({ example, errors }: { example: string; errors?: string[] }) {
  return (
    <fieldset className="usa-fieldset margin-top-3">
      <legend className="usa-legend">A deadline that has already passed</legend>
      <div className="usa-checkbox">
        <input className="usa-checkbox__input" type="checkbox" id="confirmPast" name="confirmPast" value="yes" />
        <label className="usa-checkbox__label" htmlFor="confirmPast">
          Set it anyway: the deadline is meant to be in the past
        </label>
      </div>
      <TextArea name="pastReason" label="Reason" hint={`For example, ${example}. Kept in the audit log.`} required maxLength={2000} errors={errors} />
    </fieldset>
  );
}
