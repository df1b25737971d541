import { fileTypeFromBuffer } from 'file-type';
import { createError, type AppError } from '../../errors/registry.js';

/** Image types a message may carry, by what `file-type` reports, with the file extension kept. */
export const IMAGE_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

/** Largest image a message may carry (5 MiB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** 413 for an image over {@link MAX_IMAGE_BYTES}. */
export function imageTooLarge(): AppError {
  return createError('image_too_large', `An image may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`, {
    details: { maxBytes: MAX_IMAGE_BYTES },
  });
}

/**
 * The type of an uploaded image, from its bytes alone: the `Content-Type` a client sends (and
 * the file name it had) say nothing about what the bytes are, and the type is what the image is
 * served back as. 415 `image_unsupported_type` for anything but PNG, JPEG, GIF and WebP,
 * naming what was found.
 */
export async function sniffImage(bytes: Uint8Array): Promise<{ type: ImageType; ext: string }> {
  const found = await fileTypeFromBuffer(bytes);
  if (found && found.mime in IMAGE_TYPES) {
    const type = found.mime as ImageType;
    return { type, ext: IMAGE_TYPES[type] };
  }
  throw createError(
    'image_unsupported_type',
    `Send a PNG, JPEG, GIF or WebP image; ${found ? `this file is ${found.mime}` : 'this file is not an image of a known type'}`,
    { details: { allowed: Object.keys(IMAGE_TYPES), detected: found?.mime ?? null } },
  );
}
