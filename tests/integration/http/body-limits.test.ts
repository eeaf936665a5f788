/**
 * Every request body is capped by route before the app reads it, counting the bytes that really arrive: bodies sent
 * chunked (no Content-Length) are held to the cap too, and the server does not keep what it refused.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const MB = 1024 * 1024;

interface Reply {
  status: number;
  body: string;
  bytesSent: number;
}

/**
 * Sends `prefix` and then filler up to `totalBytes` as a chunked body (or only a declared Content-Length, for
 * `declareOnly`), stopping as soon as the server answers unless told to `sendAll`.
 */
function send(
  baseUrl: string,
  path: string,
  options: { totalBytes: number; contentType: string; prefix?: string; headers?: Record<string, string>; declareOnly?: boolean; agent?: http.Agent; sendAll?: boolean },
): Promise<Reply> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': options.contentType, ...options.headers };
    if (options.declareOnly) headers['content-length'] = String(options.totalBytes);
    else headers['transfer-encoding'] = 'chunked';
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: options.agent });
    let answered = false;
    let bytesSent = 0;
    request.on('response', (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, bytesSent }));
      response.on('error', reject);
    });
    // Once the server has answered and closed, the rest of the upload fails to send; that is the point.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.declareOnly) {
      request.flushHeaders();
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 'a');
    if (options.prefix) {
      request.write(options.prefix);
      bytesSent += Buffer.byteLength(options.prefix);
    }
    const pump = () => {
      const stop = () => answered && !options.sendAll;
      while (!stop() && bytesSent < options.totalBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.totalBytes - bytesSent));
        bytesSent += piece.length;
        if (!request.write(piece)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!stop()) request.end();
    };
    pump();
  });
}

/** The app's own process: the test server runs it under tsx, which starts it as a child. */
function appProcessId(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.length === 0 ? pid : appProcessId(children[0]!);
}

function residentMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return Math.round(kb / 1024);
}

describe('request body limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ ATTACHMENT_MAX_BYTES: String(2 * MB), QUESTIONNAIRE_IMPORT_MAX_BYTES: String(1 * MB) });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses three 150 MB chunked sign-in bodies sent at once with 413, and keeps none of them', async () => {
    const pid = appProcessId(server.pid);
    await fetch(`${server.baseUrl}/login`);
    const before = residentMb(pid);
    const replies = await Promise.all(
      [1, 2, 3].map(() => send(server.baseUrl, '/login', { totalBytes: 150 * MB, contentType: 'application/x-www-form-urlencoded', prefix: 'email=a%40b.example&password=' })),
    );
    const after = residentMb(pid);
    console.log(`150 MB chunked to /login ×3: RSS ${before} MB before, ${after} MB after; sent ${replies.map((r) => Math.round(r.bytesSent / MB)).join(', ')} MB before the answer`);
    for (const reply of replies) {
      expect(reply.status).toBe(413);
      expect(reply.body).toMatch(/larger than 64 KB/);
      expect(reply.bytesSent).toBeLessThan(150 * MB);
    }
    expect(after - before).toBeLessThan(100);
    // The server goes on serving.
    expect((await fetch(`${server.baseUrl}/login`)).status).toBe(200);
  });

  it('refuses a declared Content-Length over the cap before any of the body is sent', async () => {
    const reply = await send(server.baseUrl, '/login', { totalBytes: 200 * MB, contentType: 'application/x-www-form-urlencoded', declareOnly: true });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatch(/sign-in request is larger than 64 KB/);
  });

  it('holds a signed-in form to 1 MB when it is sent chunked, and saves nothing of it', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const reply = await send(server.baseUrl, '/rfps/new', {
      totalBytes: 3 * MB,
      contentType: 'application/x-www-form-urlencoded',
      prefix: 'reference=HUGE-1&title=Huge&department=IT&summary=',
      headers: { cookie: officer.sessionCookie },
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatch(/The form sent more than 1 MB/);
    expect(await (await officer.get('/rfps')).text()).not.toContain('HUGE-1');
  });

  it('holds an upload route to its configured file cap plus the form around it, counting every part of a chunked body', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const handle = openDatabase(server.databaseUrl);
    const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    const submission = await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();
    const attachments = async () => (await handle.db.selectFrom('attachment').select('id').execute()).length;
    const attachmentsBefore = await attachments();
    const boundary = 'wbboundary';
    // Many fields, each far under the 2 MB file cap, 10 MB together.
    const field = (i: number) => `--${boundary}\r\nContent-Disposition: form-data; name="note${i}"\r\n\r\n${'n'.repeat(512 * 1024)}\r\n`;
    const prefix = Array.from({ length: 20 }, (_, i) => field(i)).join('');
    const reply = await send(server.baseUrl, `/rfps/${rfp.id}/vendors/${submission.id}`, {
      totalBytes: prefix.length + 1024,
      contentType: `multipart/form-data; boundary=${boundary}`,
      prefix,
      headers: { cookie: officer.sessionCookie },
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatch(/larger than the 2 MB limit for an evidence file/);
    expect(await attachments()).toBe(attachmentsBefore);
    await handle.close();
    // A declared size is checked against the route's own cap: 1 MB questionnaire files (+ 1 MB for the form) here.
    const declared = (bytes: number) =>
      send(server.baseUrl, '/rfps/any/questionnaire/import', { totalBytes: bytes, contentType: `multipart/form-data; boundary=${boundary}`, declareOnly: true });
    const over = await declared(2 * MB + 1);
    expect(over.status).toBe(413);
    expect(over.body).toMatch(/larger than the 1 MB limit for a questionnaire file/);
    // Under the cap the request reaches the route, which sends an anonymous visitor to sign in.
    expect((await declared(2 * MB)).status).toBe(302);
  });

  it('keeps a connection usable after a route answers without reading the body', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(server.baseUrl, '/rfps/new', { totalBytes: 512 * 1024, contentType: 'application/x-www-form-urlencoded', agent, sendAll: true });
      expect(first.status).toBe(302);
      const second = await send(server.baseUrl, '/login', { totalBytes: 10, contentType: 'application/x-www-form-urlencoded', prefix: 'email=', agent });
      expect(second.status).toBe(400);
    } finally {
      agent.destroy();
    }
  });
});
