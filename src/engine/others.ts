import type { Candidate } from './candidate-ranking.js';

/** Words that start a sentence with a capital and name no one. */
const STARTERS = new Set(
  'I Im Ive Id My Our We The A An It Its This That These Those He She They His Her Their There Here Yes No Ok Okay Also And But So Just Now Then When If Got Had Was Felt Sounded Celebrated Flew Missed Prefers Likes Books Wants Flight Dentist Conference Always Never Diet'.split(
    ' ',
  ),
);
/** What a recurring subject's statements keep of their score when the event names it not. */
const OTHERS_SHARE = 0.6;

/** The name a statement opens with ("Rosa is allergic …", "Rosa's passport …"), lower case. */
function openingName(text: string): string | undefined {
  const match = /^(?:user: |assistant: )?(\p{Lu}[\p{L}-]+)(?:'s)?\s+\p{Ll}/u.exec(text);
  const name = match?.[1];
  return name && !STARTERS.has(name) ? name.toLowerCase() : undefined;
}

/**
 * Statements about someone else the event does not name: a name that opens two or more
 * of the user's memories ("Rosa is allergic to peanuts", "Rosa drives a Fiat") is a
 * person or thing of the user's life other than the user, and what it does matters to
 * an action only when the action names it (or the entity hop finds it named by a best
 * item). Those statements keep `OTHERS_SHARE` of their score.
 */
export function demoteOthers(
  candidates: readonly Candidate[],
  eventWords: ReadonlySet<string>,
): Candidate[] {
  const counts = new Map<string, number>();
  const names = candidates.map((candidate) =>
    candidate.item.source === 'memories' ? openingName(candidate.item.content) : undefined,
  );
  for (const name of names) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  return candidates.map((candidate, at) => {
    const name = names[at];
    if (!name || (counts.get(name) ?? 0) < 2 || eventWords.has(name)) return candidate;
    const score = candidate.score * OTHERS_SHARE;
    return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
  });
}
