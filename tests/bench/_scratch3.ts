import { syntheticInput } from './scoring-engine';
import { computeResults } from '../../scoring/index';
const large = syntheticInput({ vendors: 100, criteria: 200, evaluators: 30 }, 2);
for (let i=0;i<5;i++) { (globalThis as any).__t = []; computeResults({...large, options: {monteCarloDraws: 0}}); const t=(globalThis as any).__t; console.log(t.slice(1).map((x:any,k:number)=>`${t[k][0]}:${(x[1]-t[k][1]).toFixed(0)}`).join(' ')); }
