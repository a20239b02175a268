import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ModelListItem } from '@litemaas/backstage-plugin-litemaas-common';
import Chip from '@material-ui/core/Chip';
import { litemaasTranslationRef } from '../../translations/ref';

/** My subscription if I have one, else whether the model is open or needs approval. */
export function AccessChip({ model }: { model: ModelListItem }) {
  const { t } = useTranslationRef(litemaasTranslationRef);
  if (model.status === 'unavailable') {
    return <Chip size="small" label={t('models.unavailable')} />;
  }
  if (model.subscription) {
    return (
      <Chip
        size="small"
        color={model.subscription.status === 'active' ? 'primary' : 'default'}
        label={t(`models.subscription.${model.subscription.status}`)}
      />
    );
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      label={model.restricted ? t('models.restricted') : t('models.open')}
    />
  );
}
