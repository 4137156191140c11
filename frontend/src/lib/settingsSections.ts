// The settings screen's sections, in order. A feature adds its section
// here: an id (used in data-section and settings.show(id)), a title, the
// component that renders its content, and optionally when it is available
// (a bound service missing in this build hides it).

import type { Component } from 'svelte';
import { hasService } from './api';
import { tset } from './settingsStrings';
import AccountsSettings from '../components/settings/AccountsSettings.svelte';
import LabelsSettings from '../components/settings/LabelsSettings.svelte';
import NotificationSettings from '../components/settings/NotificationSettings.svelte';
import WebsiteSettings from '../components/settings/WebsiteSettings.svelte';
import OfflineSettings from '../components/OfflineSettings.svelte';
import DataSettings from '../components/archive/DataSettings.svelte';
import { tx } from './exportStrings';
import SignatureSettings from '../components/SignatureSettings.svelte';
import CannedReplies from '../components/CannedReplies.svelte';
import { tw } from './writingStrings';

export interface SettingsSection {
  id: string;
  title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: Component<any>;
  available?: () => boolean;
}

export const settingsSections: SettingsSection[] = [
  { id: 'accounts', title: tset.sections.accounts, component: AccountsSettings },
  { id: 'labels', title: tset.sections.labels, component: LabelsSettings },
  { id: 'signatures', title: tw.signatures.heading, component: SignatureSettings },
  { id: 'canned', title: tw.canned.heading, component: CannedReplies },
  { id: 'notifications', title: tset.sections.notifications, component: NotificationSettings },
  { id: 'offline', title: tset.sections.offline, component: OfflineSettings },
  { id: 'website', title: tset.sections.website, component: WebsiteSettings, available: () => hasService('Channels') },
  { id: 'data', title: tx.settings.section, component: DataSettings, available: () => hasService('Archive') },
];

/** visibleSections are the sections this build can show. */
export function visibleSections(all: SettingsSection[] = settingsSections): SettingsSection[] {
  return all.filter((s) => !s.available || s.available());
}
