/** A mistake in how a command was called: the CLI exits 2 and points at --help (a refusal of the work itself exits 1). */
export class UsageError extends Error {}
