/** Two texts as one, with what was removed struck through and what was added underlined; always rendered as text. */
import { wordDiff } from '#app/utils/word-diff';

export function TextDiff({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const parts = wordDiff(before, after);
  return (
    <div className="wb-diff">
      <p className="usa-hint margin-y-05">
        <span className="wb-diff-removed">struck through</span>: {beforeLabel} only; <span className="wb-diff-added">underlined</span>: {afterLabel} only.
      </p>
      <p className="wb-pre margin-0">
        {parts.map((part, i) =>
          part.kind === 'same' ? (
            <span key={i}>{part.text}</span>
          ) : part.kind === 'removed' ? (
            <del key={i}>
              <span className="usa-sr-only">[{beforeLabel}: </span>
              {part.text}
              <span className="usa-sr-only">]</span>
            </del>
          ) : (
            <ins key={i}>
              <span className="usa-sr-only">[{afterLabel}: </span>
              {part.text}
              <span className="usa-sr-only">]</span>
            </ins>
          ),
        )}
      </p>
    </div>
  );
}
