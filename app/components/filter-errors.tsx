/**
 * The alert above a list page's search-and-filter form (RFP list, audit log) naming each filter that could not be used,
 * linked to its field. The list still shows, filtered by the filters that were valid.
 */
export function FilterErrorsAlert({ errors }: { errors: Readonly<Record<string, readonly string[] | undefined>> }) {
  const list = Object.entries(errors).flatMap(([field, messages]) => (messages ?? []).map((message) => ({ field, message })));
  if (list.length === 0) return null;
  return (
    <div className="usa-alert usa-alert--error usa-alert--slim" role="alert">
      <div className="usa-alert__body">
        <p className="usa-alert__text">Some filters could not be used:</p>
        <ul className="usa-list">
          {list.map(({ field, message }) => (
            <li key={`${field}:${message}`}>
              <a href={`#${field}`}>{message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
