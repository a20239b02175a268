import { ReactNode } from 'react';
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
} from '@patternfly/react-core/dist/dynamic/components/DescriptionList';

/** One line of a {@link TermList}: its (translated) term and its value. @public */
export type TermListRow = readonly [term: string, value: ReactNode];

/**
 * Terms and their values side by side, compact (a model's, a team's or a key's facts):
 * PatternFly's horizontal description list, the terms in a column `20ch` wide. @public
 */
export function TermList(props: {
  rows: readonly TermListRow[];
  'aria-label'?: string;
}) {
  return (
    <DescriptionList
      isHorizontal
      isCompact
      horizontalTermWidthModifier={{ default: '20ch' }}
      aria-label={props['aria-label']}
    >
      {props.rows.map(([term, value]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{value}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
}
