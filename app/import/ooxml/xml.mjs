// A small, strict-enough XML scanner for the parts of an xlsx package. Workbook XML is machine-written and simple: no
// DTDs, no custom entities, namespaces only as prefixes. So this reads elements by their local name (the prefix is
// dropped: `x14:dataValidation` is `dataValidation`, `xm:f` is `f`), decodes the five XML entities and numeric
// character references, checks that every end tag closes the element it should (a broken part is refused, not
// half-read), and refuses a DTD outright (the usual way XML is made to explode). It never builds a tree for a sheet: the
// caller receives open/close/text events and keeps only what it needs, which is what makes large sheets fast.

export class XmlError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'XmlError';
  }
}

/**
 * @typedef {object} XmlHandler
 * @property {(name: string, attrs: Record<string, string>) => void} open  An element starts (local name, attributes by
 *   local name; `xmlns…` declarations keep their full name).
 * @property {(name: string) => void} close  An element ends (also right after `open` for `<empty/>`).
 * @property {(text: string) => void} [text]  Character data (entities decoded), only while `wantText` is true.
 * @property {boolean} [wantText]
 */

const ENTITY = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });

/** @param {string} text */
export function decodeEntities(text) {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (_, hex, dec, named) => {
    if (named) return NAMED[named];
    const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** @param {string} qname */
function localName(qname) {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** @param {string} qname */
function attributeKey(qname) {
  return qname.startsWith('xmlns') ? qname : localName(qname);
}

/** @param {number} ch */
function isSpace(ch) {
  return ch === 32 || ch === 10 || ch === 13 || ch === 9;
}

/**
 * Scans `xml`, calling `handler` for every element and (while it wants it) every piece of text.
 * Throws XmlError when the document is not well-formed in a way that matters.
 * @param {string} xml
 * @param {XmlHandler} handler
 */
export function scanXml(xml, handler) {
  /** @type {string[]} */
  const stack = [];
  const n = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < n) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos && handler.wantText && stack.length > 0 && handler.text) handler.text(decodeEntities(xml.slice(pos, textEnd)));
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) throw new XmlError('an end tag is cut off');
      const qname = xml.slice(lt + 2, gt).trim();
      const open = stack.pop();
      if (open !== qname) throw new XmlError(open === undefined ? `</${qname}> closes nothing` : `</${qname}> where </${open}> was expected`);
      handler.close(localName(qname));
      pos = gt + 1;
      continue;
    }
    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw new XmlError('a processing instruction is cut off');
      pos = end + 2;
      continue;
    }
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) throw new XmlError('a comment is cut off');
        pos = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw new XmlError('a CDATA section is cut off');
        if (handler.wantText && stack.length > 0 && handler.text) handler.text(xml.slice(lt + 9, end));
        pos = end + 3;
      } else {
        throw new XmlError('it has a document type declaration (DTD), which a workbook never has');
      }
      continue;
    }

    // A start tag: its name, then attributes in any order with either quote, then > or />.
    let i = lt + 1;
    while (i < n) {
      const ch = xml.charCodeAt(i);
      if (isSpace(ch) || ch === 47 || ch === 62) break;
      i++;
    }
    const qname = xml.slice(lt + 1, i);
    if (qname === '' || qname.indexOf('<') >= 0) throw new XmlError('a tag has no name');
    /** @type {Record<string, string>} */
    const attrs = {};
    let selfClosing = false;
    for (;;) {
      let ch = xml.charCodeAt(i);
      while (isSpace(ch)) ch = xml.charCodeAt(++i);
      if (ch === 62 /* > */) {
        i++;
        break;
      }
      if (ch === 47 /* / */) {
        if (xml.charCodeAt(i + 1) !== 62) throw new XmlError(`the tag <${qname}> is malformed`);
        selfClosing = true;
        i += 2;
        break;
      }
      if (i >= n) throw new XmlError(`the tag <${qname}> is cut off`);
      const eq = xml.indexOf('=', i);
      if (eq < 0) throw new XmlError(`the tag <${qname}> is malformed`);
      const name = xml.slice(i, eq).trim();
      if (name === '' || name.indexOf('>') >= 0 || name.indexOf('<') >= 0) throw new XmlError(`the tag <${qname}> is malformed`);
      let j = eq + 1;
      while (isSpace(xml.charCodeAt(j))) j++;
      const quote = xml.charCodeAt(j);
      if (quote !== 34 && quote !== 39) throw new XmlError(`an attribute of <${qname}> is not quoted`);
      const close = xml.indexOf(quote === 34 ? '"' : "'", j + 1);
      if (close < 0) throw new XmlError(`an attribute of <${qname}> is cut off`);
      const raw = xml.slice(j + 1, close);
      attrs[attributeKey(name)] = raw.indexOf('&') < 0 ? raw : decodeEntities(raw);
      i = close + 1;
    }
    const name = localName(qname);
    handler.open(name, attrs);
    if (selfClosing) handler.close(name);
    else stack.push(qname);
    pos = i;
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1]}> is never closed`);
}

/**
 * @typedef {object} XmlElement
 * @property {string} name  Local name.
 * @property {Record<string, string>} attrs
 * @property {XmlElement[]} children
 * @property {string} text  The element's own character data (not its children's).
 */

/**
 * A small part (workbook, relationships, styles, content types) as a tree.
 * @param {string} xml
 * @returns {XmlElement}
 */
export function parseTree(xml) {
  /** @type {XmlElement} */
  const documentNode = { name: '#document', attrs: {}, children: [], text: '' };
  /** @type {XmlElement[]} */
  const stack = [documentNode];
  scanXml(xml, {
    wantText: true,
    open(name, attrs) {
      /** @type {XmlElement} */
      const element = { name, attrs, children: [], text: '' };
      stack[stack.length - 1].children.push(element);
      stack.push(element);
    },
    close() {
      stack.pop();
    },
    text(text) {
      stack[stack.length - 1].text += text;
    },
  });
  const root = documentNode.children[0];
  if (!root) throw new XmlError('it has no root element');
  return root;
}

/** @param {XmlElement | undefined} element @param {string} name @returns {XmlElement | undefined} */
export function childNamed(element, name) {
  return element?.children.find((c) => c.name === name);
}

/** @param {XmlElement | undefined} element @param {string} name @returns {XmlElement[]} */
export function childrenNamed(element, name) {
  return element ? element.children.filter((c) => c.name === name) : [];
}

/** An OOXML boolean attribute: "1"/"true" (strict OOXML writes the words). @param {string | undefined} value */
export function xmlTrue(value) {
  return value === '1' || value === 'true';
}
