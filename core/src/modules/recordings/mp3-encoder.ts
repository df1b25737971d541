import { endianness } from 'node:os';
import { Mp3Encoder } from '@breezystack/lamejs';

/** Options of {@link Mp3StreamEncoder}. */
export interface Mp3StreamEncoderOptions {
  /** Sample rate of the PCM given to {@link Mp3StreamEncoder.encode}. */
  sampleRate: number;
  channels: 1 | 2;
  /**
   * Constant bit rate. Default: 16 kbit/s per channel up to 12 kHz (32 for 8 kHz stereo),
   * 24 per channel up to 24 kHz, 32 above — plenty for telephone speech.
   */
  kbps?: number;
}

/** LAME's encoder delay (`ENCDELAY`), which lamejs inherits: silence before the first sample. */
const ENCODER_DELAY = 576;
/** Largest PCM slice handed to lamejs at once (it sizes its output buffer by the input). */
const MAX_SLICE = 4608;
const HOST_IS_LE = endianness() === 'LE';

/** The default bit rate for telephone speech (see {@link Mp3StreamEncoderOptions.kbps}). */
export function defaultKbps(sampleRate: number, channels: 1 | 2): number {
  const perChannel = sampleRate <= 12_000 ? 16 : sampleRate <= 24_000 ? 24 : 32;
  return perChannel * channels;
}

/**
 * Streaming PCM → MP3 (CBR) over `@breezystack/lamejs`. Feed 16-bit little-endian PCM
 * (interleaved when stereo) in any slicing — odd lengths and frames split across calls are
 * carried over — and append what each call returns; nothing but a few bytes of PCM is held.
 *
 * After {@link flush}, {@link infoFrame} gives a LAME "Info" frame to put *before* the audio:
 * it records the frame count and the encoder delay and padding, so players (and decoders such
 * as mpg123 and FFmpeg) show the exact duration and play no extra silence.
 *
 * @example
 * const enc = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 })
 * out.write(enc.encode(pcm)) // repeatedly
 * out.write(enc.flush())
 * const header = enc.infoFrame() // write at offset 0, before the audio
 */
export class Mp3StreamEncoder {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly kbps: number;
  private readonly lame: Mp3Encoder;
  private readonly frameBytes: number;
  private carry: Buffer = Buffer.alloc(0);
  private samples = 0;
  private flushed = false;
  private readonly frames = new FrameCounter();

  constructor(opts: Mp3StreamEncoderOptions) {
    if (!Number.isInteger(opts.sampleRate) || opts.sampleRate < 8000 || opts.sampleRate > 96_000) {
      throw new RangeError(`unsupported sample rate ${opts.sampleRate}`);
    }
    if (opts.channels !== 1 && opts.channels !== 2) throw new RangeError(`unsupported channel count ${opts.channels}`);
    this.sampleRate = opts.sampleRate;
    this.channels = opts.channels;
    this.kbps = opts.kbps ?? defaultKbps(opts.sampleRate, opts.channels);
    this.frameBytes = 2 * opts.channels;
    this.lame = new Mp3Encoder(this.channels, this.sampleRate, this.kbps);
  }

  /** PCM samples per channel consumed so far. */
  get samplesPerChannel(): number {
    return this.samples;
  }

  /** Duration of the PCM consumed so far, in ms. */
  get durationMs(): number {
    return Math.round((this.samples * 1000) / this.sampleRate);
  }

  /** MP3 bytes produced so far (without the {@link infoFrame}). */
  get bytesOut(): number {
    return this.frames.bytes;
  }

  /** Encodes PCM; returns the MP3 bytes that became ready (often empty for small inputs). */
  encode(pcm: Buffer): Buffer {
    if (this.flushed) throw new Error('Mp3StreamEncoder: encode() after flush()');
    let data = pcm;
    if (this.carry.length > 0) data = Buffer.concat([this.carry, pcm]);
    const usable = data.length - (data.length % this.frameBytes);
    // Copy the remainder so a large input buffer is not kept alive by a 1–3 byte slice.
    this.carry = Buffer.from(data.subarray(usable));
    if (usable === 0) return Buffer.alloc(0);

    const n = usable / this.frameBytes;
    this.samples += n;
    const interleaved = toInt16(data.subarray(0, usable));
    const out: Buffer[] = [];
    for (let off = 0; off < n; off += MAX_SLICE) {
      const len = Math.min(MAX_SLICE, n - off);
      let chunk: Uint8Array;
      if (this.channels === 1) {
        chunk = this.lame.encodeBuffer(interleaved.subarray(off, off + len));
      } else {
        const left = new Int16Array(len);
        const right = new Int16Array(len);
        for (let i = 0, j = off * 2; i < len; i++, j += 2) {
          left[i] = interleaved[j]!;
          right[i] = interleaved[j + 1]!;
        }
        chunk = this.lame.encodeBuffer(left, right);
      }
      if (chunk.length > 0) out.push(this.take(chunk));
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Ends the stream: returns the last MP3 frames. A partial trailing PCM sample is dropped. */
  flush(): Buffer {
    if (this.flushed) return Buffer.alloc(0);
    this.flushed = true;
    this.carry = Buffer.alloc(0);
    const last = this.lame.flush();
    return last.length > 0 ? this.take(last) : Buffer.alloc(0);
  }

  /**
   * The LAME "Info" frame describing the finished stream, to be stored before the audio
   * frames; null before {@link flush}, when no audio was encoded, or if the encoder's output
   * could not be followed frame by frame.
   */
  infoFrame(): Buffer | null {
    const first = this.frames.first;
    if (!this.flushed || this.samples === 0 || !first || !this.frames.ok || this.frames.count === 0) return null;
    const sideInfo = first.version === 3 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
    const tagStart = 4 + sideInfo;
    const needed = tagStart + 156;
    // The audio's own bit rate when the frame is big enough, else the smallest that fits.
    let brIndex = first.bitrateIndex;
    if (frameLength(first.version, brIndex, first.sampleRate, 0) < needed) {
      brIndex = 1;
      while (brIndex < 14 && frameLength(first.version, brIndex, first.sampleRate, 0) < needed) brIndex++;
    }
    const size = frameLength(first.version, brIndex, first.sampleRate, 0);
    if (size < needed) return null;

    const f = Buffer.alloc(size);
    f[0] = 0xff;
    f[1] = first.header[1]! | 0x01; // no CRC on the tag frame
    f[2] = (brIndex << 4) | (first.header[2]! & 0x0d); // same rate and private bit, no padding
    f[3] = first.header[3]!;
    let o = tagStart;
    o += f.write('Info', o, 'latin1');
    o = f.writeUInt32BE(0x0f, o); // frames, bytes, TOC, quality present
    o = f.writeUInt32BE(this.frames.count, o);
    const totalBytes = size + this.frames.bytes;
    o = f.writeUInt32BE(totalBytes, o);
    for (let i = 0; i < 100; i++) f[o + i] = Math.floor((i * 256) / 100); // CBR: linear TOC
    o += 100;
    o = f.writeUInt32BE(0, o); // quality
    // LAME extension (36 bytes).
    o += f.write('LAME3.100', o, 'latin1');
    f[o++] = 0x01; // tag revision 0, CBR
    o++; // lowpass: unknown
    o += 8; // replay gain: none
    o++; // encoding flags, ATH type
    f[o++] = Math.min(255, this.kbps);
    const outRate = first.sampleRate;
    const samplesOut = Math.round((this.samples * outRate) / this.sampleRate);
    const padding = Math.max(0, Math.min(4095, this.frames.count * first.samplesPerFrame - ENCODER_DELAY - samplesOut));
    f[o++] = ENCODER_DELAY >> 4;
    f[o++] = ((ENCODER_DELAY & 0x0f) << 4) | (padding >> 8);
    f[o++] = padding & 0xff;
    o += 4; // misc, MP3 gain, preset and surround
    o = f.writeUInt32BE(totalBytes, o); // music length
    o = f.writeUInt16BE(this.frames.crc, o); // music CRC
    f.writeUInt16BE(crc16(f, 0, o, 0), o); // tag CRC over everything before it
    return f;
  }

  /** Wraps lamejs output (an Int8Array at run time, whatever its typings say) without copying. */
  private take(chunk: ArrayBufferView): Buffer {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.frames.feed(buf);
    return buf;
  }
}

/** Interprets little-endian 16-bit PCM as samples (a view when possible, else a copy). */
function toInt16(data: Buffer): Int16Array {
  if (HOST_IS_LE && data.byteOffset % 2 === 0) return new Int16Array(data.buffer, data.byteOffset, data.length / 2);
  const out = new Int16Array(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
  return out;
}

const SAMPLE_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

function frameLength(version: number, bitrateIndex: number, sampleRate: number, padding: number): number {
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] ?? 0;
  return Math.floor(((version === 3 ? 144_000 : 72_000) * kbps) / sampleRate) + padding;
}

interface FrameHeader {
  header: Buffer;
  version: number;
  bitrateIndex: number;
  sampleRate: number;
  samplesPerFrame: number;
  mono: boolean;
  length: number;
}

/** Parses a Layer III frame header; null if `h` is not one. */
function parseHeader(h: Buffer): FrameHeader | null {
  if (h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0) return null;
  const version = (h[1]! >> 3) & 3;
  const layer = (h[1]! >> 1) & 3;
  const bitrateIndex = h[2]! >> 4;
  const rateIndex = (h[2]! >> 2) & 3;
  const sampleRate = SAMPLE_RATES[version]?.[rateIndex];
  if (layer !== 1 || !sampleRate || bitrateIndex === 0 || bitrateIndex === 15) return null;
  return {
    header: Buffer.from(h),
    version,
    bitrateIndex,
    sampleRate,
    samplesPerFrame: version === 3 ? 1152 : 576,
    mono: h[3]! >> 6 === 3,
    length: frameLength(version, bitrateIndex, sampleRate, (h[2]! >> 1) & 1),
  };
}

/** Follows an MP3 byte stream frame by frame (across chunk boundaries), counting frames. */
class FrameCounter {
  count = 0;
  bytes = 0;
  crc = 0;
  ok = true;
  first: FrameHeader | undefined;
  private skip = 0;
  private readonly head = Buffer.alloc(4);
  private headLen = 0;

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.crc = crc16(chunk, 0, chunk.length, this.crc);
    let i = 0;
    while (this.ok && i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      while (this.headLen < 4 && i < chunk.length) this.head[this.headLen++] = chunk[i++]!;
      if (this.headLen < 4) return;
      this.headLen = 0;
      const h = parseHeader(this.head);
      if (!h) {
        this.ok = false;
        return;
      }
      this.first ??= h;
      this.count++;
      this.skip = h.length - 4;
    }
  }
}

/** CRC-16/ARC (LAME's tag and music CRC). */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc16(buf: Uint8Array, start: number, end: number, crc: number): number {
  let c = crc;
  for (let i = start; i < end; i++) c = (c >>> 8) ^ CRC_TABLE[(c ^ buf[i]!) & 0xff]!;
  return c & 0xffff;
}
