/** The read models' id order: shorter ids first, then bytewise ("2" before "10"). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
