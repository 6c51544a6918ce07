/**
 * Invented people, streets, brands and handles. Given names are ordinary; family names are built
 * from made-up parts ("Quillwick", "Brambleholt") so no combination points at a real person
 * (DOMAIN.md "Synthetic data rules"). Street names are obviously invented ("Lanternfold Road").
 */
import type { Rng } from './rng.ts';

export const BOY_NAMES = [
  'Kai', 'Tyler', 'Jayden', 'Reece', 'Callum', 'Mason', 'Lewis', 'Kyle', 'Connor', 'Dylan', 'Jordan',
  'Harvey', 'Ellis', 'Leon', 'Riley', 'Brandon', 'Aiden', 'Kian', 'Josh', 'Nathan', 'Ryan', 'Jake',
  'Liam', 'Ethan', 'Owen', 'Ashton', 'Corey', 'Declan', 'Tre', 'Malachi', 'Kofi', 'Tariq', 'Zain',
  'Ayaan', 'Rhys', 'Jamal', 'Frankie', 'Alfie', 'Charlie', 'Luca', 'Marcus', 'Dexter', 'Ollie',
] as const;
export const GIRL_NAMES = [
  'Chloe', 'Leah', 'Jade', 'Kayla', 'Megan', 'Amber', 'Shannon', 'Demi', 'Tia', 'Paige', 'Keira',
  'Holly', 'Lacey', 'Nadia', 'Aaliyah', 'Ruby', 'Skye', 'Courtney', 'Ellie', 'Maisie', 'Precious',
] as const;
export const OLDER_MAN_NAMES = [
  'Gary', 'Derek', 'Trevor', 'Keith', 'Colin', 'Malcolm', 'Barry', 'Stuart', 'Graham', 'Neil', 'Dennis',
  'Raymond', 'Alan', 'Clive', 'Terry', 'Wayne', 'Martin', 'Stephen',
] as const;
export const OLDER_WOMAN_NAMES = [
  'Pauline', 'Maureen', 'Sandra', 'Brenda', 'Janet', 'Irene', 'Carol', 'Linda', 'Denise', 'Jean',
  'Margaret', 'Tracey', 'Lorraine', 'Shirley', 'Elaine',
] as const;

const SURNAME_HEADS = [
  'Quill', 'Marrow', 'Thistle', 'Bramble', 'Copper', 'Fenn', 'Lark', 'Wren', 'Ashen', 'Cobble', 'Dapple',
  'Gorse', 'Hollin', 'Kettle', 'Moss', 'Pebble', 'Rook', 'Sedge', 'Tansy', 'Umber', 'Nettle', 'Sorrel',
  'Bracken', 'Tumble', 'Wicker', 'Pudding', 'Fiddle', 'Crumble', 'Saffron', 'Juniper',
] as const;
const SURNAME_TAILS = [
  'wick', 'thorn', 'ridge', 'holt', 'wade', 'hurst', 'combe', 'fold', 'bury', 'stock', 'worth', 'by',
] as const;

export const NICKNAMES = [
  'Lil K', 'Smokey', 'Ghost', 'Tiny', 'Bugsy', 'Zeek', 'Skinz', 'Spider', 'Chops', 'Biscuit', 'Rocket',
  'Shadow', 'Lil T', 'Junior', 'Frosty', 'Peanut', 'Stitch', 'Nugget', 'Dozy', 'Scrappy', 'Big J',
  'Ratty', 'Flash', 'Pickle', 'Sonic', 'Mouse', 'Bam', 'Wizz', 'Dino', 'Noodle',
] as const;

const STREET_HEADS = [
  'Lanternfold', 'Brackwater', 'Quillby', 'Marrowdale', 'Fennick', 'Nowhere', 'Pretend', 'Makebelieve',
  'Thimblewick', 'Cobblemoor', 'Pebblegate', 'Sorrelbank', 'Gorsefield', 'Umberley', 'Wickerstone',
  'Tumbledown', 'Fiddlers', 'Kettlebrook', 'Crumblewood', 'Hollinshade', 'Daffyfield', 'Muddlecombe',
  'Larkspindle', 'Tansymere', 'Nettlecroft', 'Juniperlea', 'Saffronside', 'Imaginary', 'Fictional',
] as const;
const STREET_TAILS = ['Road', 'Street', 'Close', 'Way', 'Court', 'Terrace', 'Lane', 'Grove', 'Avenue', 'Walk', 'Drive', 'Crescent'] as const;
const BLOCKS = ['House', 'Court', 'Mansions', 'Tower', 'Heights'] as const;
const HOTEL_HEADS = ['Sleepwell', 'Restabout', 'Budgetnest', 'Snoozy', 'Quietbay', 'Stopover'] as const;

/** Line brands: one-word names as in "the Ryan line", "the Bling line" (DOMAIN.md). */
export const BRAND_WORDS = [
  'Kash', 'Bling', 'Ryan', 'Taz', 'Snow', 'Dolla', 'Ace', 'Kane', 'Jojo', 'Milli', 'Zed', 'Flex', 'Buzz',
  'Jay', 'Tony', 'Max', 'Obi', 'Rico', 'Sly', 'Zoom', 'Viper', 'Mello', 'Blaze', 'Ozzy', 'Deano', 'Scooby',
  'Kobe', 'Drippy', 'Gino', 'Vinny', 'Moose', 'Stak', 'Nitro', 'Bravo', 'Krispy', 'Tilly', 'Dizzy',
  'Fresh', 'Bossman', 'Turbo', 'Lemon', 'Mango', 'Cherry', 'Pepsi', 'Dusty', 'Rolex', 'Benji', 'Leo',
  'Marley', 'Tiger', 'Eagle', 'Pablo', 'Sparky', 'Rambo', 'Teddy', 'Jinx', 'Koko', 'Paco', 'Rudy',
  'Sid', 'Spence', 'Trigga', 'Winnie', 'Yoyo', 'Zippy', 'Banjo', 'Cookie', 'Diesel', 'Echo', 'Fizz',
  'Gizmo', 'Hendo', 'Indy', 'Jax', 'Kenzo', 'Loco', 'Magic', 'Nemo', 'Onyx', 'Pixie', 'Quincy', 'Razz',
  'Sonny', 'Tank', 'Ultra', 'Vex', 'Wolfie', 'Xander', 'Yardie', 'Ziggy', 'Bolt', 'Coco', 'Duke',
  'Elvis', 'Fury', 'Goldie', 'Hustle', 'Icy', 'Jester', 'King', 'Lucky', 'Mystic', 'Neon', 'Ollie',
  'Prince', 'Rebel', 'Smudge', 'Titan', 'Venom', 'Whizz', 'Zulu', 'Boots', 'Charlie', 'Dodge', 'Ginger',
] as const;
const BRAND_PREFIXES = ['Big', 'Lil', 'Don', 'Young', 'Old'] as const;

/** Deterministic brand for the i-th line: unique words first, then "Big Kash"-style variants, then reuse (real brands repeat nationally). */
export function brandFor(index: number, order: readonly string[]): string {
  const n = order.length;
  const base = order[index % n]!;
  const round = Math.floor(index / n);
  if (round === 0) return base;
  const prefix = BRAND_PREFIXES[(round - 1) % BRAND_PREFIXES.length]!;
  return round <= BRAND_PREFIXES.length ? `${prefix} ${base}` : base;
}

export function familyName(rng: Rng): string {
  return rng.pick(SURNAME_HEADS) + rng.pick(SURNAME_TAILS);
}

export function givenName(rng: Rng, sex: 'male' | 'female', age: number): string {
  if (age >= 35) return sex === 'male' ? rng.pick(OLDER_MAN_NAMES) : rng.pick(OLDER_WOMAN_NAMES);
  return sex === 'male' ? rng.pick(BOY_NAMES) : rng.pick(GIRL_NAMES);
}

export function streetName(rng: Rng): string {
  return `${rng.pick(STREET_HEADS)} ${rng.pick(STREET_TAILS)}`;
}

/** First line of an invented address for the given use. */
export function addressLine(rng: Rng, use: 'cuckooed' | 'trap_house' | 'hotel' | 'short_let'): string {
  if (use === 'hotel') return `${rng.pick(HOTEL_HEADS)} Inn, ${rng.int(1, 90)} ${streetName(rng)}`;
  if (use === 'short_let' || rng.chance(0.3)) {
    return `Flat ${rng.int(1, 24)}, ${rng.pick(STREET_HEADS)} ${rng.pick(BLOCKS)}`;
  }
  return `${rng.int(1, 140)} ${streetName(rng)}`;
}

const HANDLE_WORDS = ['food', 'deliveries', 'plug', 'money', 'work', 'moves', 'gang', 'official', 'uk', 'north', 'vip', 'menu'] as const;

/** An invented social media handle (lower case, no "@"). */
export function handleFor(rng: Rng, stem: string): string {
  const clean = stem.toLowerCase().replace(/[^a-z0-9]/g, '');
  const sep = rng.pick(['_', '.', '', '_'] as const);
  const tail = rng.chance(0.5) ? rng.pick(HANDLE_WORDS) : '';
  const digits = rng.chance(0.6) ? String(rng.int(1, 99)) : '';
  const h = `${clean}${tail ? sep + tail : ''}${digits}`;
  return h.length >= 4 ? h : `${h}${sep}x${rng.int(10, 99)}`;
}
