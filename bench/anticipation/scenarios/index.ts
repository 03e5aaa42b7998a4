import type { ScenarioInput } from '../scenario.js';
import { B2B } from './b2b.js';
import { CODING } from './coding.js';
import { FINANCE } from './finance.js';
import { SCHEDULING } from './scheduling.js';
import { SHOPPING } from './shopping.js';
import { SUPPORT } from './support.js';
import { TRAVEL } from './travel.js';

/** Every scenario of the anticipation bench, unparsed: `checkScenarios` parses them. */
export const SCENARIO_INPUTS: readonly ScenarioInput[] = [
  ...TRAVEL,
  ...CODING,
  ...SUPPORT,
  ...FINANCE,
  ...SCHEDULING,
  ...SHOPPING,
  ...B2B,
];
