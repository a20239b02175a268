import './styles';
import { ReactNode, useEffect } from 'react';
import { useTheme } from '@material-ui/core/styles';

const DARK_CLASS = 'pf-v6-theme-dark';
let darkUsers = 0;

/**
 * Makes PatternFly 6 look right inside Backstage: its variables and base styles without
 * the global reset (which would restyle Backstage), and its dark theme whenever the
 * Backstage theme is dark. Every LiteMaaS page and card renders inside one.
 *
 * @public
 */
export function PatternFlyScope(props: { children: ReactNode }) {
  const theme = useTheme();
  const dark = theme.palette.type === 'dark';
  useEffect(() => {
    if (!dark) return undefined;
    // Several scopes may be mounted (page and cards); the class stays while any is dark.
    darkUsers += 1;
    document.documentElement.classList.add(DARK_CLASS);
    return () => {
      darkUsers -= 1;
      if (darkUsers === 0) {
        document.documentElement.classList.remove(DARK_CLASS);
      }
    };
  }, [dark]);
  return <div className="litemaas-pf">{props.children}</div>;
}
