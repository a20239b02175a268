import {
  ToggleGroup,
  ToggleGroupItem,
} from '@patternfly/react-core/dist/dynamic/components/ToggleGroup';
import {
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core/dist/dynamic/components/Toolbar';

/**
 * A list's status filter: one toggle per status above the list, one selected (the
 * subscriptions tab, the approvals queue). `idPrefix` keeps the toggles' ids unique.
 *
 * @public
 */
export function StatusFilter<T extends string>(props: {
  label: string;
  idPrefix: string;
  options: readonly { value: T; text: string }[];
  selected: T;
  onSelect: (value: T) => void;
}) {
  return (
    <Toolbar inset={{ default: 'insetNone' }}>
      <ToolbarContent>
        <ToolbarItem>
          <ToggleGroup aria-label={props.label}>
            {props.options.map(option => (
              <ToggleGroupItem
                key={option.value}
                buttonId={`${props.idPrefix}-${option.value}`}
                text={option.text}
                isSelected={props.selected === option.value}
                onChange={() => props.onSelect(option.value)}
              />
            ))}
          </ToggleGroup>
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
}
