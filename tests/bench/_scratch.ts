import { syntheticInput } from './scoring-engine';
import { computeResults, validateInput } from '../../scoring/index';
const small = syntheticInput({ vendors: 25, criteria: 60, evaluators: 12 }, 1);
const large = syntheticInput({ vendors: 100, criteria: 200, evaluators: 30 }, 2);
function t(name: string, fn: () => unknown, n = 15) { for (let i=0;i<3;i++) fn(); const ts=[]; for (let i=0;i<n;i++){const s=performance.now(); fn(); ts.push(performance.now()-s);} ts.sort((a,b)=>a-b); console.log(name, ts[n>>1]!.toFixed(1), ts[0]!.toFixed(1)); }
t('validate small', () => validateInput(small));
t('compute small no MC', () => computeResults({...small, options: {monteCarloDraws: 0}}));
t('compute small', () => computeResults(small));
t('validate large', () => validateInput(large), 5);
t('compute large no MC', () => computeResults({...large, options: {monteCarloDraws: 0}}), 5);
t('compute large', () => computeResults(large), 5);
