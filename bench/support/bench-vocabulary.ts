import type { SeededRandom } from './seeded-random.js';

/**
 * Word lists the synthetic memories and chat turns are made of. Wide enough that
 * full-text search sees a realistic spread of term frequencies: some words (cities,
 * "flight") are common across users, others (a dish, a colleague) are rare.
 */
const SLOTS = {
  name: list(
    'Alice|Bruno|Chloe|Dmitri|Elena|Farah|Gustavo|Hana|Ivan|Jonas|Keiko|Liam|Maya|Nadia|Omar|Priya|Quentin|Rosa|Sven|Tariq',
  ),
  person: list(
    'Anna|Ben|Carla|David|Emma|Felix|Grace|Hugo|Isabel|Jakob|Lena|Marco|Nora|Oscar|Paula|Rafael|Sofia|Tom|Vera|Yusuf',
  ),
  city: list(
    'Lisbon|Porto|Madrid|Barcelona|Paris|Lyon|Berlin|Munich|Vienna|Prague|Amsterdam|Copenhagen|Stockholm|Oslo|Dublin|Edinburgh|London|Rome|Milan|Athens|Istanbul|Tokyo|Seoul|Singapore|Sydney|Toronto|Montreal|Boston|Chicago|Denver|Seattle|Austin|Mexico City|Lima',
  ),
  job: list(
    'nurse|software engineer|architect|teacher|data analyst|pharmacist|product manager|lawyer|photographer|civil engineer|chef|accountant',
  ),
  airline: list('TAP|Lufthansa|KLM|Air France|Iberia|British Airways|SAS|Delta'),
  tier: list('silver|gold|platinum|basic'),
  allergen: list('peanuts|shellfish|gluten|lactose|penicillin|cats|pollen'),
  month: list(
    'January|February|March|April|May|June|July|August|September|October|November|December',
  ),
  car: list('Volvo estate|electric Renault|Toyota hybrid|old Golf|Tesla|Fiat Panda'),
  carClass: list('compact|economy|SUV|electric|premium'),
  seat: list('window|aisle|exit row|front row'),
  cuisine: list(
    'Japanese|Italian|Portuguese|Thai|Indian|Mexican|Lebanese|Greek|vegetarian|vegan|Ethiopian|Korean',
  ),
  dish: list(
    'ramen|grilled sardines|pad thai|risotto|tacos al pastor|falafel|moussaka|bibimbap|dal makhani|pastel de nata|sushi|shakshuka',
  ),
  landmark: list(
    'the old town|the train station|the river|the conference centre|the airport|the cathedral|the beach|the university',
  ),
  amenity: list('gym|quiet room|pool|late checkout|good desk|kitchenette'),
  partOfDay: list('morning|early afternoon|late afternoon'),
  weekday: list('Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday'),
  style: list('short and direct|detailed with sources|in bullet points|friendly and casual'),
  occasion: list('wedding|conference|birthday|job interview|family reunion|marathon'),
  project: list('Atlas|Borealis|Cedar|Delta migration|Everest|Falcon|Greenhouse'),
  emotion: list('anxious|relieved|frustrated|excited|disappointed|proud|stressed'),
  hour: list('7:30|8:15|9:00|10:45|13:00|14:30|16:00|18:20|21:05'),
  count: list('two|three|four|five|six'),
} as const;

export type Slot = keyof typeof SLOTS;

/** '|' separates entries, so an entry may hold spaces ('software engineer'). */
function list(entries: string): readonly string[] {
  return entries.split('|');
}

/** Replaces each `{slot}` in `template` with a word drawn from that slot's list. */
export function fillTemplate(template: string, random: SeededRandom): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (!(slot in SLOTS)) throw new Error(`unknown template slot {${slot}}`);
    return random.pick(SLOTS[slot as Slot]);
  });
}
