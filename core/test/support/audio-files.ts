/**
 * Real audio files for tests: WAV from generated PCM, MP3 encoded from it by lamejs. Made here
 * rather than checked in, so each test says exactly what it uploads (length, rate, format).
 */
import { Mp3Encoder } from '@breezystack/lamejs';

/** A mono 16-bit PCM WAV of a 440 Hz tone. */
export function makeWav(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), 44 + i * 2);
  }
  return out;
}

/** An MP3 (lamejs, CBR 32 kbit/s mono 16 kHz) of a 440 Hz tone. */
export function makeMp3(seconds: number, sampleRate = 16000): Buffer {
  const pcm = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const enc = new Mp3Encoder(1, sampleRate, 32);
  const parts: Buffer[] = [];
  for (let i = 0; i < pcm.length; i += 1152) parts.push(Buffer.from(enc.encodeBuffer(pcm.subarray(i, i + 1152))));
  parts.push(Buffer.from(enc.flush()));
  return Buffer.concat(parts);
}
