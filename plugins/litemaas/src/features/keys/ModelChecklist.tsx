import { useId } from 'react';
import { Checkbox } from '@patternfly/react-core/dist/dynamic/components/Checkbox';
import {
  FormFieldGroup,
  FormFieldGroupHeader,
  FormHelperText,
} from '@patternfly/react-core/dist/dynamic/components/Form';
import {
  HelperText,
  HelperTextItem,
} from '@patternfly/react-core/dist/dynamic/components/HelperText';

/** Pick models from a list; the error shows below. */
export function ModelChecklist(props: {
  label: string;
  help?: string;
  error?: string;
  options: string[];
  value: string[];
  onChange: (models: string[]) => void;
}) {
  const id = useId();
  return (
    <FormFieldGroup
      header={
        <FormFieldGroupHeader
          titleText={{ text: props.label, id: `${id}-title` }}
        />
      }
    >
      <div>
        {props.options.map(model => (
          <Checkbox
            key={model}
            id={`${id}-${model}`}
            label={model}
            isChecked={props.value.includes(model)}
            onChange={(_e, checked) =>
              props.onChange(
                checked
                  ? [...props.value, model]
                  : props.value.filter(m => m !== model),
              )
            }
          />
        ))}
      </div>
      {(props.error || props.help) && (
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant={props.error ? 'error' : 'default'}>
              {props.error ?? props.help}
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
      )}
    </FormFieldGroup>
  );
}
