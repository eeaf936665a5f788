import type { RfpTab } from '#app/components/rfp-header';
import type { RfpPermission } from './permissions';

/** The RFP sub-pages and the permission each needs: one list, so tabs never link to a page that would refuse. */
const TABS: ReadonlyArray<{ path: string; label: string; permission: RfpPermission }> = [
  { path: '', label: 'Overview', permission: 'rfp:read' },
  { path: '/questionnaire', label: 'Questionnaire', permission: 'rfp:read' },
  { path: '/risk', label: 'AI risk tier', permission: 'rfp:read' },
  { path: '/status', label: 'Status', permission: 'rfp:read' },
  { path: '/vendors', label: 'Vendors', permission: 'responses:manage' },
  { path: '/evaluation', label: 'Evaluation', permission: 'evaluation:manage' },
  { path: '/evaluate', label: 'My scoring', permission: 'scores:own' },
  { path: '/consensus', label: 'Consensus', permission: 'consensus:manage' },
  // Evaluators hold results:read too, but the results loader answers 403 until consensus and their sheets are in.
  { path: '/results', label: 'Results', permission: 'results:read' },
  { path: '/members', label: 'Members', permission: 'members:read' },
  { path: '/audit', label: 'Audit log', permission: 'audit:read' },
];

export function rfpTabs(rfpId: string, permissions: Iterable<RfpPermission>): RfpTab[] {
  const granted = new Set(permissions);
  return TABS.filter((t) => granted.has(t.permission)).map((t) => ({ to: `/rfps/${rfpId}${t.path}`, label: t.label }));
}
