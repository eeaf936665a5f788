/** Which accounts must use two-step verification: the installation's policy, set by an admin on the users page. */
export type TwoFactorPolicy = 'optional' | 'admins' | 'everyone';
export const TWO_FACTOR_POLICIES: readonly TwoFactorPolicy[] = ['optional', 'admins', 'everyone'];
export const TWO_FACTOR_POLICY_LABELS: Record<TwoFactorPolicy, string> = {
  optional: 'Optional for everyone',
  admins: 'Required for administrators',
  everyone: 'Required for every account that signs in with a password',
};
