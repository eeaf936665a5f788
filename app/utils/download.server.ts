/**
 * A Content-Disposition header for a download whose name may contain anything a user typed:
 * an ASCII fallback with quotes, slashes and control characters replaced, plus the exact name RFC 5987-encoded.
 */
export function contentDispositionAttachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\/;]/g, '_').slice(0, 150) || 'download';
  // encodeURIComponent leaves ' ( ) * ! as they are; RFC 5987 allows none of them but ! unescaped.
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
