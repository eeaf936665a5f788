/**
 * An "add" form empties itself after a successful add, and an upload form forgets the file it sent.
 *
 * Without this, a form that posts and comes back to the same page keeps what was typed (React does not touch an
 * uncontrolled field whose default did not change), so the next question silently inherited the previous one's
 * guidance and references. Success is the navigation this form started ending with a redirect (no action data) or
 * with action data that has no `errors`; a refused add keeps everything so the person can correct it.
 *
 * Usage: `<ResetAfterSuccessForm method="post">` in place of Remix's `<Form>`, or, to hold the ref yourself,
 * `const add = useResetAfterSuccess(); <Form ref={add.ref} key={add.generation}>`. The `key` remounts the form (clearing
 * any React state inside it too); the hook also calls `form.reset()`, which restores every field to its rendered
 * default and empties file inputs.
 */
import { Form, type FormProps, useActionData, useNavigation } from '@remix-run/react';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { NAVIGATION_BLOCKED } from './busy-submit';

export function actionSucceeded(actionData: unknown): boolean {
  if (actionData === undefined || actionData === null) return true;
  if (typeof actionData !== 'object') return true;
  return !('errors' in actionData) || (actionData as { errors: unknown }).errors == null;
}

export function useResetAfterSuccess(succeeded: (actionData: unknown) => boolean = actionSucceeded): {
  ref: RefObject<HTMLFormElement>;
  generation: number;
} {
  const ref = useRef<HTMLFormElement>(null);
  const navigation = useNavigation();
  const actionData: unknown = useActionData();
  const [generation, setGeneration] = useState(0);
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
  }, [generation]);

  useEffect(() => {
    if (navigation.state !== 'idle') {
      if (phase.current === 'sent') phase.current = 'running';
      return;
    }
    if (phase.current !== 'running') return;
    phase.current = 'none';
    if (!succeeded(actionData)) return;
    ref.current?.reset();
    setGeneration((g) => g + 1);
  }, [navigation.state, actionData, succeeded]);

  return { ref, generation };
}

/** Remix's `<Form>` that empties itself after a successful submission (an "add" or upload form). */
export function ResetAfterSuccessForm(props: FormProps) {
  const { ref, generation } = useResetAfterSuccess();
  return <Form {...props} ref={ref} key={generation} />;
}
