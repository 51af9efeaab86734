import i18next from 'i18next';
import Locales from '@temporalio/ui/i18n/locales/index';
import { i18nNamespaces } from '@temporalio/ui/i18n/index';
import { fetchSettings } from '@temporalio/ui/services/settings-service';

export const ssr = false;
export const prerender = false;

export const load = async ({ fetch }) => {
  if (!i18next.isInitialized)
    await i18next.init({ lng: 'en', fallbackLng: 'en', ns: i18nNamespaces, defaultNS: 'common', resources: Locales, interpolation: { escapeValue: false } });
  const settings = await fetchSettings(fetch);
  return { settings };
};
