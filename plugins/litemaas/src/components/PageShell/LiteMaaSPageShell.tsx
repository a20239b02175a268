import { ReactNode, Suspense } from 'react';
import { Content, Header, Page } from '@backstage/core-components';
import {
  Nav,
  NavItem,
  NavList,
} from '@patternfly/react-core/dist/dynamic/components/Nav';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';
import { PatternFlyScope } from '../PatternFly';
import { LoadingState } from '../StateViews';
import { LiteMaaSQueryProvider } from '../../api';
import { LiteMaaSBasePathProvider } from './basePath';

/**
 * One tab of the LiteMaaS page. `path` is relative to the page (`''` for the first
 * tab); `aliases` are further first path segments that belong to the tab (e.g. the
 * model pages under `models/` belong to the models tab).
 *
 * @public
 */
export interface LiteMaaSSection {
  id: string;
  path: string;
  title: string;
  element: ReactNode;
  aliases?: string[];
  /** Hidden sections are routed but get no tab (e.g. a screen I may not use). */
  hidden?: boolean;
  /** Standalone sections are routed with no tab and no tab bar (the reveal page). */
  standalone?: boolean;
}

/** A route of the page that is not a tab (e.g. `models/*`). @public */
export interface LiteMaaSExtraRoute {
  path: string;
  element: ReactNode;
}

/**
 * The frame of every LiteMaaS screen: Backstage's page, header and content, the
 * section tabs as navigation links, PatternFly styles and the query cache. A new screen
 * is one more section (or extra route) given by the page that composes them.
 *
 * @public
 */
export function LiteMaaSPageShell(props: {
  title: string;
  subtitle?: string;
  navLabel: string;
  sections: LiteMaaSSection[];
  extraRoutes?: LiteMaaSExtraRoute[];
}) {
  // Where the app mounted the page (legacy route, or the NFS page's converted ref).
  const base = useRouteRef(rootRouteRef)().replace(/\/+$/, '');
  const location = useLocation();
  const navigate = useNavigate();
  const relative = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  const first = relative.split('/').filter(Boolean)[0] ?? '';
  const visible = props.sections.filter(s => !s.hidden && !s.standalone);
  const active =
    props.sections.find(s => s.path === first || s.aliases?.includes(first)) ??
    visible[0];
  const hrefOf = (section: LiteMaaSSection) =>
    section.path ? `${base}/${section.path}` : base || '/';

  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={props.subtitle} />
      <Content>
        <LiteMaaSQueryProvider>
          <LiteMaaSBasePathProvider value={base}>
            <PatternFlyScope>
              {!active?.standalone && (
                <Nav
                  variant="horizontal-subnav"
                  aria-label={props.navLabel}
                  style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
                >
                  <NavList>
                    {visible.map(section => (
                      <NavItem
                        key={section.id}
                        itemId={section.id}
                        isActive={section.id === active?.id}
                        to={hrefOf(section)}
                        onClick={event => {
                          event.preventDefault();
                          navigate(hrefOf(section));
                        }}
                      >
                        {section.title}
                      </NavItem>
                    ))}
                  </NavList>
                </Nav>
              )}
              {/* Sections load on first use (React.lazy): a spinner meanwhile. */}
              <Suspense fallback={<LoadingState />}>
                <Routes>
                  {props.sections.map(section =>
                    section.path ? (
                      <Route
                        key={section.id}
                        path={`${section.path}/*`}
                        element={section.element}
                      />
                    ) : (
                      <Route key={section.id} index element={section.element} />
                    ),
                  )}
                  {props.extraRoutes?.map(route => (
                    <Route
                      key={route.path}
                      path={route.path}
                      element={route.element}
                    />
                  ))}
                  <Route path="*" element={visible[0]?.element} />
                </Routes>
              </Suspense>
            </PatternFlyScope>
          </LiteMaaSBasePathProvider>
        </LiteMaaSQueryProvider>
      </Content>
    </Page>
  );
}
