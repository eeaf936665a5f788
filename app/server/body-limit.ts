/**
 * One size limit on every request body, applied before Remix reads a byte of it.
 *
 * Each route has a cap: sign-in a few kilobytes, other forms 1 MB, an upload route its configured file cap plus room for
 * the rest of the multipart form (the cap is on the whole body, every part together). The bytes are counted as they
 * stream in, so a body sent chunked (no Content-Length) is held to the same cap as one that declares its size; a declared
 * size over the cap is refused before reading. A refusal is a 413 saying what the limit is; what still arrives is thrown
 * away, and the connection closed shortly after, so nothing of the body is kept.
 */
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { ATTACHMENT_MAX_BYTES, QUESTIONNAIRE_IMPORT_MAX_BYTES } from '#app/utils/upload-limits';
import { NUL_IN_FORM_MESSAGE } from './input-guards';

const KB = 1024;
const MB = 1024 * KB;

export interface BodyCap {
  maxBytes: number;
  /** What the person is told, naming the limit. */
  message: string;
}

/** Room in an upload for the multipart boundaries and the form's other fields. */
export const MULTIPART_OVERHEAD_BYTES = 1 * MB;
/** Sign-in and sign-out carry an email, a password and a return path. */
export const SIGN_IN_MAX_BYTES = 64 * KB;
/** The longest text field is a few thousand characters; one form holds one item's fields. */
export const FORM_MAX_BYTES = 1 * MB;

function size(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / KB)} KB`;
}

const UPLOAD_ROUTES: ReadonlyArray<{ path: RegExp; maxFileBytes: number; what: string }> = [
  { path: /^\/rfps\/[^/]+\/questionnaire\/import\/?$/, maxFileBytes: QUESTIONNAIRE_IMPORT_MAX_BYTES, what: 'a questionnaire file' },
  { path: /^\/rfps\/[^/]+\/vendors\/[^/]+\/import\/?$/, maxFileBytes: QUESTIONNAIRE_IMPORT_MAX_BYTES, what: 'a vendor workbook' },
  { path: /^\/rfps\/[^/]+\/vendors\/[^/]+\/?$/, maxFileBytes: ATTACHMENT_MAX_BYTES, what: 'an evidence file' },
];

/** The cap for one request, from its path and (for uploads) its content type. */
export function bodyCapFor(path: string, contentType: string | undefined): BodyCap {
  if (/^\/log(?:in|out)\/?$/.test(path)) {
    return { maxBytes: SIGN_IN_MAX_BYTES, message: `This sign-in request is larger than ${size(SIGN_IN_MAX_BYTES)}, which no sign-in form sends, so it was refused.` };
  }
  if ((contentType ?? '').toLowerCase().startsWith('multipart/form-data')) {
    const upload = UPLOAD_ROUTES.find((route) => route.path.test(path));
    if (upload) {
      return {
        maxBytes: upload.maxFileBytes + MULTIPART_OVERHEAD_BYTES,
        message: `The upload is larger than the ${size(upload.maxFileBytes)} limit for ${upload.what}, so it was not received. Go back, choose a smaller file and upload it again.`,
      };
    }
  }
  return {
    maxBytes: FORM_MAX_BYTES,
    message: `The form sent more than ${size(FORM_MAX_BYTES)}, the most one form may send, so it was not saved. Go back, shorten the text and send it again.`,
  };
}

/** Why a body was refused while it streamed in: the status and what the person is told. */
class BodyRefusal extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Counts bytes as they pass and fails at the cap, whatever Content-Length said or did not say. For a urlencoded form it
 * also fails on a NUL character (`%00` or a raw zero byte), which no field accepts and PostgreSQL text cannot hold.
 */
class CappedBody extends Transform {
  received = 0;
  private tail = '';
  constructor(
    private readonly cap: BodyCap,
    private readonly refuseNul: boolean,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.cap.maxBytes) return callback(new BodyRefusal(413, this.cap.message));
    if (this.refuseNul) {
      // Two characters carried over, so a `%00` split between chunks is seen too.
      const text = this.tail + chunk.toString('latin1');
      if (text.includes('%00') || text.includes('\0')) return callback(new BodyRefusal(400, NUL_IN_FORM_MESSAGE));
      this.tail = text.slice(-2);
    }
    callback(null, chunk);
  }
}

/**
 * After a refusal the rest of the body is read and thrown away for a moment, so the client, still sending, gets to read
 * the answer (closing at once with unread data makes the kernel reset the connection, and the answer is often lost).
 */
const LINGER_MS = 2_000;
const LINGER_MAX_BYTES = 16 * MB;

/** Reads and throws away what still arrives of the request, closing the connection past `maxBytes` or `maxMs`. */
function discardRest(req: Request, maxBytes: number, maxMs?: number): void {
  req.unpipe();
  const close = () => req.socket.destroy();
  if (maxMs !== undefined) {
    const timer = setTimeout(close, maxMs).unref();
    // A body that ends in time leaves the connection usable for the next request.
    req.once('end', () => clearTimeout(timer));
    req.socket.once('close', () => clearTimeout(timer));
  }
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) close();
  });
  req.resume();
}

/** Answers (unless a response is already under way), then discards what still arrives and closes the connection. */
function refuse(req: Request, res: Response, refusal: BodyRefusal): void {
  discardRest(req, LINGER_MAX_BYTES, LINGER_MS);
  if (!res.headersSent) res.status(refusal.status).type('text/plain').send(refusal.message);
}

const BODY = Symbol('capped request body');
type WithCappedBody = Response & { [BODY]?: Readable };

/**
 * The middleware: refuses a declared size over the cap at once, otherwise puts the counted body where
 * `cappedRequestBody` finds it. Requests that carry no body (GET, HEAD) pass untouched.
 */
export function limitRequestBodies(capFor: (path: string, contentType: string | undefined) => BodyCap = bodyCapFor) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const cap = capFor(req.path, req.get('content-type'));
    if (Number(req.get('content-length') ?? 0) > cap.maxBytes) return refuse(req, res, new BodyRefusal(413, cap.message));
    const urlencoded = (req.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    const body = new CappedBody(cap, urlencoded);
    body.once('error', (error) => refuse(req, res, error instanceof BodyRefusal ? error : new BodyRefusal(413, cap.message)));
    // A route that answered without reading the whole body: the rest, up to the cap, is read and thrown away so the
    // connection is free for the next request.
    res.once('finish', () => {
      if (req.complete || body.destroyed) return;
      const allowance = cap.maxBytes - body.received;
      body.destroy();
      discardRest(req, allowance);
    });
    req.pipe(body);
    (res as WithCappedBody)[BODY] = body;
    next();
  };
}

/** The request body as counted by `limitRequestBodies`, for the Remix handler to read instead of the raw request. */
export function cappedRequestBody(res: Response): Readable | undefined {
  return (res as WithCappedBody)[BODY];
}
