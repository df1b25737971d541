/**
 * How a colleague's presence looks (AGT-04): an icon and a text for each state, never colour
 * alone, with a TDesign theme for the tint — the same vocabulary as the agent's own status
 * (`shell/agent-state-meta.ts`).
 */
import {
  CallIcon,
  CallIncomingIcon,
  CheckCircleFilledIcon,
  Edit1Icon,
  MinusCircleFilledIcon,
  PoweroffIcon,
  TeaIcon,
} from 'tdesign-icons-vue-next';
import type { Component } from 'vue';
import type { PresenceState } from '@/api/realtime-events';

export interface PresenceLook {
  icon: Component;
  theme: 'success' | 'warning' | 'danger' | 'primary' | 'default';
}

export const PRESENCE_LOOK: Record<PresenceState, PresenceLook> = {
  idle: { icon: CheckCircleFilledIcon, theme: 'success' },
  ringing: { icon: CallIncomingIcon, theme: 'primary' },
  onCall: { icon: CallIcon, theme: 'primary' },
  wrapUp: { icon: Edit1Icon, theme: 'warning' },
  notReady: { icon: MinusCircleFilledIcon, theme: 'danger' },
  rest: { icon: TeaIcon, theme: 'warning' },
  offline: { icon: PoweroffIcon, theme: 'default' },
};
