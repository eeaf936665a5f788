/**
 * A person's own notifications (newest first, unread marked) and how they want to receive each kind by mail. Everyone
 * signed in has this page; it shows only their own notifications.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage } from '#app/components/form-fields';
import { Pager } from '#app/components/pager';
import { CHOOSABLE_KINDS, MAIL_MODE_LABELS, MAIL_MODES, type MailMode, NOTIFICATION_KINDS, type NotificationKind } from '#app/mail/notification-kinds';
import { getMailModes, listNotifications, markNotificationsRead, setMailModes } from '#db/queries/notifications';
import { getDb } from '#app/utils/db.server';
import { formError, parseForm } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { type FieldErrors, LIST_PAGE_SIZE, pageInfo, parsePage } from '#app/utils/list-filters';
import { safeRedirectPath } from '#app/utils/safe-redirect';
import { requireUser } from '#app/utils/session.server';
import { plural } from '#app/utils/wording';

export const meta: MetaFunction = () => [{ title: 'Notifications · AI Vendor Evaluation Workbench' }];

const modeSchema = z.enum(MAIL_MODES as [MailMode, ...MailMode[]], { error: 'Choose how to receive it.' });
const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.string().min(1).max(100) }),
  z.object({ intent: z.literal('read-all') }),
  z.object({ intent: z.literal('preferences'), ...Object.fromEntries(CHOOSABLE_KINDS.map((k) => [k, modeSchema])) }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const errors: FieldErrors = {};
  const requested = parsePage(new URL(request.url).searchParams, errors);
  const db = getDb();
  const first = await listNotifications(db, user.id, { limit: LIST_PAGE_SIZE, offset: (requested - 1) * LIST_PAGE_SIZE });
  const page = pageInfo(first.total, LIST_PAGE_SIZE, requested);
  // A page past the end shows the last one.
  const list = page.page === requested ? first : await listNotifications(db, user.id, { limit: LIST_PAGE_SIZE, offset: (page.page - 1) * LIST_PAGE_SIZE });
  const modes = await getMailModes(db, user.id);
  return json({
    entries: list.entries,
    unread: list.unread,
    page,
    choices: CHOOSABLE_KINDS.map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, mode: modes[kind] ?? 'immediate' })),
    essential: (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((k) => NOTIFICATION_KINDS[k].essential).map((k) => NOTIFICATION_KINDS[k].label),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  const db = getDb();
  if (input.intent === 'read') {
    const changed = await markNotificationsRead(db, user.id, [input.id]);
    if (changed === 0) return json({ errors: formError('That notification is already read, or is not yours.'), message: null }, { status: 404 });
    return json({ errors: null, message: 'Marked as read.' });
  }
  if (input.intent === 'read-all') {
    const changed = await markNotificationsRead(db, user.id, 'all');
    return json({ errors: null, message: changed === 0 ? 'Nothing was unread.' : `${plural(changed, 'notification')} marked as read.` });
  }
  const modes = Object.fromEntries(CHOOSABLE_KINDS.map((k) => [k, (input as Record<string, string>)[k] as MailMode]));
  await setMailModes(db, user.id, modes);
  return json({ errors: null, message: 'Your mail choices are saved.' });
}

export default function Notifications() {
  const { entries, unread, page, choices, essential } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>Notifications</h1>
      <p className="usa-intro">{unread === 0 ? 'Nothing unread.' : `${plural(unread, 'unread notification')}.`}</p>
      <SuccessMessage message={actionData?.message} />
      <FormErrorSummary errors={actionData?.errors} />
      {entries.length === 0 ? (
        <p>No notifications yet. You are told here (and by mail) when there is work for you: an assignment, a deadline, a reopened scoresheet.</p>
      ) : (
        <>
          {unread > 0 ? (
            <Form method="post" className="margin-bottom-2">
              <button type="submit" name="intent" value="read-all" className="usa-button usa-button--outline">
                Mark all as read
              </button>
            </Form>
          ) : null}
          <ul className="usa-list usa-list--unstyled wb-notifications">
            {entries.map((n) => (
              <li key={n.id} className={`wb-notification${n.read ? '' : ' wb-notification--unread'}`}>
                <p className="margin-y-05">
                  {n.read ? null : <span className="usa-tag margin-right-1">New</span>}
                  <strong>{n.subject}</strong> <span className="text-base">· {formatDateTime(n.createdAt)}</span>
                </p>
                <details>
                  <summary>What it says</summary>
                  <pre className="wb-mail-text">{n.text}</pre>
                </details>
                <div className="wb-notification__actions">
                  {n.linkPath ? (
                    <Link to={safeRedirectPath(n.linkPath)} className="usa-link">
                      Open<span className="usa-sr-only">: {n.subject}</span>
                    </Link>
                  ) : null}
                  {n.read ? null : (
                    <Form method="post">
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" name="intent" value="read" className="usa-button usa-button--unstyled">
                        Mark as read<span className="usa-sr-only">: {n.subject}</span>
                      </button>
                    </Form>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <Pager info={page} label="Pages of your notifications" />
        </>
      )}
      <section aria-labelledby="mail-choices" className="margin-top-4">
        <h2 id="mail-choices">Mail</h2>
        <p>These always come by mail at once, because they ask you to act: {essential.join('; ')}.</p>
        <Form method="post" className="usa-form usa-form--large" data-unsaved-warning="Your mail choices">
          {choices.map((c) => (
            <SelectField key={c.kind} name={c.kind} label={c.label} options={MAIL_MODES.map((m) => ({ value: m, label: MAIL_MODE_LABELS[m] }))} defaultValue={c.mode} required />
          ))}
          <button type="submit" name="intent" value="preferences" className="usa-button">
            Save mail choices
          </button>
        </Form>
      </section>
    </>
  );
}
