/** A run's workers make the identity hashes (runs/taak.ts): the store finds by them what it finds by its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import type { BerichtPlan } from '../../src/omzetten/bericht.js';
import { hashIdentiteiten } from '../../src/runs/taak.js';

const mappen: string[] = [];
afterEach(() => mappen.splice(0).forEach((m) => rmSync(m, { recursive: true, force: true })));
function store(): Bronregistratie {
  const map = mkdtempSync(join(tmpdir(), 'nb-hash-'));
  mappen.push(map);
  return new Bronregistratie(join(map, 'bron.db'));
}

const plan = (): BerichtPlan => ({
  wet: 'wmo',
  dagtekening: '2027-01-05',
  berichtIdentificatie: 'B1',
  stappen: [
    { soort: 'object', object: 'relatie', rol: 'bron', fase: 'voor', eigenaar: '0363', tegenpartij: '12345678', identiteit: ['999912343', 'REL-1'], inhoud: { Nummer: 'REL-1' }, gesleuteld: false,
      verwijzing: { object: 'toewijzing', eigenaar: '0363', identiteit: ['999912343', '7000001'], melding: 'unknown', plaats: '/Bericht' } },
    { soort: 'object', object: 'relatie', rol: 'bron', fase: 'inactief', eigenaar: '0363', tegenpartij: '12345678', gesleuteld: false },
  ],
});

describe('identity hashes made in a worker', () => {
  it('are the hashes the store makes itself: a record registered by one is found by the other, a reference too', () => {
    const s = store();
    const p = plan();
    hashIdentiteiten(p, { standaard: s.hashgeheim, perEigenaar: {} });
    const stap = p.stappen[0]!;
    if (stap.soort !== 'object') throw new Error('plan');
    expect(stap.identiteitHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stap.verwijzing?.identiteitHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stap.verwijzing?.identiteitHash).not.toBe(stap.identiteitHash);
    // an inactive object has no identity, so no hash
    expect(p.stappen[1]).not.toHaveProperty('identiteitHash');
    // the content goes as text and hash, not as an object
    expect(stap.inhoud).toBeUndefined();
    expect(stap.inhoudTekst).toBe('{"Nummer":"REL-1"}');
    const r = s.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0363', identiteit: stap.identiteit!, inhoud: stap.inhoud, inhoudTekst: stap.inhoudTekst!, inhoudHash: stap.inhoudHash!, dagtekening: p.dagtekening, berichtIdentificatie: 'B1', tegenpartij: '12345678', toewijzingEinde: null, identiteitHash: stap.identiteitHash! });
    expect(s.zoekSleutel('wmo', 'relatie', '0363', stap.identiteit!)).toBe(r.sleutel);
    expect(s.versie(r.sleutel)?.inhoud).toEqual({ Nummer: 'REL-1' });
    // a later message with the same content, registered the store's own way, is the same version; other content is not
    const zelfde = { wet: 'wmo', object: 'relatie', eigenaar: '0363', identiteit: stap.identiteit!, dagtekening: '2027-01-06', tegenpartij: '12345678', toewijzingEinde: null } as const;
    expect(s.registreer({ ...zelfde, inhoud: { Nummer: 'REL-1' }, berichtIdentificatie: 'B2' })).toMatchObject({ sleutel: r.sleutel, versie: 1, nieuweVersie: false });
    expect(s.registreer({ ...zelfde, inhoud: { Nummer: 'REL-2' }, berichtIdentificatie: 'B3' })).toMatchObject({ sleutel: r.sleutel, versie: 2, nieuweVersie: true });
    // the toewijzing it names, registered the store's own way, is found by the worker's hash
    const t = s.registreer({ wet: 'wmo', object: 'toewijzing', eigenaar: '0363', identiteit: ['999912343', '7000001'], inhoud: {}, dagtekening: p.dagtekening, berichtIdentificatie: 'B0', tegenpartij: '12345678', toewijzingEinde: null });
    expect(s.zoekSleutel('wmo', 'toewijzing', '0363', ['x'], stap.verwijzing!.identiteitHash)).toBe(t.sleutel);
    s.sluit();
  });

  it('take the secret of the store that keeps the owner; an owner without one gets no hash', () => {
    const a = store();
    const b = store();
    const p = plan();
    hashIdentiteiten(p, { perEigenaar: { '0363': b.hashgeheim } });
    const stap = p.stappen[0]!;
    if (stap.soort !== 'object') throw new Error('plan');
    const q = plan();
    hashIdentiteiten(q, { standaard: a.hashgeheim, perEigenaar: {} });
    const metA = q.stappen[0]!;
    if (metA.soort !== 'object') throw new Error('plan');
    // two stores, two secrets: the hashes differ, and each is its own store's
    expect(stap.identiteitHash).not.toBe(metA.identiteitHash);
    const r = b.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0363', identiteit: stap.identiteit!, inhoud: {}, dagtekening: p.dagtekening, berichtIdentificatie: 'B1', tegenpartij: '12345678', toewijzingEinde: null, identiteitHash: stap.identiteitHash! });
    expect(b.zoekSleutel('wmo', 'relatie', '0363', stap.identiteit!)).toBe(r.sleutel);
    const zonder = plan();
    hashIdentiteiten(zonder, { perEigenaar: { '0999': b.hashgeheim } });
    expect(zonder.stappen[0]).not.toHaveProperty('identiteitHash');
    a.sluit();
    b.sluit();
  });

  it('the snapshot group and the person: a record registered with them ends, and is found at inzage, the store\'s own way', () => {
    const s = store();
    const groepPlan = (id: string, nummer: string | undefined): BerichtPlan => ({
      wet: 'wmo',
      dagtekening: id === 'B1' ? '2027-01-05' : '2027-02-05',
      berichtIdentificatie: id,
      stappen: [
        ...(nummer
          ? [{ soort: 'object' as const, object: 'relatie', rol: 'bron' as const, fase: 'voor' as const, eigenaar: '0363', tegenpartij: '12345678', identiteit: ['999912343', nummer], inhoud: { Nummer: nummer }, gesleuteld: false, groep: ['999912343'] }]
          : []),
        { soort: 'einde', object: 'relatie', eigenaar: '0363', tegenpartij: '12345678', groep: ['999912343'] },
      ],
    });
    // the first message: registered with the worker's hashes
    const p = groepPlan('B1', 'REL-1');
    hashIdentiteiten(p, { standaard: s.hashgeheim, perEigenaar: {} });
    const stap = p.stappen[0]!;
    const einde = p.stappen[1]!;
    if (stap.soort !== 'object' || einde.soort !== 'einde') throw new Error('plan');
    expect(stap.groepHash).toMatch(/^[0-9a-f]{64}$/);
    expect(einde.groepHash).toBe(stap.groepHash);
    // a database laid out by person needs no person index hash (its identity index is one: inzage.ts)
    expect(stap.persoonHash).toBeUndefined();
    const basis = { wet: 'wmo', object: 'relatie', eigenaar: '0363', tegenpartij: '12345678', toewijzingEinde: null } as const;
    const r = s.transactie(() => {
      const r = s.registreer({ ...basis, identiteit: stap.identiteit!, inhoud: undefined, inhoudTekst: stap.inhoudTekst!, inhoudHash: stap.inhoudHash!, dagtekening: p.dagtekening, berichtIdentificatie: 'B1', groep: stap.groep!, identiteitHash: stap.identiteitHash!, groepHash: stap.groepHash! });
      s.beeindigOntbrekende({ wet: 'wmo', object: 'relatie', eigenaar: '0363', tegenpartij: '12345678', groep: einde.groep, dagtekening: p.dagtekening, berichtIdentificatie: 'B1', aanwezig: [r.sleutel], groepHash: einde.groepHash! });
      return r;
    });
    // inzage by BSN finds it: the person's hash is the one the store makes
    expect(s.sleutelsVanPersoon('999912343', '0363')).toEqual([r.sleutel]);
    // a later snapshot, the store's own way, without the relatie: it ends (the group's hash is the same)
    expect(s.beeindigOntbrekende({ wet: 'wmo', object: 'relatie', eigenaar: '0363', tegenpartij: '12345678', groep: ['999912343'], dagtekening: '2027-02-05', berichtIdentificatie: 'B2', aanwezig: [] })).toEqual([r.sleutel]);
    s.sluit();
  });
});
