/**
 * "The button you clicked is working", for every form of the app in one place (rendered by the root).
 *
 * On submit, the button that submitted the form (`event.submitter`, else the form's first submit button) is marked
 * `aria-busy` and `aria-disabled` — after the browser and Remix have read the form, so its name and value still go with
 * the request — and styled as busy (app/styles/no-lost-work.css). A second submit of a busy form is swallowed, so a
 * double click cannot add a question twice. The marks are cleared when every navigation and fetcher is idle again,
 * when the unsaved-changes guard stops the navigation (it says so with the `NAVIGATION_BLOCKED` event), and when the
 * browser restores the page from its cache.
 */
import { useFetchers, useNavigation } from '@remix-run/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

const BUSY = 'data-busy-submit';
/** Dispatched on window by the unsaved-changes guard when it holds a navigation back to ask first. */
export const NAVIGATION_BLOCKED = 'wb:navigation-blocked';

function submitterOf(event: SubmitEvent, form: HTMLFormElement): HTMLElement | null {
  if (event.submitter instanceof HTMLElement) return event.submitter;
  return form.querySelector<HTMLElement>('button[type="submit"], button:not([type]), input[type="submit"]');
}

function busyElements(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`[${BUSY}]`));
}

/** Clears every busy mark (the navigation they waited for has finished or will not happen). */
export function clearBusySubmitters(): void {
  for (const element of busyElements()) {
    element.removeAttribute(BUSY);
    element.removeAttribute('aria-busy');
    element.removeAttribute('aria-disabled');
  }
}

function labelOf(element: HTMLElement): string {
  return (element instanceof HTMLInputElement ? element.value : element.textContent ?? '').trim();
}

export function BusySubmitIndicator() {
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const idle = navigation.state === 'idle' && fetchers.every((f) => f.state === 'idle');
  const [announcement, setAnnouncement] = useState('');
  // Read by the submit listener: a busy mark only holds a form back while something is actually under way.
  const working = useRef(false);

  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (form.querySelector(`[${BUSY}]`)) {
        if (working.current) {
          // Already sent and not answered yet: a second click would send it again.
          event.preventDefault();
          event.stopPropagation();
          return;
        }
        clearBusySubmitters();
      }
      const button = submitterOf(event, form);
      if (!button) return;
      let blocked = false;
      const onBlocked = () => {
        blocked = true;
      };
      window.addEventListener(NAVIGATION_BLOCKED, onBlocked, { once: true });
      // After this task: Remix reads the form (with the submitter's name and value) in the same event.
      setTimeout(() => {
        window.removeEventListener(NAVIGATION_BLOCKED, onBlocked);
        if (blocked || !button.isConnected) return;
        button.setAttribute(BUSY, '');
        button.setAttribute('aria-busy', 'true');
        button.setAttribute('aria-disabled', 'true');
        setAnnouncement(`${labelOf(button) || 'Sending'}: working…`);
      }, 0);
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) clearBusySubmitters();
    };
    window.addEventListener('submit', onSubmit, true);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('submit', onSubmit, true);
      window.removeEventListener('pageshow', onPageShow);
    };
  }, []);

  // In the commit that shows the answer, so the page's next click finds the button ready.
  useLayoutEffect(() => {
    working.current = !idle;
    if (!idle) return;
    clearBusySubmitters();
    setAnnouncement('');
  }, [idle]);

  return (
    // A live region without role="status": the page's own status messages stay the only status on the page.
    <div className="usa-sr-only" aria-live="polite">
      {announcement}
    </div>
  );
}
