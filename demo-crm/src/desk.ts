import escapeHtml from 'escape-html';
import { maskPhone, type DemoCustomer } from './customers.js';

/** The agent desk's styles (inline styles only: the page's CSP allows no other source). */
const STYLE = `
  * { box-sizing: border-box; }
  body { font: 14px/1.5 system-ui, "Noto Sans SC", sans-serif; margin: 0; background: #f5f6f8; color: #1f2329; }
  header { display: flex; gap: 12px; align-items: center; padding: 10px 20px; background: #fff; border-bottom: 1px solid #e5e6eb; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header .state { color: #4e5969; margin-left: auto; }
  button, select { font: inherit; padding: 4px 12px; border-radius: 4px; border: 1px solid #c9cdd4; background: #fff; cursor: pointer; }
  button.primary { background: #0052d9; border-color: #0052d9; color: #fff; }
  button:disabled { opacity: .5; cursor: not-allowed; }
  button:focus-visible, select:focus-visible { outline: 2px solid #0052d9; outline-offset: 2px; }
  .desk { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; padding: 16px 20px; margin-right: 436px; }
  section { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 2px #0001; }
  h2 { font-size: 16px; margin: 0 0 12px; }
  table { width: 100%; border-collapse: collapse; } td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid #f0f1f3; }
  .muted { color: #4e5969; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .tag { display: inline-block; background: #e8f0fe; color: #1a4fb8; border-radius: 4px; padding: 0 8px; margin: 0 6px 6px 0; font-size: 12px; }
  dl { display: grid; grid-template-columns: 110px 1fr; gap: 4px 12px; margin: 0; } dt { color: #4e5969; } dd { margin: 0; }
  .pop { border-left: 4px solid #0052d9; }
  ol.events { margin: 0; padding-left: 20px; max-height: 260px; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
  .workbench { position: fixed; top: 64px; right: 16px; bottom: 16px; width: 420px; background: #fff; border: 1px solid #e5e6eb; border-radius: 8px; overflow: hidden; box-shadow: 0 6px 24px #0001; }
`;

/**
 * The agent desk: the CRM page that embeds the Switchboard workbench with the browser SDK
 * (issue 14 item 2): customers with click-to-dial, the caller's customer popped on `callIn`,
 * the workbench shown and hidden, and every SDK event listed as it arrives.
 */
export function deskPage(customers: readonly DemoCustomer[], agents: readonly string[]): string {
  const rows = customers
    .map(
      (c) =>
        `<tr><td><a href="/customers/${encodeURIComponent(c.id)}">${escapeHtml(c.name)}</a></td>` +
        `<td>${escapeHtml(c.company ?? '')}</td><td>${escapeHtml(maskPhone(c.phone))}</td>` +
        `<td><button type="button" class="dial" data-phone="${escapeHtml(c.phone)}" data-testid="dial-${escapeHtml(c.id)}" ` +
        `aria-label="Call ${escapeHtml(c.name)}" disabled>Call</button></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent desk · Demo CRM</title><style>${STYLE}</style></head>
<body>
<header>
  <h1>Demo CRM · Agent desk</h1>
  <label for="agent">Agent</label>
  <select id="agent" data-testid="agent">${agents.map((a) => `<option>${escapeHtml(a)}</option>`).join('')}</select>
  <button type="button" class="primary" id="connect" data-testid="connect">Open workbench</button>
  <button type="button" id="toggle" data-testid="toggle" aria-controls="workbench" aria-expanded="true" disabled>Hide workbench</button>
  <span class="state" id="state" role="status" data-testid="state">Workbench not open</span>
</header>
<div class="desk">
  <section aria-labelledby="customers-h"><h2 id="customers-h">Customers</h2>
    <table><thead><tr><th>Name</th><th>Company</th><th>Phone</th><th><span class="sr">Call</span></th></tr></thead><tbody>
${rows}
    </tbody></table>
  </section>
  <section class="pop" aria-labelledby="pop-h" aria-live="polite"><h2 id="pop-h">Caller</h2>
    <div id="pop" data-testid="pop"><p class="muted">No call yet. The customer of an incoming call shows here.</p></div>
  </section>
  <section aria-labelledby="events-h" style="grid-column: 1 / -1"><h2 id="events-h">SDK events</h2>
    <ol class="events" id="events" data-testid="events"></ol>
  </section>
</div>
<div id="workbench" class="workbench" data-testid="workbench" hidden></div>
<script src="/sdk/switchboard-sdk.umd.js"></script>
<script src="/desk.js"></script>
</body>
</html>
`;
}
