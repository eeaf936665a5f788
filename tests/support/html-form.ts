/**
 * Reads a form out of a page's server-rendered HTML and gives the fields a browser would send when it is submitted
 * as rendered (checked boxes and radios, selected options, input values), so an HTTP test changes only what the
 * officer would change. Enough for the markup React renders; not a general HTML parser.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (ENTITIES[name.toLowerCase()] !== undefined) return ENTITIES[name.toLowerCase()]!;
    if (/^#x/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) out.set(match[1]!.toLowerCase(), decode(match[2] ?? ''));
  return out;
}

/** The HTML of the form with this id, from its opening tag to its closing one (forms do not nest). */
export function formHtml(html: string, id: string): string {
  const start = html.search(new RegExp(`<form[^>]*\\bid="${id}"`));
  if (start === -1) throw new Error(`No form with id ${id} on the page`);
  const end = html.indexOf('</form>', start);
  return html.slice(start, end);
}

/** The fields the form sends as rendered, in document order (a name may repeat, as ticked checkboxes do). */
export function formFields(html: string, id: string): Array<[string, string]> {
  const form = formHtml(html, id);
  const fields: Array<[string, string]> = [];
  for (const match of form.matchAll(/<input\b[^>]*>|<select\b[^>]*>([\s\S]*?)<\/select>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>/g)) {
    const tag = match[0];
    const attrs = attributes(tag.slice(0, tag.indexOf('>') + 1));
    const name = attrs.get('name');
    if (!name || attrs.has('disabled')) continue;
    if (tag.startsWith('<input')) {
      const type = (attrs.get('type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      if ((type === 'checkbox' || type === 'radio') && !attrs.has('checked')) continue;
      fields.push([name, attrs.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    } else if (tag.startsWith('<select')) {
      const options = [...match[1]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => ({
        attrs: attributes(`<option ${o[1]}>`),
        text: decode(o[2]!),
      }));
      const chosen = options.find((o) => o.attrs.has('selected')) ?? options[0];
      if (chosen) fields.push([name, chosen.attrs.get('value') ?? chosen.text]);
    } else {
      fields.push([name, decode(match[2]!)]);
    }
  }
  return fields;
}

/** The form's fields with some replaced (every field of that name), removed (value null), or added. */
export function withChanges(
  fields: Array<[string, string]>,
  changes: Record<string, string | null>,
  added: Array<[string, string]> = [],
): Array<[string, string]> {
  const kept = fields.filter(([name]) => !(name in changes));
  for (const [name, value] of Object.entries(changes)) if (value !== null) kept.push([name, value]);
  return [...kept, ...added];
}

/** The label text of every option of a select, by the select's id. */
export function selectOptions(html: string, id: string): string[] {
  const match = new RegExp(`<select[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!match) throw new Error(`No select with id ${id} on the page`);
  return [...match[1]!.matchAll(/<option\b[^>]*>([\s\S]*?)<\/option>/g)].map((o) => decode(o[1]!));
}

/** The value a select shows as chosen, by the select's id. */
export function selectedValue(html: string, id: string): string {
  const match = new RegExp(`<select[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!match) throw new Error(`No select with id ${id} on the page`);
  const options = [...match[1]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(`<option ${o[1]}>`));
  return (options.find((o) => o.has('selected')) ?? options[0])?.get('value') ?? '';
}
