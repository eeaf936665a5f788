/**
 * The ranking: rank, vendor, one column per weighted section, total, status. On a wide screen a table whose every
 * column fits the page (section headings wrap, a disqualification's reason wraps under its status); on a phone
 * (app.css, below 40em) each vendor becomes a card with its total beside its name and the sections listed under it,
 * labelled from `data-label`.
 */
import type { RankingRowView, SectionHeadView } from './types';

export function RankingTable({ ranking, sections, totalPoints }: { ranking: RankingRowView[]; sections: SectionHeadView[]; totalPoints: string }) {
  return (
    <div className="wb-table-wrap" tabIndex={0} role="region" aria-labelledby="ranking-heading">
      <table className="usa-table usa-table--borderless usa-table--compact width-full wb-ranking">
        <caption className="usa-sr-only">Ranking with totals and section subtotals, in points</caption>
        <thead>
          <tr>
            <th scope="col" className="wb-ranking__rank">
              Rank
            </th>
            <th scope="col" className="wb-ranking__vendor">
              Vendor
            </th>
            {sections.map((s) => (
              <th key={s.id} scope="col" className="text-right wb-ranking__section">
                {s.title}
                <span className="display-block text-normal font-body-3xs">of {s.available}</span>
              </th>
            ))}
            <th scope="col" className="text-right wb-ranking__total">
              Total
              <span className="display-block text-normal font-body-3xs">of {totalPoints}</span>
            </th>
            <th scope="col" className="wb-ranking__status">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {ranking.map((r) => (
            <tr key={r.vendorId} className={r.qualified ? undefined : 'wb-ranking__out'}>
              <td className="wb-ranking__rank" data-label="Rank">
                {r.rank ?? '—'}
              </td>
              <th scope="row" className="wb-ranking__vendor">
                {r.name}
              </th>
              {r.sections.map((p, i) => (
                <td key={sections[i]?.id ?? i} className="text-right font-mono-xs wb-ranking__section" data-label={sections[i]?.title}>
                  {p}
                </td>
              ))}
              <td className="text-right font-mono-xs text-bold wb-ranking__total" data-label={`Total of ${totalPoints}`}>
                {r.total}
              </td>
              <td className="wb-ranking__status">
                {r.qualified ? (
                  'Qualified'
                ) : (
                  <>
                    <span className="text-bold">Disqualified:</span> {r.disqualifiedBecause.join(' ')}
                  </>
                )}
                {r.problems.map((p, i) => (
                  <span key={i} className="display-block font-body-3xs">
                    {p}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
