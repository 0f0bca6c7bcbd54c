import { describe, expect, it } from 'vitest';
import { uuidV7 } from '../../src/bronregistratie/outbox.js';

describe('uuidV7: the outbox id', () => {
  const VORM = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a version 7 UUID with the milliseconds in front, unique across the blocks its random bits come from', () => {
    const nu = Date.parse('2027-07-01T12:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => uuidV7(nu));
    for (const id of ids) expect(id).toMatch(VORM);
    expect(new Set(ids).size).toBe(1000);
    const ms = nu.toString(16).padStart(12, '0');
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe(ms);
    // the random part differs between ids, also across the 256-id blocks
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(1000);
  });

  it('sorts by time', () => {
    const a = uuidV7(Date.parse('2027-07-01T00:00:00.000Z'));
    const b = uuidV7(Date.parse('2027-07-01T00:00:00.001Z'));
    const c = uuidV7(Date.parse('2028-01-01T00:00:00.000Z'));
    expect([c, a, b].sort()).toEqual([a, b, c]);
  });
});
