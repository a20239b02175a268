import { Link } from '@backstage/core-components';
import { Content } from '@patternfly/react-core/dist/dynamic/components/Content';
import {
  List,
  ListItem,
} from '@patternfly/react-core/dist/dynamic/components/List';
import { useKeys } from '../../api';
import { KeyStatusLabel, QueryView, useLiteMaaSPath } from '../../components';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';

/**
 * My keys (and my teams') that include a model, each with its status and a link to the
 * keys page. Shown on the model page and on the model's entity card.
 */
export function ModelKeysList(props: { modelId: string }) {
  const { t } = useLiteMaaSTranslation();
  const keys = useKeys();
  const path = useLiteMaaSPath();
  return (
    <QueryView query={keys}>
      {data => {
        const mine = data.items.filter(k => k.models.includes(props.modelId));
        return mine.length === 0 ? (
          <Content component="p">{t('models.details.myKeysEmpty')}</Content>
        ) : (
          <List isPlain>
            {mine.map(key => (
              <ListItem key={key.id}>
                <Link to={path('keys')} underline="always">
                  {key.name}
                </Link>{' '}
                <KeyStatusLabel apiKey={key} />
              </ListItem>
            ))}
          </List>
        );
      }}
    </QueryView>
  );
}
