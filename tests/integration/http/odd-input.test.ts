/**
 * Redirect targets and odd input through the real server: only same-site paths are followed, and input the app cannot
 * take (a NUL character, a file name the upload parser cannot read) gets a 4xx with a message, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('redirects and odd input', () => {
  let server: TestServer;
  let rfpId: string;
  let submissionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    submissionId = (await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const escapes = ['/rfps/../\\evil.example', '/rfps/..//evil.example', '/%2F%2Fevil.example', '/%5Cevil.example'];

  it('follows redirectTo only to a path on this site, at sign-in and for someone already signed in', async () => {
    for (const target of escapes) {
      const visitor = new Visitor(server.baseUrl);
      const response = await visitor.post('/login', { email: 'leader@city.example', password: 'demo-password', redirectTo: target });
      expect(response.status, target).toBe(302);
      expect(response.headers.get('location'), target).toBe('/rfps');
      const again = await visitor.get(`/login?redirectTo=${encodeURIComponent(target)}`);
      expect(again.status, target).toBe(302);
      expect(again.headers.get('location'), target).toBe('/rfps');
    }
  });

  it('redirects to a non-Latin path percent-encoded instead of failing', async () => {
    const visitor = new Visitor(server.baseUrl);
    const signIn = await visitor.post('/login', { email: 'leader@city.example', password: 'demo-password', redirectTo: '/rfps?q=😀' });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get('location')).toBe('/rfps?q=%F0%9F%98%80');
    const signedIn = await visitor.get(`/login?redirectTo=${encodeURIComponent('/rfps/при')}`);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/rfps/%D0%BF%D1%80%D0%B8');
  });

  it('answers 400 with a message for a NUL character in the address or a form, and saves nothing', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    for (const path of ['/vendors?q=a%00b', '/rfps?q=%00', `/rfps/${rfpId}/audit?actor=a%00`, '/rfps/%00']) {
      const response = await officer.get(path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toMatch(/NUL character/);
    }
    const form = await officer.post('/rfps/new', { reference: 'NUL-1', title: 'A\u0000B', department: 'IT', summary: 'x' });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/NUL character/);
    const upload = new FormData();
    upload.set('questionId', 'q\u0000');
    upload.set('file', new File([new TextEncoder().encode('evidence text')], 'notes.txt', { type: 'text/plain' }));
    const multipart = await officer.request(`/rfps/${rfpId}/vendors/${submissionId}`, { method: 'POST', body: upload, headers: { origin: server.baseUrl } });
    expect(multipart.status).toBe(400);
    expect(await multipart.text()).toMatch(/NUL character/);
    expect(await (await officer.get('/rfps')).text()).not.toContain('NUL-1');
  });

  it('refuses an evidence file whose name the upload form cannot carry with 400 and says why; other odd names are stored and downloaded safely', async () => {
    const officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const uploadAs = async (name: string) => {
      const form = new FormData();
      form.set('file', new File([new TextEncoder().encode('evidence text')], name, { type: 'text/plain' }));
      return officer.request(`/rfps/${rfpId}/vendors/${submissionId}`, { method: 'POST', body: form, headers: { origin: server.baseUrl } });
    };
    for (const name of ["a='b.txt", '<img src=x onerror=alert(1)>.txt']) {
      const response = await uploadAs(name);
      expect(response.status, name).toBe(400);
      expect(await response.text(), name).toMatch(/name could not be read.*Rename the file/);
    }
    const odd = "<b>O'Neil (v2)</b>.txt";
    expect((await uploadAs(odd.replace('/', ''))).status).toBe(200);
    const handle = openDatabase(server.databaseUrl);
    const stored = await handle.db.selectFrom('attachment').select(['id', 'file_name']).where('file_name', 'like', '%Neil%').executeTakeFirstOrThrow();
    await handle.close();
    const download = await officer.get(`/rfps/${rfpId}/attachments/${stored.id}`);
    expect(download.status).toBe(200);
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(disposition)![1]!)).toBe(stored.file_name);
    expect(await download.text()).toBe('evidence text');
  });
});
