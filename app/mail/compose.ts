/**
 * Every mail the workbench sends is composed here from plain parts — paragraphs of text and at most one link — into a
 * plain-text body and an HTML body. The HTML is made by escaping every part, so text a user typed (an RFP title, a
 * person's name) can never become markup in a mail, whatever it holds. Pure: no database, no environment.
 */

export interface MailParts {
  subject: string;
  /** "Hello Evan Chen," */
  greeting: string;
  paragraphs: string[];
  /** The one thing to do, as a link (an absolute https or http address). */
  action?: { label: string; url: string };
  /** Why the person receives this mail. */
  footer: string;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A header value on one line: line breaks and other control characters would let a title add headers. */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a header must not hold
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function assertHttpUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`A mail link must be http(s): ${parsed.protocol}`);
  return parsed.href;
}

export function composeMail(parts: MailParts): ComposedMail {
  const subject = oneLine(parts.subject);
  const link = parts.action ? { label: parts.action.label, url: assertHttpUrl(parts.action.url) } : null;
  const text = [parts.greeting, '', ...parts.paragraphs.flatMap((p) => [p, '']), ...(link ? [`${link.label}: ${link.url}`, ''] : []), '— ', parts.footer, ''].join('\n');
  const paragraph = (p: string) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Source Sans Pro, Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b;">',
    paragraph(parts.greeting),
    ...parts.paragraphs.map(paragraph),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}" style="color: #005ea2;">${escapeHtml(link.label)}</a></p>`] : []),
    `<p style="color: #565c65; font-size: 14px;">${escapeHtml(parts.footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
