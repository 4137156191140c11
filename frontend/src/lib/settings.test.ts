import { describe, expect, it } from 'vitest';
import { isSettingsKey, SettingsState } from './settings.svelte';
import { visibleSections, type SettingsSection } from './settingsSections';

describe('settings shortcut', () => {
  it('is Ctrl+, or Cmd+, without other modifiers', () => {
    expect(isSettingsKey({ key: ',', ctrlKey: true })).toBe(true);
    expect(isSettingsKey({ key: ',', metaKey: true })).toBe(true);
    expect(isSettingsKey({ key: ',' })).toBe(false);
    expect(isSettingsKey({ key: ',', ctrlKey: true, altKey: true })).toBe(false);
    expect(isSettingsKey({ key: ',', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(isSettingsKey({ key: '.', ctrlKey: true })).toBe(false);
  });
});

describe('settings state', () => {
  it('opens on a section, keeps it when reopened, toggles', () => {
    const s = new SettingsState();
    expect(s.open).toBe(false);
    s.show('labels');
    expect([s.open, s.section]).toEqual([true, 'labels']);
    s.hide();
    s.show();
    expect([s.open, s.section]).toEqual([true, 'labels']);
    s.toggle();
    expect(s.open).toBe(false);
  });
});

describe('settings sections', () => {
  it('hides sections whose service this build lacks', () => {
    const c = (() => {}) as unknown as SettingsSection['component'];
    const all: SettingsSection[] = [
      { id: 'a', title: 'A', component: c },
      { id: 'b', title: 'B', component: c, available: () => false },
      { id: 'c', title: 'C', component: c, available: () => true },
    ];
    expect(visibleSections(all).map((s) => s.id)).toEqual(['a', 'c']);
  });
});
