import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { ListCount, ListSearchForm } from '#app/components/list-search';
import { Pager } from '#app/components/pager';
import { createUser, DuplicateEmailError, getDb, hashPassword, searchUsers } from '#app/utils/db.server';
import { formatDate } from '#app/utils/format';
import { fieldError, parseForm, requiredText } from '#app/utils/form';
import { type FieldErrors, parseText } from '#app/utils/list-filters';
import { readListPage } from '#app/utils/list-page.server';
import { GLOBAL_ROLE_LABELS, GLOBAL_ROLES } from '#app/utils/permissions';
import { globalRoleSchema, MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';
import { requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Users · AI Vendor Evaluation Workbench' }];

const createUserSchema = z.object({
  email: z.email('Enter a valid email address.').max(320),
  name: requiredText('Name', 200),
  role: globalRoleSchema,
  password: passwordSchema,
});

/** Paged on the server, by email; `q` searches names and emails. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'users:manage');
  const params = new URL(request.url).searchParams;
  const errors: FieldErrors = {};
  const q = parseText(params, 'q');
  const db = getDb();
  const { items: users, page } = await readListPage(params, errors, (window) => searchUsers(db, { q: q || undefined, ...window }));
  return json({ q, errors, users, page }, { status: Object.keys(errors).length > 0 ? 400 : 200 });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireGlobalPermission(request, 'users:manage');
  const parsed = parseForm(await request.formData(), createUserSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    const user = await getDb()
      .transaction()
      .execute((trx) => createUser(trx, { id: admin.id, email: admin.email }, { ...parsed.data, passwordHash }));
    return json({
      errors: null,
      message: `Account created for ${user.name} (${user.email}).`,
    });
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      return json({ errors: fieldError('email', error.message), message: null }, { status: 400 });
    }
    throw error;
  }
}

export default function Users() {
  const { q, errors: filterErrors, users, page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <h1>Users</h1>
      <p className="usa-intro">Accounts and global roles. Access to each RFP comes from its members page.</p>
      <SuccessMessage message={actionData?.message} />
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
                  <td>{u.disabled ? <span className="usa-tag">Disabled</span> : 'Active'}</td>
                  <td>{formatDate(u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager info={page} label="Pages of accounts" />
      <section aria-labelledby="create-heading" className="margin-top-4">
        <h2 id="create-heading">Create an account</h2>
        {/* Empty after each account, so one person's initial password is never left in the form for the next. */}
        <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The new account">
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
          <button type="submit" className="usa-button">
            Create account
          </button>
        </ResetAfterSuccessForm>
      </section>
    </>
  );
}
