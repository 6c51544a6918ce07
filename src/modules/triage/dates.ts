/** Calendar arithmetic for due and review dates. Pure: the current time is always passed in. */

const DAY_MS = 86_400_000;

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

export function addHours(d: Date, hours: number): Date {
  return new Date(d.getTime() + hours * 3_600_000);
}

/** 'YYYY-MM-DD' of a moment, in UTC (dates are stored as SQL `date`). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Midnight UTC at the start of an ISO day. */
export function dayStart(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Whole years between a date of birth and now (for scoring when only a DOB was given). */
export function ageOn(dob: string, now: Date): number {
  const b = dayStart(dob);
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  const m = now.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < b.getUTCDate())) age -= 1;
  return Math.max(0, age);
}
