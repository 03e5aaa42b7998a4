import type { AnticipationEvent } from './anticipator.js';

/**
 * Rules about money that an action's amount brings into play: "legal has to look at
 * anything over $50k", "I'm capping dining out at $200 this month", "no single purchase
 * above 300 euros". Such a memory shares no word with `send_contract {annual_value:
 * 80000}` or "can I afford a $120 dinner?", yet it is what the agent must respect.
 */
export interface AmountBound {
  kind: 'over' | 'cap';
  amount: number;
}

const MAX_DEPTH = 3;
const MAX_AMOUNTS = 16;
/** A cap speaks to amounts of its order: a $200 dining cap to a $120 dinner, not to a $3 coffee nor a $90k salary. */
const CAP_RANGE = 10;

/** An amount as people write money: "$50k", "€1,200", "80k", "2.5m", "300 euros", "USD 40". */
const MONEY = String.raw`(?:[$€£]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn)?\b|(?:usd|eur|gbp)\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m)?\b|\d[\d,]*(?:\.\d+)?\s?(?:k|m)\b|\d[\d,]*(?:\.\d+)?\s?(?:dollars|bucks|euros?|pounds|usd|eur|gbp)\b)`;
/** Money anywhere in a text (an argument value, a turn); `matchAll` copies it per use. */
const MONEY_ANYWHERE = new RegExp(MONEY, 'gi');
const OVER = new RegExp(
  String.raw`\b(?:over|above|more than|greater than|exceeding|in excess of|at least|upwards of|north of)\s+(${MONEY})`,
  'gi',
);
const CAP = new RegExp(
  String.raw`\b(?:under|below|less than|up to|at most|no more than|max(?:imum)?|cap(?:ped|ping)?|limit(?:ed)?|budget(?:ed)?|spend(?:ing)?(?: limit)?)\b(?:\s+\w+){0,4}?\s+(?:at|of|to|is)?\s*(${MONEY})`,
  'gi',
);
/** Argument keys whose numbers are money, not counts or durations. */
const MONEY_KEY =
  /(?:amount|price|cost|value|total|budget|fee|salary|rent|payment|spend|limit|fare|deposit|balance|sum)/i;

/** The amount a money phrase states, in units ("$50k" → 50000); NaN when none. */
export function parseMoney(text: string): number {
  const match = /(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn)?\b/i.exec(text);
  if (!match) return Number.NaN;
  const value = Number((match[1] ?? '').replace(/,/g, ''));
  const scale = { k: 1e3, m: 1e6, bn: 1e9 }[(match[2] ?? '').toLowerCase() as 'k' | 'm' | 'bn'];
  return value * (scale ?? 1);
}

/** The money bounds a memory states. */
export function amountBounds(text: string): AmountBound[] {
  const bounds: AmountBound[] = [];
  for (const [kind, pattern] of [
    ['over', OVER],
    ['cap', CAP],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      const amount = parseMoney(match[1] ?? '');
      if (Number.isFinite(amount) && amount > 0) bounds.push({ kind, amount });
    }
  }
  return bounds;
}

/**
 * The amounts of money an event is about: numbers under money-like argument keys
 * ("annual_value": 80000, "amount": "1,200"), and money written in its argument values
 * or its turn ("a $120 dinner", "900 euro holiday").
 */
export function eventAmounts(event: Pick<AnticipationEvent, 'toolArgs' | 'content'>): number[] {
  const amounts: number[] = [];
  const add = (value: number) => {
    if (Number.isFinite(value) && value > 0 && amounts.length < MAX_AMOUNTS) amounts.push(value);
  };
  const moneyIn = (text: string) => {
    for (const match of text.matchAll(MONEY_ANYWHERE)) add(parseMoney(match[0]));
  };
  const visit = (value: unknown, key: string, depth: number): void => {
    if (depth > MAX_DEPTH || amounts.length >= MAX_AMOUNTS) return;
    if (typeof value === 'number' && MONEY_KEY.test(key)) add(value);
    else if (typeof value === 'string') {
      if (MONEY_KEY.test(key) && /^\s*[$€£]?\s?\d[\d,]*(?:\.\d+)?\s*$/.test(value)) {
        add(parseMoney(value));
      } else moneyIn(value);
    } else if (Array.isArray(value)) for (const entry of value) visit(entry, key, depth + 1);
    else if (typeof value === 'object' && value !== null) {
      for (const [name, entry] of Object.entries(value)) visit(entry, name, depth + 1);
    }
  };
  visit(event.toolArgs, '', 0);
  if (event.content) moneyIn(event.content);
  return amounts;
}

/**
 * True when one of the event's amounts brings a bound into play: it crosses an "over"
 * threshold, or it is of a cap's order (a tenth to ten times it).
 */
export function boundApplies(bounds: readonly AmountBound[], amounts: readonly number[]): boolean {
  return bounds.some((bound) =>
    amounts.some((amount) =>
      bound.kind === 'over'
        ? amount > bound.amount
        : amount >= bound.amount / CAP_RANGE && amount <= bound.amount * CAP_RANGE,
    ),
  );
}
