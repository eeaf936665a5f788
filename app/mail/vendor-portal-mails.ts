/**
 * Mails to vendor contacts about their organisation's online response. Pure composition. A receipt names the
 * version, the time and the SHA-256 of what was sealed — never an answer: the mail outbox is readable by
 * administrators, who must not see response content before the bid opening.
 */
import { formatDateTime } from '#app/utils/format';
import { composeMail, type ComposedMail } from './compose';

export function submissionReceiptMail(n: {
  name: string;
  vendorName: string;
  rfpReference: string;
  rfpTitle: string;
  kind: 'submitted' | 'withdrawn';
  version: number;
  at: string;
  by: string;
  sha256: string;
  proposalsDue: string;
  url: string;
}): ComposedMail {
  const what = n.kind === 'submitted' ? `submitted version ${n.version} of the response` : `withdrew the response (version ${n.version})`;
  return composeMail({
    subject: n.kind === 'submitted' ? `Receipt: ${n.vendorName}’s response to ${n.rfpReference}, version ${n.version}` : `Receipt: ${n.vendorName}’s response to ${n.rfpReference} was withdrawn`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `${n.by} ${what} of ${n.vendorName} to ${n.rfpReference} “${n.rfpTitle}” on ${formatDateTime(n.at)}.`,
      `Receipt (SHA-256 of the sealed response): ${n.sha256}`,
      n.kind === 'submitted'
        ? `It stays sealed until the bid opening: nobody at the city can read it before then. You can revise or withdraw it until ${n.proposalsDue}; the latest version submitted by then is the one evaluated.`
        : `Nothing of your organisation will be evaluated unless a new version is submitted before ${n.proposalsDue}.`,
    ],
    action: { label: 'Open the response', url: n.url },
    footer: `You receive this mail because you are a contact of ${n.vendorName} in the city’s vendor portal.`,
  });
}
