import { beforeEach, describe, expect, it, vi } from 'vitest';

type ConfirmOptions = {
  header: string;
  body: string;
  theme: string;
  confirmBtn: string;
  cancelBtn: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
};
const dialogs: ConfirmOptions[] = [];
const destroyed: number[] = [];
const success = vi.fn();

vi.mock('tdesign-vue-next', () => ({
  DialogPlugin: {
    confirm: (o: ConfirmOptions) => {
      const i = dialogs.push(o) - 1;
      return { destroy: () => destroyed.push(i) };
    },
  },
  MessagePlugin: { success: (m: string) => success(m) },
}));

const { confirmDelete, useDeleteDialog } = await import('./use-confirm-delete');

beforeEach(() => {
  dialogs.length = 0;
  destroyed.length = 0;
  success.mockClear();
});

function ask(removeResult: boolean) {
  const reload = vi.fn();
  const remove = vi.fn(async () => removeResult);
  const done = confirmDelete({
    title: 'Delete audio file',
    body: 'Delete "Welcome"?',
    confirmLabel: 'Delete',
    cancelLabel: 'Cancel',
    remove,
    deletedMessage: 'Deleted "Welcome"',
    reload,
  });
  return { done, remove, reload };
}

describe('admin lists: delete after a confirmation', () => {
  it('asks with a danger dialog naming the item, then deletes, says so and reloads', async () => {
    const { done, remove, reload } = ask(true);
    expect(dialogs[0]).toMatchObject({
      header: 'Delete audio file',
      body: 'Delete "Welcome"?',
      theme: 'danger',
      confirmBtn: 'Delete',
      cancelBtn: 'Cancel',
    });
    expect(remove).not.toHaveBeenCalled();
    await dialogs[0]!.onConfirm();
    expect(destroyed).toEqual([0]);
    expect(success).toHaveBeenCalledWith('Deleted "Welcome"');
    expect(reload).toHaveBeenCalledOnce();
    await expect(done).resolves.toBe(true);
  });

  it('a refused delete says nothing more and does not reload', async () => {
    const { done, reload } = ask(false);
    await dialogs[0]!.onConfirm();
    expect(success).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
    await expect(done).resolves.toBe(false);
  });

  it('cancel deletes nothing', async () => {
    const { done, remove } = ask(true);
    dialogs[0]!.onClose();
    expect(destroyed).toEqual([0]);
    expect(remove).not.toHaveBeenCalled();
    await expect(done).resolves.toBe(false);
  });
});

describe('admin lists: the delete dialog of the number screens', () => {
  it('opens for an item, deletes it, says so, closes and reloads', async () => {
    const reload = vi.fn();
    const d = useDeleteDialog<{ id: string; number: string }>({
      remove: async () => undefined,
      deletedMessage: (n) => `Deleted ${n.number}`,
      reload,
    });
    d.ask({ id: 'a', number: '4008' });
    expect(d.open).toBe(true);
    expect(d.deleting?.number).toBe('4008');
    const p = d.confirm();
    expect(d.busy).toBe(true);
    await expect(p).resolves.toBe(true);
    expect(d.busy).toBe(false);
    expect(d.open).toBe(false);
    expect(success).toHaveBeenCalledWith('Deleted 4008');
    expect(reload).toHaveBeenCalledOnce();
  });

  it('stays open when the server refuses (the API client has shown why)', async () => {
    const reload = vi.fn();
    const d = useDeleteDialog<{ id: string }>({
      remove: async () => {
        throw new Error('in use');
      },
      deletedMessage: () => 'Deleted',
      reload,
    });
    d.ask({ id: 'a' });
    await expect(d.confirm()).resolves.toBe(false);
    expect(d.open).toBe(true);
    expect(d.busy).toBe(false);
    expect(success).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('confirm without an item does nothing', async () => {
    const d = useDeleteDialog({ remove: vi.fn(), deletedMessage: () => '', reload: vi.fn() });
    await expect(d.confirm()).resolves.toBe(false);
  });
});
