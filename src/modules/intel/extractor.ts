/**
 * The default extractor: the pure extraction library in ./extract (owned by its own folder),
 * loaded on first use so the service starts without paying for its gazetteer and patterns.
 */
import type { Extractor } from './intel.types.ts';

export async function loadDefaultExtractor(): Promise<Extractor> {
  const mod = await import('./extract/extract.ts');
  return (text: string) => mod.extract(text);
}
