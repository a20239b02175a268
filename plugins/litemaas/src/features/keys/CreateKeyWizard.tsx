import { useId, useMemo, useState } from 'react';
import type { CreateKeyRequest } from '@litemaas/backstage-plugin-litemaas-common';
import { Modal } from '@patternfly/react-core/dist/dynamic/components/Modal';
import {
  Wizard,
  WizardHeader,
  WizardStep,
} from '@patternfly/react-core/dist/dynamic/components/Wizard';
import {
  Form,
  FormGroup,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';
import { TextInput } from '@patternfly/react-core/dist/dynamic/components/TextInput';
import { Alert } from '@patternfly/react-core/dist/dynamic/components/Alert';
import type { CreatedKey, LiteMaaSConfig } from '../../api';
import { useCreateKey, useOwnedEntities, useTeams } from '../../api';
import {
  formatCount,
  formatDate,
  formatMoney,
  initialLimitValues,
  InlineError,
  LimitFields,
  limitsForCreate,
  LimitValues,
  OwnerPicker,
  shortRef,
  TermList,
  usePeriodLabel,
  validateLimits,
} from '../../components';
import {
  useLiteMaaSTranslation,
  useLocale,
} from '../../translations/useTranslation';
import { ModelChecklist } from './ModelChecklist';
import { useOwnerModels } from './useOwnerModels';

/**
 * Create a key in four steps: name and owner, models (from the owner's active
 * subscriptions), limits (defaults filled in, maximums enforced inline), review. The
 * new key, with its secret, goes to `onCreated` and nowhere else.
 */
export function CreateKeyWizard(props: {
  config: LiteMaaSConfig;
  userRef: string;
  initialModel?: string;
  initialOwner?: string;
  onCreated: (key: CreatedKey) => void;
  onClose: () => void;
}) {
  const { t } = useLiteMaaSTranslation();
  const locale = useLocale();
  const periodLabel = usePeriodLabel();
  const id = useId();
  const { config, userRef } = props;
  const teams = useTeams();
  const create = useCreateKey();
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [chosenOwner, setOwner] = useState(props.initialOwner ?? userRef);
  const teamRefs = teams.data?.items.map(team => team.ref) ?? [];
  const ownedEntities = useOwnedEntities(teamRefs);
  // An owner from the URL counts only once it is one of the choices; until then, me.
  const owner =
    chosenOwner === userRef ||
    teamRefs.includes(chosenOwner) ||
    ownedEntities.data?.some(e => e.ref === chosenOwner)
      ? chosenOwner
      : userRef;
  const ownerEntity = ownedEntities.data?.find(e => e.ref === owner);
  // A component's or system's key takes its models from the owning team's subscriptions.
  const { models: ownerModels } = useOwnerModels(
    ownerEntity ? ownerEntity.teamRef : owner,
  );
  const [models, setModels] = useState<string[]>(
    props.initialModel ? [props.initialModel] : [],
  );
  const [limits, setLimits] = useState<LimitValues>(() =>
    initialLimitValues(config.keyDefaults),
  );
  const problems = useMemo(
    () => validateLimits(limits, config.keyMaximums),
    [limits, config.keyMaximums],
  );
  const chosen = models.filter(m => ownerModels.includes(m));
  const teamName = (ref: string) =>
    teams.data?.items.find(team => team.ref === ref)?.displayName ??
    shortRef(ref);
  const ownerLabel = (): string => {
    if (owner === userRef) return t('keys.me');
    if (ownerEntity) return ownerEntity.title ?? shortRef(owner);
    return t('keys.team', { name: teamName(owner) });
  };
  const ownerName = ownerLabel();
  const nameOk = name.trim().length > 0;
  const limitsOk = Object.keys(problems).length === 0;

  const footer = (extra: object = {}) => ({
    nextButtonText: t('keys.wizard.next'),
    backButtonText: t('keys.wizard.back'),
    cancelButtonText: t('keys.wizard.cancel'),
    ...extra,
  });

  const submit = async () => {
    const request: Omit<CreateKeyRequest, 'deliver'> = {
      name: name.trim(),
      models: chosen,
      ...(owner !== userRef ? { owner } : {}),
      ...Object.fromEntries(
        Object.entries(limitsForCreate(limits)).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    };
    const created = await create.mutateAsync(request).catch(() => undefined);
    if (created) {
      create.reset();
      props.onCreated(created);
    }
  };

  // The limits as they will be sent, shown as the keys list will show them.
  const asSent = limitsForCreate(limits);
  const unlimited = t('common.limits.unlimited');
  const review: [string, string][] = [
    [t('keys.wizard.name'), name.trim()],
    [t('common.owner.label'), ownerName],
    [t('keys.wizard.models'), chosen.join(', ')],
    [
      t('common.limits.budget', { currency: config.currency }),
      formatMoney(asSent.maxBudget, config.currency, locale) ?? unlimited,
    ],
    [t('common.limits.budgetPeriod'), periodLabel(asSent.budgetDuration)],
    [t('common.limits.tpm'), formatCount(asSent.tpmLimit, locale) ?? unlimited],
    [t('common.limits.rpm'), formatCount(asSent.rpmLimit, locale) ?? unlimited],
    [
      t('common.limits.expiry'),
      formatDate(asSent.expiresAt, locale) ?? t('keys.never'),
    ],
  ];

  return (
    <Modal
      isOpen
      variant="large"
      aria-labelledby={`${id}-title`}
      // The wizard header has the only close button; Escape still closes.
      onEscapePress={props.onClose}
    >
      <Wizard
        height={560}
        onClose={props.onClose}
        onSave={submit}
        navAriaLabel={t('keys.wizard.title')}
        header={
          <WizardHeader
            title={t('keys.wizard.title')}
            titleId={`${id}-title`}
            onClose={props.onClose}
            closeButtonAriaLabel={t('common.actions.close')}
          />
        }
      >
        <WizardStep
          id="basics"
          name={t('keys.wizard.steps.basics')}
          footer={footer({ isNextDisabled: !nameOk })}
        >
          <Form onSubmit={e => e.preventDefault()}>
            <FormGroup
              label={t('keys.wizard.name')}
              fieldId={`${id}-name`}
              isRequired
            >
              <TextInput
                id={`${id}-name`}
                value={name}
                onChange={(_e, value) => setName(value)}
                onBlur={() => setNameTouched(true)}
                maxLength={100}
                validated={nameTouched && !nameOk ? 'error' : 'default'}
                aria-describedby={`${id}-name-help`}
              />
              <FormHelperText>
                <HelperText id={`${id}-name-help`}>
                  <HelperTextItem
                    variant={nameTouched && !nameOk ? 'error' : 'default'}
                  >
                    {nameTouched && !nameOk
                      ? t('keys.wizard.nameRequired')
                      : t('keys.wizard.nameHelp')}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
            <OwnerPicker
              value={owner}
              onChange={setOwner}
              userRef={userRef}
              teams={teams.data?.items ?? []}
              entities={ownedEntities.data ?? []}
            />
          </Form>
        </WizardStep>
        <WizardStep
          id="models"
          name={t('keys.wizard.steps.models')}
          footer={footer({ isNextDisabled: chosen.length === 0 })}
        >
          <Form onSubmit={e => e.preventDefault()}>
            {ownerModels.length === 0 ? (
              <Alert
                isInline
                variant="warning"
                title={t('keys.wizard.noModels', { owner: ownerName })}
              />
            ) : (
              <ModelChecklist
                label={t('keys.wizard.models')}
                help={t('keys.wizard.modelsHelp', { owner: ownerName })}
                error={
                  chosen.length === 0
                    ? t('keys.wizard.modelsRequired')
                    : undefined
                }
                options={ownerModels}
                value={chosen}
                onChange={setModels}
              />
            )}
          </Form>
        </WizardStep>
        <WizardStep
          id="limits"
          name={t('keys.wizard.steps.limits')}
          footer={footer({ isNextDisabled: !limitsOk })}
        >
          <Form onSubmit={e => e.preventDefault()}>
            <Alert
              isInline
              isPlain
              variant="info"
              title={t('keys.wizard.limitsHelp')}
            />
            <LimitFields
              values={limits}
              onChange={setLimits}
              problems={problems}
              defaults={config.keyDefaults}
              maximums={config.keyMaximums}
              periods={config.keyBudgetPeriods}
              currency={config.currency}
            />
          </Form>
        </WizardStep>
        <WizardStep
          id="review"
          name={t('keys.wizard.steps.review')}
          footer={footer({
            nextButtonText: t('keys.wizard.create'),
            isNextDisabled:
              !nameOk || chosen.length === 0 || !limitsOk || create.isPending,
          })}
        >
          <TermList rows={review} aria-label={t('keys.wizard.review')} />
          <InlineError error={create.error} />
        </WizardStep>
      </Wizard>
    </Modal>
  );
}
