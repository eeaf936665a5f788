/**
 * The mail that tells every invited vendor contact a Q&A addendum was published (issue 15, item 5). It carries the
 * questions in their published wording and the answers, and nothing of who asked: not the organisation, not the
 * person — not even the recipient's own organisation, so a mail forwarded or seen by another vendor tells nothing either.
 */
import type { PublishedQuestion } from '#db/queries/vendor-questions';
import { plural } from '#app/utils/wording';
import { type ComposedMail, composeMail } from './compose';

export const QA_ADDENDUM_MAIL_KIND = 'vendor.qa_addendum';

export function qaAddendumMail(n: {
  name: string;
  rfpReference: string;
  rfpTitle: string;
  number: number;
  publishedAt: string;
  questions: readonly PublishedQuestion[];
  url: string;
}): ComposedMail {
  return composeMail({
    subject: `Q&A addendum ${n.number} to ${n.rfpReference}: ${n.rfpTitle}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `Q&A addendum ${n.number} to ${n.rfpReference} “${n.rfpTitle}” was published ${n.publishedAt}. It answers ${plural(n.questions.length, 'question')} asked by vendors; the same answers go to every invited vendor, without naming who asked.`,
      ...n.questions.map((q, i) => `Question ${i + 1}${q.questionKey ? ` (about ${q.questionKey})` : ''}:\n${q.question}\n\nAnswer:\n${q.answer}`),
    ],
    action: { label: 'Read every published answer', url: n.url },
    footer: `You receive this mail because you are a contact of a vendor invited to respond to ${n.rfpReference} in the city’s vendor portal.`,
  });
}
