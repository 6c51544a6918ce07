/**
 * Natural-language report text for the simulator: the varied, messy way the public writes. Numbers
 * in many human formats, brands, places, postcodes, vehicles and handles; indicator-bearing phrases
 * (DOMAIN.md "Indicator taxonomy") and slang (DOMAIN.md "Slang worth recognising"); typos, text
 * speak, partial and wrong details; and reports that have nothing to do with county lines.
 * Every entity written is recorded, normalised as `lookout extract` emits it, so the truth file can
 * score extraction too.
 */
import type { IndicatorCode, Mentions } from './types.ts';
import type { Rng } from './rng.ts';
import type { MobileStyle } from './phones.ts';
import { formatLandline, formatMobile, MOBILE_STYLES } from './phones.ts';
import type { PlaceModel } from './world.ts';
import { streetName } from './names.ts';

// Private-use characters mark protected spans while noise is applied; they never reach output.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';

/** Collects one text with its entities, indicators and deliberate distortions. */
export class TextBuilder {
  private readonly entities: string[] = [];
  readonly mentions: Mentions = { phone: [], vehicle: [], postcode: [], handle: [], line_name: [], place: [] };
  readonly indicators: IndicatorCode[] = [];
  readonly distorted: string[] = [];
  /** Pronoun set for phrase banks: {he} {his} {him} {He} {His}. */
  private pronouns: readonly [string, string, string] = ['he', 'his', 'him'];

  constructor(readonly rng: Rng) {}

  forPerson(sex: 'male' | 'female'): this {
    this.pronouns = sex === 'male' ? ['he', 'his', 'him'] : ['she', 'her', 'her'];
    return this;
  }

  /** Marks an indicator as present in the text. */
  ind(...codes: IndicatorCode[]): this {
    for (const c of codes) if (!this.indicators.includes(c)) this.indicators.push(c);
    return this;
  }

  /** Replaces pronoun placeholders in phrase-bank text. */
  p(text: string): string {
    const [he, his, him] = this.pronouns;
    return text
      .replace(/\{he\}/g, he)
      .replace(/\{He\}/g, he.charAt(0).toUpperCase() + he.slice(1))
      .replace(/\{his\}/g, his)
      .replace(/\{His\}/g, his.charAt(0).toUpperCase() + his.slice(1))
      .replace(/\{him\}/g, him);
  }

  /** A protected span: noise never touches it. */
  private protect(text: string): string {
    this.entities.push(text);
    return `${MARK_OPEN}${this.entities.length - 1}${MARK_CLOSE}`;
  }

  private add(list: string[], value: string): void {
    if (!list.includes(value)) list.push(value);
  }

  /** A deal-line or personal mobile; sometimes partial or with a wrong last digit (still in the drama range). */
  phone(e164: string, opts: { allowDistort?: boolean; style?: MobileStyle } = {}): string {
    const rng = this.rng;
    if (opts.allowDistort !== false) {
      const roll = rng.next();
      if (roll < 0.06) {
        this.distorted.push('phone_partial');
        const n = `0${e164.slice(3)}`;
        return this.protect(
          rng.pick([`a number ending ${n.slice(8)}`, `${n.slice(0, 5)} 900 something`, `a 07700 number, didn't get all of it`, `number ends in ${n.slice(9)}`]),
        );
      }
      if (roll < 0.1) {
        // A misheard digit: only the last three change, so the number stays in the drama range.
        const last = Number(e164.slice(-3));
        const wrong = (last + rng.int(1, 9) * (rng.chance(0.5) ? 1 : 10)) % 1000;
        e164 = `${e164.slice(0, -3)}${String(wrong).padStart(3, '0')}`;
        this.distorted.push('phone');
      }
    }
    this.add(this.mentions.phone, e164);
    return this.protect(formatMobile(e164, opts.style ?? rng.pick(MOBILE_STYLES)));
  }

  landline(e164: string): string {
    this.add(this.mentions.phone, e164);
    return this.protect(formatLandline(e164));
  }

  /** "the Kash line", "Kash line", "KASH", "the kash ting"... */
  line(brand: string): string {
    this.add(this.mentions.line_name, brand.toLowerCase());
    const lower = brand.toLowerCase();
    return this.protect(
      this.rng.choose<string>([
        [`the ${brand} line`, 40],
        [`${brand} line`, 20],
        [`the ${lower} line`, 12],
        [`${brand.toUpperCase()} line`, 6],
        [`"${brand}"`, 8],
        [`the ${brand} phone`, 6],
        [`${lower} ting`, 4],
        [`${brand} Line`, 4],
      ]),
    );
  }

  place(place: PlaceModel, allowAlias = true): string {
    this.add(this.mentions.place, place.record.name);
    if (allowAlias && place.aliases.length > 0 && this.rng.chance(0.15)) return this.protect(this.rng.pick(place.aliases));
    return this.protect(place.record.name);
  }

  /** A station name; the place it serves counts as mentioned. */
  station(place: PlaceModel): string {
    this.add(this.mentions.place, place.record.name);
    return this.protect(this.rng.chance(0.7) ? place.station : `${place.record.name} station`);
  }

  postcode(postcode: string): string {
    this.add(this.mentions.postcode, postcode);
    const r = this.rng.next();
    return this.protect(r < 0.7 ? postcode : r < 0.85 ? postcode.toLowerCase() : postcode.replace(' ', ''));
  }

  vehicle(reg: string): string {
    const rng = this.rng;
    if (rng.chance(0.15)) {
      this.distorted.push('vehicle_partial');
      return this.protect(rng.pick([`reg starting ${reg.slice(0, 4)}`, `${reg.slice(0, 2)} plate, didn't get the rest`, `reg ending ${reg.slice(4)}`]));
    }
    this.add(this.mentions.vehicle, reg);
    const spaced = `${reg.slice(0, 4)} ${reg.slice(4)}`;
    return this.protect(rng.choose<string>([[spaced, 60], [reg, 20], [spaced.toLowerCase(), 10], [`${reg.slice(0, 2)}-${reg.slice(2, 4)}-${reg.slice(4)}`, 10]]));
  }

  handle(handle: string): string {
    this.add(this.mentions.handle, handle);
    return this.protect(this.rng.choose<string>([[`@${handle}`, 70], [handle, 20], [`@${handle.toUpperCase()}`, 10]]));
  }

  /** A phrase for an indicator from the bank, pronouns filled in. */
  sign(code: IndicatorCode): string {
    this.ind(code);
    return this.p(this.rng.pick(SIGN_PHRASES[code]));
  }

  /** Resolves protected spans without noise: staff write carefully. */
  finishClean(raw: string): string {
    return raw.replace(/\s+/g, ' ').trim().replace(/\uE000(\d+)\uE001/g, (_m, i: string) => this.entities[Number(i)] ?? '');
  }

  /** Applies the noise profile and resolves protected spans. */
  finish(raw: string): string {
    const rng = this.rng;
    let text = raw.replace(/\s+/g, ' ').trim();
    // "Hi, my neighbour..." not "Hi, My neighbour...": an opener runs into the sentence.
    text = text.replace(/^((?:Hi|hiya|Not sure if this is the right place but),? )([A-Z])(?=[a-z])/, (_m, o: string, c: string) => o + c.toLowerCase());
    const style = rng.next();
    if (style < 0.25) text = textSpeak(text);
    const typoRate = rng.choose<number>([[0, 45], [0.03, 40], [0.08, 15]]);
    if (typoRate > 0) text = addTypos(text, rng, typoRate);
    // Some people write with no punctuation at all (entities keep theirs: they are still protected here).
    if (style > 0.84 && style <= 0.88) text = text.replace(/[.!]+/g, '').replace(/,/g, '');
    text = text.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => this.entities[Number(i)] ?? '');
    if (style > 0.88) text = text.toLowerCase();
    return text;
  }
}

const TEXT_SPEAK: readonly [RegExp, string][] = [
  [/\byou\b/gi, 'u'],
  [/\byour\b/gi, 'ur'],
  [/\bbecause\b/gi, 'cos'],
  [/\bpeople\b/gi, 'ppl'],
  [/\btonight\b/gi, '2nite'],
  [/\bplease\b/gi, 'pls'],
  [/\bthanks\b/gi, 'thx'],
  [/\bdon't\b/gi, 'dont'],
  [/\bI'm\b/g, 'im'],
  [/\bare\b/gi, 'r'],
];

function textSpeak(text: string): string {
  for (const [re, to] of TEXT_SPEAK) text = text.replace(re, to);
  return text;
}

/** Swaps, drops or doubles letters in some words; protected spans and short words are left alone. */
function addTypos(text: string, rng: Rng, rate: number): string {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length < 4 || w.includes(MARK_OPEN) || /\d/.test(w) || !rng.chance(rate)) continue;
    const k = rng.int(1, w.length - 2);
    const op = rng.int(0, 2);
    words[i] = op === 0 ? w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2) : op === 1 ? w.slice(0, k) + w.slice(k + 1) : w.slice(0, k) + w[k] + w.slice(k);
  }
  return words.join(' ');
}

/** Phrases that carry each indicator (DOMAIN.md taxonomy and slang). Pronouns as {he}/{his}/{him}. */
export const SIGN_PHRASES: Record<IndicatorCode, readonly string[]> = {
  missing_from_home: [
    '{he} keeps going missing for days at a time',
    "{he} didn't come home again last night",
    "{he} stays out all night and won't say where {he} was",
    'been reported missing a few times now',
  ],
  education_disruption: [
    "{he} hasn't been in school for weeks",
    '{he} is always out during school hours',
    '{his} attendance has dropped right off',
    '{he} got excluded and now just hangs about',
  ],
  out_of_area: [
    "{he} isn't from round here",
    'keeps turning up on the train on {his} own',
    '{he} says {he} is "going country" for a few days',
    'talks about going OT with the older lads',
    'gets dropped off here from out of town',
    'had train tickets in {his} pocket from miles away',
  ],
  unexplained_money_goods: [
    '{he} has new trainers and designer gear every week',
    "{he} had a wad of cash {he} couldn't explain",
    'always has money but no job',
    'turned up with a new phone and jewellery',
  ],
  multiple_phones: [
    '{he} has two phones that never stop ringing',
    "{his} phone doesn't stop going off",
    '{he} carries a cheap burner as well as {his} own phone',
    'had a bag of SIM cards',
  ],
  concerning_associates: [
    'older lads pick {him} up in a car',
    '{he} is always with older men nobody knows',
    '{he} only calls them by nicknames',
    'gets told what to do by someone on the phone',
    '{he} says the elders look after {him}',
  ],
  unexplained_injuries: [
    '{he} had a black eye and a cut hand and said {he} fell',
    "{he} had bruises {he} won't talk about",
    "{he} got hurt but wouldn't go to A&E",
  ],
  weapons: [
    '{he} was showing a knife off',
    'someone said there is a shank kept at the flat',
    'I saw a blade in {his} waistband',
    'they said they keep a ting under the bed',
  ],
  drugs_involvement: [
    'saw {him} handing small bags through car windows',
    'there were scales and cling film on the table',
    '{he} had a bag {he} would not put down',
    '{he} was holding stuff for someone',
    'selling white and brown from the flat',
    '"food" being sold out the back',
  ],
  internal_concealment: [
    'I heard them talking about plugging',
    "heard someone say {he}'s got it banked",
    'the older one told {him} to stuff it',
  ],
  debt_bondage: [
    '{he} owes them money and they keep saying {he} has to work it off',
    'got robbed and now {he} owes',
    'they gave {him} stuff on tick and now {he} is in debt',
    'they keep taxing {him}',
  ],
  fear_intimidation: [
    '{he} looks terrified',
    '{he} seems really scared of someone',
    'someone has been threatening {him}',
    '{he} jumps every time the phone goes',
  ],
  behaviour_change: [
    '{he} has completely changed, angry all the time',
    '{he} has gone really quiet and lost weight',
    '{he} dropped all {his} old friends',
  ],
  mental_health_self_harm: [
    '{he} has been self-harming',
    "{his} mental health is really bad at the moment",
  ],
  substance_misuse: [
    '{he} uses heroin and crack',
    '{he} has a drink problem',
    "{he}'s a user and they give {him} gear",
  ],
  hotel_or_unknown_address: [
    '{he} had a hotel key card on {him}',
    'staying in an Airbnb with other kids',
    '{he} has keys to a flat nobody knows about',
    'they use a short let round the corner',
  ],
  arrested_out_of_area: [
    '{he} got arrested miles away',
    '{he} got bagged by police out of town',
    'police picked {him} up in another town last week',
  ],
  online_grooming: [
    'someone messaged {him} on snap offering easy money',
    "{he}'s always on {his} phone to people {he} met online",
    'they post jobs for quick cash',
  ],
  financial_exploitation: [
    "{his} bank card is being used by someone else",
    'they take {his} benefits off {him}',
    'cards in other people\'s names at the house',
  ],
  cuckooing: [
    'people have taken over the flat',
    'young lads have moved in and {he} can\'t get them out',
    'cars and taxis at all hours, visitors every few minutes',
    'the carers have stopped going round',
    'the door has been kicked in and boarded up',
  ],
  county_lines_slang: [
    'they call it the trap',
    'the young ones are out shotting',
    'it\'s a bando now',
    'road men everywhere',
    'they say {he} is a runner for them',
  ],
  deal_line_activity: [
    'they send texts out saying food available',
    'the number texts out offers every morning',
    'cards with the number on get handed out',
    'people ring the number and someone turns up within 20 mins',
  ],
  immediate_danger: [
    'there is a fight happening right now and someone has a knife',
    "they're dragging {him} into a car right now",
    '{he} is being beaten up outside as I type',
  ],
};

const TIME_WORDS = ['last night', 'this morning', 'yesterday', 'tonight', 'on Saturday', 'at the weekend', 'most nights', 'every day this week', 'earlier'] as const;
const OPENERS = [
  '', '', '', '', 'Hi, ', 'Not sure if this is the right place but ', 'I want to stay anonymous. ', 'Please look into this. ',
  'Worried about this. ', 'Sorry if this is nothing. ', 'This has been going on for weeks. ', 'hiya ',
] as const;
const CLOSERS = ['', '', '', '', ' Please do something.', ' Thanks.', " I don't want them knowing it was me.", ' Police never come.', ' x', ' Its getting worse.'] as const;

export function timeWord(rng: Rng): string {
  return rng.pick(TIME_WORDS);
}
export function opener(rng: Rng): string {
  return rng.pick(OPENERS);
}
export function closer(rng: Rng): string {
  return rng.pick(CLOSERS);
}

/** Rough age as a reporter would guess it; sometimes well off (recorded as a distortion). */
export function guessAge(b: TextBuilder, age: number): string {
  const rng = b.rng;
  if (rng.chance(0.1)) {
    b.distorted.push('age');
    age += rng.chance(0.5) ? rng.int(3, 5) : -rng.int(3, 4);
  } else age += rng.int(-1, 1);
  return rng.pick([`about ${age}`, `${age}ish`, `maybe ${age}`, `${age} or ${age + 1}`, `no older than ${age + 1}`, `around ${age}`]);
}

/** "lad", "young girl", "man"... as a stranger would describe the person. */
export function describePerson(rng: Rng, sex: 'male' | 'female', age: number): string {
  if (age < 18) return sex === 'male' ? rng.pick(['lad', 'boy', 'young lad', 'kid', 'teenage boy']) : rng.pick(['girl', 'young girl', 'teenage girl']);
  if (age < 25) return sex === 'male' ? rng.pick(['young man', 'lad']) : rng.pick(['young woman', 'girl']);
  return sex === 'male' ? rng.pick(['man', 'bloke', 'fella']) : rng.pick(['woman', 'lady']);
}

/** Reports that have nothing to do with county lines, some sharing its everyday words ("food", "line", "spot"). */
export function irrelevantText(b: TextBuilder, place: PlaceModel, postcode: string | null, landline: string): string {
  const rng = b.rng;
  const street = streetName(rng);
  // Entities are recorded only when a template really writes them, so the mentions stay exact.
  const T = (): string => b.place(place, false);
  const PC = (): string => (postcode && rng.chance(0.4) ? ` ${b.postcode(postcode)}` : '');
  return rng.pick<() => string>([
    () => `Someone keeps parking across my drive on ${street}, ${T()}${PC()}. It's been weeks.`,
    () => `Dog mess all along ${street} in ${T()} again, the owners never pick it up.`,
    () => `Fly tipping behind the shops on ${street}${PC()}, mattresses and a fridge.`,
    () => `Loud music from a house party on ${street} ${T()} every weekend till 3am.`,
    () => `The queue for the food bank in ${T()} goes right down the line on Tuesdays, can there be more volunteers?`,
    () => `There's a massive pothole on ${street} near the school in ${T()}.`,
    () => `I keep getting scam calls from ${b.landline(landline)} pretending to be the bank.`,
    () => `Lost cat, grey and white, last seen on ${street}, ${T()}${PC()}. Please call ${b.landline(landline)}.`,
    () => `Kids playing football in the car park on ${street} and hitting cars.`,
    () => `Bit of a spot of bother at the pub in ${T()} last night, just lads shouting, nobody hurt.`,
    () => `The washing line next door keeps blowing onto my fence on ${street}.`,
    () => `Street lights out on ${street} ${T()}${PC()} for a week now, feels unsafe walking home.`,
    () => `Our meeting about the new play area is at the community centre in ${T()}, ring ${b.landline(landline)} for details.`,
    () => `Someone has been fishing off the pier with a line and leaving hooks everywhere in ${T()}.`,
    () => `A takeaway on ${street} is leaving food waste out and it's attracting rats.`,
    () => `Speeding cars on ${street}, ${T()}, someone is going to get hurt.`,
    () => `The bus shelter on ${street} has been smashed again.`,
    () => `My neighbour's burglar alarm has been going off for two days on ${street}${PC()}.`,
    () => `Just want to say thank you to the officers who helped my mum in ${T()} last week.`,
    () => `Can you tell me how to get a copy of a crime reference number? I reported my bike stolen in ${T()}.`,
  ])();
}
