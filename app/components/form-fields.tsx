/** USWDS form controls that wire labels, hints and error messages to the input for screen readers. */
import { type MouseEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import type { FormErrors } from '#app/utils/form';
import { MIN_PASSWORD_LENGTH } from '#db/password-policy';

interface FieldProps {
  name: string;
  /** Defaults to the name; give one when the same form appears several times on a page. */
  id?: string;
  label: string;
  hint?: string;
  errors?: string[];
  required?: boolean;
}

export function describedBy(id: string, hint?: string, errors?: string[]) {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A form group: the label (with a required mark), the hint and the errors, wired to the control given as children. */
export function FieldFrame({ name, id = name, label, hint, errors, required, children }: FieldProps & { children: ReactNode }) {
  const hasError = Boolean(errors?.length);
  return (
    <div className={`usa-form-group${hasError ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${hasError ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
        {required ? (
          <>
            {' '}
            <abbr title="required" className="usa-hint usa-hint--required">
              *
            </abbr>
          </>
        ) : null}
      </label>
      {hint ? (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {hasError ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {errors!.join(' ')}
        </span>
      ) : null}
      {children}
    </div>
  );
}

export function TextField(
  props: FieldProps & { type?: 'text' | 'email' | 'password' | 'date'; defaultValue?: string; autoComplete?: string; maxLength?: number; inputMode?: 'numeric' | 'text' },
) {
  const { name, id = name, hint, errors, required, type = 'text', defaultValue, autoComplete, maxLength, inputMode } = props;
  return (
    <FieldFrame {...props}>
      <input
        className={`usa-input${errors?.length ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      />
    </FieldFrame>
  );
}

/** A new password typed twice (`password`, `confirm`), as every page that sets one asks for it. */
export function NewPasswordFields({ label, againLabel, errors }: { label: string; againLabel: string; errors?: FormErrors['fieldErrors'] }) {
  return (
    <>
      <TextField
        name="password"
        label={label}
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is easiest to remember.`}
        required
        errors={errors?.password}
      />
      <TextField name="confirm" label={againLabel} type="password" autoComplete="new-password" required errors={errors?.confirm} />
    </>
  );
}

export function TextArea(props: FieldProps & { defaultValue?: string; maxLength?: number }) {
  const { name, id = name, hint, errors, required, defaultValue, maxLength } = props;
  return (
    <FieldFrame {...props}>
      <textarea
        className={`usa-textarea${errors?.length ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        defaultValue={defaultValue}
        maxLength={maxLength}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      />
    </FieldFrame>
  );
}

export function SelectField(
  props: FieldProps & { options: ReadonlyArray<{ value: string; label: string }>; defaultValue?: string; placeholder?: string },
) {
  const { name, id = name, hint, errors, required, options, defaultValue, placeholder } = props;
  return (
    <FieldFrame {...props}>
      <select
        // React sets the options' defaultSelected only when the select mounts: a save that changes the default (a
        // recorded consensus score) remounts it, so the unsaved-changes guard compares with what is saved now.
        key={defaultValue ?? ''}
        className={`usa-select${errors?.length ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        defaultValue={defaultValue ?? ''}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * The USWDS error summary at the top of a form: every form-level message, then every field's message as a link to
 * that field. When it appears (a refused submit), focus moves to it, so a keyboard or screen-reader user hears what
 * went wrong and can jump straight to each field; a link focuses its field rather than only scrolling to it.
 * `fieldIds` names the control of a field whose id is not its name (a form repeated on the page, a radio group).
 */
export function FormErrorSummary({ errors, fieldIds }: { errors?: FormErrors | null; fieldIds?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const fields = Object.entries(errors?.fieldErrors ?? {}).filter(([, messages]) => messages.length > 0);
  const count = (errors?.formErrors.length ?? 0) + fields.length;
  useEffect(() => {
    // Runs for each new error object, i.e. each refused submit, not on every render.
    if (errors && count > 0) ref.current?.focus();
  }, [errors, count]);
  if (!errors || count === 0) return null;
  return (
    <div className="usa-alert usa-alert--error usa-alert--slim wb-error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={fields.length ? headingId : undefined}>
      <div className="usa-alert__body">
        {fields.length ? (
          <p className="usa-alert__heading text-bold margin-top-0" id={headingId}>
            {count === 1 ? 'There is a problem with this form' : `There are ${count} problems with this form`}
          </p>
        ) : null}
        {errors.formErrors.map((message) => (
          <p className="usa-alert__text" key={message}>
            {message}
          </p>
        ))}
        {fields.length ? (
          <ul className="usa-list">
            {fields.map(([name, messages]) => {
              const target = fieldIds?.[name] ?? name;
              return (
                <li key={name}>
                  <a className="usa-link" href={`#${target}`} onClick={(event) => focusField(event, target)}>
                    {messages.join(' ')}
                  </a>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

/** Focuses the field itself (an anchor only scrolls to it), with its label in view above it. */
function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const field = document.getElementById(id);
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector<HTMLElement>(`label[for="${CSS.escape(id)}"]`);
  (label ?? field).scrollIntoView({ block: 'start' });
  field.focus({ preventScroll: true });
}

export function SuccessMessage({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}

/**
 * A native file input, deliberately without USWDS's `usa-file-input` class: uswds.js rebuilds that input's markup
 * (wrappers, a drop zone, a preview list) as the page loads, before React hydrates, so React met markup it had not
 * rendered and discarded the server's HTML on every load (React errors #418/#423). The native control is labelled the
 * same way and works with the keyboard and screen readers as it is.
 */
export function FileInput({ id = 'file', name = 'file', accept, describedBy: hintId, required }: { id?: string; name?: string; accept?: string; describedBy?: string; required?: boolean }) {
  return <input className="wb-file-input" id={id} name={name} type="file" accept={accept} aria-describedby={hintId} required={required} />;
}
