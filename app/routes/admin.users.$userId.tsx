import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { ConfirmPanel } from '#app/components/confirm-panel';
import {
  accountReach,
  countActiveAdmins,
  getDb,
  getUserById,
  hashPassword,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  getAccountSecurity,
  removeTwoFactor,
} from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { formError, parseForm } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS, GLOBAL_ROLES, MEMBER_ROLE_LABELS } from '#app/utils/permissions';
import { STATUS_PHRASES } from '#app/rfp/status';
import { plural, withArticle } from '#app/utils/wording';
import { notFound, requireGlobalPermission } from '#app/utils/permissions.server';
import { globalRoleSchema, MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? 'User'} · Users · AI Vendor Evaluation Workbench` }];

const userActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('role'), role: globalRoleSchema }),
  z.object({ intent: z.literal('disable') }),
  z.object({ intent: z.literal('enable') }),
  z.object({ intent: z.literal('reset-password'), password: passwordSchema }),
  z.object({ intent: z.literal('reset-two-factor') }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireGlobalPermission(request, 'users:manage');
  const db = getDb();
  const user = await getUserById(db, params.userId ?? '');
  if (!user) notFound('No such user');
  const { password_hash: _omit, ...publicUser } = user;
  // `?confirm=disable`: the confirmation says what disabling this account ends, before it happens.
  const confirmDisable = new URL(request.url).searchParams.get('confirm') === 'disable' && !user.disabled && user.id !== admin.id;
  const security = await getAccountSecurity(db, user.id);
  return json({ user: publicUser, security, disableReach: confirmDisable ? await accountReach(db, user.id) : null, isSelf: user.id === admin.id });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireGlobalPermission(request, 'users:manage');
  const parsed = parseForm(await request.formData(), userActionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  const actor = { id: admin.id, email: admin.email };
  const passwordHash = input.intent === 'reset-password' ? await hashPassword(input.password) : null;
  const outcome = await getDb()
    .transaction()
    .execute(async (trx) => {
      const target = await getUserById(trx, params.userId ?? '');
      if (!target) return { status: 404 as const };
      const losesAdmin = target.role === 'admin' && !target.disabled && (input.intent === 'disable' || (input.intent === 'role' && input.role !== 'admin'));
      if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
        return { error: 'This is the last active administrator. Make someone else an administrator first.' };
      }
      if (input.intent === 'disable' && target.id === admin.id) return { error: 'You cannot disable your own account.' };
      // A vendor contact speaks for a vendor organisation: their account never becomes a staff one (nor the reverse).
      if (input.intent === 'role' && target.role === 'vendor') return { error: `${target.name} is a vendor contact; a vendor contact’s account cannot be given a staff role. Invite the person separately with a city address.` };
      switch (input.intent) {
        case 'role':
          await setUserRole(trx, actor, target.id, input.role);
          return { message: `${target.name} is now ${withArticle(GLOBAL_ROLE_LABELS[input.role].toLowerCase())}.` };
        case 'disable':
          await setUserDisabled(trx, actor, target.id, true);
          return { message: `${target.name}'s account is disabled and their sessions were ended.` };
        case 'enable':
          await setUserDisabled(trx, actor, target.id, false);
          return { message: `${target.name}'s account is enabled again.` };
        case 'reset-password':
          await setUserPassword(trx, actor, target.id, passwordHash!);
          return { message: `${target.name}'s password was reset and their sessions were ended. They choose a new one when they next sign in.` };
        case 'reset-two-factor':
          return (await removeTwoFactor(trx, actor, target.id))
            ? { message: `${target.name}'s two-step verification was reset: they sign in with their password alone and can set it up again.` }
            : { error: `${target.name} has no two-step verification to reset.` };
      }
    });
  if (outcome.status === 404) notFound('No such user');
  if (outcome.error) return json({ errors: formError(outcome.error), message: null }, { status: 400 });
  return json({ errors: null, message: outcome.message ?? null });
}

export default function EditUser() {
  const { user, security, disableReach, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const userPath = `/admin/users/${user.id}`;
  return (
    <>
      <Breadcrumbs trail={[{ to: "/admin/users", label: 'Users' }]} current={user.name} />
      <h1>{user.name}</h1>
      <p>
        {user.email} · {GLOBAL_ROLE_LABELS[user.role]} · {user.disabled ? 'Disabled' : 'Active'} · last changed {formatDateTime(user.updated_at)}
      </p>
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={actionData?.message} />
      {disableReach ? (
        <ConfirmPanel title={`Disable ${user.name}’s account?`} fields={{ intent: 'disable' }} action={userPath} cancelTo={userPath} confirmLabel="Disable account" danger>
          <ul className="usa-list">
            <li>
              {user.name} can no longer sign in
              {disableReach.activeSessions > 0 ? `, and ${disableReach.activeSessions === 1 ? 'the session they have open ends' : `the ${plural(disableReach.activeSessions, 'session')} they have open end`} now` : ''}.
            </li>
            {disableReach.memberships.length > 0 ? (
              <li>
                They stay on the team of {plural(disableReach.memberships.length, 'RFP')}, and everything they recorded stays in the record:{' '}
                {disableReach.memberships.map((m, i) => (
                  <span key={m.rfp_id}>
                    {i > 0 ? '; ' : ''}
                    {m.reference} ({MEMBER_ROLE_LABELS[m.role].toLowerCase()}, {STATUS_PHRASES[m.status]})
                  </span>
                ))}
                .
              </li>
            ) : (
              <li>They are not on the team of any RFP.</li>
            )}
            <li>The account can be enabled again here; the change is kept in the audit log.</li>
          </ul>
        </ConfirmPanel>
      ) : null}
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="role-heading">
          <h2 id="role-heading">Role</h2>
          {user.role === 'vendor' ? (
            <p>{`${GLOBAL_ROLE_LABELS.vendor}. The account signs in to the vendor portal only; its role cannot be changed.`}</p>
          ) : (
            <Form method="post" className="usa-form">
              <input type="hidden" name="intent" value="role" />
              <SelectField name="role" label="Global role" options={GLOBAL_ROLES.map((r) => ({ value: r, label: GLOBAL_ROLE_LABELS[r] }))} defaultValue={user.role} />
              <button type="submit" className="usa-button">
                Change role
              </button>
            </Form>
          )}
          <h2>Access</h2>
          {user.disabled ? (
            <Form method="post">
              <input type="hidden" name="intent" value="enable" />
              <p>This person cannot sign in.</p>
              <button type="submit" className="usa-button">
                Enable account
              </button>
            </Form>
          ) : isSelf ? (
            <p>This is your own account: another administrator can disable it.</p>
          ) : (
            <>
              <p>Disabling ends every session of this person at once. You will see what it changes before it happens.</p>
              <Link to={`${userPath}?confirm=disable`} className="usa-button usa-button--secondary">
                Disable account…
              </Link>
            </>
          )}
        </section>
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="password-heading">
          <h2 id="password-heading">Reset password</h2>
          <Form method="post" className="usa-form" noValidate>
            <input type="hidden" name="intent" value="reset-password" />
            <TextField
              name="password"
              label="New password"
              type="password"
              autoComplete="new-password"
              hint={`At least ${MIN_PASSWORD_LENGTH} characters. The person's sessions end, and they choose a new password when they next sign in.`}
              errors={errors?.fieldErrors.password}
            />
            <button type="submit" className="usa-button usa-button--outline">
              Reset password
            </button>
          </Form>
          <h2>Two-step verification</h2>
          <p>
            {security.totpEnabledAt ? `On since ${formatDateTime(security.totpEnabledAt)}; ${security.recoveryCodesLeft} recovery codes left.` : 'Off.'} Last sign-in:{' '}
            {formatDateTime(security.lastSignInAt)}.{security.mustChangePassword ? ' Must choose a new password at the next sign-in.' : ''}
          </p>
          {security.totpEnabledAt ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reset-two-factor" />
              <p className="usa-hint">For someone who lost their phone and their recovery codes: check who they are first.</p>
              <button type="submit" className="usa-button usa-button--outline">
                Reset two-step verification
              </button>
            </Form>
          ) : null}
        </section>
      </div>
    </>
  );
}
