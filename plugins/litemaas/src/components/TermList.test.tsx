import { render, screen, within } from '@testing-library/react';
import { TermList } from './TermList';

describe('TermList', () => {
  it('pairs each term with its value, in order, in a description list named by its label', () => {
    render(
      <TermList
        aria-label="Review"
        rows={[
          ['Name', 'ci-bot'],
          ['Models', <a href="/models/gpt-4o-mini">gpt-4o-mini</a>],
          ['Budget', '—'],
        ]}
      />,
    );
    const list = screen.getByLabelText('Review');
    expect(list.tagName).toBe('DL');
    const terms = within(list).getAllByRole('term');
    const values = within(list).getAllByRole('definition');
    expect(terms.map(t => t.textContent)).toEqual(['Name', 'Models', 'Budget']);
    expect(values.map(v => v.textContent)).toEqual([
      'ci-bot',
      'gpt-4o-mini',
      '—',
    ]);
    // Each value sits in its term's group (a `dt` and its `dd`), not in a neighbour's.
    terms.forEach((term, i) =>
      expect(term.parentElement).toBe(values[i].parentElement),
    );
    expect(
      within(values[1]).getByRole('link', { name: 'gpt-4o-mini' }),
    ).toHaveAttribute('href', '/models/gpt-4o-mini');
  });
});
