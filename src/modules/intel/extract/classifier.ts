/**
 * Indicator classifier: one logistic model per DOMAIN.md code over a report's words, so a sign
 * written in words no cue lists can still be found. It backs up the cue lexicon (indicators.ts),
 * which stays the first and most precise reader: extract.ts adds a code from here only when the
 * cues neither found it nor ruled it out, and the model's probability reaches its threshold.
 *
 * Features, per word in order: the word's cluster (content/extract/word-clusters.json: words
 * used alike, from GloVe vectors, so "fearful" shares a feature with "scared"), then its Porter
 * stem; each of those items, and each adjacent pair of them, is one feature. Ages become "#young"
 * (10-17) or "#adult" (18-70); a word up to four words after a negator in the same clause is
 * marked negated ("not scared" is not "scared"). Features are scaled by 1/sqrt(count)
 * (see featureScale).
 *
 * Pure: training (`trainIndicatorModel`) is seeded and deterministic, so the shipped model
 * (content/extract/indicator-model.json, written by `lookout extract train`) is reproducible from
 * the labelled fixtures; prediction reads no clock and no randomness.
 */
import stem from 'wink-porter2-stemmer';
import type { IndicatorCode, Span } from './types.ts';
import { HASH_SEED, hashStep, WordTable } from './word-table.ts';

/** The model as stored: a weight per code for each feature it kept, and a bias per code. */
export interface IndicatorModelData {
  readonly codes: readonly IndicatorCode[];
  /** Probability from which a code counts when no cue found it. */
  readonly threshold: number;
  readonly bias: readonly number[];
  /** feature -> one weight per entry of `codes` */
  readonly weights: Readonly<Record<string, readonly number[]>>;
}

/** A labelled text for training: the codes an analyst expects, and those left neutral. */
export interface TrainingCase {
  readonly text: string;
  readonly expect: readonly string[];
  readonly accept?: readonly string[];
}

export interface TrainOptions {
  readonly epochs?: number;
  readonly l2?: number;
  readonly learningRate?: number;
  /** A feature must occur in this many training texts to be kept. */
  readonly minCount?: number;
  readonly threshold?: number;
  readonly seed?: number;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nothing', 'none', 'without', 'denies', 'denied', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'wont', 'cant', 'havent', 'hasnt', 'nobody', 'neither', 'nor']);
const NEGATION_REACH = 4;

/** word -> cluster id, from the clusters file's lists of words. */
export function clusterIndex(clusters: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  clusters.forEach((line, id) => {
    for (const w of line.split(' ')) if (w && !index.has(w)) index.set(w, id);
  });
  return index;
}

/**
 * Each feature's weight is scaled by 1/sqrt(count of known features), but never as if a text had
 * fewer than 32: in a one-line report a single strong word ("knife") would otherwise decide alone.
 */
export function featureScale(known: number): number {
  return 1 / Math.sqrt(Math.max(known, 32));
}

/**
 * A word's Porter stem; a word longer than any English word is its own stem, since the stemmer's
 * time grows faster than linearly with the length of a word (200,000 letters took minutes).
 */
function stemOf(word: string): string {
  return word.length > 40 ? word : stem(word);
}

/** A copy of `a` with twice the room (the scorer's reused buffers grow on long texts). */
function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Numbers 10-17 read as a young person's age, 18-70 as an adult's. */
function ageItem(n: number): string {
  return n >= 10 && n <= 17 ? '#young' : n >= 18 && n <= 70 ? '#adult' : '#num';
}

/** Builds the feature function; stems are kept per word, since stemming costs microseconds. */
export function createFeaturizer(clusters: ReadonlyMap<string, number>): (text: string) => string[] {
  const stems = new Map<string, string>();
  const items: string[] = [];
  const word = /[a-z0-9]+(?:['’][a-z]+)?/g;
  const clauseBreak = /[.!?;,\n]/;
  return (text: string): string[] => {
    const t = text.toLowerCase();
    items.length = 0;
    let negated = 0;
    let last = 0;
    word.lastIndex = 0;
    for (let m = word.exec(t); m; m = word.exec(t)) {
      if (negated > 0 && clauseBreak.test(t.slice(last, m.index))) negated = 0;
      last = m.index + m[0].length;
      const raw = m[0].includes("'") || m[0].includes('’') ? m[0].replace(/['’]/g, '') : m[0];
      const mark = negated > 0 ? '!' : '';
      let item: string;
      const c0 = raw.charCodeAt(0);
      if (c0 >= 48 && c0 <= 57 && /^\d+$/.test(raw)) {
        item = ageItem(Number(raw));
      } else {
        const cluster = clusters.get(raw);
        if (cluster !== undefined) items.push(`${mark}#c${cluster}`);
        let s = stems.get(raw);
        if (s === undefined) {
          if (stems.size > 100_000) stems.clear(); // bounded on endless distinct junk
          s = stemOf(raw);
          stems.set(raw, s);
        }
        item = s;
      }
      const isNegator = NEGATORS.has(raw);
      items.push(isNegator ? item : mark + item);
      if (isNegator) negated = NEGATION_REACH;
      else if (negated > 0) negated--;
    }
    const features = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const a = items[i]!;
      features.add(`u:${a}`);
      const b = items[i + 1];
      if (b !== undefined) features.add(`b:${a} ${b}`);
    }
    return [...features];
  };
}

/** Deterministic generator for the training order (LCG; same seed, same model). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/**
 * Fits one logistic model per code with AdaGrad and L2 on the labelled cases. A code in a case's
 * `accept` list teaches nothing either way for that case (as in the scorer, it is neither right
 * nor wrong). Weights are rounded to 4 decimals; every kept feature is stored, even one whose
 * weights round to zero, because prediction scales by the count of known features as fitting did.
 */
function fit(
  cases: readonly TrainingCase[],
  codes: readonly IndicatorCode[],
  featureSets: readonly (readonly string[])[],
  opts: Required<Pick<TrainOptions, 'epochs' | 'l2' | 'learningRate' | 'minCount' | 'seed'>>,
): { bias: number[]; weights: Record<string, number[]> } {
  const { epochs, l2, learningRate, minCount, seed } = opts;
  const counts = new Map<string, number>();
  for (const fs of featureSets) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [f, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) if (n >= minCount) vocab.set(f, vocab.size);
  const X = featureSets.map((fs) => fs.filter((f) => vocab.has(f)).map((f) => vocab.get(f)!));
  const K = codes.length;
  const V = vocab.size;
  const W = new Float64Array(K * V);
  const b = new Float64Array(K);
  const G = new Float64Array(K * V).fill(1e-8);
  const Gb = new Float64Array(K).fill(1e-8);
  const wants = cases.map((c) => new Set(c.expect));
  const neutral = cases.map((c) => new Set(c.accept ?? []));
  const rnd = seeded(seed);
  const order = cases.map((_, i) => i);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const x = X[i]!;
      const scale = featureScale(x.length);
      for (let k = 0; k < K; k++) {
        const code = codes[k]!;
        if (neutral[i]!.has(code)) continue;
        let z = b[k]!;
        for (const j of x) z += W[k * V + j]! * scale;
        const g = 1 / (1 + Math.exp(-z)) - (wants[i]!.has(code) ? 1 : 0);
        for (const j of x) {
          const at = k * V + j;
          const gj = g * scale + l2 * W[at]!;
          G[at]! += gj * gj;
          W[at]! -= (learningRate * gj) / Math.sqrt(G[at]!);
        }
        Gb[k]! += g * g;
        b[k]! -= (learningRate * g) / Math.sqrt(Gb[k]!);
      }
    }
  }
  const round = (x: number): number => Math.round(x * 1e4) / 1e4 + 0; // + 0: no -0 in the file
  const weights: Record<string, number[]> = {};
  for (const [f, j] of vocab) weights[f] = codes.map((_, k) => round(W[k * V + j]!));
  return { bias: [...b].map(round), weights };
}

/** Probabilities per code from string features (the plain form of the fast scorer below). */
export function scoreFeatures(model: Pick<IndicatorModelData, 'bias' | 'weights'>, features: readonly string[]): number[] {
  const known = features.map((f) => model.weights[f]).filter((w) => w !== undefined);
  const scale = featureScale(known.length);
  return model.bias.map((b, k) => {
    let z = 0;
    for (const w of known) z += w[k]!;
    return 1 / (1 + Math.exp(-(b + z * scale)));
  });
}

/**
 * Trains the model (see `fit`). `threshold` (0.25) is the probability from which the model adds
 * a code. It is low because the model only adds what the cues missed: on blind sets (written by
 * people who never saw the cues or the fixtures) 0.2-0.3 gave the best F1 of cues and model
 * together, and per-code thresholds set by cross-validation did no better.
 */
export function trainIndicatorModel(
  cases: readonly TrainingCase[],
  codes: readonly IndicatorCode[],
  featurize: (text: string) => string[],
  opts: TrainOptions = {},
): IndicatorModelData {
  const fitOpts = { epochs: opts.epochs ?? 30, l2: opts.l2 ?? 1e-3, learningRate: opts.learningRate ?? 0.3, minCount: opts.minCount ?? 2, seed: opts.seed ?? 7 };
  const featureSets = cases.map((c) => featurize(c.text));
  return { codes: [...codes], threshold: opts.threshold ?? 0.25, ...fit(cases, codes, featureSets, fitOpts) };
}

export interface IndicatorClassifier {
  /** Probability per code (in `codes` order) that the text shows that sign. */
  scores(text: string): Float64Array;
  /** The codes whose probability reaches the threshold, each with the sentence that shows it best. */
  find(text: string, skip: ReadonlySet<IndicatorCode>): { code: IndicatorCode; start: number; end: number }[];
  readonly codes: readonly IndicatorCode[];
}

/** Sentences of a text as spans without their surrounding white space. */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const re = /[^.!?\n]+(?:[.!?]+|\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let start = m.index;
    let end = m.index + m[0].length;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) spans.push({ start, end });
  }
  return spans;
}

/**
 * Builds the classifier from a stored model and the word clusters it was trained with.
 *
 * Prediction reads the same features as `createFeaturizer` (a test holds the two equal) without
 * building feature strings: items are interned to integers when the model is loaded, each word
 * is looked up once (its cluster and stem items are kept), and a pair is a numeric key.
 */
export function createIndicatorClassifier(model: IndicatorModelData, clusters: ReadonlyMap<string, number>): IndicatorClassifier {
  const K = model.codes.length;
  // Item ids: 2 * id for the plain item, 2 * id + 1 for the negated one ("!item").
  const itemIds = new Map<string, number>();
  const itemKey = (item: string): number => {
    const negated = item.startsWith('!');
    const base = negated ? item.slice(1) : item;
    let id = itemIds.get(base);
    if (id === undefined) {
      id = itemIds.size;
      itemIds.set(base, id);
    }
    return 2 * id + (negated ? 1 : 0);
  };
  const entries = Object.entries(model.weights);
  const parsed = entries.map(([f]) => {
    if (f.startsWith('u:')) return { a: itemKey(f.slice(2)), b: -1 };
    const [a = '', b = ''] = f.slice(2).split(' ');
    return { a: itemKey(a), b: itemKey(b) };
  });
  // A pair's key is a * PAIR + b: a small integer, which Map hashes fastest.
  const PAIR = 2 * itemIds.size + 2;
  if (PAIR * PAIR >= 2 ** 31) throw new Error('indicator model: too many distinct items');
  // Item key -> row + 1 (0: the model has no such feature); pairs in an open-addressing table
  // of their numeric keys (a typed-array probe is cheaper than a Map look-up per word pair).
  const unigramRows = new Int32Array(PAIR);
  const pairCount = parsed.filter((p) => p.b >= 0).length;
  let pairBits = 4;
  while (1 << pairBits < pairCount * 2) pairBits++;
  const pairMask = (1 << pairBits) - 1;
  const pairKeys = new Int32Array(1 << pairBits).fill(-1);
  const pairVals = new Int32Array(1 << pairBits);
  const pairSlot = (key: number): number => Math.imul(key, 0x9e3779b1) >>> (32 - pairBits);
  const W = new Float64Array(entries.length * K);
  entries.forEach(([, w], row) => {
    W.set(w, row * K);
    const { a, b } = parsed[row]!;
    if (b < 0) unigramRows[a] = row + 1;
    else {
      const key = a * PAIR + b;
      let slot = pairSlot(key);
      while (pairKeys[slot] !== -1) slot = (slot + 1) & pairMask;
      pairKeys[slot] = key;
      pairVals[slot] = row;
    }
  });
  const pairRow = (key: number): number | undefined => {
    for (let slot = pairSlot(key); ; slot = (slot + 1) & pairMask) {
      const k = pairKeys[slot]!;
      if (k === key) return pairVals[slot];
      if (k === -1) return undefined;
    }
  };
  const keyOf = (item: string): number => {
    const id = itemIds.get(item);
    return id === undefined ? -2 : 2 * id; // -2: an item the model never saw (it still takes its place in a pair)
  };

  // Per word: the keys of its cluster item (or -1 when it has none) and its stem item.
  interface WordInfo { readonly cluster: number; readonly stem: number; readonly negator: boolean }
  const infoOf = (raw: string): WordInfo => {
    const c = clusters.get(raw);
    return { cluster: c === undefined ? -1 : keyOf(`#c${c}`), stem: keyOf(stemOf(raw)), negator: NEGATORS.has(raw) };
  };
  // Plain words are looked up from the text's code units (no slice, no string hash); words that
  // had an apostrophe ("won't" read as "wont") by their string. Both bounded on endless junk.
  const table = new WordTable<WordInfo>();
  const words = new Map<string, WordInfo>();
  const lookup = (raw: string): WordInfo => {
    let w = words.get(raw);
    if (w === undefined) {
      if (words.size > 100_000) words.clear();
      w = infoOf(raw);
      words.set(raw, w);
    }
    return w;
  };

  // The text's items in order, with the offset of the word each came from; reused per call.
  let items = new Int32Array(256);
  let offsets = new Int32Array(256);
  // Rows read by the last call and where (for spans).
  let rowsRead = new Int32Array(256);
  let rowsAt = new Int32Array(256);
  let nRows = 0;
  let stamp = new Uint32Array(entries.length);
  let round = 0;

  /** Logit per code for `text` (features present once each, scaled as in training). */
  const logits = (text: string): Float64Array => {
    const t = text.toLowerCase();
    let n = 0;
    const push = (key: number, at: number): void => {
      if (n === items.length) {
        items = doubled(items);
        offsets = doubled(offsets);
      }
      offsets[n] = at;
      items[n++] = key;
    };
    let negated = 0;
    let brokeClause = false;
    const len = t.length;
    let i = 0;
    while (i < len) {
      const c = t.charCodeAt(i);
      const isWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
      if (!isWord) {
        if (c === 46 || c === 33 || c === 63 || c === 59 || c === 44 || c === 10) brokeClause = true; // . ! ? ; , newline
        i++;
        continue;
      }
      const start = i;
      let digits = true;
      let h = HASH_SEED;
      while (i < len) {
        const d = t.charCodeAt(i);
        if (d >= 97 && d <= 122) digits = false;
        else if (!(d >= 48 && d <= 57)) break;
        h = hashStep(h, d);
        i++;
      }
      const end = i;
      let glued: string | undefined;
      // "won't", "he’s": an apostrophe and letters belong to the word, and are read without it.
      const q = t.charCodeAt(i);
      if ((q === 39 || q === 0x2019) && i + 1 < len) {
        let j = i + 1;
        while (j < len && t.charCodeAt(j) >= 97 && t.charCodeAt(j) <= 122) j++;
        if (j > i + 1) {
          glued = t.slice(start, end) + t.slice(i + 1, j);
          digits = false;
          i = j;
        }
      }
      if (negated > 0 && brokeClause) negated = 0;
      brokeClause = false;
      const mark = negated > 0 ? 1 : 0;
      let key: number;
      let isNegator = false;
      if (digits) key = keyOf(ageItem(Number(t.slice(start, end))));
      else {
        let w: WordInfo | undefined;
        if (glued !== undefined) w = lookup(glued);
        else {
          w = table.get(t, start, end, h);
          if (w === undefined) {
            if (table.size > 100_000) table.clear();
            w = infoOf(t.slice(start, end));
            table.add(t.slice(start, end), h, w);
          }
        }
        if (w.cluster !== -1) push(w.cluster < 0 ? w.cluster : w.cluster + mark, start);
        key = w.stem;
        isNegator = w.negator;
      }
      push(key < 0 ? key : key + (isNegator ? 0 : mark), start);
      if (isNegator) negated = NEGATION_REACH;
      else if (negated > 0) negated--;
    }

    round = (round + 1) >>> 0;
    if (round === 0) {
      stamp = new Uint32Array(stamp.length);
      round = 1;
    }
    const z = new Float64Array(K);
    nRows = 0;
    const add = (row: number | undefined, at: number): void => {
      if (row === undefined || stamp[row] === round) return;
      stamp[row] = round;
      if (nRows === rowsRead.length) {
        rowsRead = doubled(rowsRead);
        rowsAt = doubled(rowsAt);
      }
      rowsRead[nRows] = row;
      rowsAt[nRows++] = at;
      const from = row * K;
      for (let k = 0; k < K; k++) z[k]! += W[from + k]!;
    };
    for (let j = 0; j < n; j++) {
      const a = items[j]!;
      if (a < 0) continue;
      const u = unigramRows[a]!;
      if (u > 0) add(u - 1, offsets[j]!);
      const b = items[j + 1];
      if (j + 1 < n && b! >= 0) add(pairRow(a * PAIR + b!), offsets[j]!);
    }
    const known = nRows;
    // Training scaled each feature by 1/sqrt(the count of features the model knows); so here.
    const scale = featureScale(known);
    for (let k = 0; k < K; k++) z[k] = model.bias[k]! + z[k]! * scale;
    return z;
  };
  const threshold = Math.log(model.threshold / (1 - model.threshold)); // as a logit

  return {
    codes: model.codes,
    scores(text) {
      return logits(text).map((z) => 1 / (1 + Math.exp(-z)));
    },
    find(text, skip) {
      const z = logits(text);
      const found: { code: IndicatorCode; start: number; end: number }[] = [];
      let sentences: Span[] | undefined;
      for (let k = 0; k < K; k++) {
        const code = model.codes[k]!;
        if (z[k]! < threshold || skip.has(code)) continue;
        // The span is the sentence whose words weigh most for this code (rows come in text order).
        sentences ??= sentenceSpans(text);
        let span: Span = sentences[0] ?? { start: 0, end: text.length };
        let best = -Infinity;
        let r = 0;
        for (const s of sentences) {
          let sum = 0;
          while (r < nRows && rowsAt[r]! < s.end) sum += W[rowsRead[r++]! * K + k]!;
          if (sum > best) {
            best = sum;
            span = s;
          }
        }
        found.push({ code, start: span.start, end: span.end });
      }
      return found;
    },
  };
}
