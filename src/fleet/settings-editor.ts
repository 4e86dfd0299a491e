/** `callhome config get|set|list` over src/settings.ts: known keys only, values validated, never a secret. */
import type Conf from 'conf';
import { AbortError } from '../errors.js';
import { loadSettings, openSettingsStore, SETTING_KEYS, SettingsSchema, type SettingKey, type Settings } from '../settings.js';

function checkKey(key: string): SettingKey {
  if ((SETTING_KEYS as readonly string[]).includes(key)) return key as SettingKey;
  throw new AbortError(`"${key}" is not a setting.`, `Valid keys: ${SETTING_KEYS.join(', ')}. Secrets (passwords, tokens) are never stored; use environment variables.`);
}

/** Reads one setting (the default when unset). */
export function getSetting(key: string, store: Conf<Record<string, unknown>> = openSettingsStore()): Settings[SettingKey] {
  return loadSettings(store)[checkKey(key)];
}

/** All settings with defaults filled in. */
export function listSettings(store: Conf<Record<string, unknown>> = openSettingsStore()): Settings {
  return loadSettings(store);
}

/** Validates and stores one setting given as text; returns the stored value. */
export function setSetting(key: string, text: string, store: Conf<Record<string, unknown>> = openSettingsStore()): Settings[SettingKey] {
  const name = checkKey(key);
  const field = SettingsSchema.shape[name];
  const candidate: unknown = /^-?\d+(\.\d+)?$/.test(text) && SettingsSchema.shape[name].safeParse(Number(text)).success ? Number(text) : text;
  const parsed = field.safeParse(candidate);
  if (!parsed.success || parsed.data === undefined) {
    const why = parsed.success ? 'empty value' : parsed.error.issues.map((i) => i.message).join('; ');
    // A refused URL may carry a password: the message never repeats it.
    const shown = text.replace(/\/\/[^/@\s]*@/, '//…@');
    throw new AbortError(`"${shown}" is not a valid value for ${name}: ${why}.`, `Run \`callhome config list\` to see the current values.`);
  }
  store.set(name, parsed.data);
  return parsed.data;
}

/** Removes a setting so its default applies again. */
export function unsetSetting(key: string, store: Conf<Record<string, unknown>> = openSettingsStore()): void {
  store.delete(checkKey(key));
}
