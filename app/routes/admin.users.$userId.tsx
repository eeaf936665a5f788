import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import {
  countActiveAdmins,
  getDb,
  getUserById,
  hashPassword,
  setUserDisabled,
  setUserPassword,
  setUserRole,
} from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { formError, parseForm } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS, GLOBAL_ROLES } from '#app/utils/permissions';
import { notFound, requireGlobalPermission } from '#app/utils/permissions.server';
import { globalRoleSchema, MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? 'User'} · Users · AI Vendor Evaluation Workbench` }];

const userActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('role'), role: globalRoleSchema }),
  z.object({ intent: z.literal('disable') }),
  z.object({ intent: z.literal('enable') }),
  z.object({ intent: z.literal('reset-password'), password: passwordSchema }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'users:manage');
  const user = await getUserById(getDb(), params.userId ?? '');
  if (!user) notFound('No such user');
  const { password_hash: _omit, ...publicUser } = user;
  return json({ user: publicUser });
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
      switch (input.intent) {
        case 'role':
          await setUserRole(trx, actor, target.id, input.role);
          return { message: `${target.name} is now ${GLOBAL_ROLE_LABELS[input.role].toLowerCase()}.` };
        case 'disable':
          await setUserDisabled(trx, actor, target.id, true);
          return { message: `${target.name}'s account is disabled and their sessions were ended.` };
        case 'enable':
          await setUserDisabled(trx, actor, target.id, false);
          return { message: `${target.name}'s account is enabled again.` };
        case 'reset-password':
          await setUserPassword(trx, actor, target.id, passwordHash!);
          return { message: `${target.name}'s password was reset and their sessions were ended.` };
      }
    });
  if (outcome.status === 404) notFound('No such user');
  if (outcome.error) return json({ errors: formError(outcome.error), message: null }, { status: 400 });
  return json({ errors: null, message: outcome.message ?? null });
}

export default function EditUser() {
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <Breadcrumbs trail={[{ to: "/admin/users", label: 'Users' }]} current={user.name} />
      <h1>{user.name}</h1>
      <p>
        {user.email} · {GLOBAL_ROLE_LABELS[user.role]} · {user.disabled ? 'Disabled' : 'Active'} · last changed {formatDateTime(user.updated_at)}
      </p>
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={actionData?.message} />
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="role-heading">
          <h2 id="role-heading">Role</h2>
          <Form method="post" className="usa-form">
            <input type="hidden" name="intent" value="role" />
            <SelectField name="role" label="Global role" options={GLOBAL_ROLES.map((r) => ({ value: r, label: GLOBAL_ROLE_LABELS[r] }))} defaultValue={user.role} />
            <button type="submit" className="usa-button">
              Change role
            </button>
          </Form>
          <h2>Access</h2>
          <Form method="post">
            <input type="hidden" name="intent" value={user.disabled ? 'enable' : 'disable'} />
            <p>{user.disabled ? 'This person cannot sign in.' : 'Disabling ends every session of this person at once.'}</p>
            <button type="submit" className={`usa-button ${user.disabled ? '' : 'usa-button--secondary'}`}>
              {user.disabled ? 'Enable account' : 'Disable account'}
            </button>
          </Form>
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
              hint={`At least ${MIN_PASSWORD_LENGTH} characters. The person's sessions end.`}
              errors={errors?.fieldErrors.password}
            />
            <button type="submit" className="usa-button usa-button--outline">
              Reset password
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
