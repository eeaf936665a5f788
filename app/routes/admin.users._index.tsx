import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { ListCount, ListSearchForm } from '#app/components/list-search';
import { Pager } from '#app/components/pager';
import { createUser, DuplicateEmailError, getDb, getTwoFactorPolicy, hashPassword, listAccountSecurity, listLockedAccounts, listSignInMethods, searchUsers, setMustChangePassword, setTwoFactorPolicy } from '#app/utils/db.server';
import { TWO_FACTOR_POLICIES, TWO_FACTOR_POLICY_LABELS as POLICY_LABELS, type TwoFactorPolicy } from '#app/utils/two-factor-policy';
import { formatDate, formatDateTime } from '#app/utils/format';
import { fieldError, formError, type FormErrors, parseForm, requiredText } from '#app/utils/form';
import { type FieldErrors, parseText } from '#app/utils/list-filters';
import { readListPage } from '#app/utils/list-page.server';
import { GLOBAL_ROLE_LABELS, GLOBAL_ROLES } from '#app/utils/permissions';
import { globalRoleSchema, MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';
import { requireGlobalPermission } from '#app/utils/permissions.server';
import { invitePerson } from '#app/accounts/invite.server';
import { mailOrigin } from '#app/mail/origin.server';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { listPendingInvitations, type PendingInvitation, revokeInvitation } from '#db/queries/invitations';

export const meta: MetaFunction = () => [{ title: 'Users · AI Vendor Evaluation Workbench' }];

const createUserSchema = z.object({
  email: z.email('Enter a valid email address.').max(320),
  name: requiredText('Name', 200),
  role: globalRoleSchema,
  password: passwordSchema,
  // A checkbox: present when ticked. The form ticks it by default: a password an admin typed is known to two people.
  temporary: z.literal('on').optional(),
});

const inviteSchema = z.object({
  email: z.email('Enter a valid email address.').max(320),
  name: requiredText('Name', 200),
  role: globalRoleSchema,
});

const revokeSchema = z.object({ invitationId: z.string().min(1).max(100) });

const policySchema = z.object({ policy: z.enum(TWO_FACTOR_POLICIES as [TwoFactorPolicy, ...TwoFactorPolicy[]], { error: 'Choose a policy.' }) });

/** Paged on the server, by email; `q` searches names and emails. Each page's sign-in facts come in two queries. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'users:manage');
  const params = new URL(request.url).searchParams;
  const errors: FieldErrors = {};
  const q = parseText(params, 'q');
  const db = getDb();
  const { items, page } = await readListPage(params, errors, (window) => searchUsers(db, { q: q || undefined, ...window }));
  const [security, methods, locked, policy, invitations] = await Promise.all([
    listAccountSecurity(db, items.map((u) => u.id)),
    listSignInMethods(db, items.map((u) => u.id)),
    listLockedAccounts(db),
    getTwoFactorPolicy(db),
    listPendingInvitations(db),
  ]);
  const users = items.map((u) => ({
    ...u,
    lastSignInAt: security.get(u.id)?.lastSignInAt ?? null,
    twoFactor: security.get(u.id)?.twoFactor ?? false,
    signsInWith: signInWords(methods.get(u.id)),
    // Two-step verification is the workbench's for password sign-in only; the identity provider runs its own.
    passwordSignIn: methods.get(u.id)?.password ?? false,
    mustChangePassword: security.get(u.id)?.mustChangePassword ?? false,
    lockedUntil: locked.get(u.email) ?? null,
  }));
  return json({ q, errors, users, page, policy, invitations }, { status: Object.keys(errors).length > 0 ? 400 : 200 });
}

/** The users page's words for how an account signs in. */
function signInWords(methods: { password: boolean; singleSignOn: boolean } | undefined): string {
  if (!methods) return '—';
  if (methods.password && methods.singleSignOn) return 'Password and single sign-on';
  if (methods.singleSignOn) return 'Single sign-on';
  return methods.password ? 'Password' : 'Nothing yet';
}

type Intent = 'create' | 'invite' | 'revoke-invitation' | 'two-factor-policy';

/** Every answer names the form it answers, so an error shows on that form and not on the page's other forms. */
function reply(intent: Intent, body: { errors: FormErrors | null; message: string | null }, status = 200) {
  return json({ intent, ...body }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireGlobalPermission(request, 'users:manage');
  const actor = { id: admin.id, email: admin.email };
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'two-factor-policy') {
    const policy = parseForm(form, policySchema);
    if (!policy.ok) return reply(intent, { errors: policy.errors, message: null }, 400);
    await getDb()
      .transaction()
      .execute((trx) => setTwoFactorPolicy(trx, actor, policy.data.policy));
    return reply(intent, { errors: null, message: `Two-step verification: ${POLICY_LABELS[policy.data.policy].toLowerCase()}. It applies from each person's next sign-in.` });
  }
  if (intent === 'invite') {
    const invite = parseForm(form, inviteSchema);
    if (!invite.ok) return reply(intent, { errors: invite.errors, message: null }, 400);
    try {
      const sent = await invitePerson(getDb(), actor, invite.data, { origin: mailOrigin(request), validDays: mailSettingsFromEnv().invitationDays, invitedBy: admin.name });
      return reply(intent, { errors: null, message: `Invitation mailed to ${sent.email}. The link works once, until ${formatDateTime(sent.expiresAt)}.` });
    } catch (error) {
      if (error instanceof DuplicateEmailError) return reply(intent, { errors: fieldError('email', error.message), message: null }, 400);
      throw error;
    }
  }
  if (intent === 'revoke-invitation') {
    const revoke = parseForm(form, revokeSchema);
    if (!revoke.ok) return reply(intent, { errors: revoke.errors, message: null }, 400);
    const revoked = await getDb()
      .transaction()
      .execute((trx) => revokeInvitation(trx, actor, revoke.data.invitationId));
    if (!revoked) return reply(intent, { errors: formError('That invitation was already used, withdrawn or replaced.'), message: null }, 400);
    return reply(intent, { errors: null, message: 'Invitation withdrawn: its link no longer works.' });
  }
  const parsed = parseForm(form, createUserSchema);
  if (!parsed.ok) return reply('create', { errors: parsed.errors, message: null }, 400);
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    const user = await getDb()
      .transaction()
      .execute(async (trx) => {
        const created = await createUser(trx, actor, { ...parsed.data, passwordHash });
        if (parsed.data.temporary) await setMustChangePassword(trx, created.id, true);
        return created;
      });
    const then = parsed.data.temporary ? ' They choose their own password when they first sign in.' : '';
    return reply('create', { errors: null, message: `Account created for ${user.name} (${user.email}).${then}` });
  } catch (error) {
    if (error instanceof DuplicateEmailError) return reply('create', { errors: fieldError('email', error.message), message: null }, 400);
    throw error;
  }
}

export default function Users() {
  const { q, errors: filterErrors, users, page, policy, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errorsOf = (intent: Intent) => (actionData?.intent === intent ? actionData.errors : null);
  const errors = errorsOf('create');
  const inviteErrors = errorsOf('invite');
  return (
    <>
      <h1>Users</h1>
      <p className="usa-intro">Accounts and global roles. Access to each RFP comes from its members page.</p>
      <SuccessMessage message={actionData?.message} />
      {actionData?.intent === 'revoke-invitation' || actionData?.intent === 'two-factor-policy' ? <FormErrorSummary errors={actionData.errors} /> : null}
      <ListSearchForm label="Search the accounts" hint="Name or email" q={q} errors={filterErrors} clearTo="/admin/users" />
      <ListCount id="user-count" page={page} one="account" many="accounts" searched={q !== ''} none="No account matches the search." />
      {users.length > 0 ? (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless width-full">
            <caption className="usa-sr-only">All accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Signs in with</th>
                <th scope="col">Two-step</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    <Link to={`/admin/users/${u.id}`} className="usa-link">
                      {u.name}
                    </Link>
                  </th>
                  <td>{u.email}</td>
                  <td>{GLOBAL_ROLE_LABELS[u.role]}</td>
                  <td>
                    {u.disabled ? <span className="usa-tag">Disabled</span> : u.lockedUntil ? `Locked out until ${formatDateTime(u.lockedUntil)}` : 'Active'}
                    {u.mustChangePassword ? <div className="usa-hint">Must choose a new password</div> : null}
                  </td>
                  <td>{u.signsInWith}</td>
                  <td>{u.passwordSignIn ? (u.twoFactor ? 'On' : 'Off') : 'At the identity provider'}</td>
                  <td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never'}</td>
                  <td>{formatDate(u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager info={page} label="Pages of accounts" />
      <PendingInvitations invitations={invitations} />
      <section aria-labelledby="invite-heading" className="margin-top-4">
        <h2 id="invite-heading">Invite a person</h2>
        <p>They get a mail with a link that works once, for a few days, and choose their own password (or sign in with single sign-on where the workbench has it).</p>
        <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The invitation">
          <input type="hidden" name="intent" value="invite" />
          <FormErrorSummary errors={inviteErrors} fieldIds={{ name: 'invite-name', email: 'invite-email', role: 'invite-role' }} />
          <TextField name="name" id="invite-name" label="Full name" required errors={inviteErrors?.fieldErrors.name} />
          <TextField name="email" id="invite-email" label="Email address" type="email" autoComplete="off" required errors={inviteErrors?.fieldErrors.email} />
          <SelectField
            name="role"
            id="invite-role"
            label="Role"
            options={GLOBAL_ROLES.map((r) => ({ value: r, label: GLOBAL_ROLE_LABELS[r] }))}
            defaultValue="evaluator"
            required
            errors={inviteErrors?.fieldErrors.role}
          />
          <button type="submit" className="usa-button">
            Send the invitation
          </button>
        </ResetAfterSuccessForm>
      </section>
      <section aria-labelledby="create-heading" className="margin-top-4">
        <h2 id="create-heading">Create an account with a password</h2>
        <p>For someone who cannot receive mail from the workbench: you type a first password and give it to them yourself.</p>
        {/* Empty after each account, so one person's initial password is never left in the form for the next. */}
        <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The new account">
          <input type="hidden" name="intent" value="create" />
          <FormErrorSummary errors={errors} />
          <TextField name="name" label="Full name" required errors={errors?.fieldErrors.name} />
          <TextField name="email" label="Email address" type="email" autoComplete="off" required errors={errors?.fieldErrors.email} />
          <SelectField
            name="role"
            label="Role"
            options={GLOBAL_ROLES.map((r) => ({
              value: r,
              label: GLOBAL_ROLE_LABELS[r],
            }))}
            defaultValue="evaluator"
            required
            errors={errors?.fieldErrors.role}
          />
          <TextField
            name="password"
            label="Initial password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with the person through a separate channel.`}
            required
            errors={errors?.fieldErrors.password}
          />
          <div className="usa-checkbox margin-y-2">
            <input className="usa-checkbox__input" id="temporary" type="checkbox" name="temporary" defaultChecked />
            <label className="usa-checkbox__label" htmlFor="temporary">
              Temporary: they choose their own password when they first sign in
            </label>
          </div>
          <button type="submit" className="usa-button">
            Create account
          </button>
        </ResetAfterSuccessForm>
      </section>
      <section aria-labelledby="policy-heading" className="margin-top-4">
        <h2 id="policy-heading">Two-step verification policy</h2>
        <p>For accounts that sign in with a password; single sign-on leaves it to the identity provider. Each person sets it up at their next sign-in.</p>
        <Form method="post" className="usa-form">
          <input type="hidden" name="intent" value="two-factor-policy" />
          <SelectField name="policy" label="Two-step verification" options={TWO_FACTOR_POLICIES.map((p) => ({ value: p, label: POLICY_LABELS[p] }))} defaultValue={policy} />
          <button type="submit" className="usa-button usa-button--outline">
            Save the policy
          </button>
        </Form>
        <p>
          <Link to="/admin/account-events" className="usa-link">
            Account events
          </Link>{' '}
          lists every account created, changed, disabled or reset, and every change of two-step verification.
        </p>
      </section>
    </>
  );
}

/** The invitations whose link still works, newest first, each with a way to withdraw it. */
function PendingInvitations({ invitations }: { invitations: PendingInvitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="pending-heading" className="margin-top-4">
      <h2 id="pending-heading">Pending invitations</h2>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless width-full">
          <caption className="usa-sr-only">Invitations not yet used</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited</th>
              <th scope="col">Link works until</th>
              <th scope="col">
                <span className="usa-sr-only">Withdraw</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.name}</th>
                <td>{i.email}</td>
                <td>{GLOBAL_ROLE_LABELS[i.role]}</td>
                <td>
                  {formatDate(i.createdAt)}
                  {i.invitedBy ? ` by ${i.invitedBy}` : ''}
                </td>
                <td>{formatDateTime(i.expiresAt)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke-invitation" />
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="usa-button usa-button--unstyled" aria-label={`Withdraw the invitation of ${i.name}`}>
                      Withdraw
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
