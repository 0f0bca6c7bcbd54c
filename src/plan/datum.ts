/** Dates as the plan, the grounds and retention use them: `YYYY-MM-DD`, one day of the calendar. */

/** `YYYY-MM-DD` that names a day of the calendar (not 2027-13-45, not 2027-02-30). */
export function isKalenderdatum(s: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
