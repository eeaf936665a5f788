/**
 * The mails about a person's own account. Pure composition, like app/mail/notifications.ts; never a password, code or
 * secret.
 */
import { formatDateTime } from '#app/utils/format';
import { composeMail, type ComposedMail } from './compose';

const PRODUCT = 'AI Vendor Evaluation Workbench';

export function passwordChangedMail(n: { name: string; at: string }): ComposedMail {
  return composeMail({
    subject: `Your ${PRODUCT} password was changed`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `The password of your account was changed on ${formatDateTime(n.at)}, and every other session of your account was signed out.`,
      'If you did not change it, contact an administrator of the workbench at once.',
    ],
    footer: `You receive this mail because it concerns your own account in the ${PRODUCT}.`,
  });
}
