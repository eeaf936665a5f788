import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import {
  countLeads,
  getDb,
  getUserById,
  listMembers,
  listUsers,
  type MemberRole,
  removeMember,
  upsertMember,
} from '#app/utils/db.server';
import { formError, parseForm } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS, MEMBER_ROLE_ELIGIBILITY, MEMBER_ROLE_LABELS, MEMBER_ROLES } from '#app/utils/permissions';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Members · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

const roleSchema = z.enum(MEMBER_ROLES as [MemberRole, ...MemberRole[]], { error: 'Choose a role.' });
const memberActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), userId: z.string().min(1, 'Choose a person.'), role: roleSchema }),
  z.object({ intent: z.literal('change-role'), userId: z.string().min(1), role: roleSchema }),
  z.object({ intent: z.literal('remove'), userId: z.string().min(1) }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'members:read');
  const db = getDb();
  const members = await listMembers(db, access.rfp.id);
  const canManage = access.can('members:manage');
  const memberIds = new Set(members.map((m) => m.user_id));
  const candidates = canManage
    ? (await listUsers(db))
        .filter((u) => !u.disabled && !memberIds.has(u.id))
        .map((u) => ({ id: u.id, label: `${u.name} (${u.email}) — ${GLOBAL_ROLE_LABELS[u.role]}` }))
    : [];
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    canManage,
    members: members.map((m) => ({
      user_id: m.user_id,
      name: m.name,
      email: canManage ? m.email : null,
      role: m.role,
      global_role: m.global_role,
      disabled: Boolean(m.disabled),
    })),
    candidates,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'members:manage');
  const parsed = parseForm(await request.formData(), memberActionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  const actor = { id: access.user.id, email: access.user.email };
  const fail = (message: string) => json({ errors: formError(message), message: null }, { status: 400 });

  const result = await getDb()
    .transaction()
    .execute(async (trx) => {
      const person = await getUserById(trx, input.userId);
      if (!person) return { error: 'That person does not have an account.' };
      const currentRole = (await listMembers(trx, access.rfp.id)).find((m) => m.user_id === person.id)?.role;
      if (input.intent === 'remove' || (input.intent === 'change-role' && input.role !== 'lead')) {
        if (currentRole === 'lead' && (await countLeads(trx, access.rfp.id)) <= 1) {
          return { error: 'An RFP needs at least one lead officer. Add another lead before removing or changing this one.' };
        }
      }
      if (input.intent === 'remove') {
        if (!currentRole) return { error: `${person.name} is not a member of this RFP.` };
        await removeMember(trx, actor, { rfpId: access.rfp.id, userId: person.id, email: person.email });
        return { message: `${person.name} was removed from the RFP.` };
      }
      if (person.disabled) return { error: `${person.name}'s account is disabled.` };
      if (!MEMBER_ROLE_ELIGIBILITY[input.role].includes(person.role)) {
        return {
          error: `${person.name} is a ${GLOBAL_ROLE_LABELS[person.role].toLowerCase()} and cannot be a ${MEMBER_ROLE_LABELS[input.role].toLowerCase()}.`,
        };
      }
      if (input.intent === 'add' && currentRole) return { error: `${person.name} is already a member; change their role instead.` };
      if (input.intent === 'change-role' && !currentRole) return { error: `${person.name} is not a member of this RFP.` };
      await upsertMember(trx, actor, { rfpId: access.rfp.id, userId: person.id, email: person.email, role: input.role });
      return { message: `${person.name} is now ${MEMBER_ROLE_LABELS[input.role].toLowerCase()}.` };
    });
  if ('error' in result && result.error) return fail(result.error);
  return json({ errors: null, message: result.message ?? null });
}

export default function Members() {
  const { rfp, tabs, canManage, members, candidates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const roleOptions = MEMBER_ROLES.map((r) => ({ value: r, label: MEMBER_ROLE_LABELS[r] }));
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Members</h2>
      <p>Only members can see this RFP. Lead officers run it, evaluators score it, observers (leadership) read results.</p>
      <FormErrorSummary errors={actionData?.errors} />
      <SuccessMessage message={actionData?.message} />
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless width-full">
          <caption className="usa-sr-only">Members of {rfp.reference}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              {canManage ? <th scope="col">Email</th> : null}
              <th scope="col">Role in this RFP</th>
              {canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.user_id}>
                <th scope="row">
                  {m.name}
                  {m.disabled ? <span className="usa-tag margin-left-1">Disabled</span> : null}
                </th>
                {canManage ? <td>{m.email}</td> : null}
                <td>{MEMBER_ROLE_LABELS[m.role]}</td>
                {canManage ? (
                  <td className="wb-actions">
                    <Form method="post" className="wb-inline-form" aria-label={`Change role of ${m.name}`}>
                      <input type="hidden" name="intent" value="change-role" />
                      <input type="hidden" name="userId" value={m.user_id} />
                      <label className="usa-sr-only" htmlFor={`role-${m.user_id}`}>
                        Role for {m.name}
                      </label>
                      <select className="usa-select" id={`role-${m.user_id}`} name="role" defaultValue={m.role}>
                        {roleOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="usa-button usa-button--outline usa-button--small">
                        Change role<span className="usa-sr-only"> of {m.name}</span>
                      </button>
                    </Form>
                    <Form method="post" className="wb-inline-form" aria-label={`Remove ${m.name}`}>
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={m.user_id} />
                      <button type="submit" className="usa-button usa-button--secondary usa-button--small">
                        Remove<span className="usa-sr-only"> {m.name}</span>
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <section aria-labelledby="add-heading" className="margin-top-4">
          <h2 id="add-heading">Add a member</h2>
          {candidates.length === 0 ? (
            <p>Everyone with an active account is already a member.</p>
          ) : (
            <ResetAfterSuccessForm method="post" className="usa-form">
              <input type="hidden" name="intent" value="add" />
              <SelectField
                name="userId"
                label="Person"
                placeholder="- Select a person -"
                options={candidates.map((c) => ({ value: c.id, label: c.label }))}
                required
                errors={actionData?.errors?.fieldErrors.userId}
              />
              <SelectField name="role" label="Role in this RFP" options={roleOptions} defaultValue="evaluator" required />
              <button type="submit" className="usa-button">
                Add member
              </button>
            </ResetAfterSuccessForm>
          )}
        </section>
      ) : null}
    </>
  );
}
