import { syntheticInput } from './scoring-engine';
import { computeResults } from '../../scoring/index';
const large = syntheticInput({ vendors: 100, criteria: 200, evaluators: 30 }, 2);
for (let i=0;i<6;i++) computeResults({...large, options: {monteCarloDraws: 0}});
