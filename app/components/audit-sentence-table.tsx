import { formatDateTime } from '#app/utils/format';

/** Audit entries already in words (app/audit/sentences.ts), newest first: the account events page and a registry entry's history. */
export function AuditSentenceTable({ entries, caption }: { entries: ReadonlyArray<{ id: number; at: string; sentence: string }>; caption: string }) {
  return (
    <div className="wb-table-wrap">
      <table className="usa-table usa-table--borderless width-full">
        <caption className="usa-sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What happened</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="text-no-wrap">{formatDateTime(e.at)}</td>
              <td>{e.sentence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
