/**
 * What the objects of the 301 Toewijzing share: a counterpart's grounds last as long as the toewijzingen of
 * the same message, the latest Einddatum of its ToegewezenProducten (open-ended when one has none). A 301 is a
 * full snapshot of the client's toewijzingen at the aanbieder, so the latest message decides.
 */
import type { Grondeinde } from './type.js';

export const TOEWIJZINGSPERIODE: Grondeinde = { uit: 'perioden', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], einddatum: 'Einddatum' };
