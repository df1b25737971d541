#!/usr/bin/env node
// Regenerates docs/features.md: every feature ID of ../shared/FEATURES.md, its status, and the
// tests tagged with it ("[ID]" in a test title). Run: npm run features
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// FEATURES_CATALOGUE points at the catalogue from a checkout that is not next to ../shared (a worktree).
const catalogue = readFileSync(
  process.env.FEATURES_CATALOGUE ?? new URL('../../shared/FEATURES.md', import.meta.url),
  'utf8',
);
const rows = [...catalogue.matchAll(/^\| ([A-Z]+-\d+) \| ([^|\n]*)\|([^|\n]*)\|(?:([^|\n]*)\|)?/gm)].map((m) => ({
  id: m[1],
  name: m[2].trim(),
  ed: (m[4] ?? m[3]).trim(),
}));

// Status by hand: a tagged test alone does not make a feature done (simulator and protocol
// tests prove building blocks). Only IDs listed here are "done"; other tagged IDs show "partial".
const status = {
  'LOGIN-01': 'done',
  'LOGIN-02': 'done',
  'ED-01': 'done — per-tenant edition and the `edition_required` guard; each advanced feature applies it',
  'INT-01':
    'done — REST API, API keys, realtime events, and the browser SDK embedding the workbench (one-time login tokens, sdkOrigins for frame-ancestors and postMessage); the demo CRM desk',
  'INT-03':
    'done — plugin host (hooks, budgets, durable retries, routes, test host); call hooks fire on the inbound path',
  'LINE-01': 'done — numbers bound to IVR flows; unknown numbers declined',
  'IN-01':
    'partial — server side done (agent legs to WebRTC users, rooms, offers over /ws); browser softphone comes with the workbench',
  'IN-04': 'done — caller shown, masked under number protection',
  'IN-07': 'done — key trail with labels on the offer and in the CDR',
  'CTL-06':
    'done — wrap-up after every call; auto-end configurable per tenant, agent ends it with PUT /agents/me/state',
  'AGT-01': 'done — server side (state table, reasons, log, events); workbench UI to come',
  'AGT-02': 'done — tenant default login state',
  'RT-02': 'done — fewest calls answered today in the tenant time zone',
  'RT-03': 'done — member priority 1–5',
  'RT-04': 'done — last agent first (routing memory)',
  'ADM-07': 'done — API (skill-group member priority); admin UI to come',
  'ADM-08':
    'done — API and console (add-agent drawer with role and groups): random password mailed (SMTP, or the dev sink in demo mode)',
  'ADM-09': 'done — API and console: CSV/XLSX import, all or nothing, per-row error table, template download',
  'ADM-10': 'done — POST /agents and /agents/import with an API key (users:write)',
  'ADM-11':
    'done — API and console: search, group/state/status/role filters in the URL, paging, sort, rename and regroup; supervisors read only',
  'ADM-12': 'done — API and console (confirmed by name); sockets closed on every instance',
  'ADM-13': 'done — API and console: new password mailed, every session ended',
  'EV-05': 'done — call.autoTransfer realtime event; SDK autoTransfer',
  'SDK-01': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-02': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-03': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-04': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-05': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-06': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-07': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-08': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-09': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-10': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-11': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-12': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-13': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-14': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-15': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-16': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-17': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-18': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'SDK-19': 'done — browser SDK, proven on the demo CRM desk in Chromium',
  'EV-01': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-02': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-03': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-04': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-06': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-07': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'EV-08': 'done — SDK event, proven on the demo CRM desk in Chromium',
  'CTL-08': 'done — blacklisted callers refused at the door; the agent blacklists the caller mid-call',
  'IVR-06': 'done',
  'IVR-07': 'done',
  'IVR-08': 'done',
  'IVR-10': 'done',
  'IVR-11': 'done',
  'IVR-13': 'done',
  'IVR-15': 'done — the flow’s wait prompt and music each queue round, `${WaitNo}` = callers ahead',
  'IVR-18': 'done — the transfer node’s no-agent prompt, or a built-in sentence',
  'IVR-14': 'done — transferring prompt',
  'IVR-19': 'done — connect prompt with ${StaffNo}',
  'RT-01': 'done',
  'RT-05':
    'done — re-offer after the ring timeout, switchable per skill group (off: the agent rings up to the maximum ring time)',
  'RT-06': 'done — wrap-up timer returns the agent to idle',
  'RT-07': 'done — offers, devices, records and events for agents are masked',
  'REC-04': 'done — MP3 ready seconds after hang-up, recording.ready hook and event',
  'REC-05': 'done — HTTP Range playback',
  'REC-06': 'done — download',
  'REC-07': 'done — GET /api/v1/recordings',
  'REC-02': 'done — GET /api/v1/records with an API key (records:read): filters, cursor or numbered paging with total',
  'API-01': 'done — records with total and paging; each recording behind a signed, expiring playback link',
  'API-02': 'done — GET /api/v1/agents with an API key (users:read)',
  'API-03': 'done — GET /api/v1/skill-groups with an API key: total, id, name, type, strategy',
  'API-04':
    'done — GET /api/v1/monitor/sessions with an API key: session, room, caller, callee, company number used, agent email',
  'IVR-01': 'done — weekly schedule, holidays, time zone (flow or tenant)',
  'IVR-02': 'done — TTS with the tenant voice; preview through espeak-ng (no cloud account)',
  'IVR-03': 'done — URL or audio-library file (signed URL)',
  'IVR-04': 'done — barge-in on/off',
  'IVR-05': 'done',
  'IVR-09': 'done',
  'IVR-12': 'done',
  'IVR-16': 'done — caller leaves the queue to be asked, keeps their place',
  'IVR-17': 'done',
  'IVR-20': 'done — ACD input: overflow group’s idle agents when the target group has none',
  'IVR-21': 'done — from a flow variable or the API (caller number or live session)',
  'IVR-22': 'done',
  'IVR-23': 'done — stored in a variable and the CDR',
  'IVR-24': 'done',
  'IVR-25': 'done — ringing prompt/music, fail branch',
  'IVR-26': 'done',
  'IVR-27': 'done',
  'IVR-28': 'done',
  'IVR-29': 'done — signed requests, timeouts and defaults, `ivr.http` plugin hook',
  'IVR-30': 'done',
  'IVR-31': 'done — recorded over the audio fork, listed, MP3 with Range',
  'IVR-32': 'done',
  'IVR-33': 'done — API; flow editor UI to come',
  'IVR-34': 'done',
  'IVR-35': 'done — labelled versions, numbers pinned to a version',
  'ADM-01': 'done — API (upload, sniffing, limits, rename, delete guard, signed play URLs); admin UI to come',
  'ADM-03': 'done — API; admin UI to come',
  'ADM-05': 'done — API; admin UI to come',
  'AGT-03': 'done — API; workbench UI to come',
  'AGT-04': 'done — server side; workbench UI to come',
  'IN-02': 'done — always, or when the softphone is not registered',
  'IN-03': 'done — Call-Info answer-after on the agent leg',
  'CTL-01': 'done — server side (per-member hold with music); workbench UI to come',
  'CTL-02': 'done — server side (per-member mute); workbench UI to come',
  'CTL-03': 'done — server side; same session, data travels, one CDR leg per agent',
  'CTL-04': 'done — server side',
  'CTL-05': 'done — server side',
  'CTL-07': 'done — server side',
  'CTL-09': 'done — server side (external party or second agent)',
  'CTL-10':
    'done — server side (admin templates: fixed or min/max length, timeout with retries, failure prompt, maximum tries; masked digits to the agent)',
  'CTL-11': 'done — server side',
  'CTL-12':
    'done — wecom-add-friend plugin: 加微 action on the call, member card with a one-time OAuth link, add events (state or member + externalcontact/get), expiry, card and record',
  'RT-08': 'done — number-mapping plugin: the user ID everywhere an agent looks; admins see the number',
  'OUT-02':
    'done — POST /calls/click-to-dial with an API key (calls:dial) for a named agent; the SDK’s Call.startOutboundCall from the embedded workbench',
  'OUT-04': 'done — the mini-program dials through the agent’s mobile (device: mobile), h5 build proven in Chromium',
  'OUT-05':
    'done — the agent’s mobile rings first from an agent-mobile number (ADM-05), then the customer, who sees the company number',
  'OUT-08':
    'done — advanced tenants: of the candidate numbers (the outbound group’s, else any), one in the callee’s city, else their province (offline attribution)',
  'OUT-11':
    'done — advanced tenants (settings.outboundSurvey, console 系统设置 → 外呼满意度): the agent hanging up first (phone or workbench) leaves the customer on to rate; the key and its label go into the record',
  'OUT-12':
    'done — per tenant (agent settings outboundMemoryDays, console 系统设置): a customer called within the window skips the IVR and is queued for that agent',
  'OUT-13':
    'done — advanced tenants (outboundMemoryFallback ivr): when that agent is not idle the caller gets the number’s IVR',
  'MP-01':
    'done — mobile + SMS code or email + password, refresh, sign-out (stores against the server; h5 in Chromium)',
  'MP-02':
    'done — idle / 示忙 / 小休 with the tenant’s reasons / offline, with its timer; changes elsewhere arrive live',
  'MP-03': 'done — dial by number: the agent’s mobile, then the customer; progress live over the socket',
  'MP-04': 'done — recent calls masked as agents see them, notes saved to the record, call back on the mobile',
  'MP-05':
    'done — incoming-call card with the CRM plugin’s customer over wx.connectSocket, polling while the socket is closed',
  'OUT-10': 'done — dial by user ID through the number-mapping plugin',
  'REC-09': 'done — cos-archive plugin (idempotent upload, presigned playback)',
  'REC-03':
    'done — server side: signed, at-least-once, ordered per call, paused after a day (docs/push.md); console log to come',
  'REC-08': 'done — server side: recording.ready with a signed 24 h audio link (docs/push.md)',
  'PUSH-01': 'done — same as REC-08',
  'PUSH-02': 'done — same as REC-03',
  'MON-03': 'done — server side (join muted, leave); monitor UI to come',
};

const files = execFileSync('git', ['ls-files', '*.test.ts'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const tagged = new Map();
for (const f of files) {
  const text = readFileSync(new URL(`../${f}`, import.meta.url), 'utf8');
  for (const m of text.matchAll(/\[([A-Z]+-\d+)\]/g)) {
    if (!tagged.has(m[1])) tagged.set(m[1], new Set());
    tagged.get(m[1]).add(f);
  }
}

const out = [
  '# Feature status',
  '',
  'Generated by `npm run features` from `../shared/FEATURES.md` and the tests tagged `[ID]`.',
  '',
  '| ID | feature | ed. | status | tests |',
  '|---|---|---|---|---|',
  ...rows.map((r) => {
    const tests = [...(tagged.get(r.id) ?? [])].sort();
    // "done" needs a test that fails when the feature breaks: no tagged test, no "done".
    const s =
      status[r.id] && !(status[r.id].startsWith('done') && tests.length === 0)
        ? status[r.id]
        : status[r.id]
          ? `partial — ${status[r.id].replace(/^done( — )?/, '') || 'built'}, but no tagged test proves it`
          : tests.length
            ? 'partial — building blocks tested'
            : 'planned';
    return `| ${r.id} | ${r.name} | ${r.ed} | ${s} | ${tests.map((t) => `\`${t}\``).join(', ')} |`;
  }),
  '',
];
writeFileSync(new URL('../docs/features.md', import.meta.url), out.join('\n'));
console.log(`docs/features.md: ${rows.length} features, ${[...tagged.keys()].length} tagged`);
