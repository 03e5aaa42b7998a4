import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '../support/seeded-random.js';
import type { ScenarioInput } from './scenario.js';
import { resolveDatesDeep } from './scenario-dates.js';
import { SCENARIO_INPUTS } from './scenarios/index.js';

/**
 * The scenario sets of the anticipation bench:
 * - `regression`: the 30 scenarios written with the engine (scenarios/*.ts);
 * - `development` and `held-out`: scenario-set-2/*.json, written apart from the engine
 *   and split once at random (split.json): a third to develop against, two thirds held
 *   out, run only to report. A held-out scenario that ever drove a change moves to the
 *   development part;
 * - `development-2`: scenario-set-3/*.json, written later the same way (apart from the
 *   engine, by someone who had not read it) to develop against once `development` no
 *   longer showed what fails: every scenario of it is for development, none held out;
 * - `development-3`: scenario-set-4/*.json, written the same way once `development-2`
 *   was mostly passing, with the same six classes in equal parts.
 * Last in the list, a set added later leaves the others' seeded memories as they were.
 */
export const SCENARIO_SETS = [
  'regression',
  'development',
  'held-out',
  'development-2',
  'development-3',
] as const;
export type ScenarioSet = (typeof SCENARIO_SETS)[number];

const SET_2 = join(dirname(fileURLToPath(import.meta.url)), 'scenario-set-2');
const SET_3 = join(dirname(fileURLToPath(import.meta.url)), 'scenario-set-3');
const SET_4 = join(dirname(fileURLToPath(import.meta.url)), 'scenario-set-4');
const SPLIT_FILE = join(SET_2, 'split.json');
// Fixed so the split, made once, can be made again identically from the same files.
const SPLIT_SEED = 20261207;

interface Split {
  development: string[];
  heldOut: string[];
}

/** The set's scenarios, unparsed (`checkScenarios` parses them), dates resolved against `now`. */
export function scenarioInputs(set: ScenarioSet, now: Date): ScenarioInput[] {
  if (set === 'regression') return [...SCENARIO_INPUTS];
  if (set === 'development-2') return readSetDir(SET_3, now);
  if (set === 'development-3') return readSetDir(SET_4, now);
  const all = readSetDir(SET_2, now);
  const split = readSplit(all);
  const wanted = new Set(set === 'development' ? split.development : split.heldOut);
  return all.filter((scenario) => wanted.has(scenario.id));
}

function readSetDir(dir: string, now: Date): ScenarioInput[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'split.json')
    .sort()
    .flatMap((name) => {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (!Array.isArray(parsed)) throw new Error(`${name}: must hold a JSON array of scenarios`);
      return resolveDatesDeep(parsed as ScenarioInput[], now);
    });
}

/**
 * The split, made on first use and committed: a third of each difficulty class to
 * develop against, chosen by a seeded shuffle. Scenarios added later go held out.
 */
function readSplit(all: readonly ScenarioInput[]): Split {
  if (existsSync(SPLIT_FILE)) {
    const split = JSON.parse(readFileSync(SPLIT_FILE, 'utf8')) as Split;
    const known = new Set([...split.development, ...split.heldOut]);
    const added = all.map((scenario) => scenario.id).filter((id) => !known.has(id));
    return { development: split.development, heldOut: [...split.heldOut, ...added] };
  }
  const random = new SeededRandom(SPLIT_SEED);
  const split: Split = { development: [], heldOut: [] };
  const byClass = new Map<string, string[]>();
  for (const scenario of all) {
    const key = scenario.difficulty ?? 'none';
    byClass.set(key, [...(byClass.get(key) ?? []), scenario.id]);
  }
  for (const ids of byClass.values()) {
    const shuffled = [...ids];
    for (let at = shuffled.length - 1; at > 0; at--) {
      const other = random.integer(0, at);
      [shuffled[at], shuffled[other]] = [shuffled[other] as string, shuffled[at] as string];
    }
    const cut = Math.round(shuffled.length / 3);
    split.development.push(...shuffled.slice(0, cut));
    split.heldOut.push(...shuffled.slice(cut));
  }
  writeFileSync(SPLIT_FILE, `${JSON.stringify(split, null, 2)}\n`);
  return split;
}
