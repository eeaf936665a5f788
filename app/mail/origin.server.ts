/**
 * The origin that links in mails start with: the installation's public origin (APP_ORIGIN) when set — behind a load
 * balancer the request's own URL is an internal address — else the origin the request came to.
 */
export function mailOrigin(request: Request | null, env: Record<string, string | undefined> = process.env): string {
  const configured = env.APP_ORIGIN?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  if (request) return new URL(request.url).origin;
  return `http://localhost:${env.PORT ?? 3000}`;
}
