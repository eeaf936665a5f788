/**
 * Single sign-on and local-password settings, read from the environment once. A setting that cannot work (an unknown
 * role in the map, an issuer over plain HTTP off this machine, passwords off with no provider) stops the server at
 * start, like a bad TIME_ZONE, rather than failing each person's sign-in later.
 */
import { GLOBAL_ROLES, type GlobalRole } from '#db/schema';

export interface RoleRule {
  /** A value the role claim must hold (one of a list, or the claim itself). */
  value: string;
  role: GlobalRole;
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scopes: string;
  displayName: string;
  roleClaim: string;
  /** In the order written: the first rule whose value the claim holds gives the role. */
  roleRules: RoleRule[];
  /** The role of a person no rule matches; null refuses them. */
  defaultRole: GlobalRole | null;
  /** Lower-cased; empty allows every domain. */
  allowedDomains: string[];
  /** The claim that says the provider verified the email (Entra ID: `xms_edov`). */
  emailVerifiedClaim: string;
  /** Plain HTTP is allowed only for an issuer on this machine (the tests' provider). */
  allowHttp: boolean;
}

export interface AuthSettings {
  oidc: OidcSettings | null;
  localPasswords: boolean;
  /** With local passwords off, the one account that may still sign in with a password (lower-cased). */
  breakGlassEmail: string | null;
}

function isGlobalRole(value: string): value is GlobalRole {
  return (GLOBAL_ROLES as readonly string[]).includes(value);
}

/** The environment, or a test's stand-in for it. */
type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `city-ai-admins=admin,procurement=officer`: a value may hold spaces; the last `=` splits it from the role. */
export function parseRoleMap(text: string): RoleRule[] {
  const rules: RoleRule[] = [];
  for (const part of text.split(',')) {
    if (!part.trim()) continue;
    const at = part.lastIndexOf('=');
    const value = at < 0 ? '' : part.slice(0, at).trim();
    const role = at < 0 ? '' : part.slice(at + 1).trim();
    if (!value || !role) throw new Error(`OIDC_ROLE_MAP: “${part.trim()}” is not claim-value=role.`);
    if (!isGlobalRole(role)) throw new Error(`OIDC_ROLE_MAP: “${role}” is not a role (${GLOBAL_ROLES.join(', ')}).`);
    rules.push({ value, role });
  }
  return rules;
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is required when OIDC_ISSUER is set.`);
  return value;
}

function oidcSettingsFromEnv(env: Env): OidcSettings | null {
  const issuerText = env.OIDC_ISSUER?.trim();
  if (!issuerText) return null;
  let issuer: URL;
  try {
    issuer = new URL(issuerText);
  } catch {
    throw new Error(`OIDC_ISSUER “${issuerText}” is not a URL.`);
  }
  const allowHttp = issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);
  if (issuer.protocol !== 'https:' && !allowHttp) throw new Error('OIDC_ISSUER must be an https:// URL (plain http only on localhost).');
  const defaultRoleText = env.OIDC_DEFAULT_ROLE?.trim() ?? '';
  if (defaultRoleText && !isGlobalRole(defaultRoleText)) {
    throw new Error(`OIDC_DEFAULT_ROLE: “${defaultRoleText}” is not a role (${GLOBAL_ROLES.join(', ')}).`);
  }
  const scopes = (env.OIDC_SCOPES?.trim() || 'openid email profile').split(/\s+/);
  if (!scopes.includes('openid')) scopes.unshift('openid');
  return {
    issuer,
    clientId: required(env, 'OIDC_CLIENT_ID'),
    clientSecret: required(env, 'OIDC_CLIENT_SECRET'),
    scopes: scopes.join(' '),
    displayName: env.OIDC_DISPLAY_NAME?.trim() || 'single sign-on',
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'groups',
    roleRules: parseRoleMap(env.OIDC_ROLE_MAP ?? ''),
    defaultRole: defaultRoleText ? (defaultRoleText as GlobalRole) : null,
    allowedDomains: (env.OIDC_ALLOWED_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
    emailVerifiedClaim: env.OIDC_EMAIL_VERIFIED_CLAIM?.trim() || 'email_verified',
    allowHttp,
  };
}

export function authSettingsFromEnv(env: Env = process.env): AuthSettings {
  const oidc = oidcSettingsFromEnv(env);
  const localPasswords = (env.AUTH_LOCAL ?? 'true').trim().toLowerCase() !== 'false';
  const breakGlassEmail = env.AUTH_BREAK_GLASS_EMAIL?.trim().toLowerCase() || null;
  if (!localPasswords && !oidc) throw new Error('AUTH_LOCAL=false needs single sign-on (OIDC_ISSUER): otherwise nobody but the break-glass admin could sign in.');
  return { oidc, localPasswords, breakGlassEmail };
}

let cached: AuthSettings | undefined;

/** The settings of this process, read on first use (the server reads them at start, so a bad one stops it there). */
export function authSettings(): AuthSettings {
  cached ??= authSettingsFromEnv();
  return cached;
}

/** The identity provider's origin (its authorization and end-session endpoints are there), or null without one. */
export function identityProviderOrigin(): string | null {
  return authSettings().oidc?.issuer.origin ?? null;
}

/** Whether `email` may sign in with a password: always, unless AUTH_LOCAL=false, then only the break-glass admin. */
export function localPasswordAllowed(email: string): boolean {
  const settings = authSettings();
  return settings.localPasswords || (settings.breakGlassEmail !== null && email === settings.breakGlassEmail);
}

/** The role for a claim's value(s): the first rule that matches, else the default (null: refused). */
export function mapRole(settings: Pick<OidcSettings, 'roleRules' | 'defaultRole'>, claim: unknown): GlobalRole | null {
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string'));
  for (const rule of settings.roleRules) if (values.has(rule.value)) return rule.role;
  return settings.defaultRole;
}

/** The part after the last `@`, lower-cased; whether it is one of the allowed domains (all, when none is set). */
export function emailDomainAllowed(settings: Pick<OidcSettings, 'allowedDomains'>, email: string): boolean {
  if (settings.allowedDomains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return settings.allowedDomains.includes(domain);
}
