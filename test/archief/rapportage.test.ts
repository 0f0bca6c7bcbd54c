import { describe, expect, it } from 'vitest';
import { Rapportage, type Runtelling } from '../../src/archief/rapportage.js';

type R = Runtelling & { klaar: number };
const rapportage = () =>
  new Rapportage<'klaar', { uitkomst: 'klaar' | 'quarantaine' | 'doorgegeven' }, R>(
    { berichten: 0, quarantaine: 0, doorgegeven: 0, perBerichttype: {}, gequarantaineerd: [], klaar: 0 },
    () => undefined,
  );

describe('Rapportage: an input met twice counts once', () => {
  it('when the command line names a folder and a file inside it, or a path twice', () => {
    for (const invoer of [['in', 'in/a.xml'], ['in/', 'in'], ['./in/a.xml', '.'], ['/x/in', '/x/in/sub']]) {
      const r = rapportage();
      r.invoer(invoer);
      r.voegToe('in/a.xml', { uitkomst: 'klaar' });
      r.voegToe('in/a.xml', { uitkomst: 'klaar' });
      expect(r.rapport.berichten, invoer.join(' ')).toBe(1);
    }
  });

  it('a zip entry whose name the archive holds twice, whatever the command line', () => {
    const r = rapportage();
    r.invoer(['a.zip', 'b']);
    r.voegToe('a.zip!x.xml', { uitkomst: 'klaar' });
    r.voegToe('a.zip!x.xml', { uitkomst: 'klaar' });
    r.voegToe('b/y.xml', { uitkomst: 'klaar' });
    expect(r.rapport.berichten).toBe(2);
  });

  it('without the command line (a caller that does not say), every path is remembered', () => {
    const r = rapportage();
    r.voegToe('in/a.xml', { uitkomst: 'klaar' });
    r.voegToe('in/a.xml', { uitkomst: 'klaar' });
    expect(r.rapport.berichten).toBe(1);
  });

  it('paths that cannot meet are not remembered (a run of a large archive keeps no path in memory)', () => {
    const r = rapportage();
    r.invoer(['in', 'in2', 'uit/a.xml']);
    r.voegToe('in/a.xml', { uitkomst: 'klaar' });
    expect((r as unknown as { gezien: Set<string> }).gezien.size).toBe(0);
  });
});
