import { ReactNode } from 'react';

/** A titled part of a card or panel (an `h3` and its content). @public */
export function CardSection(props: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
      <h3
        style={{
          margin: '0 0 var(--pf-t--global--spacer--sm)',
          fontSize: 'var(--pf-t--global--font--size--body--default)',
          fontWeight: 'var(--pf-t--global--font--weight--body--bold)',
        }}
      >
        {props.title}
      </h3>
      {props.children}
    </section>
  );
}
