import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { TextDiff } from '#app/components/text-diff';
import { compareQuestionnaires, type ItemChange, summariseComparison } from '#app/rfp/questionnaire-compare';
import { getDb, getQuestionnaire, getQuestionnaireVersion, listQuestionnaireVersions, snapshotOf } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Questionnaire versions · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

/**
 * The questionnaire's published versions and what changed from one to the next: version N against N−1, and, while an
 * RFP reopened to draft is being changed, the draft against the version vendors have (the addendum in the making).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const rfp = access.rfp;
  const versions = await listQuestionnaireVersions(db, rfp.id);
  const kept = new Set(versions.map((v) => v.version));
  // A draft after a published version is the next version being written.
  const draftPending = rfp.status === 'draft' && !kept.has(rfp.questionnaire_version) && kept.has(rfp.questionnaire_version - 1);
  const choices = [
    ...(draftPending ? [{ value: 'draft', label: `The draft (version ${rfp.questionnaire_version}, not published yet) against version ${rfp.questionnaire_version - 1}` }] : []),
    ...versions.filter((v) => kept.has(v.version - 1)).map((v) => ({ value: String(v.version), label: `Version ${v.version} against version ${v.version - 1}` })),
  ];
  const asked = new URL(request.url).searchParams.get('compare');
  const chosen = choices.find((c) => c.value === asked) ?? choices[0];
  let comparison = null;
  if (chosen) {
    const newer = chosen.value === 'draft' ? rfp.questionnaire_version : Number(chosen.value);
    const before = await getQuestionnaireVersion(db, rfp.id, newer - 1);
    const after = chosen.value === 'draft' ? { snapshot: snapshotOf(await getQuestionnaire(db, rfp.id)) } : await getQuestionnaireVersion(db, rfp.id, newer);
    if (before && after) {
      const result = compareQuestionnaires(before.snapshot, after.snapshot);
      comparison = {
        value: chosen.value,
        olderLabel: `Version ${newer - 1}`,
        newerLabel: chosen.value === 'draft' ? `The draft (version ${newer})` : `Version ${newer}`,
        summary: summariseComparison(result),
        changes: result.changes,
        changedForVendors: result.changedForVendors,
      };
    }
  }
  return json({ rfp, versions, choices, comparison, unknownChoice: asked !== null && chosen?.value !== asked });
}

const LEVEL_LABELS = { section: 'Section', criterion: 'Criterion', question: 'Question' } as const;
const KIND_WORDS = { added: 'added', removed: 'removed', changed: 'changed' } as const;

export default function QuestionnaireVersions() {
  const { rfp, versions, choices, comparison, unknownChoice } = useLoaderData<typeof loader>();
  const base = `/rfps/${rfp.id}/questionnaire`;
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: '/rfps', label: 'RFPs' },
          { to: `/rfps/${rfp.id}`, label: rfp.reference },
          { to: base, label: 'Questionnaire' },
        ]}
        current="Versions"
      />
      <h1>Questionnaire versions</h1>
      <p className="usa-intro">
        Each time the RFP opens, the questionnaire vendors receive is kept as a version. Going back to draft starts the next one; comparing it with the previous
        version shows what vendors must be told.
      </p>
      {versions.length === 0 ? (
        <p>No version has been published yet: version {rfp.questionnaire_version} is kept when the RFP opens.</p>
      ) : (
        <table className="usa-table usa-table--borderless">
          <caption>Published versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">Version {v.version}</th>
                <td>{formatDateTime(v.takenAt)}</td>
                <td>{v.actorEmail ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="compare-heading">What changed</h2>
      {unknownChoice ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">That comparison is not available; showing {comparison ? 'the latest one' : 'what there is'}.</p>
          </div>
        </div>
      ) : null}
      {choices.length === 0 ? (
        <p>There is nothing to compare yet: a comparison needs a version and the one before it (the questionnaire reopened to draft after it was published).</p>
      ) : (
        <Form method="get" className="usa-form usa-form--large" aria-labelledby="compare-heading">
          <div>
            <label className="usa-label" htmlFor="compare">
              Compare
            </label>
            <select className="usa-select" id="compare" name="compare" defaultValue={comparison?.value}>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="usa-button">
            Show
          </button>
        </Form>
      )}
      {comparison ? (
        <section aria-labelledby="comparison-heading" className="margin-top-3">
          <h3 id="comparison-heading">
            {comparison.newerLabel} against {comparison.olderLabel.toLowerCase()}
          </h3>
          <p role="status" className="text-bold">
            {comparison.summary}
            {comparison.changes.length > 0 && !comparison.changedForVendors ? ' Only notes for evaluators changed: vendors need no addendum.' : ''}
          </p>
          {comparison.changes.map((change) => (
            <Change key={`${change.level}-${change.key}`} change={change} olderLabel={comparison.olderLabel} newerLabel={comparison.newerLabel} />
          ))}
        </section>
      ) : null}
      <p className="margin-top-4">
        <Link to={base} className="usa-link">
          Back to the questionnaire
        </Link>
      </p>
    </>
  );
}

function Change({ change, olderLabel, newerLabel }: { change: ItemChange; olderLabel: string; newerLabel: string }) {
  return (
    <article className={`wb-change wb-change--${change.kind} border-top-1px border-base-lighter padding-y-1`} aria-labelledby={`change-${change.level}-${change.key}`}>
      <h4 id={`change-${change.level}-${change.key}`} className="margin-y-05">
        <span className={`usa-tag margin-right-1 wb-change-tag--${change.kind}`}>{KIND_WORDS[change.kind]}</span>
        {LEVEL_LABELS[change.level]} {change.key}
        {change.level === 'question' ? null : <span className="text-normal"> · {change.title}</span>}
      </h4>
      {change.place ? <p className="usa-hint margin-y-05">{change.place}</p> : null}
      <dl className="wb-meta">
        {change.fields.map((f) => (
          <div key={f.field}>
            <dt>
              {f.label}
              {f.audience === 'evaluators' ? <span className="usa-tag bg-base-lighter text-ink margin-left-1">Not shown to vendors</span> : null}
            </dt>
            <dd>
              {change.kind === 'changed' ? (
                <TextDiff before={f.before} after={f.after} beforeLabel={olderLabel} afterLabel={newerLabel} />
              ) : change.kind === 'added' ? (
                <span className="wb-pre">{f.after}</span>
              ) : (
                <del className="wb-pre">{f.before}</del>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
