import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SuccessMessage } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { mailOrigin } from '#app/mail/origin.server';
import { withRfpLock } from '#app/rfp/locks.server';
import {
  assignEvaluator,
  countLeads,
  getDb,
  getUserById,
  listAssignments,
  listMembers,
  listUsers,
  type MemberRole,
  removeMember,
  type Rfp,
  upsertMember,
} from '#app/utils/db.server';
import { fieldError, type FormErrors, formError, parseForm } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS, MEMBER_ROLE_ELIGIBILITY, MEMBER_ROLE_LABELS, MEMBER_ROLES } from '#app/utils/permissions';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { withArticle } from '#app/utils/wording';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Members · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

const roleSchema = z.enum(MEMBER_ROLES as [MemberRole, ...MemberRole[]], { error: 'Choose a role.' });
const memberActionSchema = z.discriminatedUnion('intent', [
  // The people come from the repeated `userId` checkboxes (read with getAll below); `assign` only for evaluators.
  z.object({ intent: z.literal('add'), role: roleSchema, assign: z.literal('whole').optional() }),
  z.object({ intent: z.literal('change-role'), userId: z.string().min(1), role: roleSchema }),
  z.object({ intent: z.literal('remove'), userId: z.string().min(1) }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'members:read');
  const db = getDb();
  const [members, assignments] = await Promise.all([listMembers(db, access.rfp.id), listAssignments(db, access.rfp.id)]);
  const assigned = new Set(assignments.map((a) => a.user_id));
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
      assigned: m.role === 'evaluator' ? assigned.has(m.user_id) : null,
    })),
    candidates,
    canAssign: !assignmentsClosed(access.rfp),
    canManageEvaluation: access.can('evaluation:manage'),
  });
}

/** Assignments change until scoring is over (the Evaluation page's rule); checked again under the RFP's lock. */
function assignmentsClosed(rfp: Pick<Rfp, 'status'>): string | null {
  return rfp.status === 'consensus' || rfp.status === 'closed'
    ? 'Evaluators cannot be assigned once scoring is over. Add them without assigning them, or not at all.'
    : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'members:manage');
  const formData = await request.formData();
  const parsed = parseForm(formData, memberActionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  const actor = { id: access.user.id, email: access.user.email };
  const fail = (errors: FormErrors, status = 400) => json({ errors, message: null }, { status });
  const db = getDb();

  if (input.intent === 'add') {
    const userIds = [...new Set(formData.getAll('userId').filter((v): v is string => typeof v === 'string' && v !== ''))];
    if (userIds.length === 0) return fail(fieldError('userId', 'Choose at least one person to add.'));
    const assign = input.assign === 'whole' && input.role === 'evaluator';
    // Only evaluators are assigned; the whole add is refused (nothing saved) when an assignment is asked for too late.
    const lockedNow = assign ? assignmentsClosed(access.rfp) : null;
    if (lockedNow) return fail(formError(lockedNow), 409);
    const outcome = await withRfpLock(db, access.rfp.id, (rfp) => (assign ? assignmentsClosed(rfp) : null), async (trx) => {
      const members = new Set((await listMembers(trx, access.rfp.id)).map((m) => m.user_id));
      const people = [];
      const problems: string[] = [];
      for (const userId of userIds) {
        const person = await getUserById(trx, userId);
        if (!person) problems.push('One of the people chosen does not have an account.');
        else if (person.disabled) problems.push(`${person.name}’s account is disabled.`);
        else if (members.has(person.id)) problems.push(`${person.name} is already a member; change their role instead.`);
        else if (!MEMBER_ROLE_ELIGIBILITY[input.role].includes(person.role)) {
          problems.push(`${person.name} is ${withArticle(GLOBAL_ROLE_LABELS[person.role].toLowerCase())} and cannot be ${withArticle(MEMBER_ROLE_LABELS[input.role].toLowerCase())}.`);
        } else people.push(person);
      }
      if (problems.length > 0) return { ok: false as const, problems };
      for (const person of people) {
        await upsertMember(trx, actor, { rfpId: access.rfp.id, userId: person.id, email: person.email, role: input.role });
        if (assign) await assignEvaluator(trx, actor, { rfpId: access.rfp.id, userId: person.id, email: person.email, sectionIds: null, mailOrigin: mailOrigin(request) });
      }
      return { ok: true as const, names: people.map((p) => p.name) };
    });
    if (!outcome.ok) return fail(fieldError('userId', `Nobody was added. ${outcome.problems.join(' ')}`));
    const role = MEMBER_ROLE_LABELS[input.role].toLowerCase();
    const who = listNames(outcome.names);
    const message =
      outcome.names.length === 1
        ? `${who} is now ${withArticle(role)}${assign ? ', assigned to evaluate the whole RFP' : ''}.`
        : `${who} are now ${role}s${assign ? ', each assigned to evaluate the whole RFP' : ''}.`;
    return json({ errors: null, message });
  }

  const result = await db
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
          error: `${person.name} is ${withArticle(GLOBAL_ROLE_LABELS[person.role].toLowerCase())} and cannot be ${withArticle(MEMBER_ROLE_LABELS[input.role].toLowerCase())}.`,
        };
      }
      if (!currentRole) return { error: `${person.name} is not a member of this RFP.` };
      await upsertMember(trx, actor, { rfpId: access.rfp.id, userId: person.id, email: person.email, role: input.role });
      return { message: `${person.name} is now ${withArticle(MEMBER_ROLE_LABELS[input.role].toLowerCase())}.` };
    });
  if ('error' in result && result.error) return fail(formError(result.error));
  return json({ errors: null, message: result.message ?? null });
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy". */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export default function Members() {
  const { rfp, tabs, canManage, members, candidates, canAssign, canManageEvaluation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const peopleErrors = actionData?.errors?.fieldErrors.userId;
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
                <td>
                  {MEMBER_ROLE_LABELS[m.role]}
                  {m.assigned === null ? null : (
                    <div className="text-base">
                      {m.assigned ? 'Assigned to evaluate' : 'Not assigned yet'}
                      {!m.assigned && canManageEvaluation ? (
                        <>
                          {' · '}
                          <Link className="usa-link" to={`/rfps/${rfp.id}/evaluation`}>
                            Assign<span className="usa-sr-only"> {m.name}</span> on the Evaluation page
                          </Link>
                        </>
                      ) : null}
                    </div>
                  )}
                </td>
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
            <ResetAfterSuccessForm method="post" className="usa-form usa-form--large">
              <input type="hidden" name="intent" value="add" />
              <fieldset
                id="userId"
                tabIndex={-1}
                className={`usa-fieldset${peopleErrors ? ' usa-form-group usa-form-group--error' : ''}`}
                aria-describedby={`people-hint${peopleErrors ? ' userId-error' : ''}`}
              >
                <legend className="usa-legend">People to add</legend>
                <span className="usa-hint" id="people-hint">
                  Tick everyone who takes the same role; they are added in one step.
                </span>
                {peopleErrors ? (
                  <span className="usa-error-message" id="userId-error" role="alert">
                    {peopleErrors.join(' ')}
                  </span>
                ) : null}
                {candidates.map((c) => (
                  <div className="usa-checkbox" key={c.id}>
                    <input className="usa-checkbox__input" type="checkbox" id={`person-${c.id}`} name="userId" value={c.id} />
                    <label className="usa-checkbox__label" htmlFor={`person-${c.id}`}>
                      {c.label}
                    </label>
                  </div>
                ))}
              </fieldset>
              <div className="usa-form-group">
                <label className="usa-label" htmlFor="role">
                  Role in this RFP
                </label>
                <select className="usa-select" id="role" name="role" defaultValue="evaluator" required>
                  {roleOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
              {canAssign ? (
                <div className="usa-checkbox margin-top-2">
                  <input className="usa-checkbox__input" type="checkbox" id="assign" name="assign" value="whole" defaultChecked aria-describedby="assign-hint" />
                  <label className="usa-checkbox__label" htmlFor="assign">
                    Assign them to evaluate the whole RFP
                  </label>
                  <span className="usa-checkbox__label-description" id="assign-hint">
                    Only when they are added as evaluators. To have someone score only some sections, untick this and assign
                    them on the Evaluation page.
                  </span>
                </div>
              ) : null}
              <button type="submit" className="usa-button margin-top-2">
                Add members
              </button>
            </ResetAfterSuccessForm>
          )}
        </section>
      ) : null}
    </>
  );
}
