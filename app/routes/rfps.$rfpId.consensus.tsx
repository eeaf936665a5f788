/**
 * Consensus (DESIGN §2, §4.5, §4.7): per vendor × criterion, every evaluator's submitted score and rationale side by
 * side, divergence and mixed pass/fail flags, and the lead's consensus decisions. Evaluators may read it (never
 * write) once they have submitted, and only for the vendors whose scoresheet they submitted. What each reader receives of
 * the panel's scores and rationales goes through their PanelViewer (app/confidentiality/panel.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { analysePanelItem } from '#app/evaluation/panel';
import { formatScore, isAllowedValue, NOT_ASSIGNED, scoreChoices, SUBMIT_FIRST } from '#app/evaluation/rules';
import { STATUS_LABELS } from '#app/rfp/status';
import {
  EVALUATOR_SCORED_KINDS,
  getAssignment,
  getDb,
  getQuestionnaire,
  listConsensusDecisions,
  listEvaluatedSubmissions,
  listPanelScores,
  listRecusals,
  listScoresheets,
  recordConsensusDecision,
} from '#app/utils/db.server';
import { type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { forbidden, requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Consensus · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const { rfp } = access;
  const db = getDb();
  const isLead = access.can('consensus:manage');
  const evaluated = await listEvaluatedSubmissions(db, rfp.id);
  let submissions = evaluated;
  if (!isLead) {
    if (!access.can('scores:own')) forbidden();
    const assignment = await getAssignment(db, rfp.id, access.user.id);
    if (!assignment) forbidden(NOT_ASSIGNED);
    const [sheets, recusals] = await Promise.all([listScoresheets(db, rfp.id, access.user.id), listRecusals(db, rfp.id, access.user.id)]);
    const recused = new Set(recusals.map((r) => r.vendor_id));
    const submitted = new Set(sheets.filter((s) => s.status === 'submitted').map((s) => s.submission_id));
    submissions = submissions.filter((s) => submitted.has(s.id) && !recused.has(s.vendor_id));
    if (submissions.length === 0) forbidden(SUBMIT_FIRST);
  }
  const base = { rfp, tabs: rfpTabs(rfp.id, access.permissions), isLead };
  const open = rfp.status === 'consensus' || rfp.status === 'closed';
  if (!open) return json({ ...base, open, vendors: [], selected: null, sections: [], savedCriterionId: null });

  const url = new URL(request.url);
  const selected = submissions.find((s) => s.id === url.searchParams.get('submission')) ?? submissions[0] ?? null;
  const [questionnaire, panelRows, decisionRows, panel] = await Promise.all([
    getQuestionnaire(db, rfp.id),
    listPanelScores(db, rfp.id),
    listConsensusDecisions(db, rfp.id),
    loadPanelViewerFor(db, access),
  ]);
  const vendorOf = new Map(evaluated.map((s) => [s.id, s.vendor_id]));
  const allPanel = panelRows.filter((p) => panel.mayReadScoresOf(p.evaluator_id, vendorOf.get(p.submission_id) ?? null));
  const decisions = decisionRows.map((d) => (panel.mayReadPanelOf(vendorOf.get(d.submission_id) ?? null) ? d : { ...d, rationale: null }));
  const settings = { scaleMax: rfp.scale_max, divergenceThreshold: rfp.divergence_threshold, aggregation: rfp.aggregation };
  const criteria = questionnaire.flatMap((s) => s.criteria.filter((c) => EVALUATOR_SCORED_KINDS.includes(c.kind)).map((c) => ({ ...c, sectionTitle: s.title })));
  const panelFor = (submissionId: string, criterionId: string) => allPanel.filter((p) => p.submission_id === submissionId && p.criterion_id === criterionId);
  const decisionFor = (submissionId: string, criterionId: string) => decisions.find((d) => d.submission_id === submissionId && d.criterion_id === criterionId);

  // Per-vendor counts for the overview (computed here; rationales of other vendors are not sent).
  const vendors = submissions.map((s) => {
    let divergent = 0;
    /** Mixed knock-outs not already counted as divergent: with `divergent`, the items "divergent only" shows. */
    let mixed = 0;
    let mixedOpen = 0;
    for (const c of criteria) {
      const item = analysePanelItem(
        c.kind,
        panelFor(s.id, c.id).map((p) => p.value),
        settings,
      );
      if (item.divergent) divergent += 1;
      if (item.mixed && !decisionFor(s.id, c.id)) mixedOpen += 1;
      if (item.mixed && !item.divergent) mixed += 1;
    }
    return { id: s.id, name: s.vendor_name, divergent, toDiscuss: divergent + mixed, mixedOpen, decided: decisions.filter((d) => d.submission_id === s.id).length };
  });

  // "Divergent items only": the items the panel must discuss — a divergent spread, or a knock-out with both votes.
  const onlyDivergent = url.searchParams.get('only') === 'divergent';
  const sections = selected
    ? questionnaire
        .map((s) => ({
          id: s.id,
          title: s.title,
          criteria: s.criteria
            .filter((c) => EVALUATOR_SCORED_KINDS.includes(c.kind))
            .map((c) => {
              const scores = panelFor(selected.id, c.id);
              const item = analysePanelItem(
                c.kind,
                scores.map((p) => p.value),
                settings,
              );
              const decision = decisionFor(selected.id, c.id);
              return {
                id: c.id,
                key: c.key,
                title: c.title,
                kind: c.kind,
                choices: scoreChoices(c.kind, c.rubric, rfp.scale_max, Boolean(rfp.allow_half_points)).map((ch) => ({ value: String(ch.value), label: ch.anchor ? `${ch.label} — ${ch.anchor.slice(0, 90)}${ch.anchor.length > 90 ? '…' : ''}` : ch.label })),
                scores: scores.map((p) => ({ evaluator: p.evaluator_name, value: formatScore(c.kind, p.value, rfp.scale_max), rationale: p.rationale })),
                item,
                decision: decision
                  ? { value: decision.value, label: formatScore(c.kind, decision.value, rfp.scale_max), rationale: decision.rationale, by: decision.decided_by_name, at: decision.decided_at }
                  : null,
              };
            })
            .filter((c) => !onlyDivergent || c.item.divergent || c.item.mixed),
        }))
        .filter((s) => s.criteria.length > 0)
    : [];
  return json({ ...base, open, vendors, selected: selected ? { id: selected.id, name: selected.vendor_name } : null, sections, onlyDivergent, savedCriterionId: url.searchParams.get('saved') });
}

const decideSchema = z.object({
  intent: z.literal('decide', { error: 'Unknown action.' }),
  submissionId: z.string().min(1, 'Unknown vendor.'),
  criterionId: z.string().min(1, 'Unknown criterion.'),
  value: z.string({ error: 'Choose the consensus score.' }).trim().min(1, 'Choose the consensus score.'),
  rationale: requiredText('The rationale', 10_000),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'consensus:manage');
  const { rfp } = access;
  const fail = (errors: FormErrors, criterionId: string | null, status = 400) => json({ errors, criterionId }, { status });
  if (rfp.status !== 'consensus') {
    return fail(formError(`Consensus scores are recorded only while the RFP is in consensus; it is ${STATUS_LABELS[rfp.status].toLowerCase()} now.`), null, 409);
  }
  const formData = await request.formData();
  const parsed = parseForm(formData, decideSchema);
  const rawCriterion = String(formData.get('criterionId') ?? '') || null;
  if (!parsed.ok) return fail(parsed.errors, rawCriterion);
  const input = parsed.data;
  const db = getDb();
  const submission = (await listEvaluatedSubmissions(db, rfp.id)).find((s) => s.id === input.submissionId);
  const criterion = (await getQuestionnaire(db, rfp.id)).flatMap((s) => s.criteria).find((c) => c.id === input.criterionId && EVALUATOR_SCORED_KINDS.includes(c.kind));
  if (!submission || !criterion) return fail(formError('Choose a vendor and a scored criterion of this RFP.'), rawCriterion);
  const value = /^\d+(\.\d+)?$/.test(input.value) ? Number(input.value) : NaN;
  if (!isAllowedValue(criterion.kind, value, rfp.scale_max, Boolean(rfp.allow_half_points))) {
    return fail({ fieldErrors: { value: ['Choose one of the levels.'] }, formErrors: [] }, criterion.id);
  }
  const outcome = await recordConsensusDecision(db, { id: access.user.id, email: access.user.email }, { rfpId: rfp.id, submissionId: submission.id, criterionId: criterion.id, value, rationale: input.rationale });
  if (!outcome.ok) {
    if (outcome.refusal.kind === 'not-in-rfp') return fail(formError('Choose a vendor and a scored criterion of this RFP.'), criterion.id);
    return fail(formError(`Consensus scores are recorded only while the RFP is in consensus.`), criterion.id, 409);
  }
  // Back to the same view: the "divergent items only" filter stays on while the lead works through the items.
  const only = new URL(request.url).searchParams.get('only') === 'divergent' ? '&only=divergent' : '';
  return redirect(`/rfps/${rfp.id}/consensus?submission=${submission.id}${only}&saved=${criterion.id}#consensus-${criterion.id}`);
}

export default function Consensus() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { rfp, tabs, isLead } = data;
  const canDecide = isLead && rfp.status === 'consensus';
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Consensus</h2>
      {actionData && !actionData.criterionId ? <FormErrorSummary errors={actionData.errors} /> : null}
      {!data.open ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              The panel’s scores are shown here once the RFP moves to consensus; it is {STATUS_LABELS[rfp.status].toLowerCase()} now.
              {isLead ? ' Follow scoring on the Evaluation page.' : ''}
            </p>
          </div>
        </div>
      ) : (
        <>
          <p>
            {isLead
              ? 'Every submitted score, side by side. Divergent scores (spread of at least '
              : 'The panel’s submitted scores, read-only. Divergent scores (spread of at least '}
            {Math.round(rfp.divergence_threshold * 100)}% of the scale) are flagged for discussion; a knock-out with both pass and fail votes needs a consensus decision.
          </p>
          <div className="wb-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--compact width-full">
              <caption className="usa-sr-only">Vendors: flags and consensus decisions</caption>
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Divergent criteria</th>
                  <th scope="col">Mixed knock-outs without a decision</th>
                  <th scope="col">Consensus decisions</th>
                </tr>
              </thead>
              <tbody>
                {data.vendors.map((v) => (
                  <tr key={v.id}>
                    <th scope="row">
                      <Link className="usa-link" to={`?submission=${v.id}${data.onlyDivergent ? '&only=divergent' : ''}`} aria-current={data.selected?.id === v.id ? 'page' : undefined}>
                        {v.name}
                      </Link>
                    </th>
                    <td>{v.divergent}</td>
                    <td>{v.mixedOpen > 0 ? <span className="usa-tag wb-eval-flag wb-eval-flag--mixed">{v.mixedOpen} required</span> : 0}</td>
                    <td>{v.decided}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.selected ? (
            <section aria-labelledby="vendor-heading">
              <h3 id="vendor-heading">{data.selected.name}</h3>
              <ul className="wb-filter-links" aria-label="Show criteria">
                <li>
                  <Link to={`?submission=${data.selected.id}`} aria-current={data.onlyDivergent ? undefined : 'true'} preventScrollReset>
                    Every criterion
                  </Link>
                </li>
                <li>
                  <Link to={`?submission=${data.selected.id}&only=divergent`} aria-current={data.onlyDivergent ? 'true' : undefined} preventScrollReset>
                    Divergent items only ({data.vendors.find((v) => v.id === data.selected!.id)?.toDiscuss ?? 0})
                  </Link>
                </li>
              </ul>
              {data.onlyDivergent && data.sections.length === 0 ? (
                <p role="status">Nothing to discuss for {data.selected.name}: every criterion’s scores are within the divergence threshold, and no knock-out has both pass and fail votes.</p>
              ) : null}
              {data.sections.map((section) => (
                <section key={section.id} aria-labelledby={`section-${section.id}`}>
                  <h4 id={`section-${section.id}`}>{section.title}</h4>
                  {section.criteria.map((c) => {
                    const flagged = c.item.divergent || (c.item.mixed && !c.decision);
                    const mine = actionData?.criterionId === c.id ? actionData : null;
                    return (
                      <article key={c.id} id={`consensus-${c.id}`} className={`wb-consensus-item${flagged ? ' wb-consensus-item--flagged' : ''}`} aria-labelledby={`title-${c.id}`}>
                        <h5 id={`title-${c.id}`}>
                          {c.key} — {c.title}{' '}
                          {c.item.divergent ? <span className="usa-tag wb-eval-flag wb-eval-flag--divergent">{`Divergent: spread ${Math.round((c.item.spread ?? 0) * 100)}%`}</span> : null}
                          {c.item.mixed ? (
                            <span className="usa-tag wb-eval-flag wb-eval-flag--mixed">{c.decision ? 'Mixed pass/fail — decided' : 'Mixed pass/fail — decision required'}</span>
                          ) : null}
                        </h5>
                        {c.scores.length === 0 ? (
                          <p>No submitted score.</p>
                        ) : (
                          <table className="usa-table usa-table--borderless usa-table--compact width-full">
                            <caption className="usa-sr-only">Scores for {c.title}</caption>
                            <thead>
                              <tr>
                                <th scope="col">Evaluator</th>
                                <th scope="col">Score</th>
                                <th scope="col">Rationale</th>
                              </tr>
                            </thead>
                            <tbody>
                              {c.scores.map((s) => (
                                <tr key={s.evaluator}>
                                  <th scope="row">{s.evaluator}</th>
                                  <td>{s.value}</td>
                                  <td className="wb-pre">{s.rationale}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        )}
                        <p className="margin-top-05">
                          {c.kind === 'pass_fail'
                            ? `Votes: ${c.item.passes} pass, ${c.item.fails} fail.`
                            : c.item.aggregate !== null
                              ? `Panel ${rfp.aggregation}: ${c.item.aggregate.toFixed(2)} of ${rfp.scale_max}.`
                              : null}
                        </p>
                        {c.decision ? (
                          <div className="wb-eval-decision">
                            <p className="margin-bottom-05">
                              <strong>Consensus:</strong> {c.decision.label} — recorded by {c.decision.by ?? 'unknown'}, {formatDateTime(c.decision.at)}
                              {data.savedCriterionId === c.id ? ' (saved just now)' : ''}
                            </p>
                            <p className="margin-top-0 wb-pre">{c.decision.rationale ?? 'The rationale is withheld from you.'}</p>
                          </div>
                        ) : null}
                        {canDecide ? (
                          <details className="wb-decide" open={flagged || Boolean(mine)}>
                            <summary>{c.decision ? 'Revise the consensus score' : 'Record a consensus score'}</summary>
                            <Form method="post" className="usa-form usa-form--large" aria-label={`Consensus for ${c.key}`} data-unsaved-warning={`Consensus for ${c.key}`}>
                              {mine ? <FormErrorSummary errors={mine.errors} fieldIds={{ value: `value-${c.id}`, rationale: `rationale-${c.id}` }} /> : null}
                              <input type="hidden" name="intent" value="decide" />
                              <input type="hidden" name="submissionId" value={data.selected!.id} />
                              <input type="hidden" name="criterionId" value={c.id} />
                              <SelectField
                                name="value"
                                id={`value-${c.id}`}
                                label="Consensus score"
                                placeholder="- Choose -"
                                options={c.choices}
                                defaultValue={c.decision ? String(c.decision.value) : ''}
                                required
                                errors={mine?.errors.fieldErrors.value}
                              />
                              <TextArea
                                name="rationale"
                                id={`rationale-${c.id}`}
                                label="Rationale for the consensus"
                                hint="What the panel agreed and why. Kept in the record."
                                defaultValue={c.decision?.rationale ?? ''}
                                required
                                errors={mine?.errors.fieldErrors.rationale}
                                maxLength={10_000}
                              />
                              <button type="submit" className="usa-button">
                                Record consensus<span className="usa-sr-only"> for {c.key}</span>
                              </button>
                            </Form>
                          </details>
                        ) : null}
                      </article>
                    );
                  })}
                </section>
              ))}
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
