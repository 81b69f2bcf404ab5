/**
 * DetailsList, the labelled values of the key details, the signing summary and the verification
 * report: each pair a details-row with its label as dt and value as dd, in the order given.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DetailsList } from '../../renderer/src/shared/DetailsList.tsx';

describe('DetailsList', () => {
  it('renders each pair as a details-row, in order, with the list class', () => {
    const html = renderToStaticMarkup(
      createElement(DetailsList, { className: 'details', rows: [['Серия', '01 AB'], ['Издатель', 'ҰКО <test>']] }),
    );
    expect(html).toBe(
      '<dl class="details">' +
        '<div class="details-row"><dt>Серия</dt><dd>01 AB</dd></div>' +
        '<div class="details-row"><dt>Издатель</dt><dd>ҰКО &lt;test&gt;</dd></div>' +
        '</dl>',
    );
  });

  it('renders an empty list without rows', () => {
    expect(renderToStaticMarkup(createElement(DetailsList, { rows: [] }))).toBe('<dl></dl>');
  });
});
