import { parseBuffer } from 'music-metadata';
import type { AudioFormat } from './schema.js';

/** The content type of each accepted format, as the API reports it. */
export const CONTENT_TYPES: Record<AudioFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg' };

/**
 * The content type the media route sends. FreeSWITCH (behind jambonz `play`) picks its file
 * module by the URL's extension and, failing that, by the Content-Type through its mime.types,
 * which maps `audio/x-wav` but not `audio/wav`; browsers accept both.
 */
export const MEDIA_CONTENT_TYPES: Record<AudioFormat, string> = { wav: 'audio/x-wav', mp3: 'audio/mpeg' };

/**
 * The format of an upload, from its first bytes: a RIFF/WAVE header, an ID3v2 tag, or an MPEG
 * audio Layer III frame header. Undefined for anything else — the file name and the request's
 * `Content-Type` are never consulted, so a text file called `hello.wav` is refused here.
 */
export function sniffAudio(bytes: Uint8Array): AudioFormat | undefined {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 10 && ascii(0, 3) === 'ID3') return 'mp3';
  if (bytes.length >= 4 && isMp3FrameHeader(bytes[0]!, bytes[1]!, bytes[2]!)) return 'mp3';
  return undefined;
}

/** An MPEG-1/2/2.5 Layer III frame header: 11-bit sync, a real version, a valid bitrate and rate. */
function isMp3FrameHeader(b0: number, b1: number, b2: number): boolean {
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11; // 01 is reserved
  const layer = (b1 >> 1) & 0b11; // 01 = Layer III
  const bitrate = b2 >> 4; // 0000 = free format, 1111 = bad
  const rate = (b2 >> 2) & 0b11; // 11 is reserved
  return version !== 0b01 && layer === 0b01 && bitrate !== 0 && bitrate !== 0b1111 && rate !== 0b11;
}

/** WAV codecs telephony media servers play (FreeSWITCH reads these through libsndfile). */
const PLAYABLE_WAV_CODECS = new Set(['PCM', 'IEEE_FLOAT', 'A-law', 'µ-law', 'u-law', 'mu-law']);

/** What {@link inspectAudio} learnt from a file. */
export interface AudioInfo {
  format: AudioFormat;
  contentType: string;
  durationMs: number;
  sampleRate: number;
  channels: number;
  codec: string;
}

/** Why {@link inspectAudio} refused a file. */
export class AudioProbeError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'AudioProbeError';
  }
}

/**
 * Sniffs and decodes the headers of an upload (music-metadata: WAV chunks, MP3 frames counted
 * for an exact duration even without a Xing/VBRI header). Throws {@link AudioProbeError}:
 * `unsupported` when the bytes are no WAV or MP3 at all, `invalid` when they claim to be one but
 * have no playable audio (corrupt, truncated, or a WAV with a codec telephony cannot play).
 */
export async function inspectAudio(bytes: Uint8Array): Promise<AudioInfo> {
  const format = sniffAudio(bytes);
  if (!format) throw new AudioProbeError('unsupported', 'The file is neither WAV (RIFF/WAVE) nor MP3');
  const contentType = CONTENT_TYPES[format];
  let meta: Awaited<ReturnType<typeof parseBuffer>>;
  try {
    meta = await parseBuffer(
      bytes,
      { mimeType: contentType, size: bytes.length },
      { duration: true, skipCovers: true },
    );
  } catch (err) {
    throw new AudioProbeError(
      'invalid',
      `The ${format.toUpperCase()} file could not be read: ${(err as Error).message}`,
    );
  }
  const f = meta.format;
  const codec = f.codec ?? '';
  const expectedContainer = format === 'wav' ? /^WAVE/ : /^MPEG/;
  if (!f.container || !expectedContainer.test(f.container)) {
    throw new AudioProbeError('invalid', `The file starts like ${format.toUpperCase()} but is not a valid one`);
  }
  if (format === 'wav' && !PLAYABLE_WAV_CODECS.has(codec)) {
    throw new AudioProbeError('invalid', `WAV files must be PCM, A-law or µ-law; this one is ${codec || 'unknown'}`);
  }
  if (format === 'mp3' && !/Layer 3/i.test(codec)) {
    throw new AudioProbeError('invalid', `MP3 files must be MPEG Layer III; this one is ${codec || 'unknown'}`);
  }
  const duration = f.duration;
  if (!duration || !Number.isFinite(duration) || duration <= 0 || !f.sampleRate) {
    throw new AudioProbeError('invalid', `The ${format.toUpperCase()} file has no audio`);
  }
  return {
    format,
    contentType,
    durationMs: Math.round(duration * 1000),
    sampleRate: f.sampleRate,
    channels: f.numberOfChannels ?? 1,
    codec,
  };
}
