/**
 * The layer rule of src/: each layer imports only layers below it, and no two modules import each other in a
 * circle. Checked by `npm run lagen` (part of `npm test`), so it stays true. From the bottom:
 *
 *   fout.ts, pakket.ts        the error vocabulary, the package's own facts
 *   werkers/                  a generic worker-thread pool (runs a task module it is given)
 *   bericht/                  the 3.2 message layer: reading, detection, schemas, validation
 *   archief/                  files, directories and zips in; atomic writes, zips and quarantine out
 *   informatieobject/         the informatieobjecten
 *   config/                   the configuration: its JSON Schema, the types derived from it, loading, defaults
 *   plan/                     the cutover plan: phases, cutover set
 *   bronregistratie/, toegang/  the store, and who may read what (doelbinding)
 *   herschrijven/             splicing Sleutels into and data back into a message, pure functions over text
 *   omzetten/, rehydreren/, notificaties/, netwerk/   the transforms of each direction, notifications, remote owners
 *   runs/, server/, ontvangst/  runs over archives and folders, the HTTP sidecar, and its receiving worker
 *   cli/                      the commands
 */
const lagen = [
  ['fout\\.ts', 'pakket\\.ts'],
  ['werkers'],
  ['bericht'],
  ['archief'],
  ['informatieobject'],
  ['config'],
  ['plan'],
  ['bronregistratie', 'toegang'],
  ['herschrijven'],
  ['omzetten', 'rehydreren', 'notificaties', 'netwerk'],
  ['runs', 'server', 'ontvangst'],
  ['cli'],
];
const pad = (namen) => `^src/(${namen.join('|')})(/|$)`;

module.exports = {
  forbidden: [
    {
      name: 'geen-kringen',
      comment: 'no two modules import each other, directly or through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...lagen.slice(0, -1).map((laag, i) => ({
      name: `laag-${laag.join('-').replace(/\\\.ts/g, '')}`,
      comment: `${laag.join(', ')} may import only layers below it`,
      severity: 'error',
      from: { path: pad(laag) },
      to: { path: pad(lagen.slice(i + 1).flat()) },
    })),
    {
      name: 'geen-onbekende-map',
      comment: 'every folder of src/ has its place in the layers above',
      severity: 'error',
      from: { path: '^src/', pathNot: pad(lagen.flat()) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
