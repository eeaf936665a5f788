import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { AnswerControl } from '#app/components/answer-control';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { ConfirmPanel } from '#app/components/confirm-panel';
import { mailOrigin } from '#app/mail/origin.server';
import { getDb } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireVendorRfp } from '#app/vendor-portal/access.server';
import {
  IncompleteResponseError,
  loadVendorResponse,
  type SaveOutcome,
  saveVendorAnswers,
  sealVendorResponse,
  type VendorResponseView,
} from '#app/vendor-portal/response.server';
import { readAnswerSubmissions } from '#app/vendor-portal/response-form';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Your response · ${data?.view.rfp.reference ?? 'RFP'} · Vendor portal · AI Vendor Evaluation Workbench` }];

/** Autosave waits this long after the last keystroke, so a sentence is saved once, not per letter. */
const AUTOSAVE_DELAY_MS = 1200;

/** The vendor's own response, answered online (issue 15, items 3 and 4): drafts, progress, submission and receipts. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const view = await loadVendorResponse(getDb(), access.rfp, access.organisation);
  return json({ view, organisation: access.organisation.vendorName });
}

type ActionReply =
  | { intent: 'save'; outcome: SaveOutcome; closed: null }
  | { intent: 'save' | 'submit' | 'withdraw'; outcome: null; closed: string }
  | { intent: 'submit'; outcome: null; closed: null; missing: Array<{ key: string; text: string }> };

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const actor = { id: access.user.id, email: access.user.email, name: access.user.name };
  const here = `/vendor/rfps/${access.rfp.id}/response`;
  const refused = (error: unknown, as: 'save' | 'submit' | 'withdraw') => {
    // A lock (the deadline passed, proposals closed) is said on the page, not as an error page: nothing typed is lost.
    if (error instanceof Response && error.status === 409) return error.text().then((closed) => json<ActionReply>({ intent: as, outcome: null, closed }, { status: 409 }));
    throw error;
  };
  if (intent === 'save') {
    const read = readAnswerSubmissions(form);
    if (!read.ok) return json({ intent: 'save', outcome: { saved: [], conflicts: [], errors: [{ key: '', message: read.message }] }, closed: null } satisfies ActionReply, { status: 400 });
    try {
      const outcome = await saveVendorAnswers(actor, access.rfp, access.organisation, read.answers);
      const status = outcome.errors.length > 0 ? 400 : outcome.conflicts.length > 0 ? 409 : 200;
      return json<ActionReply>({ intent: 'save', outcome, closed: null }, { status });
    } catch (error) {
      return refused(error, 'save');
    }
  }
  if (intent === 'submit' || intent === 'withdraw') {
    try {
      const version = await sealVendorResponse(actor, access.rfp, access.organisation, intent === 'submit' ? 'submitted' : 'withdrawn', mailOrigin(request));
      return redirect(`${here}?sealed=${version.number}#receipts-heading`);
    } catch (error) {
      if (error instanceof IncompleteResponseError) return json<ActionReply>({ intent: 'submit', outcome: null, closed: null, missing: error.missing }, { status: 400 });
      return refused(error, intent);
    }
  }
  return json({ intent: 'save', outcome: null, closed: 'Unknown action.' } satisfies ActionReply, { status: 400 });
}

export default function VendorResponse() {
  const { view, organisation } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [search] = useSearchParams();
  const confirm = search.get('confirm');
  const sealed = search.get('sealed');
  const { rfp, progress, state } = view;
  const here = `/vendor/rfps/${rfp.id}/response`;
  const closed = view.closed;
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: '/vendor', label: 'Vendor portal' },
          { to: `/vendor/rfps/${rfp.id}`, label: rfp.reference },
        ]}
        current="Your response"
      />
      <h1>{`Your response to ${rfp.reference}`}</h1>
      <p className="usa-intro">{`${rfp.title}. You answer on behalf of ${organisation}${organisation.endsWith('.') ? '' : '.'}`}</p>
      {sealed ? <SealedNotice version={view.versions.find((v) => String(v.number) === sealed)} /> : null}
      {reply?.closed ? (
        <div className="usa-alert usa-alert--error margin-bottom-3" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{reply.closed}</p>
          </div>
        </div>
      ) : null}
      <StatusPanel view={view} />
      {confirm === 'submit' && !closed ? (
        <ConfirmPanel
          title={`Submit ${organisation}’s response?`}
          fields={{ intent: 'submit' }}
          action={here}
          cancelTo={here}
          confirmLabel={state.kind === 'submitted' ? `Submit version ${state.version.number + 1}` : 'Submit the response'}
        >
          <ul className="usa-list">
            <li>{`The answers as they stand now (${progress.answered} of ${progress.total} questions answered) are sealed as version ${(view.versions[0]?.number ?? 0) + 1}, with a receipt mailed to every contact of ${organisation}.`}</li>
            <li>Nobody at the city can read it before the bid opening, after the deadline.</li>
            <li>{`You can revise or withdraw it until ${rfp.proposalsDue ?? 'the deadline'}; the latest version submitted by then is the one evaluated.`}</li>
          </ul>
        </ConfirmPanel>
      ) : null}
      {confirm === 'withdraw' && !closed && state.kind === 'submitted' ? (
        <ConfirmPanel title={`Withdraw ${organisation}’s response?`} fields={{ intent: 'withdraw' }} action={here} cancelTo={here} confirmLabel="Withdraw the response" danger>
          <p>{`Version ${state.version.number} will no longer be evaluated. Your answers stay here as a draft: you can submit again until ${rfp.proposalsDue ?? 'the deadline'}.`}</p>
        </ConfirmPanel>
      ) : null}
      {reply && 'missing' in reply ? <MissingRequired missing={reply.missing} /> : null}
      <ProgressPanel view={view} />
      {rfp.sections.map((section) => (
        <SectionForm key={section.key} section={section} view={view} disabled={closed !== null} reply={reply?.intent === 'save' ? reply.outcome : null} />
      ))}
      <Receipts view={view} />
    </>
  );
}

function SealedNotice({ version }: { version: VendorResponseView['versions'][number] | undefined }) {
  if (!version) return null;
  return (
    <div className="usa-alert usa-alert--success margin-bottom-3" role="status">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading">{version.kind === 'submitted' ? `Version ${version.number} submitted` : 'Response withdrawn'}</h2>
        <p className="usa-alert__text">{`${formatDateTime(version.submittedAt)}. Receipt (SHA-256): `}<code className="wb-hash">{version.sha256}</code>{'. A copy was mailed to every contact of your organisation.'}</p>
      </div>
    </div>
  );
}

function StatusPanel({ view }: { view: VendorResponseView }) {
  const { state, rfp, closed } = view;
  const here = `/vendor/rfps/${rfp.id}/response`;
  const sentence =
    state.kind === 'submitted'
      ? `Submitted: version ${state.version.number}, ${formatDateTime(state.version.submittedAt)}${state.version.submittedByName ? `, by ${state.version.submittedByName}` : ''}.${state.changedSince ? ' Answers changed since then are not part of it: submit again to include them.' : ''}`
      : state.kind === 'withdrawn'
        ? `Withdrawn ${formatDateTime(state.version.submittedAt)}: nothing of your organisation will be evaluated unless you submit again.`
        : state.kind === 'draft'
          ? 'Draft: not submitted. Only your organisation’s contacts can see it; the city sees nothing until you submit and the bids are opened.'
          : 'Not started. Answers are saved as you type and stay a draft until you submit.';
  return (
    <section className="usa-summary-box margin-bottom-3" aria-labelledby="status-heading">
      <div className="usa-summary-box__body">
        <h2 className="usa-summary-box__heading" id="status-heading">
          Status
        </h2>
        <div className="usa-summary-box__text">
          <p>{sentence}</p>
          <p>{closed ?? `Proposals are due ${rfp.proposalsDue ?? '(not set)'}, by the city’s clock. You can revise or withdraw a submission until then.`}</p>
          {closed ? null : (
            <p className="wb-actions">
              <Link className="usa-button" to={`${here}?confirm=submit`}>
                {state.kind === 'submitted' ? 'Submit a new version' : 'Submit the response'}
              </Link>
              {state.kind === 'submitted' ? (
                <Link className="usa-button usa-button--outline" to={`${here}?confirm=withdraw`}>
                  Withdraw
                </Link>
              ) : null}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function MissingRequired({ missing }: { missing: Array<{ key: string; text: string }> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [missing]);
  return (
    <div className="usa-alert usa-alert--error margin-bottom-3" role="alert" tabIndex={-1} ref={ref}>
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading">{`Not submitted: ${missing.length} required ${missing.length === 1 ? 'question is' : 'questions are'} unanswered`}</h2>
        <ul className="usa-list">
          {missing.map((m) => (
            <li key={m.key}>
              <a className="usa-link" href={`#a-${m.key}`}>{`${m.key} ${m.text}`}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function ProgressPanel({ view }: { view: VendorResponseView }) {
  const { progress, rfp } = view;
  return (
    <section aria-labelledby="progress-heading" className="margin-bottom-4">
      <h2 id="progress-heading">Progress</h2>
      <p>{`${progress.answered} of ${progress.total} questions answered; ${progress.requiredAnswered} of ${progress.required} required.`}</p>
      <nav aria-label="Sections">
        <ul className="usa-list">
          {rfp.sections.map((s) => (
            <li key={s.key}>
              <a className="usa-link" href={`#section-${s.key}`}>
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {progress.missingRequired.length > 0 ? (
        <details>
          <summary>{`Still required (${progress.missingRequired.length})`}</summary>
          <ul className="usa-list">
            {progress.missingRequired.map((m) => (
              <li key={m.key}>
                <a className="usa-link" href={`#a-${m.key}`}>{`${m.key} ${m.text}`}</a>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <p>Every required question is answered.</p>
      )}
    </section>
  );
}

type Section = VendorResponseView['rfp']['sections'][number];

function SectionForm({ section, view, disabled, reply }: { section: Section; view: VendorResponseView; disabled: boolean; reply: SaveOutcome | null }) {
  const here = `/vendor/rfps/${view.rfp.id}/response`;
  const questions = section.criteria.flatMap((c) => c.questions);
  const saved = reply?.saved.filter((s) => questions.some((q) => q.key === s.key)).length ?? 0;
  return (
    <section aria-labelledby={`section-${section.key}`} className="margin-bottom-5">
      <h2 id={`section-${section.key}`}>{section.title}</h2>
      <Form method="post" action={here} data-unsaved-warning={`Answers in “${section.title}”`} preventScrollReset>
        <input type="hidden" name="intent" value="save" />
        {section.criteria.map((criterion) => (
          <fieldset key={criterion.key} className="usa-fieldset margin-bottom-3">
            <legend className="usa-legend usa-legend--large">{criterion.title}</legend>
            {criterion.questions.map((q) => (
              <QuestionField key={q.key} question={q} view={view} disabled={disabled} reply={reply} isPrice={q.key === view.priceKey} />
            ))}
          </fieldset>
        ))}
        {disabled ? null : (
          <p className="wb-actions">
            <button type="submit" className="usa-button usa-button--outline">{`Save “${section.title}”`}</button>
            {reply && saved > 0 ? <span role="status">{`Saved ${saved} ${saved === 1 ? 'answer' : 'answers'}.`}</span> : null}
          </p>
        )}
      </Form>
    </section>
  );
}

type QuestionView = Section['criteria'][number]['questions'][number];

/** One question: its control, its revision (for stale-write refusal) and its own autosave. */
function QuestionField({ question, view, disabled, reply, isPrice }: { question: QuestionView; view: VendorResponseView; disabled: boolean; reply: SaveOutcome | null; isPrice: boolean }) {
  const draft = view.drafts[question.key];
  const name = `a:${question.key}`;
  const fetcher = useFetcher<typeof action>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const autosave = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const form = wrapper.current?.closest('form');
      if (!form) return;
      const typed = new FormData(form);
      const body = new FormData();
      body.set('intent', 'save');
      body.set(`r:${question.key}`, String(typed.get(`r:${question.key}`) ?? '0'));
      for (const v of typed.getAll(name)) body.append(name, v);
      fetcher.submit(body, { method: 'post', action: `/vendor/rfps/${view.rfp.id}/response` });
    }, AUTOSAVE_DELAY_MS);
  };
  const own = fetcher.state === 'idle' ? fetcher.data : undefined;
  const outcome = own?.intent === 'save' && own.outcome ? own.outcome : reply;
  const error = outcome?.errors.find((e) => e.key === question.key)?.message ?? null;
  const conflict = outcome?.conflicts.find((c) => c.key === question.key) ?? null;
  const autosaved = own?.intent === 'save' && own.outcome?.saved.some((s) => s.key === question.key);
  const closedNow = own?.closed ?? null;
  const hintId = `${name}-hint`;
  const status = fetcher.state !== 'idle' ? 'Saving…' : closedNow ? `Not saved: ${closedNow}` : autosaved ? 'Saved.' : '';
  return (
    <div ref={wrapper} className={`usa-form-group${error || conflict ? ' usa-form-group--error' : ''}`} id={`a-${question.key}`}>
      <input type="hidden" name={`r:${question.key}`} value={draft?.revision ?? 0} />
      <label className="usa-label" htmlFor={question.answerType === 'multi_choice' ? `${name}-0` : name}>
        <strong>{question.key}</strong> {question.text}
        {question.required ? <span className="usa-tag margin-left-1">Required</span> : null}
      </label>
      <div className="usa-hint wb-pre" id={hintId}>
        {[question.guidance, isPrice ? 'Your total price for the contract term, in US dollars (more than 0).' : null].filter(Boolean).join('\n')}
      </div>
      {error ? (
        <span className="usa-error-message" role="alert">
          {error}
        </span>
      ) : null}
      {conflict ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {`Not saved: ${conflict.updatedByName ?? 'another contact'} saved a different answer ${formatDateTime(conflict.updatedAt)}: “${conflict.value === null ? '(empty)' : Array.isArray(conflict.value) ? conflict.value.join('; ') : String(conflict.value)}”. Your text is still in the box; save again to replace theirs.`}
            </p>
          </div>
        </div>
      ) : null}
      <AnswerControl name={name} answerType={question.answerType} options={question.options} value={draft?.value ?? null} disabled={disabled} describedBy={hintId} onChange={disabled ? undefined : autosave} />
      <span className="usa-hint" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

function Receipts({ view }: { view: VendorResponseView }) {
  return (
    <section aria-labelledby="receipts-heading" className="margin-bottom-4">
      <h2 id="receipts-heading">Receipts</h2>
      {view.versions.length === 0 ? (
        <p>Nothing submitted yet. Each submission or withdrawal gets a receipt here and by mail.</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>Every version your organisation sealed, newest first. The receipt is the SHA-256 of the downloaded file.</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">What</th>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">Receipt (SHA-256)</th>
            </tr>
          </thead>
          <tbody>
            {view.versions.map((v) => (
              <tr key={v.id}>
                <th scope="row" data-label="Version">
                  {v.number}
                </th>
                <td data-label="What">{v.kind === 'submitted' ? 'Submitted' : 'Withdrawn'}</td>
                <td data-label="When">{formatDateTime(v.submittedAt)}</td>
                <td data-label="By">{v.submittedByName ?? '—'}</td>
                <td data-label="Receipt (SHA-256)">
                  <code className="wb-hash">{v.sha256}</code>{' '}
                  <Link className="usa-link" to={`/vendor/rfps/${view.rfp.id}/response/${v.number}.json`} reloadDocument>
                    {`Download version ${v.number} (.json)`}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
