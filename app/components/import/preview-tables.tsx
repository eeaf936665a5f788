import { Link, useLocation } from '@remix-run/react';
import type { FateFilter, PreviewView } from '#app/import/import-page-view.server';
import { param } from '#app/import/import-page-fields';
import { ANSWER_TYPE_LABELS } from '#app/rfp/questionnaire-forms';
import { ANSWER_TYPES } from '#app/utils/permissions';
import { Pager } from './pager';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** The one-line summary, announced when the preview changes. Counts are of the whole import, never of a page. */
export function PreviewSummary({ view, maxQuestions }: { view: PreviewView; maxQuestions: number }) {
  const c = view.counts;
  const parts = [
    `${plural(c.questions, 'question', 'questions')} in ${plural(c.sections, 'section', 'sections')} from ${plural(c.rows, 'row', 'rows')}`,
    c.updates > 0 ? `${plural(c.updates, 'question', 'questions')} already in the RFP updated` : null,
    `${plural(c.headings, 'section heading', 'section headings')}`,
    `${plural(c.skipped, 'row', 'rows')} skipped`,
    c.filtered > 0 ? `${plural(c.filtered, 'row', 'rows')} filtered out` : null,
    c.blank > 0 ? `${plural(c.blank, 'blank row', 'blank rows')}` : null,
  ].filter(Boolean);
  return (
    <p role="status" className="wb-preview-summary">
      {`${parts.join('; ')}. Nothing is saved until you confirm. One import takes at most ${count(maxQuestions)} questions.`}
    </p>
  );
}

export function SectionTree({ view }: { view: PreviewView }) {
  return (
    <div>
      <h3 id="preview-sections">Sections</h3>
      <p className="usa-hint">
        Each section becomes a section with one scored criterion of the same name; set its points and rubric in the builder afterwards.
      </p>
      <ul className="wb-section-tree">
        {view.tree.map((s, n) => (
          <li key={`${n}-${s.title}`}>
            {s.title} <span className="text-base-dark">({plural(s.questions, 'question', 'questions')})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function QuestionsTable({ view }: { view: PreviewView }) {
  const { items, page } = view.questions;
  return (
    <div>
      <h3 id="preview-questions">Questions</h3>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack width-full">
          <caption>
            Questions {count(page.from)}–{count(page.to)} of {count(page.total)}, with the keys exactly as they will be saved
          </caption>
          <thead>
            <tr>
              <th scope="col">{view.multiSheet ? 'Sheet, row' : 'Row'}</th>
              <th scope="col">Section</th>
              <th scope="col">Key</th>
              <th scope="col">Question</th>
              <th scope="col">Answer type</th>
              <th scope="col">Required</th>
            </tr>
          </thead>
          <tbody>
            {items.map((q) => (
              <tr key={`${q.sheet}-${q.row}`}>
                <td data-label={view.multiSheet ? 'Sheet, row' : 'Row'}>{view.multiSheet ? `${q.sheet}, ${q.row}` : q.row}</td>
                <td data-label="Section">{q.section}</td>
                <th scope="row" data-label="Key" className="wb-key">
                  {q.key}
                  {q.action === 'update' ? <span className="usa-tag margin-left-1">updates</span> : null}
                </th>
                <td data-label="Question" className="wb-pre">
                  {q.text}
                </td>
                <td data-label="Answer type">
                  {q.type}
                  {q.options.length > 0 ? (
                    <ul className="usa-list usa-list--unstyled wb-options">
                      {q.options.map((o) => (
                        <li key={o.label}>
                          {o.label} <span className="text-base-dark">({o.share})</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <span className="display-block text-base-dark font-body-3xs">type from: {q.typeSource}</span>
                </td>
                <td data-label="Required">{q.required ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager info={page} param="qpage" label="Pages of questions" anchor="preview-questions" />
    </div>
  );
}

const FATE_FILTER_LABELS: Record<FateFilter, string> = {
  all: 'All rows',
  problems: 'Problems only',
  question: 'Questions',
  section: 'Section headings',
  skipped: 'Skipped',
  filtered: 'Filtered out',
};

export function RowFatesTable({ view }: { view: PreviewView }) {
  const location = useLocation();
  const { items, page, fate, counts } = view.rows;
  const filterHref = (filter: FateFilter) => {
    const params = new URLSearchParams(location.search);
    params.set('fate', filter);
    params.delete('rpage');
    return `?${params.toString()}#preview-rows`;
  };
  return (
    <div>
      <h3 id="preview-rows">What became of every row</h3>
      <ul className="wb-filter-links" aria-label="Show rows">
        {(Object.keys(FATE_FILTER_LABELS) as FateFilter[]).map((filter) => (
          <li key={filter}>
            <Link to={filterHref(filter)} aria-current={filter === fate ? 'true' : undefined} preventScrollReset>
              {FATE_FILTER_LABELS[filter]} ({count(counts[filter])})
            </Link>
          </li>
        ))}
      </ul>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack width-full">
          <caption>
            {FATE_FILTER_LABELS[fate]}: {page.total === 0 ? 'none' : `${count(page.from)}–${count(page.to)} of ${count(page.total)}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">{view.multiSheet ? 'Sheet, row' : 'Row'}</th>
              <th scope="col">Became</th>
              <th scope="col">Why, or the key</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={`${r.sheet}-${r.row}`}>
                <th scope="row" data-label={view.multiSheet ? 'Sheet, row' : 'Row'}>
                  {view.multiSheet ? `${r.sheet}, ${r.row}` : r.row}
                </th>
                <td data-label="Became">{r.fateLabel}</td>
                <td data-label="Why, or the key">{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager info={page} param="rpage" label="Pages of rows" anchor="preview-rows" />
    </div>
  );
}

/** The answer-type column's codes and what they become; editing a row changes every question with that code. */
export function CodeTable({ view }: { view: PreviewView }) {
  if (view.codes.length === 0) return null;
  return (
    <div>
      <h3 id="preview-codes">Answer-type codes</h3>
      <p className="usa-hint" id="codes-hint">
        What each value of the answer-type column becomes. Options apply to “Choose one” and “Choose any”; separate them with semicolons. Leave options empty to
        take them from the row.
      </p>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack width-full">
          <caption>Answer-type codes of the file ({plural(view.codes.length, 'code', 'codes')})</caption>
          <thead>
            <tr>
              <th scope="col">Code in the file</th>
              <th scope="col">Rows</th>
              <th scope="col">Answer type</th>
              <th scope="col">Options</th>
            </tr>
          </thead>
          <tbody>
            {view.codes.map((c, n) => (
              <tr key={c.code}>
                <th scope="row" data-label="Code in the file">
                  {c.code}
                  <input type="hidden" name={param.code(n)} value={c.code} />
                  <input type="hidden" name={param.codeWas(n)} value={c.shown} />
                  {c.recognised ? null : <span className="usa-tag bg-secondary-dark margin-left-1">not recognised</span>}
                </th>
                <td data-label="Rows">{count(c.count)}</td>
                <td data-label="Answer type">
                  <label className="usa-sr-only" htmlFor={`code-${n}-type`}>
                    Answer type for code {c.code}
                  </label>
                  <select
                    className="usa-select margin-top-0"
                    id={`code-${n}-type`}
                    name={param.codeType(n)}
                    defaultValue={c.type}
                    aria-describedby="codes-hint"
                  >
                    {ANSWER_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {ANSWER_TYPE_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </td>
                <td data-label="Options">
                  <label className="usa-sr-only" htmlFor={`code-${n}-opts`}>
                    Options for code {c.code}, separated by semicolons
                  </label>
                  <input
                    className="usa-input margin-top-0"
                    id={`code-${n}-opts`}
                    name={param.codeOptions(n)}
                    type="text"
                    maxLength={2000}
                    defaultValue={c.options}
                    aria-describedby="codes-hint"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The options of closed questions and the auto-score share each suggests (DESIGN §3). */
export function SharesTable({ view }: { view: PreviewView }) {
  if (view.shares.length === 0) return null;
  return (
    <div>
      <h3 id="preview-shares">Auto-score shares of the options</h3>
      <p className="usa-hint" id="shares-hint">
        The share of a criterion’s points an option suggests, from 0 to 1 (Yes 1, Partial 0.5, No 0). Leave it empty when choosing the option should suggest no
        score, as for N/A. A suggestion is shown to evaluators, never counted silently.
      </p>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack">
          <caption>Options and their shares ({plural(view.shares.length, 'option', 'options')})</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Questions</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {view.shares.map((o, n) => (
              <tr key={o.label}>
                <th scope="row" data-label="Option">
                  {o.label}
                  <input type="hidden" name={param.shareLabel(n)} value={o.label} />
                  <input type="hidden" name={param.shareWas(n)} value={o.share} />
                </th>
                <td data-label="Questions">{count(o.count)}</td>
                <td data-label="Share">
                  <label className="usa-sr-only" htmlFor={`share-${n}`}>
                    Share for {o.label} (empty: not auto-scored)
                  </label>
                  <input
                    className="usa-input usa-input--small margin-top-0"
                    id={`share-${n}`}
                    name={param.share(n)}
                    type="text"
                    inputMode="decimal"
                    maxLength={10}
                    defaultValue={o.share}
                    placeholder="none"
                    aria-describedby="shares-hint"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
