/** Writes docs/publish/incident.schema.json from the document's definition (src/publish/json-doc.ts). */
import { writeFileSync } from 'node:fs';
import { incidentJsonSchema } from '../src/publish/json-doc.ts';

const target = new URL('../docs/publish/incident.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(incidentJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
