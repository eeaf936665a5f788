import { NavLink } from '@remix-run/react';
import { STATUS_LABELS } from '#app/rfp/status';
import type { RfpStatus } from '#db/schema';
import { Breadcrumbs } from './breadcrumbs';

export function StatusTag({ status }: { status: RfpStatus }) {
  return <span className={`usa-tag wb-status wb-status--${status}`}>{STATUS_LABELS[status]}</span>;
}

export interface RfpTab {
  to: string;
  label: string;
  /** Shown only while the RFP is in one of these statuses (an evaluator's Results: from consensus on). */
  onlyIn?: readonly RfpStatus[];
}

/** Breadcrumb, title and the RFP's sub-pages. Only tabs the viewer may open are passed in. */
export function RfpHeader({
  rfp,
  tabs,
}: {
  rfp: { id: string; reference: string; title: string; status: RfpStatus };
  tabs: RfpTab[];
}) {
  return (
    <>
      <Breadcrumbs trail={[{ to: "/rfps", label: 'RFPs' }]} current={rfp.reference} />
      <p className="margin-bottom-0">
        <span className="text-bold">{rfp.reference}</span> <StatusTag status={rfp.status} />
      </p>
      <h1 className="margin-top-1">{rfp.title}</h1>
      <nav aria-label="RFP sections">
        <ul className="wb-tabs">
          {tabs.filter((tab) => !tab.onlyIn || tab.onlyIn.includes(rfp.status)).map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
