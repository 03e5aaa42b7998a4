/**
 * Words that tell a name from what only looks like one at the head of a sentence, shared
 * by the readers of "Rosa is …" (others.ts) and "my cofounder amara handles …"
 * (relation-rule.ts).
 */

/** What follows a subject: an auxiliary, a modal, an adverb of frequency or degree. */
export const AFTER_SUBJECT =
  /^(?:is|was|has|had|can|can't|cannot|could|will|won't|would|does|doesn't|did|didn't|should|must|may|might|just|still|also|always|never|only|really|finally|usually|often)$/;

/** A capitalised word that is a day or a month, not a name: a date is no one. */
export const CALENDAR_WORD =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Today|Tomorrow|Yesterday)\b/;
