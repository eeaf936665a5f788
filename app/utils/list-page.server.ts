/**
 * One page of a long list read on the server (the RFP list, the vendor registry, users): the page asked for in the
 * address (`?page=`; a malformed one is a field error and page 1), `LIST_PAGE_SIZE` entries, and a page past the end
 * (a stale link after the list was filtered down) shows the last page.
 */
import { type FieldErrors, LIST_PAGE_SIZE, type PageInfo, pageInfo, parsePage } from './list-filters';

export type LoadWindow<T> = (window: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>;

export async function readListPage<T>(params: URLSearchParams, errors: FieldErrors, load: LoadWindow<T>): Promise<{ items: T[]; page: PageInfo }> {
  const requested = parsePage(params, errors);
  const windowOf = (page: number) => ({ limit: LIST_PAGE_SIZE, offset: (page - 1) * LIST_PAGE_SIZE });
  const first = await load(windowOf(requested));
  const page = pageInfo(first.total, LIST_PAGE_SIZE, requested);
  const items = page.page === requested ? first.items : (await load(windowOf(page.page))).items;
  return { items, page };
}
