/** A command-line flag's whole number, at least `min`; throws with the usage line otherwise. */
export function wholeNumberFlag(flag: string, text: string, min: number, usage: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${flag} must be a whole number >= ${min}, got "${text}"\nusage: ${usage}`);
  }
  return value;
}
