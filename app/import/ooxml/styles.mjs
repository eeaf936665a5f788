// Which cell styles show a date (xl/styles.xml): a cell's `s` attribute indexes <cellXfs>, whose numFmtId is either a
// built-in format or one of the workbook's own <numFmts>. Only that is read; fonts, fills and borders do not matter here.

import { isDateFormat } from './cell-text.mjs';
import { childNamed, childrenNamed, parseTree } from './xml.mjs';

/** @param {string | null} xml @returns {boolean[]} by style index */
export function readDateStyles(xml) {
  if (xml === null) return [];
  const root = parseTree(xml);
  /** @type {Map<number, string>} */
  const codes = new Map();
  for (const format of childrenNamed(childNamed(root, 'numFmts'), 'numFmt')) {
    const id = parseInt(format.attrs.numFmtId ?? '', 10);
    if (Number.isInteger(id)) codes.set(id, format.attrs.formatCode ?? '');
  }
  return childrenNamed(childNamed(root, 'cellXfs'), 'xf').map((xf) => {
    const id = parseInt(xf.attrs.numFmtId ?? '0', 10) || 0;
    return isDateFormat(id, codes.get(id));
  });
}
