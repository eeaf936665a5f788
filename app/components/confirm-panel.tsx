import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';

/**
 * A confirmation step that works without JavaScript: the page shows it (from a `?confirm=` link), the user confirms or
 * cancels. `fields` are posted as hidden inputs; `formContent` goes inside the form before the buttons (a reason the
 * move needs). `returnTo` is posted too, so the action can send the user back to where they were (checked there with
 * `safeRedirectPath`); Cancel goes to `cancelTo`. `action` posts somewhere other than the current URL (without the
 * `?confirm=` that opened the panel, so it does not show again after the move).
 */
export function ConfirmPanel({
  title,
  children,
  fields,
  cancelTo,
  confirmLabel,
  formContent,
  returnTo,
  action,
  danger = false,
}: {
  title: string;
  children: ReactNode;
  fields: Record<string, string>;
  cancelTo: string;
  confirmLabel: string;
  formContent?: ReactNode;
  returnTo?: string;
  action?: string;
  /** A delete or another move that destroys or locks something: the confirm button is red. */
  danger?: boolean;
}) {
  return (
    <div className="usa-alert usa-alert--warning margin-bottom-3 wb-confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-body">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="confirm-title">
          {title}
        </h2>
        <div className="usa-alert__text" id="confirm-body">
          {children}
        </div>
        <Form method="post" action={action} className="usa-form usa-form--large margin-top-2">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
          {formContent}
          <div className="margin-top-2">
            <button type="submit" className={`usa-button${danger ? ' usa-button--secondary' : ''}`}>
              {confirmLabel}
            </button>
            <Link to={cancelTo} className="usa-button usa-button--outline">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
