/**
 * The mails about a person's own account. Pure composition, like app/mail/notifications.ts; never a password or
 * secret. The one code a mail holds is a sign-in code, which is struck from the stored copy once it stops working
 * (db/queries/sign-in-codes.ts).
 */
import { formatDateTime } from '#app/utils/format';
import { SIGN_IN_CODE_LINE } from '#db/queries/sign-in-codes';
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

/**
 * The invitation: who invited the person, as what, and the single-use link. With single sign-on the link's page
 * offers the identity provider's sign-in as well as (when local passwords are on) choosing a password.
 */
export function invitationMail(n: { url: string; name: string; roleLabel: string; invitedBy: string; expiresAt: string }): ComposedMail {
  return composeMail({
    subject: `${n.invitedBy} invited you to the ${PRODUCT}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `${n.invitedBy} invited you to your city’s ${PRODUCT}, as ${n.roleLabel.toLowerCase()}.`,
      `Open the link below to create your account. It works once, until ${formatDateTime(n.expiresAt)}. If you did not expect this mail, ignore it: nothing happens unless the link is used.`,
    ],
    action: { label: 'Create your account', url: n.url },
    footer: `You receive this mail because an administrator of the ${PRODUCT} invited this address.`,
  });
}

/**
 * A password-reset link, asked for on the sign-in page. Says how long it works and what to do when the person did not
 * ask: nothing happens unless the link is used.
 */
export function passwordResetMail(n: { url: string; name: string; expiresAt: string }): ComposedMail {
  return composeMail({
    subject: `Choose a new password for the ${PRODUCT}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      'Someone asked to reset the password of your account, from the sign-in page. Open the link below to choose a new password.',
      `It works once, until ${formatDateTime(n.expiresAt)}. Choosing a new password signs your account out everywhere.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', url: n.url },
    footer: `You receive this mail because it concerns your own account in the ${PRODUCT}.`,
  });
}

/**
 * The one-time code of a sign-in without an authenticator (vendor contacts). The code is on a line of its own, after
 * SIGN_IN_CODE_LINE, so it can be struck from the stored mail; it is never in the subject, which the Mail page shows.
 * Says what to do when the person did not just sign in: someone else has their password.
 */
export function signInCodeMail(n: { name: string; code: string; expiresAt: string; minutes: number }): ComposedMail {
  if (!/^\d{6}$/.test(n.code)) throw new Error('A sign-in code is six digits.');
  return composeMail({
    subject: `Your sign-in code for the ${PRODUCT}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `${SIGN_IN_CODE_LINE}${n.code}`,
      `Type it on the sign-in page, after your password. It works once, for ${n.minutes} minutes (until ${formatDateTime(n.expiresAt)}). Asking for a new code makes this one stop working.`,
      'If you did not just sign in, someone else knows your password: do not give this code to anyone, and choose a new password from the sign-in page (“Forgot your password?”).',
    ],
    footer: `You receive this mail because someone signed in to your account in the ${PRODUCT} with its password.`,
  });
}

/**
 * A vendor contact's invitation to respond to an RFP in the portal, with the single-use link that creates their
 * account. Names the RFP and the organisation the account will speak for; nothing of the evaluation.
 */
export function vendorInvitationMail(n: { url: string; name: string; vendorName: string; rfpReference: string; rfpTitle: string; invitedBy: string; expiresAt: string; proposalsDue: string | null }): ComposedMail {
  return composeMail({
    subject: `Invitation to respond to ${n.rfpReference}: ${n.rfpTitle}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `${n.invitedBy} invited you to respond to ${n.rfpReference} “${n.rfpTitle}” on behalf of ${n.vendorName}, in the city’s vendor portal.`,
      n.proposalsDue ? `Proposals are due ${n.proposalsDue}.` : 'The RFP states when proposals are due.',
      `Open the link below to create your account. It works once, until ${formatDateTime(n.expiresAt)}. If you did not expect this mail, ignore it: nothing happens unless the link is used.`,
    ],
    action: { label: 'Create your vendor account', url: n.url },
    footer: `You receive this mail because a procurement officer of the city invited this address to respond for ${n.vendorName}.`,
  });
}

/** An existing vendor contact invited to one more RFP: the link goes straight to it in the portal. */
export function vendorRfpInvitationMail(n: { url: string; name: string; vendorName: string; rfpReference: string; rfpTitle: string; invitedBy: string; proposalsDue: string | null }): ComposedMail {
  return composeMail({
    subject: `Invitation to respond to ${n.rfpReference}: ${n.rfpTitle}`,
    greeting: `Hello ${n.name},`,
    paragraphs: [
      `${n.invitedBy} invited ${n.vendorName} to respond to ${n.rfpReference} “${n.rfpTitle}”. It is now in your vendor portal.`,
      n.proposalsDue ? `Proposals are due ${n.proposalsDue}.` : 'The RFP states when proposals are due.',
    ],
    action: { label: 'Open the RFP', url: n.url },
    footer: `You receive this mail because you are a contact of ${n.vendorName} in the city’s vendor portal.`,
  });
}
