import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { AgentService } from '../agents/service.js';
import type { AcdService } from '../routing/acd.js';
import type { CallFlowService } from './call-flow.js';

/**
 * Periodic upkeep that no webhook triggers: wrap-ups that ran out, offers whose provider never
 * reported back, callers left waiting (e.g. after a restart), and sessions that went quiet.
 * Every instance runs it; the work is claimed with conditional updates, so running it twice
 * at once is harmless.
 */
export class CallSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      agentService: AgentService;
      acdService: AcdService;
      callFlow: CallFlowService;
      logger: Logger;
      background: BackgroundSteps;
    },
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; each step is isolated so one failure does not stop the others. */
  async sweep(): Promise<void> {
    const { agentService, acdService, callFlow, background } = this.deps;
    const steps: Array<[string, () => Promise<unknown>]> = [
      [
        'wrapUps',
        async () => {
          for (const c of await agentService.endDueWrapUps()) await acdService.dispatchForAgent(c.tenantId, c.userId);
        },
      ],
      ['stuckOffers', () => acdService.expireStuckOffers()],
      ['waitingCallers', () => acdService.dispatchAllWaiting()],
      ['quietSessions', () => callFlow.reapQuietSessions()],
    ];
    for (const [name, fn] of steps) {
      try {
        await fn();
      } catch (err) {
        background.report(`sweeper.${name}`, {}, err);
      }
    }
  }
}
