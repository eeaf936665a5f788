/**
 * Single sign-on settings as an operator writes them: the role map, the default role or refusal, allowed domains, and
 * the settings that stop the server at start because they could not work.
 */
import { describe, expect, it } from 'vitest';
import { authSettingsFromEnv, emailDomainAllowed, mapRole, parseRoleMap } from '#app/auth/oidc-settings.server';

const BASE = { OIDC_ISSUER: 'https://login.microsoftonline.com/tenant-id/v2.0', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 'secret' };

describe('single sign-on settings', () => {
  it('reads the role map in order, values with spaces kept, and gives the first matching rule', () => {
    const rules = parseRoleMap('City AI Admins=admin, procurement=officer ,evaluators=evaluator,');
    expect(rules).toEqual([
      { value: 'City AI Admins', role: 'admin' },
      { value: 'procurement', role: 'officer' },
      { value: 'evaluators', role: 'evaluator' },
    ]);
    expect(mapRole({ roleRules: rules, defaultRole: null }, ['evaluators', 'procurement'])).toBe('officer');
    expect(mapRole({ roleRules: rules, defaultRole: null }, 'evaluators')).toBe('evaluator');
    expect(mapRole({ roleRules: rules, defaultRole: null }, ['parks'])).toBeNull();
    expect(mapRole({ roleRules: rules, defaultRole: 'viewer' }, undefined)).toBe('viewer');
  });

  it('refuses a role map entry that is not value=role or names no role', () => {
    expect(() => parseRoleMap('admins')).toThrow(/not claim-value=role/);
    expect(() => parseRoleMap('admins=superuser')).toThrow(/“superuser” is not a role \(admin, officer, evaluator, viewer\)/);
  });

  it('allows only the listed domains, ignoring case and a leading @', () => {
    const settings = authSettingsFromEnv({ ...BASE, OIDC_ALLOWED_DOMAINS: '@City.gov, police.city.gov' }).oidc!;
    expect(emailDomainAllowed(settings, 'a.person@city.gov')).toBe(true);
    expect(emailDomainAllowed(settings, 'b@police.city.gov')).toBe(true);
    expect(emailDomainAllowed(settings, 'c@sub.city.gov')).toBe(false);
    expect(emailDomainAllowed(settings, 'd@city.gov.evil.example')).toBe(false);
    expect(emailDomainAllowed(authSettingsFromEnv(BASE).oidc!, 'anyone@anywhere.example')).toBe(true);
  });

  it('has openid among the scopes, groups as the role claim and email_verified as the verified-email claim by default', () => {
    const settings = authSettingsFromEnv({ ...BASE, OIDC_SCOPES: 'email profile' }).oidc!;
    expect(settings.scopes).toBe('openid email profile');
    expect(settings.roleClaim).toBe('groups');
    expect(settings.emailVerifiedClaim).toBe('email_verified');
    expect(settings.allowHttp).toBe(false);
  });

  it('stops the start on settings that cannot work', () => {
    expect(() => authSettingsFromEnv({ ...BASE, OIDC_CLIENT_SECRET: '' })).toThrow(/OIDC_CLIENT_SECRET is required/);
    expect(() => authSettingsFromEnv({ ...BASE, OIDC_ISSUER: 'http://idp.city.gov' })).toThrow(/must be an https:\/\/ URL/);
    expect(() => authSettingsFromEnv({ ...BASE, OIDC_DEFAULT_ROLE: 'lead' })).toThrow(/OIDC_DEFAULT_ROLE: “lead” is not a role/);
    expect(() => authSettingsFromEnv({ AUTH_LOCAL: 'false' })).toThrow(/AUTH_LOCAL=false needs single sign-on/);
    expect(authSettingsFromEnv({ ...BASE, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc!.allowHttp).toBe(true);
    expect(authSettingsFromEnv({})).toEqual({ oidc: null, localPasswords: true, breakGlassEmail: null });
  });
});
