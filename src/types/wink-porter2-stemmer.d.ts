// wink-porter2-stemmer ships no types: it is one CommonJS function, word -> Porter2 stem.
declare module 'wink-porter2-stemmer' {
  export default function stem(word: string): string;
}
