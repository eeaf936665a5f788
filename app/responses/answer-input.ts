/**
 * Turning a typed-in answer into the stored value, by answer type. Shared by the answer-entry form (server)
 * and its labels (browser).
 */
import type { AnswerValue } from '#app/utils/db.server';

export const MAX_ANSWER_LENGTH = 32_000;

export interface AnswerQuestion {
  key: string;
  answer_type: 'text' | 'yes_no' | 'choice' | 'multi_choice' | 'number' | 'attachment';
  options: Array<{ label: string }>;
  /** The price question: its answer is the vendor's recorded price, so it must be more than 0. */
  isPrice?: boolean;
}

/** A number as vendors write it: 1240000, 1,240,000, $1,240,000.00, 99.9 %. */
export function parseNumber(text: string): number | null {
  const cleaned = text.replace(/[\s,$€£%]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

export function answerFromForm(question: AnswerQuestion, raw: string[]): { value: AnswerValue } | { error: string } {
  const first = (raw[0] ?? '').replace(/\r\n/g, '\n');
  switch (question.answer_type) {
    case 'text':
    case 'attachment': {
      const text = first.trim();
      if (text.length > MAX_ANSWER_LENGTH) return { error: `${question.key}: the answer is ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_ANSWER_LENGTH.toLocaleString('en-US')}.` };
      return { value: text || null };
    }
    case 'yes_no':
    case 'choice': {
      const text = first.trim();
      if (!text) return { value: null };
      const option = question.options.find((o) => o.label === text);
      return option ? { value: option.label } : { error: `${question.key}: “${text}” is not one of the options.` };
    }
    case 'multi_choice': {
      const chosen = raw.map((r) => r.trim()).filter(Boolean);
      const unknown = chosen.filter((c) => !question.options.some((o) => o.label === c));
      if (unknown.length) return { error: `${question.key}: “${unknown[0]}” is not one of the options.` };
      return { value: chosen.length ? question.options.map((o) => o.label).filter((l) => chosen.includes(l)) : null };
    }
    case 'number': {
      const text = first.trim();
      if (!text) return { value: null };
      const value = parseNumber(text);
      if (value === null) return { error: `${question.key}: “${text}” is not a number.` };
      if (question.isPrice && !(value > 0)) return { error: `${question.key}: the price must be more than 0 (you entered ${text}).` };
      return { value };
    }
  }
}

/** An answer as one line of text, for tables and the side-by-side view. */
export function answerToText(value: AnswerValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}
