import type { ReactNode } from 'react';
import { describedBy, FieldFrame, TextField } from '#app/components/form-fields';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS } from '#app/import/import-fields';
import type { SheetMappingView } from '#app/import/import-page-view.server';
import { param } from '#app/import/import-page-fields';

function Select({ id, name, label, hint, value, children }: { id: string; name: string; label: string; hint?: string; value: string; children: ReactNode }) {
  return (
    <FieldFrame name={name} id={id} label={label} hint={hint}>
      <select className="usa-select" id={id} name={name} defaultValue={value} aria-describedby={describedBy(id, hint)}>
        {children}
      </select>
    </FieldFrame>
  );
}

function NumberInput({ id, name, label, hint, value, min = 0 }: { id: string; name: string; label: string; hint?: string; value: string; min?: number }) {
  return (
    <FieldFrame name={name} id={id} label={label} hint={hint}>
      <input
        className="usa-input usa-input--small"
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        step={1}
        defaultValue={value}
        aria-describedby={describedBy(id, hint)}
      />
    </FieldFrame>
  );
}

/**
 * One chosen sheet's mapping: header row and layout, which column holds what, where its sections come from, and the
 * structure options (a depth tree, a filter). Field names carry the sheet's place in the workbook (see import-page-fields).
 */
export function SheetMapping({ sheet }: { sheet: SheetMappingView }) {
  const i = sheet.index;
  const id = (name: string) => `s${i}-${name}`;
  const line = sheet.orientation === 'columns' ? 'column' : 'row';
  const columnOptions = sheet.columnChoices.map((c) => (
    <option key={c.value} value={c.value}>
      {c.label}
    </option>
  ));
  return (
    <fieldset className="usa-fieldset wb-sheet-mapping">
      <legend className="usa-legend wb-legend-heading">Sheet “{sheet.name}”</legend>
      <input type="hidden" name={param.proposedFor(i)} value={sheet.proposedFor} />
      {sheet.reproposed ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {`The columns of this sheet were proposed from the labels of ${line} ${sheet.headerRow}. Check them before importing.`}
            </p>
          </div>
        </div>
      ) : null}
      <div className="wb-mapping-grid">
        <NumberInput
          id={id('hdr')}
          name={param.headerRow(i)}
          label={sheet.orientation === 'columns' ? 'Label column (0 if there is none)' : 'Header row (0 if there is none)'}
          hint="Change it and update the preview: the columns are proposed again from that row’s labels."
          value={String(sheet.headerRow)}
        />
        <Select id={id('layout')} name={param.layout(i)} label="Layout" value={sheet.orientation}>
          <option value="rows">One question per row</option>
          <option value="columns">One question per column (sideways)</option>
        </Select>
      </div>

      <fieldset className="usa-fieldset margin-top-2">
        <legend className="usa-legend wb-legend-sub">Which column holds what</legend>
        <div className="wb-mapping-grid">
          {IMPORT_FIELDS.map((field) => (
            <Select key={field} id={id(`col-${field}`)} name={param.column(i, field)} label={IMPORT_FIELD_LABELS[field]} value={sheet.columns[field]}>
              <option value="">(not in this file)</option>
              {columnOptions}
            </Select>
          ))}
        </div>
      </fieldset>

      <fieldset className="usa-fieldset margin-top-2">
        <legend className="usa-legend wb-legend-sub">Sections of this sheet</legend>
        <div className="usa-radio">
          <input
            className="usa-radio__input"
            id={id('sections-column')}
            type="radio"
            name={param.sections(i)}
            value="column"
            defaultChecked={sheet.sections === 'column'}
          />
          <label className="usa-radio__label" htmlFor={id('sections-column')}>
            From the sheet: its section column, heading rows or depth tree
          </label>
        </div>
        <div className="usa-radio">
          <input
            className="usa-radio__input"
            id={id('sections-sheet')}
            type="radio"
            name={param.sections(i)}
            value="sheet"
            defaultChecked={sheet.sections === 'sheet'}
          />
          <label className="usa-radio__label" htmlFor={id('sections-sheet')}>
            The whole sheet is one section, named “{sheet.name}”
          </label>
        </div>
      </fieldset>

      <fieldset className="usa-fieldset margin-top-2">
        <legend className="usa-legend wb-legend-sub">Structure and filters</legend>
        <div className="wb-mapping-grid">
          <Select
            id={id('depth')}
            name={param.depth(i)}
            label="Depth tree"
            hint="A column of levels (1, 2, 3 or 1.2.3), or the rows’ outline levels."
            value={sheet.depth}
          >
            <option value="">No depth tree</option>
            <option value="outline">Outline levels (rows grouped in Excel)</option>
            {sheet.columnChoices.map((c) => (
              <option key={c.value} value={`c${c.value}`}>
                {c.label}
              </option>
            ))}
          </Select>
          <NumberInput
            id={id('secdepth')}
            name={param.sectionDepth(i)}
            label="Depth of section headings"
            hint="With a depth tree: rows at this depth are sections, deeper rows questions."
            value={sheet.sectionDepth}
          />
          <NumberInput
            id={id('only')}
            name={param.onlyDepth(i)}
            label="Keep only questions at depth"
            hint="With a depth tree; leave empty to keep every depth."
            value={sheet.onlyDepth}
          />
          <Select
            id={id('fcol')}
            name={param.filterColumn(i)}
            label="Keep only rows where column"
            hint="For example an “assessable” column marked x."
            value={sheet.filterColumn}
          >
            <option value="">(keep every row)</option>
            {columnOptions}
          </Select>
          <TextField
            id={id('fval')}
            name={param.filterValue(i)}
            label="… holds the value"
            hint="Compared without regard to case or surrounding spaces."
            maxLength={200}
            defaultValue={sheet.filterValue}
          />
        </div>
      </fieldset>
    </fieldset>
  );
}
