/**
 * IVR flows over their life, with real (simulated) callers: created, bound to numbers and
 * deleted through the API (IVR-33, ADM-03), edited while a caller is inside (IVR-34), and
 * named versions a number is pinned to while another number follows the published one
 * (IVR-35).
 */
import { describe, expect, it } from 'vitest';
import type { IvrGraphInput } from '../../core/src/modules/ivr/flow-model.js';
import { bindNewNumber, cdrOfCall, createFlow, dial, heardUntilEnd, say, useIvrWorld } from './support/ivr-world.js';

/** A one-key menu that thanks the caller in its own words. */
function menuFlow(tag: string): IvrGraphInput {
  return {
    start: 'menu',
    nodes: [
      {
        id: 'menu',
        type: 'menu',
        label: 'Main menu',
        prompt: say(`${tag} menu. Press 1.`),
        options: [{ key: '1', label: 'Thanks', next: 'thanks' }],
        timeoutSeconds: 10,
        onFail: 'thanks',
      },
      { id: 'thanks', type: 'hangup', prompt: say(`Thanks from the ${tag} flow.`) },
    ],
  };
}

const w = useIvrWorld({ slug: 'ivr-versions', edition: 'advanced' });

/** Calls `number`, presses 1 at the menu and returns everything heard. */
async function callAndPress(number: string, menu: string): Promise<string[]> {
  const call = await dial(w, number);
  await call.expectPrompt(menu);
  call.press('1');
  return heardUntilEnd(call);
}

describe('flows through the API', () => {
  it('[IVR-33] [ADM-03] [LINE-01] creates, views, lists and binds a flow; a bound flow cannot be deleted; a call to the number runs it; unbound it can go', async () => {
    const admin = { token: w.cc.admin.token };
    const id = await createFlow(w, menuFlow('Spring'), 'Spring line');
    const view = await w.t.request('GET', `/api/v1/ivr-flows/${id}`, admin);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id, name: 'Spring line', publishedVersion: 1, numbers: [] });
    expect(view.body.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['menu', 'thanks']);
    const list = await w.t.request('GET', '/api/v1/ivr-flows', admin);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id, name: 'Spring line' }));

    const number = await bindNewNumber(w, id);
    const numbers = await w.t.request('GET', '/api/v1/numbers', admin);
    const bound = numbers.body.items.find((n: { number: string }) => n.number === number);
    expect(bound).toMatchObject({ number, ivrFlowId: id, ivrFlowVersion: null });
    expect((await w.t.request('GET', `/api/v1/ivr-flows/${id}`, admin)).body.numbers).toEqual([
      { id: bound.id, number, label: 'Test line' },
    ]);

    const refused = await w.t.request('DELETE', `/api/v1/ivr-flows/${id}`, admin);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'flow_in_use', details: { numbers: [{ number }] } });

    expect(await callAndPress(number, 'Spring menu. Press 1.')).toEqual([
      'Spring menu. Press 1.',
      'Thanks from the Spring flow.',
    ]);

    const unbind = await w.t.request('PATCH', `/api/v1/numbers/${bound.id}`, { ...admin, body: { ivrFlowId: null } });
    expect(unbind.status).toBe(200);
    expect(unbind.body).toMatchObject({ ivrFlowId: null, ivrFlowVersion: null });
    expect((await w.t.request('DELETE', `/api/v1/ivr-flows/${id}`, admin)).status).toBe(204);
    expect((await w.t.request('GET', `/api/v1/ivr-flows/${id}`, admin)).status).toBe(404);
    const after = await dial(w, number);
    expect(await heardUntilEnd(after)).toEqual(['This number is not configured yet. Goodbye.']);
  });

  it('[ADM-03] binding checks the flow belongs to the tenant; only admins bind', async () => {
    const other = await w.t.seedTenant({ slug: 'ivr-versions-other', edition: 'advanced', roles: ['admin'] });
    const theirs = await w.t.request('POST', '/api/v1/ivr-flows', {
      token: other.users.admin!.token,
      body: { name: 'Theirs', graph: menuFlow('Their') },
    });
    expect(theirs.status).toBe(201);
    const mine = await w.t.app.container.cradle.numberRepo.create(w.cc.tenantId, { number: '4009990001' });
    const res = await w.t.request('PATCH', `/api/v1/numbers/${mine.id}`, {
      token: w.cc.admin.token,
      body: { ivrFlowId: theirs.body.id },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const row = await w.t.app.database.pool.query('select ivr_flow_id from numbers where id = $1', [mine.id]);
    expect(row.rows[0].ivr_flow_id).toBeNull();
    // Their admin cannot see or touch my number either.
    const list = await w.t.request('GET', '/api/v1/numbers', { token: other.users.admin!.token });
    expect(JSON.stringify(list.body)).not.toContain(mine.id);
    const cross = await w.t.request('PATCH', `/api/v1/numbers/${mine.id}`, {
      token: other.users.admin!.token,
      body: { ivrFlowId: theirs.body.id },
    });
    expect(cross.status).toBe(404);
    const supervisor = await w.t.request('PATCH', `/api/v1/numbers/${mine.id}`, {
      token: w.cc.supervisor.token,
      body: { ivrFlowId: null },
    });
    expect(supervisor.status).toBe(403);
  });
});

describe('live edits and versions', () => {
  it('[IVR-34] a flow saved while a caller is in it: that call finishes on the old version, the next call takes the new one', async () => {
    const id = await createFlow(w, menuFlow('Old'));
    const number = await bindNewNumber(w, id);
    const inside = await dial(w, number);
    await inside.expectPrompt('Old menu. Press 1.');

    const saved = await w.t.request('PUT', `/api/v1/ivr-flows/${id}`, {
      token: w.cc.admin.token,
      body: { graph: menuFlow('New') },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.publishedVersion).toBe(2);
    // A running call blocks nothing but deletion.
    expect((await w.t.request('DELETE', `/api/v1/ivr-flows/${id}`, { token: w.cc.admin.token })).status).toBe(409);

    inside.press('1');
    expect(await heardUntilEnd(inside)).toEqual(['Old menu. Press 1.', 'Thanks from the Old flow.']);
    expect(await callAndPress(number, 'New menu. Press 1.')).toEqual([
      'New menu. Press 1.',
      'Thanks from the New flow.',
    ]);
    const versions = await w.t.app.database.pool.query(
      `select v.version from call_sessions s join ivr_flow_versions v on v.id = s.flow_version_id
       where s.callee = $1 order by s.started_at`,
      [number],
    );
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('[IVR-35] [ADM-03] a number pinned to a named version runs it, while a number on the main flow runs the published version', async () => {
    const admin = { token: w.cc.admin.token };
    const id = await createFlow(w, menuFlow('Everyday'));
    const main = await bindNewNumber(w, id);

    const derived = await w.t.request('POST', `/api/v1/ivr-flows/${id}/versions`, {
      ...admin,
      body: { label: 'Holiday', graph: menuFlow('Holiday') },
    });
    expect(derived.status).toBe(201);
    expect(derived.body).toMatchObject({ version: 2, label: 'Holiday', baseVersion: 1, published: false });
    const pinned = await bindNewNumber(w, id, 2);

    const numbers = (await w.t.request('GET', '/api/v1/numbers', admin)).body.items;
    expect(numbers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ number: main, ivrFlowId: id, ivrFlowVersion: null }),
        expect.objectContaining({ number: pinned, ivrFlowId: id, ivrFlowVersion: 2 }),
      ]),
    );

    expect(await callAndPress(main, 'Everyday menu. Press 1.')).toEqual([
      'Everyday menu. Press 1.',
      'Thanks from the Everyday flow.',
    ]);
    expect(await callAndPress(pinned, 'Holiday menu. Press 1.')).toEqual([
      'Holiday menu. Press 1.',
      'Thanks from the Holiday flow.',
    ]);

    // A new main-line version moves the main number, not the pinned one.
    expect(
      (await w.t.request('PUT', `/api/v1/ivr-flows/${id}`, { ...admin, body: { graph: menuFlow('Autumn') } })).body,
    ).toMatchObject({ publishedVersion: 3 });
    expect(await callAndPress(main, 'Autumn menu. Press 1.')).toContain('Thanks from the Autumn flow.');
    const onPinned = await dial(w, pinned);
    await onPinned.expectPrompt('Holiday menu. Press 1.');
    onPinned.press('1');
    expect(await heardUntilEnd(onPinned)).toEqual(['Holiday menu. Press 1.', 'Thanks from the Holiday flow.']);
    expect((await cdrOfCall(w, onPinned)).ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Thanks' })]);

    // Calls run on the pinned version, so it is frozen and cannot be deleted while pinned.
    const edit = await w.t.request('PUT', `/api/v1/ivr-flows/${id}/versions/2`, {
      ...admin,
      body: { graph: menuFlow('Changed') },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('version_frozen');
    const del = await w.t.request('DELETE', `/api/v1/ivr-flows/${id}/versions/2`, admin);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('flow_in_use');

    // Unknown versions are refused, and a new flow for the number unpins it.
    const pinnedId = numbers.find((n: { number: string }) => n.number === pinned).id as string;
    const missing = await w.t.request('PATCH', `/api/v1/numbers/${pinnedId}`, {
      ...admin,
      body: { ivrFlowVersion: 9 },
    });
    expect(missing.status).toBe(404);
    const other = await createFlow(w, menuFlow('Other'));
    const moved = await w.t.request('PATCH', `/api/v1/numbers/${pinnedId}`, { ...admin, body: { ivrFlowId: other } });
    expect(moved.body).toMatchObject({ ivrFlowId: other, ivrFlowVersion: null });
    expect((await w.t.request('DELETE', `/api/v1/ivr-flows/${id}/versions/2`, admin)).status).toBe(204);
  });

  it('[IVR-35] [ADM-03] a standard tenant binds numbers to flows but cannot pin a version', async () => {
    const std = await w.t.seedTenant({ slug: 'ivr-versions-std', edition: 'standard', roles: ['admin'] });
    const token = std.users.admin!.token;
    const flow = await w.t.request('POST', '/api/v1/ivr-flows', {
      token,
      body: { name: 'Std', graph: menuFlow('Std') },
    });
    expect(flow.status).toBe(201);
    const n = await w.t.app.container.cradle.numberRepo.create(std.tenantId, { number: '4009990002' });
    const pin = await w.t.request('PATCH', `/api/v1/numbers/${n.id}`, {
      token,
      body: { ivrFlowId: flow.body.id, ivrFlowVersion: 1 },
    });
    expect(pin.status).toBe(403);
    expect(pin.body.error).toMatchObject({ code: 'edition_required', details: { required: 'advanced' } });
    const bind = await w.t.request('PATCH', `/api/v1/numbers/${n.id}`, { token, body: { ivrFlowId: flow.body.id } });
    expect(bind.status).toBe(200);
    expect(bind.body).toMatchObject({ ivrFlowId: flow.body.id, ivrFlowVersion: null });
    expect(await callAndPress('4009990002', 'Std menu. Press 1.')).toEqual([
      'Std menu. Press 1.',
      'Thanks from the Std flow.',
    ]);
  });
});
