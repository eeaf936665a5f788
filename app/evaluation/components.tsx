/** Small pieces shared by the evaluation pages. Vendor text is always rendered as text (React escapes it). */
import { formatDateTime } from '#app/utils/format';
import { isOverdue, SHEET_STATUS_LABELS } from './rules';

export type SheetStateName = 'not_started' | 'in_progress' | 'submitted' | 'recused';

export function SheetStateTag({ state }: { state: SheetStateName }) {
  const label = state === 'recused' ? 'Recused' : SHEET_STATUS_LABELS[state];
  return <span className={`usa-tag wb-sheet wb-sheet--${state}`}>{label}</span>;
}

/** "Due …" with an overdue mark once the date has passed. */
export function DueDate({ dueAt, done = false }: { dueAt: string | null; done?: boolean }) {
  if (!dueAt) return <span>No due date set</span>;
  const overdue = !done && isOverdue(dueAt);
  return (
    <span>
      {formatDateTime(dueAt)}
      {overdue ? <span className="usa-tag wb-overdue margin-left-1">Overdue</span> : null}
    </span>
  );
}

/** One vendor answer: text keeps its line breaks (CSS), choices become a list, nothing says so. */
export function AnswerView({ value }: { value: string | number | string[] | null }) {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    return <p className="wb-eval-answer wb-eval-answer--empty">No answer recorded.</p>;
  }
  if (Array.isArray(value)) {
    return (
      <ul className="wb-eval-answer usa-list">
        {value.map((v, i) => (
          <li key={`${i}-${v}`}>{v}</li>
        ))}
      </ul>
    );
  }
  return <div className="wb-eval-answer">{typeof value === 'number' ? value.toLocaleString('en-US') : value}</div>;
}

export function Progress({ scored, total }: { scored: number; total: number }) {
  return (
    <span>
      {`${scored}/${total}`}
      <span className="usa-sr-only"> criteria scored</span>
    </span>
  );
}
