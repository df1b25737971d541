/**
 * "Delete X?" in the admin lists: ask naming the item, delete, say so, reload. Two shapes, as the
 * screens have them: `confirmDelete` with TDesign's confirm dialog (audio files, IVR flows, flow
 * versions) and `useDeleteDialog`, the state behind a `<ConfirmDeleteDialog>` (numbers, number
 * groups). When the server refuses, the API client has already shown its reason, so nothing more
 * is said here.
 */
import { DialogPlugin, MessagePlugin } from 'tdesign-vue-next';
import { reactive, ref, type Ref } from 'vue';

export interface ConfirmDeleteOptions {
  /** The dialog's heading. */
  title: string;
  /** The question, naming what goes. */
  body: string;
  /** The confirm button's label ("Delete"). */
  confirmLabel: string;
  /** The cancel button's label. */
  cancelLabel: string;
  /** Deletes; resolves whether the server did. */
  remove: () => Promise<boolean>;
  /** The message shown once deleted. */
  deletedMessage: string;
  /** Reloads the list after a delete. */
  reload: () => Promise<void> | void;
}

/**
 * Asks, and deletes on confirmation.
 *
 * @returns whether the item was deleted (`false` when cancelled or refused).
 */
export function confirmDelete(o: ConfirmDeleteOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const d = DialogPlugin.confirm({
      header: o.title,
      body: o.body,
      theme: 'danger',
      confirmBtn: o.confirmLabel,
      cancelBtn: o.cancelLabel,
      onConfirm: async () => {
        // Closed first so a slow server leaves no dialog that could be confirmed twice.
        d.destroy();
        let ok = false;
        try {
          ok = await o.remove();
          if (ok) {
            void MessagePlugin.success(o.deletedMessage);
            await o.reload();
          }
        } finally {
          resolve(ok);
        }
      },
      onClose: () => {
        d.destroy();
        resolve(false);
      },
    });
  });
}

/** Reactive (the template reads `del.open`, not `del.open.value`). */
export interface DeleteDialog<T> {
  /** The item the dialog asks about (kept while it closes, so its text does not blank out). */
  deleting: T | null;
  /** Whether the dialog is open (`v-model:visible`). */
  open: boolean;
  /** Whether the delete call is under way (the delete button spins). */
  busy: boolean;
  /** Opens the dialog for an item. */
  ask(item: T): void;
  /** Deletes the item asked about; resolves whether it went. */
  confirm(): Promise<boolean>;
}

/**
 * The state behind a `<ConfirmDeleteDialog>` (the number screens, which confirm in a dialog of
 * their own rather than TDesign's confirm): which item, open, busy, and the confirm action —
 * delete, success message, close, reload. When `remove` throws (the API client's `unwrap`), the
 * client has shown the server's reason and the dialog stays open.
 *
 * @param o.remove deletes the item; throws when the server refuses.
 * @param o.deletedMessage the message once deleted.
 * @param o.reload reloads the list (not awaited: the dialog closes at once).
 */
export function useDeleteDialog<T>(o: {
  remove: (item: T) => Promise<unknown>;
  deletedMessage: (item: T) => string;
  reload: () => unknown;
}): DeleteDialog<T> {
  const deleting = ref<T | null>(null) as Ref<T | null>;
  const open = ref(false);
  const busy = ref(false);

  async function confirm(): Promise<boolean> {
    const item = deleting.value;
    if (item === null) return false;
    busy.value = true;
    try {
      await o.remove(item);
      void MessagePlugin.success(o.deletedMessage(item));
      open.value = false;
      void o.reload();
      return true;
    } catch {
      // Shown by the API client.
      return false;
    } finally {
      busy.value = false;
    }
  }

  return reactive({
    deleting,
    open,
    busy,
    ask: (item: T) => {
      deleting.value = item;
      open.value = true;
    },
    confirm,
  }) as DeleteDialog<T>;
}
