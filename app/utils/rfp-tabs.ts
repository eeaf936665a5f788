import type { RfpTab } from '#app/components/rfp-header';
import { PANEL_VISIBLE_STATUSES } from '#app/results/visibility';
import type { RfpPermission } from './permissions';

/** The RFP sub-pages and the permission each needs: one list, so tabs never link to a page that would refuse. */
const TABS: ReadonlyArray<{ path: string; label: string; permission: RfpPermission; evaluatorsOnlyIn?: RfpTab['onlyIn'] }> = [
  { path: '', label: 'Overview', permission: 'rfp:read' },
  { path: '/questionnaire', label: 'Questionnaire', permission: 'rfp:read' },
  { path: '/risk', label: 'AI risk tier', permission: 'rfp:read' },
  { path: '/status', label: 'Status', permission: 'rfp:read' },
  { path: '/vendors', label: 'Vendors', permission: 'responses:manage' },
  { path: '/evaluation', label: 'Evaluation', permission: 'evaluation:manage' },
  { path: '/evaluate', label: 'My scoring', permission: 'scores:own' },
  { path: '/consensus', label: 'Consensus', permission: 'consensus:manage' },
  // Evaluators hold results:read too, but the results loader answers 403 until consensus and their sheets are in:
  // their tab appears from consensus on (My scoring says when the results open to them).
  { path: '/results', label: 'Results', permission: 'results:read', evaluatorsOnlyIn: PANEL_VISIBLE_STATUSES },
  { path: '/members', label: 'Members', permission: 'members:read' },
  { path: '/audit', label: 'Audit log', permission: 'audit:read' },
];

/**
 * The tabs for a reader with `permissions`. The header hides a tab marked `onlyIn` outside those statuses (it knows
 * the RFP's status; callers need not pass it). `scores:own` is held by the RFP's evaluators and nobody else.
 */
export function rfpTabs(rfpId: string, permissions: Iterable<RfpPermission>): RfpTab[] {
  const granted = new Set(permissions);
  const evaluator = granted.has('scores:own');
  return TABS.filter((t) => granted.has(t.permission)).map((t) => ({
    to: `/rfps/${rfpId}${t.path}`,
    label: t.label,
    ...(evaluator && t.evaluatorsOnlyIn ? { onlyIn: t.evaluatorsOnlyIn } : {}),
  }));
}
