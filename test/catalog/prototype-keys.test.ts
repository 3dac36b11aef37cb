import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { builtInActionTypes, createCatalog, defineActionType } from '../../src/index.js';

describe('prototype-pollution keys never reach a parameter schema', () => {
  const loose = defineActionType({
    id: 'tagDevice',
    displayName: 'Tag device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.record(z.string(), z.unknown()),
  });
  const catalog = createCatalog([...builtInActionTypes, loose]);

  it.each(['__proto__', 'constructor', 'prototype'])(
    'parseParameters refuses a "%s" key even for a permissive user schema',
    (key) => {
      if (!catalog.ok) throw new Error(catalog.error.message);
      const r = catalog.value.parseParameters(
        'tagDevice',
        JSON.parse(`{"ok": 1, "nested": {"${key}": {"polluted": true}}}`),
      );
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalidParameters');
        if (r.error.code === 'invalidParameters')
          expect(r.error.issues[0]?.path).toEqual(['parameters', 'nested', key]);
        else expect.fail(r.error.code);
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  it('accepts the same object without the key', () => {
    if (!catalog.ok) throw new Error(catalog.error.message);
    expect(catalog.value.parseParameters('tagDevice', { ok: 1, nested: { fine: true } })).toEqual({
      ok: true,
      value: { ok: 1, nested: { fine: true } },
    });
  });
});
