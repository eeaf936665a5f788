/**
 * No lost work: a page's long forms are guarded against leaving with unsaved changes, in one place for the whole app.
 *
 * A form opts in with `data-unsaved-warning="what it is"` (e.g. "Score for PRC-01"). It has unsaved changes when a
 * control's value differs from the value the page was rendered with — the DOM keeps that as `defaultValue`,
 * `defaultChecked` and `defaultSelected`, and React updates them when a save re-renders the form — or when the form
 * says so itself with `data-unsaved="true"` (e.g. a restored rationale draft that is not a saved score yet). So no form
 * needs its own bookkeeping: typing a change and typing it back is not a change.
 *
 * The one guard (rendered by the root) asks before an in-app navigation (Remix's `useBlocker`) and lets the browser
 * ask before a reload, a typed address or closing the tab (`beforeunload`). Submitting a form is not leaving it: a
 * save that comes back to the same page keeps what the other forms hold, so only a submission that goes to another
 * page (or is marked `data-leaves-page`) asks about the other forms.
 *
 * A link followed while a save is still under way is decided once the save is done: the router shows the action's
 * answer ("Saved.") before it has re-read the page's data, and until then the controls' defaults are the values from
 * before the save, so asking at once would call a saved form unsaved (2026-12-03, seen by the working-day story). The
 * navigation waits for the page to settle, then goes on if nothing is unsaved, or asks if the save was refused.
 */
import { type BlockerFunction, type Path, useBlocker, useNavigate, useNavigation } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { NAVIGATION_BLOCKED } from './busy-submit';

export const UNSAVED_WARNING = 'data-unsaved-warning';

function selectChanged(select: HTMLSelectElement): boolean {
  const options = Array.from(select.options);
  if (select.multiple) return options.some((o) => o.selected !== o.defaultSelected);
  // A single select with no option marked selected shows its first option.
  let expected = 0;
  options.forEach((o, i) => {
    if (o.defaultSelected) expected = i;
  });
  return options.length > 0 && select.selectedIndex !== expected;
}

/** Whether a control of the form differs from what the page rendered (or the form declares unsaved work itself). */
export function formHasUnsavedChanges(form: HTMLFormElement): boolean {
  if (form.dataset.unsaved === 'true') return true;
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLInputElement) {
      if (['hidden', 'submit', 'button', 'reset', 'image'].includes(element.type)) continue;
      if (element.type === 'checkbox' || element.type === 'radio') {
        if (element.checked !== element.defaultChecked) return true;
      } else if (element.type === 'file') {
        if (element.files && element.files.length > 0) return true;
      } else if (element.value !== element.defaultValue) {
        return true;
      }
    } else if (element instanceof HTMLTextAreaElement) {
      if (element.value !== element.defaultValue) return true;
    } else if (element instanceof HTMLSelectElement) {
      if (selectChanged(element)) return true;
    }
  }
  return false;
}

/** The guarded forms on the page that hold unsaved changes, `except` the one being submitted. */
export function formsWithUnsavedChanges(except?: HTMLFormElement | null): HTMLFormElement[] {
  return Array.from(document.querySelectorAll<HTMLFormElement>(`form[${UNSAVED_WARNING}]`)).filter((form) => form !== except && formHasUnsavedChanges(form));
}

function describeForm(form: HTMLFormElement): string {
  return form.getAttribute(UNSAVED_WARNING) || form.getAttribute('aria-label') || 'A form on this page';
}

/** The root's guard: a dialog for in-app navigation, the browser's own question for reloads and closing. */
export function UnsavedChangesGuard() {
  // The form whose submit event is being handled right now (Remix starts its navigation in the same task).
  const submitting = useRef<HTMLFormElement | null>(null);
  const [unsaved, setUnsaved] = useState<string[]>([]);
  const navigation = useNavigation();
  // Read by the blocker function, which the router calls outside React's render.
  const saveUnderWay = useRef(false);
  saveUnderWay.current = navigation.state !== 'idle' && navigation.formMethod !== undefined;
  // A link followed while a save is under way, held (no dialog yet) until the save is done. The router forgets a
  // blocked navigation when the save's own navigation completes, so the guard keeps where the link went itself.
  const heldLink = useRef<{ to: Path; replace: boolean } | null>(null);
  const [held, setHeld] = useState(false);
  const navigate = useNavigate();

  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      if (!(event.target instanceof HTMLFormElement)) return;
      submitting.current = event.target;
      setTimeout(() => {
        submitting.current = null;
      }, 0);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (formsWithUnsavedChanges(submitting.current).length === 0) return;
      event.preventDefault();
      // Chromium still needs returnValue set to ask.
      event.returnValue = '';
    };
    window.addEventListener('submit', onSubmit, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('submit', onSubmit, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation, historyAction }) => {
    const samePage = currentLocation.pathname === nextLocation.pathname;
    const submitted = submitting.current;
    let forms: HTMLFormElement[];
    if (submitted) {
      if (samePage && !submitted.hasAttribute('data-leaves-page')) return false;
      forms = formsWithUnsavedChanges(submitted);
    } else {
      // A link to an anchor of this page loses nothing.
      if (samePage && currentLocation.search === nextLocation.search) return false;
      forms = formsWithUnsavedChanges();
      // The browser's back and forward buttons are asked about at once: they cannot be replayed as a link.
      if (forms.length > 0 && saveUnderWay.current && historyAction !== 'POP') {
        const { pathname, search, hash } = nextLocation;
        heldLink.current = { to: { pathname, search, hash }, replace: historyAction === 'REPLACE' };
        setHeld(true);
        return true;
      }
    }
    if (forms.length === 0) return false;
    setUnsaved(forms.map(describeForm));
    window.dispatchEvent(new Event(NAVIGATION_BLOCKED));
    return true;
  }, []);
  const blocker = useBlocker(shouldBlock);

  // The held link, once the save is done and the page shows what was saved: followed again, it is asked about only
  // if a form is still unsaved (the save was refused).
  useEffect(() => {
    if (!held || navigation.state !== 'idle') return;
    const link = heldLink.current;
    heldLink.current = null;
    setHeld(false);
    if (blocker.state === 'blocked') blocker.reset();
    if (link) navigate(link.to, { replace: link.replace });
  }, [held, navigation.state, blocker, navigate]);

  const asking = blocker.state === 'blocked' && !held;
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (asking && !element.open) element.showModal();
    if (!asking && element.open) element.close();
  }, [asking]);

  const stay = () => {
    if (blocker.state === 'blocked') blocker.reset();
  };
  const leave = () => {
    if (blocker.state === 'blocked') blocker.proceed();
  };
  return (
    <dialog
      ref={dialog}
      className="wb-dialog"
      aria-labelledby="unsaved-changes-title"
      aria-describedby="unsaved-changes-text"
      onCancel={(event) => {
        // Escape means "stay".
        event.preventDefault();
        stay();
      }}
    >
      {asking ? (
        <>
          <h2 id="unsaved-changes-title" className="margin-top-0">
            Leave without saving?
          </h2>
          <div id="unsaved-changes-text">
            <p>You have changes on this page that are not saved. If you leave now, they are lost:</p>
            <ul className="usa-list">
              {unsaved.map((name, i) => (
                <li key={`${i}:${name}`}>{name}</li>
              ))}
            </ul>
          </div>
          <div className="usa-button-group">
            {/* Staying is the safe answer, so it has the focus. */}
            <button type="button" className="usa-button" onClick={stay} autoFocus>
              Stay on this page
            </button>
            <button type="button" className="usa-button usa-button--secondary" onClick={leave}>
              Leave without saving
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
