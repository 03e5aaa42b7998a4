import { findDate } from './date-mention.js';
import { eventSubjectKey } from './event-subject.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';
import { RESCHEDULED } from './temporal-rule.js';

const VERBS =
  'flew|went|visited|traveled|travelled|drove|moved|met|took|stayed|bought|started|finished|attended|saw|spent|lost|won|graduated|married|got married|celebrated|returned|came back|ran|climbed|hiked|quit|left|launched|retired|adopted|broke|got promoted|got engaged|got divorced|got hired|got fired|got laid off|had a baby|had surgery|switched|closed|signed|sold|renovated|published|passed|failed|finished|completed|organized|organised|hosted|shipped|built|released';
const EPISODE = new RegExp(
  `\\b(I|we|my \\w+ and I)\\s+(?:just |recently |finally |once |already |also )?(${VERBS})\\b(.*)$`,
  'i',
);
/** Life events weigh more than a trip to the shop. */
const MAJOR =
  /\b(?:moved|married|graduated|started|quit|retired|lost|won|adopted|launched|broke|promoted|engaged|divorced|hired|fired|laid off|baby|surgery|closed|sold)\b/i;
const TIME_ANCHOR =
  /\b(?:yesterday|last (?:week|month|year|summer|winter|spring|fall|autumn|weekend|night)|ago|in (?:19|20)\d{2}|when I was)\b/i;
const WITH = /\bwith ((?:my \w+|\p{Lu}\p{L}+)(?:(?:,| and) (?:my \w+|\p{Lu}\p{L}+))*)/u;

/**
 * Episodes: past-tense narrative about the user ("I flew to Tokyo last spring",
 * "we went to Porto with my sister"). Significance starts low and rises for life
 * events, a time anchor, and other people involved; participants come from "with …"
 * and from "we" / "my wife and I".
 */
export const episodeRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const match = EPISODE.exec(clause.text);
  if (!match?.[1] || !match[2]) return [];
  if (isReschedule(clause.sentence, message.recordedAt)) return [];
  const participants = participantsOf(match[1], clause.sentence);
  let significance = 0.4;
  if (MAJOR.test(match[2])) significance += 0.3;
  if (TIME_ANCHOR.test(clause.sentence)) significance += 0.1;
  if (participants.length > 0) significance += 0.1;
  return [
    completeMemory(
      {
        memoryType: 'episodes',
        content: clause.sentence.replace(/[.!\s]+$/, ''),
        confidence: 0.7,
        significance: Math.round(significance * 100) / 100,
        participants,
        temporalCategory: 'episode',
      },
      message,
      clause,
    ),
  ];
};

/** "I moved my dentist appointment to Monday" is a plan (a temporal event), not a past episode. */
function isReschedule(sentence: string, now: Date): boolean {
  if (!RESCHEDULED.test(sentence) || eventSubjectKey(sentence) === '') return false;
  const mention = findDate(sentence, now);
  return mention !== null && mention.date.getTime() >= now.getTime() - 86_400_000;
}

function participantsOf(subject: string, sentence: string): string[] {
  const people: string[] = [];
  const partner = /^my (\w+) and I$/i.exec(subject);
  if (partner?.[1]) people.push(`my ${partner[1].toLowerCase()}`);
  const company = WITH.exec(sentence);
  if (company?.[1]) {
    for (const name of company[1].split(/,\s*|\s+and\s+/)) {
      if (name && !people.includes(name)) people.push(name);
    }
  }
  return people;
}
