import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { open, seal } from '../../crypto/sealed-box.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { TelephonyPort } from '../../telephony/types.js';
import type { AuthKeys } from '../auth/secrets.js';
import type { NumberRepo } from '../numbers/repo.js';
import { users } from '../users/schema.js';
import { agents, type AnswerMode } from './schema.js';

/**
 * How the workbench's softphone reaches the telephony provider: `sip` = register over WSS;
 * `simulator` = no real registrar, drive the simulator's device API instead; `none` = no
 * telephony provider is configured, nothing can ring.
 */
export type SoftphoneMode = 'sip' | 'simulator' | 'none';

/** What a softphone needs to register (`GET /me/device`). */
export interface SoftphoneCredentials {
  sipUser: string;
  password: string;
  realm: string | null;
  wsServer: string | null;
  mode: SoftphoneMode;
}

/** How to reach an agent for a call, as the ACD and internal calls need it. */
export interface AgentReachInput {
  userId: string;
  sipUser: string | null;
  answerMode: AnswerMode;
  autoAnswer: boolean;
  mobile: string | null;
}

/** Where to ring: a device and, for mobiles, the tenant number to show as the caller. */
export type Reach =
  | {
      ok: true;
      device: { type: 'webrtc'; user: string } | { type: 'phone'; number: string };
      /** Set for mobiles: an agent-mobile number (ADM-05); never the customer's number. */
      callerId: string | null;
      autoAnswer: boolean;
    }
  | { ok: false; reason: string };

/** Reasons a device could not be chosen; the ACD treats them as "cannot be rung" (notReady). */
export const NO_DEVICE = 'agent has no device';
export const NO_MOBILE = 'agent has no mobile';
export const NO_AGENT_MOBILE_NUMBER = 'no agent-mobile number';

/**
 * Agents' devices: the WebRTC softphone credentials at the telephony provider (provisioned per
 * agent, rotated on password reset) and the choice of device for a ring — softphone or the
 * agent's bound mobile (IN-02), with auto-answer (IN-03).
 *
 * The SIP password is stored encrypted (AES-256-GCM), not hashed: the agent's browser needs it
 * back to register. See docs/adr/0006-agent-devices.md.
 */
export class DeviceService {
  private readonly d: {
    db: Db;
    logger: Logger;
    authKeys: AuthKeys;
    numberRepo: NumberRepo;
    telephony: TelephonyPort;
  };

  constructor(deps: DeviceService['d']) {
    // The lazy cradle: `telephony` is registered once the adapter is installed.
    this.d = deps;
  }

  // ───────────────────────────── credentials ─────────────────────────────

  /** Encrypts a SIP password; the agent id is bound in as associated data. */
  encrypt(userId: string, password: string): string {
    return seal(this.d.authKeys.sip, password, userId);
  }

  /** Decrypts what {@link encrypt} made for the same agent; throws on tampering or another key. */
  decrypt(userId: string, sealed: string): string {
    return open(this.d.authKeys.sip, sealed, userId);
  }

  /**
   * Provisions (or rotates) an agent's softphone credentials: a new random password, pushed to
   * the provider (`/v1/Clients`), then stored. The agent row is created when missing. The old
   * password stops working at the provider at once.
   */
  async provision(tenantId: string, userId: string): Promise<SoftphoneCredentials> {
    const [user] = await this.d.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    if (!user) throw createError('not_found', 'No user with that id');
    await this.d.db.insert(agents).values({ tenantId, userId }).onConflictDoNothing({ target: agents.userId });
    const [agent] = await this.d.db.select().from(agents).where(eq(agents.userId, userId));
    // One jambonz account serves every tenant, so the user name must be unique installation-wide.
    const sipUser = agent?.sipUser ?? `sb-${userId}`;
    const password = randomBytes(24).toString('base64url');
    const { clientSid } = this.d.telephony.provisionClient
      ? await this.d.telephony.provisionClient({
          username: sipUser,
          password,
          active: true,
          clientSid: agent?.sipClientSid ?? null,
        })
      : { clientSid: agent?.sipClientSid ?? null };
    await this.d.db
      .update(agents)
      .set({
        sipUser,
        sipPasswordEnc: this.encrypt(userId, password),
        sipClientSid: clientSid,
        sipProvisionedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    return { sipUser, password, ...this.endpoint() };
  }

  /** The agent's own softphone credentials; provisioned on first use. */
  async credentials(tenantId: string, userId: string): Promise<SoftphoneCredentials> {
    const [agent] = await this.d.db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    if (!agent?.sipUser || !agent.sipPasswordEnc) return this.provision(tenantId, userId);
    try {
      return { sipUser: agent.sipUser, password: this.decrypt(userId, agent.sipPasswordEnc), ...this.endpoint() };
    } catch (err) {
      // The installation secret changed (or the row was tampered with): issue new credentials.
      this.d.logger.warn({ err, userId }, 'stored SIP password unreadable; provisioning new credentials');
      return this.provision(tenantId, userId);
    }
  }

  /**
   * Rotates the credentials when the agent's sign-in password is reset, so a leaked browser
   * session's softphone cannot register again. Users who never had credentials are left alone.
   */
  async rotateIfProvisioned(tenantId: string, userId: string): Promise<void> {
    const [agent] = await this.d.db
      .select({ enc: agents.sipPasswordEnc })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    if (agent?.enc) await this.provision(tenantId, userId);
  }

  /** Removes an agent's credentials at the provider (user deletion); best effort. */
  async deprovision(tenantId: string, userId: string): Promise<void> {
    const [agent] = await this.d.db
      .select({ sid: agents.sipClientSid })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    if (agent?.sid && this.d.telephony.removeClient) {
      await this.d.telephony
        .removeClient(agent.sid)
        .catch((err) => this.d.logger.warn({ err, userId }, 'could not remove softphone credentials'));
    }
  }

  private endpoint(): { realm: string | null; wsServer: string | null; mode: SoftphoneMode } {
    const e = this.d.telephony.softphoneEndpoint?.();
    return {
      realm: e?.realm ?? null,
      wsServer: e?.wsServer ?? null,
      mode: !e ? 'none' : e.simulated ? 'simulator' : 'sip',
    };
  }

  // ───────────────────────────── choosing a device ─────────────────────────────

  /**
   * Whether the agent's web workbench is online, defined as: their softphone is registered at
   * the provider right now (jambonz `RegisteredSipUsers`). That is what decides whether a WebRTC
   * ring can reach them at all, and every instance sees the same answer. A provider that cannot
   * tell is taken as "online" (the WebRTC ring then fails on its own if it is not).
   */
  async webrtcOnline(sipUser: string | null): Promise<boolean> {
    if (!sipUser) return false;
    if (!this.d.telephony.isRegistered) return true;
    try {
      return await this.d.telephony.isRegistered(sipUser);
    } catch (err) {
      this.d.logger.warn({ err, sipUser }, 'could not ask the provider for registrations; assuming online');
      return true;
    }
  }

  /**
   * Where to ring an agent (IN-02): `webrtc` → the softphone; `mobileAlways` → the bound mobile;
   * `mobileWhenOffline` → the softphone while it is registered, else the mobile. `offlineToMobile`
   * (internal calls, AGT-04) treats every agent as `mobileWhenOffline`, and `offline` says the
   * agent is logged out (then only the mobile can reach them). A mobile is dialled from one of
   * the tenant's agent-mobile numbers (ADM-05); without one the ring fails, logged, rather than
   * showing a customer's (possibly protected) number or an arbitrary one.
   */
  async reach(
    tenantId: string,
    agent: AgentReachInput,
    opts: { offlineToMobile?: boolean; offline?: boolean } = {},
  ): Promise<Reach> {
    const mode: AnswerMode =
      opts.offlineToMobile && agent.answerMode === 'webrtc' ? 'mobileWhenOffline' : agent.answerMode;
    const mobile =
      mode === 'mobileAlways' ||
      (mode === 'mobileWhenOffline' && (opts.offline || !(await this.webrtcOnline(agent.sipUser))));
    if (!mobile) {
      if (!agent.sipUser) return { ok: false, reason: NO_DEVICE };
      return {
        ok: true,
        device: { type: 'webrtc', user: agent.sipUser },
        callerId: null,
        autoAnswer: agent.autoAnswer,
      };
    }
    if (!agent.mobile) return { ok: false, reason: NO_MOBILE };
    const callerId = await this.d.numberRepo.nextAgentMobileCallerId(tenantId);
    if (!callerId) {
      this.d.logger.error(
        { tenantId, agentId: agent.userId },
        'cannot ring an agent on their mobile: the tenant has no agent-mobile number (ADM-05)',
      );
      return { ok: false, reason: NO_AGENT_MOBILE_NUMBER };
    }
    return { ok: true, device: { type: 'phone', number: agent.mobile }, callerId, autoAnswer: false };
  }

  /** The reach inputs of one agent (answer mode, softphone, bound mobile). */
  async reachInput(tenantId: string, userId: string): Promise<AgentReachInput | undefined> {
    const [row] = await this.d.db
      .select({
        userId: agents.userId,
        sipUser: agents.sipUser,
        answerMode: agents.answerMode,
        autoAnswer: agents.autoAnswer,
        mobile: users.mobile,
      })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId))
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    return row;
  }

  // ───────────────────────────── the agent's own settings ─────────────────────────────

  /** Answer mode (IN-02) and auto-answer (IN-03) of an agent. */
  async answering(tenantId: string, userId: string): Promise<{ answerMode: AnswerMode; autoAnswer: boolean }> {
    const [row] = await this.d.db
      .select({ answerMode: agents.answerMode, autoAnswer: agents.autoAnswer })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    if (!row) throw createError('not_found', 'Not set up as an agent');
    return row;
  }

  async setAnswering(
    tenantId: string,
    userId: string,
    patch: { answerMode?: AnswerMode | undefined; autoAnswer?: boolean | undefined },
  ): Promise<{ answerMode: AnswerMode; autoAnswer: boolean }> {
    const set = {
      ...(patch.answerMode !== undefined ? { answerMode: patch.answerMode } : {}),
      ...(patch.autoAnswer !== undefined ? { autoAnswer: patch.autoAnswer } : {}),
      updatedAt: new Date(),
    };
    const [row] = await this.d.db
      .update(agents)
      .set(set)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)))
      .returning({ answerMode: agents.answerMode, autoAnswer: agents.autoAnswer });
    if (!row) throw createError('not_found', 'Not set up as an agent');
    return row;
  }
}
