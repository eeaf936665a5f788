/**
 * Inviting a person, the one path the users page and `npx workbench user invite` share: the invitation and its mail
 * are written in one transaction, so a link exists exactly when its mail is in the outbox.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '#db/queries/audit';
import { createInvitation, invitationMailKey } from '#db/queries/invitations';
import { enqueueMail } from '#db/queries/mail-outbox';
import type { Database, GlobalRole } from '#db/schema';
import { invitationMail } from '#app/mail/account-mails';
import { GLOBAL_ROLE_LABELS } from '#app/utils/permissions';

export interface InviteInput {
  email: string;
  name: string;
  role: GlobalRole;
}

export interface InviteOptions {
  /** Where links in mails start (app/mail/origin.server.ts). */
  origin: string;
  validDays: number;
  /** The inviter's name, as the mail says it. */
  invitedBy: string;
}

export async function invitePerson(db: Kysely<Database>, actor: Actor, input: InviteInput, options: InviteOptions): Promise<{ id: string; email: string; expiresAt: string }> {
  return db.transaction().execute(async (trx) => {
    const invitation = await createInvitation(trx, actor, { ...input, validDays: options.validDays });
    const mail = invitationMail({
      url: `${options.origin}/invitation/${invitation.token}`,
      name: input.name.trim(),
      roleLabel: GLOBAL_ROLE_LABELS[input.role],
      invitedBy: options.invitedBy,
      expiresAt: invitation.expiresAt,
    });
    await enqueueMail(trx, { kind: 'account.invitation', to: { address: invitation.email }, ...mail, dedupeKey: invitationMailKey(invitation.id) });
    return { id: invitation.id, email: invitation.email, expiresAt: invitation.expiresAt };
  });
}
