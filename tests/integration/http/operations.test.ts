/**
 * What an operator relies on: one JSON log line per request that carries no secret or personal text, the request id
 * on the answer and on error pages, /metrics behind its token, and a shutdown that lets a slow upload finish.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { demoRfpAndSubmission, startTestServer, type TestServer, Visitor } from '#tests/support/server';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';
const MARKER_PASSWORD = 'Marker-Password-7f3c9e';
const MARKER_TEXT = 'marker-rationale-b41d';
const MARKER_SEARCH = 'marker-search-e2a8';

interface LogLine {
  time: string;
  level: string;
  msg: string;
  requestId?: string;
  method?: string;
  route?: string;
  status?: number;
  durationMs?: number;
  userId?: string | null;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The line is written when the answer has been sent, so it may reach the test's pipe just after the answer. */
async function logLineFor(server: TestServer, predicate: (line: LogLine) => boolean): Promise<LogLine | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = logLines(server.output()).find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe('operations: logs, request ids and metrics', () => {
  let server: TestServer;
  let lead: Visitor;
  let rfpId: string;
  let leadId: string;

  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN });
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    leadId = (await handle.db.selectFrom('app_user').select('id').where('email', '=', 'officer@city.example').executeTakeFirstOrThrow()).id;
    await handle.close();
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('logs one JSON line per request with its id, route template, status, duration and user, and nothing a person typed', async () => {
    const stranger = new Visitor(server.baseUrl);
    const refused = await stranger.post('/login', { email: 'officer@city.example', password: MARKER_PASSWORD });
    expect(refused.status).toBe(400);
    const search = await lead.get(`/rfps?q=${MARKER_SEARCH}&status=open`);
    expect(search.status).toBe(200);
    const searchId = search.headers.get('x-request-id');
    // A form field's value (the RFP's description) must not reach the log either.
    const saved = await lead.post(`/rfps/${rfpId}/details`, { intent: 'details', description: MARKER_TEXT });
    expect(saved.status).toBeLessThan(500);

    const detailsLine = await logLineFor(server, (line) => line.route === '/rfps/:rfpId/details' && line.method === 'POST');
    expect(detailsLine).toMatchObject({ userId: leadId });
    // What the server wrote since it started (the start-up message lists the demo accounts).
    const output = server.output().split('serving http://')[1]!;
    for (const secret of [MARKER_PASSWORD, MARKER_TEXT, MARKER_SEARCH, lead.sessionCookie.split('=')[1]!, 'q=', 'officer@city.example']) {
      expect(output, `the log holds ${secret}`).not.toContain(secret);
    }
    const lines = logLines(output).filter((line) => line.msg === 'request');
    const searchLine = lines.find((line) => line.requestId === searchId);
    expect(searchLine).toMatchObject({ level: 'info', method: 'GET', route: '/rfps', status: 200, userId: leadId });
    expect(searchLine!.durationMs).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(searchLine!.time))).toBe(false);
    expect(lines.find((line) => line.route === '/login' && line.method === 'POST' && line.status === 400)).toMatchObject({ userId: null });
  });

  it('keeps a safe X-Request-Id, replaces an unsafe one, and shows the id on the error page as the reference', async () => {
    const kept = await lead.request('/rfps', { headers: { 'X-Request-Id': 'lb-7d1e.42_a' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7d1e.42_a');
    const replaced = await lead.request('/rfps', { headers: { 'X-Request-Id': '<script>alert(1)</script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);

    const missing = await lead.get(`/rfps/00000000-0000-0000-0000-000000000000?email=${MARKER_SEARCH}`);
    expect(missing.status).toBe(404);
    const id = missing.headers.get('x-request-id')!;
    const page = await missing.text();
    expect(page).toContain('Page not found');
    expect(page).toContain(`Reference: <code data-request-reference="">${id}</code>`);
    expect(await logLineFor(server, (line) => line.requestId === id)).toMatchObject({ route: '/rfps/:rfpId', status: 404 });
  });

  it('answers /metrics only with the bearer token, in the Prometheus text format', async () => {
    const anonymous = await fetch(`${server.baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('workbench_');
    const wrong = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);

    await lead.get('/rfps');
    const answer = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await answer.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('workbench_http_requests_total{method="GET",route="/rfps",status="200"}')).toBeGreaterThanOrEqual(3);
    expect(value('workbench_http_request_duration_seconds_count{method="GET",route="/rfps",status="200"}')).toBeGreaterThanOrEqual(3);
    expect(value('workbench_http_request_duration_seconds_bucket{method="GET",route="/rfps",status="200",le="+Inf"}')).toBeGreaterThanOrEqual(3);
    expect(value('workbench_db_query_duration_seconds_count')).toBeGreaterThan(0);
    // The lead's session (the login test's stranger was refused, so no session of theirs).
    expect(value('workbench_active_sessions')).toBe(1);
    expect(value('workbench_import_pending_uploads')).toBe(0);
    expect(value('workbench_import_jobs_running')).toBe(0);
    expect(text).toContain('# TYPE workbench_http_request_duration_seconds histogram');
    expect(value('workbench_mail_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(value('workbench_mail_outbox_failed')).toBe(0);
    // Route templates only: no real id in a label.
    expect(text).not.toContain(rfpId);
  });

  it('has no /metrics at all when METRICS_TOKEN is not set', async () => {
    const plain = await startTestServer({ METRICS_TOKEN: '' });
    try {
      expect((await fetch(`${plain.baseUrl}/metrics`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  }, 60_000);
});

describe('operations: graceful shutdown', () => {
  it('finishes a slow upload already arriving when SIGTERM comes, then exits 0 and accepts nothing new', async () => {
    const attachments = mkdtempSync(join(tmpdir(), 'wb-shutdown-'));
    const server = await startTestServer({ ATTACHMENTS_DIR: attachments });
    try {
      const lead = new Visitor(server.baseUrl);
      await lead.login('officer@city.example');
      const demo = await demoRfpAndSubmission(server.databaseUrl);

      const boundary = 'wbshutdownboundary';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="evidence.txt"\r\nContent-Type: text/plain\r\n\r\n`);
      const content = Buffer.from('Evidence sent slowly. '.repeat(4000));
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const url = new URL(`${server.baseUrl}/rfps/${demo.rfpId}/vendors/${demo.submissionId}`);
      const answered = new Promise<{ status: number }>((resolve, reject) => {
        const req = httpRequest(url, {
          method: 'POST',
          headers: {
            cookie: lead.sessionCookie,
            origin: server.baseUrl,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': String(head.length + content.length + tail.length),
          },
        });
        req.on('response', (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        });
        req.on('error', reject);
        req.write(head);
        req.write(content.subarray(0, 1000));
        // The rest arrives only after the server has been told to stop.
        const waitForShutdown = setInterval(() => {
          if (server.output().includes('"msg":"shutting down"')) {
            clearInterval(waitForShutdown);
            setTimeout(() => {
              req.write(content.subarray(1000));
              req.end(tail);
            }, 300);
          }
        }, 20);
      });
      // Let the server start reading the body before the signal.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exited = server.signal('SIGTERM');
      const { status } = await answered;
      expect(status).toBe(200);
      expect(await exited).toBe(0);
      expect(readdirSync(attachments)).toHaveLength(1);
      const shutdownLine = logLines(server.output()).find((line) => line.msg === 'shutting down');
      expect(shutdownLine).toMatchObject({ level: 'info' });
      expect(server.output()).toContain('"msg":"stopped","exitCode":0');
      await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();
    } finally {
      await server.stop();
    }
  }, 120_000);
});
