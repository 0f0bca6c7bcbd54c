import { describe, expect, it } from 'vitest';
import { instellingen, eindpuntVan, bronVan } from '../../src/notificaties/instellingen.js';
import { leesConfig } from '../../src/config/laden.js';

describe('notification settings', () => {
  it('fill in defaults: CloudEvents, Open Notificaties backoff, a source URN per owner', () => {
    const i = instellingen(leesConfig({}));
    expect(i).toMatchObject({ vorm: 'cloudevents', ontwikkeling: false, backoff: { herhalingen: 7, factorSeconden: 25, basis: 4, maxSeconden: 52000 } });
    expect(bronVan(i, '0344')).toBe('urn:nld:gemeente:0344:netwerkbrug');
  });

  it('find a counterpart’s endpoint in notificaties.ontvangers, else in the adresboek plus a path; the token from the environment', () => {
    process.env.NB_TEST_TOKEN = 'geheim';
    const i = instellingen(
      leesConfig({
        adresboek: { '22222222': { basisUrl: 'https://b.example/api/' } },
        notificaties: { ontvangers: { '11111111': { url: 'https://a.example/hook', vorm: 'iwlz', credentialOmgeving: 'NB_TEST_TOKEN' } }, adresboekPad: '/meldingen' },
      }),
    );
    expect(eindpuntVan(i, '11111111')).toEqual({ url: 'https://a.example/hook', vorm: 'iwlz', credential: 'geheim' });
    // an adresboek endpoint names its entry: delivered over mutual TLS trusting that entry's CA
    expect(eindpuntVan(i, '22222222')).toEqual({ url: 'https://b.example/api/meldingen', vorm: 'cloudevents', adresboek: '22222222' });
    expect(eindpuntVan(i, '33333333')).toBeUndefined();
  });

  it('refuse a plain http endpoint outside development mode, and unknown or malformed keys', () => {
    expect(() => instellingen(leesConfig({ notificaties: { ontvangers: { '11111111': { url: 'http://a.example/hook' } } } }))).toThrow(/notificaties\.ontvangers\.11111111\.url: must be https/);
    expect(() => instellingen(leesConfig({ notificaties: { ontwikkeling: true, ontvangers: { '11111111': { url: 'http://127.0.0.1:1/hook' } } } }))).not.toThrow();
    expect(() => leesConfig({ notificaties: { bron: 'https://gemeente.example' } })).toThrow(/notificaties\.bron: expected text matching/);
    expect(() => leesConfig({ notificaties: { backof: {} } })).toThrow(/notificaties\.backof: is not a known key/);
    expect(() => leesConfig({ notificaties: { ontvangers: { '123': { url: 'https://a.example' } } } })).toThrow(/notificaties\.ontvangers\.123: is not a counterpart code/);
    expect(() => leesConfig({ notificaties: { vorm: 'xml' } })).toThrow(/notificaties\.vorm/);
  });
});
