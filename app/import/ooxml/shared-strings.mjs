// The shared-string table (xl/sharedStrings.xml): one entry per <si>, its text the concatenation of its runs (<r><t>) or
// its plain <t>; phonetic guides (<rPh>, furigana over Japanese text) are not part of the text a person reads.

import { cleanText } from './cell-text.mjs';
import { scanXml } from './xml.mjs';

/** @param {string} xml @returns {string[]} */
export function readSharedStrings(xml) {
  /** @type {string[]} */
  const strings = [];
  let current = '';
  let inItem = false;
  let phonetic = 0;
  const handler = {
    wantText: false,
    /** @param {string} name */
    open(name) {
      if (name === 'si') {
        inItem = true;
        current = '';
      } else if (name === 'rPh') {
        phonetic++;
      } else if (name === 't' && inItem && phonetic === 0) {
        handler.wantText = true;
      }
    },
    /** @param {string} text */
    text(text) {
      current += text;
    },
    /** @param {string} name */
    close(name) {
      if (name === 't') handler.wantText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        strings.push(cleanText(current));
        inItem = false;
      }
    },
  };
  scanXml(xml, handler);
  return strings;
}
