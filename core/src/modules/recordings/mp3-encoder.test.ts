import { MPEGDecoder } from 'mpg123-decoder';
import { describe, expect, it } from 'vitest';
import { Mp3StreamEncoder, defaultKbps } from './mp3-encoder.js';

/** 16-bit LE PCM of a sine per channel (interleaved), at a level like speech. */
function tones(sampleRate: number, seconds: number, freqs: number[]): Buffer {
  const n = Math.round(sampleRate * seconds);
  const ch = freqs.length;
  const pcm = Buffer.alloc(n * ch * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * freqs[c]! * i) / sampleRate)), (i * ch + c) * 2);
    }
  }
  return pcm;
}

/** Feeds `pcm` in slices of the given sizes (cycling), as a socket would deliver it. */
function encodeInSlices(enc: Mp3StreamEncoder, pcm: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0, k = 0; o < pcm.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(enc.encode(pcm.subarray(o, o + size)));
    o += size;
  }
  out.push(enc.flush());
  return out;
}

/** Zero crossings per second of a decoded channel. */
function crossingsPerSecond(x: Float32Array, sampleRate: number): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) n++;
  return n / (x.length / sampleRate);
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

describe('Mp3StreamEncoder', () => {
  /** A fresh decoder per stream: mpg123 keeps stream state (and reads the Info frame once). */
  const decode = async (mp3: Buffer) => {
    const decoder = new MPEGDecoder();
    await decoder.ready;
    try {
      return decoder.decode(new Uint8Array(mp3));
    } finally {
      decoder.free();
    }
  };

  it('[REC-04] encodes 3.0 s of 8 kHz stereo into valid MP3 with each channel intact', async () => {
    const pcm = tones(8000, 3, [440, 1000]);
    const enc = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 });
    expect(enc.kbps).toBe(32);
    // Odd sizes: samples and even single bytes are split across calls.
    const audio = Buffer.concat(encodeInSlices(enc, pcm, [333, 1, 640, 7, 1999]));
    expect(enc.samplesPerChannel).toBe(24_000);
    expect(enc.durationMs).toBe(3000);
    expect(audio.readUInt16BE(0) & 0xffe0).toBe(0xffe0); // frame sync

    const decoded = await decode(audio);
    expect(decoded.errors).toEqual([]);
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.channelData).toHaveLength(2);
    // Without the Info frame a decoder adds the encoder delay and padding: a few frames at most.
    const seconds = decoded.samplesDecoded / decoded.sampleRate;
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThan(3 + (3 * 576) / 8000);

    const [left, right] = decoded.channelData as [Float32Array, Float32Array];
    expect(crossingsPerSecond(left, 8000)).toBeGreaterThan(800);
    expect(crossingsPerSecond(left, 8000)).toBeLessThan(960); // 440 Hz → 880/s
    expect(crossingsPerSecond(right, 8000)).toBeGreaterThan(1850);
    expect(crossingsPerSecond(right, 8000)).toBeLessThan(2150); // 1000 Hz → 2000/s
    expect(rms(left)).toBeGreaterThan(0.1);
    expect(rms(right)).toBeGreaterThan(0.1);
  });

  it('[REC-04] the Info frame makes decoders play exactly the samples that went in', async () => {
    const pcm = tones(8000, 3, [440, 1000]);
    const enc = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 });
    expect(enc.infoFrame()).toBeNull(); // not before flush
    const audio = Buffer.concat(encodeInSlices(enc, pcm, [640]));
    const info = enc.infoFrame()!;
    expect(info.subarray(21, 25).toString('latin1')).toBe('Info');
    expect(info.includes(Buffer.from('LAME'))).toBe(true);

    const decoded = await decode(Buffer.concat([info, audio]));
    expect(decoded.errors).toEqual([]);
    expect(decoded.samplesDecoded).toBe(24_000);
    // Sample-aligned: the decoded left channel follows the input sine from the first sample.
    const left = decoded.channelData[0]!;
    let err = 0;
    for (let i = 1000; i < 2000; i++)
      err += Math.abs(left[i]! - (8000 / 32768) * Math.sin((2 * Math.PI * 440 * i) / 8000));
    expect(err / 1000).toBeLessThan(0.05);
  });

  it('[REC-04] the output does not depend on how the PCM was sliced', () => {
    const pcm = tones(8000, 1, [440, 1000]);
    const whole = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 });
    const sliced = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 });
    const a = Buffer.concat([whole.encode(pcm), whole.flush()]);
    const b = Buffer.concat(encodeInSlices(sliced, pcm, [3, 1, 2, 5, 321, 160]));
    expect(b.equals(a)).toBe(true);
    expect(sliced.infoFrame()!.equals(whole.infoFrame()!)).toBe(true);
  });

  it('[REC-04] encodes mono and other sample rates with exact durations', async () => {
    for (const [sampleRate, channels] of [
      [8000, 1],
      [16000, 1],
      [16000, 2],
      [48000, 2], // resampled by the encoder; the duration stays exact
    ] as const) {
      const freqs = channels === 2 ? [440, 1000] : [440];
      const pcm = tones(sampleRate, 1.5, freqs);
      const enc = new Mp3StreamEncoder({ sampleRate, channels });
      expect(enc.kbps).toBe(defaultKbps(sampleRate, channels));
      const audio = Buffer.concat(encodeInSlices(enc, pcm, [999]));
      const decoded = await decode(Buffer.concat([enc.infoFrame()!, audio]));
      expect(decoded.errors, `${sampleRate}/${channels}`).toEqual([]);
      // The frame header's channel mode (11 = mono); mpg123-decoder always hands out two channels.
      expect(audio[3]! >> 6 === 3, `${sampleRate}/${channels}`).toBe(channels === 1);
      expect(decoded.samplesDecoded / decoded.sampleRate, `${sampleRate}/${channels}`).toBeCloseTo(1.5, 2);
    }
  });

  it('[REC-04] no audio means no Info frame; flush is final', () => {
    const enc = new Mp3StreamEncoder({ sampleRate: 8000, channels: 2 });
    expect(enc.encode(Buffer.from([1, 2, 3]))).toHaveLength(0); // less than one stereo sample
    enc.flush();
    expect(enc.samplesPerChannel).toBe(0);
    expect(enc.infoFrame()).toBeNull();
    expect(enc.flush()).toHaveLength(0);
    expect(() => enc.encode(Buffer.alloc(4))).toThrow(/after flush/);
    expect(() => new Mp3StreamEncoder({ sampleRate: 7000, channels: 1 })).toThrow(RangeError);
  });
});
