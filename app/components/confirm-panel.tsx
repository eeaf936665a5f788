import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';

/** A confirmation step that works without JavaScript: the page shows it, the user confirms or cancels. */
export function ConfirmPanel({ title, children, fields, cancelTo, confirmLabel }: { title: string; children: ReactNode; fields: Record<string, string>; cancelTo: string; confirmLabel: string }) {
  return (
    <div className="usa-alert usa-alert--warning margin-bottom-3" role="alertdialog" aria-labelledby="confirm-title">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="confirm-title">
          {title}
        </h2>
        <div className="usa-alert__text">{children}</div>
        <Form method="post" className="margin-top-2">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" className="usa-button usa-button--secondary">
            {confirmLabel}
          </button>
          <Link to={cancelTo} className="usa-button usa-button--outline">
            Cancel
          </Link>
        </Form>
      </div>
    </div>
  );
}
