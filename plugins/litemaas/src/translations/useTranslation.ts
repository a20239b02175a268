import { useApi } from '@backstage/core-plugin-api';
import {
  appLanguageApiRef,
  TranslationFunction,
  TranslationRef,
  useTranslationRef,
} from '@backstage/core-plugin-api/alpha';
import useObservable from 'react-use/esm/useObservable';
import { litemaasTranslationRef } from './ref';

/** The flat messages of the LiteMaaS translation ref. */
export type LiteMaaSMessages =
  typeof litemaasTranslationRef extends TranslationRef<string, infer M>
    ? M
    : never;

/** `t` for every LiteMaaS string. */
export function useLiteMaaSTranslation(): {
  t: TranslationFunction<LiteMaaSMessages>;
} {
  return useTranslationRef(litemaasTranslationRef);
}

/** The UI language, for number and date formatting. */
export function useLocale(): string {
  const languageApi = useApi(appLanguageApiRef);
  const current = useObservable(
    languageApi.language$(),
    languageApi.getLanguage(),
  );
  return current.language;
}
