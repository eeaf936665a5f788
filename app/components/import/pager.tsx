/** The import preview's tables page with the shared pager (their `param` and `anchor` keep the two tables apart). */
export { Pager } from '#app/components/pager';
