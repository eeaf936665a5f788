// The one error a spreadsheet worker sends back as a terse refusal ({ ok: false, code, detail, sheet?, limit? }); the
// server side (app/import/parse-in-worker.server.ts, app/xlsx/parse-vendor-workbook-in-worker.server.ts) turns the
// code into the officer's message. Shared by both workers and the OOXML reader so every part refuses the same way.

export class Refusal extends Error {
  /** @param {string} code @param {string} detail @param {{ sheet?: string, limit?: number }} [extra] */
  constructor(code, detail, extra = {}) {
    super(detail);
    this.name = 'Refusal';
    this.code = code;
    this.detail = detail;
    this.extra = extra;
  }
}
