import { execFile } from 'node:child_process';
import { createError } from '../../errors/registry.js';

/** What to say, and in what voice. */
export interface TtsRequest {
  text: string;
  /** An engine voice name (espeak-ng: `en-us`, `cmn`, `en-us+f3`…). Wins over `language`. */
  voice?: string;
  /** A BCP-47 language tag (`en-US`, `zh-CN`); the engine picks its voice for it. */
  language?: string;
}

/** Rendered speech. */
export interface TtsAudio {
  contentType: 'audio/wav';
  audio: Buffer;
}

/**
 * Text-to-speech for prompt previews (IVR-02): lets an admin hear a `say` prompt while editing a
 * flow. Calls themselves are spoken by the telephony provider's TTS (`say`); this port only
 * renders previews, so the default engine is espeak-ng from the OS packages — it needs no cloud
 * account. Another engine implements this port and is registered as `tts` in `container.ts`.
 *
 * Implementations throw `tts_unavailable` (503) when the engine is not installed or reachable,
 * `validation_failed` for a voice the engine does not have, and `tts_failed` otherwise.
 */
export interface TtsPort {
  /** Engine name, for logs and the response header `X-Tts-Engine`. */
  readonly engine: string;
  synthesize(req: TtsRequest): Promise<TtsAudio>;
}

/** Options of {@link EspeakNgTts} (the `tts` section of the config). */
export interface EspeakNgOptions {
  espeakNgPath: string;
  defaultVoice: string;
  speed: number;
  timeoutMs: number;
}

/** Largest WAV a preview may produce (≈ 45 minutes at 22 kHz): a guard, never reached by the text limit. */
const MAX_OUTPUT_BYTES = 120 * 1024 * 1024;

/** How to install the default engine, told to the admin when it is missing. */
export const ESPEAK_INSTALL_HINT =
  'Install espeak-ng on the server (Debian/Ubuntu: `apt-get install espeak-ng`; macOS: `brew install espeak-ng`) ' +
  'or set `tts.espeakNgPath` in plugins.config.ts to its location.';

/**
 * espeak-ng through `execFile` (no shell). The text goes to the process on stdin (`--stdin`),
 * never as an argument: a text starting with `-` can then never be read as an option (such as
 * `-w <file>`). Its `--stdout` WAV header carries placeholder sizes (it cannot seek a pipe), so
 * the sizes are fixed up before the audio leaves, or browsers and decoders reject it.
 */
export class EspeakNgTts implements TtsPort {
  readonly engine = 'espeak-ng';
  private readonly opts: EspeakNgOptions;

  constructor({ config }: { config: { tts: EspeakNgOptions } }) {
    this.opts = config.tts;
  }

  async synthesize(req: TtsRequest): Promise<TtsAudio> {
    const voice = (req.voice ?? req.language ?? this.opts.defaultVoice).toLowerCase().replace(/_/g, '-');
    const args = ['--stdout', '--stdin', '-b', '1', '-v', voice, '-s', String(this.opts.speed)];
    const { stdout, stderr } = await new Promise<{ stdout: Buffer; stderr: string }>((resolve, reject) => {
      const child = execFile(
        this.opts.espeakNgPath,
        args,
        { encoding: 'buffer', timeout: this.opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES },
        (err, out, errOut) => {
          const stderrText = errOut.toString('utf8').trim();
          if (!err) return resolve({ stdout: out, stderr: stderrText });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
          if (e.code === 'ENOENT' || e.code === 'EACCES') {
            return reject(
              createError('tts_unavailable', `The TTS engine espeak-ng was not found. ${ESPEAK_INSTALL_HINT}`, {
                details: { engine: this.engine, path: this.opts.espeakNgPath },
                cause: err,
              }),
            );
          }
          if (e.killed) {
            return reject(
              createError('tts_failed', `espeak-ng did not finish within ${this.opts.timeoutMs} ms`, { cause: err }),
            );
          }
          if (/voice does not exist/i.test(stderrText)) {
            return reject(
              createError('validation_failed', `espeak-ng has no voice "${voice}"`, {
                details: [
                  { path: req.voice ? 'body.voice' : 'body.language', message: stderrText, code: 'unknown_voice' },
                ],
              }),
            );
          }
          return reject(createError('tts_failed', `espeak-ng failed: ${stderrText || e.message}`, { cause: err }));
        },
      );
      // A missing binary closes stdin at once; that EPIPE is reported through the callback instead.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(req.text, 'utf8');
    });
    const audio = fixWavSizes(stdout);
    if (!audio) throw createError('tts_failed', `espeak-ng produced no audio${stderr ? `: ${stderr}` : ''}`);
    return { contentType: 'audio/wav', audio };
  }
}

/**
 * Sets the RIFF and `data` chunk sizes of a WAV to what the buffer really holds (a WAV written
 * to a pipe has placeholders there). Undefined when the bytes are no WAV or have no data chunk.
 */
export function fixWavSizes(wav: Buffer): Buffer | undefined {
  if (wav.length < 44 || wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') {
    return undefined;
  }
  const out = Buffer.from(wav);
  out.writeUInt32LE(out.length - 8, 4);
  let at = 12;
  while (at + 8 <= out.length) {
    const id = out.toString('latin1', at, at + 4);
    const size = out.readUInt32LE(at + 4);
    if (id === 'data') {
      const available = out.length - (at + 8);
      if (size > available) out.writeUInt32LE(available, at + 4);
      return available > 0 ? out : undefined;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
