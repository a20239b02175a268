import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { LiteMaaSQueryProvider } from '../../api';
import { PatternFlyScope } from '../../components';

/**
 * The frame of every LiteMaaS entity card: the catalog's own `EntityInfoCard` (so the
 * card has the same header, padding and footer as the catalog's cards next to it), the
 * shared query cache and PatternFly's scoped styles for the content.
 */
export function EntityCardFrame(props: {
  title: string;
  deepLink?: { title: string; link: string };
  children: ReactNode;
}) {
  return (
    <EntityInfoCard
      title={props.title}
      footerActions={
        props.deepLink && (
          <Link to={props.deepLink.link}>{props.deepLink.title} →</Link>
        )
      }
    >
      <LiteMaaSQueryProvider>
        <PatternFlyScope>{props.children}</PatternFlyScope>
      </LiteMaaSQueryProvider>
    </EntityInfoCard>
  );
}
