import type { NewMemory } from '../../store/records.js';
import { partsHolding, splitClauses } from './clause.js';
import { emotionRule } from './emotion-rule.js';
import { episodeRule } from './episode-rule.js';
import type { ExtractionInput, Extractor } from './extractor.js';
import { factRule } from './fact-rule.js';
import type { ExtractionRule } from './memory-draft.js';
import { preferenceRule } from './preference-rule.js';
import { relationRule } from './relation-rule.js';
import { siblingValidities } from './sibling-validity.js';
import { statementRule } from './statement-rule.js';
import { temporalRule } from './temporal-rule.js';
import { findValidity, type Validity } from './validity.js';

/** The rules the default extractor runs, in the order their memories are listed. */
export const DEFAULT_RULES: readonly ExtractionRule[] = [
  factRule,
  preferenceRule,
  temporalRule,
  emotionRule,
  episodeRule,
];

export interface RuleExtractorOptions {
  /** The rules to run on every clause of a user turn; default `DEFAULT_RULES`. */
  rules?: readonly ExtractionRule[];
  /**
   * The rule for a clause none of `rules` understood; default `statementRule` (the
   * clause as a fact of its own); `null` keeps such clauses out of memory.
   */
  fallbackRule?: ExtractionRule | null;
  /** Also read who is who in passing ("my goddaughter Ivy …", relation-rule.ts). Default true. */
  relations?: boolean;
}

/**
 * The deterministic, offline extractor: English rules over the clauses of user turns.
 * Assistant turns are skipped, since what the assistant says is no evidence about the
 * user. Within one message, a memory stated twice (the same type, subject and content,
 * or the same subject key) is kept once, the last statement winning, as the store would.
 *
 * @example
 * const memories = await new RuleExtractor().extract({ messages });
 */
export class RuleExtractor implements Extractor {
  readonly #rules: readonly ExtractionRule[];
  readonly #fallbackRule: ExtractionRule | null;
  readonly #relations: boolean;

  constructor(options: RuleExtractorOptions = {}) {
    this.#relations = options.relations ?? true;
    this.#rules = options.rules ?? DEFAULT_RULES;
    this.#fallbackRule = options.fallbackRule === undefined ? statementRule : options.fallbackRule;
  }

  async extract(input: ExtractionInput): Promise<NewMemory[]> {
    const memories: NewMemory[] = [];
    for (const message of input.messages) {
      if (message.role !== 'user') continue;
      const byKey = new Map<string, NewMemory>();
      const clauses = splitClauses(message.content);
      // "The offer is valid through March 3": whatever the clause states ends then, but
      // not a statement about someone else that a comma joined to it. A clause may also
      // take its end from a neighbour of the same turn (sibling-validity.ts).
      const validities = siblingValidities(
        clauses,
        clauses.map((clause) =>
          findValidity(partsHolding(clause.sentence, clause.text), message.recordedAt),
        ),
      );
      clauses.forEach((clause, at) => {
        let found = this.#rules.flatMap((rule) => rule(clause, message));
        if (found.length === 0 && this.#fallbackRule) found = this.#fallbackRule(clause, message);
        // Who is who, said in passing, beside whatever the clause said.
        if (this.#relations) found = [...found, ...relationRule(clause, message)];
        const validity: Validity | null = validities[at] ?? null;
        for (const memory of found) {
          // A span said with the event outlasts its one day: "starting a cut today, 1900
          // calories a day for the next 5 weeks" holds for five weeks.
          const outlasts =
            validity !== null &&
            memory.validUntil !== null &&
            validity.validUntil.getTime() > memory.validUntil.getTime();
          if (validity && (memory.validUntil === null || validity.validFrom !== null || outlasts)) {
            memory.validUntil = validity.validUntil;
            // A range's first day is when it starts to hold (time-overlap.ts reads it).
            if (validity.validFrom && memory.eventDate === null) {
              memory.eventDate = validity.validFrom;
            }
            memory.metadata = { ...memory.metadata, valid_text: validity.text };
          }
          const key = `${memory.memoryType}|${memory.scope}|${memory.subjectKey || memory.content}`;
          byKey.delete(key);
          byKey.set(key, memory);
        }
      });
      memories.push(...byKey.values());
    }
    return memories;
  }
}
