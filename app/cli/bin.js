#!/usr/bin/env node
// `npx workbench …`: runs the TypeScript CLI through tsx, which also resolves the #db/… path aliases.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
