/**
 * What an avatar shows for a name: the first letters of the first two words of a Latin name
 * ("Agent Two" → "AT"), else the first character (王芳 → 王), so colleagues differ at a glance.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2 && /^[A-Za-z]/.test(words[0]!) && /^[A-Za-z]/.test(words[1]!)) {
    return (words[0]![0]! + words[1]![0]!).toUpperCase();
  }
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}
