/** The longest texts of the Q&A period, shared by the forms (their maxLength and hints) and the server's checks. */

/** The longest question a vendor may ask: a few paragraphs. */
export const QUESTION_MAX_CHARS = 4000;

/** The longest answer: an answer may quote the RFP at some length. */
export const ANSWER_MAX_CHARS = 8000;
