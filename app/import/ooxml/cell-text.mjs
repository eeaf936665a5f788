// How a stored cell value becomes the text a person sees: the same rules the exceljs-based reader applied, so a
// questionnaire reads the same whichever reader parsed it.

/** Excel escapes some characters as _xHHHH_ (a carriage return as _x000D_); line endings become \n. @param {string} text */
export function cleanText(text) {
  const decoded = text.indexOf('_x') >= 0 ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : text;
  // eslint-disable-next-line no-control-regex
  return decoded.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** @param {number} n */
export function formatNumber(n) {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** A date as YYYY-MM-DD, with " HH:MM" when it has a time of day. @param {Date} d */
export function formatDate(d) {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** An Excel serial day number as a UTC date (as exceljs converts it). @param {number} serial @param {boolean} date1904 */
export function serialToDate(serial, date1904) {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/**
 * Whether a number format shows a date or time: a built-in date format, or a custom code with d, m, y, h or s outside
 * quoted text, [brackets] (colours, conditions, locales), escaped characters and padding/fill characters.
 * @param {number} numFmtId
 * @param {string | undefined} formatCode
 */
export function isDateFormat(numFmtId, formatCode) {
  if (BUILT_IN_DATE_FORMATS.has(numFmtId)) return true;
  if (formatCode === undefined) return false;
  const bare = formatCode
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  return /[dmyhs]/i.test(bare);
}
