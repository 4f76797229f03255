import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { events, methods, type SealRule } from '../../../src/contract/index.ts';

/** The fields of a method's input object, through defaults and refinements. */
function inputFields(schema: z.ZodType): string[] {
  let def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  for (let i = 0; i < 5 && !def.shape; i++) {
    const inner = (def.innerType ?? def.in) as { _zod: { def: Record<string, unknown> } } | undefined;
    if (!inner) break;
    def = inner._zod.def;
  }
  return def.shape ? Object.keys(def.shape as object) : [];
}

const named = (rule: SealRule): Record<string, string> => ('reads' in rule ? rule.reads : 'acts' in rule ? rule.acts : 'blind' in rule ? rule.blind : {});

/** Methods that take an alert's id but show or change nothing a person decided about it. */
const ALERT_IDS_WITHOUT_DECISIONS: Record<string, string> = {
  getPeaks: 'the audio as it arrived',
  heartbeat: "renews the caller's own claim on a pending alert",
  addAlertsToProject: 'copies tracks as they arrived into a data set',
};

describe('the seal rule every method and event declares', () => {
  it('names only fields the method takes', () => {
    for (const [name, spec] of Object.entries(methods)) {
      const fields = inputFields(spec.input);
      for (const field of Object.keys(named(spec.seal))) expect(fields, `${name}.${field}`).toContain(field);
    }
  });

  it('covers every method that takes an alert, incident or delivery id', () => {
    const loose: string[] = [];
    for (const [name, spec] of Object.entries(methods)) {
      const fields = inputFields(spec.input);
      const takesAlert = fields.some((f) => /^(alertId|alertIds|incidentId)$/.test(f)) || (/Deliver/.test(name) && fields.includes('id'));
      if (takesAlert && 'none' in spec.seal && !(name in ALERT_IDS_WITHOUT_DECISIONS)) loose.push(name);
    }
    expect(loose).toEqual([]);
  });

  it('keeps listings and overseer views apart from what any seat may call', () => {
    for (const [name, spec] of Object.entries(methods)) {
      if ('overseers' in spec.seal) expect(spec.roles ?? [], name).not.toContain('reviewer');
      if ('overseers' in spec.seal) expect(spec.roles ?? [], name).not.toContain('trainer');
      if ('list' in spec.seal) expect(spec.seal.list.items.length, name).toBeGreaterThan(0);
    }
  });

  it('says which alert each event is about, where it carries one', () => {
    for (const [name, spec] of Object.entries(events)) {
      const text = JSON.stringify(Object.keys((spec.payload as unknown as { _zod: { def: { shape?: object } } })._zod.def.shape ?? {}));
      if (/alert|incident|delivery|claim/i.test(text)) expect('about' in spec.seal, name).toBe(true);
    }
  });
});
