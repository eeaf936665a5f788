import type { PreviewView } from '#app/import/import-page-view.server';
import { COLLISION_CHOICES, COLLISION_LABELS, type CollisionChoice, param } from '#app/import/import-page-fields';

const OUTCOMES: Record<PreviewView['collisions'][number]['outcome'], string> = { skipped: 'Skipped', updated: 'Updates the question', renamed: 'Added as' };

/**
 * Keys of the file that questions in the RFP already have, and the officer's choice for all of them: skip the rows,
 * update those questions, or add them under new keys (shown). Always offered, so the choice is made before confirming.
 */
export function Collisions({ view, choice }: { view: PreviewView; choice: CollisionChoice }) {
  const collisions = view.collisions;
  return (
    <div>
      <h3 id="preview-collisions">Keys already in the RFP</h3>
      {collisions.length === 0 ? (
        <p>No key of this import is used by a question already in the RFP.</p>
      ) : (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack width-full">
            <caption>{collisions.length.toLocaleString('en-US')} rows whose key a question in the RFP already has</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">{view.multiSheet ? 'Sheet, row' : 'Row'}</th>
                <th scope="col">Question already in the RFP</th>
                <th scope="col">What happens</th>
              </tr>
            </thead>
            <tbody>
              {collisions.map((c) => (
                <tr key={`${c.sheet}-${c.row}`}>
                  <th scope="row" data-label="Key" className="wb-key">
                    {c.key}
                  </th>
                  <td data-label={view.multiSheet ? 'Sheet, row' : 'Row'}>{view.multiSheet ? `${c.sheet}, ${c.row}` : c.row}</td>
                  <td data-label="Question already in the RFP" className="wb-pre">
                    {c.existingText}
                  </td>
                  <td data-label="What happens">
                    {OUTCOMES[c.outcome]}
                    {c.outcome === 'renamed' && c.newKey ? <strong className="wb-key"> {c.newKey}</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {collisions.length === 0 ? (
        // Nothing collides now; the choice made before is kept for when something does.
        <input type="hidden" name={param.collision} value={choice} />
      ) : (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend wb-legend-sub">What to do with these rows</legend>
          {COLLISION_CHOICES.map((value) => (
            <div className="usa-radio" key={value}>
              <input className="usa-radio__input" id={`collide-${value}`} type="radio" name={param.collision} value={value} defaultChecked={choice === value} />
              <label className="usa-radio__label" htmlFor={`collide-${value}`}>
                {COLLISION_LABELS[value].label}
                <span className="usa-checkbox__label-description">{COLLISION_LABELS[value].hint}</span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
