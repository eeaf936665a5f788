/**
 * "My evaluations": every RFP the signed-in person is assigned to evaluate, with their progress per vendor.
 * Counts only; the scores themselves are on each RFP's scoring pages.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatusTag } from '#app/components/rfp-header';
import { COI_LABELS } from '#app/evaluation/coi';
import { DueDate, Progress, SheetStateTag } from '#app/evaluation/components';
import { loadProgress } from '#app/evaluation/progress.server';
import { getDb, listAssignmentsOfUser } from '#app/utils/db.server';
import { requireUser } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'My evaluations · AI Vendor Evaluation Workbench' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const assignments = await listAssignmentsOfUser(db, user.id);
  const evaluations = await Promise.all(
    assignments.map(async (a) => {
      const progress = await loadProgress(db, a.rfp_id, user.id);
      const sheets = progress.sheets;
      const counted = sheets.filter((s) => s.state !== 'recused');
      return {
        rfpId: a.rfp_id,
        reference: a.reference,
        title: a.title,
        status: a.status,
        dueAt: a.evaluation_due_at,
        coi: a.coi_status,
        sheets,
        done: counted.length > 0 && counted.every((s) => s.state === 'submitted'),
      };
    }),
  );
  return json({ evaluations });
}

export default function MyEvaluations() {
  const { evaluations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My evaluations</h1>
      {evaluations.length === 0 ? (
        <p>You are not assigned to evaluate any RFP. The lead officer of an RFP assigns its evaluators.</p>
      ) : (
        evaluations.map((e) => (
          <section key={e.rfpId} aria-labelledby={`rfp-${e.rfpId}`} className="wb-evaluation-card">
            <h2 id={`rfp-${e.rfpId}`} className="margin-bottom-05">
              <Link className="usa-link" to={`/rfps/${e.rfpId}/evaluate`}>
                {e.reference}: {e.title}
              </Link>
            </h2>
            <p className="margin-top-0">
              <StatusTag status={e.status} /> Scoring due: <DueDate dueAt={e.dueAt} done={e.done || e.status !== 'evaluation'} /> · Conflict of interest: {COI_LABELS[e.coi]}
            </p>
            {e.coi === 'pending' ? (
              <p>
                <Link className="usa-button usa-button--outline" to={`/rfps/${e.rfpId}/evaluate`}>
                  Attest on conflicts of interest<span className="usa-sr-only"> for {e.reference}</span>
                </Link>
              </p>
            ) : null}
            <div className="wb-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--compact width-full">
                <caption className="usa-sr-only">Your progress on {e.reference}</caption>
                <thead>
                  <tr>
                    <th scope="col">Vendor</th>
                    <th scope="col">Scored</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {e.sheets.map((s) => (
                    <tr key={s.submissionId}>
                      <th scope="row">
                        {e.coi !== 'pending' && s.state !== 'recused' && e.status !== 'draft' && e.status !== 'open' ? (
                          <Link className="usa-link" to={`/rfps/${e.rfpId}/evaluate/${s.submissionId}`}>
                            {s.vendorName}
                          </Link>
                        ) : (
                          s.vendorName
                        )}
                      </th>
                      <td>{s.state === 'recused' ? '—' : <Progress scored={s.scored} total={s.total} />}</td>
                      <td>
                        <SheetStateTag state={s.state} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}
