import type { SheetChoice } from '#app/import/import-page-view.server';
import { param } from '#app/import/import-page-fields';

/** The workbook's sheets with their row counts, the proposed one first; the officer ticks one or several to import. */
export function SheetChooser({ sheets }: { sheets: SheetChoice[] }) {
  return (
    <fieldset className="usa-fieldset">
      <legend className="usa-legend wb-legend-heading">Sheets to import</legend>
      <p className="usa-hint" id="sheets-hint">
        Tick every sheet that holds questions. Sheets are imported in the workbook’s order, each with its own columns below; a sheet you tick is given a
        proposed mapping when you update the preview.
      </p>
      {sheets.map((sheet) => (
        <div className="usa-checkbox" key={sheet.index}>
          <input
            className="usa-checkbox__input"
            id={`sheet-${sheet.index}`}
            type="checkbox"
            name={param.sheet}
            value={String(sheet.index)}
            defaultChecked={sheet.chosen}
            aria-describedby="sheets-hint"
          />
          <label className="usa-checkbox__label" htmlFor={`sheet-${sheet.index}`}>
            {sheet.name}
            <span className="usa-checkbox__label-description">
              {sheet.rows.toLocaleString('en-US')} {sheet.rows === 1 ? 'row' : 'rows'}
              {sheet.proposed ? ' · looks most like the questionnaire' : ''}
              {sheet.hidden ? ' · hidden sheet (often dropdown lists)' : ''}
            </span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}
