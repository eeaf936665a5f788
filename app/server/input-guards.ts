/**
 * Input no page accepts, refused with a 400 and a message before any route sees it. A NUL character cannot be stored in
 * PostgreSQL text (the query fails) and has no business in an address or a form field, so it is refused on both
 * databases alike: in the address here, in urlencoded form bodies by the body limit (body-limit.ts), in the fields of an
 * upload form by the upload reader.
 */
import type { NextFunction, Request, Response } from 'express';

export const NUL_IN_URL_MESSAGE = 'The address contains a NUL character (%00), which no page here accepts. Remove it and try again.';
export { NUL_IN_FORM_MESSAGE } from '#app/utils/form';

export function refuseNulInUrl(req: Request, res: Response, next: NextFunction): void {
  // A raw NUL cannot reach here (Node's HTTP parser refuses it); `%2500` is the text "%00", not a NUL.
  if (req.originalUrl.includes('%00')) {
    res.status(400).type('text/plain').send(NUL_IN_URL_MESSAGE);
    return;
  }
  next();
}
