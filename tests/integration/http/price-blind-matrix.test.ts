/**
 * Price-blind technical scoring, end to end (issue 12, item 8; app/confidentiality/price-blind.ts): the RFP is set
 * price-blind; markers are planted in the price criterion's title, the price question's text, each vendor's answer to
 * it, the name and content of a file attached to it, and each vendor's recorded price. Every GET route in the build's
 * manifest under the RFP — pages with and without their loader JSON, every parameter value (each vendor, each
 * criterion, each question, each file), unzipped workbooks — is fetched by an evaluator still scoring, an evaluator who
 * has submitted every sheet, the lead and an observer. No marker may reach the evaluator still scoring, by any route;
 * the others receive them where they read them (so the walk cannot pass by reaching nothing). A new route is walked
 * without anyone listing it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, inflateEntry, readZipDirectory } from '#app/import/upload-guard.server';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import type { RfpStatus } from '#db/schema';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

type Viewer = 'scoring' | 'done' | 'lead' | 'observer';
const VIEWERS: readonly Viewer[] = ['scoring', 'done', 'lead', 'observer'];

const SUFFIX = randomBytes(4).toString('hex');
const marker = (what: string) => `zqp${SUFFIX}${what}q`;
const CRITERION_MARKER = marker('crit');
const QUESTION_MARKER = marker('quest');
const answerMarker = (vendor: number) => marker(`ans${vendor}`);
const fileMarker = (vendor: number) => marker(`file${vendor}`);
/** Prices no other figure on any page could spell, as digits and as the pages format them. */
const PRICES = [8_734_219.41, 6_512_907.33];
const priceMarkers = (vendor: number) => [String(Math.trunc(PRICES[vendor]!)), Math.trunc(PRICES[vendor]!).toLocaleString('en-US')];

async function bodyText(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('spreadsheetml')) return response.text();
  const bytes = new Uint8Array(await response.arrayBuffer());
  return readZipDirectory(bytes, 'download.xlsx', DEFAULT_UPLOAD_LIMITS)
    .filter((entry) => entry.name.endsWith('.xml') || entry.name.endsWith('.rels'))
    .map((entry) => inflateEntry(bytes, entry, 'download.xlsx').toString('utf8'))
    .join('\n');
}

describe('price-blind technical scoring over every route and export', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  let routes: ServerBuild['routes'];
  const visitors = {} as Record<Viewer, Visitor>;
  const questionIds: string[] = [];
  const attachmentIds: string[] = [];

  const allMarkers = () => [CRITERION_MARKER, QUESTION_MARKER, ...[0, 1].flatMap((v) => [answerMarker(v), fileMarker(v), ...priceMarkers(v)])];

  function urls(): Array<{ route: string; url: string }> {
    const values: Record<string, string[]> = {
      rfpId: [evaluation.rfpId],
      submissionId: evaluation.vendors.map((v) => v.submissionId),
      criterionId: evaluation.criteria.map((c) => c.id),
      questionId: questionIds,
      attachmentId: attachmentIds,
    };
    const out: Array<{ route: string; url: string }> = [];
    for (const [id, route] of Object.entries(routes)) {
      const segments: string[] = [];
      for (let r: (typeof routes)[string] | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) segments.unshift(r.path);
      let paths = [`/${segments.join('/')}`.replace(/\/+/g, '/')];
      if (!paths[0]!.startsWith('/rfps/:rfpId') && id !== 'routes/evaluations') continue;
      for (const name of [...paths[0]!.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        const options = values[name];
        if (!options) throw new Error(`No test value for the route parameter :${name} (route ${id}); add one to the test.`);
        paths = paths.flatMap((p) => options.map((value) => p.replace(`:${name}`, value)));
      }
      const hasPage = typeof (route.module as { default?: unknown }).default === 'function';
      for (const path of paths) {
        out.push({ route: id, url: path });
        if (hasPage) out.push({ route: id, url: `${path}?_data=${encodeURIComponent(id)}` });
      }
    }
    return out;
  }

  /** marker → viewer → the URLs it reached them by. */
  async function walk(viewers: readonly Viewer[] = VIEWERS): Promise<Map<string, Map<Viewer, string[]>>> {
    const markers = allMarkers();
    const reached = new Map(markers.map((m) => [m, new Map<Viewer, string[]>()]));
    const list = urls();
    await Promise.all(
      viewers.map(async (viewer) => {
        for (const { url } of list) {
          const response = await visitors[viewer].get(url);
          const text = await bodyText(response);
          if (response.status >= 500) throw new Error(`GET ${url} as ${viewer}: ${response.status} ${text.slice(0, 300)}`);
          for (const m of markers) {
            if (text.includes(m)) {
              const by = reached.get(m)!;
              by.set(viewer, [...(by.get(viewer) ?? []), url.replace(evaluation.rfpId, ':rfpId')]);
            }
          }
        }
      }),
    );
    return reached;
  }

  const seenBy = (reached: Map<string, Map<Viewer, string[]>>, viewer: Viewer) =>
    [...reached].filter(([, by]) => by.has(viewer)).map(([m, by]) => `${m} via ${by.get(viewer)!.slice(0, 3).join(', ')}`);

  async function setStatus(status: RfpStatus) {
    await handle.db.updateTable('rfp').set({ status }).where('id', '=', evaluation.rfpId).execute();
  }

  beforeAll(async () => {
    const attachmentsDir = mkdtempSync(join(tmpdir(), 'wb-price-blind-'));
    process.env.ATTACHMENTS_DIR = attachmentsDir;
    server = await startTestServer({ ATTACHMENTS_DIR: attachmentsDir });
    handle = openDatabase(server.databaseUrl);
    const build = (await import(pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'build', 'index.js')).href)) as ServerBuild;
    routes = build.routes;
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [
        { key: 'quality', title: 'Quality', criteria: [{ key: 'Q-GOV', title: 'Governance', kind: 'scored', points: 70 }] },
        { key: 'cost', title: 'Cost', criteria: [{ key: 'PRC-01', title: `Price ${CRITERION_MARKER}`, kind: 'price', points: 30 }] },
      ],
      vendors: PRICES.map((price, i) => ({ name: `Vendor ${i}`, price })),
      // Evaluator 0 is still scoring (one sheet open); evaluator 1 has submitted both.
      evaluators: [{ name: 'Sam Scoring' }, { name: 'Dee Done' }],
      observers: [{ name: 'Omar Observer' }],
      score: () => 3,
      sheet: (e, v) => (e === 0 && v === 1 ? 'in_progress' : 'submitted'),
      consensus: [],
      passwordHash: await hashPassword('demo-password'),
    });
    await handle.db.updateTable('rfp').set({ price_blind: 1 }).where('id', '=', evaluation.rfpId).execute();

    // A question under each criterion, every vendor's answer, and a file attached to the price question.
    const { storeEvidence } = await import('#app/responses/evidence-files.server');
    const now = new Date().toISOString();
    for (const [i, criterion] of evaluation.criteria.entries()) {
      const questionId = randomUUID();
      questionIds.push(questionId);
      const isPrice = criterion.kind === 'price';
      await handle.db
        .insertInto('question')
        .values({
          id: questionId,
          rfp_id: evaluation.rfpId,
          criterion_id: criterion.id,
          key: `${criterion.key}.1`,
          text: isPrice ? `Break down the price ${QUESTION_MARKER}` : 'Describe your governance.',
          guidance: null,
          strong_answer: null,
          answer_type: 'text',
          options_json: '[]',
          required: 1,
          references_json: '[]',
          position: i,
          created_at: now,
        })
        .execute();
      for (const [v, vendor] of evaluation.vendors.entries()) {
        await handle.db
          .insertInto('answer')
          .values({
            id: randomUUID(),
            rfp_id: evaluation.rfpId,
            submission_id: vendor.submissionId,
            question_id: questionId,
            value_json: JSON.stringify(isPrice ? `Licences and hosting ${answerMarker(v)}` : 'A governance board meets monthly.'),
            source: 'manual',
            updated_by: evaluation.lead.id,
            updated_at: now,
          })
          .execute();
        if (!isPrice) continue;
        const fileName = `pricing-${fileMarker(v)}.txt`;
        const stored = storeEvidence(new TextEncoder().encode(`Pricing schedule ${fileMarker(v)}\n`), fileName);
        const attachmentId = randomUUID();
        attachmentIds.push(attachmentId);
        await handle.db
          .insertInto('attachment')
          .values({
            id: attachmentId,
            rfp_id: evaluation.rfpId,
            submission_id: vendor.submissionId,
            question_id: questionId,
            file_name: fileName,
            media_type: stored.mediaType,
            size: stored.size,
            sha256: stored.sha256,
            storage_key: stored.storageKey,
            uploaded_by: evaluation.lead.id,
            uploaded_at: now,
          })
          .execute();
      }
    }

    const logins: Array<[Viewer, string]> = [
      ['scoring', evaluation.evaluators[0]!.email],
      ['done', evaluation.evaluators[1]!.email],
      ['lead', evaluation.lead.email],
      ['observer', evaluation.observers[0]!.email],
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

  it('in evaluation, nothing of the prices or the price criterion reaches the evaluator still scoring, by any route; the others receive them', async () => {
    const walked = new Set(urls().map((u) => u.route));
    for (const route of ['_index', 'questionnaire._index', 'questionnaire.criteria.$criterionId', 'questionnaire.questions.$questionId', 'answers._index', 'answers.$questionId', 'attachments.$attachmentId', 'evaluate.$submissionId', 'results']) {
      expect(walked.has(`routes/rfps.$rfpId.${route}`), route).toBe(true);
    }
    const reached = await walk();
    expect(seenBy(reached, 'scoring')).toEqual([]);
    // Whoever is not blind reads every marker somewhere: the lead all of them, the evaluator who is done the
    // criterion, the question, the answers, the files and the prices on the Overview.
    for (const viewer of ['lead', 'done'] as const) {
      const missing = allMarkers().filter((m) => !reached.get(m)!.has(viewer));
      expect(missing, `${viewer} should read every marker`).toEqual([]);
    }
    // An observer reads the questionnaire and the Overview (prices), not responses.
    expect(reached.get(CRITERION_MARKER)!.has('observer')).toBe(true);
  }, 180_000);

  it('the evaluator still scoring is told why the price criterion is missing, and is refused its pages with the reason', async () => {
    const price = evaluation.criteria.find((c) => c.kind === 'price')!;
    const page = await (await visitors.scoring.get(`/rfps/${evaluation.rfpId}/questionnaire`)).text();
    expect(page).toContain('This RFP is scored price-blind');
    expect(page).toContain('Governance');
    const refused = await visitors.scoring.get(`/rfps/${evaluation.rfpId}/questionnaire/criteria/${price.id}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('price-blind');
    const file = await visitors.scoring.get(`/rfps/${evaluation.rfpId}/attachments/${attachmentIds[0]}`);
    expect(file.status).toBe(403);
  });

  it('once the evaluator submits their last sheet the prices reach them; a reopened sheet hides them again; without the setting nothing is hidden', async () => {
    const sheet = () =>
      handle.db
        .updateTable('scoresheet')
        .where('rfp_id', '=', evaluation.rfpId)
        .where('evaluator_id', '=', evaluation.evaluators[0]!.id)
        .where('submission_id', '=', evaluation.vendors[1]!.submissionId);
    await sheet().set({ status: 'submitted', submitted_at: new Date().toISOString() }).execute();
    let reached = await walk(['scoring']);
    expect(allMarkers().filter((m) => !reached.get(m)!.has('scoring'))).toEqual([]);

    await sheet().set({ status: 'in_progress', submitted_at: null }).execute();
    reached = await walk(['scoring']);
    expect(seenBy(reached, 'scoring')).toEqual([]);

    await handle.db.updateTable('rfp').set({ price_blind: 0 }).where('id', '=', evaluation.rfpId).execute();
    const page = await (await visitors.scoring.get(`/rfps/${evaluation.rfpId}/questionnaire`)).text();
    expect(page).toContain(CRITERION_MARKER);
    await handle.db.updateTable('rfp').set({ price_blind: 1 }).where('id', '=', evaluation.rfpId).execute();
  }, 180_000);

  it('once scoring is over (consensus), nobody is blind any more; going back to evaluation hides the prices again', async () => {
    await setStatus('consensus');
    const page = await (await visitors.scoring.get(`/rfps/${evaluation.rfpId}/questionnaire`)).text();
    expect(page).toContain(CRITERION_MARKER);
    await setStatus('evaluation');
    const again = await (await visitors.scoring.get(`/rfps/${evaluation.rfpId}/questionnaire`)).text();
    expect(again).not.toContain(CRITERION_MARKER);
  });
});
