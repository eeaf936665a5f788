/**
 * Response headers every page and download carries, and the cross-site request refusal.
 * Kept as plain express middleware so they apply to Remix routes, static files and errors alike.
 */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { identityProviderOrigin } from '#app/auth/oidc-settings.server';

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string): string {
  // The sign-in and sign-out forms' answers redirect to the identity provider, and browsers hold a form's redirects
  // to form-action too.
  const provider = identityProviderOrigin();
  return [
    "default-src 'self'",
    // Remix's own inline scripts carry this nonce; nothing else inline may run.
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    // Charts and React set style attributes; attributes cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    provider ? `form-action 'self' ${provider}` : "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  const nonce = createNonce();
  res.locals.cspNonce = nonce;
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request that a browser sent from another site (CSRF defence on top of
 * SameSite=Lax cookies). Requests without Origin (command-line clients) carry no victim's cookies.
 */
export function refuseCrossSiteWrites(appOrigin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const ownOrigin = appOrigin ?? `${req.protocol}://${req.get('host')}`;
    const fetchSite = req.get('sec-fetch-site');
    const crossSite = origin !== undefined ? origin !== ownOrigin : fetchSite === 'cross-site' || fetchSite === 'same-site';
    if (crossSite) {
      res.status(403).type('text/plain').send('Cross-site request refused: this form must be sent from the workbench itself.');
      return;
    }
    next();
  };
}
