/** Every migration, in order. A static list (not a folder scan) so bundlers and tsx see the same set. */
import type { Migration } from 'kysely';
import * as foundation from './2026-11-22-01-foundation';
import * as questionnaire from './2026-11-22-02-questionnaire';
import * as pendingUpload from './2026-11-22-03-pending-upload';
import * as responses from './2026-11-22-04-responses';
import * as evaluation from './2026-11-22-05-evaluation';
import * as auditChain from './2026-12-02-02-audit-chain';
import * as installationSecret from './2026-12-02-04-installation-secret';
import * as questionnaireImportStore from './2026-12-02-05-questionnaire-import-store';
import * as deadlines from './2026-12-02-06-deadlines';
import * as questionnaireVersions from './2026-12-02-08-questionnaire-versions';
import * as teamAndPriceBlind from './2026-12-02-09-team-and-price-blind';
import * as submissionExpected from './2026-12-02-10-submission-expected';
import * as rationaleDrafts from './2026-12-02-11-rationale-drafts';
import * as resultsVersion from './2026-12-02-12-results-version';
import * as mailOutbox from './2026-12-02-13-mail-outbox';
import * as notifications from './2026-12-02-14-notifications';
import * as oidcSignIn from './2026-12-02-15-oidc-sign-in';
import * as accountSecurity from './2026-12-02-16-account-security';
import * as passwordReset from './2026-12-03-17-password-reset';
import * as vendorContacts from './2026-12-04-18-vendor-contacts';
import * as vendorResponses from './2026-12-05-19-vendor-responses';
import * as vendorQuestions from './2026-12-05-20-vendor-questions';

export const migrations: Record<string, Migration> = {
  '2026-11-22-01-foundation': foundation,
  '2026-11-22-02-questionnaire': questionnaire,
  '2026-11-22-03-pending-upload': pendingUpload,
  '2026-11-22-04-responses': responses,
  '2026-11-22-05-evaluation': evaluation,
  '2026-12-02-02-audit-chain': auditChain,
  '2026-12-02-04-installation-secret': installationSecret,
  '2026-12-02-05-questionnaire-import-store': questionnaireImportStore,
  '2026-12-02-06-deadlines': deadlines,
  '2026-12-02-08-questionnaire-versions': questionnaireVersions,
  '2026-12-02-09-team-and-price-blind': teamAndPriceBlind,
  '2026-12-02-10-submission-expected': submissionExpected,
  '2026-12-02-11-rationale-drafts': rationaleDrafts,
  '2026-12-02-12-results-version': resultsVersion,
  '2026-12-02-13-mail-outbox': mailOutbox,
  '2026-12-02-14-notifications': notifications,
  '2026-12-02-15-oidc-sign-in': oidcSignIn,
  '2026-12-02-16-account-security': accountSecurity,
  '2026-12-03-17-password-reset': passwordReset,
  '2026-12-04-18-vendor-contacts': vendorContacts,
  '2026-12-05-19-vendor-responses': vendorResponses,
  '2026-12-05-20-vendor-questions': vendorQuestions,
};
