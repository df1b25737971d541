import escapeHtml from 'escape-html';
import { maskPhone, type DemoCustomer } from './customers.js';

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #1f2329; }
  main { max-width: 720px; margin: 32px auto; background: #fff; border-radius: 8px; padding: 24px 32px; box-shadow: 0 1px 3px #0002; }
  h1 { margin: 0 0 4px; font-size: 22px; } .sub { color: #646a73; margin: 0 0 16px; }
  .tag { display: inline-block; background: #e8f0fe; color: #1a56db; border-radius: 4px; padding: 0 8px; margin: 0 6px 6px 0; font-size: 13px; }
  dl { display: grid; grid-template-columns: 140px 1fr; gap: 8px 16px; } dt { color: #646a73; } dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; } td, th { text-align: left; padding: 8px; border-bottom: 1px solid #eee; }
  footer { color: #8f959e; font-size: 12px; margin-top: 24px; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo CRM</title><style>${STYLE}</style></head>
<body><main>${body}
<footer>Demo CRM bundled with Switchboard: made-up customers for the screen-pop demo.</footer></main></body>
</html>
`;
}

/** The page of one customer (what the screen-pop card's link opens). The phone is shown masked. */
export function customerPage(c: DemoCustomer): string {
  const rows: Array<[string, string]> = [
    ['Customer ID', c.id],
    ['Phone', maskPhone(c.phone)],
    ['Level', c.level],
    ['Account manager', c.owner],
    ['Customer since', c.since],
    ...(c.lastOrder
      ? ([
          ['Last order', `${c.lastOrder.id} · ${c.lastOrder.summary}`],
          ['Amount', c.lastOrder.amount],
          ['Ordered on', c.lastOrder.date],
        ] as Array<[string, string]>)
      : []),
    ['Notes', c.notes],
  ];
  return layout(
    c.name,
    `<h1>${escapeHtml(c.name)}</h1>
<p class="sub">${escapeHtml(c.company ?? 'Private customer')}</p>
<p>${c.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('')}</p>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
  );
}

/** The list of every customer. */
export function customerListPage(customers: readonly DemoCustomer[], deskUrl: string | null = null): string {
  return layout(
    'Customers',
    `<h1>Customers</h1>${deskUrl ? `<p><a href="${escapeHtml(deskUrl)}">Agent desk with the embedded workbench</a></p>` : ''}
<table><thead><tr><th>Name</th><th>Company</th><th>Phone</th><th>Level</th></tr></thead><tbody>
${customers
  .map(
    (c) =>
      `<tr><td><a href="/customers/${encodeURIComponent(c.id)}">${escapeHtml(c.name)}</a></td>` +
      `<td>${escapeHtml(c.company ?? '')}</td><td>${escapeHtml(maskPhone(c.phone))}</td><td>${escapeHtml(c.level)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`,
  );
}

/** A page for an unknown customer. */
export function notFoundPage(): string {
  return layout('Not found', '<h1>No such customer</h1><p><a href="/">All customers</a></p>');
}
