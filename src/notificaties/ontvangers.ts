/**
 * Who receives a notification: by rule, every counterpart the record was sent to (its verstrekkingen); by
 * subscription, each active subscription asking for the type whose participant received the record. An end
 * (`beeindigd`) for one counterpart goes to that counterpart only. Grounds
 * are checked again just before each send (bezorging.ts); here a participant that never received the record
 * is simply not addressed. A key-only message (soort `bericht`) goes to its Ontvanger and to that Ontvanger's
 * own subscriptions that ask for its type, nobody else.
 */
import { abonnementWachtrij, regelWachtrij, type Abonnement, type Ontvanger, type OutboxRij } from '../bronregistratie/notificatiestore.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { typeVoor } from './catalogus.js';
import { eindpuntVan, type Instellingen } from './instellingen.js';

export const GEEN_EINDPUNT = 'geen-eindpunt: no notification endpoint for this counterpart (notificaties.ontvangers or adresboek)';

export function ontvangersVan(bronregistratie: Bronregistratie, i: Instellingen): (n: OutboxRij, abonnementen: readonly Abonnement[]) => Ontvanger[] {
  return (n, abonnementen) => {
    const type = typeVoor(n.object, n.soort);
    // a key-only message: its Ontvanger (the entry's one counterpart) by rule, and that Ontvanger's subscriptions
    if (n.soort === 'bericht') {
      const ontvanger = n.alleenVoor;
      if (!ontvanger || !type) return [];
      const uit: Ontvanger[] = [{ wachtrij: regelWachtrij(ontvanger), ontvanger, abonnement: null, ...(eindpuntVan(i, ontvanger) ? {} : { vervallen: GEEN_EINDPUNT }) }];
      for (const a of abonnementen) {
        if (a.deelnemer !== ontvanger || (a.types.length && !a.types.includes(type.id))) continue;
        uit.push({ wachtrij: abonnementWachtrij(a.id), ontvanger, abonnement: a.id });
      }
      return uit;
    }
    // a record of unknown law (schema v3, not placed by the law separation) is its owner's only: announced to nobody
    if (n.wet === null) return [];
    // an end for one counterpart goes to that counterpart only
    const verstrekkingen = bronregistratie.verstrekkingen(n.sleutel).filter((v) => !n.alleenVoor || v.tegenpartij === n.alleenVoor);
    const uit: Ontvanger[] = verstrekkingen.map((v) => ({
      wachtrij: regelWachtrij(v.tegenpartij),
      ontvanger: v.tegenpartij,
      abonnement: null,
      ...(eindpuntVan(i, v.tegenpartij) ? {} : { vervallen: GEEN_EINDPUNT }),
    }));
    for (const a of abonnementen) {
      if (type && a.types.length && !a.types.includes(type.id)) continue;
      if (!verstrekkingen.some((v) => v.tegenpartij === a.deelnemer)) continue;
      uit.push({ wachtrij: abonnementWachtrij(a.id), ontvanger: a.deelnemer, abonnement: a.id });
    }
    return uit;
  };
}
