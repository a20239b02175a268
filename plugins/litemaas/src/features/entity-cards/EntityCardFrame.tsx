import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { LiteMaaSQueryProvider } from '../../api';
import { PatternFlyScope } from '../../components';

/**
 * The frame of every LiteMaaS entity card: Backstage's `InfoCard` (so the card sits
 * next to the catalog's own cards), the shared query cache and PatternFly's scoped styles
 * for the content.
 */
export function EntityCardFrame(props: {
  title: string;
  deepLink?: { title: string; link: string };
  children: ReactNode;
}) {
  return (
    <InfoCard title={props.title} deepLink={props.deepLink} variant="gridItem">
      <LiteMaaSQueryProvider>
        <PatternFlyScope>{props.children}</PatternFlyScope>
      </LiteMaaSQueryProvider>
    </InfoCard>
  );
}
