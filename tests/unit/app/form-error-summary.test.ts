/**
 * The USWDS error summary every form shows at its top after a refused submit: form-level messages, then each field's
 * message as a link to that field (by its id), so nobody has to hunt down the page for the red field.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormErrorSummary } from '#app/components/form-fields';

const render = (props: Parameters<typeof FormErrorSummary>[0]) => renderToStaticMarkup(createElement(FormErrorSummary, props));

describe('the form error summary', () => {
  it('lists every field error as a link to its field, after the form-level messages', () => {
    const html = render({ errors: { formErrors: ['The RFP was moved by someone else.'], fieldErrors: { title: ['Title is required.'], total_points: ['Total points must be a whole number.'] } } });
    expect(html).toContain('There are 3 problems with this form');
    expect(html).toContain('The RFP was moved by someone else.');
    expect(html).toContain('<a class="usa-link" href="#title">Title is required.</a>');
    expect(html).toContain('<a class="usa-link" href="#total_points">Total points must be a whole number.</a>');
    expect(html.indexOf('moved by someone else')).toBeLessThan(html.indexOf('href="#title"'));
    // Focusable (focus is moved to it) and announced.
    expect(html).toMatch(/role="alert" tabindex="-1"/);
  });

  it('links to the control a repeated form gives its own id', () => {
    const html = render({ errors: { formErrors: [], fieldErrors: { value: ['Choose one of the levels.'] } }, fieldIds: { value: 'value-c1' } });
    expect(html).toContain('There is a problem with this form');
    expect(html).toContain('href="#value-c1"');
  });

  it('shows nothing when the form was accepted or nothing is wrong', () => {
    expect(render({ errors: null })).toBe('');
    expect(render({ errors: { formErrors: [], fieldErrors: { title: [] } } })).toBe('');
  });
});
