/**
 * The kinds of notification, and which of them a person may choose how to receive. Essential ones ask the person to
 * act (an assignment, a reopened scoresheet, an overdue or lead-sent reminder) and are always mailed at once; the
 * others can be mailed at once, gathered in a daily digest, or kept in the workbench only.
 */
export const NOTIFICATION_KINDS = {
  assignment: { label: 'You are assigned to evaluate an RFP', essential: true },
  'sheet.reopened': { label: 'The lead reopened one of your scoresheets', essential: true },
  'reminder.overdue': { label: 'Your scores are overdue', essential: true },
  'reminder.lead': { label: 'The lead sent you a reminder', essential: true },
  'reminder.due': { label: 'Your scores are due soon', essential: false },
  'sheet.submitted': { label: 'An evaluator submitted a scoresheet (to the lead)', essential: false },
  'rfp.status': { label: 'An RFP you work on changed status', essential: false },
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export type MailMode = 'immediate' | 'digest' | 'off';

export const MAIL_MODES: readonly MailMode[] = ['immediate', 'digest', 'off'];
export const MAIL_MODE_LABELS: Record<MailMode, string> = { immediate: 'Mail at once', digest: 'In the daily digest', off: 'In the workbench only' };

export const CHOOSABLE_KINDS = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((k) => !NOTIFICATION_KINDS[k].essential);

/** How a kind reaches a person with these preferences: essential kinds always at once; others as chosen (default at once). */
export function mailModeFor(kind: NotificationKind, modes: Partial<Record<string, MailMode>>): MailMode {
  if (NOTIFICATION_KINDS[kind].essential) return 'immediate';
  return modes[kind] ?? 'immediate';
}

/** The stored preferences, keeping only kinds that may be chosen and modes that exist. */
export function parseModes(json: string | null | undefined): Partial<Record<NotificationKind, MailMode>> {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object') return {};
  const out: Partial<Record<NotificationKind, MailMode>> = {};
  for (const kind of CHOOSABLE_KINDS) {
    const mode = (raw as Record<string, unknown>)[kind];
    if (typeof mode === 'string' && (MAIL_MODES as readonly string[]).includes(mode)) out[kind] = mode as MailMode;
  }
  return out;
}
