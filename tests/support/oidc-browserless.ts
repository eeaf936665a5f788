/**
 * Single sign-on over plain HTTP, as a browser would do it but without one: a cookie jar shared by the workbench and
 * the test provider (both on 127.0.0.1; cookies ignore the port), redirects followed one at a time, and the provider's
 * one-field sign-in form filled in. Stops at the workbench's callback so a test can look at (or replay) it.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.header());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  post(url: string, fields: Record<string, string>, origin: string): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams(fields).toString(),
    });
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface ProviderRoundTrip {
  /** The URL the provider sent the browser back to (code, state, iss). */
  callbackUrl: string;
  /** The state cookie as it was when the browser came back. */
  stateCookie: string | undefined;
}

/** From the workbench's "Sign in with …" button to the provider's answer, signing in at the provider as `login`. */
export async function roundTripToProvider(jar: CookieJar, appBaseUrl: string, login: string, redirectTo = '/rfps'): Promise<ProviderRoundTrip> {
  let response = await jar.post(`${appBaseUrl}/auth/oidc/start`, { redirectTo }, appBaseUrl);
  if (response.status !== 302) throw new Error(`Starting single sign-on answered ${response.status}: ${await response.text()}`);
  let url = response.headers.get('location')!;
  for (let step = 0; step < 10; step += 1) {
    if (url.startsWith(`${appBaseUrl}/auth/oidc/callback`)) return { callbackUrl: url, stateCookie: jar.get('wb_oidc_state') };
    response = await jar.fetch(url);
    if (response.status === 200 && /\/interaction\//.test(url)) {
      response = await jar.post(url, { login }, new URL(url).origin);
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`The provider answered ${response.status} at ${url}: ${(await response.text()).slice(0, 500)}`);
    url = new URL(location, url).href;
  }
  throw new Error('The provider never sent the browser back.');
}
