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
});
