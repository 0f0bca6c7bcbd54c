/** Counts in plain English for the summaries of `convert`, `rehydrate` and `validate`: "1 message", "2 messages". */
export function aantal(n: number, enkelvoud: string, meervoud = `${enkelvoud}s`): string {
  return `${n} ${n === 1 ? enkelvoud : meervoud}`;
}
