/**
 * Social media handles (Snapchat, Instagram, TikTok, X), lower case without "@". An "@" that
 * follows a letter or digit is an email address and is skipped, and so is "@7pm" (a time).
 * Without "@", a name counts after a platform label:
 *  - a handle-like name (with a digit, "_" or ".") after "snap: ", "insta is ", "tiktok called ",
 *    or "on snap with someone called " (up to four words between the platform and "called");
 *  - a plain word only after a clear label ("ig: bigjoey", "his insta is bigjoey", "tiktok is called
 *    lilrico"), never an everyday word ("insta is private", "on snapchat offering money");
 *  - a handle-like name straight after the platform ("snapchat rico.bandz") or quoted later in
 *    the sentence ("a second Snapchat, 'mia.xx.priv'");
 *  - with no platform, a handle-like or quoted name after "username", "handle", "account called".
 */
import type { HandleEntity } from './types.ts';
import { scratchMarks, SLOT } from './scratch.ts';

const AT = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)/gu;
const PLATFORM = '(?:snap ?chat|snap|sc|insta(?:gram)?|ig|tik ?tok|tt|twitter|x|telegram|kik|threads|facebook|fb|discord|signal|twitch|youtube|yt|psn|xbox|roblox|fortnite|playstation)';
const NAME = '([A-Za-z0-9_](?:[A-Za-z0-9_.-]{1,28}[A-Za-z0-9_]))';
// Groups: 1 the platform, 2 a ":"/"="/dash label, 3 "is"/"it's"/"called" label, 4 a weak label ("as", "under"), 5 the name.
const LABELLED = new RegExp(
  `(?<![\\p{L}\\p{N}])(${PLATFORM})(?:\\s+(?:name|handle|username|user ?name|account|acc|id|is))?\\s*(?:([:=]|[-–](?=\\s))|\\b((?:is|it'?s|its|was)(?:\\s+(?:called|named))?|called|named)\\b|\\b(under|as)\\b)\\s*["'“‘]?@?${NAME}`,
  'giu',
);
// "on snap with someone called rico_b22": a handle-like name a few words after the platform.
const NEAR = new RegExp(`(?<![\\p{L}\\p{N}])${PLATFORM},?\\s+(?:[\\p{L}']+,?\\s+){1,4}?(?:called|named|calls? (?:himself|herself|themselves)|as)\\s+["'“‘]?${NAME}`, 'giu');
// "snapchat rico.bandz", "his snap big.dee.ldn": a handle-like name straight after the platform.
// "on snap (its tmoney.bossin)", "Snapchat (user k1ng.d33)": a label may open a bracket.
const DIRECT = new RegExp(`(?<![\\p{L}\\p{N}])${PLATFORM}(?:\\s+\\(?(?:user|account|acc|page|profile|channel|server|from|by|he'?s|she'?s|hes|shes|they'?re|it'?s|it\\s+is))?,?\\s+[("'“‘]?${NAME}`, 'giu');
// "he's dreww.x on Insta", "a lad called byker_bossman off Snapchat": a handle-like name just
// before "on/off/from/via <platform>" (found from that word).
const ON_PLATFORM = new RegExp(`\\s+(?:on|off|from|via)\\s+${PLATFORM}(?![\\p{L}])`, 'giu');
const NAME_BEFORE = new RegExp(`(?<![\\p{L}\\p{N}_.@-])${NAME}$`, 'u');
// "a second Snapchat I didn't know about, 'mia.xx.priv'": a quoted handle-like name in the same sentence.
// Brackets count as quotes: "The Tiny line has a Snapchat too (tiny.ting.24)".
const QUOTED = new RegExp(`(?<![\\p{L}\\p{N}])${PLATFORM}\\b(?:[^.!?\\n"'“‘’(]|(?<=\\p{L})['’](?=\\p{L})){0,60}["'“‘(]${NAME}["'”’)]`, 'giu');
// "username northside_ops", "an account called 'LDNplug'": a name after a label with no platform.
const LABEL_ONLY = /(?<![\p{L}\p{N}])(?:user ?name|user(?=\s+(?:is|was)\b|\s*:)|gamer ?tag|dm|pm|handle|(?:account|profile|page|channel) (?:called|named|name(?:d| is)?))(?:\s+(?:is|was|it's|its))?\s*[:=]?\s*(["'“‘])?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))/giu;
// "an account frostyy_ipswich": a handle-like name straight after "account", "profile", "page".
const ACCOUNT_NAME = /(?<![\p{L}\p{N}])(?:account|profile|page|channel)\s+(["'“‘(])?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))/giu;
// "instagram.com/fastpaid_sw1", "t.me/cov_plugz", "tiktok.com/@x": the name in a profile link.
const PROFILE_URL = /(?<![\p{L}\p{N}.])(?:https?:\/\/)?(?:www\.|m\.)?(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com|t\.me|telegram\.me|x\.com|twitter\.com|snapchat\.com\/add|youtube\.com|twitch\.tv)\/@?([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?)/giu;
// "snap names: ghost.yb, lil_dunks and one called Mr.Stackz": every handle-like name in a list after a label.
const NAME_LIST = new RegExp(`(?<![\\p{L}\\p{N}])${PLATFORM}\\s+(?:names|usernames|user names|handles|accounts|users)\\b`, 'giu');
const LIST_ITEM = /[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])/g;
/** Letters every PLATFORM starts with, tested before the Unicode scans (no "u" flag: fast). */
const PLATFORM_HINT = /\b(?:snap|sc|insta|ig|tik|tt|twitter|x|telegram|kik|threads|facebook|fb|discord|signal|twitch|youtube|yt|psn|xbox|roblox|fortnite|playstation)/i;
/**
 * Where a PLATFORM may start: its first letters, not after an ASCII letter or digit. Without the
 * "u" flag these are ASCII only; the Unicode scans also read "ſ" (U+017F) as "s" and the Kelvin
 * sign as "k", so a text with either is scanned whole (see platformStarts).
 */
const PLATFORM_START = /(?<![A-Za-z0-9])(?:snap|sc|insta|ig|tik|tt|twitter|x|telegram|kik|threads|facebook|fb|discord|signal|twitch|youtube|yt|psn|xbox|roblox|fortnite|playstation)/gi;
const FOLDS_TO_ASCII = /[\u017f\u212a]/;
/** The same expression, matching only at lastIndex. */
const sticky = (re: RegExp): RegExp => new RegExp(re.source, re.flags.replace('g', 'y'));
const LABELLED_AT = sticky(LABELLED);
const NEAR_AT = sticky(NEAR);
const DIRECT_AT = sticky(DIRECT);
const QUOTED_AT = sticky(QUOTED);
const NAME_LIST_AT = sticky(NAME_LIST);
const LABEL_HINT = /user|gamer ?tag|\bdm\b|\bpm\b|handle|account|profile|page|channel/i;
const URL_HINT = /\.(?:com|me|tv)\//i;
const EMAIL_TAIL = /\.(?:com|co\.uk|net|org|gov\.uk|ac\.uk)$/i;
const TIME = /^\d{1,2}(?:[.:]\d{2})?(?:am|pm)?$/i;
/** Short platform names that are also letters or words: a plain-word name needs ":" after them. */
const AMBIGUOUS_PLATFORM = /^(?:sc|ig|tt|x|fb|kik|threads)$/i;
/** Words that follow "insta is", "snap:" and are not names. */
const NOT_NAMES = new Set(
  ('a an the his her their my your our its it he she they him them me you we us i this that these those not no ' +
    'private public blocked block down deleted delete new old gone hacked banned locked full fake open closed off on up ' +
    'just always also still now there here all really very where what who how why when being been so too mad weird bad ' +
    'good fine ok okay mental crazy and but or because if full empty active inactive dead back set linked same different ' +
    'only mostly full filled covered usually normally literally basically never ever always constantly like where full ' +
    'pictures photos videos posts stories story messages chats full').split(' '),
);

/** Every index where PLATFORM may start, in order; undefined when the text must be scanned whole. */
function platformStarts(text: string): number[] | undefined {
  if (FOLDS_TO_ASCII.test(text)) return undefined;
  const starts: number[] = [];
  PLATFORM_START.lastIndex = 0;
  for (let m = PLATFORM_START.exec(text); m !== null; m = PLATFORM_START.exec(text)) starts.push(m.index);
  return starts;
}

/**
 * The matches a global scan with `global` finds, in order. Every match of the platform patterns
 * starts at a PLATFORM, so with `starts` (platformStarts) only those indexes are tried, with the
 * sticky twin `at`: the leftmost match from each point is the same, and most of the text is never
 * looked at.
 */
function eachMatch(global: RegExp, at: RegExp, text: string, starts: readonly number[] | undefined, f: (m: RegExpExecArray) => void): void {
  if (starts === undefined) {
    global.lastIndex = 0;
    for (let m = global.exec(text); m !== null; m = global.exec(text)) f(m);
    return;
  }
  let from = 0;
  for (const p of starts) {
    if (p < from) continue;
    at.lastIndex = p;
    const m = at.exec(text);
    if (m === null) continue;
    f(m);
    from = at.lastIndex;
  }
}

const LIST_NEXT = /^["'”’]?(?:,\s*|\s+(?:and|or|&)\s+|,\s*(?:and|or)\s+)["'“‘]?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))(?![A-Za-z0-9_@])/;

/** Ages written as one word ("14-year-old", "15yo", "16-yr-old") and decades ("20s") are not names. */
const AGE_WORD = /^\d{1,2}-?(?:years?|yrs?|y)-?(?:old|o)?$|^\d{1,4}'?s$/i; // and decades: "in their 20s"

function looksLikeHandle(name: string): boolean {
  return /[\d_.]/.test(name) && !/^[\d.]+$/.test(name) && !EMAIL_TAIL.test(name) && !AGE_WORD.test(name);
}

export function findHandles(text: string): HandleEntity[] {
  const out: HandleEntity[] = [];
  // Code units already inside a handle (its end included), so the check is O(1) per name.
  const taken = scratchMarks(SLOT.handles, text.length + 1);
  const keep = (h: HandleEntity): void => {
    out.push(h);
    taken.fill(1, h.start, Math.min(h.end + 1, text.length + 1));
  };
  const add = (name: string, start: number): void => {
    if (taken[start] === 1) return;
    keep({ type: 'handle', value: name.toLowerCase(), start, end: start + name.length });
  };
  AT.lastIndex = 0;
  for (let m = AT.exec(text); m !== null; m = AT.exec(text)) {
    const name = (m[1] ?? '').replace(/\.+$/, '');
    if (name.length < 2 || EMAIL_TAIL.test(name) || /^\d+$/.test(name) || TIME.test(name)) continue;
    keep({ type: 'handle', value: name.toLowerCase(), start: m.index, end: m.index + 1 + name.length });
  }
  if (URL_HINT.test(text)) {
    PROFILE_URL.lastIndex = 0;
    for (let m = PROFILE_URL.exec(text); m !== null; m = PROFILE_URL.exec(text)) {
      const raw = (m[1] ?? '').replace(/\.+$/, '');
      if (raw.length < 2 || /^(?:p|reel|reels|status|video|watch|share|groups|profile\.php|add|channel|c|user)$/i.test(raw)) continue;
      const start = m.index + m[0].length - (m[1] ?? '').length;
      // The whole link is taken, so no later pattern reads "t.me" or "instagram.com" as a name.
      if (taken.subarray(m.index, start + raw.length).includes(1)) continue; // "tiktok.com/@x": "@x" already found
      out.push({ type: 'handle', value: raw.toLowerCase(), start, end: start + raw.length });
      taken.fill(1, m.index, Math.min(start + raw.length + 1, text.length + 1));
    }
  }
  if (LABEL_HINT.test(text)) labelledOnly(text, add);
  // Most reports name no platform; one cheap ASCII test spares them the Unicode scans below.
  if (!PLATFORM_HINT.test(text)) return out.sort((a, b) => a.start - b.start);
  const starts = platformStarts(text);
  eachMatch(LABELLED, LABELLED_AT, text, starts, (m) => {
    const raw = m[5] ?? '';
    const name = raw.replace(/\.+$/, '');
    const start = m.index + m[0].length - raw.length;
    if (looksLikeHandle(name)) add(name, start);
    else if (/^[A-Za-z]{3,}$/.test(name) && !NOT_NAMES.has(name.toLowerCase()) && m[4] === undefined) {
      // A plain word needs a clear label, and after "sc", "ig", "x"... only a colon is clear.
      if (AMBIGUOUS_PLATFORM.test(m[1] ?? '') && !(m[2] ?? '').startsWith(':')) return;
      // A dash is a label only when the line is set out as one ("snap - kash"), not mid-sentence
      // ("on Instagram - results are up"): then the name must end its clause.
      if (/^[-–]/.test(m[2] ?? '') && /^\s+\p{L}/u.test(text.slice(start + raw.length))) return;
      // Quoted, the quote must close on the word: "called 'Easy Bread Jobs'" names a group.
      if (/["'“‘]/.test(text.charAt(start - 1)) && !/^["'”’]/.test(text.slice(start + raw.length))) return;
      add(name, start);
    }
  });
  ON_PLATFORM.lastIndex = 0;
  for (let m = ON_PLATFORM.exec(text); m !== null; m = ON_PLATFORM.exec(text)) {
    // "'trapstar.dee' on Instagram": a closing quote may stand between.
    const upTo = /["'”’]$/.test(text.slice(0, m.index)) ? m.index - 1 : m.index;
    const before = NAME_BEFORE.exec(text.slice(Math.max(0, upTo - 31), upTo));
    const raw = before?.[1] ?? '';
    if (looksLikeHandle(raw)) add(raw, upTo - raw.length);
  }
  for (const [re, at] of [[NEAR, NEAR_AT], [DIRECT, DIRECT_AT]] as const) {
    eachMatch(re, at, text, starts, (m) => {
      const raw = m[1] ?? '';
      const name = raw.replace(/\.+$/, '');
      if (looksLikeHandle(name)) add(name, m.index + m[0].length - raw.length);
    });
  }
  eachMatch(QUOTED, QUOTED_AT, text, starts, (m) => {
    const raw = m[1] ?? '';
    if (looksLikeHandle(raw)) add(raw, m.index + m[0].length - 1 - raw.length);
  });
  eachMatch(NAME_LIST, NAME_LIST_AT, text, starts, (m) => {
    // The rest of the sentence (a "." inside a name is not its end), at most 120 characters.
    const from = m.index + m[0].length;
    const rest = text.slice(from, from + 120).split(/[.!?;](?=\s|$)|\n/)[0] ?? '';
    LIST_ITEM.lastIndex = 0;
    for (let w = LIST_ITEM.exec(rest); w !== null; w = LIST_ITEM.exec(rest)) {
      const name = w[0].replace(/\.+$/, '');
      const before = rest.charAt(w.index - 1);
      if (looksLikeHandle(name) && !/[\p{L}\p{N}@]/u.test(before)) add(name, from + w.index);
    }
  });
  // A handle-like name listed straight after a found one: "deano.mcr and Lil_Trapz99".
  for (let i = 0; i < out.length; i++) {
    const h = out[i]!;
    const next = LIST_NEXT.exec(text.slice(h.end, h.end + 40));
    if (next && looksLikeHandle(next[1]!)) add(next[1]!, h.end + next[0].length - next[1]!.length);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Names after "username", "handle", "account called" with no platform word (the label is the evidence). */
function labelledOnly(text: string, add: (name: string, start: number) => void): void {
  LABEL_ONLY.lastIndex = 0;
  for (let m = LABEL_ONLY.exec(text); m !== null; m = LABEL_ONLY.exec(text)) {
    const raw = m[2] ?? '';
    const name = raw.replace(/\.+$/, '');
    const quoted = m[1] !== undefined;
    // A plain word counts only when quoted ("an account called 'LDNplug'"), never "handle it".
    if (looksLikeHandle(name) || (quoted && /^[A-Za-z][A-Za-z0-9]{2,}$/.test(name) && !NOT_NAMES.has(name.toLowerCase()))) {
      add(name, m.index + m[0].length - raw.length);
    }
  }
  ACCOUNT_NAME.lastIndex = 0;
  for (let m = ACCOUNT_NAME.exec(text); m !== null; m = ACCOUNT_NAME.exec(text)) {
    const raw = m[2] ?? '';
    const name = raw.replace(/\.+$/, '');
    if (looksLikeHandle(name)) add(name, m.index + m[0].length - raw.length);
  }
}
