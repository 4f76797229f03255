import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { fileURLToPath } from 'node:url';

/** The OASIS CAP 1.2 schema from ../shared/standards, read in place. */
export const CAP_XSD_PATH = process.env.EARWITNESS_CAP_XSD ?? fileURLToPath(new URL('../../../shared/standards/cap12.xsd', import.meta.url));

/** Validates CAP XML with libxml2 (xmllint compiled to WebAssembly): a real schema validator. */
export async function validateCap(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [readFileSync(CAP_XSD_PATH, 'utf8')] });
  return { valid: r.valid, errors: r.errors.map((e) => e.message) };
}
