/**
 * Panel confidentiality, end to end (DESIGN §2): a unique marker in each evaluator's rationale for each vendor, and in
 * each consensus rationale, and every GET route in the build's manifest — pages with and without their loader JSON,
 * every parameter value (each vendor's scoresheet, each criterion), `?criterion=` on results, `?submission=` on
 * consensus, the audit log and audit.csv, export.json, matrix.csv, and scorecard.xlsx unzipped to the raw XML of every
 * sheet and the shared strings — fetched by the lead, an admin off the panel, an admin who is also an evaluator, each
 * evaluator (one recused from a vendor, one with a scoresheet still open) and an observer, in every status. Each marker
 * must reach exactly the people the rules below allow, byte for byte; a new route is walked without anyone listing it.
 *
 * The scores are written by the functions the scoring and consensus pages call, so the audit log holds the real
 * `score.create`, `score.update` (whose "before" carries the old rationale) and `consensus.record` entries.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, inflateEntry, readZipDirectory } from '#app/import/upload-guard.server';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { recordConsensusDecision, saveEvaluatorScore, saveRationaleDraft, submitScoresheet } from '#db/queries/evaluation';
import type { RfpStatus } from '#db/schema';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

type Viewer = 'lead' | 'admin' | 'adminEvaluator' | 'evaluatorA' | 'evaluatorB' | 'recused' | 'observer';
const VIEWERS: readonly Viewer[] = ['lead', 'admin', 'adminEvaluator', 'evaluatorA', 'evaluatorB', 'recused', 'observer'];

/** The panel, in the factory's evaluator order. */
const PANEL = ['adminEvaluator', 'evaluatorA', 'evaluatorB', 'recused'] as const satisfies readonly Viewer[];
type Panelist = (typeof PANEL)[number];
const VENDORS = [0, 1, 2] as const;
/**
 * Vendor 3 withdrew after the admin-evaluator had scored it: its scores are not counted but are listed (the workbook's
 * Evaluators sheet), so they are individual scores like any other. Nobody else has a sheet for it.
 */
const WITHDRAWN = 3;
/** `recused` declared a conflict with vendor 1; the admin-evaluator with vendor 2. */
const RECUSED: Record<Panelist, readonly number[]> = { adminEvaluator: [2], evaluatorA: [], evaluatorB: [], recused: [1] };
/** Every scoresheet is submitted except evaluator B's for vendor 2 (the lead closes scoring with a reason). */
const submitted = (who: Panelist, vendor: number) => (vendor === WITHDRAWN ? who === 'adminEvaluator' : !(who === 'evaluatorB' && vendor === 2));

const SUFFIX = randomBytes(4).toString('hex');
/** Fixed length, letters and digits only (nothing any channel escapes), no marker a part of another. */
const scoreMarker = (who: Panelist, vendor: number) => `zqm${SUFFIX}e${PANEL.indexOf(who)}v${vendor}q`;
const consensusMarker = (vendor: number) => `zqm${SUFFIX}c0v${vendor}q`;
/**
 * Rationale drafts: evaluator B's, typed on vendor 2 (their open sheet) after saving, and one the admin-evaluator left on
 * vendor 0 before submitting. A draft reaches its author on their own scoresheet while they can still save it, and
 * nobody, nowhere else: not the audit log, an export or a portable file, not even for its author.
 */
const DRAFT_OPEN = `zqm${SUFFIX}d2v2q`;
const DRAFT_LEFT = `zqm${SUFFIX}d0v0q`;

const PANEL_OPEN: readonly RfpStatus[] = ['consensus', 'closed'];

/**
 * Who may receive the panel's scores and the consensus rationale on `vendor` once the panel is open: those who read the
 * results (lead, admin, observer), and evaluators who are not recused from the vendor and have submitted their own sheet.
 */
function readsPanelOf(viewer: Viewer, vendor: number, status: RfpStatus): boolean {
  if (!PANEL_OPEN.includes(status)) return false;
  if (viewer === 'lead' || viewer === 'admin' || viewer === 'observer') return true;
  return !RECUSED[viewer].includes(vendor) && submitted(viewer, vendor);
}

/**
 * The people a score marker must reach. The author always may; they are shown their own scores on their scoresheet
 * once scoring has started (evaluation, consensus, closed), and the admin-evaluator also in the audit log, which they
 * may read in any status (before consensus: their own entries only).
 */
function scoreAudience(author: Panelist, vendor: number, status: RfpStatus): Viewer[] {
  return VIEWERS.filter((viewer) => {
    if (viewer === author) return status === 'evaluation' || PANEL_OPEN.includes(status) || author === 'adminEvaluator';
    return readsPanelOf(viewer, vendor, status);
  });
}

function consensusAudience(vendor: number, status: RfpStatus): Viewer[] {
  return VIEWERS.filter((viewer) => readsPanelOf(viewer, vendor, status));
}

/** Text of a response as a reader receives it; a workbook is unzipped to the XML of every part. */
async function bodyText(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('spreadsheetml')) return response.text();
  const bytes = new Uint8Array(await response.arrayBuffer());
  return readZipDirectory(bytes, 'scorecard.xlsx', DEFAULT_UPLOAD_LIMITS)
    .filter((entry) => entry.name.endsWith('.xml') || entry.name.endsWith('.rels'))
    .map((entry) => inflateEntry(bytes, entry, 'scorecard.xlsx').toString('utf8'))
    .join('\n');
}

describe('panel confidentiality over every route and export', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  let routes: ServerBuild['routes'];
  const visitors = {} as Record<Viewer, Visitor>;
  const ids = {} as Record<Viewer, string>;

  async function setStatus(status: RfpStatus) {
    await handle.db.updateTable('rfp').set({ status }).where('id', '=', evaluation.rfpId).execute();
  }

  /** Every GET URL under the manifest's routes, with each parameter value and the query variants that change content. */
  function urls(): Array<{ route: string; url: string }> {
    const values: Record<string, string[]> = {
      rfpId: [evaluation.rfpId],
      submissionId: evaluation.vendors.map((v) => v.submissionId),
      criterionId: evaluation.criteria.map((c) => c.id),
      // The factory writes no questions or evidence: these pages answer 404, which is still checked.
      questionId: ['no-such-question'],
      attachmentId: ['no-such-attachment'],
    };
    const variants: Record<string, string[]> = {
      'routes/rfps.$rfpId.results': evaluation.criteria.map((c) => `criterion=${c.id}`),
      'routes/rfps.$rfpId.consensus': evaluation.vendors.map((v) => `submission=${v.submissionId}`),
      // The log pages: its score and consensus entries together, and a search for every marker at once (a search
      // looks only at what the reader may read, so it must reach the same people as the log itself).
      'routes/rfps.$rfpId.audit': ['verify=1', 'family=scoring', 'family=consensus', `q=zqm${SUFFIX}`],
    };
    const out: Array<{ route: string; url: string }> = [];
    for (const [id, route] of Object.entries(routes)) {
      const segments: string[] = [];
      for (let r: (typeof routes)[string] | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) segments.unshift(r.path);
      let paths = [`/${segments.join('/')}`.replace(/\/+/g, '/')];
      // Everything under the RFP, and "My scoring", the one page outside it that reports on the reader's scoresheets.
      if (!paths[0]!.startsWith('/rfps/:rfpId') && id !== 'routes/evaluations') continue;
      for (const name of [...paths[0]!.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        const options = values[name];
        if (!options) throw new Error(`No test value for the route parameter :${name} (route ${id}); add one to the test.`);
        paths = paths.flatMap((p) => options.map((value) => p.replace(`:${name}`, value)));
      }
      const hasPage = typeof (route.module as { default?: unknown }).default === 'function';
      for (const path of paths) {
        for (const query of ['', ...(variants[id] ?? [])]) {
          out.push({ route: id, url: query ? `${path}?${query}` : path });
          if (hasPage) out.push({ route: id, url: `${path}?${query ? `${query}&` : ''}_data=${encodeURIComponent(id)}` });
        }
      }
    }
    return out;
  }

  /** Every marker × the viewers it reached, with the URLs it reached them by; and the audit JSON's score entries. */
  async function walk(): Promise<{ reached: Map<string, Map<Viewer, string[]>>; auditValues: Map<Viewer, Array<{ author: string; vendor: string; hasValue: boolean }>> }> {
    const markers = [...PANEL.flatMap((p) => VENDORS.map((v) => scoreMarker(p, v))), scoreMarker('adminEvaluator', WITHDRAWN), ...VENDORS.map(consensusMarker), DRAFT_OPEN, DRAFT_LEFT];
    const reached = new Map(markers.map((m) => [m, new Map<Viewer, string[]>()]));
    const auditValues = new Map<Viewer, Array<{ author: string; vendor: string; hasValue: boolean }>>();
    const list = urls();
    await Promise.all(
      VIEWERS.map(async (viewer) => {
        for (const { route, url } of list) {
          const response = await visitors[viewer].get(url);
          const text = await bodyText(response);
          if (response.status >= 500) throw new Error(`GET ${url} as ${viewer}: ${response.status} ${text.slice(0, 300)}`);
          for (const marker of markers) {
            if (text.includes(marker)) {
              const by = reached.get(marker)!;
              by.set(viewer, [...(by.get(viewer) ?? []), url.replace(evaluation.rfpId, ':rfpId')]);
            }
          }
          // The score entries, all on one page of the log filtered to scoring.
          if (route === 'routes/rfps.$rfpId.audit' && url.includes('family=scoring') && url.includes('_data=') && response.status === 200) {
            const data = JSON.parse(text) as { view: { entries: Array<{ entity: string; afterJson: string | null }> } };
            auditValues.set(
              viewer,
              data.view.entries
                .filter((e) => e.entity === 'score' && e.afterJson)
                .map((e) => {
                  const after = JSON.parse(e.afterJson!) as { evaluator_id: string; submission_id: string; value?: number };
                  return { author: after.evaluator_id, vendor: after.submission_id, hasValue: 'value' in after };
                }),
            );
          }
        }
      }),
    );
    return { reached, auditValues };
  }

  /** Compares what reached whom with the rules, for every marker, and the audit log's score values likewise. */
  async function expectExactAudiences(status: RfpStatus, withConsensus: boolean) {
    await setStatus(status);
    const { reached, auditValues } = await walk();
    const problems: string[] = [];
    const compare = (label: string, marker: string, expected: Viewer[]) => {
      const got = reached.get(marker)!;
      for (const viewer of VIEWERS) {
        const urlsSeen = got.get(viewer);
        if (expected.includes(viewer) && !urlsSeen) problems.push(`${status}: ${label} never reached ${viewer}, who may read it`);
        if (!expected.includes(viewer) && urlsSeen) problems.push(`${status}: ${label} reached ${viewer} through ${urlsSeen.join(', ')}`);
      }
    };
    for (const author of PANEL) {
      for (const vendor of VENDORS) {
        if (RECUSED[author].includes(vendor)) continue;
        compare(`${author}'s rationale on vendor ${vendor}`, scoreMarker(author, vendor), scoreAudience(author, vendor, status));
      }
    }
    compare(`adminEvaluator's rationale on the withdrawn vendor`, scoreMarker('adminEvaluator', WITHDRAWN), scoreAudience('adminEvaluator', WITHDRAWN, status));
    for (const vendor of VENDORS) compare(`the consensus rationale on vendor ${vendor}`, consensusMarker(vendor), withConsensus ? consensusAudience(vendor, status) : []);
    compare(`evaluatorB's draft on vendor 2`, DRAFT_OPEN, status === 'evaluation' ? ['evaluatorB'] : []);
    compare(`the admin-evaluator's draft left on a submitted sheet`, DRAFT_LEFT, []);
    const ownSheet = `/rfps/:rfpId/evaluate/${evaluation.vendors[2]!.submissionId}`;
    for (const url of reached.get(DRAFT_OPEN)!.get('evaluatorB') ?? []) {
      if (url !== ownSheet && !url.startsWith(`${ownSheet}?`)) problems.push(`${status}: evaluatorB's draft reached its author through ${url}, not their own scoresheet`);
    }

    // Score values are digits, so they are checked in the audit log's loader JSON instead: present exactly when allowed.
    const panelistOf = new Map(PANEL.map((p) => [ids[p], p]));
    const vendorOf = new Map(evaluation.vendors.map((v, i) => [v.submissionId, i]));
    for (const [viewer, entries] of auditValues) {
      for (const entry of entries) {
        const author = panelistOf.get(entry.author)!;
        const vendor = vendorOf.get(entry.vendor)!;
        const allowed = author === viewer || readsPanelOf(viewer, vendor, status);
        if (entry.hasValue !== allowed) problems.push(`${status}: the audit log ${entry.hasValue ? 'shows' : 'hides'} ${author}'s score value on vendor ${vendor} to ${viewer}`);
      }
    }
    expect(auditValues.get('lead')?.length ?? 0).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    const build = (await import(pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'build', 'index.js')).href)) as ServerBuild;
    routes = build.routes;
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [
        {
          key: 'quality',
          title: 'Quality',
          criteria: [
            { key: 'Q-GOV', title: 'Governance', kind: 'scored', points: 40 },
            { key: 'Q-SEC', title: 'Security', kind: 'scored', points: 30 },
          ],
        },
        { key: 'cost', title: 'Cost', criteria: [{ key: 'PRICE', title: 'Price', kind: 'price', points: 30 }] },
      ],
      vendors: [{ name: 'Vendor Zero' }, { name: 'Vendor One' }, { name: 'Vendor Two' }, { name: 'Vendor Withdrawn' }],
      evaluators: [{ name: 'Ada Admin-Evaluator', role: 'admin' }, { name: 'Evan A' }, { name: 'Bea B' }, { name: 'Rui Recused' }],
      observers: [{ name: 'Omar Observer' }],
      recusals: { 0: [2], 3: [1] },
      score: () => null,
      sheet: () => null,
      consensus: [],
      passwordHash: await hashPassword('demo-password'),
    });
    const admin = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'admin@city.example').executeTakeFirstOrThrow();
    Object.assign(ids, { lead: evaluation.lead.id, admin: admin.id, observer: evaluation.observers[0]!.id });
    PANEL.forEach((p, i) => (ids[p] = evaluation.evaluators[i]!.id));

    // Scoring, through the functions the scoring page calls (so the audit log holds the real entries).
    const scored = evaluation.criteria.filter((c) => c.kind === 'scored');
    for (const [e, who] of PANEL.entries()) {
      const person = evaluation.evaluators[e]!;
      const actor = { id: person.id, email: person.email };
      for (const vendor of VENDORS) {
        if (RECUSED[who].includes(vendor)) continue;
        const submissionId = evaluation.vendors[vendor]!.submissionId;
        for (const [c, criterion] of scored.entries()) {
          const input = { rfpId: evaluation.rfpId, submissionId, criterionId: criterion.id, evaluatorId: person.id };
          const saved = await saveEvaluatorScore(handle.db, actor, { ...input, value: (e + vendor + c) % 6, rationale: `Evidence ${scoreMarker(who, vendor)} on ${criterion.key}.`, version: 0 });
          expect(saved.ok).toBe(true);
        }
        if (who === 'evaluatorA' && vendor === 0) {
          // A revision: the score.update entry's "before" carries the first rationale.
          const input = { rfpId: evaluation.rfpId, submissionId, criterionId: scored[0]!.id, evaluatorId: person.id };
          expect((await saveEvaluatorScore(handle.db, actor, { ...input, value: 5, rationale: `Revised ${scoreMarker(who, vendor)}.`, version: 1 })).ok).toBe(true);
        }
        if (submitted(who, vendor)) {
          const done = await submitScoresheet(handle.db, actor, { rfpId: evaluation.rfpId, submissionId, evaluatorId: person.id, requiredCriterionIds: scored.map((c) => c.id) });
          expect(done.ok).toBe(true);
        }
      }
    }

    // The drafts: evaluator B keeps typing on vendor 2 through the draft route's function; the admin-evaluator's was left
    // on vendor 0 (a submit deletes drafts, so it is written straight into the table).
    const bea = evaluation.evaluators[PANEL.indexOf('evaluatorB')]!;
    const kept = await saveRationaleDraft(handle.db, {
      rfpId: evaluation.rfpId,
      submissionId: evaluation.vendors[2]!.submissionId,
      criterionId: scored[1]!.id,
      evaluatorId: bea.id,
      value: 2,
      rationale: `Second thoughts ${DRAFT_OPEN}.`,
    });
    expect(kept).toEqual(expect.objectContaining({ ok: true, kept: true }));
    await handle.db
      .insertInto('rationale_draft')
      .values({
        rfp_id: evaluation.rfpId,
        evaluator_id: evaluation.evaluators[0]!.id,
        submission_id: evaluation.vendors[0]!.submissionId,
        criterion_id: scored[0]!.id,
        value: 1,
        rationale: `Left behind ${DRAFT_LEFT}.`,
        updated_at: new Date().toISOString(),
      })
      .execute();

    // The withdrawn vendor: scored and submitted by the admin-evaluator while it was in the evaluation, then withdrawn.
    const withdrawn = evaluation.vendors[WITHDRAWN]!;
    const ada = evaluation.evaluators[0]!;
    const now = new Date().toISOString();
    await handle.db
      .insertInto('scoresheet')
      .values({ rfp_id: evaluation.rfpId, submission_id: withdrawn.submissionId, evaluator_id: ada.id, status: 'submitted', submitted_at: now, updated_at: now })
      .execute();
    await handle.db
      .insertInto('score')
      .values({
        id: randomUUID(),
        rfp_id: evaluation.rfpId,
        submission_id: withdrawn.submissionId,
        criterion_id: scored[0]!.id,
        evaluator_id: ada.id,
        value: 2,
        rationale: `Evidence ${scoreMarker('adminEvaluator', WITHDRAWN)}.`,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await handle.db.updateTable('submission').set({ status: 'withdrawn', status_reason: 'Withdrew its proposal.' }).where('id', '=', withdrawn.submissionId).execute();

    const logins: Array<[Viewer, string]> = [
      ['lead', evaluation.lead.email],
      ['admin', 'admin@city.example'],
      ['observer', evaluation.observers[0]!.email],
      ...PANEL.map((p, i): [Viewer, string] => [p, evaluation.evaluators[i]!.email]),
    ];
    for (const [who, email] of logins) {
      visitors[who] = new Visitor(server.baseUrl);
      await visitors[who].login(email);
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('in evaluation, each evaluator’s rationale reaches only its author — not the lead, an admin, an admin-evaluator or an observer', async () => {
    // The walk comes from the manifest; these are the channels the issue names, so they must be in it.
    const walked = new Set(urls().map((u) => u.route));
    for (const route of ['results', 'scorecard', 'scorecard[.xlsx]', 'matrix[.csv]', 'audit', 'audit[.csv]', 'export[.json]', 'consensus', 'evaluate.$submissionId']) {
      expect(walked.has(`routes/rfps.$rfpId.${route}`), route).toBe(true);
    }
    await expectExactAudiences('evaluation', false);
  }, 120_000);

  it('in consensus and closed, the panel reaches everyone who reads results, except a recused evaluator (and one whose own sheet is open) on that vendor', async () => {
    await setStatus('consensus');
    const lead = { id: evaluation.lead.id, email: evaluation.lead.email };
    for (const vendor of VENDORS) {
      const decided = await recordConsensusDecision(handle.db, lead, {
        rfpId: evaluation.rfpId,
        submissionId: evaluation.vendors[vendor]!.submissionId,
        criterionId: evaluation.criteria[0]!.id,
        value: 3,
        rationale: `Agreed ${consensusMarker(vendor)}.`,
      });
      expect(decided.ok).toBe(true);
    }
    await expectExactAudiences('consensus', true);
    await expectExactAudiences('closed', true);
  }, 240_000);

  it('after going back to open or draft, the scores and consensus rationales are sealed again for everyone but their authors', async () => {
    await expectExactAudiences('open', true);
    await expectExactAudiences('draft', true);
  }, 240_000);
});
