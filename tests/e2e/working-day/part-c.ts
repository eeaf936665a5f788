/**
 * Part C of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 */
import type { PartHooks } from './context';

export const hooks: PartHooks = {};
