import { useId } from 'react';
import type { Team } from '@litemaas/backstage-plugin-litemaas-common';
import {
  FormGroup,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';
import {
  FormSelect,
  FormSelectOption,
  FormSelectOptionGroup,
} from '@patternfly/react-core/dist/dynamic/components/FormSelect';
import { useLiteMaaSTranslation } from '../../translations/useTranslation';
import { shortRef } from '../format';

/**
 * A component or system a key could belong to, owned by one of my teams (`teamRef`): its
 * keys live in that team.
 *
 * @public
 */
export interface OwnedEntity {
  ref: string;
  title?: string;
  teamRef: string;
}

/**
 * Who a key belongs to: me, one of my LiteMaaS teams, or a component or system one of my
 * teams owns.
 *
 * @public
 */
export function OwnerPicker(props: {
  value: string;
  onChange: (ownerRef: string) => void;
  userRef: string;
  teams: readonly Pick<Team, 'ref' | 'displayName'>[];
  entities?: readonly OwnedEntity[];
  isDisabled?: boolean;
}) {
  const { t } = useLiteMaaSTranslation();
  const id = useId();
  const entities = props.entities ?? [];
  return (
    <FormGroup label={t('common.owner.label')} fieldId={id} isRequired>
      <FormSelect
        id={id}
        value={props.value}
        onChange={(_e, value) => props.onChange(value)}
        isDisabled={props.isDisabled}
        aria-describedby={`${id}-help`}
      >
        <FormSelectOption
          value={props.userRef}
          label={t('common.owner.me', { ref: shortRef(props.userRef) })}
        />
        {props.teams.length > 0 && (
          <FormSelectOptionGroup label={t('common.owner.groupTeams')}>
            {props.teams.map(team => (
              <FormSelectOption
                key={team.ref}
                value={team.ref}
                label={t('common.owner.team', {
                  name: team.displayName ?? shortRef(team.ref),
                })}
              />
            ))}
          </FormSelectOptionGroup>
        )}
        {entities.length > 0 && (
          <FormSelectOptionGroup label={t('common.owner.entities')}>
            {entities.map(entity => (
              <FormSelectOption
                key={entity.ref}
                value={entity.ref}
                label={entity.title ?? shortRef(entity.ref)}
              />
            ))}
          </FormSelectOptionGroup>
        )}
      </FormSelect>
      <FormHelperText>
        <HelperText id={`${id}-help`}>
          <HelperTextItem>{t('common.owner.help')}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    </FormGroup>
  );
}
