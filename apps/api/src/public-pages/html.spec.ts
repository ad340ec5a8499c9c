import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes interpolated text but keeps markup built with html as it is', () => {
    const name = '<img src=x onerror=alert(1)>';
    const item = (text: string) => html`<li>${text}</li>`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</p>',
    );
    const items = [item('a&b'), item('"c"')];
    expect(html`${items}`.text).toBe('<li>a&amp;b</li><li>&quot;c&quot;</li>');
    expect(html`<b>${item('x')}</b>`.text).toBe('<b><li>x</li></b>');
  });

  it('writes nothing for null, undefined and false, and numbers as they are', () => {
    expect(html`[${null}${undefined}${false}${0}${12.5}]`.text).toBe('[012.5]');
  });
});
