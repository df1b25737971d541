import type { Words } from './errors.js';
import { escapeHtml, type AddFriendTask } from './tasks.js';

/** What the one-time link's page says. */
export type RevealOutcome =
  /** The member, the first time: the number, the note, the QR code to send the customer. */
  | { kind: 'number'; task: AddFriendTask }
  /** Someone else opened the member's link (a forwarded card). */
  | { kind: 'notMember' }
  /** A wrong, used or expired link. */
  | { kind: 'gone' }
  /** WeCom could not tell who opened it. */
  | { kind: 'error'; words: Words };

/**
 * The page a member's WeCom browser shows: a phone-sized HTML page, no scripts, Chinese first
 * with English under it.
 */
export function revealPage(o: RevealOutcome): string {
  const body = (() => {
    switch (o.kind) {
      case 'number': {
        const t = o.task;
        const tel = t.customerNumber.replace(/[^0-9+]/g, '');
        return (
          `<h1>加微任务 <small>WeCom add-friend task</small></h1>` +
          `<p class="label">客户号码 · Customer’s number</p>` +
          `<p class="number"><a href="tel:${escapeHtml(tel)}">${escapeHtml(t.customerNumber)}</a></p>` +
          (t.note ? `<p class="label">备注 · Note</p><p>${escapeHtml(t.note)}</p>` : '') +
          (t.qrCode
            ? `<p class="label">你的添加二维码 · Your QR code</p><p><a href="${escapeHtml(t.qrCode)}">${escapeHtml(t.qrCode)}</a></p>`
            : '') +
          `<p class="hint">号码仅显示这一次，请现在记下并在企业微信中添加客户；添加时请在备注手机号中填写该号码。<br>` +
          `This number is shown only this once: note it now and add the customer in WeCom, with the number in the contact’s phone remarks.</p>`
        );
      }
      case 'notMember':
        return (
          `<h1>无权查看 <small>Not for you</small></h1>` +
          `<p>此链接仅限任务指定的企业微信成员查看。</p><p>This link is only for the WeCom member the task was assigned to.</p>`
        );
      case 'gone':
        return (
          `<h1>链接已失效 <small>Link no longer valid</small></h1>` +
          `<p>该链接已使用、已过期或不存在。如需再次查看，请联系坐席重新分配。</p>` +
          `<p>This link was used, has expired or does not exist. Ask the agent to assign the task again.</p>`
        );
      case 'error':
        return `<h1>无法验证身份 <small>Could not sign you in</small></h1><p>${escapeHtml(o.words['zh-CN'])}</p><p>${escapeHtml(o.words.en)}</p>`;
    }
  })();
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>加微任务 · WeCom add-friend</title><style>` +
    `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:24px 20px;color:#1f2329;line-height:1.6}` +
    `h1{font-size:20px;margin:0 0 16px}h1 small{display:block;font-size:13px;font-weight:400;color:#4e5969}` +
    `.label{font-size:13px;color:#4e5969;margin:16px 0 4px}.number{font-size:28px;font-weight:600;letter-spacing:1px;margin:0}` +
    `.number a{color:#0052d9;text-decoration:none}.hint{font-size:13px;color:#4e5969;margin-top:24px}a{color:#0052d9;word-break:break-all}` +
    `</style></head><body><main>${body}</main></body></html>`
  );
}
