/**
 * An "add" form empties itself after a successful add, and an upload form forgets the file it sent.
 *
 * Without this, a form that posts and comes back to the same page keeps what was typed (React does not touch an
 * uncontrolled field whose default did not change), so the next question silently inherited the previous one's
 * guidance and references. Success is the action this form sent answering with a redirect, or with action data that
 * has no `errors`; a refused add keeps everything so the person can correct it.
 *
 * Usage: `<ResetAfterSuccessForm method="post">` in place of Remix's `<Form>`, or, to hold the ref yourself,
 * `const ref = useResetAfterSuccess(); <Form ref={ref}>`. `form.reset()` restores every field to its rendered default
 * and empties file inputs.
 */
import { Form, type FormProps, useActionData, useNavigation } from '@remix-run/react';
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';
import { NAVIGATION_BLOCKED } from './busy-submit';

export function actionSucceeded(actionData: unknown): boolean {
  if (actionData === undefined || actionData === null) return true;
  if (typeof actionData !== 'object') return true;
  return !('errors' in actionData) || (actionData as { errors: unknown }).errors == null;
}

export function useResetAfterSuccess(succeeded: (actionData: unknown) => boolean = actionSucceeded): RefObject<HTMLFormElement> {
  const ref = useRef<HTMLFormElement>(null);
  const navigation = useNavigation();
  const actionData: unknown = useActionData();
  // 'sent': this form's submit event fired; 'running': the navigation it started is under way.
  const phase = useRef<'none' | 'sent' | 'running'>('none');

  useEffect(() => {
    const form = ref.current;
    if (!form) return;
    const onSubmit = () => {
      phase.current = 'sent';
      // The unsaved-changes guard may hold this submission back (Remix decides in this same event).
      const onBlocked = () => {
        phase.current = 'none';
      };
      window.addEventListener(NAVIGATION_BLOCKED, onBlocked, { once: true });
      setTimeout(() => window.removeEventListener(NAVIGATION_BLOCKED, onBlocked), 0);
    };
    form.addEventListener('submit', onSubmit);
    return () => form.removeEventListener('submit', onSubmit);
  }, []);

  // Decided when the action's answer arrives (the "loading" that follows "submitting" carries its data, or a redirect),
  // in the commit that shows the answer: nothing typed after the success message appears is wiped.
  useLayoutEffect(() => {
    if (phase.current === 'sent') {
      // A GET form goes straight to loading: it is a search, not an add.
      phase.current = navigation.state === 'submitting' ? 'running' : navigation.state === 'loading' ? 'none' : 'sent';
      return;
    }
    if (phase.current !== 'running' || navigation.state === 'submitting') return;
    phase.current = 'none';
    const redirected = navigation.state === 'loading' && (navigation.location.state as { _isRedirect?: boolean } | null)?._isRedirect === true;
    if (redirected || succeeded(actionData)) ref.current?.reset();
  }, [navigation, actionData, succeeded]);

  return ref;
}

/** Remix's `<Form>` that empties itself after a successful submission (an "add" or upload form). */
export function ResetAfterSuccessForm(props: FormProps) {
  const ref = useResetAfterSuccess();
  return <Form {...props} ref={ref} />;
}
