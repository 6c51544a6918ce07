/**
 * Photo intake. The type is decided by the file's first bytes, never its name or the browser's
 * claim. Every photo is decoded and re-encoded by sharp as a JPEG: rotated upright from its EXIF
 * orientation, then written WITHOUT metadata (sharp drops EXIF, GPS, XMP, IPTC, camera serials
 * and ICC profiles unless withMetadata/keepMetadata is called, which we never do), and scaled
 * down to at most 2560 px so a photo cannot carry hidden data at full sensor size either.
 *
 * iPhone photos (HEIC, HEVC-coded) cannot be decoded by the prebuilt sharp (its libheif has no
 * HEVC decoder), so they are decoded to bare pixels by libheif compiled to WebAssembly
 * (heic-decode), after checking the claimed size, and those pixels are encoded as above: nothing
 * from the original container, metadata included, reaches the stored JPEG.
 */
import sharp, { type Sharp } from 'sharp';

export type SniffedType = 'jpeg' | 'png' | 'webp' | 'heif' | 'unknown';

export const MAX_PHOTOS = 5;
const MAX_EDGE = 2560;
// Refuse decompression bombs: a 10 MB file may claim a huge canvas.
const MAX_INPUT_PIXELS = 50_000_000;

export function sniff(buf: Buffer): SniffedType {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const brand = buf.toString('latin1', 8, 12);
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) return 'heif';
  }
  return 'unknown';
}

export interface CleanPhoto {
  mime: 'image/jpeg';
  width: number;
  height: number;
  data: Buffer;
}

export class PhotoError extends Error {
  override name = 'PhotoError';
}

/** Re-encodes a photo without metadata, or throws PhotoError with a message for the reporter. */
export async function cleanPhoto(input: Buffer, maxBytes: number): Promise<CleanPhoto> {
  if (input.length === 0) throw new PhotoError('is empty');
  if (input.length > maxBytes) throw new PhotoError(`is larger than ${Math.floor(maxBytes / 1_048_576)} MB`);
  const kind = sniff(input);
  if (kind === 'unknown') throw new PhotoError('must be a JPG, PNG, WebP or HEIC photo');
  try {
    return await encode(sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false }));
  } catch {
    if (kind !== 'heif') throw new PhotoError('could not be read. It may be damaged or not a photo');
  }
  // HEIC that sharp's libheif cannot decode (HEVC): decode to pixels with libheif in WebAssembly.
  const pixels = await fromHeic(input);
  try {
    return await encode(pixels);
  } catch {
    throw new PhotoError('could not be read. It may be damaged or not a photo');
  }
}

async function encode(source: Sharp): Promise<CleanPhoto> {
  const { data, info } = await source
    .rotate()
    .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85 })
    .toBuffer({ resolveWithObject: true });
  return { mime: 'image/jpeg', width: info.width, height: info.height, data };
}

/** The primary image of a HEIC file as raw pixels for sharp; the size is checked before decoding. */
// heic-decode 2's `all` also gives each image's size before decoding and a dispose() for the
// WebAssembly memory; the published types (@types/heic-decode 2.0) omit both.
interface HeicImages extends Array<{ width: number; height: number; decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }> }> {
  dispose(): void;
}

async function fromHeic(input: Buffer): Promise<Sharp> {
  let images: HeicImages;
  try {
    // Loaded on first use: the WebAssembly build takes ~300 ms to load and most photos are JPEGs.
    const { default: heicDecode } = await import('heic-decode');
    images = (await heicDecode.all({ buffer: input })) as unknown as HeicImages;
  } catch {
    throw new PhotoError('could not be read. It may be damaged or not a photo');
  }
  try {
    const first = images[0];
    if (!first || first.width < 1 || first.height < 1) throw new PhotoError('could not be read. It may be damaged or not a photo');
    if (first.width * first.height > MAX_INPUT_PIXELS) throw new PhotoError('is too large in pixels to be a photo');
    const { width, height, data } = await first.decode();
    return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } });
  } catch (err) {
    if (err instanceof PhotoError) throw err;
    throw new PhotoError('could not be read. It may be damaged or not a photo');
  } finally {
    images.dispose();
  }
}
