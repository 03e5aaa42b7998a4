import type { NewMemory } from '../../store/records.js';
import { cleanValue, slug } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

interface FactPattern {
  pattern: RegExp;
  /** A value this pattern must not take ("Italian" is no name, "next Friday" no birthday). */
  reject?: RegExp;
  /** The subject key: a changed fact with the same key supersedes the old one. */
  subjectKey: (match: RegExpExecArray) => string;
  content: (value: string, match: RegExpExecArray) => string;
  confidence: number;
}

/** A proper noun phrase: "Lisbon", "New York", "Acme Corp", "São Paulo". */
const PROPER = "(\\p{Lu}[\\p{L}.'&-]*(?:\\s+(?:de |da |do |of |the )?\\p{Lu}[\\p{L}.'&-]*)*)";
const PROFESSIONS =
  'engineer|developer|designer|teacher|nurse|doctor|manager|lawyer|student|consultant|accountant|architect|scientist|researcher|writer|journalist|analyst|programmer|chef|pilot|photographer|artist|founder|entrepreneur|professor|dentist|pharmacist|electrician|marketer|salesperson|product manager';
const RELATIVES =
  'wife|husband|partner|son|daughter|kid|kids|child|children|mom|mother|dad|father|brother|sister|boyfriend|girlfriend|boss|colleague';
/** Nationalities and other capitalised words that follow "I'm" without being a name. */
const NOT_A_NAME =
  /^(?:American|Canadian|Mexican|Brazilian|Argentinian|Colombian|Chilean|Peruvian|British|English|Scottish|Welsh|Irish|French|German|Dutch|Belgian|Swiss|Austrian|Italian|Spanish|Portuguese|Greek|Turkish|Polish|Czech|Swedish|Norwegian|Danish|Finnish|Russian|Ukrainian|Romanian|Hungarian|Israeli|Egyptian|Moroccan|Nigerian|Kenyan|Ethiopian|South African|Indian|Pakistani|Bangladeshi|Nepali|Chinese|Japanese|Korean|Vietnamese|Thai|Filipino|Indonesian|Malaysian|Singaporean|Australian|Jewish|Muslim|Catholic|Hindu|Buddhist|OK|Okay|Fine|Sorry|Back|Here|Ready|Done|Good|Great|Just|So|Not|Still|Also)$/u;
const RELATIVE_DATE =
  /\b(?:today|tonight|tomorrow|yesterday|next|this|last|in \w+ (?:days?|weeks?)|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const EMAIL = '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+';
const STACK_PARTS =
  'database|db|stack|framework|language|backend|frontend|cloud|cloud provider|ci|linter|linting|test runner|tests|unit tests|orm|hosting|cluster|queue|cache|editor|ide|monorepo|package manager|build tool|bundler|runtime|crm|erp';
const DIETS = 'vegetarian|vegan|pescatarian|gluten[- ]free|lactose intolerant|kosher|halal';

const PATTERNS: FactPattern[] = [
  {
    pattern: new RegExp(`\\bmy name is ${PROPER}`, 'u'),
    subjectKey: () => 'name',
    content: (value) => `Name is ${value}`,
    confidence: 0.95,
  },
  {
    // "Hi, I'm Priya." / "I'm Priya Patel, a data scientist": the name is all the clause
    // says, or what comes before a comma; nationalities and "OK" are rejected below.
    pattern:
      /^(?:(?:[Hh]i|[Hh]ello|[Hh]ey)\b[,!]?\s*)?I'm (\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)(?=\s*(?:[,.!]|$|and\b))/u,
    subjectKey: () => 'name',
    content: (value) => `Name is ${value}`,
    confidence: 0.8,
    reject: NOT_A_NAME,
  },
  {
    pattern: new RegExp(`\\b(?:call me|I'm called|I am called) ${PROPER}`, 'u'),
    subjectKey: () => 'name',
    content: (value) => `Goes by ${value}`,
    confidence: 0.85,
  },
  {
    pattern: new RegExp(
      `\\b(?:I (?:currently |still |now )?live in|I'm based in|I am based in|I (?:just |recently )?moved to|I relocated to|(?<!\\b(?:was|were|been|used to be) )(?:living|based) in) ${PROPER}`,
      'u',
    ),
    subjectKey: () => 'home_city',
    content: (value) => `Lives in ${value}`,
    confidence: 0.9,
  },
  {
    pattern: new RegExp(`\\b(?:I'm|I am|I come) (?:originally )?from ${PROPER}`, 'u'),
    subjectKey: () => 'origin',
    content: (value) => `Is from ${value}`,
    confidence: 0.85,
  },
  {
    pattern: new RegExp(
      `\\b(?:I (?:currently |now |still )?work (?:at|for)|I'm employed (?:at|by)|I am employed (?:at|by)|I joined) ${PROPER}`,
      'u',
    ),
    subjectKey: () => 'employer',
    content: (value) => `Works at ${value}`,
    confidence: 0.9,
  },
  {
    // "I'm a product manager at Spotify": the employer rides on the occupation.
    pattern: new RegExp(
      `\\b(?:I work as an?|I'm an?|I am an?) (?:[\\w-]+ ){0,2}(?:${PROFESSIONS}) (?:at|for) ${PROPER}`,
      'u',
    ),
    subjectKey: () => 'employer',
    content: (value) => `Works at ${value}`,
    confidence: 0.85,
  },
  {
    // An appositive after a name: "I'm Priya Patel, a data scientist at Stripe".
    pattern: new RegExp(
      `\\b(?:I'm|I am) [^,]+, an? (?:[\\w-]+ ){0,2}(?:${PROFESSIONS}) (?:at|for) ${PROPER}`,
      'u',
    ),
    subjectKey: () => 'employer',
    content: (value) => `Works at ${value}`,
    confidence: 0.85,
  },
  {
    pattern: new RegExp(
      `\\b(?:I work as an?|I'm an?|I am an?|(?:I'm|I am) [^,]+, an?) ((?:[\\w-]+ ){0,2}(?:${PROFESSIONS}))\\b`,
      'i',
    ),
    subjectKey: () => 'occupation',
    content: (value) => `Works as ${/^[aeiou]/i.test(value) ? 'an' : 'a'} ${value}`,
    confidence: 0.85,
  },
  {
    pattern: new RegExp(`\\b(?:I'm|I am|I eat) (?:a |an |strictly |fully )?(${DIETS})\\b`, 'i'),
    subjectKey: () => 'diet',
    content: (value) => `Diet: ${value.toLowerCase()}`,
    confidence: 0.9,
  },
  {
    pattern: /\bI (?:don't|do not|never) eat (meat|fish|pork|beef|dairy|eggs|gluten|seafood)\b/i,
    subjectKey: (match) => `diet:no_${slug(match[1] ?? '')}`,
    content: (value) => `Does not eat ${value.toLowerCase()}`,
    confidence: 0.85,
  },
  {
    pattern: /\b(?:I'm|I am) allergic to ([\w -]+)/i,
    subjectKey: (match) => `allergy:${slug(cleanValue(match[1] ?? ''))}`,
    content: (value) => `Allergic to ${value}`,
    confidence: 0.9,
  },
  {
    // Travel companions' and family's allergies matter when booking for them too.
    pattern: new RegExp(`\\bmy (${RELATIVES}) (?:is|are) allergic to ([\\w -]+)`, 'i'),
    subjectKey: (match) => `allergy:${slug(match[1] ?? '')}:${slug(cleanValue(match[2] ?? ''))}`,
    content: (value, match) =>
      `${capitalize((match[1] ?? '').toLowerCase())} is allergic to ${value}`,
    confidence: 0.85,
  },
  {
    pattern:
      /\b(?:I|we) have (an?|one|two|three|four|five|\d+) (dogs?|cats?|kids?|children|child|sons?|daughters?|brothers?|sisters?)\b/i,
    subjectKey: (match) => `household:${slug(match[2] ?? '').replace(/(?:ren|s)$/, '')}`,
    content: (value, match) => `Has ${match[1]?.toLowerCase()} ${value}`,
    confidence: 0.85,
  },
  {
    // "my birthday is March 3", "my wife's name is Ana", "my favorite color is green".
    pattern:
      /\bmy ((?:[\w']+ ){0,2}?(?:birthday|name|email|phone number|number|address|favou?rite [\w]+|wife's name|husband's name|partner's name|son's name|daughter's name|dog's name|cat's name|budget|seat preference|timezone|time zone)) is ([^,;]+)/i,
    subjectKey: (match) => slug((match[1] ?? '').replace(/favourite/i, 'favorite')),
    content: (value, match) => `${capitalize(match[1] ?? '')} is ${value}`,
    confidence: 0.9,
    // "My mom's birthday is next Saturday" is a plan (a temporal event), not a lasting fact.
    reject: RELATIVE_DATE,
  },
  {
    // After "my <attribute> is" on purpose: for "My email is a@b.c if…" both answer the
    // key `email`, and this cleaner reading, listed last, is the one kept.
    pattern: new RegExp(
      `\\b(?:(?:my|the|our) (?:new |current |work |personal )?(?:e-?mail(?: address)?|address|contact(?: email)?) is(?: now)?|reach me at|email me at|contact me at|write to me at) (${EMAIL})`,
      'i',
    ),
    subjectKey: () => 'email',
    content: (value) => `Email is ${value}`,
    confidence: 0.9,
  },
  {
    // The team's stack: "Our production database is Postgres 16 on RDS".
    pattern: new RegExp(
      `\\bour ((?:[\\w-]+ ){0,2}?(?:${STACK_PARTS})) (?:is|are|runs on|run on|is on|are on|uses|use) (?:now )?([^,;]+)`,
      'i',
    ),
    subjectKey: (match) => `stack:${slug(match[1] ?? '')}`,
    // "Tech stack" in the wording: retrieval for coding work asks for the stack.
    content: (value, match) => `Tech stack (${(match[1] ?? '').toLowerCase()}): ${value}`,
    confidence: 0.8,
  },
  {
    // "We switched our linting to Biome", "we migrated to Vitest": the new tool replaces the old.
    pattern: new RegExp(
      `\\bwe (?:just |recently |finally )?(?:switched|moved|migrated) (?:our |the )?((?:[\\w-]+ ){0,2}?(?:${STACK_PARTS}) )?(?:over )?to ([\\p{L}\\d.+#-]+(?: \\d+)?)`,
      'iu',
    ),
    subjectKey: (match) => `stack:${slug(match[1] ?? 'tooling')}`,
    content: (value, match) =>
      `Tech stack (${(match[1] ?? 'tooling').trim().toLowerCase()}): ${value}`,
    confidence: 0.8,
  },
];

/**
 * Facts the user states about themselves: name, home city, origin, employer,
 * occupation, diet, allergies, household, and "my <attribute> is …". Each fact has a
 * subject key (`home_city`, `employer`, `name`, `diet`…) so a changed fact supersedes
 * the old one in the store. Negated statements ("I don't live in…") never match,
 * because the patterns need the verb right after "I".
 */
export const factRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const memories: NewMemory[] = [];
  for (const fact of PATTERNS) {
    const match = fact.pattern.exec(clause.text);
    if (!match) continue;
    // The value is always the last group; earlier groups feed the key or the wording.
    const value = cleanValue(match.at(-1) ?? '');
    if (value === '' || fact.reject?.test(value)) continue;
    memories.push(
      completeMemory(
        {
          memoryType: 'facts',
          content: fact.content(value, match),
          confidence: fact.confidence,
          entityId: value,
          subjectKey: fact.subjectKey(match),
        },
        message,
        clause,
      ),
    );
  }
  return memories;
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
