import { describe, expect, it } from 'vitest';
import { hasGlobalPermission, MEMBER_ROLE_ELIGIBILITY, rfpPermissions } from '#app/utils/permissions';

describe('role → permission map', () => {
  it('lets only officers and admins create RFPs, and only admins manage users', () => {
    expect(['admin', 'officer', 'evaluator', 'viewer'].filter((r) => hasGlobalPermission(r as never, 'rfp:create'))).toEqual(['admin', 'officer']);
    expect(['admin', 'officer', 'evaluator', 'viewer'].filter((r) => hasGlobalPermission(r as never, 'users:manage'))).toEqual(['admin']);
  });

  it('gives a non-member non-admin nothing in an RFP (so they get 404)', () => {
    expect(rfpPermissions('officer', null).size).toBe(0);
    expect(rfpPermissions('viewer', undefined).size).toBe(0);
  });

  it('lets the lead manage members and export, evaluators and observers only read', () => {
    expect(rfpPermissions('officer', 'lead').has('members:manage')).toBe(true);
    expect(rfpPermissions('evaluator', 'evaluator').has('members:manage')).toBe(false);
    expect(rfpPermissions('viewer', 'observer').has('export:portable')).toBe(false);
    expect(rfpPermissions('viewer', 'observer').has('rfp:read')).toBe(true);
  });

  it('gives admins oversight of any RFP but not the lead’s editing rights', () => {
    const admin = rfpPermissions('admin', null);
    expect(admin.has('rfp:read')).toBe(true);
    expect(admin.has('audit:read')).toBe(true);
    expect(admin.has('rfp:edit')).toBe(false);
  });

  it('allows only officers and admins to lead', () => {
    expect(MEMBER_ROLE_ELIGIBILITY.lead).toEqual(['officer', 'admin']);
    expect(MEMBER_ROLE_ELIGIBILITY.observer).toContain('viewer');
  });
});
