export { maakPki, type Certificaat, type Pki } from '../../scripts/pki.js';
