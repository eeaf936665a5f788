/**
 * Where to send someone after an action, when the target came from input (`redirectTo`): only a path on this site.
 *
 * Browsers are lenient in ways that turn innocent-looking paths into other sites: `\` counts as `/`, `/rfps/..//x`
 * collapses to `//x` (a protocol-relative address), percent-escapes are decoded, tabs and newlines are dropped. So the
 * target is refused when it or its decoded form has a backslash, a control character or a leading `//`, then resolved
 * against a placeholder origin the way a browser would, and kept only if it stays on that origin and still reads as a
 * single-slash path. The result is the URL parser's normalised form: `..` resolved and every non-ASCII character
 * percent-encoded, so it is always a valid (ASCII) Location header.
 */
const PLACEHOLDER_ORIGIN = 'http://redirect.invalid';
const MAX_LENGTH = 2_000;

function looksLocal(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return path.startsWith('/') && !path.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(path);
}

/** Percent-decoded, repeatedly (`%252F` → `%2F` → `/`), or undefined when an escape is malformed. */
function fullyDecoded(text: string): string | undefined {
  let current = text;
  for (let i = 0; i < 5; i += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = '/rfps'): string {
  if (typeof to !== 'string' || to.length > MAX_LENGTH || !looksLocal(to)) return fallback;
  const decoded = fullyDecoded(to);
  if (decoded === undefined || !looksLocal(decoded)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(to, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  const decodedPath = fullyDecoded(resolved.pathname);
  if (!looksLocal(path) || decodedPath === undefined || !looksLocal(decodedPath)) return fallback;
  return path;
}
