/**
 * Internal messages (AGT-05): the conversation list with unread counts, one thread per colleague
 * (newest page first, older pages on demand), sending text and images, and marking read.
 *
 * Live delivery comes over `/ws`: `im.message` to the recipient and to every socket of the
 * sender (this tab too: messages are de-duplicated by id), `im.read` to the reader's sockets
 * (other tabs clear their badges) and to the peer (read receipts). Unread counts change only by
 * what the server says: +1 for each new incoming message, −n for each read of n messages — each
 * read counted once, whether this tab's `POST …/read` answer or its `im.read` event comes first.
 * After a reconnect the list and the open thread are read again.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { api, errorOf, quiet, type ApiError, type Schemas } from '@/api/request';
import type { ImMessage, ServerEvents } from '@/api/realtime-events';
import { useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

export type Peer = Schemas['Conversation']['peer'];

export interface Conversation {
  peer: Peer;
  lastMessage: ImMessage | null;
  unread: number;
}

export interface Thread {
  /** Oldest first (as shown). */
  messages: ImMessage[];
  /** Cursor of the next older page; null when the start is reached. */
  nextBefore: number | null;
  loaded: boolean;
  loadingOlder: boolean;
}

/** Body types the image upload route takes (anything else goes as `application/octet-stream`). */
const UPLOAD_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Messages per page of history. */
export const PAGE_SIZE = 30;

export const useImStore = defineStore('im', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();

  const conversations = ref<Conversation[]>([]);
  const loaded = ref(false);
  const threads = reactive(new Map<string, Thread>());
  /** The colleague whose thread is open on screen. */
  const activePeer = ref<string | null>(null);
  /** The open thread is actually seen (its page is shown and the tab is visible). */
  const threadVisible = ref(false);
  /** Reads already counted, by `peerId:upToSeq` (see the module comment). */
  const countedReads = new Set<string>();
  /** Incoming messages already counted as unread. */
  const countedMessages = new Set<string>();

  const me = computed(() => auth.user?.id ?? null);
  const unreadTotal = computed(() => conversations.value.reduce((n, c) => n + c.unread, 0));
  const sorted = computed(() =>
    [...conversations.value].sort((a, b) => (b.lastMessage?.seq ?? 0) - (a.lastMessage?.seq ?? 0)),
  );

  function conversation(peerId: string): Conversation | undefined {
    return conversations.value.find((c) => c.peer.id === peerId);
  }

  function peerOf(m: ImMessage): string {
    return m.senderId === me.value ? m.recipientId : m.senderId;
  }

  function thread(peerId: string): Thread {
    let t = threads.get(peerId);
    if (!t) {
      t = { messages: [], nextBefore: null, loaded: false, loadingOlder: false };
      threads.set(peerId, t);
    }
    return t;
  }

  /** Adds messages to a thread in `seq` order, each id once. */
  function merge(t: Thread, messages: ImMessage[]): void {
    const byId = new Map(t.messages.map((m) => [m.id, m]));
    for (const m of messages) byId.set(m.id, { ...byId.get(m.id), ...m });
    t.messages = [...byId.values()].sort((a, b) => a.seq - b.seq);
  }

  function touch(peerId: string, m: ImMessage, peer?: Peer): void {
    const c = conversation(peerId);
    if (c) {
      if (!c.lastMessage || m.seq >= c.lastMessage.seq) c.lastMessage = m;
    } else if (peer) {
      conversations.value.push({ peer, lastMessage: m, unread: 0 });
    }
  }

  async function loadConversations(): Promise<void> {
    if (!auth.signedIn) return;
    const r = await api.GET('/api/v1/messages/conversations', { ...quiet });
    if (!r.data) return;
    // Conversations started here but not yet in the server's list (none sent yet) stay.
    const fresh: Conversation[] = r.data.items.map((c) => ({ ...c }));
    for (const c of conversations.value) {
      if (!c.lastMessage && !fresh.some((f) => f.peer.id === c.peer.id)) fresh.push(c);
    }
    conversations.value = fresh;
    loaded.value = true;
  }

  /** A conversation to show for `peer` even before a message exists (new chat from the colleagues list). */
  function startConversation(peer: Peer): void {
    if (!conversation(peer.id)) conversations.value.push({ peer, lastMessage: null, unread: 0 });
  }

  /** Reads the newest page of a thread (first open, or again after a reconnect). */
  async function loadThread(peerId: string): Promise<void> {
    const r = await api.GET('/api/v1/messages/conversations/{userId}', {
      params: { path: { userId: peerId }, query: { limit: PAGE_SIZE } },
    });
    if (!r.data) return;
    const t = thread(peerId);
    const first = !t.loaded;
    merge(t, r.data.items);
    if (first) t.nextBefore = r.data.nextBefore;
    t.loaded = true;
    const newest = r.data.items[0];
    if (newest) touch(peerId, newest);
  }

  /** Opens a thread: loads it if needed and marks it read when it is seen. */
  async function open(peerId: string): Promise<void> {
    activePeer.value = peerId;
    if (!thread(peerId).loaded) await loadThread(peerId);
    await markReadIfSeen();
  }

  function close(): void {
    activePeer.value = null;
  }

  /** Loads the next older page of a thread (scrolling up). */
  async function loadOlder(peerId: string): Promise<boolean> {
    const t = thread(peerId);
    if (!t.loaded || t.loadingOlder || t.nextBefore === null) return false;
    t.loadingOlder = true;
    try {
      const r = await api.GET('/api/v1/messages/conversations/{userId}', {
        params: { path: { userId: peerId }, query: { before: t.nextBefore, limit: PAGE_SIZE } },
      });
      if (!r.data) return false;
      merge(t, r.data.items);
      t.nextBefore = r.data.nextBefore;
      return r.data.items.length > 0;
    } finally {
      t.loadingOlder = false;
    }
  }

  function accept(m: ImMessage, sender?: { id: string; name: string; staffNo: string }): void {
    const peerId = peerOf(m);
    const t = threads.get(peerId);
    if (t?.loaded) merge(t, [m]);
    const incoming = m.senderId !== me.value;
    const before = conversation(peerId)?.lastMessage;
    // A message no newer than the last one the list knew is already in the server's unread count.
    const known = before ? m.seq <= before.seq : false;
    if (!conversation(peerId)) {
      if (incoming && sender) {
        conversations.value.push({ peer: { ...sender, role: 'agent' }, lastMessage: m, unread: 0 });
        // The role (and anything else of the peer) comes with the next list read.
        void loadConversations();
      } else {
        void loadConversations();
      }
    } else {
      touch(peerId, m);
    }
    if (incoming && m.readAt === null && !known && !countedMessages.has(m.id)) {
      countedMessages.add(m.id);
      const c = conversation(peerId);
      if (c) c.unread += 1;
    }
  }

  /** Sends a text; resolves to the message, or to the server's error. */
  async function sendText(peerId: string, text: string): Promise<ImMessage | ApiError> {
    const r = await api.POST('/api/v1/messages', { body: { to: peerId, text }, ...quiet });
    if (!r.data) return errorOf(r.response.status, r.error);
    accept(r.data);
    return r.data;
  }

  /**
   * Sends an image as the raw body (the server sniffs its type from the bytes and answers 415
   * or 413 with a message saying why; returned as is for the composer to show).
   */
  async function sendImage(peerId: string, file: Blob): Promise<ImMessage | ApiError> {
    const r = await api.POST('/api/v1/messages/image', {
      params: { query: { to: peerId } },
      body: file as unknown as string,
      bodySerializer: (b: unknown) => b as BodyInit,
      // The server sniffs the bytes; a type it does not take as a body is sent as plain bytes.
      headers: {
        ...quiet.headers,
        'Content-Type': UPLOAD_TYPES.has(file.type) ? file.type : 'application/octet-stream',
      },
    });
    if (!r.data) return errorOf(r.response.status, r.error);
    accept(r.data);
    return r.data;
  }

  function applyRead(peerId: string, upToSeq: number, count: number): void {
    const key = `${peerId}:${upToSeq}`;
    if (countedReads.has(key)) return;
    countedReads.add(key);
    const c = conversation(peerId);
    if (c) c.unread = Math.max(0, c.unread - count);
    const t = threads.get(peerId);
    if (t) {
      const at = new Date().toISOString();
      for (const m of t.messages) if (m.senderId === peerId && m.seq <= upToSeq && !m.readAt) m.readAt = at;
    }
  }

  /** Marks what the open colleague sent read, when the thread is on screen and has unread messages. */
  async function markReadIfSeen(): Promise<void> {
    const peerId = activePeer.value;
    if (!peerId || !threadVisible.value) return;
    const c = conversation(peerId);
    const t = threads.get(peerId);
    if (!c || c.unread === 0 || !t?.loaded) return;
    const newest = [...t.messages].reverse().find((m) => m.senderId === peerId);
    if (!newest) return;
    const r = await api.POST('/api/v1/messages/conversations/{userId}/read', {
      params: { path: { userId: peerId } },
      body: { upToSeq: newest.seq },
      ...quiet,
    });
    if (r.data && r.data.read > 0) applyRead(peerId, newest.seq, r.data.read);
  }

  function setThreadVisible(v: boolean): void {
    threadVisible.value = v;
    if (v) void markReadIfSeen();
  }

  function onMessage(data: ServerEvents['im.message']): void {
    accept(data.message, data.sender);
    if (peerOf(data.message) === activePeer.value) void markReadIfSeen();
  }

  function onRead(data: ServerEvents['im.read']): void {
    if (data.readerId === me.value) {
      applyRead(data.peerId, data.upToSeq, data.count);
      return;
    }
    // The peer read what I sent: read receipts on my messages.
    const t = threads.get(data.readerId);
    if (!t) return;
    for (const m of t.messages) {
      if (m.senderId === me.value && m.recipientId === data.readerId && m.seq <= data.upToSeq && !m.readAt) {
        m.readAt = data.at;
      }
    }
  }

  /** Everything the socket may have missed: the list, and the newest page of the open thread. */
  async function resync(): Promise<void> {
    await loadConversations();
    const peerId = activePeer.value;
    if (peerId && threads.get(peerId)?.loaded) {
      await loadThread(peerId);
      await markReadIfSeen();
    }
  }

  realtime.on('im.message', onMessage);
  realtime.on('im.read', onRead);
  realtime.onResync('im', resync);
  // The socket may already be open (the store is created on first use): read the list now.
  if (realtime.connected) void loadConversations();

  function $reset(): void {
    conversations.value = [];
    loaded.value = false;
    threads.clear();
    activePeer.value = null;
    threadVisible.value = false;
    countedReads.clear();
    countedMessages.clear();
  }

  return {
    conversations,
    sorted,
    loaded,
    threads,
    activePeer,
    threadVisible,
    unreadTotal,
    conversation,
    thread,
    loadConversations,
    startConversation,
    loadThread,
    open,
    close,
    loadOlder,
    sendText,
    sendImage,
    markReadIfSeen,
    setThreadVisible,
    onMessage,
    onRead,
    resync,
    $reset,
  };
});
