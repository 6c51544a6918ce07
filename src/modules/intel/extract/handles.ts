/**
 * Social media handles (Snapchat, Instagram, TikTok, X), lower case without "@". An "@" that
 * follows a letter or digit is an email address and is skipped. Without "@", only explicit
 * "snap: name" / "on insta it's name" patterns count, and the name must look like a handle
 * (a digit, "_" or "."), because "on snapchat offering money" must not yield "offering".
 */
import type { HandleEntity } from './types.ts';

const AT = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)/gu;
const PLATFORM = '(?:snap ?chat|snap|sc|insta(?:gram)?|ig|tik ?tok|tt|twitter|x|telegram|kik|threads|facebook|fb)';
const LABELLED = new RegExp(
  `(?<![\\p{L}\\p{N}])${PLATFORM}(?:\\s+(?:name|handle|username|user ?name|account|acc|id|is))?\\s*(?:[:=]|-|\\bis\\b|\\bit'?s\\b|\\bcalled\\b|\\bnamed\\b|\\bunder\\b|\\bas\\b)\\s*["']?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))`,
  'giu',
);
const EMAIL_TAIL = /\.(?:com|co\.uk|net|org|gov\.uk|ac\.uk)$/i;

export function findHandles(text: string): HandleEntity[] {
  const out: HandleEntity[] = [];
  AT.lastIndex = 0;
  for (let m = AT.exec(text); m !== null; m = AT.exec(text)) {
    const name = (m[1] ?? '').replace(/\.+$/, '');
    if (name.length < 2 || EMAIL_TAIL.test(name) || /^\d+$/.test(name)) continue;
    out.push({ type: 'handle', value: name.toLowerCase(), start: m.index, end: m.index + 1 + name.length });
  }
  LABELLED.lastIndex = 0;
  for (let m = LABELLED.exec(text); m !== null; m = LABELLED.exec(text)) {
    const name = (m[1] ?? '').replace(/\.+$/, '');
    if (!/[\d_.]/.test(name) || /^\d+$/.test(name) || EMAIL_TAIL.test(name)) continue;
    const start = m.index + m[0].length - (m[1] ?? '').length;
    if (out.some((h) => h.start <= start && start <= h.end)) continue;
    out.push({ type: 'handle', value: name.toLowerCase(), start, end: start + name.length });
  }
  return out.sort((a, b) => a.start - b.start);
}
