import { describe, expect, it } from 'vitest';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { safeRedirectPath } from '#app/utils/session.server';

describe('safeRedirectPath', () => {
  it('keeps local paths and refuses everything else', () => {
    expect(safeRedirectPath('/rfps/abc?x=1')).toBe('/rfps/abc?x=1');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'rfps', '', null, undefined, '/a\nb']) {
      expect(safeRedirectPath(bad)).toBe('/rfps');
    }
  });

  it('refuses paths a browser would turn into another site', () => {
    for (const bad of [
      '/rfps/../\\evil.example',
      '/rfps/..//evil.example',
      '/rfps/../../\\/evil.example',
      '/%2F%2Fevil.example',
      '/%2fevil.example',
      '/%5Cevil.example',
      '/%255Cevil.example',
      '/\tevil.example',
      '/%09/evil.example',
      '/%E0%A4%A',
    ]) {
      expect(safeRedirectPath(bad), bad).toBe('/rfps');
    }
  });

  it('normalises what it keeps: dots resolved, non-Latin text percent-encoded so the header is ASCII', () => {
    expect(safeRedirectPath('/rfps/a/../b?x=1#top')).toBe('/rfps/b?x=1#top');
    expect(safeRedirectPath('/rfps/при')).toBe('/rfps/%D0%BF%D1%80%D0%B8');
    for (const text of ['/rfps?q=中文', '/😀', '/rfps/x#é']) expect(safeRedirectPath(text), text).toMatch(/^\/[\x21-\x7e]*$/);
  });
});

describe('contentDispositionAttachment', () => {
  it('always downloads, with a quoted ASCII name and the exact name encoded', () => {
    const header = contentDispositionAttachment('Plan "A"/B;\r\nSet-Cookie: x=1 — Ünïcode.json');
    expect(header.startsWith('attachment; filename="')).toBe(true);
    expect(header).not.toMatch(/[\r\n]/);
    const ascii = /filename="([^"]*)"/.exec(header)![1]!;
    expect(ascii).not.toMatch(/["\\/;]/);
    expect(header).toContain("filename*=UTF-8''Plan%20%22A%22%2FB%3B");
  });

  it("encodes the characters RFC 5987 does not allow in the exact name (quotes, brackets, '=')", () => {
    const header = contentDispositionAttachment("<b>O'Neil (v2)*='x'.pdf");
    const exact = /filename\*=UTF-8''(.*)$/.exec(header)![1]!;
    expect(exact).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(decodeURIComponent(exact)).toBe("<b>O'Neil (v2)*='x'.pdf");
  });
});
