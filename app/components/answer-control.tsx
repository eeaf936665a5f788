/**
 * The control for one answer, by answer type: shared by the lead's answer-entry form and the vendor's online response,
 * so an answer is typed the same way wherever it is recorded. Uncontrolled (`defaultValue`), so the unsaved-changes
 * guard can compare what is typed with what the page was rendered with.
 */
import type { AnswerValue } from '#app/utils/db.server';
import { answerToText, MAX_ANSWER_LENGTH } from '#app/responses/answer-input';

export function AnswerControl({
  name,
  answerType,
  options,
  value,
  disabled = false,
  describedBy,
  onChange,
}: {
  /** The field name; also the control's id (checkboxes add `-N`). */
  name: string;
  answerType: string;
  options: Array<{ label: string }>;
  value: AnswerValue;
  disabled?: boolean;
  describedBy?: string;
  onChange?: () => void;
}) {
  switch (answerType) {
    case 'yes_no':
    case 'choice':
      return (
        <select className="usa-select" id={name} name={name} defaultValue={typeof value === 'string' ? value : ''} disabled={disabled} aria-describedby={describedBy} onChange={onChange}>
          <option value="">- No answer -</option>
          {options.map((o) => (
            <option key={o.label} value={o.label}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'multi_choice':
      return (
        <div>
          {options.map((o, i) => (
            <div className="usa-checkbox" key={o.label}>
              <input
                className="usa-checkbox__input"
                type="checkbox"
                id={`${name}-${i}`}
                name={name}
                value={o.label}
                defaultChecked={Array.isArray(value) && value.includes(o.label)}
                disabled={disabled}
                onChange={onChange}
              />
              <label className="usa-checkbox__label" htmlFor={`${name}-${i}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      );
    case 'number':
      return (
        <input
          className="usa-input"
          id={name}
          name={name}
          inputMode="decimal"
          defaultValue={value === null ? '' : String(value)}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={onChange}
        />
      );
    default:
      return (
        <textarea
          className="usa-textarea wb-answer"
          id={name}
          name={name}
          maxLength={MAX_ANSWER_LENGTH}
          defaultValue={answerToText(value)}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={onChange}
        />
      );
  }
}
