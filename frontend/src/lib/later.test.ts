import { describe, expect, it } from 'vitest';
import type { Component } from 'svelte';
import { Later } from './later.svelte';

const Fake = (() => {}) as unknown as Component;

describe('Later', () => {
  it('loads its component once, on demand', async () => {
    let calls = 0;
    const l = new Later(async () => {
      calls++;
      return { default: Fake };
    });
    expect(calls).toBe(0);
    expect(l.component).toBeNull();
    await Promise.all([l.load(), l.load()]);
    await l.load();
    expect(calls).toBe(1);
    expect(l.component).toBe(Fake);
  });

  it('keeps a failed load as an error instead of throwing', async () => {
    const l = new Later(() => Promise.reject(new Error('chunk missing')));
    await l.load();
    expect(l.component).toBeNull();
    expect(l.error).toBe('chunk missing');
  });
});
